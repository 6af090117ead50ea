"""Display names for the hall's stored codes, translated."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

CLASS: dict[str, Promise] = {
    "star67": _("6–7 star customers"),
    "star5": _("5 star customers"),
    "normal": _("Other customers"),
}

COUNTER_STATUS: dict[str, Promise] = {
    "open": pgettext_lazy("counter state", "Open"),
    "paused": pgettext_lazy("counter state", "Paused"),
    "closed": pgettext_lazy("counter state", "Closed"),
}

TICKET_STATUS: dict[str, Promise] = {
    "waiting": pgettext_lazy("ticket state", "Waiting"),
    "called": pgettext_lazy("ticket state", "Called"),
    "serving": pgettext_lazy("ticket state", "Being served"),
    "done": pgettext_lazy("ticket state", "Done"),
    "no_show": pgettext_lazy("ticket state", "No-show"),
    "abandoned": pgettext_lazy("ticket state", "Left"),
    "transferred": pgettext_lazy("ticket state", "Transferred"),
}

ALERT_KIND: dict[str, Promise] = {
    "peak": _("Peak: too many waiting per open counter (HAL-03)"),
    "target_risk": _("Waiting target at risk (HAL-02)"),
}

# HAL-07: what the customer tells the kiosk, and what staff do while the customer waits.
PREPROCESSING: dict[str, Promise] = {
    "id_ready": _("I have my ID card with me"),
    "only_question": _("I only have a simple question"),
    "id_checked": _("ID checked"),
    "resource_prechecked": _("Resources pre-checked"),
    "question_answered": _("Simple question answered"),
    "self_service_guided": _("Guided to self-service"),
    "offers_introduced": _("Current offers introduced"),
}

PLAYBOOK: dict[str, Promise] = {
    "fire": _("Fire"),
    "system / base-station outage": _("System or base-station outage"),
    "customer taken ill": _("Customer taken ill"),
    "power cut": _("Power cut"),
    "journalist interview": _("Journalist interview"),
    "unauthorised photos or filming": _("Unauthorised photos or filming"),
    "rain and snow": _("Rain and snow"),
}

COMPLAINT_STATUS: dict[str, Promise] = {
    "open": pgettext_lazy("complaint state", "Open"),
    "replied": pgettext_lazy("complaint state", "Replied"),
    "escalated": pgettext_lazy("complaint state", "Reported upward"),
    "referred": pgettext_lazy("complaint state", "Referred to 10000 / 96180"),
}
