"""The transaction's receipt (回执, HAL-13) as a PDF laid out for an 80 mm receipt printer.

fpdf2 draws a 80 mm wide page (72 mm printable) as long as its content (measured first); the CJK
font is Noto Sans CJK SC (``guifan.pdffont``: cut ahead of time to the common characters), so
nothing is downloaded.
"""

from __future__ import annotations

import io
import math

from fpdf import FPDF

from guifan.apps.hall.models import CounterTransaction, ReceiptKind
from guifan.clock import local
from guifan.pdffont import font_for

WIDTH_MM = 80
MARGIN_MM = 4
TITLE = "中国电信 业务回执"
SIGN_HERE = "您已阅读并确认业务协议，签字如下："
TOLD = "已向您重点告知："
LABEL_MM = 18
SPARE_MM = 4  # below the last line: the estimate may be a little long, never short
E_INVOICE_GUIDANCE = (
    "电子发票：请登录中国电信营业厅 App，进入“我的—发票管理”，选择本次业务开具；"
    "也可关注官方微信公众号开具，开具后发送至您的邮箱。"
)


def _yuan(value: object) -> str:
    return f"{value} 元" if value is not None else "—"


def _rows(t: CounterTransaction) -> list[tuple[str, str]]:
    record = t.business
    ticket = record.ticket
    rows = [
        ("回执编号", t.number),
        ("营业厅", ticket.hall.name),
        ("排队号", ticket.code),
        ("办理业务", record.business),
        ("办理时间", f"{local(t.completed_at):%Y-%m-%d %H:%M}"),
        ("实名核验", "已核验" if record.id_checked else "—"),
        ("应收金额", _yuan(t.amount_due)),
    ]
    if t.cash_received is not None:
        rows += [("实收现金", _yuan(t.cash_received)), ("找零", _yuan(t.cash_returned))]
    for addon in t.addons:
        rows.append(
            ("加办业务", f"{addon['name']}（客户同意）" if addon["consented"] else addon["name"])
        )
    rows.append(("营业员", t.by.username if t.by else "—"))
    return rows


def _lines(pdf: FPDF, text: str, width: float) -> int:
    """How many lines ``text`` takes in ``width`` mm: CJK wraps at any character, so the
    width tells; a text that wraps gets one line to spare (Latin words wrap whole, earlier)."""
    if not text:
        return 0
    lines = math.ceil(pdf.get_string_width(text) / (width - 1))
    return lines + 1 if lines > 1 else lines


def receipt_layout(t: CounterTransaction) -> FPDF:
    """The receipt drawn on a page as long as its content (a roll printer cuts there): the
    content's height is worked out first, line by line, with a few millimetres to spare."""
    rows = _rows(t)
    inner = WIDTH_MM - 2 * MARGIN_MM
    address = t.business.ticket.hall.address
    closing = "请妥善保管本回执。如有疑问，请致电 10000。谢谢您的光临！"
    guidance = E_INVOICE_GUIDANCE if t.receipt == ReceiptKind.E_INVOICE else ""
    digest = f"签名摘要 {t.signature_digest[:16]}"
    texts = [TITLE, address, closing, guidance, SIGN_HERE, TOLD, digest, *t.terms_shown]
    pdf = FPDF(format=(WIDTH_MM, 200))
    pdf.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
    pdf.set_auto_page_break(False)
    pdf.set_title(f"业务回执 {t.number}")
    pdf.set_creator("guifan")
    pdf.add_font("noto", "", font_for([*texts, *(f"{k}{v}" for k, v in rows)]))
    pdf.set_font("noto", size=8)
    height = (
        2 * MARGIN_MM
        + 8  # title
        + 4 * _lines(pdf, address, inner)
        + 6  # two rules
        + sum(6 * _lines(pdf, value or "—", inner - LABEL_MM) for _, value in rows)
        + 6 * (1 + len(t.terms_shown))
        + 4 * _lines(pdf, SIGN_HERE, inner)
        + 24  # the signature
        + 4  # its digest
        + 4 * _lines(pdf, guidance, inner)
        + 2
        + 4 * _lines(pdf, closing, inner)
        + SPARE_MM
    )
    pdf.add_page(format=(WIDTH_MM, height))
    pdf.set_font("noto", size=12)
    pdf.cell(0, 8, TITLE, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("noto", size=8)
    if address:
        pdf.multi_cell(0, 4, address, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 3, "-" * 48, align="C", new_x="LMARGIN", new_y="NEXT")
    for label, value in rows:
        pdf.set_x(pdf.l_margin)
        pdf.cell(LABEL_MM, 6, label)
        pdf.multi_cell(0, 6, value or "—", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 3, "-" * 48, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, TOLD, new_x="LMARGIN", new_y="NEXT")
    for term in t.terms_shown:
        pdf.cell(0, 6, f"  ■ {term}", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 4, SIGN_HERE, new_x="LMARGIN", new_y="NEXT")
    pdf.image(io.BytesIO(bytes(t.signature_png)), x=MARGIN_MM, w=inner, h=24)
    pdf.set_font("noto", size=6)
    pdf.cell(0, 4, digest, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("noto", size=8)
    if guidance:
        pdf.multi_cell(0, 4, guidance, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.multi_cell(0, 4, closing, align="C", new_x="LMARGIN", new_y="NEXT")
    return pdf


def transaction_receipt_pdf(t: CounterTransaction) -> bytes:
    """One receipt: the hall, the business, the key terms told, the money and the signature."""
    pdf = receipt_layout(t)
    return bytes(pdf.output())
