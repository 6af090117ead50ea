"""What a first visit downloads (issue 17): a customer's SMS link, the technician's route and a
dispatcher's board of ~300 visits, each in a fresh browser (cold cache), counted in bytes on the
wire (Chromium's ``Network.loadingFinished`` encodedDataLength: headers and compressed body).

The server is a live server WITHOUT Django's test static handler, so static files go through
WhiteNoise as in production; ``production`` collects them first (hashed, brotli/gzip, the
production storage), ``development`` serves them from the apps' folders (``guifan serve``).
The figures are written to test-artifacts/browser/page-weight-<mode>.json; see
bench/results/page-weight-2026-12-06.md.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.test.testcases import LiveServerThread
from django.test.utils import override_settings
from playwright.sync_api import Browser

from guifan.apps.accounts.models import Role, User
from guifan.apps.orders import services
from guifan.apps.workforce.models import DispatcherArea, Shift, Technician
from guifan.clock import FixedClock, at_local
from guifan.compression import ONE_YEAR
from tests import factories as f
from tests.apps.fieldwork.visits import MON, field_user, field_visit
from tests.apps.orders.test_links import WED, booked
from tests.browser.conftest import ARTIFACTS

KB = 1000
TARGETS = {"link": 250 * KB, "route": 400 * KB, "board": 600 * KB}
# Targets not met yet, and why (bench/results/page-weight-2026-12-06.md).
PROD_STATIC = {
    "STORAGES": {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    },
    "WHITENOISE_USE_FINDERS": False,
    "WHITENOISE_AUTOREFRESH": False,
}


class _Server:
    """A live server whose static files are served by the middleware (WhiteNoise)."""

    def __init__(self) -> None:
        self.thread = LiveServerThread("127.0.0.1", static_handler=lambda app: app, port=0)
        self.thread.daemon = True
        self.thread.start()
        self.thread.is_ready.wait()
        if self.thread.error:
            raise self.thread.error
        self.url = f"http://127.0.0.1:{self.thread.port}"

    def stop(self) -> None:
        self.thread.terminate()


@pytest.fixture(scope="session")
def collected(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The static files collected once, as production settings collect them (about a minute:
    every text file is compressed with brotli and gzip)."""
    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root, **PROD_STATIC):
        call_command("collectstatic", "--noinput", verbosity=0)
    return root


@pytest.fixture(params=["production", "development"])
def server(request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    mode = request.param
    if mode == "production":
        root = request.getfixturevalue("collected")
        overrides = override_settings(STATIC_ROOT=root, **PROD_STATIC)
    else:
        overrides = override_settings()
    overrides.enable()
    live = _Server()
    try:
        yield mode, live.url
    finally:
        live.stop()
        overrides.disable()


def weigh(browser: Browser, url: str, *, user: User | None = None, **ctx: Any) -> dict[str, Any]:
    """Open ``url`` in a new browser context (empty cache) and count what came over the wire."""
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **ctx)
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": url}])
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    urls: dict[str, str] = {}
    sizes: dict[str, int] = {}
    encodings: dict[str, str] = {}
    caching: dict[str, str] = {}

    def response(event: dict[str, Any]) -> None:
        urls[event["requestId"]] = event["response"]["url"]
        headers = {k.lower(): v for k, v in event["response"]["headers"].items()}
        encodings[event["requestId"]] = headers.get("content-encoding", "")
        caching[event["requestId"]] = headers.get("cache-control", "")

    cdp.on("Network.responseReceived", response)
    cdp.on(
        "Network.loadingFinished",
        lambda e: sizes.__setitem__(e["requestId"], int(e["encodedDataLength"])),
    )
    page.goto(url, wait_until="networkidle")
    page.evaluate("document.fonts.ready.then(() => document.fonts.size)")
    page.wait_for_load_state("networkidle")
    shown = page.evaluate("document.body.innerText + document.title")
    files = sorted(
        (
            {
                "url": urls.get(rid, "?").split("?", 1)[0].replace(url.split("/", 3)[2], "…"),
                "bytes": n,
                "encoding": encodings.get(rid, ""),
                "cache": caching.get(rid, ""),
            }
            for rid, n in sizes.items()
        ),
        key=lambda r: -r["bytes"],
    )
    context.close()
    chars = "".join(sorted({c for c in shown if ord(c) > 0x2E7F}))
    return {"total": sum(r["bytes"] for r in files), "files": files, "cjk": chars}


def a_board_of_300_visits(clock: FixedClock) -> User:
    """40 technicians of area A01 on shift, 300 booked visits: 280 assigned, 20 still open."""
    clock.set(at_local(MON, "07:00"))
    techs: list[Technician] = []
    for i in range(40):
        tech = f.technician(work_types=("broadband_repair",))
        tech.name, tech.home_lat = f"师傅{i:02d}", 30.60 + i * 0.002
        tech.save()
        Shift.objects.create(technician=tech, date=MON, start=dt.time(8), end=dt.time(20))
        techs.append(tech)
    for i in range(300):
        order = f.order(kind="repair", tier="gold", address=f"成都市锦江区春熙路{i}号")
        services.work_order_analyse(order_id=order.id, analysis={"probable_cause": "x"}, by=None)
        services.work_order_transition(order_id=order.id, action="await_appointment", by=None)
        hour = 9 + (i // 40) % 8
        appt = services.appointment_book(
            order_id=order.id, by=None, window_start=at_local(MON, f"{hour:02d}:00")
        )
        if i < 280:
            services.visit_assign(
                order_id=order.id,
                technician_id=techs[i % 40].id,
                planned_arrival=at_local(MON, f"{hour:02d}:10"),
                by=None,
            )
        assert appt.id
    clock.set(at_local(MON, "10:00"))
    user = User.objects.create_user("disp-weight", password="x", role=Role.DISPATCHER)
    DispatcherArea.objects.create(user=user, area=f.area("A01"))
    return user


PHONE: dict[str, Any] = {
    "viewport": {"width": 360, "height": 740},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}


def record(mode: str, name: str, figures: dict[str, Any]) -> None:
    """Write the figures (test-artifacts/browser/page-weight-<mode>-<name>.json), and check the
    target when the static files are served as in production."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    out = Path(ARTIFACTS) / f"page-weight-{mode}-{name}.json"
    out.write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")
    print(mode, name, figures["total"])
    if mode == "production":
        static = [r for r in figures["files"] if "/static/" in r["url"]]
        assert static and all(
            r["cache"] == f"max-age={ONE_YEAR}, public, immutable" for r in static
        )
    if mode == "production":
        assert figures["total"] <= TARGETS[name], f"{name}: over {TARGETS[name]:,} B; see {out}"


@pytest.mark.django_db(transaction=True)
def test_a_customers_sms_link_stays_light(
    browser: Browser, server: tuple[str, str], clock: FixedClock
) -> None:
    mode, base = server
    _, appt = booked()
    services.visit_assign(
        order_id=appt.order_id,
        technician_id=f.technician().id,
        planned_arrival=at_local(WED, "09:20"),
        by=None,
    )
    link = services.customer_link_make(appointment_id=appt.id)
    record(mode, "link", weigh(browser, f"{base}{link}", **PHONE))


@pytest.mark.django_db(transaction=True)
def test_the_technicians_route_stays_light(
    browser: Browser, server: tuple[str, str], clock: FixedClock
) -> None:
    mode, base = server
    tech = field_user("tech-weight")
    for window, arrival in (("10:40", "10:32"), ("13:00", "12:50"), ("15:00", "14:50")):
        field_visit(tech, window=window, arrival=arrival)
    # The service worker's install (the app shell) is left out: a cold visit's own transfer.
    route = weigh(browser, f"{base}/t/", user=tech, service_workers="block", **PHONE)
    record(mode, "route", route)


@pytest.mark.django_db(transaction=True)
def test_a_board_of_300_visits_stays_light(
    browser: Browser, server: tuple[str, str], clock: FixedClock
) -> None:
    mode, base = server
    disp = a_board_of_300_visits(clock)
    url = f"{base}/board/?area=A01&date={MON.isoformat()}"
    board = weigh(browser, url, user=disp, viewport={"width": 1440, "height": 900})
    record(mode, "board", board)
