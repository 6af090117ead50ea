"""The PDFs' CJK font: cut ahead of time to the common characters, the whole font otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from fpdf import FPDF

from guifan import pdffont
from tests.pdftext import pdf_text

RECEIPT_LIKE = (
    "中国电信 业务回执 成都市锦江区春熙路 1 号 宽带续费 找零 50.00 元 ■ “我的—发票管理”，谢谢！"
)
RARE = "䶮"  # CJK Extension A: in the whole font, not in GB 2312


@pytest.fixture
def cut_dir(pdf_font_cut: Path) -> Path:
    return pdf_font_cut


def _draw(font: str, text: str) -> bytes:
    pdf = FPDF(format=(80, 100))
    pdf.add_font("noto", "", font)
    pdf.set_font("noto", size=8)
    pdf.add_page()
    pdf.multi_cell(0, 5, text)
    return bytes(pdf.output())


def test_the_common_set_is_gb2312_with_ascii_and_punctuation() -> None:
    common = pdffont.common_characters()
    hanzi = [c for c in common if "\u4e00" <= c <= "\u9fff"]
    assert len(hanzi) == 6763  # GB 2312's two levels
    assert set(RECEIPT_LIKE) <= common
    assert RARE not in common and "堃" not in common  # a name's rarer hanzi


def test_without_a_cut_every_text_uses_the_whole_font(tmp_path: Path) -> None:
    assert pdffont.font_for([RECEIPT_LIKE], build_dir=tmp_path) == pdffont.full_font_path()


def test_the_cut_is_chosen_only_when_it_holds_every_character(cut_dir: Path) -> None:
    cut = str(pdffont.cut_font_path(cut_dir))
    assert pdffont.font_for([RECEIPT_LIKE, ""], build_dir=cut_dir) == cut
    assert pdffont.font_for([RECEIPT_LIKE, f"地址：{RARE}"], build_dir=cut_dir) == (
        pdffont.full_font_path()
    )


def test_the_cut_holds_every_common_character_the_whole_font_has(cut_dir: Path) -> None:
    whole = set(TTFont(pdffont.full_font_path(), lazy=True).getBestCmap())
    cut = TTFont(str(pdffont.cut_font_path(cut_dir)), lazy=True)
    wanted = {ord(c) for c in pdffont.common_characters()} & whole
    assert wanted and wanted <= set(cut.getBestCmap())
    assert "GSUB" not in cut and len(cut.getGlyphOrder()) < 10_000


def test_a_page_drawn_with_the_cut_reads_the_same(cut_dir: Path) -> None:
    text = pdf_text(_draw(str(pdffont.cut_font_path(cut_dir)), RECEIPT_LIKE))
    assert text.replace(" ", "").replace("\n", "") == RECEIPT_LIKE.replace(" ", "")


def test_a_rebuild_replaces_an_older_cut(tmp_path: Path) -> None:
    stale = tmp_path / "NotoSansCJKsc-common-0000000000000000.otf"
    stale.write_bytes(b"old")
    made = pdffont.build(build_dir=tmp_path, characters="回执")
    assert made.is_file() and not stale.exists()
    assert not list(tmp_path.glob("*.partial"))
