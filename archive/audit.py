"""The audit trail: who imported, uploaded, took down, purged, exported or logged in.

`record()` writes one `AuditEntry`; the log-in signals are connected in `archive.apps`.
Superusers read the trail in the admin (archive.admin.AuditEntryAdmin).
"""
from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_login_failed

from archive.models import AuditEntry


def client_ip(request) -> str | None:
    """The address the server saw. Behind a proxy, the proxy's own address unless
    ARCHIVE_IP_HEADER names the header it sets (see archive.limits)."""
    if request is None:
        return None
    import ipaddress

    from archive.limits import client_address

    try:
        return str(ipaddress.ip_address(client_address(request)))
    except ValueError:
        return None


def record(action: str, user=None, request=None, summary: str = "", username: str = "", **detail) -> AuditEntry:
    if user is None and request is not None:
        user = getattr(request, "user", None)
    known = user if getattr(user, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        action=action,
        user=known,
        username=(known.get_username() if known else username)[:150],
        ip=client_ip(request),
        summary=summary[:500],
        detail=detail,
    )


def _logged_in(sender, request, user, **kwargs) -> None:
    record("login", user=user, request=request, summary=f"{user.get_username()} logged in")


def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = str(credentials.get("username", ""))[:150]
    record("login failed", request=request, username=username, summary=f"failed log-in as {username!r}")


def connect_signals() -> None:
    user_logged_in.connect(_logged_in, dispatch_uid="archive.audit.logged_in")
    user_login_failed.connect(_login_failed, dispatch_uid="archive.audit.login_failed")
