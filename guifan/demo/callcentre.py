"""The call centre on the demo's day (issue 14): a quality agent works the callback worklist
through the API with their own token, and the simulated customer answers from what the
technician really did (``FieldTeam.truth``), noticing each lapse only at a rate.

The agent is usually on time, sometimes late, and sometimes cannot reach the customer (an
attempt, then a retry); an unhappy answer books a re-visit, which the desk then arranges.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password

from guifan.apps.accounts.models import Role, User
from guifan.apps.accounts.services import api_token_create
from guifan.clock import at_local
from guifan.demo.api_client import Api

AGENT = "callcentre-1"  # the demo's call-centre agent (role quality)

# Which hidden lapse each survey question reveals (surveys.json "visit" form).
REVEALS: dict[str, tuple[str, ...]] = {
    "on_time": ("late_no_call",),
    "uniform_badge": ("no_uniform", "no_badge"),
    "grooming": ("untidy",),
    "shoe_covers_mat": ("no_shoe_covers", "no_mat"),
    "asked_before_moving": ("moved_without_asking",),
    "personal_calls": ("personal_call",),
    "used_your_phone": ("used_customer_phone",),
    "pried": ("pried",),
    "banned_behaviour": ("smoked_or_took",),
    "asked_for_anything": ("asked_for_tip",),
    "rude_words": ("rude_words",),
    "cleaned_up": ("not_cleaned",),
    "hazard_left": ("hazard_left",),
    "mandarin": ("dialect",),
    "surname": ("no_surname",),
    "explained_use": ("jargon",),
    "card_goodbye": ("no_card",),
    "asked_to_sign": ("not_asked_to_sign",),
    "signed_self": ("forged_signature",),
    "fixed": ("not_fixed",),
}


@dataclass(frozen=True, slots=True)
class Rates:
    late: float = 0.12  # the agent calls after the window
    unreachable: float = 0.15  # per dial: nobody answers
    max_attempts: int = 3
    notices: float = 0.6  # the customer noticed a lapse and says so
    unsure: float = 0.15  # a question the customer cannot answer ("不清楚")
    remote_not_fixed: float = 0.1
    books_revisit: float = 0.7  # of unhappy answers: the agent books a re-visit


class CallCentre:
    """``desk`` is the demo's Desk (agents.py, which imports this module): its runner, the
    field team's truth, and the desk's booking call for a re-visit."""

    def __init__(self, desk: Any, *, days: list[dt.date], rates: Rates | None = None) -> None:
        self.desk, self.r = desk, desk.r
        self.rates = rates or Rates()
        self.rng = random.Random(self.r.rng.randrange(2**31))
        self.planned: set[int] = set()
        self._api: Api | None = None
        for day in days:
            t = at_local(day, "08:00")
            while t < at_local(day, "20:00"):
                self.r.at(t, self._round)
                t += dt.timedelta(minutes=10)

    @property
    def api(self) -> Api:
        if self._api is None:
            user, _ = User.objects.get_or_create(
                username=AGENT,
                defaults={
                    "role": Role.QUALITY,
                    "first_name": "回访坐席",
                    "password": make_password(None),
                },
            )
            self._api = Api(api_token_create(user=user, name="callcentre"))
        return self._api

    def _round(self) -> None:
        """Look at the worklist; plan a call for each new callback (due first)."""
        rows = self.r.call(lambda: self.api.get("/callbacks", status="open"), "callbacks") or []
        now = self.r.clock.now()
        for row in rows:
            if row["id"] in self.planned:
                continue
            self.planned.add(row["id"])
            due = dt.datetime.fromisoformat(row["due_at"])
            window = max((due - now).total_seconds(), 60.0)
            if row["purpose"] == "audit":  # the audits of the day are worked the same day
                window = min(window, 4 * 3600.0)
            if self.rng.random() < self.rates.late:
                when = due + dt.timedelta(minutes=self.rng.uniform(10, 90))
            else:
                when = now + dt.timedelta(seconds=window * self.rng.uniform(0.1, 0.8))
            self.r.office(when, self._dialer(int(row["id"]), attempt=1), closes="20:00")

    def _dialer(self, callback_id: int, *, attempt: int) -> Any:
        return lambda: self._dial(callback_id, attempt)

    def _dial(self, callback_id: int, attempt: int) -> None:
        cb = self.r.call(lambda: self.api.get(f"/callbacks/{callback_id}"), "callback_read")
        if cb is None or cb["status"] != "open":
            return
        key = {"Idempotency-Key": f"demo-cb-{callback_id}-{attempt}"}
        path = f"/callbacks/{callback_id}/attempts"
        if attempt < self.rates.max_attempts and self.rng.random() < self.rates.unreachable:
            body = {"reached": False, "note": "无人接听"}
            self.r.call(lambda: self.api.post(path, body, **key), "callback_attempt")
            later = self.r.clock.now() + dt.timedelta(minutes=self.rng.uniform(20, 60))
            self.r.office(later, self._dialer(callback_id, attempt=attempt + 1))
            return
        answers = self._answers(cb)
        body = {
            "reached": True,
            "note": "客户已接听",
            "answers": answers,
            "form_version": cb["form"]["version"],
        }
        done = self.r.call(lambda: self.api.post(path, body, **key), "callback_answer")
        if done is None:
            return
        view = done["callback"]
        if view["outcome"] == "false_closure" or (
            view["outcome"] == "unhappy"
            and not view["revisit_booked"]
            and self.rng.random() < self.rates.books_revisit
            and self.r.call(
                lambda: self.api.post(
                    f"/callbacks/{callback_id}/revisit", {"reason": "客户不满意"}
                ),
                "callback_revisit",
            )
        ):
            self._rebook(int(cb["order_id"]))

    def _rebook(self, order_id: int) -> None:
        case = self.desk.cases.get(order_id)
        if case is None:
            return
        case.appointment_id = None
        later = self.r.clock.now() + dt.timedelta(minutes=30)
        self.r.office(later, lambda: self.desk._call(case, "reschedule"))

    def _answers(self, cb: dict[str, Any]) -> dict[str, Any]:
        """The customer's answers: from what really happened, each lapse noticed at a rate."""
        truth = self.desk.team.truth.get(int(cb["order_id"]), {})
        if cb["purpose"] == "remote_fix":
            truth = {"not_fixed": self.rng.random() < self.rates.remote_not_fixed}
        noticed = 0
        answers: dict[str, Any] = {}
        for q in cb["form"]["questions"]:
            qid = q["id"]
            if q["kind"] != "yes_no":
                continue
            keeping = q["keeps"][0] if q["keeps"] else True
            lapse = any(truth.get(name, False) for name in REVEALS.get(qid, ()))
            if lapse and (qid == "fixed" or self.rng.random() < self.rates.notices):
                answers[qid] = not keeping
                noticed += 1
            elif self.rng.random() < self.rates.unsure and qid not in ("came", "fixed"):
                answers[qid] = None
            else:
                answers[qid] = keeping
        if any(q["id"] == "satisfaction" for q in cb["form"]["questions"]):
            score = 5 if self.rng.random() < 0.75 else 4
            score = max(1, score - noticed)
            if truth.get("not_fixed"):
                score = min(score, 2)
            answers["satisfaction"] = score
        return answers


def callcentre_report() -> dict[str, Any]:
    """The ``quality_centre`` figures of the call centre: callbacks due / answered on time /
    late, unreachable attempts, audits and false closures."""
    from guifan.apps.callcentre.selectors import callback_summary

    return callback_summary()
