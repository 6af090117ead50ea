"""A service refusal in the page's language.

Services raise ``guifan.errors`` with a code and a Chinese message (pure code: no Django, no
gettext). A page shows ``error_text(exc)``: the service's own message on the Chinese pages
(it names the order, the status, the limit), and on the English pages the translated text of
its code from ``ERROR`` below; a code the table lacks keeps the service's message.
Placeholders name keys of the error's ``extra`` (or ``field``/``rule``).
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from guifan.errors import GuifanError

ERROR: dict[str, Promise] = {
    "order.stale": _("Someone else changed this order meanwhile; reload and try again."),
    "order.illegal_transition": _("The order's status does not allow this step."),
    "order.not_found": _("This order does not exist or is not yours to handle."),
    "order.unknown_action": _("Unknown action."),
    "appointment.already_booked": _(
        "This order already has a booked visit; reschedule it to change it."
    ),
    "appointment.not_found": _("This appointment does not exist."),
    "area.not_found": _("This service area does not exist or is not yours to dispatch."),
    "technician.not_found": _("This technician does not exist or is not on duty."),
    "area.busy": _("Another plan of this service area is running; try again in a moment."),
    "plan.day_past": _("This day has passed: it cannot be planned."),
    "plan.day_far": _("Plans are made at most 14 days ahead."),
    "plan.no_areas": _("You have no service area to plan."),
    "visit.no_appointment": _("This order has no booked visit."),
    "visit.started": _("This visit has started or ended; it cannot be reassigned."),
    "case.not_found": _("This case does not exist."),
    "callback.not_found": _("This callback task does not exist."),
    "callback.claimed": _("Someone else has already claimed this callback."),
    "link.invalid": _("This link is not valid or has been altered."),
    "position.not_technician": _("Only a technician shares their own position."),
    "position.no_consent": _("Position sharing is off: no position is taken (APT-07)."),
    "position.outside_shift": _("Outside your shift: no position is taken (APT-07)."),
    "position.impossible_speed": _(
        "This position is too far from the previous one to be true (APT-07)."
    ),
}


def error_text(exc: GuifanError) -> str:
    """``exc``'s message for the page: Chinese as raised, other languages from ``ERROR``."""
    if (get_language() or "zh-hans").startswith("zh"):
        return exc.message
    found = ERROR.get(exc.code)
    if found is None:
        return exc.message
    values: dict[str, Any] = {"field": exc.field or "", "rule": exc.rule or "", **exc.extra}
    try:
        return str(found).format(**values)
    except (KeyError, IndexError, ValueError):
        return exc.message
