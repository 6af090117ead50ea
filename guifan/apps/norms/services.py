"""Norm parameters as data, and the verdict ledger."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction

from guifan.apps.accounts.models import User
from guifan.apps.audit.services import audit_record
from guifan.apps.norms.models import NormCheck, NormParameter
from guifan.apps.norms.selectors import norms_snapshot
from guifan.clock import now as clock_now
from guifan.errors import ValidationFailed
from guifan.norms import Verdict, norm_get

# norms_snapshot is a read (norms.selectors); re-exported for the services that use it.
__all__ = ["norm_check_record", "norm_checks_record", "norm_parameter_set", "norms_snapshot"]


@transaction.atomic
def norm_parameter_set(*, norm_id: str, name: str, value: Any, by: User | None) -> NormParameter:
    """Edit one parameter; it must exist in the catalog and keep the default's type."""
    try:
        param_def = norm_get(norm_id).param(name)
        default = param_def.default
    except KeyError as exc:
        raise ValidationFailed(
            "norm.unknown_parameter", str(exc), field="name", rule=norm_id
        ) from None
    # bool is an int to Python, never a number of minutes to a person (and the reverse).
    if isinstance(value, bool) != isinstance(default, bool) or (
        not isinstance(value, type(default))
        and not (isinstance(default, int | float) and isinstance(value, int | float))
    ):
        raise ValidationFailed(
            "norm.parameter_type",
            f"{norm_id}.{name} 应为 {type(default).__name__}，收到 {type(value).__name__}",
            field="value",
            rule=norm_id,
        )
    if param_def.range is not None and isinstance(value, int | float):
        lo, hi = param_def.range
        if isinstance(value, bool) or not lo <= value <= hi:
            raise ValidationFailed(
                "norm.parameter_range",
                f"{norm_id}.{name} 须在 {lo:g} 到 {hi:g} 之间，收到 {value}",
                field=name,
                rule=norm_id,
            )
    old = NormParameter.objects.select_for_update().filter(norm_id=norm_id, name=name).first()
    param, _ = NormParameter.objects.update_or_create(
        norm_id=norm_id,
        name=name,
        defaults={"value": value, "updated_at": clock_now(), "updated_by": by},
    )
    before = {"value": old.value if old else default}
    audit_record(
        actor=by, action="norm.parameter_set", obj=param, before=before, after={"value": value}
    )
    return param


def norm_check_record(
    *,
    verdict: Verdict,
    at: dt.datetime,
    order_id: int | None = None,
    area_code: str = "",
    person: str = "",
) -> NormCheck:
    """Record one occasion on which a norm applied."""
    check = _norm_check(
        verdict=verdict, at=at, order_id=order_id, area_code=area_code, person=person
    )
    check.save(force_insert=True)
    return check


def norm_checks_record(
    verdicts: list[Verdict],
    *,
    at: dt.datetime,
    order_id: int | None = None,
    area_code: str = "",
    person: str = "",
) -> list[NormCheck]:
    """Record several occasions at once (one INSERT), in the order given."""
    return NormCheck.objects.bulk_create(
        [
            _norm_check(verdict=v, at=at, order_id=order_id, area_code=area_code, person=person)
            for v in verdicts
        ]
    )


def norm_checks_by_person(rows: Sequence[tuple[Verdict, str]], *, at: dt.datetime) -> None:
    """Several occasions of one moment, each with its person (one INSERT), in the order given."""
    NormCheck.objects.bulk_create(
        [
            _norm_check(verdict=v, at=at, order_id=None, area_code="", person=person)
            for v, person in rows
        ],
        batch_size=500,
    )


def _norm_check(
    *, verdict: Verdict, at: dt.datetime, order_id: int | None, area_code: str, person: str
) -> NormCheck:
    detail = {k: v for k, v in verdict.detail.items() if isinstance(v, str | int | float | bool)}
    detail.update(verdict.message())  # the reason's code: the page renders it in its language
    return NormCheck(
        norm_id=verdict.norm,
        kept=verdict.kept,
        at=at,
        order_id=order_id,
        area_code=area_code,
        person=person,
        reason=verdict.reason[:300],
        detail=detail,
    )
