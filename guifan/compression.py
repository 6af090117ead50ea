"""Light pages (ADR 0030): static files cached for a year under hashed names, pages gzipped.

``StaticFilesMiddleware`` is WhiteNoise with one change: a file whose name carries its content
hash (production settings collect them with ``CompressedManifestStaticFilesStorage``) is
cached for one year (``immutable``), not WhiteNoise's ten. WhiteNoise serves the ``.br`` or
``.gz`` copy collectstatic wrote beside each text file, by the browser's Accept-Encoding.

``GZipPagesMiddleware`` compresses HTML and JSON answers (Django's GZipMiddleware, with its
random-length filename against BREACH; the CSRF token in a page is masked anew per response)
but leaves event streams alone: compressing them would hold each event in the compressor's
buffer, and a calling screen would see a call only when the buffer filled.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware
from whitenoise.middleware import WhiteNoiseMiddleware  # type: ignore[import-untyped]

ONE_YEAR = 365 * 24 * 3600
UNCOMPRESSED = ("text/event-stream",)


class StaticFilesMiddleware(WhiteNoiseMiddleware):  # type: ignore[misc]
    FOREVER = ONE_YEAR


class GZipPagesMiddleware(GZipMiddleware):
    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if response.get("Content-Type", "").split(";", 1)[0].strip() in UNCOMPRESSED:
            return response
        return super().process_response(request, response)
