"""HAL-13 (key terms, signature, receipt, cash), the 三强 ban (STF-06) and HAL-12 at the counter."""

from __future__ import annotations

import base64
import io
import json
from decimal import Decimal

import pytest
from django.test import Client
from PIL import Image, ImageDraw

from guifan.apps.accounts.models import Role
from guifan.apps.hall import services
from guifan.apps.hall.business import ticket_business_record
from guifan.apps.hall.capabilities import businesses_known, capable_halls, hall_can, hall_wait_now
from guifan.apps.hall.models import (
    Counter,
    CounterTransaction,
    Hall,
    Referral,
    Ticket,
    TicketStatus,
)
from guifan.apps.hall.transactions import key_terms, transaction_complete
from guifan.apps.norms.models import NormCheck
from guifan.clock import now as clock_now
from guifan.errors import RuleViolation, ValidationFailed
from tests import factories as f
from tests.pdftext import pdf_page_mm, pdf_text

pytestmark = pytest.mark.django_db
TERMS = ["收费标准", "业务规则", "业务期限", "生效日期", "违约责任"]


def signature_png(*, ink: bool = True, size: tuple[int, int] = (320, 140)) -> bytes:
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    if ink:
        ImageDraw.Draw(image).line(
            [(20, 100), (120, 30), (200, 110), (300, 40)], fill="#111827", width=3
        )
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()


@pytest.fixture
def serving(clock):
    hall = Hall.objects.create(
        code="H1", name="春熙路旗舰营业厅", level=1, address="春熙路 1 号", lat=30.657, lng=104.08
    )
    clerk, raw = f.token(Role.HALL_STAFF)
    counter = Counter.objects.create(hall=hall, number=1, status="open", staff=clerk)
    ticket = services.ticket_issue(hall_code="H1", by=clerk, category=next(iter(hall.categories)))
    Ticket.objects.filter(id=ticket.id).update(status=TicketStatus.SERVING, counter=counter)
    return ticket, clerk, Client(headers={"Authorization": f"Bearer {raw}"})


def record(ticket, clerk, business="宽带续费", kind="transaction"):
    return ticket_business_record(
        ticket_id=ticket.id,
        hall_code="H1",
        kind=kind,
        business=business,
        id_checked=kind == "transaction",
        id_recorded=False,
        by=clerk,
    )


def complete(api, ticket, business_id, **body):
    body.setdefault("terms_shown", TERMS)
    body.setdefault("signature", data_url(signature_png()))
    body.setdefault("receipt", "paper")
    return api.post(
        f"/api/v1/halls/H1/tickets/{ticket.id}/business/{business_id}/complete",
        json.dumps(body),
        content_type="application/json",
    )


def test_the_key_terms_come_from_the_catalog():
    assert key_terms() == TERMS


def test_a_complete_transaction_keeps_hal13_and_prints_an_80mm_receipt(serving):
    ticket, clerk, api = serving
    b = record(ticket, clerk)
    r = complete(
        api,
        ticket,
        b.id,
        amount_due="50.00",
        cash_received="100.00",
        cash_returned="50.00",
        cash_called_out=True,
        addons=[{"name": "来电显示", "consented": True}],
    )
    assert r.status_code == 201, r.content
    body = r.json()
    t = CounterTransaction.objects.get()
    assert body["signature_digest"] == t.signature_digest and len(t.signature_digest) == 64
    assert t.terms_shown == TERMS and t.cash_returned == Decimal("50.00")
    checks = dict(NormCheck.objects.values_list("norm_id", "kept"))
    assert checks["HAL-13"] is True and checks["STF-06"] is True
    pdf = api.get(body["receipt_url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    width_mm, height_mm = pdf_page_mm(pdf.content)
    assert round(width_mm) == 80 and 100 < height_mm < 250  # a roll cut to the content
    text = pdf_text(pdf.content)
    for needle in ("业务回执", "春熙路 1 号", "宽带续费", "违约责任", "找零", "来电显示", "光临"):
        assert needle in text


def test_with_the_cut_font_a_receipt_reads_the_same_and_a_rare_hanzi_still_prints(
    serving, pdf_font_cut, monkeypatch
):
    """The font cut to the common characters draws the usual receipt; a hall address with a
    character outside it sends the receipt to the whole font (``guifan.pdffont``)."""
    from guifan import pdffont

    monkeypatch.setattr(pdffont, "BUILD_DIR", pdf_font_cut)
    drawn_with: list[str] = []

    def spied(texts):
        drawn_with.append(pdffont.font_for(texts))
        return drawn_with[-1]

    monkeypatch.setattr("guifan.apps.hall.receipt.font_for", spied)
    ticket, clerk, api = serving
    b = record(ticket, clerk)
    body = complete(api, ticket, b.id, amount_due="50.00", cash_received="50.00").json()
    text = pdf_text(api.get(body["receipt_url"]).content)
    assert "春熙路 1 号" in text and "违约责任" in text and "光临" in text
    Hall.objects.filter(code="H1").update(address="春熙路 1 号䶮")
    text = pdf_text(api.get(body["receipt_url"]).content)
    assert "春熙路 1 号䶮" in text
    assert drawn_with == [str(pdffont.cut_font_path()), pdffont.full_font_path()]


def test_without_the_terms_or_the_signature_it_is_refused_and_remembered(serving):
    ticket, clerk, api = serving
    b = record(ticket, clerk)
    r = complete(api, ticket, b.id, terms_shown=TERMS[:4])
    assert r.status_code == 422
    assert (r.json()["rule"], r.json()["field"]) == ("HAL-13", "terms_shown")
    assert "违约责任" in r.json()["message"]
    r = complete(api, ticket, b.id, signature="")
    assert (r.status_code, r.json()["rule"], r.json()["field"]) == (422, "HAL-13", "signature")
    blank = complete(api, ticket, b.id, signature=data_url(signature_png(ink=False)))
    assert (blank.status_code, blank.json()["rule"]) == (422, "HAL-13")
    assert not CounterTransaction.objects.exists()
    refusals = NormCheck.objects.filter(norm_id="HAL-13", kept=False)
    assert refusals.count() == 3
    assert all(r.area_code == "H1" and r.person == clerk.username for r in refusals)
    assert all("signature" not in json.dumps(r.detail["attempted"]) for r in refusals)
    assert complete(api, ticket, b.id).status_code == 201


def test_cash_not_called_out_is_measured_not_refused(serving):
    ticket, clerk, _ = serving
    b = record(ticket, clerk)
    transaction_complete(
        ticket_id=ticket.id,
        hall_code="H1",
        business_id=b.id,
        terms_shown=TERMS,
        signature_png=signature_png(),
        receipt="e_invoice",
        amount_due=Decimal("30"),
        cash_received=Decimal("50"),
        cash_called_out=False,
        by=clerk,
    )
    [check] = NormCheck.objects.filter(norm_id="HAL-13")
    assert not check.kept and "找还金额" in check.reason
    assert CounterTransaction.objects.get().cash_returned == Decimal("20")


def test_an_addon_without_consent_breaks_the_three_forced_ban(serving):
    ticket, clerk, api = serving
    b = record(ticket, clerk)
    r = complete(api, ticket, b.id, addons=[{"name": "视频会员包", "consented": False}])
    assert r.status_code == 201
    [check] = NormCheck.objects.filter(norm_id="STF-06")
    assert not check.kept and "视频会员包" in check.reason


def test_bad_input_is_named(serving):
    ticket, clerk, api = serving
    b = record(ticket, clerk)
    cases = [
        ({"cash_received": "10", "cash_returned": "-1"}, "cash_returned"),
        ({"amount_due": "-5"}, "amount_due"),
        ({"amount_due": "20", "cash_received": "10"}, "cash_received"),
        ({"amount_due": "20", "cash_received": "50", "cash_returned": "10"}, "cash_returned"),
        ({"receipt": "none"}, "receipt"),
        ({"signature": "data:image/jpeg;base64,AAAA"}, "signature"),
        ({"signature": data_url(b"\x89PNG\r\n\x1a\nnot really")}, "signature"),
        ({"signature": data_url(b"x" * (201 * 1024))}, "signature"),
        ({"terms_shown": [*TERMS, "赠品"]}, "terms_shown"),
        ({"addons": [{"name": " "}]}, "addons[0].name"),
    ]
    for body, field in cases:
        r = complete(api, ticket, b.id, **body)
        assert r.status_code == 422 and r.json()["field"] == field, (body, r.json())
    assert complete(api, ticket, 99999).status_code == 404
    inquiry = record(ticket, clerk, business="资费咨询", kind="inquiry")
    assert complete(api, ticket, inquiry.id).status_code == 409
    assert complete(api, ticket, b.id).status_code == 201
    assert complete(api, ticket, b.id).status_code == 409  # done once


def test_an_image_too_big_in_pixels_is_refused(serving):
    ticket, clerk, _ = serving
    b = record(ticket, clerk)
    big = signature_png(size=(2000, 1200))
    with pytest.raises(ValidationFailed) as err:
        transaction_complete(
            ticket_id=ticket.id,
            hall_code="H1",
            business_id=b.id,
            terms_shown=TERMS,
            signature_png=big,
            receipt="paper",
            by=clerk,
        )
    assert err.value.field == "signature"


def test_a_receipt_for_an_unfinished_transaction_is_refused(serving):
    ticket, clerk, api = serving
    b = record(ticket, clerk)
    r = api.get(f"/api/v1/halls/H1/transactions/{b.id}/receipt.pdf")
    assert r.status_code == 409 and r.json()["field"] == "business_id"
    assert api.get("/api/v1/halls/H1/transactions/424242/receipt.pdf").status_code == 404


# ---- HAL-12 -------------------------------------------------------------------------------


@pytest.fixture
def region(serving):
    Hall.objects.create(
        code="H0",
        name="天府广场中心营业厅",
        level=0,
        address="人民南路 1 号",
        lat=30.66,
        lng=104.07,
    )
    Hall.objects.create(
        code="H9", name="远郊中心营业厅", level=0, address="远郊 9 号", lat=30.9, lng=104.5
    )
    Hall.objects.create(code="H3", name="社区厅", level=3, lat=30.65, lng=104.08)
    return serving


def refer(api, ticket, step, business, **extra):
    return api.post(
        f"/api/v1/halls/H1/tickets/{ticket.id}/referrals/{step}",
        json.dumps({"business": business, **extra}),
        content_type="application/json",
    )


def test_the_capability_table_is_catalog_data(region):
    h1 = Hall.objects.get(code="H1")
    assert hall_can(h1, "宽带续费") and not hall_can(h1, "政企专线开通")
    assert "政企专线开通" in businesses_known()
    [near, far] = capable_halls(h1, "政企专线开通", clock_now())
    assert (near.hall.code, far.hall.code) == ("H0", "H9") and near.distance_km < 2


def test_coordinated_then_guided_keeps_hal12_with_address_and_wait(region, clock):
    ticket, _, api = region
    manager = f.user(Role.DUTY_MANAGER)
    h0 = Hall.objects.get(code="H0")
    waiting = f.user(Role.HALL_STAFF, hall="H0")
    for _ in range(3):
        services.ticket_issue(hall_code="H0", by=waiting, category="A")
    Counter.objects.create(hall=h0, number=1, status="open")
    assert hall_wait_now(h0, clock.now()) == 24  # 3 waiting × 8 min ÷ 1 open counter
    r = refer(api, ticket, "coordinate", "政企专线开通")
    assert r.status_code == 201 and r.json()["coordinated_with"] == manager.username
    r = refer(api, ticket, "guide", "政企专线开通")
    assert r.status_code == 201
    to = r.json()["to_hall"]
    assert (to["code"], to["address"], to["wait_minutes"]) == ("H0", "人民南路 1 号", 24)
    [check] = NormCheck.objects.filter(norm_id="HAL-12")
    assert check.kept and "天府广场中心营业厅" in check.reason
    assert refer(api, ticket, "guide", "政企专线开通").status_code == 409
    options = api.get("/api/v1/halls/H1/capable-halls", {"business": "政企专线开通"}).json()
    assert options["here"] is False and [h["code"] for h in options["halls"]] == ["H0", "H9"]


def test_guided_without_coordinating_or_for_a_business_we_handle_breaks_hal12(region):
    ticket, _, api = region
    assert refer(api, ticket, "guide", "集团账户变更").status_code == 201
    assert refer(api, ticket, "guide", "宽带续费").status_code == 201
    checks = list(NormCheck.objects.filter(norm_id="HAL-12").values_list("kept", "reason"))
    assert [k for k, _ in checks] == [False, False]
    assert "未先与厅店负责人协调" in checks[0][1] and "本厅可以办理" in checks[1][1]
    assert Referral.objects.count() == 2


def test_referral_bad_input(region):
    ticket, _, api = region
    r = refer(api, ticket, "guide", "卖保险")
    assert r.status_code == 422 and r.json()["field"] == "business"
    r = refer(api, ticket, "coordinate", "政企专线开通", manager="nobody")
    assert r.status_code == 422 and r.json()["field"] == "manager"
    Hall.objects.filter(level=0).delete()
    r = refer(api, ticket, "guide", "政企专线开通")
    assert r.status_code == 409 and not NormCheck.objects.filter(norm_id="HAL-12").exists()


def test_a_waiting_ticket_cannot_be_referred_or_completed(region):
    _, clerk, api = region
    waiting = services.ticket_issue(hall_code="H1", by=clerk, category="A")
    assert refer(api, waiting, "coordinate", "政企专线开通").status_code == 409


def test_service_refusal_is_a_rule_violation(serving):
    ticket, clerk, _ = serving
    b = record(ticket, clerk)
    with pytest.raises(RuleViolation) as err:
        transaction_complete(
            ticket_id=ticket.id,
            hall_code="H1",
            business_id=b.id,
            terms_shown=TERMS,
            signature_png=b"",
            receipt="paper",
            by=clerk,
        )
    assert err.value.rule == "HAL-13"
