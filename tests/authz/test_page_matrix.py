"""Every page URL x every role x (own object, other's object), against one table.

The URLs come from the URL conf (``guifan.urls``), so a new pattern without a row in
``EXPECTED`` fails here. Each role logs in (anonymous too): not logged in -> redirect to the
login page; a role that may never open it -> 403; someone else's object (in the URL or in the
form) -> 404 with nothing changed; one's own -> a page, a redirect, or a business answer
(409/422 for a POST), never 403/404.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLResolver

from guifan import urls
from guifan.apps.accounts.models import Role
from tests.authz import evaluation_objects as ev_objects
from tests.authz.callcentre_objects import callback_id
from tests.authz.case_objects import case_id
from tests.authz.conftest import ANONYMOUS
from tests.authz.fingerprint import changed, fingerprint
from tests.authz.hall_business_objects import done_business_id
from tests.authz.stock_objects import receipt_link_token, requisition_id
from tests.city import ROLES, City, Side

pytestmark = pytest.mark.django_db

ADMIN, SYSTEM, QUALITY = Role.ADMIN, Role.SYSTEM, Role.QUALITY
DISPATCHER, TECHNICIAN = Role.DISPATCHER, Role.TECHNICIAN
HALL_STAFF, DUTY_MANAGER = Role.HALL_STAFF, Role.DUTY_MANAGER

# URL prefixes this matrix leaves to others, and why.
SKIPPED = {
    "admin/": "Django's admin: one row below (admin index: admin only); its own tests cover it",
    "api/v1/": "the JSON API: tests/authz/test_api_matrix.py, from the OpenAPI document",
    "i18n/": "Django's set_language: a public view without objects",
}

SEES_ALL = {
    "order": frozenset({ADMIN}),
    "area": frozenset({ADMIN}),
    "hall": frozenset({ADMIN, QUALITY}),  # quality inspects every hall (HAL-09)
    "assignment": frozenset({ADMIN}),  # an evaluator scores only the own queue (issue 14)
    "case": frozenset({ADMIN, QUALITY}),  # the quality centre works every field case
}
NO_POST = "an administrator has no hall post: the page has no hall to show"
NOT_TECHNICIAN = "an administrator is not a technician: no position of their own"
NOW = "2025-06-02T10:00:00+08:00"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
SIGNATURE = "data:image/png;base64,iVBORw0KGgoAAAAAAAAAAAAAAAAAAAAAAAA"

Build = Callable[[Side, City], dict[str, Any]]


def _none(s: Side, c: City) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Page:
    """Who may open a page and which object decides whose it is (``scope``): order, area,
    hall, link (a customer link: the appointment in the form must be the link's), none (no
    object) or public (no login). ``kwargs`` fills the URL, ``data`` the query or form."""

    roles: frozenset[str]
    scope: str
    kwargs: Build = _none
    data: Build = _none
    other: frozenset[int] = frozenset({404})
    exceptions: dict[str, tuple[int, str]] = field(default_factory=dict)  # role -> (answer, why)
    login: str = "/login/"  # where an anonymous browser is sent (a device page: the pairing)


OFFICE = frozenset({ADMIN, DISPATCHER})
FIELD = frozenset({ADMIN, TECHNICIAN})
STAFF = frozenset({ADMIN, HALL_STAFF})
MANAGER = frozenset({ADMIN, DUTY_MANAGER})
DEVICE = frozenset({ADMIN, HALL_STAFF, DUTY_MANAGER})
SCREEN = DEVICE  # staff may look at their hall's calling screen
# The kiosk opens only as a paired kiosk device (ADR 0027; tests/authz/test_device_matrix.py):
# every person gets 403. An anonymous browser on a device page is sent to the pairing page.
KIOSK = frozenset[str]()
PAIR = "/hall/device/pair/"
INSPECTORS = frozenset({ADMIN, DUTY_MANAGER, QUALITY})
CASE_WORKERS = frozenset({ADMIN, QUALITY, DISPATCHER, TECHNICIAN})
# The board's area picker offers posted areas only: another area is an invalid choice (422,
# naming the field, the same for a missing area) or not found (404). Nothing is revealed.
PICKER = frozenset({404, 422})


def version(s: Side, c: City) -> dict[str, Any]:
    return {"version": s.order_version()}


def area_day(s: Side, c: City) -> dict[str, Any]:
    return {"area": s.area, "date": "2025-06-02"}


def link_form(s: Side, c: City) -> dict[str, Any]:
    """The customer's own link (always ``own``), naming the side's appointment."""
    return {"version": c.own.order_version(), "appointment": s.appointment_id}


def own_token(s: Side, c: City) -> dict[str, Any]:
    return {"token": c.own.link_token}


def hall_booking(s: Side) -> str:
    """A booking at the side's hall ten minutes from now (made before the fingerprint)."""
    import datetime as dt

    from guifan.apps.hall.appointments import appointment_book
    from guifan.clock import now

    slot = now() + dt.timedelta(minutes=10)
    return appointment_book(
        hall_code=s.hall, by=None, category="A", slot_at=slot, phone="13912345678"
    ).code


def mobile_token(s: Side, c: City) -> dict[str, Any]:
    """The signed link of a mobile ticket taken at the own hall."""
    from guifan.apps.hall.mobile import mobile_ticket_issue

    issued = mobile_ticket_issue(hall_code=c.own.hall, by=None, category="A", phone="13912345678")
    return {"token": issued.path.rstrip("/").rsplit("/", 1)[1]}


def order_id(s: Side, c: City) -> dict[str, Any]:
    return {"order_id": s.order_id}


def article_id(s: Side, c: City) -> dict[str, Any]:
    """A seeded knowledge article: articles belong to no one (AUTHZ in knowledge.services)."""
    from guifan.apps.knowledge.models import Article
    from guifan.apps.knowledge.services import knowledge_load

    if not Article.objects.exists():  # a transactional test elsewhere flushed the seed
        knowledge_load()

    return {"article_id": Article.objects.order_by("id").values_list("id", flat=True)[0]}


AGENTS = frozenset({ADMIN, QUALITY})


def callback(s: Side, c: City) -> dict[str, Any]:
    return {"callback_id": callback_id(s)}


EVALUATORS = frozenset({ADMIN, QUALITY})


def assignment(s: Side, c: City) -> dict[str, Any]:
    return {"assignment_id": ev_objects.assignment_id(s)}


QC_READERS = frozenset({ADMIN, QUALITY, DUTY_MANAGER, DISPATCHER})


def technician_action(s: Side, c: City) -> dict[str, Any]:
    """A coaching record for the side's technician (closed by the area's dispatcher)."""
    from guifan.apps.assessment.services import action_create
    from guifan.apps.workforce.models import Technician

    badge = Technician.objects.values_list("badge_no", flat=True).get(id=s.technician_id)
    action = action_create(
        kind="coaching", person=badge, norm_id="VIS-05", finding="未穿鞋套", by=None
    )
    return {"action_id": action.id}


def hall_code(s: Side, c: City) -> dict[str, Any]:
    return {"hall": s.hall}


EXPECTED: dict[str, Page] = {
    "GET ": Page(frozenset(ROLES) - {SYSTEM}, "none"),  # each role's home (system has none)
    "GET login/": Page(frozenset(), "public"),
    "GET favicon.ico": Page(frozenset(), "public"),
    "POST logout/": Page(frozenset(), "public"),
    "GET overview/": Page(frozenset({ADMIN}), "none"),
    "GET board/": Page(OFFICE, "area", data=lambda s, c: {"area": s.area}, other=PICKER),
    "GET board/live/": Page(OFFICE, "area", data=lambda s, c: {"area": s.area}, other=PICKER),
    "POST board/plan/": Page(OFFICE, "area", data=area_day, other=PICKER),
    "POST board/replan/": Page(OFFICE, "area", data=area_day, other=PICKER),
    # Issue 18 §5: the day's plan runs, each dispatcher's own areas; starting names an area
    # from the dispatcher's picker (another is an invalid choice) or all of their areas.
    "GET board/plans/": Page(OFFICE, "none"),
    "GET board/plans/live/": Page(OFFICE, "none"),
    "POST board/plans/": Page(
        OFFICE, "area", data=lambda s, c: {"area": s.area, "date": "2025-06-03"}, other=PICKER
    ),
    "GET board/visits/<int:appointment_id>/": Page(
        OFFICE, "order", kwargs=lambda s, c: {"appointment_id": s.appointment_id}
    ),
    "POST board/visits/<int:appointment_id>/assign/": Page(
        OFFICE,
        "order",
        kwargs=lambda s, c: {"appointment_id": s.appointment_id},
        data=lambda s, c: {"technician": s.technician_id, "arrival": "13:45", **version(s, c)},
    ),
    "POST board/visits/<int:appointment_id>/drop/": Page(
        OFFICE,
        "order",
        kwargs=lambda s, c: {"appointment_id": s.appointment_id},
        data=lambda s, c: {"technician": s.technician_id, "dropped": "13:45", **version(s, c)},
    ),
    "GET stock/": Page(OFFICE, "area", data=lambda s, c: {"area": s.area}, other=PICKER),
    # A requisition is its order's: another area's reads as missing.
    "POST stock/requisitions/<int:requisition_id>/issue/": Page(
        OFFICE, "order", kwargs=lambda s, c: {"requisition_id": requisition_id(s)}
    ),
    # The customer's receipt (ORD-07) by its signed link: no login, like the customer links.
    "GET stock/receipt/<str:token>/": Page(
        frozenset(), "public", kwargs=lambda s, c: {"token": receipt_link_token(c.own)}
    ),
    # The call centre's worklist (issue 14): quality agents work every order's callbacks.
    "GET qc/callbacks/": Page(AGENTS, "none"),
    "GET qc/callbacks/<int:callback_id>/": Page(AGENTS, "none", kwargs=callback),
    "POST qc/callbacks/<int:callback_id>/claim/": Page(AGENTS, "none", kwargs=callback),
    "POST qc/callbacks/<int:callback_id>/attempt/": Page(
        AGENTS, "none", kwargs=callback, data=lambda s, c: {"reached": "no", "note": "无人接听"}
    ),
    "POST qc/callbacks/<int:callback_id>/revisit/": Page(AGENTS, "none", kwargs=callback),
    "GET t/": Page(FIELD, "none"),
    # Live ETA (ADR 0034): a technician's own position; an administrator has none to share.
    "POST t/position/sharing/": Page(
        FIELD,
        "none",
        data=lambda s, c: {"sharing": "on"},
        exceptions={ADMIN: (403, NOT_TECHNICIAN)},
    ),
    "POST t/position/": Page(
        FIELD,
        "none",
        data=lambda s, c: {"lat": "30.65", "lon": "104.08", "accuracy": "20", "at": NOW},
        exceptions={ADMIN: (403, NOT_TECHNICIAN)},
    ),
    "GET t/o/<int:order_id>/": Page(FIELD, "order", kwargs=order_id),
    "POST t/o/<int:order_id>/phone/": Page(FIELD, "order", kwargs=order_id),
    "POST t/o/<int:order_id>/call-ahead/": Page(
        FIELD, "order", kwargs=order_id, data=lambda s, c: {"outcome": "answered", **version(s, c)}
    ),
    "POST t/o/<int:order_id>/trip/": Page(
        FIELD, "order", kwargs=order_id, data=lambda s, c: {"action": "depart", **version(s, c)}
    ),
    "POST t/o/<int:order_id>/step/": Page(
        FIELD,
        "order",
        kwargs=order_id,
        data=lambda s, c: {"norm": "VIS-01", "outcome": "done", **version(s, c)},
    ),
    "POST t/o/<int:order_id>/photo/": Page(
        FIELD,
        "order",
        kwargs=order_id,
        data=lambda s, c: {
            "photo": SimpleUploadedFile("p.png", PNG, content_type="image/png"),
            **version(s, c),
        },
    ),
    "POST t/o/<int:order_id>/signature/": Page(
        FIELD, "order", kwargs=order_id, data=lambda s, c: {"signature": SIGNATURE, **version(s, c)}
    ),
    "POST t/o/<int:order_id>/rating/": Page(
        FIELD, "order", kwargs=order_id, data=lambda s, c: {"score": 5, **version(s, c)}
    ),
    "POST t/o/<int:order_id>/complete/": Page(FIELD, "order", kwargs=order_id, data=version),
    "POST t/o/<int:order_id>/door/": Page(FIELD, "order", kwargs=order_id, data=version),
    "POST t/o/<int:order_id>/kit/": Page(FIELD, "order", kwargs=order_id, data=version),
    # JSON body; the answer per action is in ``results`` (see ``answer``).
    "POST t/sync/": Page(
        FIELD,
        "order",
        data=lambda s, c: {
            "actions": [
                {"key": "k1", "kind": "depart", "order": s.order_id, **version(s, c)},
            ]
        },
    ),
    "GET t/o/<int:order_id>/exceptions/": Page(FIELD, "order", kwargs=order_id),
    "GET t/o/<int:order_id>/exceptions/<slug:kind>/": Page(
        FIELD, "order", kwargs=lambda s, c: {"order_id": s.order_id, "kind": "power_cut"}
    ),
    "POST t/o/<int:order_id>/exceptions/<slug:kind>/record/": Page(
        FIELD,
        "order",
        kwargs=lambda s, c: {"order_id": s.order_id, "kind": "power_cut"},
        data=lambda s, c: {"consent_obtained": "on", **version(s, c)},
    ),
    "GET t/knowledge/": Page(FIELD, "none", data=lambda s, c: {"q": "拨号 691"}),
    "GET t/knowledge/<int:article_id>/": Page(FIELD, "none", kwargs=article_id),
    "POST t/o/<int:order_id>/knowledge/<int:article_id>/use/": Page(
        FIELD,
        "order",
        kwargs=lambda s, c: {**order_id(s, c), **article_id(s, c)},
        data=lambda s, c: {"helpful": "yes"},
    ),
    "GET t/sw.js": Page(frozenset(), "public"),
    "GET t/manifest.webmanifest": Page(frozenset(), "public"),
    "GET c/<str:token>/": Page(frozenset(), "public", kwargs=own_token),
    # The customer's mobile ticket (ADR 0028) by its signed link: no login.
    "GET c/m/<str:token>/": Page(frozenset(), "public", kwargs=mobile_token),
    "POST c/<str:token>/confirm/": Page(frozenset(), "link", kwargs=own_token, data=link_form),
    "POST c/<str:token>/change/": Page(
        frozenset(),
        "link",
        kwargs=own_token,
        data=lambda s, c: {"slot": "2025-06-03T09:00:00+08:00", **link_form(s, c)},
    ),
    "GET c/<str:token>/cancel/": Page(frozenset(), "public", kwargs=own_token),
    "POST c/<str:token>/cancel/confirm/": Page(
        frozenset(),
        "link",
        kwargs=own_token,
        data=lambda s, c: {"reason": "time", **link_form(s, c)},
    ),
    "GET care/": Page(OFFICE, "none"),  # lists the dispatcher's areas only
    "GET quality/": Page(INSPECTORS, "none"),
    # Scorecards (issue 14): supervisors and the quality centre read; a supervisor closes the
    # actions of the own people (a dispatcher: the area's technicians).
    "GET qc/scorecards/": Page(QC_READERS, "none"),
    "GET qc/scorecards/morning/": Page(QC_READERS, "none"),
    "GET qc/scorecards/certificates/": Page(QC_READERS, "none"),
    "GET qc/scorecards/actions/": Page(QC_READERS, "none"),
    "GET qc/scorecards/export.xlsx": Page(QC_READERS, "none"),
    "POST qc/scorecards/actions/<int:action_id>/close/": Page(
        frozenset({ADMIN, DISPATCHER, DUTY_MANAGER}),
        "area",
        kwargs=technician_action,
        data=lambda s, c: {"outcome": "已辅导"},
        exceptions={DUTY_MANAGER: (404, "a technician's action is the area dispatcher's to close")},
    ),
    "GET quality/norms/<str:norm_id>/": Page(
        INSPECTORS, "none", kwargs=lambda s, c: {"norm_id": "APT-07"}
    ),
    "GET hall/counter/": Page(STAFF, "none"),
    "GET hall/counter/queue/": Page(STAFF, "none"),
    "POST hall/counter/<slug:action>/": Page(
        STAFF,
        "hall",
        kwargs=lambda s, c: {"action": "verify"},
        data=lambda s, c: {"ticket": s.ticket_id, "star": 7},
    ),
    # Issue 15: the counter's transaction panel (HAL-13), its receipt and referrals (HAL-12).
    "GET hall/counter/transaction/": Page(STAFF, "none"),
    "POST hall/counter/transaction/<slug:action>/": Page(
        STAFF,
        "hall",
        kwargs=lambda s, c: {"action": "guide"},
        data=lambda s, c: {"ticket": s.ticket_id, "business": "政企专线开通"},
    ),
    "GET hall/counter/receipt/<int:business_id>/": Page(
        STAFF,
        "hall",
        kwargs=lambda s, c: {"business_id": done_business_id(s)},
        exceptions={ADMIN: (404, NO_POST)},
    ),
    "GET hall/overview/": Page(MANAGER, "none"),
    "POST hall/overview/open/": Page(
        MANAGER, "hall", data=lambda s, c: {"counter": s.closed_counter_id}
    ),
    "POST hall/overview/monitor/": Page(MANAGER, "none"),
    "POST hall/overview/preprocess/": Page(
        MANAGER, "hall", data=lambda s, c: {"ticket": s.ticket_id, "step": "id_checked"}
    ),
    # Without a post the page says so, as the overview does (the menu leads an admin here).
    "GET hall/playbooks/": Page(MANAGER, "none"),
    "POST hall/playbooks/<slug:action>/": Page(
        MANAGER,
        "hall",
        kwargs=lambda s, c: {"action": "close"},
        data=lambda s, c: {"run": s.playbook_run_id},
        exceptions={ADMIN: (404, NO_POST)},
    ),
    "GET hall/complaints/": Page(DEVICE | {QUALITY}, "none"),
    # Recorded into the hall of one's post: an administrator or quality supervisor has none.
    "POST hall/complaints/": Page(
        frozenset({HALL_STAFF, DUTY_MANAGER}),
        "none",
        data=lambda s, c: {
            "customer_name": "赵六",
            "customer_phone": "13900002222",
            "summary": "排队太久",
            "reply_by": "2025-06-03T10:00",
        },
    ),
    "POST hall/complaints/<int:pk>/close/": Page(
        frozenset({HALL_STAFF, DUTY_MANAGER}),
        "hall",
        exceptions={ADMIN: (404, NO_POST)},
        kwargs=lambda s, c: {"pk": s.complaint_id},
        data=lambda s, c: {"status": "replied", "outcome": "已电话答复客户"},
    ),
    # Issue 15: the regional view; the city's duty manager oversees region R<own hall>.
    "GET hall/region/": Page(MANAGER, "hall", data=lambda s, c: {"region": f"R{s.hall}"}),
    "GET hall/region/<slug:hall>/": Page(MANAGER, "hall", kwargs=hall_code),
    "GET hall/inspections/": Page(INSPECTORS, "none"),
    "GET hall/<slug:hall>/inspections/": Page(INSPECTORS, "hall", kwargs=hall_code),
    "POST hall/<slug:hall>/inspections/": Page(INSPECTORS, "hall", kwargs=hall_code),
    "GET hall/<slug:hall>/kiosk/": Page(KIOSK, "hall", kwargs=hall_code, login=PAIR),
    "POST hall/<slug:hall>/kiosk/ticket/": Page(
        KIOSK, "hall", kwargs=hall_code, data=lambda s, c: {"category": "A"}, login=PAIR
    ),
    "GET hall/<slug:hall>/rating/": Page(
        KIOSK, "hall", kwargs=hall_code, data=lambda s, c: {"counter": 1}, login=PAIR
    ),
    "POST hall/<slug:hall>/rating/": Page(
        KIOSK,
        "hall",
        kwargs=hall_code,
        data=lambda s, c: {"counter": 1, "ticket": s.ticket_id, "score": 5},
        login=PAIR,
    ),
    "GET hall/<slug:hall>/screen/": Page(SCREEN, "hall", kwargs=hall_code, login=PAIR),
    "GET hall/<slug:hall>/screen/calls/": Page(SCREEN, "hall", kwargs=hall_code, login=PAIR),
    "GET hall/<slug:hall>/screen/events/": Page(SCREEN, "hall", kwargs=hall_code, login=PAIR),
    # Pairing a device (ADR 0027): public; a bad token is a 422 naming the field.
    "GET hall/device/pair/": Page(frozenset(), "public"),
    "POST hall/device/pair/": Page(frozenset(), "public", data=lambda s, c: {"token": ""}),
    "POST hall/device/unpair/": Page(frozenset(), "public"),
    # ADR 0028: the kiosk's appointment check-in, behind the kiosk's own gate.
    "GET hall/<slug:hall>/kiosk/checkin/": Page(KIOSK, "hall", kwargs=hall_code, login=PAIR),
    "POST hall/<slug:hall>/kiosk/checkin/go/": Page(
        KIOSK, "hall", kwargs=hall_code, data=lambda s, c: {"key": hall_booking(s)}, login=PAIR
    ),
    # Evaluators (issue 14, point 7): the queue, the form of an own assignment (another
    # evaluator's is not found), calibration with alpha, disputes decided by a second evaluator.
    "GET qc/evaluations/": Page(EVALUATORS, "none"),
    "GET qc/evaluations/a/<int:assignment_id>/": Page(EVALUATORS, "assignment", kwargs=assignment),
    "POST qc/evaluations/a/<int:assignment_id>/submit/": Page(
        EVALUATORS,
        "assignment",
        kwargs=assignment,
        data=lambda s, c: {f"q_{k}": "yes" if v is True else v for k, v in ev_objects.GOOD.items()},
    ),
    "GET qc/evaluations/calibrations/<int:session_id>/": Page(
        EVALUATORS, "none", kwargs=lambda s, c: {"session_id": ev_objects.session_id(s)}
    ),
    "GET qc/evaluations/disputes/": Page(EVALUATORS, "none"),
    "POST qc/evaluations/disputes/<int:dispute_id>/decide/": Page(
        EVALUATORS,
        "none",
        kwargs=lambda s, c: {"dispute_id": ev_objects.dispute_id(s)},
        data=lambda s, c: {"decision": "uphold"},
    ),
    # Cases (issue 14): the quality centre, the area's dispatcher, the owning technician.
    "GET qc/cases/": Page(CASE_WORKERS, "none"),
    "GET qc/cases/<int:pk>/": Page(CASE_WORKERS, "case", kwargs=lambda s, c: {"pk": case_id(s)}),
    "POST qc/cases/<int:pk>/<slug:action>/": Page(
        CASE_WORKERS,
        "case",
        kwargs=lambda s, c: {"pk": case_id(s), "action": "escalate"},
        data=lambda s, c: {"note": "需班组长出面"},
    ),
}
# The admin site, from SKIPPED: staff only (the administrator role); everyone else is sent to
# the admin's login page.
ADMIN_INDEX = "GET admin/"
EXPECTED[ADMIN_INDEX] = Page(frozenset({ADMIN}), "none")


def routes(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    """Every URL pattern's route, outside the SKIPPED prefixes."""
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            if route not in SKIPPED:
                yield from routes(p.url_patterns, route)
        else:
            yield route


ROUTES = set(routes(urls.urlpatterns))


@dataclass(frozen=True)
class Case:
    key: str
    role: str
    side: str  # own, other, any (the other side, for who sees all), none

    def __str__(self) -> str:
        return f"{self.key or 'GET /'} [{self.role} {self.side}]"


def cases() -> Iterator[Case]:
    covered = {key.split(" ", 1)[1] for key in EXPECTED}
    for route in sorted(ROUTES - covered):
        yield Case(f"? {route}", "-", "no row")  # fails, naming the route
    for key, page in EXPECTED.items():
        for role in (ANONYMOUS, *ROLES):
            if page.scope == "link":
                yield Case(key, role, "own")
                yield Case(key, role, "other")
            elif page.scope in ("none", "public"):
                yield Case(key, role, "none")
            elif role == ANONYMOUS or role not in page.roles or role in page.exceptions:
                yield Case(key, role, "own")
            elif role in SEES_ALL[page.scope]:
                yield Case(key, role, "any")
            else:
                yield Case(key, role, "own")
                yield Case(key, role, "other")


CASES = list(cases())


def test_every_url_pattern_has_a_row_and_every_row_a_pattern() -> None:
    table = {k.split(" ", 1)[1] for k in EXPECTED if k != ADMIN_INDEX}
    assert sorted(ROUTES - table) == [], "add a row to EXPECTED"
    assert sorted(table - ROUTES) == [], "remove the row: no such URL pattern"


def test_the_table_knows_every_scope_and_role() -> None:
    for key, page in EXPECTED.items():
        assert key.split(" ", 1)[0] in ("GET", "POST"), key
        assert page.scope in (*SEES_ALL, "link", "none", "public"), key
        assert page.roles <= frozenset(ROLES), key


def url_for(key: str, side: Side, city: City) -> str:
    route = key.split(" ", 1)[1]
    kwargs = EXPECTED[key].kwargs(side, city)

    def param(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in kwargs, f"{key}: give {name!r} in the row's kwargs"
        return str(kwargs[name])

    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", param, route)


def open_page(client: Client, key: str, url: str, data: dict[str, Any]) -> tuple[int, Any]:
    """The answer's status (for the offline sync: its one action's) and the response."""
    method = key.split(" ", 1)[0]
    if key == "POST t/sync/":
        resp = client.post(url, json.dumps(data), content_type="application/json")
        if resp.status_code == 200:
            return int(resp.json()["results"][0]["http"]), resp
        return resp.status_code, resp
    resp = client.get(url, data) if method == "GET" else client.post(url, data)
    if resp.streaming:  # the calling screen's events: read to the end (one look), as the
        b"".join(resp.streaming_content)  # client closes a stream only once it is read
    return resp.status_code, resp


def expected(case: Case) -> str:
    page = EXPECTED[case.key]
    if page.scope == "link":
        return "other" if case.side == "other" else "allowed"
    if page.scope == "public":
        return "allowed"
    if case.role == ANONYMOUS:
        return "login"
    if case.role in page.exceptions:
        return str(page.exceptions[case.role][0])
    if case.role not in page.roles:
        return "admin-login" if case.key == ADMIN_INDEX else "403"
    return "other" if case.side == "other" else "allowed"


@pytest.fixture(autouse=True)
def _short_streams(settings: Any) -> None:
    settings.GUIFAN_SSE_SECONDS = 0  # the calling screen's stream ends after one look
    settings.GUIFAN_SSE_STEP_SECONDS = 0


@pytest.mark.parametrize("case", CASES, ids=str)
def test_each_role_gets_the_page_the_table_gives(
    case: Case, city: City, browser_for: Callable[[str], Client]
) -> None:
    assert case.key in EXPECTED, f"URL pattern {case.key[2:]!r} has no row: add it to EXPECTED"
    side = city.other if case.side in ("other", "any") else city.own
    url = url_for(case.key, side, city)
    data = EXPECTED[case.key].data(side, city)
    want = expected(case)
    before = fingerprint() if want != "allowed" else None
    got, resp = open_page(browser_for(case.role), case.key, url, data)
    where = resp.get("Location", "")
    detail = f"{case.key.split()[0]} {url} {data} as {case.role}: {got} {where}"
    assert got < 500, detail
    if want == "allowed":
        assert got not in (401, 403, 404, 405), detail
        if EXPECTED[case.key].scope != "public":
            assert not where.startswith(("/login/", "/admin/login/")), detail
        if case.key.startswith("GET"):
            assert got in (200, 204, 302), detail
        return
    if want == "login":
        login = "/admin/login/" if case.key == ADMIN_INDEX else EXPECTED[case.key].login
        assert got == 302 and where.startswith(login), f"expected the login page; {detail}"
    elif want == "admin-login":
        assert got == 302 and where.startswith("/admin/login/"), f"expected refusal; {detail}"
    elif want == "other":
        assert got in EXPECTED[case.key].other, f"expected 404 for another's object; {detail}"
    else:
        assert got == int(want), f"expected {want}; {detail}"
    assert before is not None
    assert changed(before, fingerprint()) == [], f"a refused request changed data; {detail}"
