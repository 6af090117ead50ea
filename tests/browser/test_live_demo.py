"""The README's Pages steps: after the first command, ``guifan serve --demo`` shows each role
live work on its home page at the demo day's late morning.

Starts from a fresh state as the README's first command leaves it (the README's own demo: a
smaller day left the board's first area with nothing under way at 11:00 once the day changed),
then runs the documented serve command as a subprocess on a free port and logs in as each role
with the demo's logins.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ROOT, login, shot
from tests.browser.test_chinese_pages import ALLOWED, IDS, WORD

pytestmark = pytest.mark.slow  # a demo of its own (~40 s) before the pages

PASSWORD = "live-demo-pass-1"
GUIFAN = str(Path(sys.executable).parent / "guifan")  # .venv/bin/guifan
# What a fresh shell has: no settings chosen, no database named, no clock moved.
UNSET = (
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "GUIFAN_CLOCK_AT",
    "GUIFAN_CLOCK_SINCE",
    "GUIFAN_SQLITE_PATH",
)


@dataclass(frozen=True, slots=True)
class Served:
    url: str
    process: subprocess.Popen[bytes]
    log: Path
    var: Path

    def said(self) -> str:
        return self.log.read_text("utf-8", errors="replace")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, served: subprocess.Popen[bytes], log: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if served.poll() is not None:
            pytest.fail(f"guifan serve --demo ended: {log.read_text('utf-8')[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"no answer from {url}: {log.read_text('utf-8')[-3000:]}")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    tmp = tmp_path_factory.mktemp("live")
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    env |= {"GUIFAN_VAR_DIR": str(tmp / "var"), "GUIFAN_DEMO_PASSWORD": PASSWORD}
    demo = subprocess.run(
        [GUIFAN, "demo", "--seed", "1", "--out", str(tmp / "out")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert demo.returncode == 0, demo.stderr[-3000:]
    assert ".venv/bin/guifan serve --demo" in demo.stdout
    assert PASSWORD not in demo.stdout  # a chosen password is not echoed
    for written in (tmp / "out").iterdir():  # nor written into the report
        assert PASSWORD.encode() not in written.read_bytes(), written
    url, log = f"http://127.0.0.1:{free_port()}", tmp / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [GUIFAN, "serve", "--demo", "--port", url.rsplit(":", 1)[1]],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the worker is in it too
        )
    try:
        wait_for(f"{url}/login/", process, log, seconds=60)
        yield Served(url, process, log, tmp / "var")
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def busy_technician(served: Served) -> str:
    """The first login on the serve command's technicians line (those with visits today)."""
    found = re.search(r"技术员\s+(zw\d{4})", served.said())
    assert found, served.said()
    return found.group(1)


def test_serve_starts_at_the_demo_days_late_morning(served: Served) -> None:
    said = served.said()
    assert "演示日 2025-06-03 11:00 起" in said
    for login_name in ("demo-desk", "hall-c2", "hall-duty", "hall-inspector", "admin"):
        assert login_name in said


def test_the_dispatcher_sees_visits_under_way_and_to_come(page: Page, served: Served) -> None:
    login(page, served.url, "demo-desk", PASSWORD)
    expect(page).to_have_url(f"{served.url}/board/")
    expect(page.get_by_label("日期")).to_have_value("2025-06-03")  # the demo day, not today
    board = page.locator("main")
    expect(board).to_contain_text("已派工")  # to come
    expect(board).to_contain_text(re.compile("在途|在现场"))  # under way
    shot(page, "live-board")


def test_a_technician_sees_the_route_of_the_day(phone: Page, served: Served) -> None:
    login(phone, served.url, busy_technician(served), PASSWORD)
    expect(phone).to_have_url(f"{served.url}/t/")
    expect(phone.locator("main")).to_contain_text(re.compile("已派工|在途|在现场"))
    shot(phone, "live-route")


def test_hall_staff_see_the_queue_at_their_counter(page: Page, served: Served) -> None:
    login(page, served.url, "hall-c2", PASSWORD)
    expect(page).to_have_url(f"{served.url}/hall/counter/")
    expect(page.locator("main")).to_contain_text("2 号窗口")
    expect(page.locator("main")).to_contain_text(re.compile(r"本窗口等候：[1-9]\d* 人"))
    shot(page, "live-counter")


def test_the_duty_manager_sees_the_queue_and_alerts_arriving(page: Page, served: Served) -> None:
    login(page, served.url, "hall-duty", PASSWORD)
    expect(page).to_have_url(f"{served.url}/hall/overview/")
    main = page.locator("main")
    expect(main).to_contain_text(re.compile(r"[1-9]\d* 人等候"))
    # Raised by the worker beside the server once the clock passes the monitor's next check.
    for _ in range(30):
        if "暂无未处置预警" not in main.inner_text():
            break
        page.wait_for_timeout(1000)
        page.reload()
    expect(main).to_contain_text(re.compile("HAL-02|HAL-03"))
    shot(page, "live-hall")


def test_quality_sees_the_days_compliance_so_far(page: Page, served: Served) -> None:
    login(page, served.url, "hall-inspector", PASSWORD)
    expect(page).to_have_url(f"{served.url}/quality/")
    expect(page.locator("main")).to_contain_text("APT-0")


def test_the_administrator_sees_orders_by_status(page: Page, served: Served) -> None:
    login(page, served.url, "admin", PASSWORD)
    expect(page).to_have_url(f"{served.url}/overview/")
    expect(page.locator("main")).to_contain_text("已派工")


# Acronyms staff read as they are, beside the scan's own allow-list.
ACRONYMS = {"LOS", "ITV", "CRM", "API", "Excel"}
PART_NO = re.compile(r"\b[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+\b")  # stock items: HDD-1T, LN-CD-CH-01
# Leaving, switching language, files, the API and the admin's raw records are not crawled.
SKIP = re.compile(r"/(logout|i18n|static|api|admin)/|\.(pdf|xlsx|csv|png|ico|svg)(\?|$)")
CRAWL = 25  # pages per person: the menu and what it leads to


def logins(served: Served) -> set[str]:
    """Every account's name (login names are identifiers their owners chose), split at '-'."""
    with sqlite3.connect(served.var / "demo.sqlite3") as db:
        names = [row[0] for row in db.execute("SELECT username FROM accounts_user")]
    return {part for name in names for part in re.split(r"[-_.]", name)}


def crawl(page: Page, served: Served, allowed: set[str]) -> dict[str, str]:
    """Open the pages reachable from the person's home; what each shows wrong."""
    found: dict[str, str] = {}
    queue, seen = [page.url], set()
    while queue and len(seen) < CRAWL:
        url = queue.pop(0)
        shape = re.sub(r"\d+", "N", url)
        if shape in seen or SKIP.search(url) or not url.startswith(served.url):
            continue
        seen.add(shape)
        answer = page.goto(url)
        page.wait_for_load_state("networkidle")
        if answer is None or answer.status >= 400:
            found[url] = f"status {answer.status if answer else '?'}"
            continue
        text = PART_NO.sub(" ", IDS.sub(" ", page.evaluate("document.body.innerText")))
        english = sorted({w for w in WORD.findall(text) if w not in allowed})
        if english:
            found[url] = ", ".join(english)
        queue += page.eval_on_selector_all("a[href]", "els => els.map(e => e.href.split('#')[0])")
    assert len(seen) > 2, seen
    return found


def test_every_page_a_role_reaches_opens_and_speaks_chinese(page: Page, served: Served) -> None:
    """Crawl as each role from its home: no refused link, no English on the Chinese pages."""
    allowed = ALLOWED | ACRONYMS | logins(served)
    found: dict[str, str] = {}
    for name in ("demo-desk", busy_technician(served), "hall-c2", "hall-duty", "hall-inspector"):
        page.context.clear_cookies()
        login(page, served.url, name, PASSWORD)
        found |= {f"{name} {url}": said for url, said in crawl(page, served, allowed).items()}
    assert not found, "\n".join(f"{k}: {v}" for k, v in found.items())


def test_ctrl_c_stops_the_server_and_its_worker(served: Served) -> None:
    served.process.send_signal(signal.SIGINT)
    assert served.process.wait(timeout=30) == 0
    with pytest.raises(ProcessLookupError):  # nothing left in its process group
        os.killpg(served.process.pid, 0)
