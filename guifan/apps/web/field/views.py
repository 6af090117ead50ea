"""The technician's phone pages: today's route and the on-site checklist (views stay thin)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guifan.apps.accounts.models import Role, User
from guifan.apps.fieldwork import services
from guifan.apps.fieldwork.checklist import checklist_step_get
from guifan.apps.fieldwork.selectors import field_order_get, technician_of
from guifan.apps.fieldwork.services.door import door_unanswered
from guifan.apps.fieldwork.services.evidence import png_from_data_url
from guifan.apps.orders.services.kit import kit_check_record, kit_items, kit_label
from guifan.apps.orders.services.phones import customer_phone_reveal
from guifan.apps.web.access import role_required
from guifan.apps.web.error_text import error_text
from guifan.apps.web.errors import not_found
from guifan.apps.web.events import event_reason
from guifan.apps.web.field import forms
from guifan.apps.web.field.cards import checklist_view, route_cards
from guifan.apps.web.field.evidence import attachment_from_post, evidence_from_post
from guifan.apps.web.field.position import sharing_context
from guifan.apps.web.norm_text import chinese_page
from guifan.clock import now as clock_now
from guifan.errors import GuifanError, NotFound, PermissionDenied


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _route(
    request: HttpRequest, *, errors: dict[int, str] | None = None, status: int = 200
) -> HttpResponse:
    user = _user(request)
    now = clock_now()
    tech = technician_of(user)
    cards = route_cards(user=user, now=now, technician=tech)
    for card in cards:
        card.error = (errors or {}).get(card.order.id, "")
    context = {"cards": cards, "technician": tech, **sharing_context(tech, now)}
    return render(request, "web/field/today.html", context, status=status)


def _visit(
    request: HttpRequest, order_id: int, *, errors: dict[str, str] | None = None, status: int = 200
) -> HttpResponse:
    try:
        order = field_order_get(order_id=order_id, user=_user(request))
    except NotFound:
        return not_found(request)
    context = {"v": checklist_view(order, errors=errors)}
    return render(request, "web/field/visit.html", context, status=status)


def _refused(request: HttpRequest, exc: GuifanError) -> HttpResponse | None:
    """Someone else's order is not found; a role refusal is a 403 page. A norm's refusal
    stays on record although the refused work rolled back (ADR 0016)."""
    record = getattr(exc, "record_refusal", None)
    if record is not None:
        record()
    if isinstance(exc, NotFound):
        return not_found(request)
    if isinstance(exc, PermissionDenied):
        return render(request, "web/forbidden.html", {"message": error_text(exc)}, status=403)
    return None


def _form_error(form: Any) -> str:
    return "; ".join(str(e) for errs in form.errors.values() for e in errs)


def _completion_errors(exc: GuifanError) -> dict[str, str]:
    """Each missing item next to its field: the step's card, the signature, the button."""
    missing = exc.extra.get("missing") or [{"field": "complete", "message": error_text(exc)}]
    errors: dict[str, str] = {}
    sep = "；" if chinese_page() else "; "
    for item in missing:
        said = event_reason(item["message"], item)  # in the page's language
        if item["field"] == "steps":
            errors[f"step-{item['norm']}"] = said
        key = "complete" if item["field"] == "steps" else item["field"]
        errors[key] = f"{errors[key]}{sep}{said}" if key in errors else said
    return errors


@require_GET
@role_required(Role.TECHNICIAN)
def today(request: HttpRequest) -> HttpResponse:
    return _route(request)


@require_GET
@role_required(Role.TECHNICIAN)
def visit(request: HttpRequest, order_id: int) -> HttpResponse:
    return _visit(request, order_id)


@require_POST
@role_required(Role.TECHNICIAN)
def phone_reveal(request: HttpRequest, order_id: int) -> HttpResponse:
    """SEC-01: the full number for the assigned technician, recorded, as a tel: link."""
    try:
        field_order_get(order_id=order_id, user=_user(request))
        number = customer_phone_reveal(order_id=order_id, by=_user(request))
    except GuifanError as exc:
        return _refused(request, exc) or HttpResponse(error_text(exc), status=exc.http_status)
    return render(request, "web/field/_tel.html", {"number": number})


@require_POST
@role_required(Role.TECHNICIAN)
def call_ahead(request: HttpRequest, order_id: int) -> HttpResponse:
    form = forms.CallAheadForm(request.POST)
    if not form.is_valid():
        return _route(request, errors={order_id: _form_error(form)}, status=422)
    try:
        services.field_call_ahead(
            order_id=order_id,
            late=form.cleaned_data["late"],
            outcome=form.cleaned_data["outcome"],
            expected_version=form.cleaned_data["version"],
            by=_user(request),
        )
    except GuifanError as exc:
        return _refused(request, exc) or _route(
            request, errors={order_id: error_text(exc)}, status=exc.http_status
        )
    messages.success(request, _("Call recorded."), extra_tags="ok")
    return redirect("field:today")


@require_POST
@role_required(Role.TECHNICIAN)
def trip(request: HttpRequest, order_id: int) -> HttpResponse:
    form = forms.TripForm(request.POST)
    if not form.is_valid():
        return _route(request, errors={order_id: _form_error(form)}, status=422)
    action = form.cleaned_data["action"]
    try:
        services.field_trip_step(
            order_id=order_id,
            action=action,
            expected_version=form.cleaned_data["version"],
            by=_user(request),
        )
    except GuifanError as exc:
        return _refused(request, exc) or _route(
            request, errors={order_id: error_text(exc)}, status=exc.http_status
        )
    if action == "arrive":
        return redirect("field:visit", order_id=order_id)
    messages.success(request, _("Trip started."), extra_tags="ok")
    return redirect("field:today")


@require_POST
@role_required(Role.TECHNICIAN)
def step(request: HttpRequest, order_id: int) -> HttpResponse:
    form = forms.StepForm(request.POST)
    norm = request.POST.get("norm", "")
    if not form.is_valid():
        return _visit(request, order_id, errors={f"step-{norm}": _form_error(form)}, status=422)
    step_def = checklist_step_get(form.cleaned_data["norm"])
    kind = step_def.evidence if step_def else ""
    done = form.cleaned_data["outcome"] == "done"
    try:
        order = field_order_get(order_id=order_id, user=_user(request))
        evidence = (
            evidence_from_post(kind, request.POST, broadband=order.service_type == "broadband")
            if done and kind
            else None
        )
        attachment = attachment_from_post(kind, request.POST, request.FILES) if done else None
        services.checklist_step_record(
            order_id=order_id,
            norm_id=form.cleaned_data["norm"],
            outcome=form.cleaned_data["outcome"],
            reason=form.cleaned_data["reason"],
            evidence=evidence,
            attachment=attachment,
            expected_version=form.cleaned_data["version"],
            by=_user(request),
        )
    except GuifanError as exc:
        return _refused(request, exc) or _visit(
            request, order_id, errors={f"step-{norm}": error_text(exc)}, status=exc.http_status
        )
    return redirect(reverse("field:visit", args=[order_id]) + f"#step-{norm}")


def _evidence(
    request: HttpRequest, order_id: int, key: str, save: Callable[[], object], done: str
) -> HttpResponse:
    """Save one piece of visit evidence; a refusal shows next to its box on the visit page."""
    try:
        save()
    except GuifanError as exc:
        return _refused(request, exc) or _visit(
            request, order_id, errors={key: error_text(exc)}, status=exc.http_status
        )
    messages.success(request, done, extra_tags="ok")
    return redirect("field:visit", order_id=order_id)


@require_POST
@role_required(Role.TECHNICIAN)
def photo(request: HttpRequest, order_id: int) -> HttpResponse:
    form = forms.PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        return _visit(request, order_id, errors={"photo": _("Choose a photo.")}, status=422)
    upload = form.cleaned_data["photo"]
    return _evidence(
        request,
        order_id,
        "photo",
        lambda: services.visit_photo_add(
            order_id=order_id,
            data=upload.read(),
            content_type=upload.content_type or "",
            norm_id=form.cleaned_data["norm"],
            expected_version=form.cleaned_data["version"],
            by=_user(request),
        ),
        _("Photo saved."),
    )


@require_POST
@role_required(Role.TECHNICIAN)
def signature(request: HttpRequest, order_id: int) -> HttpResponse:
    form = forms.SignatureForm(request.POST)
    if not form.is_valid():
        return _visit(request, order_id, errors={"signature": _form_error(form)}, status=422)
    return _evidence(
        request,
        order_id,
        "signature",
        lambda: services.visit_signature_save(
            order_id=order_id,
            png=png_from_data_url(form.cleaned_data["signature"]),
            expected_version=form.cleaned_data["version"],
            by=_user(request),
        ),
        _("Signature saved."),
    )


@require_POST
@role_required(Role.TECHNICIAN)
def rating(request: HttpRequest, order_id: int) -> HttpResponse:
    form = forms.RatingForm(request.POST)
    if not form.is_valid():
        return _visit(request, order_id, errors={"rating": _form_error(form)}, status=422)
    return _evidence(
        request,
        order_id,
        "rating",
        lambda: services.visit_rating_save(
            order_id=order_id,
            score=form.cleaned_data["score"],
            comment=form.cleaned_data["comment"],
            expected_version=form.cleaned_data["version"],
            by=_user(request),
        ),
        _("Rating saved."),
    )


@require_POST
@role_required(Role.TECHNICIAN)
def complete(request: HttpRequest, order_id: int) -> HttpResponse:
    form = forms.VersionForm(request.POST)
    if not form.is_valid():
        return _visit(request, order_id, errors={"complete": _form_error(form)}, status=422)
    try:
        services.field_visit_complete(
            order_id=order_id,
            expected_version=form.cleaned_data["version"],
            by=_user(request),
            fix_certain=not request.POST.get("fix_uncertain"),  # QA-01: the call centre calls
        )
    except GuifanError as exc:
        errors = _completion_errors(exc)
        return _refused(request, exc) or _visit(
            request, order_id, errors=errors, status=exc.http_status
        )
    messages.success(request, _("Visit completed."), extra_tags="ok")
    return redirect("field:today")


@require_POST
@role_required(Role.TECHNICIAN)
def door(request: HttpRequest, order_id: int) -> HttpResponse:
    """Nobody answers: the protocol as tapped on the phone, then back to booking (VIS-03)."""
    form = forms.DoorForm(request.POST)
    if not form.is_valid():
        return _visit(request, order_id, errors={"door": _form_error(form)}, status=422)
    try:
        events = json.loads(form.cleaned_data["events"])
    except ValueError:
        events = None
    left = form.cleaned_data["left"] or clock_now()
    try:
        door_unanswered(
            order_id=order_id,
            events=events if isinstance(events, list) else [],
            note={
                "name": form.cleaned_data["name"],
                "phone": form.cleaned_data["phone"],
                "left": left.isoformat(),
            },
            expected_version=form.cleaned_data["version"],
            by=_user(request),
        )
    except GuifanError as exc:
        return _refused(request, exc) or _visit(
            request, order_id, errors={"door": error_text(exc)}, status=exc.http_status
        )
    messages.success(request, _("Door note recorded; the desk will re-book."), extra_tags="ok")
    return redirect("field:today")


@require_POST
@role_required(Role.TECHNICIAN)
def kit(request: HttpRequest, order_id: int) -> HttpResponse:
    """The pre-departure checklist (DSP-06): what is ticked; departure needs it whole."""
    form = forms.VersionForm(request.POST)
    if not form.is_valid():
        return _route(request, errors={order_id: _form_error(form)}, status=422)
    # Boxes are numbered in the checklist's order (the keys are data, not page text).
    ticked = set(request.POST.getlist("kit"))
    try:
        order = field_order_get(order_id=order_id, user=_user(request))
        check = kit_check_record(
            order_id=order_id,
            items={key: str(i) in ticked for i, key in enumerate(kit_items(order))},
            expected_version=form.cleaned_data["version"],
            by=_user(request),
        )
    except GuifanError as exc:
        return _refused(request, exc) or _route(
            request, errors={order_id: error_text(exc)}, status=exc.http_status
        )
    if check.complete:
        messages.success(request, _("Kit check complete: you may set off."), extra_tags="ok")
    else:
        missing = "、".join(kit_label(k) for k in check.missing)
        messages.warning(request, _("Still missing: %(items)s") % {"items": missing})
    return redirect("field:today")
