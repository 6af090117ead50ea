"""The call centre's worklist page (issue 14), through Django's test client."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from guifan.apps.accounts.models import Role
from guifan.apps.callcentre.models import Callback, CallbackAttempt
from guifan.apps.norms.models import NormCheck
from guifan.clock import FixedClock
from tests import factories as f
from tests.apps.callcentre.test_callbacks import completed, remote_fixed

pytestmark = pytest.mark.django_db


from guifan.norms.reasons import reason_text  # noqa: E402


def agent_client() -> Client:
    client = Client(HTTP_HOST="localhost")
    client.force_login(f.user(Role.QUALITY))
    return client


def test_the_worklist_is_due_first_with_overdue_flagged_and_phones_masked(
    clock: FixedClock,
) -> None:
    remote_fixed()
    completed(fix_certain=False)
    clock.set(clock.now() + dt.timedelta(minutes=45))
    html = agent_client().get("/qc/callbacks/").content.decode()
    assert html.index("远程处理后回访") < html.index("无把握修复回访")  # due first
    assert html.count('class="overdue"') == 1 and "已超时" in html
    assert "****" in html  # SEC-01: masked
    english = agent_client()
    english.cookies["guifan_language"] = "en"
    html = english.get("/qc/callbacks/").content.decode()
    assert "Callback after a remote fix" in html and "远程处理后回访" not in html


def test_an_agent_answers_the_survey_on_the_page_once(clock: FixedClock) -> None:
    order = completed(fix_certain=False)
    cb = Callback.objects.get(order=order)
    client = agent_client()
    page = client.get(f"/qc/callbacks/{cb.id}/").content.decode()
    assert "师傅进门是否穿鞋套" in page and "第 1 版" in page
    client.cookies["guifan_language"] = "en"
    english = client.get(f"/qc/callbacks/{cb.id}/").content.decode()
    assert "Did the technician wear shoe covers" in english and "师傅进门" not in english
    client.cookies["guifan_language"] = "zh-hans"
    form = {
        "client_key": "k-1",
        "form_version": "1",
        "reached": "yes",
        "q-shoe_covers_mat": "no",
        "q-fixed": "yes",
        "q-satisfaction": "4",
        "q-grooming": "unknown",
    }
    for _ in range(2):  # a double submit records one attempt
        resp = client.post(f"/qc/callbacks/{cb.id}/attempt/", form)
        assert resp.status_code == 303
    assert CallbackAttempt.objects.filter(callback=cb).count() == 1
    kept = dict(NormCheck.objects.filter(order=order).values_list("norm_id", "kept"))
    assert kept["VIS-05"] is False and kept["QA-08"] is True and kept["QA-01"] is True
    # The answer's verdict quotes the question in each language.
    vis05 = NormCheck.objects.get(order=order, norm_id="VIS-05", detail__source="callback")
    assert vis05.reason == "回访：师傅进门是否穿鞋套，工具是否放在垫布上？否"
    english_reason = reason_text(vis05.detail["msg"], vis05.detail["args"], "en")
    assert english_reason == (
        "Callback: Did the technician wear shoe covers and put the tools on a mat? no"
    )
    resp = client.post(f"/qc/callbacks/{cb.id}/revisit/", {"reason": "客户要求复查"})
    assert resp.status_code == 303
    order.refresh_from_db()
    assert order.status == "awaiting_appointment"


def test_a_technician_may_not_open_the_worklist(clock: FixedClock) -> None:
    client = Client(HTTP_HOST="localhost")
    client.force_login(f.user(Role.TECHNICIAN))
    assert client.get("/qc/callbacks/").status_code == 403


@pytest.mark.parametrize("field", ["q-satisfaction", "form_version"])
def test_a_digit_python_cannot_read_is_refused_not_a_500(clock: FixedClock, field: str) -> None:
    """ "²" passes ``str.isdigit`` but not ``int()``: the page says no, nothing is stored."""
    cb = Callback.objects.get(order=completed(fix_certain=False))
    form = {"client_key": "k-2", "form_version": "1", "reached": "yes", "q-fixed": "yes"}
    client = agent_client()
    resp = client.post(f"/qc/callbacks/{cb.id}/attempt/", {**form, field: "²"})
    assert resp.status_code == 303
    if field == "q-satisfaction":  # refused naming the answer, as any other bad one
        assert not CallbackAttempt.objects.filter(callback=cb).exists()
        page = client.get(resp.url).content.decode()
        assert "”的回答须为1 到 5 的整数" in page and "问题 satisfaction" not in page
