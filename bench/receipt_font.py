"""The hall's 80 mm receipt drawn with the whole CJK font and with the font cut ahead of time.

fpdf2 parses and cuts the document's font for every PDF; ``guifan.pdffont`` cuts it once to
the common characters. This draws the same receipts (the real ``transaction_receipt_pdf``, on
model instances that are never saved) both ways, interleaved in one process, and prints the
CPU per receipt, the PDF's size and whether both read the same:

    python -m bench.receipt_font [--receipts 20]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from unittest import mock

import django

TERMS = ["收费标准", "业务规则", "业务期限", "生效日期", "违约责任"]


def _transaction(i: int) -> object:
    from guifan.apps.accounts.models import User
    from guifan.apps.hall.models import CounterTransaction, Hall, Ticket, TicketBusiness

    hall = Hall(code="H1", name="春熙路旗舰营业厅", address="成都市锦江区春熙路 1 号")
    ticket = Ticket(hall=hall, category="A", number=i + 1)
    business = TicketBusiness(id=1000 + i, ticket=ticket, business="宽带续费", id_checked=True)
    return CounterTransaction(
        business=business,
        terms_shown=TERMS,
        signature_png=_signature(),
        signature_digest="ab" * 32,
        amount_due=Decimal("50.00"),
        cash_received=Decimal("100.00"),
        cash_returned=Decimal("50.00"),
        receipt="e_invoice" if i % 2 else "paper",
        addons=[{"name": "来电显示", "consented": True}],
        completed_at=dt.datetime(2025, 6, 3, 2, 30, tzinfo=dt.UTC),
        by=User(username="clerk01"),
    )


def _signature() -> bytes:
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (320, 140), (0, 0, 0, 0))
    ImageDraw.Draw(image).line([(20, 100), (120, 30), (220, 110), (300, 40)], fill="black", width=4)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--receipts", type=int, default=20, help="receipts drawn each way")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guifan.settings.dev")
    django.setup()
    from guifan import pdffont
    from guifan.apps.hall.receipt import transaction_receipt_pdf
    from tests.pdftext import pdf_text

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.process_time()
        pdffont.build(build_dir=Path(tmp))
        cut_cpu = time.process_time() - t0
        whole_dir = Path(tmp) / "none"  # no cut there: the whole font
        cpu: dict[str, list[float]] = {"whole font": [], "cut font": []}
        size: dict[str, int] = {}
        text: dict[str, set[str]] = {"whole font": set(), "cut font": set()}
        for i in range(args.receipts):
            for name, where in (("whole font", whole_dir), ("cut font", Path(tmp))):
                with mock.patch.object(pdffont, "BUILD_DIR", where):
                    t = _transaction(i)
                    t0 = time.process_time()
                    pdf = transaction_receipt_pdf(t)  # type: ignore[arg-type]
                    cpu[name].append(time.process_time() - t0)
                size[name] = len(pdf)
                text[name].add(pdf_text(pdf))
    print(f"cutting the font once: {cut_cpu:.1f} CPU s")
    print("| font | receipts | CPU ms per receipt (median) | p90 | PDF bytes |")
    print("|---|---|---|---|---|")
    for name, times in cpu.items():
        ms = sorted(x * 1000 for x in times)
        p90 = ms[int(0.9 * (len(ms) - 1))]
        print(f"| {name} | {len(ms)} | {statistics.median(ms):.0f} | {p90:.0f} | {size[name]} |")
    ratio = statistics.median(cpu["whole font"]) / statistics.median(cpu["cut font"])
    print(
        f"whole / cut: {ratio:.1f}x; the same text both ways: {text['whole font'] == text['cut font']}"
    )


if __name__ == "__main__":
    main()
