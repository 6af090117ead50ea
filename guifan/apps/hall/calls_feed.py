"""Wake the calling screens' streams when a hall's calls change (PostgreSQL LISTEN/NOTIFY).

Issue 18's load bench found the open calling screens using 78 % of the app servers' CPU: each
stream looked at its hall's calls every half second, about 4 ms of CPU per screen per second
whether anything happened or not. A trigger on the ticket table (hall migration 0014) sends
``NOTIFY guifan_hall_calls, '<hall id>'`` when a ticket is called, re-called or answered; one
listening connection per server process wakes only the streams of that hall. A stream still
looks now and then without a wake-up (``GUIFAN_SSE_IDLE_SECONDS``), so a notice lost while the
listener reconnects, or a new day, shows within that time. Without PostgreSQL, or while the
listener is down, the streams poll as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator
from typing import Any

from django.db import connection

logger = logging.getLogger(__name__)

CHANNEL = "guifan_hall_calls"
RETRY_SECONDS = (0.5, 1.0, 2.0, 5.0, 10.0)  # the listener's reconnect back-off


class CallsHub:
    """One listening connection per event loop; one :class:`asyncio.Event` per open stream."""

    def __init__(self, conninfo: dict[str, Any]) -> None:
        self._conninfo = conninfo
        self._streams: dict[int, set[asyncio.Event]] = {}
        self._task: asyncio.Task[None] | None = None
        self.listening = False  # True while LISTEN is active: streams may then wait for wakes

    @contextlib.contextmanager
    def subscribe(self, hall_id: int) -> Iterator[asyncio.Event]:
        """An event set whenever ``hall_id``'s calls change, for the ``with`` block's life."""
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._listen())
        event = asyncio.Event()
        self._streams.setdefault(hall_id, set()).add(event)
        try:
            yield event
        finally:
            waiting = self._streams.get(hall_id)
            if waiting is not None:
                waiting.discard(event)
                if not waiting:
                    del self._streams[hall_id]

    async def aclose(self) -> None:
        """Stop listening (a test's end; a server process simply exits)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def wake(self, payload: str) -> None:
        try:
            hall_id = int(payload)
        except ValueError:
            logger.warning("ignored %s notice %r", CHANNEL, payload)
            return
        for event in self._streams.get(hall_id, ()):
            event.set()

    def _wake_all(self) -> None:
        # After a reconnect a notice may have been missed: every stream looks once.
        for events in self._streams.values():
            for event in events:
                event.set()

    async def _listen(self) -> None:
        import psycopg

        failures = 0
        while self._streams or failures == 0:
            try:
                aconn = await psycopg.AsyncConnection.connect(**self._conninfo, autocommit=True)
                async with aconn:
                    await aconn.execute(f"LISTEN {CHANNEL}")
                    self.listening = True
                    self._wake_all()
                    failures = 0
                    async for notice in aconn.notifies():
                        self.wake(notice.payload)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the database went away: poll until it is back
                logger.warning("calls listener lost its connection: %s", exc)
            finally:
                self.listening = False
            self._wake_all()
            await asyncio.sleep(RETRY_SECONDS[min(failures, len(RETRY_SECONDS) - 1)])
            failures += 1


_hubs: dict[asyncio.AbstractEventLoop, CallsHub] = {}


def can_listen() -> bool:
    """Whether a stream may wait for notices (call from sync code, as the stream's looks).

    Not on SQLite, and not inside a transaction (a test's): NOTIFY is sent on commit only.
    """
    return connection.vendor == "postgresql" and not connection.in_atomic_block


def hub() -> CallsHub:
    """This event loop's hub (see :func:`can_listen`)."""
    loop = asyncio.get_running_loop()
    found = _hubs.get(loop)
    if found is None:
        for old in [k for k in _hubs if k.is_closed()]:
            del _hubs[old]
        found = _hubs[loop] = CallsHub(_conninfo())
    return found


def _conninfo() -> dict[str, Any]:
    """Connection keywords for the listener from the default database's settings."""
    s = connection.settings_dict
    info: dict[str, Any] = {"dbname": s["NAME"], "user": s["USER"] or None}
    if s.get("PASSWORD"):
        info["password"] = s["PASSWORD"]
    if s.get("HOST"):
        info["host"] = s["HOST"]
    if s.get("PORT"):
        info["port"] = s["PORT"]
    options = s.get("OPTIONS", {})
    for key in ("sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout"):
        if key in options:
            info[key] = options[key]
    info["application_name"] = "guifan-calls-listener"
    return info
