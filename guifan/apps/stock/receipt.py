"""The bring-back receipt as a PDF, and the signed, expiring link the customer opens it by.

fpdf2 draws the page; the CJK font is Noto Sans CJK SC from the ``mplfonts`` package the
report's plots already use (``guifan.pdffont``), so nothing is downloaded at run time.
"""

from __future__ import annotations

from django.core import signing
from fpdf import FPDF

from guifan.apps.stock.models import BringBackReceipt
from guifan.clock import local
from guifan.pdffont import font_for
from guifan.textinput import whole_number

SALT = "guifan.stock.receipt"
LINK_MAX_AGE_DAYS = 30  # the customer keeps the receipt for the repair and a while after
TITLE = "带回维修收条"
NOTICE = (
    "本公司已收到上述设备，将按约定日期送回。如需查询维修进度，请凭本收条编号致电客服。"
    "周转机请于设备送回时一并交还。"
)


def receipt_token(receipt_id: int) -> str:
    return signing.TimestampSigner(salt=SALT).sign(str(receipt_id))


def receipt_id_from_token(token: str) -> int | None:
    """The receipt a link names, or None when the link is forged or expired."""
    try:
        value = signing.TimestampSigner(salt=SALT).unsign(
            token, max_age=LINK_MAX_AGE_DAYS * 24 * 3600
        )
    except signing.BadSignature:
        return None
    return whole_number(value)


def receipt_pdf(receipt: BringBackReceipt) -> bytes:
    """One A5 page: who took what, in which state, the loaner lent and the return date."""
    order = receipt.order
    form = getattr(order, "bring_back_form", None)
    customer = order.customer
    rows = [
        ("收条编号", receipt.number),
        ("工单号", order.number),
        ("客户", f"{customer.name}{customer.title}"),
        ("开具时间", f"{local(receipt.issued_at):%Y-%m-%d %H:%M}"),
        ("带回原因", form.reason if form else ""),
        ("机器配置", form.device_configuration if form else ""),
        ("数据备份", ("已确认" if form.data_backup_confirmed else "未备份") if form else ""),
        ("外观检查", form.exterior_condition if form else ""),
        (
            "周转机",
            f"{receipt.loaner.item.name}（序列号 {receipt.loaner.serial}）"
            if receipt.loaner
            else "未借用",
        ),
        ("约定送回日期", f"{receipt.return_by:%Y年%m月%d日}"),
    ]
    pdf = FPDF(format=(148, 210))  # A5 in millimetres
    pdf.set_title(f"带回维修收条 {receipt.number}")
    pdf.set_creator("guifan")
    pdf.add_font("noto", "", font_for([TITLE, NOTICE, *(f"{k}{v}" for k, v in rows)]))
    pdf.add_page()
    pdf.set_font("noto", size=16)
    pdf.cell(0, 12, TITLE, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("noto", size=10)
    for label, value in rows:
        pdf.set_x(pdf.l_margin)
        pdf.cell(32, 8, label)
        pdf.multi_cell(0, 8, value or "—", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.multi_cell(0, 6, NOTICE)
    return bytes(pdf.output())
