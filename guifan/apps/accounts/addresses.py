"""The client's address, as login lock-outs and token throttling count it."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or behind GUIFAN_PROXY_COUNT proxies the X-Forwarded-For entry they added.

    Each proxy appends the address it saw, so the client is the entry that many places from
    the right; anything further left was written by the client and is not trusted.
    """
    remote = str(request.META.get("REMOTE_ADDR", ""))
    count = int(settings.GUIFAN_PROXY_COUNT)
    if count <= 0:
        return remote
    header = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    forwarded = [a.strip() for a in header.split(",") if a.strip()]
    if len(forwarded) < count:
        return remote
    return forwarded[-count]
