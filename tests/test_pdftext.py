"""The PDF text helper of the tests reads streams whose compressed bytes end in whitespace."""

from __future__ import annotations

import zlib

from tests.pdftext import _streams


def test_a_stream_ending_in_a_whitespace_byte_is_read_whole() -> None:
    found = 0
    for n in range(3000):
        data = f"BT /F1 12 Tf ({n}) Tj ET".encode() * 3
        packed = zlib.compress(data)
        if packed[-1:] in (b"\n", b" ", b"\r", b"\t"):
            pdf = b"1 0 obj\n<< >>\nstream\n" + packed + b"\nendstream\n"
            assert _streams(pdf)[0] == data, n  # (the "endstream" match adds an empty one)
            found += 1
    assert found > 10  # the case this guards against occurs
