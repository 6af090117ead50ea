"""Build a city: service areas, technicians with certifications and shifts."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction

from guifan.apps.stock.services import stock_seed_for_area
from guifan.apps.workforce.models import Certification, ServiceArea, Shift, Technician

AREAS = [
    ("CD-JJ", "锦江片区", 30.657, 104.083),
    ("CD-QY", "青羊片区", 30.674, 104.062),
    ("CD-WH", "武侯片区", 30.642, 104.043),
    ("CD-CH", "成华片区", 30.660, 104.101),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国文斌宇浩凯"

TELECOM = [
    f"{s}_{k}"
    for s in ("broadband", "fixed_line", "iptv", "ims")
    for k in ("install", "move", "repair")
]


@dataclass(frozen=True, slots=True)
class City:
    areas: list[ServiceArea]
    technicians: list[Technician]


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


# APT-03 lets a customer book any hour from 08:00 to 20:00, so two installers of each area
# work a late shift (a branch's extended hours) and the evening windows can be served. The
# late shift takes its break in the afternoon: staggered break rules, each encoded in the
# repeatable plan (PyVRP, ADR 0018 addendum), so the desk's plans still repeat.
LATE_SHIFT = (3, 6)  # i % 10 of the area's technicians
SHIFTS = {False: (dt.time(8, 30), dt.time(17, 30)), True: (dt.time(11, 30), dt.time(20, 30))}
# The window for the 45-minute break, by shift.
BREAKS = {False: (dt.time(11, 30), dt.time(13, 30)), True: (dt.time(15, 30), dt.time(17, 30))}


def _work_types(i: int, rng: random.Random) -> list[str]:
    """Most technicians do broadband; a few specialise in appliances or home care."""
    if i % 10 == 9:
        return ["appliance_repair", "broadband_repair"]
    if i % 10 == 8:
        return ["home_care_care", "broadband_repair"]
    types = ["broadband_install", "broadband_move", "broadband_repair"]
    types += [t for t in TELECOM if t not in types and rng.random() < 0.55]
    return types


@transaction.atomic
def city_build(*, rng: random.Random, days: list[dt.date], technicians_per_area: int = 10) -> City:
    areas = [
        ServiceArea.objects.create(code=c, name=n, lat=lat, lon=lon) for c, n, lat, lon in AREAS
    ]
    for area in areas:
        stock_seed_for_area(area)  # deterministic: draws nothing from ``rng``
    techs: list[Technician] = []
    for a_idx, area in enumerate(areas):
        for i in range(technicians_per_area):
            n = a_idx * technicians_per_area + i + 1
            tech = Technician.objects.create(
                name=person_name(rng),
                badge_no=f"ZW{n:04d}",
                phone=f"1380028{n:04d}",
                area=area,
                home_lat=area.lat + rng.uniform(-0.02, 0.02),
                home_lon=area.lon + rng.uniform(-0.02, 0.02),
                max_jobs=7,
            )
            valid = days[-1] + dt.timedelta(days=365 if rng.random() > 0.03 else -30)
            Certification.objects.bulk_create(
                Certification(technician=tech, work_type=wt, valid_until=valid)
                for wt in _work_types(i, rng)
            )
            late = i % 10 in LATE_SHIFT
            start, end = SHIFTS[late]
            Shift.objects.bulk_create(
                Shift(
                    technician=tech,
                    date=day,
                    start=start,
                    end=end,
                    break_start=BREAKS[late][0],
                    break_end=BREAKS[late][1],
                    break_minutes=45,
                )
                for day in days
            )
            techs.append(tech)
    return City(areas=areas, technicians=techs)
