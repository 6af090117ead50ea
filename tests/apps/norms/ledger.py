"""Hand-built NormCheck ledgers for the compliance selectors, pages and browser journey."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from guifan.apps.accounts.models import User
from guifan.apps.norms.models import NormCheck
from guifan.apps.orders.models import WorkOrder
from guifan.apps.workforce.models import ServiceArea, Technician
from guifan.clock import at_local
from tests import factories as f

TODAY = dt.date(2025, 6, 2)  # the clock fixture's day


def check(
    norm_id: str,
    kept: bool,
    day: dt.date = TODAY,
    hhmm: str = "09:00",
    *,
    area: str = "A01",
    person: str = "",
    order: WorkOrder | None = None,
    reason: str = "",
    detail: dict[str, Any] | None = None,
) -> NormCheck:
    return NormCheck.objects.create(
        norm_id=norm_id,
        kept=kept,
        at=at_local(day, hhmm),
        area_code=area,
        person=person,
        order=order,
        reason=reason or ("按规范" if kept else "未按规范"),
        detail=detail or {},
    )


def tech(
    badge: str, name: str, *, team: str = "", area: str = "A01", login: str = ""
) -> Technician:
    user = User.objects.create_user(login, role="technician") if login else None
    return Technician.objects.create(
        user=user,
        name=name,
        badge_no=badge,
        phone="13800000000",
        area=f.area(area),
        team=team,
        home_lat=30.6,
        home_lon=104.0,
    )


# Share of occasions broken per norm in the two-week ledger: APT-07 is the worst by design.
BREAK_SHARE = {
    "APT-07": 0.4,
    "DSP-04": 0.22,
    "LNG-02": 0.15,
    "VIS-04": 0.08,
    "APT-03": 0.04,
    "ORD-01": 0.0,
}
STAFF = (
    ("T0001", "王强", "锦江一班", "A01"),
    ("T0002", "李娜", "锦江一班", "A01"),
    ("T0003", "张伟", "锦江二班", "A01"),
    ("T0004", "赵敏", "青羊一班", "A02"),
    ("T0005", "陈杰", "青羊一班", "A02"),
    ("T0006", "刘洋", "", "A03"),
)
AREAS = {"A01": "锦江片区", "A02": "青羊片区", "A03": "武侯片区"}


def two_weeks(seed: int = 7) -> None:
    """Fourteen days of checks for six norms, three areas and six technicians in three teams."""
    rng = random.Random(seed)
    for code, name in AREAS.items():
        ServiceArea.objects.get_or_create(
            code=code, defaults={"name": name, "lat": 30.6, "lon": 104}
        )
    for badge, name, team, area in STAFF:
        tech(badge, name, team=team, area=area)
    rows = []
    for back in range(14):
        day = TODAY - dt.timedelta(days=back)
        for badge, _name, _team, area in STAFF:
            for norm_id, share in BREAK_SHARE.items():
                for _ in range(rng.randint(1, 3)):
                    # Later days of the fortnight improve a little, so the trend moves.
                    kept = rng.random() >= share * (1.3 - back / 20)
                    minute = rng.randint(0, 59)
                    hour = 8 if back == 0 else rng.randint(8, 17)
                    rows.append(
                        NormCheck(
                            norm_id=norm_id,
                            kept=kept,
                            at=at_local(day, f"{hour:02d}:{minute:02d}"),
                            area_code=area,
                            person=badge,
                            reason="按规范" if kept else f"{norm_id} 未按规范",
                        )
                    )
    NormCheck.objects.bulk_create(rows)
