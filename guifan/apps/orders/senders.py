"""Outbound calls and SMS go through a pluggable sender (settings.GUIFAN_CONTACT_SENDER)."""

from __future__ import annotations

import logging
from functools import cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from guifan.apps.customers.masking import mask_phone

log = logging.getLogger("guifan.contacts")


class Sender(Protocol):
    def send(self, *, to: str, channel: str, body: str, key: str) -> str:
        """Deliver a message; return a ContactOutcome value. ``key`` deduplicates retries."""
        ...


class LocalSender:
    """Writes messages to the log; the Contact row is written by the calling service."""

    def send(self, *, to: str, channel: str, body: str, key: str) -> str:
        # SEC-01: logs are read by many; the number is masked like on every screen.
        log.info("send %s to %s [%s]: %s", channel, mask_phone(to), key, body)
        return "sent"


@cache
def get_sender() -> Sender:
    sender: Sender = import_string(settings.GUIFAN_CONTACT_SENDER)()
    return sender
