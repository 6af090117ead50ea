"""The demo's day, live: copies of its database at each hour, for ``guifan serve --demo``.

The demo's database ends the morning after the city day, every visit done. To show the day
while it happens, the demo copies its SQLite database at each full hour of the city day
(SQLite's online backup: a consistent copy while the connection stays open) and writes a
manifest naming the day; ``guifan serve --demo --at HH:MM`` starts from the copy of the hour
before HH:MM with the clock at HH:MM.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

MANIFEST = "manifest.json"
HOURS = range(8, 19)  # copies at 08:00 … 18:00 of the city day
# Where ``guifan serve --demo`` starts: late morning, with visits under way and to come and the
# hall's late-morning queue (at 10:00 the demo's hall has no one waiting yet).
LIVE_AT = "11:00"


@dataclass(frozen=True, slots=True)
class LiveDay:
    """What a demo left for ``guifan serve --demo``."""

    day: dt.date
    seed: int
    hours: list[int]
    folder: Path

    def copy_for(self, at: dt.time) -> Path | None:
        """The copy of the last full hour at or before ``at``; None outside the copied hours."""
        if at.hour not in self.hours:
            return None
        return self.folder / snapshot_name(at.hour)


def snapshot_name(hour: int) -> str:
    return f"{hour:02d}00.sqlite3"


def snapshot_take(path: Path) -> None:
    """Copy the demo's open SQLite database to ``path`` (outside any transaction)."""
    from django.db import connection

    connection.ensure_connection()
    source = connection.connection
    target = sqlite3.connect(path)
    try:
        source.backup(target)
    finally:
        target.close()


def manifest_write(folder: Path, *, day: dt.date, seed: int) -> None:
    hours = [h for h in HOURS if (folder / snapshot_name(h)).exists()]
    text = json.dumps({"day": day.isoformat(), "seed": seed, "hours": hours}, indent=2)
    (folder / MANIFEST).write_text(text + "\n", encoding="utf-8")


def manifest_read(folder: Path) -> LiveDay | None:
    """The demo's live day, or None when no demo (on SQLite) has finished here."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        return LiveDay(
            day=dt.date.fromisoformat(data["day"]),
            seed=int(data["seed"]),
            hours=[int(h) for h in data["hours"]],
            folder=folder,
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def database_copy(source: Path, target: Path) -> None:
    """A fresh working copy of a snapshot (the snapshot itself stays as the demo left it)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def busy_technicians(day: dt.date) -> list[str]:
    """Logins of the technicians with visits still to do or under way on ``day``, busiest first."""
    from django.db.models import Count

    from guifan.apps.orders.choices import AppointmentStatus
    from guifan.apps.orders.models import Appointment

    rows = (
        Appointment.objects.filter(
            date=day,
            status=AppointmentStatus.ACTIVE,
            technician__user__isnull=False,
            order__status__in=["dispatched", "en_route", "on_site"],
        )
        .values("technician__user__username")
        .annotate(n=Count("id"))
        .order_by("-n", "technician__user__username")
    )
    return [r["technician__user__username"] for r in rows]
