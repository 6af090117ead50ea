from __future__ import annotations

import json

import pytest
from django.test import Client

from guifan.apps.compliance.models import TranscriptCheck
from guifan.apps.norms.models import NormCheck
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(clock):
    f.area()
    _, raw = f.token()
    return Client(headers={"Authorization": f"Bearer {raw}"})


def post(client, path, body):
    return client.post(f"/api/v1{path}", data=json.dumps(body), content_type="application/json")


def verdicts(order_id):
    return dict(
        NormCheck.objects.filter(
            order_id=order_id, norm_id__in=["LNG-01", "LNG-02", "APT-09"]
        ).values_list("norm_id", "kept")
    )


def test_the_booking_script_passes_the_checker(api):
    order = f.order()
    lines = api.get("/api/v1/scripts/booking?surname=张&title=先生").json()["lines"]
    assert any("张先生" in line for line in lines)
    turns = [{"speaker": "staff", "text": line} for line in lines]
    r = post(
        api,
        f"/orders/{order.id}/transcripts",
        {"channel": "phone", "moment": "booking", "turns": turns},
    )
    assert r.status_code == 201, r.content
    assert r.json()["findings"] == [] and r.json()["missing"] == []
    assert verdicts(order.id) == {"LNG-01": True, "LNG-02": True, "APT-09": True}


def test_a_forbidden_phrase_in_a_staff_turn_is_found_and_counted(api):
    order = f.order()
    turns = [
        {"speaker": "customer", "text": "我的宽带怎么又断了?"},
        {"speaker": "staff", "text": "您好,这个嘛,我也不清楚啊"},
    ]
    r = post(api, f"/orders/{order.id}/transcripts", {"channel": "phone", "turns": turns})
    body = r.json()
    assert [(x["turn"], x["phrase"], x["norm"]) for x in body["findings"]] == [
        (1, "我也不清楚", "LNG-02")
    ]
    finding = body["findings"][0]
    assert turns[1]["text"][finding["start"] : finding["end"]] == finding["text"]
    assert verdicts(order.id)["LNG-02"] is False
    assert TranscriptCheck.objects.get().person  # attributed to someone


def test_a_customer_saying_the_words_is_not_a_finding(api):
    order = f.order()
    turns = [
        {"speaker": "customer", "text": "我也不清楚"},
        {"speaker": "staff", "text": "您好,谢谢,再见"},
    ]
    r = post(api, f"/orders/{order.id}/transcripts", {"channel": "visit", "turns": turns})
    assert r.json()["findings"] == []


def test_an_unknown_speaker_is_refused_naming_the_turn(api):
    order = f.order()
    r = post(
        api,
        f"/orders/{order.id}/transcripts",
        {"channel": "phone", "turns": [{"speaker": "bot", "text": "您好"}]},
    )
    assert (r.status_code, r.json()["field"]) == (422, "turns[0].speaker")
    assert not TranscriptCheck.objects.exists()


def test_an_unknown_moment_is_404(api):
    assert api.get("/api/v1/scripts/dance").status_code == 404


def test_a_hall_conversation_is_checked_for_the_three_voices(clock):
    from guifan.apps.hall import services as hall
    from guifan.apps.hall.models import Hall

    Hall.objects.create(code="H1", name="春熙路营业厅")
    ticket = hall.ticket_issue(by=None, hall_code="H1", category="A")
    _, raw = f.token(role="hall_staff")
    api = Client(headers={"Authorization": f"Bearer {raw}"})
    turns = [
        {"speaker": "staff", "text": "您好,请问您需要办理什么业务?"},
        {"speaker": "staff", "text": "不行就是不行!"},
    ]
    r = post(api, f"/halls/H1/tickets/{ticket.id}/transcripts", {"turns": turns})
    assert r.status_code == 201, r.content
    assert r.json()["missing"] == ["farewell"]
    checks = dict(
        NormCheck.objects.filter(norm_id__in=["LNG-02", "LNG-06"]).values_list("norm_id", "kept")
    )
    assert checks == {"LNG-02": False, "LNG-06": False}
    assert TranscriptCheck.objects.get().ticket_id == ticket.id
    other = post(api, f"/halls/H2/tickets/{ticket.id}/transcripts", {"turns": turns})
    assert other.status_code == 404
