"""The people of the city day: the dispatch desk, technicians and customers, acting via the API."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from functools import partial
from typing import Any

from guifan.apps.orders.selectors import appointment_day_list
from guifan.apps.timers.models import Timer
from guifan.apps.workforce.models import Technician
from guifan.clock import ZONE, at_local, local
from guifan.demo import care, evaluation, stock
from guifan.demo import orders13 as o13
from guifan.demo.asr import Speech
from guifan.demo.assessment import Assessment
from guifan.demo.callcentre import CallCentre
from guifan.demo.cases import CaseDesk
from guifan.demo.runner import Runner
from guifan.demo.scenario import CUSTOMER_LINES, Arrival, Behaviour
from guifan.demo.visit import FieldTeam

BRING_BACK_FORM = {
    "device_configuration": "i5/16G/512G 固态硬盘",
    "data_backup_confirmed": True,
    "exterior_condition": "外壳完好，屏幕无划痕",
    "reason": "主板故障，需返厂检测",
    "customer_signature": "data:image/png;base64,iVBORw0KGgo=",
}
EVENING_WISH_RATE = 0.04  # of bookings: the desk first tries the customer's 20:00 wish
# Of our own reschedules: the desk moves the visit before asking the customer (APT-06).
RESCHEDULE_UNASKED_RATE = 0.4
CANCEL_UNTOLD_RATE = 0.5  # ORD-05: closes a no-resource order before the customer is told
# Of same-day appliance repairs: the desk, in a hurry, sends a technician of the area by hand
# at once without looking at certificates (DSP-05 judges), before the planning round.
HAND_ASSIGN_RATE = 0.5
FIRST_CONTACT_DELAY_MIN = {
    "diamond": (10, 110),
    "gold": (15, 230),
    "silver": (20, 420),
    "normal": (30, 900),
}


@dataclass(slots=True)
class Case:
    order_id: int
    arrival: Arrival
    appointment_id: int | None = None
    calls_to_fail: int = 0

    @property
    def b(self) -> Behaviour:
        return self.arrival.behaviour

    @property
    def kind(self) -> str:
        return str(self.arrival.body["kind"])


class Desk:
    """Everyone who acts on orders, each through the same API a person's screen would use."""

    def __init__(self, runner: Runner, *, areas: list[str], days: list[dt.date]) -> None:
        self.r = runner
        self.api = runner.api
        self.cases: dict[int, Case] = {}
        self.areas = areas
        self.rounds: set[tuple[str, str]] = set()
        self.tech_free: dict[int, dt.datetime] = {}
        self.team = FieldTeam(runner)
        self.callcentre = CallCentre(self, days=days)  # callbacks and audits (issue 14)
        self.case_desk = CaseDesk(runner, self.team, days)  # QA-02, QA-03, QA-05 (issue 14)
        # Customer-side exceptions at the door and the home-care agreements (seed 003).
        self.care_rng = random.Random(runner.rng.randrange(2**31))
        self.care_rates = care.Rates()
        self.speech = Speech(hash(runner.rng.getstate()[1]))  # own stream: the day is unchanged
        generate = care.care_on_generate(self.api, self.order_created)
        runner.on_timer["care.generate"] = lambda t: runner.call(lambda: generate(t), "care")
        runner.at(
            at_local(days[0], "06:30"),
            lambda: runner.call(
                lambda: care.care_agreements_setup(self.api, self.care_rng, days[0]), "care"
            ),
        )
        self.evaluators = evaluation.evaluators_setup(runner, days[1])  # issue 14: evaluators
        self.assessment = Assessment(runner, days=days)  # quality centre: STF-04/06, QA-08
        runner.on_timer["apt08.retry"] = self._on_retry
        runner.on_timer["qa04.warn"] = self._on_escalation_warning
        runner.on_timer["dsp04.late_check"] = self._on_late_risk
        for day in days:
            for code in areas:
                runner.at(at_local(day, "07:00"), self._plan(code, day))
                runner.at(at_local(day, "12:30"), self._plan(code, day))
            runner.at(at_local(day, "07:30"), self._reconfirm_round(day))

    # intake and analysis -------------------------------------------------------------
    def order_created(self, order_id: int, arrival: Arrival) -> None:
        case = Case(order_id, arrival, calls_to_fail=arrival.behaviour.unreachable_calls)
        self.cases[order_id] = case
        now = self.r.clock.now()
        self.r.office(
            now + dt.timedelta(minutes=self.r.rng.uniform(5, 30)), lambda: self._analyse(case)
        )

    def _analyse(self, case: Case) -> None:
        checklist = [
            "probable_cause",
            "repair_measures",
            "spares_needed",
            "fixable_on_site",
            "charge_or_agreement",
            "consulted_if_unfamiliar",
        ]
        answers = {k: "已核实" for k in checklist[: 3 if case.b.analysis_incomplete else 6]}
        if (
            self.r.call(
                lambda: self.api.post(f"/orders/{case.order_id}/analysis", {"analysis": answers}),
                "analysis",
            )
            is None
        ):
            return
        now = self.r.clock.now()
        if case.kind == "repair" and case.arrival.body["remote_possible"]:
            self._remote(case)
            return
        self.r.call(
            lambda: self.api.post(
                f"/orders/{case.order_id}/transitions", {"action": "await_appointment"}
            ),
            "await",
        )
        if case.kind == "repair":  # ORD-04: the part the analysis needs, requisitioned
            case.b.extras["part"] = stock.requisition_after_analysis(
                self.api,
                case.order_id,
                stock.order_rng(case.order_id, "analysis"),
                stock.RATES,
                area=str(case.arrival.body["address"]["area"]),
                service_type=str(case.arrival.body["service_type"]),
                schedule=self.r.office,
                now=now,
            )
        if case.b.no_resource:
            self._no_resource(case)
            return
        lo, hi = FIRST_CONTACT_DELAY_MIN[case.arrival.body["customer"]["tier"]]
        self.r.office(
            now + dt.timedelta(minutes=self.r.rng.uniform(lo, hi)),
            lambda: self._call(case, "first_contact"),
        )

    def _remote(self, case: Case) -> None:
        resolved = case.b.remote_resolves
        self.r.call(
            lambda: self.api.post(f"/orders/{case.order_id}/remote", {"resolved": resolved}),
            "remote",
        )
        if not resolved:
            self.r.office(
                self.r.clock.now() + dt.timedelta(minutes=10),
                lambda: self._call(case, "first_contact"),
            )
            return
        # Resolved: the ORD-03 callback is on the call centre's worklist (demo/callcentre.py).

    def _no_resource(self, case: Case) -> None:
        reg = {
            "line": "楼道无光纤",
            "port_equipment": "分光器端口已满",
            "address": str(case.arrival.body["address"]["text"]),
        }
        self.r.call(
            lambda: self.api.post(f"/orders/{case.order_id}/resource-missing", reg), "resource"
        )

        def notify_and_close() -> None:
            cancel = {"action": "cancel", "reason": "no_resource"}
            if random.Random(f"ord05:{case.order_id}").random() < CANCEL_UNTOLD_RATE:
                # In a hurry the desk closes before telling the customer: ORD-05 refuses.
                path = f"/orders/{case.order_id}/transitions"
                self.r.call(lambda: self.api.post(path, cancel), "cancel_untold")
            body = {"channel": "call", "purpose": "resource_notice", "outcome": "answered"}
            self.r.call(
                lambda: self.api.post(f"/orders/{case.order_id}/contacts", body), "resource_notice"
            )
            self.r.call(
                lambda: self.api.post(f"/orders/{case.order_id}/transitions", cancel), "cancel"
            )

        self.r.office(
            self.r.clock.now() + dt.timedelta(hours=case.b.resource_notice_hours), notify_and_close
        )

    # calls and booking ---------------------------------------------------------------
    def _call(self, case: Case, purpose: str) -> None:
        if case.calls_to_fail > 0:
            case.calls_to_fail -= 1
            outcome = self.r.rng.choice(("no_answer", "busy"))
            body: dict[str, Any] = {"channel": "call", "purpose": purpose, "outcome": outcome}
            if case.appointment_id:
                body["appointment_id"] = case.appointment_id
            self.r.call(lambda: self.api.post(f"/orders/{case.order_id}/contacts", body), "call")
            return
        if purpose in ("first_contact", "reschedule"):
            # The desk needs the full number to dial: a logged reveal (SEC-01).
            self.r.call(lambda: self.api.get(f"/orders/{case.order_id}/phone"), "phone")
            body = {"channel": "call", "purpose": purpose, "outcome": "answered"}
            body["confirmed"] = o13.booking_confirmation(
                o13.rng_for(case.order_id, purpose), o13.RATES, case.arrival.body
            )  # APT-10
            contact = self.r.call(
                lambda: self.api.post(f"/orders/{case.order_id}/contacts", body), "call"
            )
            self._transcript(case, "booking", "phone", contact)
            self._book(case)
        else:
            self._reconfirm(case)

    def _on_retry(self, timer: Timer) -> None:
        case = self.cases.get(int(timer.order_id or 0))
        if case is None:
            return
        purpose = str(timer.payload.get("purpose", "first_contact"))
        if purpose == "reconfirm" and case.appointment_id is None:
            return
        self.r.office(
            self.r.clock.now() + dt.timedelta(minutes=1), lambda: self._call(case, purpose)
        )

    def _book(self, case: Case) -> None:
        now = local(self.r.clock.now())
        # The customer asks for an evening after work and the desk tries it first: APT-03
        # refuses, the refusal is remembered against the desk, and the desk books in hours.
        wish = random.Random(f"apt03:{case.order_id}")
        if wish.random() < EVENING_WISH_RATE:
            evening = at_local(now.date() + dt.timedelta(days=2), wish.choice(("20:00", "20:30")))
            self.r.call(
                lambda: self.api.post(
                    f"/orders/{case.order_id}/appointments",
                    {"window_start": evening.isoformat()},
                ),
                "book",
            )
        if case.kind == "repair":
            start = (now + dt.timedelta(minutes=90)).replace(minute=0, second=0, microsecond=0)
            if start.hour >= 17 or start.hour < 9:
                day = now.date() + dt.timedelta(
                    days=1 if start.hour >= 17 or start.date() > now.date() else 0
                )
                start = at_local(day, f"{self.r.rng.choice((9, 10, 11, 14, 15)):02d}:00")
            body: dict[str, Any] = {"window_start": start.isoformat()}
        else:
            slots = (
                self.r.call(lambda: self.api.get(f"/orders/{case.order_id}/slots", days=3), "slots")
                or []
            )
            pref = [s for s in slots if s["half_day"] == case.b.preferred_half_day] or slots
            if not pref:
                return
            first_day = pref[0]["start"][:10]
            same_day = [s for s in pref if s["start"][:10] == first_day]
            slot = self.r.rng.choice(same_day)
            half_day_start = "08:00" if slot["half_day"] == "am" else "13:00"
            whole_half_day = any(
                s["start"][11:16] == half_day_start and s["start"][:10] == first_day
                for s in same_day
            )
            if case.b.hour_window_at_booking or not whole_half_day:
                body = {"window_start": slot["start"], "window_end": slot["end"]}
            else:
                body = {"date": first_day, "half_day": slot["half_day"]}
        appt = self.r.call(
            lambda: self.api.post(f"/orders/{case.order_id}/appointments", body), "book"
        )
        if appt:
            case.appointment_id = int(appt["id"])
            self._maybe_plan_same_day(case, appt)

    def _maybe_plan_same_day(self, case: Case, appt: dict[str, Any]) -> None:
        """Same-day visits are planned in the desk's next half-hourly planning round."""
        now = local(self.r.clock.now())
        day = dt.date.fromisoformat(appt["date"])
        if day != now.date() or now.hour < 7:
            return
        area = str(case.arrival.body["address"]["area"])
        self._maybe_hand_assign(case, appt, area)
        slot = now.replace(minute=30 if now.minute < 30 else 0, second=0, microsecond=0)
        if now.minute >= 30:
            slot += dt.timedelta(hours=1)
        key = (area, slot.isoformat())
        if key not in self.rounds:
            self.rounds.add(key)
            self.r.at(slot, self._plan(area, day))

    def _maybe_hand_assign(self, case: Case, appt: dict[str, Any], area: str) -> None:
        rng = random.Random(f"dsp05:{case.order_id}")  # its own stream, as the others
        if case.arrival.body["service_type"] != "appliance" or rng.random() >= HAND_ASSIGN_RATE:
            return
        ids = list(
            Technician.objects.filter(area__code=area, active=True)
            .order_by("badge_no")
            .values_list("id", flat=True)
        )
        order = self.r.call(lambda: self.api.get(f"/orders/{case.order_id}"), "read")
        if not ids or not order:
            return
        start = dt.datetime.fromisoformat(appt["window_start"])
        body = {
            "technician_id": rng.choice(ids),
            "planned_arrival": (start - dt.timedelta(minutes=7)).isoformat(),
            "version": order["version"],
        }
        self.r.call(lambda: self.api.post(f"/orders/{case.order_id}/assign", body), "assign")

    # the day of the visit ------------------------------------------------------------
    def _plan(self, area: str, day: dt.date) -> Any:
        def act() -> None:
            self.r.call(
                lambda: self.api.post("/dispatch/plans", {"area": area, "date": day.isoformat()}),
                "plan",
            )
            self._follow_plan(area, day)

        return act

    def _reconfirm_round(self, day: dt.date) -> Any:
        def act() -> None:
            due = {
                a["order_id"]: a
                for code in self.areas
                for a in appointment_day_list(area_code=code, day=day)
                if not a["confirmed_at"]
            }
            for order_id in sorted(due):
                case = self.cases.get(order_id)
                if case is None:
                    continue
                late = case.b.late_reconfirm
                minutes = self.r.rng.uniform(100, 180) if late else self.r.rng.uniform(5, 80)
                self.r.at(
                    self.r.clock.now() + dt.timedelta(minutes=minutes),
                    partial(self._call, case, "reconfirm"),
                )

        return act

    def _appointment(self, case: Case, status: str = "active") -> dict[str, Any] | None:
        if case.appointment_id is None:
            return None
        appointments = self.r.call(
            lambda: self.api.get(f"/orders/{case.order_id}/appointments"), "read"
        )
        for a in appointments or []:
            if a["id"] == case.appointment_id and a["status"] == status:
                return dict(a)
        return None

    def _reconfirm(self, case: Case) -> None:
        appt = self._appointment(case)
        if appt is None:
            return
        path = f"/orders/{case.order_id}/appointments/{case.appointment_id}"
        if case.b.reschedule_by_customer or case.b.reschedule_by_us:
            self._reschedule(case, path, appt)
            return
        body: dict[str, Any] = {"channel": "call"}
        start = dt.datetime.fromisoformat(appt["window_start"]).astimezone(ZONE)
        end = dt.datetime.fromisoformat(appt["window_end"]).astimezone(ZONE)
        if end - start > dt.timedelta(hours=1):
            anchor = (
                dt.datetime.fromisoformat(appt["planned_arrival"]).astimezone(ZONE)
                if appt["planned_arrival"]
                else start
            )
            hour = max(
                start,
                min(anchor.replace(minute=0, second=0, microsecond=0), end - dt.timedelta(hours=1)),
            )
            if anchor.minute > 45 and hour + dt.timedelta(hours=2) <= end:
                hour += dt.timedelta(hours=1)
            body.update(
                window_start=hour.isoformat(), window_end=(hour + dt.timedelta(hours=1)).isoformat()
            )
        self.r.call(lambda: self.api.post(f"{path}/confirm", body), "confirm")

    def _reschedule(self, case: Case, path: str, appt: dict[str, Any]) -> None:
        by_us = case.b.reschedule_by_us
        case.b.reschedule_by_us = case.b.reschedule_by_customer = False
        day = dt.date.fromisoformat(appt["date"]) + dt.timedelta(days=1)
        body: dict[str, Any] = {
            "initiator": "provider" if by_us else "customer",
            "date": day.isoformat(),
            "half_day": "pm",
        }
        if by_us:
            body.update(reason_code="schedule conflict", consent=True)
            # Its own stream: the rest of the day draws the same numbers either way.
            if random.Random(f"apt06:{case.order_id}").random() < RESCHEDULE_UNASKED_RATE:
                unasked = {**body, "consent": False}
                self.r.call(lambda: self.api.post(f"{path}/reschedule", unasked), "reschedule")
        new = self.r.call(lambda: self.api.post(f"{path}/reschedule", body), "reschedule")
        if new:
            case.appointment_id = int(new["id"])

    def _follow_plan(self, area: str, day: dt.date) -> None:
        """Each newly dispatched visit: depart, arrive (traffic), serve (overrun), finish."""
        for row in appointment_day_list(area_code=area, day=day):
            case = self.cases.get(row["order_id"])
            if case is None or row["id"] != case.appointment_id or not row["planned_arrival"]:
                continue
            if case.b.extras.get("following") == case.appointment_id:
                continue
            appt = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}
            case.b.extras["following"] = case.appointment_id
            planned = appt["planned_departure"] or appt["planned_arrival"]
            depart = dt.datetime.fromisoformat(planned)
            self.r.at(max(depart, self.r.clock.now()), partial(self._depart, case, appt))

    def _depart(self, case: Case, appt: dict[str, Any]) -> None:
        tech = int(appt["technician_id"])
        now = self.r.clock.now()
        start_at = max(now, self.tech_free.get(tech, now))
        if start_at > now:
            self.r.at(start_at, lambda: self._depart(case, appt))
            return
        # DSP-06 / ORD-11: the kit check (and a joint crew's contact) before setting off.
        if o13.depart_trip(self, case, tech) is None:
            return
        planned = dt.datetime.fromisoformat(appt["planned_arrival"])
        arrive = max(
            now + dt.timedelta(minutes=5), planned + dt.timedelta(minutes=case.b.traffic_delay_min)
        )
        self.tech_free[tech] = arrive + dt.timedelta(hours=3)
        window_end = dt.datetime.fromisoformat(appt["window_end"])
        if arrive > window_end and case.b.escalates and not case.b.extras.get("late_called"):
            self._late_call(case, "交通拥堵,预计晚到")
        self.r.at(arrive, lambda: self._arrive(case, appt, tech))

    def _arrive(self, case: Case, appt: dict[str, Any], tech: int) -> None:
        arrived = self.team.trip(tech, case.order_id, "arrive")
        if arrived is None:
            return
        o13.after_arrival(self, case, tech)  # ORD-09 activation, ORD-10 removal
        if case.b.not_home:
            self._not_home(case, tech)
            return
        api = self.team.api(tech)
        kind = care.exception_on_site(
            api, case.order_id, int(arrived["version"]), self.care_rng, self.care_rates
        )
        state = (
            self.r.call(lambda: api.get(f"/visits/{case.order_id}"), "visit_read") if kind else None
        )
        if state is not None and state["status"] != "on_site":
            # Refused entry, power cut, staff in danger …: the desk re-books with the customer.
            self.tech_free[tech] = self.r.clock.now() + dt.timedelta(minutes=15)
            self.r.office(
                self.r.clock.now() + dt.timedelta(hours=2), lambda: self._call(case, "reschedule")
            )
            return
        parts = stock.PARTS.get(str(case.arrival.body["service_type"]), ())
        if case.kind == "repair" and parts:
            # ORD-04: a part missing on site is requisitioned at once; the visit may end here.
            ended = stock.part_missing_on_site(
                api,
                case.order_id,
                stock.order_rng(case.order_id, "on_site"),
                stock.RATES,
                code=str(case.b.extras.get("part") or parts[0]),
                schedule=self.r.at,
                now=self.r.clock.now(),
                rebook=lambda: self._call(case, "reschedule"),
            )
            if ended:
                self.tech_free[tech] = self.r.clock.now() + dt.timedelta(minutes=15)
                return
        current = self._appointment(case, status="done") or appt
        window_start = dt.datetime.fromisoformat(current["window_start"])
        begin = max(self.r.clock.now(), window_start)
        done = begin + dt.timedelta(minutes=max(15.0, case.b.service_min + case.b.overrun_min))
        self.tech_free[tech] = done
        self.team.work(
            tech,
            case.order_id,
            begin=self.r.clock.now(),
            done=done,
            then=lambda ok: self._finish(case, ok),
            bring_back=BRING_BACK_FORM if case.b.bring_back else None,
        )

    def _not_home(self, case: Case, tech: int) -> None:
        """Nobody opens: the door protocol (VIS-03), then re-book with the customer."""
        case.b.not_home = False
        name = str(case.arrival.body["customer"]["name"])[:1] + "师傅"

        def rebook() -> None:
            self.tech_free[tech] = self.r.clock.now() + dt.timedelta(minutes=10)
            self.r.office(
                self.r.clock.now() + dt.timedelta(hours=2), lambda: self._call(case, "reschedule")
            )

        self.team.door(tech, case.order_id, name, rebook)

    def _finish(self, case: Case, completed: bool) -> None:
        oid = case.order_id
        if not completed:
            if case.b.bring_back:  # ORD-07: the receipt, a loaner, the return scheduled
                order = self.r.call(lambda: self.api.get(f"/orders/{oid}"), "read")
                if order and order["status"] == "bring_back":  # taken under ORD-06
                    stock.bring_back_with_loaner(
                        self.api,
                        oid,
                        stock.order_rng(oid, "bring_back"),
                        stock.RATES,
                        area=str(case.arrival.body["address"]["area"]),
                        schedule=self.r.at,
                        now=self.r.clock.now(),
                        end=self.r.end,
                    )
            return
        self._transcript(case, "visit", "visit", None)

        def callback() -> None:
            agreed = case.kind == "care" and self.r.call(
                lambda: self.api.get("/care/agreements", order_id=oid), "care"
            )
            if agreed:  # a home-care visit: the feedback call agrees the next one (seed 003)
                self.r.call(lambda: care.care_feedback(self.api, oid, self.care_rng), "care")
                return
            body = {"channel": "call", "purpose": "callback", "outcome": "answered"}
            self.r.call(lambda: self.api.post(f"/orders/{oid}/contacts", body), "callback")
            self.r.call(
                lambda: self.api.post(f"/orders/{oid}/transitions", {"action": "close"}), "close"
            )

        self.r.office(
            self.r.clock.now() + dt.timedelta(minutes=self.r.rng.uniform(30, 240)), callback
        )

    def _transcript(
        self, case: Case, moment: str, channel: str, contact: dict[str, Any] | None
    ) -> None:
        """What was said, as the operator's speech system transcribes it, checked by the API.

        A visit is the arrival, testing and leaving scripts in one conversation.
        """
        customer = case.arrival.body["customer"]
        staff: list[str] = []
        for m in ("arrival", "testing", "leaving") if channel == "visit" else (moment,):
            get = partial(self.api.get, f"/scripts/{m}", **self.speech.address(customer))
            script = self.r.call(get, "script")
            staff += script["lines"] if script else []
        staff = [line for i, line in enumerate(staff) if i != case.b.skipped_line]
        if case.b.rude_phrase:
            staff.insert(min(2, len(staff)), f"这个嘛,{self.speech.rude(case.b.rude_phrase)}。")
            case.b.rude_phrase = ""
        staff, asks, extra = self.speech.dress(staff, channel)
        turns: list[dict[str, str]] = []
        said = [*asks, *CUSTOMER_LINES]
        for i, line in enumerate(staff):
            turns.append({"speaker": "staff", "text": line})
            if i < len(said):
                turns.append({"speaker": "customer", "text": said[i]})
        body: dict[str, Any] = {"channel": channel, "moment": moment, "turns": turns, **extra}
        if contact:
            body["contact_id"] = contact["id"]
        self.r.call(
            lambda: self.api.post(f"/orders/{case.order_id}/transcripts", body), "transcript"
        )

    def _late_call(self, case: Case, why: str) -> None:
        case.b.extras["late_called"] = True
        body = {"channel": "call", "purpose": "late_notice", "outcome": "answered", "body": why}
        self.r.call(lambda: self.api.post(f"/orders/{case.order_id}/contacts", body), "late_notice")

    def _on_late_risk(self, timer: Timer) -> None:
        """The phone app says the next visit will be late: most technicians call at once."""
        case = self.cases.get(int(timer.order_id or 0))
        if case is None or not timer.result.get("at_risk") or not case.b.escalates:
            return
        self._late_call(case, "上一单超时,预计晚到,向您致歉")

    def _on_escalation_warning(self, timer: Timer) -> None:
        case = self.cases.get(int(timer.order_id or 0))
        if case is None or not case.b.escalates:
            return
        body = {
            "reason_code": self.r.rng.choice(("hard fault", "customer unreachable", "resource")),
            "note": "时限内无法修复,已报备",
        }
        self.r.at(
            self.r.clock.now() + dt.timedelta(minutes=5),
            lambda: self.r.call(
                lambda: self.api.post(f"/orders/{case.order_id}/escalations", body), "escalate"
            ),
        )
