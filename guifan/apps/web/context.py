"""Template context every page gets: the user's role name and navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guifan.apps.accounts.models import Role, User
from guifan.apps.web.access import role_allows
from guifan.apps.web.labels import ROLE, label

# (url name, label, roles that see it); admins see all.
NAV: tuple[tuple[str, Any, tuple[str, ...]], ...] = (
    ("web:overview", _("Overview"), ()),
    ("board:index", _("Dispatch board"), (Role.DISPATCHER,)),
    ("board:plans", _("Plan runs"), (Role.DISPATCHER,)),
    ("stock:index", _("Stock"), (Role.DISPATCHER,)),
    ("field:today", _("My route"), (Role.TECHNICIAN,)),
    ("field:knowledge", _("Fault knowledge"), (Role.TECHNICIAN,)),
    ("hall:counter", _("Counter"), (Role.HALL_STAFF,)),
    ("hall:overview", _("Hall"), (Role.DUTY_MANAGER,)),
    ("hall:playbooks", _("Emergencies"), (Role.DUTY_MANAGER,)),
    ("hall:inspection-halls", _("Inspections"), (Role.QUALITY, Role.DUTY_MANAGER)),
    ("hall:complaints", _("Complaints"), (Role.HALL_STAFF, Role.DUTY_MANAGER, Role.QUALITY)),
    ("quality:index", _("Compliance"), (Role.QUALITY, Role.DUTY_MANAGER)),
    ("callcentre:index", _("Callbacks"), (Role.QUALITY,)),
    ("evaluation:queue", _("Evaluations"), (Role.QUALITY,)),
    ("cases:index", _("Cases"), (Role.QUALITY, Role.DISPATCHER, Role.TECHNICIAN)),
    ("scorecards:index", _("Scorecards"), (Role.QUALITY, Role.DUTY_MANAGER, Role.DISPATCHER)),
)


def web(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return {"nav": [], "role_label": ""}
    path = request.path
    items = []
    for name, text, roles in NAV:
        if not role_allows(user, roles):
            continue
        url = reverse(name)
        items.append({"url": url, "label": text, "active": path.startswith(url)})
    # Only the longest matching entry is current (/t/knowledge/ is not also /t/).
    current = max((i for i in items if i["active"]), key=lambda i: len(i["url"]), default=None)
    for item in items:
        item["active"] = item is current
    role = Role.ADMIN if user.is_superuser else user.role
    return {"nav": items, "role_label": label(ROLE, role)}
