"""Display names for stored codes, translated (the models keep Chinese admin labels)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guifan.apps.web.norm_text import chinese_page
from guifan.compliance.phrases import element_label
from guifan.norms.reasons import work_type_join

ROLE: dict[str, Promise] = {
    "admin": _("Administrator"),
    "dispatcher": _("Dispatcher"),
    "technician": _("Technician"),
    "hall_staff": _("Hall staff"),
    "duty_manager": _("Duty manager"),
    "quality": _("Quality supervisor"),
    "system": _("System"),
}

ORDER_STATUS: dict[str, Promise] = {
    "received": _("Received"),
    "analysed": _("Analysed"),
    "remote": _("Remote fix"),
    "awaiting_appointment": _("Awaiting appointment"),
    "scheduled": _("Scheduled"),
    "dispatched": _("Dispatched"),
    "en_route": _("On the way"),
    "on_site": _("On site"),
    "completed": _("Completed"),
    "bring_back": _("Brought back"),
    "cancelled": _("Cancelled"),
    "callback": _("Callback"),
    "closed": _("Closed"),
}

SERVICE_TYPE: dict[str, Promise] = {
    "broadband": _("Broadband"),
    "fixed_line": _("Fixed line"),
    "iptv": _("IPTV"),
    "ims": _("IMS"),
    "appliance": _("Appliance repair"),
    "home_care": _("Home care"),
}

ORDER_KIND: dict[str, Promise] = {
    "install": _("Install"),
    "move": _("Move"),
    "repair": _("Repair"),
    "care": _("Care visit"),
}

HALF_DAY: dict[str, Promise] = {"am": _("Morning"), "pm": _("Afternoon")}

TIER: dict[str, Promise] = {
    "diamond": _("Diamond"),
    "gold": _("Gold"),
    "silver": _("Silver"),
    "normal": _("Normal"),
}

CALLBACK_PURPOSE: dict[str, Promise] = {
    "remote_fix": _("Callback after a remote fix"),
    "uncertain": _("Callback after an uncertain repair"),
    "untested": _("Callback after a repair not tested with the customer"),
    "audit": _("Closure audit"),
    "complaint": _("Callback after a complaint"),
}

# A corrective action's state (QA-08; the model's own labels are the admin's Chinese).
ACTION_STATUS: dict[str, Promise] = {
    "open": pgettext_lazy("corrective action", "Open"),
    "overdue": pgettext_lazy("corrective action", "Overdue"),
    "closed": pgettext_lazy("corrective action", "Closed"),
}

DEVICE_KIND: dict[str, Promise] = {
    "kiosk": pgettext_lazy("hall device", "Ticket kiosk"),
    "screen": pgettext_lazy("hall device", "Calling screen"),
    "rating": pgettext_lazy("hall device", "Rating pad"),
}

# stock.models: ItemKind, MovementKind, LoanerState, RequisitionStage
STOCK: dict[str, Promise] = {
    "item.spare": pgettext_lazy("stock item", "Spare part"),
    "item.material": pgettext_lazy("stock item", "Material"),
    "item.loaner": pgettext_lazy("stock item", "Loaner"),
    "movement.receive": pgettext_lazy("stock movement", "Received"),
    "movement.reserve": pgettext_lazy("stock movement", "Reserved"),
    "movement.issue": pgettext_lazy("stock movement", "Issued"),
    "movement.return": pgettext_lazy("stock movement", "Returned to stock"),
    "movement.release": pgettext_lazy("stock movement", "Reservation released"),
    "movement.lend": pgettext_lazy("stock movement", "Loaner lent"),
    "movement.take_back": pgettext_lazy("stock movement", "Loaner taken back"),
    "loaner.available": pgettext_lazy("loaner", "In stock"),
    "loaner.lent": pgettext_lazy("loaner", "Lent"),
    "stage.analysis": pgettext_lazy("requisition", "At the analysis"),
    "stage.late": pgettext_lazy("requisition", "After booking"),
    "stage.on_site": pgettext_lazy("requisition", "Missing on site"),
}


def label(table: dict[str, Promise], code: str) -> str:
    """The translated label, or the code itself when the table does not know it."""
    found = table.get(code)
    return str(found) if found is not None else code


def work_type_text(service_type: str, kind: str) -> str:
    """宽带装机 / "Broadband Install": a service and a kind of work, as the pages name them, no
    word said twice (上门产品维修, not 上门产品维修维修; "Home care visit")."""
    service, work = label(SERVICE_TYPE, service_type), label(ORDER_KIND, kind)
    return work_type_join(service, work, "" if chinese_page() else " ")


def work_type_label(code: str) -> str:
    """A certificate's work type (``broadband_install``, ``fixed_line_move``) for a page."""
    for service in sorted(SERVICE_TYPE, key=len, reverse=True):
        if code.startswith(f"{service}_"):
            return work_type_text(service, code[len(service) + 1 :])
    return code


def actor_text(actor: str) -> str:
    """ "technician:wang" -> "技术人员 wang"; "system" -> "系统"."""
    role, _sep, username = actor.partition(":")
    return f"{label(ROLE, role)} {username}".strip()


def transcript_step(name: str) -> str:
    """A required step the transcript lacked (``confirm_person``), as the page's reader says it."""
    return element_label(name, zh=chinese_page())
