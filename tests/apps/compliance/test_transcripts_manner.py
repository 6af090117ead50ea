"""LNG-04/05/07 recorded from a call's transcript; ASR spellings of forbidden phrases (ADR 0023)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from guifan.apps.compliance.models import TranscriptCheck
from guifan.apps.norms.models import NormCheck
from tests import factories as f

pytestmark = pytest.mark.django_db

GREETING = "张先生您好，我是中国电信装维人员，按预约上门为您检修宽带。"


@pytest.fixture
def api(clock):
    f.area()
    _, raw = f.token()
    return Client(headers={"Authorization": f"Bearer {raw}"})


def post(client, order, body):
    return client.post(
        f"/api/v1/orders/{order.id}/transcripts",
        data=json.dumps(body),
        content_type="application/json",
    )


def verdicts(order_id):
    rows = NormCheck.objects.filter(order_id=order_id, norm_id__in=["LNG-04", "LNG-05", "LNG-07"])
    return dict(rows.values_list("norm_id", "kept"))


def visit(*staff, customer="好的。"):
    turns = []
    for line in staff:
        turns += [{"speaker": "staff", "text": line}, {"speaker": "customer", "text": customer}]
    return turns


def test_surname_title_plain_words_and_mandarin_are_kept(api):
    order = f.order()  # the customer is 张三
    turns = visit(GREETING, "PON口松了，也就是光纤接口，我插好了，我说清楚了吗？", "谢谢，再见。")
    r = post(api, order, {"channel": "visit", "turns": turns, "language": "普通话"})
    assert r.status_code == 201, r.content
    assert verdicts(order.id) == {"LNG-04": True, "LNG-05": True, "LNG-07": True}
    body = r.json()
    assert body["language"] == "普通话"
    assert body["manner"]["LNG-05"]["said"] == "张先生"


def test_greeting_without_surname_and_unexplained_jargon_break(api):
    order = f.order()
    turns = visit("您好，我是中国电信装维人员。", "您家光衰太大，LOID也不对。", "再见。")
    r = post(api, order, {"channel": "visit", "turns": turns})
    assert r.status_code == 201, r.content
    # No language given: LNG-04 is not judged.
    assert verdicts(order.id) == {"LNG-05": False, "LNG-07": False}
    row = TranscriptCheck.objects.get()
    assert [t["term"] for t in row.manner["LNG-07"]["terms"]] == ["光衰", "LOID"]


def test_dialect_only_when_the_customer_asked(api):
    order = f.order()
    asked = visit(GREETING, customer="我听不懂普通话，你讲四川话嘛。")
    post(api, order, {"channel": "phone", "turns": asked, "language": "方言:四川话"})
    assert verdicts(order.id)["LNG-04"] is True
    other = f.order()
    plain = visit(GREETING)
    post(api, other, {"channel": "phone", "turns": plain, "language": "粤语"})
    assert verdicts(other.id)["LNG-04"] is False
    third = f.order()
    post(
        api,
        third,
        {"channel": "phone", "turns": plain, "language": "粤语", "dialect_requested": True},
    )
    assert verdicts(third.id)["LNG-04"] is True


@pytest.mark.parametrize("language", ["火星语", "方言:", "mandarin"])
def test_an_unknown_language_is_refused_naming_the_field_and_norm(api, language):
    order = f.order()
    r = post(api, order, {"channel": "phone", "turns": visit(GREETING), "language": language})
    assert r.status_code == 422, r.content
    body = r.json()
    assert body["field"] == "language" and body["rule"] == "LNG-04"
    assert not TranscriptCheck.objects.exists()


def test_a_language_too_long_is_refused(api):
    order = f.order()
    r = post(api, order, {"channel": "phone", "turns": visit(GREETING), "language": "方" * 40})
    assert r.status_code == 422


def test_dialect_requested_must_be_a_boolean(api):
    order = f.order()
    body = {"channel": "phone", "turns": visit(GREETING), "dialect_requested": "maybe"}
    assert post(api, order, body).status_code == 422


def test_an_asr_spelling_of_a_forbidden_phrase_is_found_with_its_variant(api):
    order = f.order()
    turns = visit(GREETING, "这个嘛，我也不太青楚。")
    r = post(api, order, {"channel": "visit", "turns": turns})
    finding = r.json()["findings"][0]
    assert finding["phrase"] == "我也不清楚" and finding["variant"] == "homophone"
    assert NormCheck.objects.get(order_id=order.id, norm_id="LNG-02").kept is False


def test_a_hall_transcript_is_not_judged_for_lng_05(api):
    order = f.order()
    r = post(api, order, {"channel": "hall", "turns": visit("您好，请问办理什么业务？")})
    assert r.status_code == 201
    assert verdicts(order.id) == {}
