"""The norm's text on the drill-down: Chinese scope, rule and labels under Chinese, English under
English; no parameter identifier and no internal note on the Chinese page."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils.html import escape

from guifan.apps.accounts.models import Role
from guifan.apps.norms.services import norm_parameter_set
from guifan.apps.web.norm_text import value_zh
from guifan.norms import norm_get
from tests import factories as f

pytestmark = pytest.mark.django_db


def client_for(role: str, language: str = "") -> Client:
    client = Client(HTTP_HOST="localhost")
    client.force_login(f.user(role))
    if language:
        client.post("/i18n/setlang/", {"language": language, "next": "/quality/"})
    return client


def visible(html: str) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


def test_the_chinese_norm_page_shows_the_chinese_rule_and_no_identifier(clock: object) -> None:
    norm = norm_get("DSP-04")
    r = client_for(Role.QUALITY).get("/quality/norms/DSP-04/")
    html = r.content.decode()
    text = visible(html)
    assert r.status_code == 200
    assert norm.rule_zh in html and norm.applies_to_zh in html
    assert '<th scope="row">迟到须提前致电</th><td>15 分钟</td>' in html
    assert "late_call_lead_minutes" not in html
    assert "seed 000" not in html and "seed 003" not in html
    assert escape(norm.rule) not in html and norm.title not in text


@pytest.mark.parametrize("norm_id", ["ORD-01", "APT-02", "HAL-02", "STAR-02", "SEC-01", "LNG-05"])
def test_chinese_values_read_as_chinese(clock: object, norm_id: str) -> None:
    norm = norm_get(norm_id)
    html = client_for(Role.QUALITY).get(f"/quality/norms/{norm_id}/").content.decode()
    for p in norm.params:
        assert f'<th scope="row">{p.label_zh}</th>' in html
        assert p.name not in html
    table = html[html.index('class="card norm-text"') : html.index("</section>")]
    assert not re.search(r"\b(customer_name|diamond|star_7|first 3|young)\b", table)


def test_the_english_norm_page_shows_the_english_text(clock: object) -> None:
    norm = norm_get("DSP-04")
    r = client_for(Role.QUALITY, "en").get("/quality/norms/DSP-04/")
    html = r.content.decode()
    assert r["Content-Language"] == "en"
    assert escape(norm.rule) in html and escape(norm.applies_to) in html
    assert f"DSP-04 {norm.title}" in html
    assert "<code>late_call_lead_minutes</code>" in html
    assert norm.rule_zh not in html


def test_an_edited_value_is_shown_in_chinese_words(clock: object) -> None:
    admin = f.user(Role.ADMIN)
    norm_parameter_set(norm_id="DSP-04", name="late_call_lead_minutes", value=20, by=admin)
    html = client_for(Role.QUALITY).get("/quality/norms/DSP-04/").content.decode()
    assert '<th scope="row">迟到须提前致电</th><td>20 分钟</td>' in html


@pytest.mark.parametrize(
    ("name", "value", "shown"),
    [
        ("offer_loaner", True, "是"),
        ("count_against_team", False, "否"),
        ("notice_minutes", 30, "30 分钟"),
        ("callback_hours_uncertain", 3, "3 小时"),
        ("sample_rate_pct", 10, "10%"),
        ("temperature_c", [18, 26], "18–26 ℃"),
        ("referral_numbers", ["10000", "96180"], "10000、96180"),
        ("quiet_start", "20:00", "20:00"),
    ],
)
def test_value_zh(name: str, value: object, shown: str) -> None:
    assert value_zh(name, value) == shown


def test_the_norm_admin_shows_the_chinese_title_and_label(django_user_model: object) -> None:
    root = django_user_model.objects.create_superuser(  # type: ignore[attr-defined]
        "root", password="x", role=Role.ADMIN
    )
    norm_parameter_set(norm_id="DSP-04", name="late_call_lead_minutes", value=20, by=root)
    client = Client(HTTP_HOST="localhost")
    client.force_login(root)
    html = client.get("/admin/norms/normparameter/").content.decode()
    assert "迟到须提前 15 分钟致电" in html and "迟到须提前致电" in html
