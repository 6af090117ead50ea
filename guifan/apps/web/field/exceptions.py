"""The technician's guided branches for customer-side exceptions (seed 003; views stay thin).

One screen per kind: the seed's steps as a checklist, the kind's questions and the centre's
hotline; the safety kinds say first to leave and be safe. The service
(``fieldwork.services.exceptions``) records it, decides the verdicts and moves the visit on.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guifan.apps.accounts.models import Role, User
from guifan.apps.care.exception_table import ExceptionKind, exception_table
from guifan.apps.fieldwork.selectors import field_order_get
from guifan.apps.fieldwork.services.exceptions import AT_THE_CUSTOMER, visit_exception_record
from guifan.apps.orders.models import WorkOrder
from guifan.apps.web.access import role_required
from guifan.apps.web.error_text import error_text
from guifan.apps.web.errors import not_found
from guifan.errors import GuifanError, NotFound, PermissionDenied

BOOL_ANSWERS = {"yes": True, "no": False}


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _screen(
    request: HttpRequest,
    order: WorkOrder,
    spec: ExceptionKind,
    *,
    error: str = "",
    error_field: str = "",
    posted: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "order": order,
        "spec": spec,
        "hotline": exception_table().centre_hotline,
        "at_customer": order.status in AT_THE_CUSTOMER,
        "error": error,
        "error_field": error_field.removeprefix("answers."),
        "ticked": {k for k, v in (posted or {}).items() if v == "on"},
    }
    return render(request, "web/field/exceptions/kind.html", context, status=status)


@require_GET
@role_required(Role.TECHNICIAN)
def index(request: HttpRequest, order_id: int) -> HttpResponse:
    try:
        order = field_order_get(order_id=order_id, user=_user(request))
    except NotFound:
        return not_found(request)
    kinds = list(exception_table().kinds.values())
    context = {
        "order": order,
        "safety": [k for k in kinds if k.safety],
        "others": [k for k in kinds if not k.safety],
        "hotline": exception_table().centre_hotline,
    }
    return render(request, "web/field/exceptions/index.html", context)


@require_GET
@role_required(Role.TECHNICIAN)
def kind(request: HttpRequest, order_id: int, kind: str) -> HttpResponse:
    spec = exception_table().kinds.get(kind)
    try:
        order = field_order_get(order_id=order_id, user=_user(request))
    except NotFound:
        return not_found(request)
    if spec is None:
        return not_found(request)
    return _screen(request, order, spec)


def _answers(request: HttpRequest, spec: ExceptionKind) -> dict[str, Any]:
    """The form as the service's answers: a ticked step is done, an unticked one is not."""
    answers: dict[str, Any] = {s.id: request.POST.get(s.id) == "on" for s in spec.steps}
    for f in spec.fields:
        raw = request.POST.get(f.name, "")
        if f.type == "bool":
            if raw in BOOL_ANSWERS:
                answers[f.name] = BOOL_ANSWERS[raw]
        elif raw.strip():
            answers[f.name] = raw
    return answers


@require_POST
@role_required(Role.TECHNICIAN)
def record(request: HttpRequest, order_id: int, kind: str) -> HttpResponse:
    user = _user(request)
    spec = exception_table().kinds.get(kind)
    try:
        order = field_order_get(order_id=order_id, user=user)
    except NotFound:
        return not_found(request)
    if spec is None:
        return not_found(request)
    posted = dict(request.POST.items())
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        return _screen(request, order, spec, error=_("Reload the page."), status=422)
    try:
        out = visit_exception_record(
            order_id=order_id,
            kind=spec.kind,
            answers=_answers(request, spec),
            by=user,
            expected_version=version,
        )
    except NotFound:
        return not_found(request)
    except PermissionDenied as exc:
        return render(request, "web/forbidden.html", {"message": error_text(exc)}, status=403)
    except GuifanError as exc:
        return _screen(
            request,
            order,
            spec,
            error=error_text(exc),
            error_field=exc.field or "",
            posted=posted,
            status=exc.http_status,
        )
    if out.next == "continue":
        messages.success(
            request, _("Exception recorded; carry on with the visit."), extra_tags="ok"
        )
        return redirect("field:visit", order_id=order_id)
    messages.success(
        request, _("Exception recorded; the order is back with the desk."), extra_tags="ok"
    )
    return redirect("field:today")
