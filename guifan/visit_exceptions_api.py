"""/api/v1/visits: customer-side exceptions of a visit (seed 003). Parse, call, render.

A router of its own beside the lead's field router on the same prefix (paths cannot clash:
``/exception-kinds`` and ``/{order_id}/exceptions``). It lives here, not in an app, because
it joins two apps that must not import each other both ways: ``fieldwork`` (the service)
imports ``care`` (the table).
"""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from guifan.apps.accounts.auth import TokenAuth, request_user
from guifan.apps.accounts.models import Role
from guifan.apps.care.exception_table import exception_table
from guifan.apps.fieldwork.services.exceptions import visit_exception_record
from guifan.textinput import Text

router = Router(auth=TokenAuth(), tags=["visits"])

# As the lead's visit API: only the assigned technician works the visit (admins always may).
FIELD = (Role.TECHNICIAN,)


class ExceptionIn(Schema):
    kind: Annotated[str, Text(40)]
    answers: dict[str, bool | Annotated[str, Text(200)]] = Field(default_factory=dict)
    version: int


class VerdictOut(Schema):
    norm: str
    kept: bool
    reason: str


class ExceptionOut(Schema):
    order_id: int
    kind: str
    next: str
    status: str
    version: int
    centre_called: bool
    flagged: bool
    verdicts: list[VerdictOut]


@router.get("/exception-kinds", response=dict)
def exception_kinds(request: HttpRequest) -> dict[str, Any]:
    """The exception table for the technician's app: steps, questions, centre hotline."""
    request_user(request, *FIELD, Role.DISPATCHER, Role.QUALITY)
    table = exception_table()
    return {
        "source": table.source,
        "centre_hotline": table.centre_hotline,
        "kinds": [
            {
                "kind": k.kind,
                "title": k.title,
                "seed": k.seed,
                "safety": k.safety,
                "centre_call": k.centre_call,
                "next": k.next,
                "continue_when": k.continue_when,
                "steps": [
                    {"id": s.id, "text": s.text, "norm": s.norm, "only_when": s.only_when}
                    for s in k.steps
                ],
                "fields": [
                    {
                        "name": f.name,
                        "label": f.label,
                        "required": f.required,
                        "type": f.type,
                        "choices": f.choices,
                    }
                    for f in k.fields
                ],
            }
            for k in table.kinds.values()
        ],
    }


@router.post("/{order_id}/exceptions", response=ExceptionOut)
def exception_record(request: HttpRequest, order_id: int, body: ExceptionIn) -> dict[str, Any]:
    user = request_user(request, *FIELD)
    out = visit_exception_record(
        order_id=order_id,
        kind=body.kind,
        answers=dict(body.answers),
        by=user,
        expected_version=body.version,
    )
    return {
        "order_id": out.order.id,
        "kind": out.kind,
        "next": out.next,
        "status": out.order.status,
        "version": out.order.version,
        "centre_called": out.centre_called,
        "flagged": out.flagged,
        "verdicts": [{"norm": v.norm, "kept": v.kept, "reason": v.reason} for v in out.verdicts],
    }
