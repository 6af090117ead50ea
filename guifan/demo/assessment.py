"""The quality centre's assessment on the city day (QA-08, STF-04, STF-06).

Before the first plan the quality lead loads the training register and the certificates
through the API and switches STF-04's training check on: one technician still lacks a course
(the planner proposes them, the assignment is refused and recorded as STF-04 broken, until
the make-up course is recorded at 10:00) and one technician's certificate for a work type
lapsed the day before the city day (the planner leaves them out of that work type; the
certificates page lists it). Every assignment that passes counts as STF-04 kept. A partner
crew works in one area; its red-line breaches (at a rate) climb the STF-06 sanction ladder.
The morning meeting (QA-08 ``morning_meeting_at``) reads yesterday's scorecard; a team's
worst member, when below ``WEAK_RATE``, gets a coaching record at a rate, which the area's
dispatcher closes before noon at a rate (QA-08 kept). Teams are city data: two per area.
"""

from __future__ import annotations

import datetime as dt
import random
from functools import partial
from typing import Any

from django.db.models import Avg, Count, FloatField, Q
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast

from guifan.apps.accounts.models import Role, User
from guifan.apps.accounts.services import api_token_create
from guifan.apps.assessment.models import ActionStatus, CorrectiveAction, Sanction
from guifan.apps.assessment.selectors import Period, scorecard
from guifan.apps.assessment.services import action_close
from guifan.apps.norms.models import NormCheck
from guifan.apps.norms.services import norm_parameter_set, norms_snapshot
from guifan.apps.workforce.models import Certification, Technician
from guifan.clock import at_local, local
from guifan.demo.api_client import Api
from guifan.demo.runner import Runner

QC = "/assessment"
BREACH_RATE = 0.5  # per partner technician per day: a red-line complaint upheld
COACHING_RATE = 0.6  # a team's worst member, below WEAK_RATE, gets a coaching record
CLOSE_RATE = 0.8  # the dispatcher closes an open coaching record at the 11:30 round
WEAK_RATE = 0.95
BREACHES = ("向客户索要红包", "辱骂客户", "未经同意强行捆绑套餐")


class Assessment:
    def __init__(self, runner: Runner, *, days: list[dt.date]) -> None:
        self.r, self.days = runner, days
        self.rng = random.Random(runner.rng.randrange(2**31))
        self.lead = User.objects.create_user("qc-lead", role=Role.QUALITY)
        self.api = Api(api_token_create(user=self.lead, name="quality centre"))
        self.partner: list[str] = []
        runner.at(at_local(days[0], "06:10"), lambda: runner.call(self._setup, "assessment"))
        meeting = str(norms_snapshot().param("QA-08", "morning_meeting_at"))
        for day in days[1:]:
            runner.at(
                at_local(day, meeting), partial(runner.call, partial(self._meeting, day), "meeting")
            )
            runner.at(at_local(day, "16:00"), partial(runner.call, self._breaches, "stf06"))
            # Before the day ends (the demo stops at noon of its last day).
            runner.at(at_local(day, "11:30"), partial(runner.call, self._close, "actions"))

    def _setup(self) -> None:
        techs = list(Technician.objects.select_related("area").order_by("badge_no"))
        for i, t in enumerate(techs):  # two teams per area (city data)
            Technician.objects.filter(id=t.id).update(team=f"{t.area.name}{'一二'[i % 2]}班")
        courses = [str(c) for c in norms_snapshot().param("STF-04", "required_training")]
        late, lapsed = self.rng.sample(techs, 2)
        people = [t.badge_no for t in techs]
        people += list(User.objects.filter(role=Role.HALL_STAFF).values_list("username", flat=True))
        for person in people:
            for course in courses:
                if person == late.badge_no and course == courses[-1]:
                    continue  # the make-up course is on the city day
                self.api.post(
                    f"{QC}/trainings",
                    {"person": person, "course": course, "completed_on": "2025-01-15"},
                )
        cert = Certification.objects.filter(technician=lapsed).order_by("work_type").first()
        if cert is not None:
            self.api.post(
                f"{QC}/certificates",
                {
                    "badge_no": lapsed.badge_no,
                    "work_type": cert.work_type,
                    "issued_on": (self.days[0] - dt.timedelta(days=730)).isoformat(),
                    "valid_until": self.days[0].isoformat(),
                },
            )
        norm_parameter_set(norm_id="STF-04", name="training_enforced", value=True, by=self.lead)
        area = techs[-1].area_id
        self.partner = [t.badge_no for t in techs if t.area_id == area][:3]
        self.api.post(
            f"{QC}/partners", {"code": "PT01", "name": "外包装维一队", "badge_nos": self.partner}
        )
        makeup = {
            "person": late.badge_no,
            "course": courses[-1],
            "completed_on": self.days[1].isoformat(),
        }
        self.r.at(
            at_local(self.days[1], "10:00"),
            lambda: self.r.call(lambda: self.api.post(f"{QC}/trainings", makeup), "training"),
        )

    def _meeting(self, day: dt.date) -> None:
        yesterday = (day - dt.timedelta(days=1)).isoformat()
        meeting = self.api.get(f"{QC}/morning-meeting", date=yesterday)
        for team in meeting["teams"]:
            if not team["members"] or not team["items"]:
                continue
            worst = team["members"][0]
            weak = worst["rate"] is not None and worst["rate"] < WEAK_RATE
            if weak and self.rng.random() < COACHING_RATE:
                item = team["items"][0]
                self.api.post(
                    f"{QC}/actions",
                    {
                        "kind": "coaching",
                        "person": worst["key"],
                        "norm_id": item["norm_id"],
                        "finding": f"晨会通报：{item['title']}（{item['broken']} 次）",
                    },
                )

    def _breaches(self) -> None:
        for badge in self.partner:
            if self.rng.random() < BREACH_RATE:
                body = {"badge_no": badge, "breach": self.rng.choice(BREACHES)}
                self.r.call(partial(self.api.post, f"{QC}/sanctions", body), "stf06")

    def _close(self) -> None:
        """The dispatcher closes open coaching after talking to the technician."""
        desk = User.objects.filter(role=Role.DISPATCHER).order_by("id").first()
        for a in CorrectiveAction.objects.filter(status=ActionStatus.OPEN).order_by("id"):
            if self.rng.random() < CLOSE_RATE:
                action_close(action_id=a.id, outcome="已在晨会后辅导，技术人员确认整改", by=desk)


def assessment_report() -> dict[str, Any]:
    """The scorecard summary for ``report.json``'s ``quality_centre`` section."""
    checks = NormCheck.objects.all()
    last = checks.order_by("-at").values_list("at", flat=True).first()
    if last is None:
        return {"scorecards": {}}
    month = Period.of("month", local(last).date())
    teams = [t for t in scorecard("team", month) if t.checked]

    def line(c: Any) -> dict[str, Any]:
        return {
            "team": c.key,
            "checked": c.checked,
            "kept_rate": round(c.rate, 3) if c.rate is not None else None,
            "satisfaction": c.satisfaction,
            "red_lines": c.red_lines,
            "refusals": c.refusals,
        }

    score = Cast(KeyTextTransform("score", "detail"), FloatField())
    rated = checks.filter(norm_id__in=("VIS-18", "QA-08"), detail__has_key="score").exclude(
        detail__score=None
    )
    stf04 = checks.filter(norm_id="STF-04").aggregate(
        checked=Count("id"), refused=Count("id", filter=Q(kept=False))
    )
    actions = dict(
        CorrectiveAction.objects.values_list("status").annotate(n=Count("id")).order_by()
    )
    return {
        "scorecards": {
            "month": month.start.strftime("%Y-%m"),
            "teams": len(teams),
            "best_teams": [line(c) for c in reversed(teams[-3:])],
            "worst_teams": [line(c) for c in teams[:3]],
            "satisfaction_mean": rated.annotate(s=score).aggregate(m=Avg("s"))["m"],
            "ratings": rated.count(),
        },
        "stf04": stf04,
        "corrective_actions": actions,
        "partner_sanctions": list(
            Sanction.objects.values_list("measure", flat=True).order_by("at")
        ),
    }
