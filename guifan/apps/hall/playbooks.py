"""Emergency playbooks (HAL-11): a step list per emergency, and the record of each use.

The emergencies are the HAL-11 ``playbooks`` parameter; the steps are data here, adapted from
seed 002 (119 for fire, 120 for the ill, ask filming staff for their badge and letter, a
slippery-floor sign in rain and snow). Phone numbers come from the norm's parameters.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from guifan.apps.accounts.models import User
from guifan.apps.hall.access import hall_require
from guifan.apps.hall.models import Hall, PlaybookRun
from guifan.apps.norms.services import norm_check_record, norms_snapshot
from guifan.clock import now as clock_now
from guifan.errors import Conflict, NotFound, ValidationFailed
from guifan.norms import Verdict
from guifan.norms.reasons import reason

STEPS: dict[str, tuple[str, ...]] = {
    "fire": (
        "立即拨打{fire_number}报警，说明地址和火情",
        "停止营业，引导客户和员工从安全出口疏散",
        "切断电源，在确保安全时用灭火器扑救初起火灾",
        "清点人数，向上级报告",
        "保护现场，记录经过",
    ),
    "system / base-station outage": (
        "向客户说明系统故障并致歉，告知预计恢复时间",
        "报告上级和网管，记下故障开始时间",
        "在门口放置告示",
        "登记客户需求，恢复后优先办理或回电",
    ),
    "customer taken ill": (
        "立即拨打{ambulance_number}急救电话",
        "安排专人陪护，疏导围观客户",
        "联系客户家属",
        "协助急救人员，记录经过并上报",
    ),
    "power cut": (
        "启用应急照明，安抚客户",
        "保管好现金和单据，锁好柜台",
        "联系物业或供电部门查明原因，报告上级",
        "在门口放置告示，登记未办完的业务",
    ),
    "journalist interview": (
        "礼貌接待，请对方出示记者证和单位介绍信",
        "不擅自接受采访，立即报告上级宣传部门",
        "请对方到客户接待室等候",
        "记录来访人姓名、单位和采访内容",
    ),
    "unauthorised photos or filming": (
        "礼貌制止，询问来意",
        "自称公司员工的，请他出示工作证及公司介绍信",
        "拒不配合的报告上级，必要时报警",
        "记录经过",
    ),
    "rain and snow": (
        "在营业厅门口放置告示牌，提示客户小心路滑",
        "铺设防滑垫，及时清理积水",
        "提供便民伞和伞套",
        "检查门窗和电器安全",
    ),
}


@dataclass(frozen=True, slots=True)
class Playbook:
    kind: str
    steps: tuple[str, ...]


def playbooks() -> list[Playbook]:
    """The HAL-11 emergencies with their steps, numbers filled from the norm."""
    ns = norms_snapshot()
    numbers = {
        "fire_number": str(ns.param("HAL-11", "fire_number")),
        "ambulance_number": str(ns.param("HAL-11", "ambulance_number")),
    }
    kinds = ns.param("HAL-11", "playbooks")
    return [Playbook(k, tuple(s.format(**numbers) for s in STEPS.get(k, ()))) for k in kinds]


def playbook_get(kind: str) -> Playbook:
    found = next((p for p in playbooks() if p.kind == kind), None)
    if found is None:
        raise NotFound("playbook.not_found", f"没有预案 {kind!r}", field="kind")
    return found


@transaction.atomic
def playbook_start(*, hall: Hall, kind: str, by: User | None) -> PlaybookRun:
    """Start a playbook; one open use per emergency and hall."""
    hall_require(hall.id, by=by, error=NotFound("hall.not_found", "营业厅不存在", field="hall"))
    playbook_get(kind)
    if PlaybookRun.objects.filter(hall=hall, kind=kind, closed_at__isnull=True).exists():
        raise Conflict("playbook.open", "该预案已在执行中", field="kind")
    return PlaybookRun.objects.create(hall=hall, kind=kind, started_at=clock_now(), started_by=by)


def _open_run(run_id: int, hall: Hall, by: User | None) -> PlaybookRun:
    run = PlaybookRun.objects.select_for_update().filter(id=run_id, hall=hall).first()
    missing = NotFound("playbook.run_not_found", "预案记录不存在", field="run")
    if run is None:
        raise missing
    hall_require(hall.id, by=by, error=missing)
    if run.closed_at is not None:
        raise Conflict("playbook.closed", "该预案已结束", field="run")
    return run


@transaction.atomic
def playbook_step(
    *, run_id: int, hall: Hall, step: int, done: bool, by: User | None
) -> PlaybookRun:
    """Tick a step off (or un-tick it)."""
    run = _open_run(run_id, hall, by)
    if not 0 <= step < len(playbook_get(run.kind).steps):
        raise ValidationFailed("playbook.step", "没有这个步骤", field="step")
    ticked = set(run.done)
    if done:
        ticked.add(step)
    else:
        ticked.discard(step)
    run.done = sorted(ticked)
    run.save(update_fields=["done"])
    return run


@transaction.atomic
def playbook_close(*, run_id: int, hall: Hall, by: User | None) -> PlaybookRun:
    """End the use and record it against HAL-11: kept when every step was done."""
    run = _open_run(run_id, hall, by)
    total = len(playbook_get(run.kind).steps)
    now = clock_now()
    run.closed_at = now
    run.save(update_fields=["closed_at"])
    text = reason("hal11.playbook_steps", playbook=run.kind, done=len(run.done), total=total)
    verdict = (
        Verdict.keep("HAL-11", text, steps=total)
        if len(run.done) == total
        else Verdict.broke("HAL-11", text, steps=total, done=len(run.done))
    )
    norm_check_record(
        verdict=verdict, at=now, area_code=hall.code, person=by.username if by else ""
    )
    return run
