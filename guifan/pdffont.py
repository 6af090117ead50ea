"""The CJK font the PDFs (the hall's 80 mm receipt, the bring-back receipt) are drawn with.

The font is Noto Sans CJK SC from ``mplfonts`` (nothing is downloaded). fpdf2 parses the font
and cuts it to the page's characters for every document: with the whole font (16 MB, 65,000
glyphs) that is ~0.43 CPU s per receipt, more than the rest of the request many times over
(``bench/results/receipt-font-2026-12-07.md``). So ``python -m guifan.pdffont`` cuts the font
once, ahead of time, to what receipts nearly always hold — GB 2312 (6,763 hanzi and its
symbols), ASCII, Latin-1 and the common punctuation and shape blocks — without the layout
tables fpdf2 does not use (it draws without text shaping). A document whose text is all in
that set is drawn with the cut font; any other character (a rarer hanzi in an address) and
the document is drawn with the whole font, as before: slower, never wrong.

The cut font is build output, like the message catalogs: not committed, made by the deploy's
prepare step and the container build (``deploy/local/up``, ``deploy/container/Containerfile``);
where it is missing every document uses the whole font.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sys
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

BUILD_DIR = Path(__file__).resolve().parent / "fonts-built"
# Bump when the character set or the cut's options change: the file name changes with it.
CUT_VERSION = 1
EXTRA_BLOCKS = (
    (0x20, 0x7F),  # ASCII
    (0xA0, 0x100),  # Latin-1 (× ÷ · ¥)
    (0x2000, 0x2070),  # general punctuation (— “ ” …)
    (0x2100, 0x2200),  # letterlike symbols and number forms (№ Ⅰ)
    (0x2460, 0x2500),  # enclosed numbers (①)
    (0x25A0, 0x2600),  # geometric shapes (■ □ ●)
    (0x3000, 0x3040),  # CJK symbols and punctuation
    (0xFF00, 0xFFF0),  # full-width forms
)


@functools.cache
def full_font_path() -> str:
    return str(resources.files("mplfonts").joinpath("fonts/NotoSansCJKsc-Regular.otf"))


@functools.cache
def common_characters() -> frozenset[str]:
    """GB 2312's characters (every two-byte code that decodes) and the extra blocks."""
    chars = {chr(c) for lo, hi in EXTRA_BLOCKS for c in range(lo, hi)}
    for row in range(0xA1, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                chars.add(bytes((row, cell)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return frozenset(chars)


def _source_key(path: str) -> str:
    """Names the cut by its source (size and first MiB) and the cut's version: another font
    version or character set gets another file, never a stale one."""
    digest = hashlib.sha256(f"{CUT_VERSION}:{Path(path).stat().st_size}:".encode())
    with open(path, "rb") as source:
        digest.update(source.read(1 << 20))
    return digest.hexdigest()[:16]


@functools.cache
def _source_name() -> str:
    return f"NotoSansCJKsc-common-{_source_key(full_font_path())}.otf"


def cut_font_path(build_dir: Path | None = None) -> Path:
    return (build_dir or BUILD_DIR) / _source_name()


def font_for(texts: Iterable[str], *, build_dir: Path | None = None) -> str:
    """The font file to draw ``texts`` with: the cut font when it is built and holds every
    character of them, else the whole font."""
    cut = cut_font_path(build_dir)
    common = common_characters()
    if cut.is_file() and all(ch in common for text in texts for ch in text if not ch.isspace()):
        return str(cut)
    return full_font_path()


def build(*, build_dir: Path | None = None, characters: Iterable[str] | None = None) -> Path:
    """Cut the whole font to the common set (tests pass a few ``characters`` and a directory
    of their own) into ``build_dir``, replacing any earlier cut; written to a name of this
    process and renamed, so a reader (or a second builder) never sees half."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    out = cut_font_path(build_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    options = subset.Options()
    options.desubroutinize = True  # fpdf2 cuts it again per document: flat charstrings are quicker
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx"]
    options.notdef_outline = True
    options.name_IDs = ["*"]
    font = TTFont(full_font_path(), lazy=True)
    cutter = subset.Subsetter(options)
    cutter.populate(unicodes=sorted(ord(c) for c in (characters or common_characters())))
    cutter.subset(font)
    partial = out.with_name(f"{out.name}.{os.getpid()}.partial")
    font.save(str(partial))
    partial.replace(out)
    for stale in out.parent.glob("NotoSansCJKsc-common-*.otf"):
        if stale != out:
            stale.unlink(missing_ok=True)
    return out


if __name__ == "__main__":
    # Named by its source and version: a cut that exists is this one (--force cuts again).
    if cut_font_path().is_file() and "--force" not in sys.argv[1:]:
        print(f"PDF font already cut: {cut_font_path()}", file=sys.stderr)
    else:
        print(f"PDF font cut to the common characters: {build()}", file=sys.stderr)
