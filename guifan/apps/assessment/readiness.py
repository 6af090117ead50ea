"""The STF-04 readiness check registered with ``workforce.readiness``: the required training
(``required_training``) must be on record, when ``training_enforced`` is on."""

from __future__ import annotations

import datetime as dt

from guifan.apps.assessment.models import Training
from guifan.apps.norms.services import norms_snapshot
from guifan.apps.workforce.readiness import readiness_register

# The catalog's default courses (STF-04 ``required_training``) as the seeds name them; a course
# the quality centre adds is shown as they wrote it.
COURSE_ZH = {
    "service concept": "服务理念",
    "technical skills": "技术技能",
    "tariffs / products / packages": "资费、产品和套餐",
}


def course_zh(course: str) -> str:
    return COURSE_ZH.get(course, course)


def training_missing(person: str, day: dt.date) -> list[str]:
    """The required courses ``person`` had not completed by ``day`` (none when not enforced)."""
    ns = norms_snapshot()
    if not ns.param("STF-04", "training_enforced"):
        return []
    required = [str(c) for c in ns.param("STF-04", "required_training")]
    done = set(
        Training.objects.filter(person=person, completed_on__lte=day).values_list(
            "course", flat=True
        )
    )
    return [f"未完成上岗培训：{course_zh(c)}" for c in required if c not in done]


def install() -> None:
    readiness_register(training_missing)
