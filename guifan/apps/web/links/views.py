"""The customer's pages behind a signed link: no login, only this order's visit."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from guifan.apps.norms.services import norms_snapshot
from guifan.apps.orders import services
from guifan.apps.orders.services import CustomerLink, LinkExpired
from guifan.apps.web.error_text import error_text
from guifan.apps.web.links.forms import CancelForm, ChangeForm, LinkActionForm, mark_invalid
from guifan.apps.web.links.present import appointment_context
from guifan.clock import now as clock_now
from guifan.errors import Conflict, GuifanError, NotFound

# Service error fields that belong to the slot field of the change form.
SLOT_FIELDS = frozenset({"slot", "date", "half_day", "window_start", "window_end"})

LinkView = Callable[..., HttpResponse]


def _bad_link(request: HttpRequest, error: GuifanError) -> HttpResponse:
    """A clear page for an expired (410) or unusable (404) link, never a trace."""
    hotline = norms_snapshot().param("VIS-13", "hotline")
    if isinstance(error, LinkExpired):
        return render(request, "web/links/expired.html", {"hotline": hotline}, status=410)
    return render(request, "web/links/invalid.html", {"hotline": hotline}, status=404)


def link_view(view: LinkView) -> LinkView:
    """Open the token first; every request (GET or POST) re-checks it."""

    @wraps(view)
    def wrapper(request: HttpRequest, token: str) -> HttpResponse:
        try:
            link = services.customer_link_open(token=token)
        except (LinkExpired, NotFound) as error:
            return _bad_link(request, error)
        return view(request, token, link)

    return never_cache(wrapper)


def _page(
    request: HttpRequest,
    token: str,
    link: CustomerLink,
    *,
    change_form: ChangeForm | None = None,
    alert: str = "",
    status: int = 200,
) -> HttpResponse:
    slots = services.appointment_slots(order=link.order, now=clock_now()) if link.actionable else []
    context: dict[str, Any] = {
        **appointment_context(link),
        "token": token,
        "change_form": mark_invalid(change_form or ChangeForm(initial=_hidden(link), slots=slots)),
        "confirm_form": LinkActionForm(initial=_hidden(link), auto_id="confirm_%s"),
        "alert": alert,
    }
    return render(request, "web/links/appointment.html", context, status=status)


def _hidden(link: CustomerLink) -> dict[str, int]:
    return {"version": link.order.version, "appointment": link.appointment.id}


def _refused(
    request: HttpRequest, token: str, error: GuifanError, change_form: ChangeForm | None = None
) -> HttpResponse:
    """Show the fresh state after a refusal; a stale page is reported, never overwritten."""
    try:
        link = services.customer_link_open(token=token)
    except (LinkExpired, NotFound) as bad:
        return _bad_link(request, bad)
    if isinstance(error, NotFound):
        return _bad_link(request, error)  # another order's appointment: as if it did not exist
    if isinstance(error, Conflict):
        alert = _(
            "Your appointment changed while this page was open. "
            "Please check the details below and try again."
        )
        if error.code == "link.closed":
            alert = _("This appointment can no longer be changed through the link.")
        return _page(request, token, link, alert=alert, status=409)
    if change_form is not None and error.field in SLOT_FIELDS:
        change_form.add_error("slot", error_text(error))
        return _page(request, token, link, change_form=change_form, status=422)
    return _page(request, token, link, alert=error_text(error), status=422)


def _done(request: HttpRequest, token: str, message: str) -> HttpResponse:
    messages.info(request, message, extra_tags="ok")
    return HttpResponseRedirect(reverse("links:appointment", kwargs={"token": token}))


def _stale(request: HttpRequest, token: str) -> HttpResponse:
    return _refused(request, token, Conflict("link.stale", "", field="version"))


@require_GET
@link_view
def appointment(request: HttpRequest, token: str, link: CustomerLink) -> HttpResponse:
    return _page(request, token, link)


@require_POST
@link_view
def confirm(request: HttpRequest, token: str, link: CustomerLink) -> HttpResponse:
    form = LinkActionForm(request.POST)
    if not form.is_valid():
        return _stale(request, token)
    try:
        services.customer_link_confirm(
            token=token,
            version=form.cleaned_data["version"],
            appointment_id=form.cleaned_data["appointment"],
        )
    except GuifanError as error:
        return _refused(request, token, error)
    return _done(request, token, _("Thank you. Your appointment is confirmed."))


@require_POST
@link_view
def change(request: HttpRequest, token: str, link: CustomerLink) -> HttpResponse:
    slots = services.appointment_slots(order=link.order, now=clock_now()) if link.actionable else []
    form = ChangeForm(request.POST, slots=slots)
    if not form.is_valid():
        if "version" in form.errors or "appointment" in form.errors:
            return _stale(request, token)
        return _page(request, token, link, change_form=form, status=422)
    try:
        services.customer_link_reschedule(
            token=token,
            version=form.cleaned_data["version"],
            appointment_id=form.cleaned_data["appointment"],
            window_start=form.cleaned_data["slot"],
        )
    except GuifanError as error:
        return _refused(request, token, error, change_form=form)
    return _done(request, token, _("Your appointment has been moved to the new time."))


@require_GET
@link_view
def cancel_ask(request: HttpRequest, token: str, link: CustomerLink) -> HttpResponse:
    """The confirm step before a cancellation."""
    if not link.actionable:
        return HttpResponseRedirect(reverse("links:appointment", kwargs={"token": token}))
    form = CancelForm(initial=_hidden(link))
    return _cancel_page(request, token, link, form)


def _cancel_page(
    request: HttpRequest, token: str, link: CustomerLink, form: CancelForm, status: int = 200
) -> HttpResponse:
    context = {**appointment_context(link), "token": token, "form": mark_invalid(form)}
    return render(request, "web/links/cancel.html", context, status=status)


@require_POST
@link_view
def cancel(request: HttpRequest, token: str, link: CustomerLink) -> HttpResponse:
    form = CancelForm(request.POST)
    if not form.is_valid():
        if "version" in form.errors or "appointment" in form.errors:
            return _stale(request, token)
        return _cancel_page(request, token, link, form, status=422)
    try:
        services.customer_link_cancel(
            token=token,
            version=form.cleaned_data["version"],
            appointment_id=form.cleaned_data["appointment"],
            reason=form.record_text(),
        )
    except GuifanError as error:
        return _refused(request, token, error)
    return _done(request, token, _("Your appointment has been cancelled."))
