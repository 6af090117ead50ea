"""The call centre's worklist (issue 14): due first, overdue flagged; claim, record an
attempt, ask the survey generated from the form's current version, book a re-visit. The
same services as /api/v1/callbacks."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guifan.apps.accounts.models import Role
from guifan.apps.callcentre import selectors, services
from guifan.apps.web.access import HtmxHttpRequest, role_required
from guifan.apps.web.error_text import error_text
from guifan.clock import now as clock_now
from guifan.errors import GuifanError, NotFound
from guifan.textinput import whole_number

ANSWER_VALUES: dict[str, Any] = {"yes": True, "no": False, "unknown": None}


def _back(callback_id: int | None = None) -> HttpResponseRedirect:
    if callback_id is None:
        return HttpResponseRedirect(reverse("callcentre:index"), status=303)
    return HttpResponseRedirect(reverse("callcentre:detail", args=[callback_id]), status=303)


@require_GET
@role_required(Role.QUALITY)
def index(request: HtmxHttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    status = status if status in ("open", "answered") else "open"
    now = clock_now()
    rows = selectors.callback_list(by=request.user, status=status)
    views = [selectors.callback_view(c, now=now) for c in rows]
    return render(
        request,
        "web/callcentre/index.html",
        {"rows": views, "status": status, "overdue": sum(1 for v in views if v["overdue"])},
    )


@require_GET
@role_required(Role.QUALITY)
def detail(request: HtmxHttpRequest, callback_id: int) -> HttpResponse:
    try:
        callback = selectors.callback_get(by=request.user, callback_id=callback_id)
    except NotFound:
        raise Http404(callback_id) from None
    return render(
        request,
        "web/callcentre/detail.html",
        {
            "cb": selectors.callback_view(callback, now=clock_now()),
            "form": selectors.callback_form(callback),
            "client_key": uuid.uuid4().hex,  # a double submit records one attempt
        },
    )


def _run(request: HtmxHttpRequest, callback_id: int, action: Any, ok: str) -> HttpResponse:
    try:
        action()
    except NotFound:
        raise Http404(callback_id) from None
    except GuifanError as exc:
        messages.error(request, error_text(exc), extra_tags="error")
        return _back(callback_id)
    messages.success(request, ok, extra_tags="ok")
    return _back(callback_id)


@require_POST
@role_required(Role.QUALITY)
def claim(request: HtmxHttpRequest, callback_id: int) -> HttpResponse:
    return _run(
        request,
        callback_id,
        lambda: services.callback_claim(callback_id=callback_id, by=request.user),
        _("The callback is yours."),
    )


@require_POST
@role_required(Role.QUALITY)
def attempt(request: HtmxHttpRequest, callback_id: int) -> HttpResponse:
    reached = request.POST.get("reached") == "yes"
    answers: dict[str, Any] = {}
    for name in request.POST:
        raw = str(request.POST.get(name, ""))
        if not name.startswith("q-") or raw == "":
            continue
        if raw in ANSWER_VALUES:
            answers[name[2:]] = ANSWER_VALUES[raw]
        elif (number := whole_number(raw)) is not None:
            answers[name[2:]] = number
        else:
            answers[name[2:]] = raw[:40]
    version = str(request.POST.get("form_version", ""))
    return _run(
        request,
        callback_id,
        lambda: services.callback_attempt(
            callback_id=callback_id,
            by=request.user,
            reached=reached,
            note=request.POST.get("note", "")[:300],
            client_key=request.POST.get("client_key", "")[:200],
            answers=answers if reached else {},
            form_version=whole_number(version),
        ),
        _("Answer recorded.") if reached else _("Attempt recorded."),
    )


@require_POST
@role_required(Role.QUALITY)
def revisit(request: HtmxHttpRequest, callback_id: int) -> HttpResponse:
    return _run(
        request,
        callback_id,
        lambda: services.callback_revisit(
            callback_id=callback_id, by=request.user, reason=request.POST.get("reason", "")[:200]
        ),
        _("A re-visit is booked: the order awaits an appointment."),
    )
