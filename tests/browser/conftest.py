"""Playwright (Python) against Debian's Chromium and the live Django server.

Every test gets screenshots in test-artifacts/browser/; `shot(page, name)` also writes
docs/screenshots/<name>.png when GUIFAN_SCREENSHOTS=1 (scripts/screenshots.sh, for the README).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the test
# itself are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from guifan.apps.accounts.models import Role, User

ROOT = Path(__file__).resolve().parent.parent.parent
ARTIFACTS = ROOT / "test-artifacts" / "browser"
SCREENSHOTS = ROOT / "docs" / "screenshots"
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "guifan-test-1"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).parent == here:
            item.add_marker(pytest.mark.browser)


def chromium_path() -> str:
    found = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(found).exists():
        raise pytest.UsageError("Debian's chromium is missing: run sh bin/browser-deps")
    return found


# Per module, not per session: Playwright's event loop runs in this thread while it lives, and
# the async tests that run after the browser tests in the same process need the thread free.
@pytest.fixture(scope="module")
def playwright_session() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="module")
def browser(playwright_session: Playwright) -> Iterator[Browser]:
    b = playwright_session.chromium.launch(
        executable_path=chromium_path(), args=["--no-sandbox", "--disable-dev-shm-usage"]
    )
    yield b
    b.close()


def _page(browser: Browser, request: pytest.FixtureRequest, **ctx: Any) -> Iterator[Page]:
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **ctx)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # Chromium reports each Content-Security-Policy violation on the console: a page that
    # needs an inline script, style or eval fails its test.
    csp: list[str] = []
    page.on(
        "console",
        lambda msg: csp.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    yield page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.nodeid.split("::", 1)[-1])
    try:
        page.screenshot(path=str(ARTIFACTS / f"{name}-end.png"), full_page=True)
    finally:
        context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"
    assert not csp, f"Content-Security-Policy violations: {csp}"


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A desktop page (1440 × 900), as on a dispatcher's screen."""
    yield from _page(browser, request, viewport={"width": 1440, "height": 900})


@pytest.fixture
def phone(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A 360-px-wide phone with touch, as a technician's."""
    yield from _page(
        browser,
        request,
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )


def person(role: str, username: str, **extra: Any) -> User:
    """A login of ``role``; a dispatcher runs area A01 (the board tests' area)."""
    from guifan.apps.workforce.models import DispatcherArea
    from tests import factories as f

    user = User.objects.create_user(username, password=PASSWORD, role=role, **extra)
    if role == Role.DISPATCHER:
        DispatcherArea.objects.create(user=user, area=f.area("A01"))
    return user


def login(page: Page, base_url: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state("networkidle")


def shot(page: Page, name: str, *, full_page: bool = False) -> Path:
    """A named screenshot: a test artefact, and a README picture under GUIFAN_SCREENSHOTS=1."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    if os.environ.get("GUIFAN_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, SCREENSHOTS / f"{name}.png")
    return path


def axe_violations(page: Page, *, exclude: list[str] | None = None) -> list[dict[str, Any]]:
    """WCAG 2.1 A/AA violations on the current page, by axe-core (labels, contrast, ...)."""
    if not AXE.exists():
        raise pytest.UsageError("axe-core is missing: run sh bin/browser-deps")
    # Evaluated through the DevTools protocol: an inline <script> tag would break the page's CSP.
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    context: Any = {"exclude": [[s] for s in exclude]} if exclude else None
    result = page.evaluate(
        """async ([context]) => {
            const r = await axe.run(context || document, {runOnly: {type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
        }""",
        [context],
    )
    return list(result)


def assert_accessible(page: Page, **kwargs: Any) -> None:
    violations = axe_violations(page, **kwargs)
    assert not violations, json.dumps(violations, ensure_ascii=False, indent=1)


def tab_to(page: Page, selector: str, *, limit: int = 60) -> None:
    """Reach ``selector`` with the Tab key alone and check the focus ring shows."""
    target = page.locator(selector).first
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            outline = target.evaluate("el => getComputedStyle(el).outlineStyle")
            assert outline != "none", f"{selector} has no visible focus ring"
            return
    raise AssertionError(f"{selector} is not reachable with the keyboard in {limit} tabs")
