"""What a test does when something outside the project that it needs is missing.

A browser or a server (chromium, PostgreSQL, OpenSearch...) that is missing skips the test
with its reason on a developer's machine. Under ARCHIVE_REQUIRE_SERVICES=1, which CI sets,
it fails instead, so that a missing service can never pass a run silently. Data that lives
beside the checkout (../shared) is not a service: its absence always skips, with a reason.
"""
from __future__ import annotations

import os

import pytest

REQUIRE_SERVICES = os.environ.get("ARCHIVE_REQUIRE_SERVICES", "") not in ("", "0")


def service_unavailable(reason: str) -> None:
    """Skip, or fail where services are required; never returns."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (ARCHIVE_REQUIRE_SERVICES is set: a missing service fails the run)",
                    pytrace=False)
    pytest.skip(reason)
