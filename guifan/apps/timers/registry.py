"""Timer kinds and the handlers that fire them (registered by the apps that own them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from guifan.apps.timers.models import Timer

Handler = Callable[[Timer, dt.datetime], dict[str, Any]]
HANDLERS: dict[str, Handler] = {}


def handler(kind: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        if kind in HANDLERS and HANDLERS[kind] is not fn:
            raise ValueError(f"timer kind {kind!r} registered twice")
        HANDLERS[kind] = fn
        return fn

    return register
