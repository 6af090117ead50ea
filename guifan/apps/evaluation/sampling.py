"""The reproducible sample of a plan: a hash of (plan, interaction), never random state.

The same plan on the same day's interactions always samples the same ones and gives each to
the same evaluator, whichever worker runs it and however often.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence

from guifan.apps.evaluation.interactions import Interaction


def unit(*parts: object) -> float:
    """A number in [0, 1) fixed by ``parts``."""
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()
    return int(digest[:13], 16) / 16**13


def sample(
    plan_id: int,
    interactions: Sequence[Interaction],
    *,
    rate_pct: float | None,
    per_person: int | None,
) -> list[Interaction]:
    """A share ``rate_pct`` of all, or ``per_person`` of each person's, by hash order."""
    if rate_pct is not None:
        return [i for i in interactions if unit(plan_id, i.kind, i.object_id) < rate_pct / 100]
    by_person: dict[str, list[Interaction]] = defaultdict(list)
    for i in interactions:
        by_person[i.person].append(i)
    out: list[Interaction] = []
    for person in sorted(by_person):
        ranked = sorted(by_person[person], key=lambda i: unit(plan_id, i.kind, i.object_id))
        out += ranked[: per_person or 0]
    return sorted(out, key=lambda i: (i.at, i.object_id))


def evaluator_for(plan_id: int, interaction: Interaction, evaluator_ids: Sequence[int]) -> int:
    ids = sorted(evaluator_ids)
    return ids[int(unit(plan_id, "evaluator", interaction.kind, interaction.object_id) * len(ids))]
