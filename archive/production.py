"""What production mode (ARCHIVE_ENV=production) refuses to start with."""
from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

# The thresholds of Django's security check W009 (django.core.checks.security.base).
MIN_LENGTH = 50
MIN_UNIQUE_CHARACTERS = 5
INSECURE_PREFIX = "django-insecure-"


def weak_secret_key(key: str) -> bool:
    return (not key or len(key) < MIN_LENGTH or len(set(key)) < MIN_UNIQUE_CHARACTERS
            or key.startswith(INSECURE_PREFIX))


def refuse_unsafe_production(secret_key: str, debug: bool) -> None:
    if debug:
        raise ImproperlyConfigured("ARCHIVE_DEBUG=1 is refused when ARCHIVE_ENV=production")
    if weak_secret_key(secret_key):
        raise ImproperlyConfigured(
            "ARCHIVE_SECRET_KEY is missing or weak (Django's check W009: at least 50 characters, "
            "5 different ones, not 'django-insecure-'); make one with: python -c "
            "\"import secrets; print(secrets.token_urlsafe(64))\"")
