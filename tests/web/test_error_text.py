"""Service refusals in the page's language: Chinese as raised, English from the code table."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from guifan.apps.accounts.models import Role
from guifan.apps.web.error_en import ENGLISH
from guifan.apps.web.error_text import error_text
from guifan.errors import Conflict, NotFound
from guifan.norms.punct import has_cjk
from tests import factories as f
from tests.web.board_data import area_day


def test_chinese_pages_show_the_service_message_and_english_pages_the_code_text() -> None:
    exc = Conflict("order.stale", "工单已被他人修改（当前状态：已派工），请刷新后重试")
    with translation.override("zh-hans"):
        assert error_text(exc) == exc.message
    with translation.override("en"):
        assert error_text(exc) == "Someone else changed this order meanwhile; reload and try again."


GUIFAN = Path(__file__).resolve().parents[2] / "guifan"


def _error_classes(trees: list[ast.Module]) -> set[str]:
    """``guifan.errors``' classes and every subclass defined in the package."""
    names = {"GuifanError", "ValidationFailed", "NotFound", "Throttled", "Conflict"}
    names |= {"RuleViolation", "PermissionDenied"}
    grown = True
    while grown:
        grown = False
        for tree in trees:
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef) and node.name not in names:
                    bases = {getattr(b, "id", getattr(b, "attr", None)) for b in node.bases}
                    if bases & names:
                        names.add(node.name)
                        grown = True
    return names


def raised_in_chinese() -> dict[str, str]:
    """Every code raised with a message that is (or may be) Chinese, with one place."""
    files = [p for p in GUIFAN.rglob("*.py") if "migrations" not in p.parts]
    trees = {p: ast.parse(p.read_text(encoding="utf-8")) for p in files}
    classes = _error_classes(list(trees.values()))
    found: dict[str, str] = {}
    for path, tree in trees.items():
        source = path.read_text(encoding="utf-8")
        # An error class's own ``super().__init__(code, message)`` raises its code too.
        inits = {
            id(call)
            for cls in ast.walk(tree)
            if isinstance(cls, ast.ClassDef) and cls.name in classes
            for call in ast.walk(cls)
            if isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and call.func.attr == "__init__"
            and isinstance(call.func.value, ast.Call)
            and getattr(call.func.value.func, "id", "") == "super"
        }
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or len(node.args) < 2:
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            if id(node) in inits:
                name = "GuifanError"
            code = node.args[0]
            if name not in classes or not isinstance(code, ast.Constant):
                continue
            message = node.args[1]
            gettext = isinstance(message, ast.Call) and getattr(message.func, "id", "") == "_"
            text = ast.get_source_segment(source, message) or ""
            literal = isinstance(message, ast.Constant | ast.JoinedStr)
            if gettext or (literal and not has_cjk(text)):
                continue  # raised in the page's language already, or English (CLI tools)
            found.setdefault(str(code.value), f"{path.relative_to(GUIFAN.parent)}:{node.lineno}")
    return found


def test_every_code_raised_in_chinese_has_its_english_text() -> None:
    raised = raised_in_chinese()
    assert len(raised) > 300  # the scan finds the services' refusals
    missing = {code: where for code, where in raised.items() if code not in ENGLISH}
    assert not missing, missing
    assert not [c for c, text in ENGLISH.items() if has_cjk(text)]
    assert not set(ENGLISH) - set(raised), "codes no service raises"


def test_english_pages_show_english_for_a_services_own_values() -> None:
    exc = NotFound("stock.short", "A01 片区库存不足：光猫（ONU-1）可用 0 台，需要 1 台")
    with translation.override("en"):
        assert error_text(exc) == "Not enough in stock for this part."
    already = NotFound("counter.required", "Choose a counter.")  # a page's own check
    with translation.override("en"):
        assert error_text(already) == "Choose a counter."


def test_an_unknown_code_keeps_the_service_message_in_english() -> None:
    exc = NotFound("nothing.known", "找不到")
    with translation.override("en"):
        assert error_text(exc) == "找不到"


@pytest.mark.django_db
def test_the_board_shows_a_refusal_in_each_language(clock, client: Client) -> None:
    day = area_day(clock)
    appt = day.planned[1]
    other = next(t for t in day.techs if t.id != appt.technician_id)
    client.force_login(f.user(Role.DISPATCHER))
    stale = {"technician": other.id, "arrival": "10:45", "version": appt.order.version - 1}
    zh = client.post(f"/board/visits/{appt.id}/assign/", stale).content.decode()
    assert "已被他人修改" in zh
    client.post("/i18n/setlang/", {"language": "en", "next": "/board/"})
    en = client.post(f"/board/visits/{appt.id}/assign/", stale).content.decode()
    assert "reload and try again" in en and "已被他人修改" not in en


def test_no_page_shows_a_services_message_without_error_text() -> None:
    """A view that shows ``exc.message`` would put Chinese on the English pages: every
    refusal goes through ``error_text`` (which shows that message on the Chinese pages)."""
    found = []
    for path in sorted((GUIFAN / "apps" / "web").rglob("*.py")):
        if path.name in {"error_text.py", "error_en.py"}:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "message":
                found.append(f"{path.relative_to(GUIFAN.parent)}:{node.lineno}")
    assert not found, found
