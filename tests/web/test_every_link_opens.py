"""Every link a person's pages show them opens for that person: no 403 or 404 behind the menu
or a button (found by crawling the demo's day as each role: staff were shown the kiosk, which
only a paired device may open, and an administrator without a hall post the emergencies page).
"""

from __future__ import annotations

import re
from collections import deque

import pytest
from django.test import Client

from guifan.apps.accounts.models import Role
from tests.city import City

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="(/[^"#]*)"')
# Leaving, switching language, files and the API are not pages to open here.
SKIP = re.compile(r"^/(logout|i18n|static|api|admin)/|\.(pdf|xlsx|csv|png|ico|svg|js|css)(\?|$)")
PAGES = 40  # per person: the menu and the links of the pages it leads to


def crawl(client: Client, start: str = "/") -> dict[str, int]:
    seen: dict[str, int] = {}
    queue = deque([start])
    while queue and len(seen) < PAGES:
        url = queue.popleft().replace("&amp;", "&")
        if url in seen or SKIP.search(url):
            continue
        answer = client.get(url, follow=True)
        seen[url] = answer.status_code
        if answer.status_code == 200 and "text/html" in answer.get("Content-Type", ""):
            queue.extend(HREF.findall(answer.content.decode()))
    return seen


@pytest.mark.parametrize(
    "role",
    [
        Role.ADMIN,
        Role.DISPATCHER,
        Role.TECHNICIAN,
        Role.HALL_STAFF,
        Role.DUTY_MANAGER,
        Role.QUALITY,
    ],
)
def test_the_links_a_role_is_shown_open_for_it(city: City, role: str) -> None:
    client = Client(HTTP_HOST="localhost")
    client.force_login(city.users[role])
    opened = crawl(client)
    assert len(opened) > 3, opened
    refused = {url: code for url, code in opened.items() if code >= 400}
    assert not refused, refused
