"""The daily roll-up of the NormCheck ledger (``NormDay``, ADR 0031): rebuilt from the ledger.

Triggers keep the roll-up current (migration ``norms.0002_daily_rollups``); a rebuild is for a
bulk load done with them switched off (the month bench) and for checking that they agree.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction

from guifan.clock import ZONE

# The local day of a check's instant. Asia/Shanghai has kept UTC+8 without daylight saving
# since 1991, so SQLite (which has no time-zone database) may add 8 hours.
DAY_SQL = {
    "postgresql": f"(at AT TIME ZONE '{ZONE.key}')::date",
    "sqlite": "date(at, '+8 hours')",
}

# grain -> the columns it keeps (the others stay blank)
GRAINS = {
    1: ("norm_id", "area_code", "person"),
    2: ("area_code", "person"),
    3: ("norm_id",),
}


def rebuild_sql(vendor: str, since: dt.date | None = None) -> list[str]:
    """Statements that empty the roll-up and recompute every grain from the ledger; with
    ``since``, only the days from it on (earlier days are kept as they are)."""
    day = DAY_SQL[vendor]
    where, out = "", ["DELETE FROM norms_normday"]
    if since:
        # On PostgreSQL a bound on ``at`` itself lets the scan skip older partitions.
        start = f"'{since.isoformat()} 00:00:00+08'" if vendor == "postgresql" else None
        where = f" WHERE at >= {start}" if start else f" WHERE {day} >= '{since.isoformat()}'"
        out = [f"DELETE FROM norms_normday WHERE day >= '{since.isoformat()}'"]
    for grain, cols in GRAINS.items():
        values = ", ".join(c if c in cols else "''" for c in ("norm_id", "area_code", "person"))
        group = ", ".join(cols)
        out.append(
            "INSERT INTO norms_normday (grain, day, norm_id, area_code, person, checked, kept) "
            f"SELECT {grain}, {day}, {values}, COUNT(*), "
            "SUM(CASE WHEN kept THEN 1 ELSE 0 END) "
            f"FROM norms_normcheck{where} GROUP BY {day}, {group}"
        )
    return out


def norm_days_rebuild() -> None:
    """Recompute the roll-up from the ledger, in one transaction.

    Only the days from the ledger's oldest check on: the months a retention purge dropped
    (ADR 0038) survive only in the roll-up, and a rebuild must not erase them.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT MIN({DAY_SQL[connection.vendor]}) FROM norms_normcheck")
        first = cursor.fetchone()[0]
        since = dt.date.fromisoformat(first) if isinstance(first, str) else first
        for statement in rebuild_sql(connection.vendor, since):
            cursor.execute(statement)
