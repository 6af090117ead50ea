"""The hall floor beyond the queue: the morning inspection, complaints, an emergency and the
midday handover.

The handover goes through the API. Inspections (HAL-09, HAL-01), complaints (HAL-08) and
playbooks (HAL-11) have no API endpoint yet (the hall pages call their services), so the
inspector and the duty manager call the services directly, as the pages do.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from functools import partial

from guifan.apps.accounts.models import Role, User
from guifan.apps.accounts.services import api_token_create
from guifan.apps.cases.hall import complaint_close, complaint_record
from guifan.apps.cases.models import ComplaintStatus, HallComplaint
from guifan.apps.hall.inspections import Measurements, checklist, inspection_record
from guifan.apps.hall.models import Hall
from guifan.apps.hall.playbooks import playbook_close, playbook_get, playbook_start, playbook_step
from guifan.apps.hall.posts import post_set
from guifan.apps.hall.star_zone import QUEUE_PRIORITY_ITEM, STAR_ZONE_ITEM, star_zone_record
from guifan.clock import at_local
from guifan.demo.api_client import Api
from guifan.demo.runner import Runner

INSPECTION_AT, HANDOVER_AT, EMERGENCY_AT = "08:30", "12:30", "14:10"
EMERGENCY = "customer taken ill"
STAR_ZONE_SLIP_RATE = 0.15  # per star-zone item of the inspection (HAL-01)
PLAYBOOK_STEP_MISSED_RATE = 0.4  # of emergencies, those with one step left unticked (HAL-11)
LATE_SHIFT = "hall-late"
# (time, promised reply in minutes, answered after minutes, how it is closed)
COMPLAINTS = [
    ("10:20", 60, 35, ComplaintStatus.REPLIED),
    ("11:40", 60, 95, ComplaintStatus.REPLIED),  # answered late: the reply timer breaks HAL-08
    ("15:05", 45, 20, ComplaintStatus.REFERRED),
    ("16:30", 60, 75, ComplaintStatus.ESCALATED),  # late too
]
OUTCOMES = {
    ComplaintStatus.REPLIED: "已向客户说明原因并办结",
    ComplaintStatus.REFERRED: "超出本厅权限，已引导客户拨打10000",
    ComplaintStatus.ESCALATED: "已上报区县分公司，并告知客户",
}


@dataclass(slots=True)
class HallFloor:
    runner: Runner
    rng: random.Random
    day: dt.date
    hall: Hall
    desk: User | None = None
    duty: User | None = None
    inspector: User | None = None
    handover: dict[int, str] = field(default_factory=dict)  # counter id -> username taking over
    taken: dict[int, Api] = field(default_factory=dict)  # handed over, the hall day not told yet
    desk_api: Api | None = None
    late_api: Api | None = None
    seed: int = 0  # for the floor's own random streams (the day's draws stay as they are)

    def setup(self, *, desk: User, desk_api: Api, first_counter: int) -> None:
        self.desk, self.desk_api = desk, desk_api
        self.duty = User.objects.create_user("hall-duty", role=Role.DUTY_MANAGER)
        self.inspector = User.objects.create_user("hall-inspector", role=Role.QUALITY)
        late = User.objects.create_user(LATE_SHIFT, role=Role.HALL_STAFF)
        for person in (self.duty, late):
            post_set(user=person, hall_code=self.hall.code)
        self.late_api = Api(api_token_create(user=late, name="late shift"))
        self.runner.at(at_local(self.day, INSPECTION_AT), self._inspect)
        self.runner.at(at_local(self.day, HANDOVER_AT), partial(self._handover_due, first_counter))
        self.runner.at(at_local(self.day, EMERGENCY_AT), self._emergency)
        for i, (at, promise, answer, status) in enumerate(COMPLAINTS):
            self.runner.at(
                at_local(self.day, at), partial(self._complain, i, promise, answer, status)
            )

    def _inspect(self) -> None:
        """The morning mystery-shopper inspection (HAL-09), with the star desk (HAL-01)."""
        answers: dict[int, str] = {}
        for item in checklist():
            slip = item.kind == "item" and item.no > 2 and self.rng.random() < 0.04
            if item.no in (STAR_ZONE_ITEM, QUEUE_PRIORITY_ITEM):
                # The star desk's sign taken down, or the kiosk's star numbers switched off:
                # drawn from the floor's own stream, so the day's other draws stay (HAL-01).
                own = random.Random(f"hal01:{self.seed}:{self.day.isoformat()}:{item.no}")
                slip = own.random() < STAR_ZONE_SLIP_RATE
            answers[item.no] = "broken" if slip else "kept"
        inspection = inspection_record(
            hall_code=self.hall.code,
            answers=answers,
            measurements=Measurements(
                temperature_c=round(self.rng.uniform(21, 26), 1),
                noise_db=round(self.rng.uniform(50, 66), 1),
                terminals_working=5,
                terminals_total=6,
            ),
            by=self.inspector,
        )
        star_zone_record(inspection_id=inspection.id, by=self.inspector)

    def _complain(self, i: int, promise: int, answer: int, status: str) -> None:
        """A complaint owned by the desk (first contact), closed after ``answer`` minutes."""
        assert self.desk is not None
        now = self.runner.clock.now()
        complaint = complaint_record(
            hall=self.hall,
            customer_name=f"顾客{i + 1}",
            customer_phone=f"1380000{1000 + i}",
            summary=("套餐资费与宣传不符", "办理宽带等候太久", "缴费未到账", "号码被停机")[i % 4],
            dispute=i == 1,
            reply_by=now + dt.timedelta(minutes=promise),
            by=self.desk,
        )
        self.runner.at(
            now + dt.timedelta(minutes=answer), partial(self._answer, complaint.id, status)
        )

    def _answer(self, complaint_id: int, status: str) -> None:
        assert self.desk is not None
        complaint_close(
            complaint_id=complaint_id,
            hall=self.hall,
            status=status,
            outcome=OUTCOMES[ComplaintStatus(status)],
            by=self.desk,
        )

    def _emergency(self) -> None:
        """A customer taken ill: the duty manager runs the playbook step by step (HAL-11)."""
        run = playbook_start(hall=self.hall, kind=EMERGENCY, by=self.duty)
        now = self.runner.clock.now()
        steps = len(playbook_get(EMERGENCY).steps)
        # In the rush the duty manager sometimes leaves one step unticked (HAL-11 broken).
        own = random.Random(f"hal11:{self.seed}:{self.day.isoformat()}")
        skipped = own.randrange(steps) if own.random() < PLAYBOOK_STEP_MISSED_RATE else None
        for step in range(steps):
            if step == skipped:
                continue
            self.runner.at(
                now + dt.timedelta(minutes=2 + 4 * step), partial(self._tick, run.id, step)
            )
        self.runner.at(now + dt.timedelta(minutes=4 + 4 * steps), partial(self._close, run.id))

    def _tick(self, run_id: int, step: int) -> None:
        playbook_step(run_id=run_id, hall=self.hall, step=step, done=True, by=self.duty)

    def _close(self, run_id: int) -> None:
        playbook_close(run_id=run_id, hall=self.hall, by=self.duty)

    def _handover_due(self, counter_id: int) -> None:
        """At midday the afternoon clerk arrives and asks to take over the first counter at
        once: refused while a customer is in hand (HAL-10), so it is done between customers."""
        self.handover[counter_id] = LATE_SHIFT
        taken = self._hand_over(counter_id, LATE_SHIFT)
        if taken is not None:
            del self.handover[counter_id]
            self.taken[counter_id] = taken

    def hand_over_if_due(self, counter_id: int) -> Api | None:
        """Hand the counter over now if due (the counter is between customers, HAL-10);
        the API of whoever staffs it from now on."""
        taken = self.taken.pop(counter_id, None)
        if taken is not None:
            return taken
        to = self.handover.pop(counter_id, None)
        return None if to is None else self._hand_over(counter_id, to)

    def _hand_over(self, counter_id: int, to: str) -> Api | None:
        if self.desk_api is None:
            return None
        api = self.desk_api
        pending = [
            f"{c.customer_name}：{c.summary}"
            for c in HallComplaint.objects.filter(
                hall=self.hall, owner=self.desk, status=ComplaintStatus.OPEN
            ).order_by("id")
        ]
        body = {"to_username": to, "pending_replies": pending}
        path = f"/halls/{self.hall.code}/counters/{counter_id}/handover"
        done = self.runner.call(lambda: api.post(path, body), "handover")
        return self.late_api if done else None
