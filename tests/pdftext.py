"""The text and page size of a PDF made by fpdf2 (no PDF reader is installed).

fpdf2 writes a CID font with a ToUnicode map (``<code> <unicode>`` pairs) and the page's text
as two-byte glyph codes in literal strings of (compressed) content streams; mapping those codes back gives the text.
"""

from __future__ import annotations

import re
import zlib

_BFCHAR = re.compile(rb"<([0-9A-Fa-f]{4})>\s*<([0-9A-Fa-f]{4,8})>")
_STREAM = re.compile(rb"stream\r?\n")


def _streams(pdf: bytes) -> list[bytes]:
    out = []
    for m in _STREAM.finditer(pdf):
        start = m.end()
        chunk = pdf[start : pdf.find(b"endstream", start)]
        try:
            # Not ``strip()``: compressed bytes may end in a whitespace byte (the checksum's
            # last byte), and stripping it broke about one stream in 40. A decompress object
            # stops at the stream's end and leaves the EOL before "endstream" unused.
            out.append(zlib.decompressobj().decompress(chunk))
        except zlib.error:
            out.append(chunk.strip())
    return out


def _literal(data: bytes, i: int) -> tuple[bytes, int]:
    """The bytes of the literal string opening at ``data[i] == b"("`` and where it ends."""
    out, depth, i = bytearray(), 1, i + 1
    escapes = {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("f"): 12}
    while depth and i < len(data):
        c = data[i]
        if c == 0x5C:  # backslash
            nxt = data[i + 1]
            if 0x30 <= nxt <= 0x37:
                j = i + 1
                while j < i + 4 and 0x30 <= data[j] <= 0x37:
                    j += 1
                out.append(int(data[i + 1 : j], 8) & 0xFF)
                i = j
                continue
            out.append(escapes.get(nxt, nxt))
            i += 2
            continue
        depth += c == 0x28
        depth -= c == 0x29
        if depth:
            out.append(c)
        i += 1
    return bytes(out), i


def pdf_text(pdf: bytes) -> str:
    """The drawn text of every page, glyph by glyph (spacing is not kept)."""
    streams = _streams(pdf)
    cmap: dict[int, str] = {}
    for s in streams:
        if b"beginbfchar" in s:
            for code, uni in _BFCHAR.findall(s):
                cmap[int(code, 16)] = chr(int(uni, 16))
    text = []
    for s in streams:
        if b") Tj" not in s or b" Tf" not in s or b"begincmap" in s:
            continue
        i = s.find(b"(")
        while i != -1:
            raw, end = _literal(s, i)
            codes = [int.from_bytes(raw[k : k + 2], "big") for k in range(0, len(raw) - 1, 2)]
            text.extend(cmap.get(c, "") for c in codes)
            i = s.find(b"(", end)
    return "".join(text)


def pdf_page_mm(pdf: bytes) -> tuple[float, float]:
    """The page's width and height in millimetres (a page's own box, else the default)."""
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert boxes, "no MediaBox"
    m = boxes[-1]
    return float(m[0]) / 72 * 25.4, float(m[1]) / 72 * 25.4
