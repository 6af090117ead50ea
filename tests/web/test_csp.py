"""The Content-Security-Policy: sent on every page, and nothing in the templates needs more."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from guifan.settings.base import origin_of

WEB = Path(__file__).resolve().parent.parent.parent / "guifan" / "apps" / "web"
TEMPLATES = sorted(WEB.rglob("templates/**/*.html"))


@pytest.mark.django_db
def test_every_page_gets_a_policy_without_inline_script_or_style(client: Client) -> None:
    policy = client.get("/login/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["connect-src"] == "'self'"
    assert "unsafe" not in policy


def test_the_tile_server_origin_is_allowed_for_images() -> None:
    assert origin_of("https://tiles.intra:8443/{z}/{x}/{y}.png") == "https://tiles.intra:8443"
    assert origin_of("https://{s}.tiles.intra/{z}/{x}/{y}.png") == "https://*.tiles.intra"
    assert origin_of("") is None


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(WEB)))
def test_no_template_needs_inline_script_style_or_eval(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")", text)
    assert not re.search(r"<style|\sstyle=", text)
    # Inline event handlers, and the htmx features that evaluate strings as JavaScript.
    assert not re.search(r"\son[a-z]+=|hx-on|js:|hx-trigger=\"[^\"]*\[", text)
