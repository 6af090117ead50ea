"""The quality centre's evaluators on the demo's day (issue 14, point 7).

Three evaluators (QUALITY logins, each with their own token) run three quality plans — the
day's transcripts, field visits and hall tickets — whose planner samples in the evening. The
next morning each evaluator scores their queue through the API from what actually happened:
the transcript checker's findings and the turns, the visit's checklist step records, the
hall conversation; an evaluator sometimes misjudges a question (``Rates.noise``). One
calibration session puts a transcript before all three. An evaluated person disputes an
evaluation that failed a question they kept (a misjudgement); a second evaluator decides,
overturning when the first evaluator misjudged.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db.models import Avg, Count

from guifan.apps.accounts.models import Role, User
from guifan.apps.accounts.services import api_token_create
from guifan.apps.workforce.models import Technician
from guifan.clock import at_local
from guifan.demo.api_client import Api
from guifan.demo.runner import Runner

EVALUATORS = ("qc-zhang", "qc-li", "qc-wang")
TITLE = re.compile(r"[\u4e00-\u9fff](先生|女士|小姐|老先生|阿姨|师傅|阿伯|阿婆)")
PLANS = (
    {"name": "通话与上门对话抽检", "kind": "transcript", "rate_pct": 25},
    {"name": "上门服务抽检", "kind": "visit", "rate_pct": 30},
    {"name": "营业厅柜台抽检", "kind": "ticket", "rate_pct": 25},
)


@dataclass(frozen=True, slots=True)
class Rates:
    noise: float = 0.04  # an evaluator misjudges one question
    prying: float = 0.02  # a household question the checker cannot see (SEC-05)
    dialect_first: float = 0.03  # opened in dialect (LNG-04)
    dispute_misjudged: float = 0.8  # a misjudged person disputes
    dispute_fair: float = 0.05  # ... and one fairly judged sometimes too


@dataclass
class Evaluators:
    runner: Runner
    day: dt.date
    rng: random.Random
    rates: Rates = field(default_factory=Rates)
    apis: dict[str, Api] = field(default_factory=dict)
    misjudged: dict[int, set[str]] = field(default_factory=dict)  # evaluation -> questions

    def setup(self) -> None:
        for name in EVALUATORS:
            user = User.objects.create_user(name, role=Role.QUALITY)
            self.apis[name] = Api(api_token_create(user=user, name="qc"))
        self.runner.at(at_local(self.day, "07:10"), self._plans)
        after = self.day + dt.timedelta(days=1)
        for i, name in enumerate(EVALUATORS):
            self.runner.at(at_local(after, f"08:{30 + 5 * i}"), partial(self._work, name))
        self.runner.at(at_local(after, "09:40"), self._calibrate)
        self.runner.at(at_local(after, "10:30"), self._disputes)
        self.runner.at(at_local(after, "11:15"), self._decide)

    # plans ------------------------------------------------------------------------------
    def _plans(self) -> None:
        api = self.apis[EVALUATORS[0]]
        for plan in PLANS:
            body = {**plan, "evaluators": list(EVALUATORS)}
            self.runner.call(partial(api.post, "/evaluations/plans", body), "qc_plan")

    # scoring ----------------------------------------------------------------------------
    def _work(self, name: str) -> None:
        api = self.apis[name]
        queue = self.runner.call(lambda: api.get("/evaluations/queue"), "qc_queue") or []
        for a in queue:
            self._score(name, a)

    def _score(self, name: str, a: dict[str, Any]) -> None:
        # What happened is one thing for every evaluator: drawn per interaction, not per look.
        world = random.Random(f"{a['kind']}:{a['object_id']}")
        truth = self._truth(a["kind"], a["facts"], world)
        answers, wrong = self._judged(truth)
        post = partial(
            self.apis[name].post, f"/evaluations/assignments/{a['id']}", {"answers": answers}
        )
        ev = self.runner.call(post, "qc_evaluate")
        if ev is not None:
            self.misjudged[ev["id"]] = wrong

    def _judged(self, truth: dict[str, Any]) -> tuple[dict[str, Any], set[str]]:
        """The evaluator's answers: the truth, except an occasional misjudged question."""
        answers, wrong = dict(truth), set()
        for qid, value in truth.items():
            if value is None or self.rng.random() >= self.rates.noise:
                continue
            if isinstance(value, bool):
                answers[qid] = not value
            else:
                answers[qid] = max(1, min(5, value + self.rng.choice((-2, -1, 1))))
            if answers[qid] != value:
                wrong.add(qid)
        return answers, wrong

    def _truth(self, kind: str, facts: dict[str, Any], r: random.Random) -> dict[str, Any]:
        if kind == "transcript":
            return self._transcript_truth(facts, r)
        if kind == "visit":
            steps = facts["steps"]

            def done(norm: str) -> bool | None:
                s = steps.get(norm)
                return None if s is None else s["outcome"] == "done" and not s["shortfalls"]

            explain = done("VIS-15")
            return {
                "greet_badge": done("VIS-04"),
                "shoe_covers": done("VIS-05"),
                "protect_home": done("VIS-06"),
                "ask_first": done("VIS-10"),
                "test_together": done("VIS-14"),
                "explain_use": None if explain is None else (r.choice((4, 5)) if explain else 2),
                "clean_up": done("VIS-16"),
                "goodbye": done("VIS-19"),
                "plain_words": r.choice((3, 4, 4, 5)),
                "no_prying": r.random() >= self.rates.prying,
                "safety": done("VIS-16") is not False,
            }
        said = [t for x in facts["transcripts"] for t in x.get("findings", [])]
        missing = [m for x in facts["transcripts"] for m in x.get("missing", [])]
        return {
            "three_voices": bool(facts["transcripts"]) and not missing,
            "courtesy": bool(facts["transcripts"]) and not missing,
            "no_forbidden": not said,
            "surname": r.random() < 0.85,
            "key_terms": r.choice((3, 4, 5)),
            "discipline": r.random() < 0.95,
            "no_prying": r.random() >= self.rates.prying,
        }

    def _transcript_truth(self, facts: dict[str, Any], r: random.Random) -> dict[str, Any]:
        staff = " ".join(t["text"] for t in facts["turns"] if t.get("speaker") == "staff")
        forbidden = [f for f in facts["findings"] if f.get("norm", "LNG-02") == "LNG-02"]
        jargon = [f for f in facts["findings"] if f.get("norm") == "LNG-07"]
        courtesy = facts["courtesy"] or {}
        booking = facts["moment"] in ("booking", "reconfirm") or facts["channel"] == "call"
        return {
            "courtesy": courtesy.get("您好", 0) > 0
            and (courtesy.get("谢谢", 0) > 0 or courtesy.get("再见", 0) > 0),
            "no_forbidden": not forbidden,
            "routine": max(1, 5 - 2 * len(facts["missing"])) if booking else None,
            "mandarin": r.random() >= self.rates.dialect_first,
            "surname": bool(TITLE.search(staff)),
            "plain_words": 2 if jargon else r.choice((3, 4, 4, 5)),
            "script": not facts["missing"],
            "no_prying": r.random() >= self.rates.prying,
        }

    # calibration ------------------------------------------------------------------------
    def _calibrate(self) -> None:
        api = self.apis[EVALUATORS[0]]
        done = self.runner.call(lambda: api.get("/evaluations"), "qc_list") or []
        transcripts = [e for e in done if e["kind"] == "transcript" and not e["calibration"]]
        if not transcripts:
            return
        pick = transcripts[self.rng.randrange(len(transcripts))]
        body = {
            "kind": "transcript",
            "object_id": pick["object_id"],
            "evaluators": list(EVALUATORS),
            "note": "晨会校准",
        }
        if self.runner.call(lambda: api.post("/evaluations/calibrations", body), "qc_cal"):
            for name in EVALUATORS:
                self._work(name)

    # disputes ---------------------------------------------------------------------------
    def _person_api(self, person: str) -> Api | None:
        tech = Technician.objects.filter(badge_no=person, user__isnull=False).first()
        user = tech.user if tech else User.objects.filter(username=person).first()
        if user is None or user.role not in (Role.TECHNICIAN, Role.HALL_STAFF):
            return None
        return Api(api_token_create(user=user, name="evaluations"))

    def _disputes(self) -> None:
        api = self.apis[EVALUATORS[0]]
        done = self.runner.call(lambda: api.get("/evaluations"), "qc_list") or []
        for ev in sorted(done, key=lambda e: e["id"]):
            if ev["calibration"] or ev["score"] >= 100:
                continue
            wrong = self.misjudged.get(ev["id"], set())
            rate = self.rates.dispute_misjudged if wrong else self.rates.dispute_fair
            if self.rng.random() >= rate:
                continue
            person = self._person_api(ev["person"])
            if person is None:
                continue
            body = {"reason": "评估与实际不符，请复核录音与现场记录。"}
            post = partial(person.post, f"/evaluations/{ev['id']}/disputes", body)
            self.runner.call(post, "qc_dispute")

    def _decide(self) -> None:
        api = self.apis[EVALUATORS[0]]
        for d in self.runner.call(lambda: api.get("/evaluations/disputes"), "qc_disputes") or []:
            if d["status"] != "open":
                continue
            ev = self.runner.call(partial(api.get, f"/evaluations/{d['evaluation_id']}"), "qc")
            if ev is None:
                continue
            second = next(n for n in EVALUATORS if n != ev["evaluator"])
            overturn = bool(self.misjudged.get(ev["id"]))
            note = "复核后原评估有误，改判。" if overturn else "复核后维持原评。"
            body = {"overturn": overturn, "note": note}
            path = f"/evaluations/disputes/{d['id']}/decision"
            self.runner.call(partial(self.apis[second].post, path, body), "qc_decide")


def evaluators_setup(runner: Runner, day: dt.date) -> Evaluators:
    """The demo's hook: evaluators, their plans and their morning (agents.Desk)."""
    ev = Evaluators(runner, day, random.Random(runner.rng.randrange(2**31)))
    ev.setup()
    return ev


def evaluation_report() -> dict[str, Any]:
    """The evaluators' part of report.json's ``quality_centre`` section."""
    from guifan.apps.evaluation.models import CalibrationSession, Dispute, Evaluation
    from guifan.apps.evaluation.selectors import calibration_get

    counted = Evaluation.objects.filter(assignment__calibration__isnull=True)
    agg = counted.aggregate(n=Count("id"), mean=Avg("score"))
    by_kind = {
        row["kind"]: {"evaluations": row["n"], "mean_score": round(row["mean"], 1)}
        for row in counted.values("kind").annotate(n=Count("id"), mean=Avg("score"))
    }
    sessions = [calibration_get(session_id=s.id) for s in CalibrationSession.objects.order_by("id")]
    disputes = Dispute.objects.values("status").annotate(n=Count("id"))
    return {
        "evaluations": {
            "evaluations": agg["n"],
            "mean_score": round(agg["mean"], 1) if agg["mean"] is not None else None,
            "critical_fails": sum(1 for e in counted if e.critical_failed),
            "by_kind": by_kind,
            "calibrations": [
                {
                    "id": c.session.id,
                    "evaluators": len(c.evaluators),
                    "alpha": None if c.alpha is None else round(c.alpha, 3),
                }
                for c in sessions
            ],
            "disputes": {row["status"]: row["n"] for row in disputes},
        }
    }
