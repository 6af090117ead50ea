"""Timer kinds and the handlers that fire them (registered by the apps that own them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from guifan.apps.timers.models import Timer

Handler = Callable[[Timer, dt.datetime], dict[str, Any]]
HANDLERS: dict[str, Handler] = {}
# What a person reads for a kind (the admin's timer list): the kind itself is a code.
LABELS: dict[str, str] = {}


def handler(kind: str, label: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        if kind in HANDLERS and HANDLERS[kind] is not fn:
            raise ValueError(f"timer kind {kind!r} registered twice")
        HANDLERS[kind] = fn
        LABELS[kind] = label
        return fn

    return register


def kind_label(kind: str) -> str:
    """The kind's name for people; an unregistered kind (a removed feature's row) as stored."""
    return LABELS.get(kind, kind)
