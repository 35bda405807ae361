"""Per-client rate limits on the public read paths, shared by every server process.

Which paths, and how many requests a client may make in a window, are set by
`ARCHIVE_RATELIMITS` (settings; env ARCHIVE_RATELIMIT_<GROUP>, e.g. "60/m"). Counting is
django-ratelimit's (`get_usage`) over the `ratelimit` cache: a file-based cache under the
data folder, which every gunicorn worker shares. A client over its limit gets 429 with a
Retry-After of the seconds left in the window.

ARCHIVE_RATELIMIT=0 turns every limit off (the tests and the bench do; a test that checks
the limits turns them back on).
"""
from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django_ratelimit.core import get_usage

# Path prefix -> group; the first that matches wins, so longer prefixes come first.
GROUPS = (
    ("/search/export", "export"),
    ("/admin/archive/article/export", "export"),
    ("/search/", "search"),
    ("/api/", "api"),
    ("/feeds/", "feeds"),
    # Beside django-axes's lock-out of one user name: an address trying many names.
    ("/admin/login/", "login"),
)


def group_for(path: str) -> str | None:
    for prefix, group in GROUPS:
        if path.startswith(prefix):
            return group
    return None


def client_address(request) -> str:
    """REMOTE_ADDR, or the first address of the header a trusted proxy sets
    (ARCHIVE_IP_HEADER, e.g. HTTP_X_FORWARDED_FOR) when there is one."""
    header = getattr(settings, "ARCHIVE_IP_HEADER", "")
    if header and request.META.get(header):
        return request.META[header].split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def _key(group: str, request) -> str:
    return client_address(request)


def too_many(retry_after: int) -> HttpResponse:
    response = HttpResponse("Too many requests: please wait and try again.\n", status=429,
                            content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(max(1, retry_after))
    return response


class RateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.ARCHIVE_RATELIMIT_ENABLED:
            group = group_for(request.path_info)
            rate = settings.ARCHIVE_RATELIMITS.get(group) if group else None
            if rate:
                usage = get_usage(request, group=f"archive.{group}", key=_key, rate=rate, increment=True)
                if usage and usage["should_limit"]:
                    return too_many(int(usage["time_left"]))
        return self.get_response(request)
