"""Orders arriving through the day, and how each customer will behave (seeded)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from guifan.clock import at_local
from guifan.demo.city import AREAS, person_name
from guifan.demo.orders13 import intake_extras

# (service_type, kind, weight, service minutes)
MIX = [
    ("broadband", "install", 28, 75),
    ("broadband", "move", 7, 90),
    ("broadband", "repair", 28, 45),
    ("fixed_line", "install", 3, 40),
    ("fixed_line", "repair", 5, 35),
    ("iptv", "install", 6, 50),
    ("iptv", "repair", 4, 40),
    ("ims", "install", 2, 40),
    ("ims", "repair", 2, 30),
    ("appliance", "repair", 9, 60),
    ("home_care", "care", 6, 60),
]
TIERS = [("diamond", 5), ("gold", 15), ("silver", 30), ("normal", 50)]
# What a tired agent might say: catalog phrases as speech recognition writes them down.
RUDE = [
    "我也不清楚啊",
    "不關我的事",
    "你问我,我问谁?",
    "不行就是不行",
    "刚才跟你说过了怎么还问",
    "这个问题不是我们的职责范围",
]
CUSTOMER_LINES = ["喂,你好。", "对,是我。", "明天下午可以吗?", "好的,麻烦你们了。", "嗯,知道了。"]
STREETS = [
    "春熙路",
    "红星路",
    "人民南路",
    "蜀都大道",
    "一环路",
    "建设路",
    "玉林路",
    "双林路",
    "府青路",
    "光华大道",
]
SYMPTOMS = {
    "install": "新装业务,客户要求尽快上门",
    "move": "移机到新住址",
    "repair": "无法上网/无信号,光猫红灯闪烁",
    "care": "定期上门照护服务",
}


@dataclass(slots=True)
class Behaviour:
    """How one customer and the people serving them will act (drawn once per order)."""

    unreachable_calls: int = 0
    reschedule_by_customer: bool = False
    reschedule_by_us: bool = False
    no_resource: bool = False
    resource_notice_hours: float = 2.0
    remote_resolves: bool = False
    callback_minutes: float = 20.0
    late_reconfirm: bool = False
    hour_window_at_booking: bool = False
    analysis_incomplete: bool = False
    traffic_delay_min: float = 0.0
    overrun_min: float = 0.0
    bring_back: bool = False
    escalates: bool = True
    duplicate_delivery: bool = False
    not_home: bool = False
    rude_phrase: str = ""
    skipped_line: int = -1
    preferred_half_day: str = "am"
    service_min: int = 60
    extras: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Arrival:
    at: dt.datetime
    body: dict[str, Any]
    behaviour: Behaviour


def _pick(rng: random.Random, table: list[tuple[Any, ...]]) -> tuple[Any, ...]:
    total = sum(row[2] if len(row) > 2 else row[1] for row in table)
    x = rng.uniform(0, total)
    for row in table:
        x -= row[2] if len(row) > 2 else row[1]
        if x <= 0:
            return row
    return table[-1]


def _arrival_minute(rng: random.Random) -> int:
    """Orders come mostly in office hours, peaking late morning and mid-afternoon."""
    hour = rng.choice(
        [7, 8, 9, 9, 10, 10, 10, 11, 11, 12, 13, 14, 14, 15, 15, 16, 16, 17, 18, 19, 20, 21]
    )
    return hour * 60 + rng.randrange(60)


def _behaviour(rng: random.Random, kind: str, service_type: str, service_min: int) -> Behaviour:
    b = Behaviour(service_min=service_min)
    b.unreachable_calls = 0 if rng.random() > 0.12 else rng.choice((1, 1, 2, 3))
    b.reschedule_by_customer = rng.random() < 0.05
    b.reschedule_by_us = rng.random() < 0.03
    b.no_resource = kind in ("install", "move") and rng.random() < 0.04
    b.resource_notice_hours = rng.choice((0.5, 2, 4, 8, 20, 30))
    b.remote_resolves = kind == "repair" and rng.random() < 0.25
    b.callback_minutes = rng.choice((10, 15, 20, 25, 28, 35, 50)) * (
        4 if service_type == "appliance" else 1
    )
    b.late_reconfirm = rng.random() < 0.08
    b.hour_window_at_booking = rng.random() < 0.3
    b.analysis_incomplete = rng.random() < 0.05
    b.traffic_delay_min = rng.gauss(0, 6) + (rng.uniform(20, 45) if rng.random() < 0.08 else 0)
    b.overrun_min = max(-10.0, rng.gauss(0, 12))
    b.bring_back = service_type == "appliance" and rng.random() < 0.25
    b.escalates = rng.random() < 0.8
    b.duplicate_delivery = rng.random() < 0.04
    b.preferred_half_day = rng.choice(("am", "pm", "pm"))
    b.not_home = rng.random() < 0.05
    if rng.random() < 0.05:
        b.rude_phrase = rng.choice(RUDE)
    if rng.random() < 0.12:
        b.skipped_line = rng.randrange(5)
    return b


def arrivals_generate(
    *, rng: random.Random, day: dt.date, count: int, start_seq: int = 0
) -> list[Arrival]:
    """``count`` orders arriving on ``day`` in time order, about 2 % malformed by the sender."""
    out = []
    for i in range(count):
        service_type, kind, _, service_min = _pick(rng, MIX)
        tier = _pick(rng, [(t, w, w) for t, w in TIERS])[0]
        code, _, lat, lon = rng.choice(AREAS)
        phone = f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"
        if rng.random() < 0.02:
            phone = phone[:7]  # a truncated number from the upstream CRM
        name = person_name(rng)
        body = {
            "external_id": f"CRM-{day:%Y%m%d}-{start_seq + i:05d}",
            "customer": {
                "name": name,
                "phone": phone,
                "tier": tier,
                "title": rng.choice(("先生", "女士")),
            },
            "address": {
                "text": f"成都市{rng.choice(STREETS)}{rng.randrange(1, 400)}号{rng.randrange(1, 30)}栋{rng.randrange(101, 2800)}室",
                "lat": lat + rng.uniform(-0.03, 0.03),
                "lon": lon + rng.uniform(-0.03, 0.03),
                "area": code,
            },
            "service_type": service_type,
            "kind": kind,
            "description": SYMPTOMS[kind],
            "requested_time": rng.choice(("尽快", "工作日上午", "周末", "下午")),
            "remote_possible": kind == "repair" and rng.random() < 0.45,
        }
        if service_type == "broadband":
            body["plan_mbps"] = rng.choice((100, 200, 300, 500, 1000))
        intake_extras(body, random.Random(f"o13:{body['external_id']}"))  # ORD-10, ORD-11
        at = at_local(day, "00:00") + dt.timedelta(
            minutes=_arrival_minute(rng), seconds=rng.randrange(60)
        )
        out.append(
            Arrival(at=at, body=body, behaviour=_behaviour(rng, kind, service_type, service_min))
        )
    out.sort(key=lambda a: a.at)
    return out
