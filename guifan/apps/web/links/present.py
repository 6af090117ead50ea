"""What the customer's page shows: display values only, prepared outside the template."""

from __future__ import annotations

from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from guifan.apps.fieldwork.eta import eta_for_order
from guifan.apps.norms.services import norms_snapshot
from guifan.apps.orders.choices import AppointmentStatus, Status
from guifan.apps.orders.services import CustomerLink
from guifan.apps.web.labels import HALF_DAY, ORDER_KIND, ORDER_STATUS, SERVICE_TYPE, label
from guifan.clock import local
from guifan.clock import now as clock_now
from guifan.optimize.matrix import MatrixUnavailable

DONE = frozenset({Status.COMPLETED, Status.CALLBACK, Status.CLOSED, Status.BRING_BACK})


def _state(link: CustomerLink, *, eta: bool) -> tuple[str, str]:
    """(alert tone, sentence) for where the visit stands; empty while it is only booked."""
    order, appt = link.order, link.appointment
    if order.status == Status.CANCELLED or appt.status == AppointmentStatus.CANCELLED:
        return "warn", _("This appointment has been cancelled.")
    if order.status == Status.EN_ROUTE:
        if appt.planned_arrival is not None and not eta:
            at = f"{local(appt.planned_arrival):%H:%M}"
            return "ok", _("The technician is on the way. Planned arrival: %(at)s.") % {"at": at}
        return "ok", _("The technician is on the way.")
    if order.status == Status.ON_SITE:
        return "ok", _("The technician has arrived.")
    if order.status in DONE:
        return "ok", _("The visit is done. Thank you.")
    return "", ""


def eta_context(link: CustomerLink) -> dict[str, Any] | None:
    """The live ETA when this visit is the technician's next stop (ADR 0034): a time and a
    number of minutes only, never where the technician is."""
    try:
        eta = eta_for_order(link.order, clock_now(), norms_snapshot())
    except MatrixUnavailable:
        return None
    if eta is None or link.appointment.id != eta.appointment_id:
        return None
    minutes = max(eta.minutes, 1)
    return {
        "text": _("Expected arrival: %(at)s (in about %(minutes)s minutes).")
        % {"at": f"{local(eta.at):%H:%M}", "minutes": minutes},
        "last_mile": _("The technician is about %(minutes)s minutes away and will arrive soon.")
        % {"minutes": minutes}
        if eta.last_mile
        else "",
    }


def appointment_context(link: CustomerLink) -> dict[str, Any]:
    order, appt = link.order, link.appointment
    tech = appt.technician or order.technician
    start, end = local(appt.window_start), local(appt.window_end)
    eta = eta_context(link)
    tone, state = _state(link, eta=eta is not None)
    return {
        "number": order.number,
        "service": f"{label(SERVICE_TYPE, order.service_type)} · {label(ORDER_KIND, order.kind)}",
        "status": label(ORDER_STATUS, order.status),
        "address": order.address.text,
        "phone": order.customer.masked_phone,
        "day": formats.date_format(
            appt.date, pgettext("date format of a visit (Django date syntax)", "l, F j, Y")
        ),
        "half_day": label(HALF_DAY, appt.half_day),
        "window": f"{start:%H:%M}–{end:%H:%M}",
        "confirmed": appt.confirmed_at is not None,
        "technician": {"name": tech.name, "badge": tech.badge_no} if tech else None,
        "state_tone": tone,
        "state": state,
        "eta": eta,
        "actionable": link.actionable,
        "expires": formats.date_format(
            local(link.expires_at), pgettext("date format of a link's expiry", "F j, H:i")
        ),
    }
