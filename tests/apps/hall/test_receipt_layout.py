"""The 80 mm receipt's page is as long as its content: never cut short, little paper wasted."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from PIL import Image

from guifan.apps.accounts.models import User
from guifan.apps.hall.models import CounterTransaction, Hall, Ticket, TicketBusiness
from guifan.apps.hall.receipt import MARGIN_MM, SPARE_MM, receipt_layout
from tests.pdftext import pdf_text

LONG_ADDRESS = (
    "四川省成都市锦江区春熙路街道总府路 2 号附 8 号国际商业中心一楼东侧中国电信旗舰营业厅"
)


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (320, 140), (0, 0, 0, 0)).save(out, format="PNG")
    return out.getvalue()


def _transaction(
    *,
    address: str,
    addons: int,
    receipt: str,
    terms: int,
    addon: str = "来电显示与天翼云盘家庭版十二个月优惠包",
) -> CounterTransaction:
    hall = Hall(code="H1", name="春熙路旗舰营业厅", address=address)
    ticket = Ticket(hall=hall, category="A", number=7)
    business = TicketBusiness(id=41, ticket=ticket, business="宽带续费", id_checked=True)
    return CounterTransaction(
        business=business,
        terms_shown=["收费标准", "业务规则", "业务期限", "生效日期", "违约责任"][:terms],
        signature_png=_png(),
        signature_digest="ab" * 32,
        amount_due=Decimal("50.00"),
        cash_received=Decimal("100.00"),
        cash_returned=Decimal("50.00"),
        receipt=receipt,
        addons=[{"name": f"{addon}{i + 1}", "consented": True} for i in range(addons)],
        completed_at=dt.datetime(2025, 6, 3, 2, 30, tzinfo=dt.UTC),
        by=User(username="clerk01"),
    )


@pytest.mark.parametrize(
    ("address", "addons", "receipt", "terms"),
    [
        ("春熙路 1 号", 0, "paper", 5),
        (LONG_ADDRESS, 0, "paper", 5),
        ("春熙路 1 号", 4, "e_invoice", 5),
        (LONG_ADDRESS * 3, 8, "e_invoice", 2),
        ("", 0, "paper", 0),
    ],
)
def test_the_page_is_never_cut_short(address: str, addons: int, receipt: str, terms: int) -> None:
    """A text that wraps gets a line to spare (Latin words wrap whole); nothing runs off."""
    pdf = receipt_layout(_transaction(address=address, addons=addons, receipt=receipt, terms=terms))
    assert pdf.h - pdf.get_y() >= MARGIN_MM  # paper under the last line
    text = pdf_text(bytes(pdf.output()))
    assert "谢谢您的光临" in text and "宽带续费" in text


def test_a_usual_receipt_ends_just_below_its_last_line() -> None:
    """One line per row, not two: the roll used to run ~70 mm blank under a usual receipt.
    The closing wraps, so it has a line (4 mm) to spare."""
    usual = _transaction(address="春熙路 1 号", addons=1, receipt="paper", terms=5, addon="彩铃")
    pdf = receipt_layout(usual)
    assert MARGIN_MM <= pdf.h - pdf.get_y() <= MARGIN_MM + SPARE_MM + 4
