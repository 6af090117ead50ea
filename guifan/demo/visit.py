"""The technician on site: the trip, the door, the checklist with its evidence, completion.

Every action goes through the technician's own token and the same ``/api/v1/visits``
endpoints the phone app uses. Behaviour is drawn from ``VisitRates``: a technician sometimes
skips or forgets a step, fails a self-check item, forgets the label's photo, tries to finish
before the work sheet, or gets a slow line; the product's rules decide each verdict.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PIL import Image

from guifan.apps.accounts.models import User
from guifan.apps.accounts.services import api_token_create
from guifan.apps.fieldwork.checklist import ChecklistStep, checklist_for
from guifan.apps.workforce.models import Technician
from guifan.demo.api_client import Api
from guifan.demo.runner import Runner

SELF_CHECK = ("uniform", "badge", "grooming", "smiling", "materials")
KNOWLEDGE_QUERIES = (
    "拨号 691",
    "宽带掉线",
    "网速慢",
    "光猫红灯闪烁",
    "机顶盒 无信号",
    "电话 无拨号音",
)
SKIP_REASONS = ("客户赶时间，要求从简", "现场条件不具备", "客户表示不需要")
# Of devices taken back: the technician first sends the form before the customer signed it
# (ORD-06 refuses), then has it signed.
UNSIGNED_BRING_BACK_RATE = 0.35
# SEC-01: after closing a visit a technician now and then asks for the customer's full number
# again (to message them from a private phone); the product refuses and remembers.
PHONE_AFTER_CLOSE_RATE = 0.04

# What a technician really does that the app does not record (issue 14): per visit, drawn at
# these rates into ``FieldTeam.truth``; only the customer's answers on a callback reveal them.
HIDDEN_LAPSES: tuple[tuple[str, float], ...] = (
    ("late_no_call", 0.06),
    ("no_uniform", 0.04),
    ("no_badge", 0.04),
    ("untidy", 0.04),
    ("no_shoe_covers", 0.08),
    ("no_mat", 0.06),
    ("moved_without_asking", 0.05),
    ("personal_call", 0.08),
    ("used_customer_phone", 0.02),
    ("pried", 0.03),
    ("smoked_or_took", 0.02),
    ("asked_for_tip", 0.03),
    ("rude_words", 0.02),
    ("not_cleaned", 0.05),
    ("hazard_left", 0.02),
    ("dialect", 0.03),
    ("no_surname", 0.10),
    ("jargon", 0.08),
    ("no_card", 0.06),
    ("not_asked_to_sign", 0.03),
    ("forged_signature", 0.04),
    ("not_fixed", 0.06),
)


@dataclass(frozen=True, slots=True)
class VisitRates:
    """How often a technician departs from the standard (per visit unless said per step)."""

    skip_assisted_step: float = 0.04  # per assisted step: skipped with a reason
    forget_assisted_step: float = 0.02  # per assisted step: never recorded
    self_check_item_fails: float = 0.02  # per self-check item
    gate_id_not_shown: float = 0.03
    label_photo_missing: float = 0.06
    speed_below_plan: float = 0.07  # the first speed test misses the subscribed rate
    complete_before_work_sheet: float = 0.05  # tries to finish, refused, then fills it in
    generic_complete_attempt: float = 0.02  # tries the generic transition: refused
    work_before_greeting: float = 0.02  # starts work before the badge and order check
    rating_not_asked: float = 0.03
    looks_up_knowledge: float = 0.3  # of repairs: searches the fault knowledge base on site
    charge_without_consent: float = 0.15  # of chargeable jobs: first entered without consent
    data_risk_unsigned: float = 0.1  # of disk work: first recorded without the signature
    boundary_not_explained: float = 0.03
    not_asked_what_else: float = 0.05
    customer_tried_skipped: float = 0.03
    customer_will_not_sign: float = 0.08
    chargeable_appliance: float = 0.5
    door_call_too_soon: float = 0.3  # of nobody-home doors: phones before the wait is over
    door_no_neighbour: float = 0.2
    ratings: tuple[tuple[int, float], ...] = ((5, 0.70), (4, 0.18), (3, 0.07), (2, 0.03), (1, 0.02))
    hidden: tuple[tuple[str, float], ...] = HIDDEN_LAPSES  # what the app does not see
    fix_uncertain: float = 0.05  # says the fix may not hold (QA-01); 0.5 when it did not


def _png(color: str) -> str:
    out = io.BytesIO()
    Image.new("RGB", (48, 32), color).save(out, format="PNG")
    return base64.b64encode(out.getvalue()).decode()


@dataclass(slots=True)
class OnSite:
    """One visit being worked: the order's version and what this technician will do."""

    order_id: int
    service_type: str
    kind: str
    plan_mbps: int | None
    version: int
    rng: random.Random
    photos: dict[str, int] = field(default_factory=dict)


class FieldTeam:
    """The city's technicians, each acting through their own token."""

    def __init__(self, runner: Runner, *, rates: VisitRates | None = None) -> None:
        self.r = runner
        self.rates = rates or VisitRates()
        self._apis: dict[int, Api] = {}
        self._seed = runner.rng.randrange(2**31)
        self._label_png = _png("white")
        self._sign_png = _png("navy")
        # order -> what the technician really did beyond what the app records (issue 14)
        self.truth: dict[int, dict[str, bool]] = {}

    def api(self, technician_id: int) -> Api:
        if technician_id not in self._apis:
            tech = Technician.objects.select_related("user").get(pk=technician_id)
            user = tech.user or _user_for(tech)
            self._apis[technician_id] = Api(api_token_create(user=user, name="phone"))
        return self._apis[technician_id]

    def calls(self) -> int:
        return sum(a.calls for a in self._apis.values())

    # the trip ------------------------------------------------------------------------
    def trip(self, technician_id: int, order_id: int, action: str) -> dict[str, Any] | None:
        api = self.api(technician_id)
        state = self.r.call(lambda: api.get(f"/visits/{order_id}"), "visit_read")
        if state is None:
            return None
        body = {"action": action, "version": state["version"]}
        return self.r.call(lambda: api.post(f"/visits/{order_id}/trip", body), action)  # type: ignore[no-any-return]

    # nobody home (VIS-03) ------------------------------------------------------------
    def door(self, technician_id: int, order_id: int, name: str, then: Callable[[], None]) -> None:
        """Knock, repeat, call, ask a neighbour, leave the note: each tap's time as it
        happens; the app sends the protocol when the technician leaves."""
        api = self.api(technician_id)
        rng = random.Random(self._seed + order_id)
        now = self.r.clock.now()
        wait = 2.0 if rng.random() < self.rates.door_call_too_soon else 3.0 + rng.random()
        events: list[dict[str, Any]] = []
        t = now
        while (t - now).total_seconds() < wait * 60:
            events.append({"kind": "knock", "at": t.isoformat()})
            t += dt.timedelta(seconds=rng.uniform(25, 40))
        events.append({"kind": "call", "at": t.isoformat()})
        t += dt.timedelta(minutes=2)
        if rng.random() >= self.rates.door_no_neighbour:
            events.append({"kind": "neighbour", "at": t.isoformat()})
            t += dt.timedelta(minutes=2)
        left = t + dt.timedelta(minutes=1)

        def send() -> None:
            state = self.r.call(lambda: api.get(f"/visits/{order_id}"), "visit_read")
            if state is not None:
                body = {
                    "events": events,
                    "note": {"name": name, "phone": "10000", "left": left.isoformat()},
                    "version": state["version"],
                }
                self.r.call(lambda: api.post(f"/visits/{order_id}/door", body), "door")
            then()

        self.r.at(left, send)

    # the visit -----------------------------------------------------------------------
    def work(
        self,
        technician_id: int,
        order_id: int,
        *,
        begin: dt.datetime,
        done: dt.datetime,
        then: Callable[[bool], None],
        bring_back: dict[str, Any] | None = None,
    ) -> None:
        """Schedule the checklist from ``begin`` to ``done``, then complete (or take the device
        back with the signed ``bring_back`` form, ORD-06); ``then(completed)``."""
        api = self.api(technician_id)
        state = self.r.call(lambda: api.get(f"/visits/{order_id}"), "visit_read")
        if state is None or state["status"] != "on_site":
            then(False)
            return
        self.truth[order_id] = self._truth(order_id)
        visit = OnSite(
            order_id=order_id,
            service_type=str(state["service_type"]),
            kind=str(state["kind"]),
            plan_mbps=state["plan_mbps"],
            version=int(state["version"]),
            rng=random.Random(self._seed * 31 + order_id),
        )
        steps = [
            s
            for s in checklist_for(service_type=visit.service_type, kind=visit.kind)
            if s.norm_id not in ("VIS-03", "VIS-18")
        ]
        span = max((done - begin).total_seconds(), 60.0)
        gap = span / (len(steps) + 2)
        for i, step in enumerate(steps):
            at = begin + dt.timedelta(seconds=gap * i)
            self.r.at(at, _bind(self._step, api, visit, step))
        if bring_back is not None:
            path = f"/orders/{order_id}/bring-back"

            def take_back() -> None:
                if random.Random(f"ord06:{order_id}").random() < UNSIGNED_BRING_BACK_RATE:
                    unsigned = {**bring_back, "customer_signature": ""}
                    self.r.call(lambda: api.post(path, unsigned), "bring_back")
                self.r.call(lambda: api.post(path, bring_back), "bring_back")
                then(False)

            self.r.at(done, take_back)
            return
        self.r.at(done, lambda: then(self._finish(api, visit)))

    def _truth(self, order_id: int) -> dict[str, bool]:
        rng = random.Random(self._seed * 17 + order_id)
        truth = {name: rng.random() < rate for name, rate in self.rates.hidden}
        unsure = 0.5 if truth.get("not_fixed") else self.rates.fix_uncertain
        truth["uncertain"] = rng.random() < unsure
        return truth

    def _step(self, api: Api, visit: OnSite, step: ChecklistStep) -> None:
        rng, rates = visit.rng, self.rates
        if step.norm_id == "VIS-04" and rng.random() < rates.work_before_greeting:
            self._post_step(api, visit, {"norm_id": "VIS-05", "outcome": "done"})  # refused
        if not step.mandatory and step.norm_id != "VIS-01":
            if rng.random() < rates.forget_assisted_step:
                return
            if rng.random() < rates.skip_assisted_step:
                body: dict[str, Any] = {"norm_id": step.norm_id, "outcome": "skipped"}
                body["reason"] = rng.choice(SKIP_REASONS)
                self._post_step(api, visit, body)
                return
        if step.norm_id == "VIS-07" and visit.kind == "repair":
            self._knowledge(api, visit)
        if step.norm_id == "VIS-17" and rng.random() < rates.complete_before_work_sheet:
            self._complete(api, visit)  # refused: the work sheet is missing
        evidence = self._evidence(api, visit, step)
        body = {"norm_id": step.norm_id, "outcome": "done"}
        if evidence is not None:
            body["evidence"] = evidence
        ok = self._post_step(api, visit, body)
        if not ok and step.evidence in ("charges", "data_risk"):
            # Refused (no consent / no signature): do it properly and record again.
            body["evidence"] = self._evidence(api, visit, step, proper=True)
            self._post_step(api, visit, body)

    def _knowledge(self, api: Api, visit: OnSite) -> None:
        """Look the fault up and record which article helped (the article's use)."""
        if visit.rng.random() >= self.rates.looks_up_knowledge:
            return
        query = {"q": visit.rng.choice(KNOWLEDGE_QUERIES), "service_type": visit.service_type}
        hits = self.r.call(lambda: api.get("/knowledge/search", **query), "knowledge") or []
        if hits:
            path = f"/visits/{visit.order_id}/articles/{hits[0]['id']}/use"
            helpful = visit.rng.random() < 0.8
            self.r.call(lambda: api.post(path, {"helpful": helpful}), "knowledge_use")

    def _post_step(self, api: Api, visit: OnSite, body: dict[str, Any]) -> bool:
        body = {**body, "version": visit.version}
        path = f"/visits/{visit.order_id}/steps"
        return self.r.call(lambda: api.post(path, body), "step") is not None

    def _photo(self, api: Api, visit: OnSite, norm: str, png: str) -> int | None:
        body = {"content_type": "image/png", "data_base64": png, "norm_id": norm}
        saved = self.r.call(lambda: api.post(f"/visits/{visit.order_id}/photos", body), "photo")
        return int(saved["id"]) if saved else None

    def _evidence(
        self, api: Api, visit: OnSite, step: ChecklistStep, *, proper: bool = False
    ) -> dict[str, Any] | None:
        rng, rates = visit.rng, self.rates
        kind = step.evidence
        if kind == "self_check":
            items = {k: rng.random() >= rates.self_check_item_fails for k in SELF_CHECK}
            return {"items": items, "gate_id_shown": rng.random() >= rates.gate_id_not_shown}
        if kind == "charges":
            lines: list[dict[str, Any]] = []
            if visit.service_type == "appliance" and rng.random() < rates.chargeable_appliance:
                lines = [{"code": "LAB-REPAIR", "qty": 1}]
                if rng.random() < 0.4:
                    lines.append({"code": rng.choice(("PART-PSU", "PART-RAM8")), "qty": 1})
            consent = proper or rng.random() >= rates.charge_without_consent
            return {
                "boundary_explained": proper or rng.random() >= rates.boundary_not_explained,
                "warranty": "out" if lines else "none",
                "charges": lines,
                "consent": consent,
                "receipt": "receipt" if lines else "",
            }
        if kind == "data_risk":
            signed = proper or rng.random() >= rates.data_risk_unsigned
            photo = self._photo(api, visit, "VIS-09", self._sign_png) if signed else None
            evidence: dict[str, Any] = {"risk_explained": True, "backup": "done"}
            if photo is not None:
                evidence["signature_photo_id"] = photo
            return evidence
        if kind == "modem_label":
            photo = None
            if rng.random() >= rates.label_photo_missing:
                photo = self._photo(api, visit, "VIS-13", self._label_png)
            return {
                "broadband_number": f"028{visit.order_id:09d}",
                "user_name": f"cd{visit.order_id:08d}",
                "initial_password": f"{rng.randrange(10**8):08d}",
                "photo_id": photo,
            }
        if kind == "test_together":
            return self._speed_test(visit)
        if kind == "work_sheet":
            materials = [{"code": "MAT-CABLE", "qty": rng.randint(1, 3)}]
            if visit.kind in ("install", "move"):
                materials.append({"code": "MAT-PANEL", "qty": 1})
            return {
                "materials": materials,
                "technical_parameters": {"光功率": f"-{rng.randint(14, 24)}dBm"},
                "cause": "光猫配置异常" if visit.kind == "repair" else "新装开通",
                "measure": "重新配置并测试" if visit.kind == "repair" else "布线、安装终端并开通",
                "asked_what_else": rng.random() >= rates.not_asked_what_else,
            }
        return None

    def _speed_test(self, visit: OnSite, *, retest: bool = False) -> dict[str, Any]:
        rng, rates = visit.rng, self.rates
        tried = rng.random() >= rates.customer_tried_skipped
        if visit.service_type != "broadband":
            return {"service_test": True, "customer_tried": tried}
        plan = float(visit.plan_mbps or 100)
        slow = not retest and rng.random() < rates.speed_below_plan
        speed = plan * (rng.uniform(0.55, 0.9) if slow else rng.uniform(1.0, 1.08))
        return {
            "web_page": True,
            "download": True,
            "email": True,
            "speed_mbps": round(min(speed, 1000.0), 1),
            "customer_tried": tried,
        }

    def _finish(self, api: Api, visit: OnSite) -> bool:
        rng, rates = visit.rng, self.rates
        if rng.random() < rates.generic_complete_attempt:
            body = {"action": "complete", "version": visit.version}
            self.r.call(
                lambda: api.post(f"/orders/{visit.order_id}/transitions", body), "generic_complete"
            )
        if rng.random() >= rates.customer_will_not_sign:
            png = "data:image/png;base64," + self._sign_png
            self.r.call(
                lambda: api.post(f"/visits/{visit.order_id}/signature", {"png": png}), "signature"
            )
        score = _weighted(rng, rates.ratings)
        if rng.random() >= rates.rating_not_asked:
            self.r.call(
                lambda: api.post(f"/visits/{visit.order_id}/rating", {"score": score}), "rating"
            )
        if self._complete(api, visit):
            self._phone_after_close(api, visit.order_id)
            return True
        # Refused: re-test a slow line after re-repair, record what is missing, try again.
        state = self.r.call(lambda: api.get(f"/visits/{visit.order_id}"), "visit_read") or {}
        for missing in state.get("missing", []):
            if missing["norm"] == "VIS-14":
                body = {
                    "norm_id": "VIS-14",
                    "evidence": self._speed_test(visit, retest=True),
                }
                self._post_step(api, visit, body)
        done = self._complete(api, visit)
        if done:
            self._phone_after_close(api, visit.order_id)
        return done

    def _phone_after_close(self, api: Api, order_id: int) -> None:
        if random.Random(f"sec01:{order_id}").random() < PHONE_AFTER_CLOSE_RATE:
            self.r.call(lambda: api.get(f"/orders/{order_id}/phone"), "phone_after_close")

    def _complete(self, api: Api, visit: OnSite) -> bool:
        unsure = self.truth.get(visit.order_id, {}).get("uncertain", False)
        body = {"version": visit.version, "fix_certain": not unsure}
        path = f"/visits/{visit.order_id}/complete"
        return self.r.call(lambda: api.post(path, body), "complete") is not None


def _bind(fn: Callable[..., None], *args: Any) -> Callable[[], None]:
    return lambda: fn(*args)


def _weighted(rng: random.Random, table: tuple[tuple[int, float], ...]) -> int:
    x = rng.random()
    for value, p in table:
        x -= p
        if x <= 0:
            return value
    return table[-1][0]


def _user_for(tech: Technician) -> User:
    from guifan.demo.logins import technician_users_create

    technician_users_create()
    tech.refresh_from_db()
    assert tech.user is not None
    return tech.user
