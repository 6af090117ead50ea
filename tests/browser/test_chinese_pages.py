"""No English on the Chinese pages: each role's quality, board, field and hall pages, with data.

The visible text (``document.body.innerText``) of every page is scanned for ASCII words of
three letters or more; IDs, units and names in ``ALLOWED`` pass. A failure names the page
and the words found (issue 17: "No English sentence or code identifier appears on the
Chinese pages").
"""

from __future__ import annotations

import itertools
import re

import pytest
from playwright.sync_api import Page

from guifan.apps.accounts.models import Role
from guifan.apps.hall import services as hall_services
from guifan.apps.hall.models import Counter, Hall
from guifan.apps.hall.posts import post_set
from guifan.apps.orders.models import Appointment
from guifan.clock import FixedClock
from tests import factories as f
from tests.apps.fieldwork.visits import field_user, field_visit, on_site
from tests.apps.norms.ledger import two_weeks
from tests.browser.conftest import login, person
from tests.web.board_data import DAY, area_day

# Identifiers people read and say as they are (removed before the scan).
IDS = re.compile(
    r"\b(?:WO\d+"  # order numbers
    r"|[A-Z]{2,4}-\d{2}"  # norm IDs: staff pages name the norm a verdict is about (the guide)
    r"|[A-Z]{1,3}\d{3,}"  # badges (T0001, ZW0001), ticket codes (A001)
    r"|[A-Z]{2}-[A-Z]{2}\d{2})\b"  # hall codes (CD-CX01)
)
WORD = re.compile(r"[A-Za-z]{3,}")
ALLOWED = {
    # Units.
    "km",
    "min",
    "Mbps",
    "dBm",
    # Product and service names customers and staff use in Chinese as well.
    "IPTV",
    "IMS",
    "ONU",
    "Wi",
    "Fi",
    # Telecom terms Chinese staff use as they are (the access-network fields of a visit).
    "LOID",
    "OLT",
    "PON",
    # The English switch names its own language.
    "English",
}


# Login names are identifiers their owners chose (pages show who acted under that name).
LOGINS = {"disp", "qa", "tech", "zhang", "wang"}


def english_words(page: Page) -> list[str]:
    text = IDS.sub(" ", page.evaluate("document.body.innerText"))
    return sorted({w for w in WORD.findall(text) if w not in ALLOWED | LOGINS})


def scan(page: Page, base: str, paths: list[str], found: dict[str, list[str]]) -> None:
    for path in paths:
        page.goto(f"{base}{path}")
        page.wait_for_load_state("networkidle")
        words = english_words(page)
        if words:
            found[path] = words


@pytest.fixture
def hall(clock: FixedClock) -> Hall:
    h = Hall.objects.create(code="CD-CX01", name="春熙路旗舰营业厅", level=1)
    Counter.objects.create(hall=h, number=3, categories=["A", "B", "C"], status="open")
    Counter.objects.create(hall=h, number=4, categories=["A"], status="closed")
    for category in ("A", "A", "B"):
        hall_services.ticket_issue(by=None, hall_code=h.code, category=category)
    return h


def test_each_roles_chinese_pages_show_no_english(
    page: Page, live_server: object, clock: FixedClock, hall: Hall, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = str(live_server)
    monkeypatch.setattr(f, "_seq", itertools.count(100))  # the ledger's staff are T0001–T0006
    day = area_day(clock)
    tech = field_user("tech")
    visit = on_site(tech, field_visit(tech, window="10:40", arrival="10:30"))
    person(Role.DISPATCHER, "disp")
    person(Role.QUALITY, "qa")
    post_set(user=person(Role.HALL_STAFF, "zhang"), hall_code=hall.code, counter_number=3)
    post_set(user=person(Role.DUTY_MANAGER, "wang"), hall_code=hall.code)
    two_weeks()
    planned: Appointment = day.planned[0]
    date = DAY.isoformat()
    pages = {
        "disp": [
            f"/board/?area=A01&date={date}",
            f"/board/visits/{planned.id}/",
        ],
        "qa": [
            "/quality/",
            "/quality/norms/APT-07/",
            "/quality/norms/DSP-02/",
            "/qc/cases/",
            "/qc/callbacks/",
        ],
        "tech": ["/t/", f"/t/o/{visit.id}/"],
        "zhang": ["/hall/counter/", f"/hall/{hall.code}/screen/", f"/hall/{hall.code}/kiosk/"],
        "wang": ["/hall/overview/", "/hall/playbooks/", "/hall/complaints/"],
    }
    found: dict[str, list[str]] = {}
    for username, paths in pages.items():
        page.context.clear_cookies()
        login(page, base, username)
        scan(page, base, paths, found)
    assert not found, "English on Chinese pages:\n" + "\n".join(
        f"{p}: {', '.join(w)}" for p, w in found.items()
    )
