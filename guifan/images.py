"""Pictures from outside (site photos, signatures), checked by decoding them with Pillow.

The first bytes say little: a file that starts like a PNG may be anything after them, and a
small file may declare a billion pixels (a decompression bomb). So a picture is accepted only
when Pillow identifies it as an allowed format, its declared size is within ``max_pixels``
(read from the header, before any pixel is decoded), ``verify()`` finds it consistent and a
full decode succeeds. The content type stored is the decoded format's, never the client's.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from guifan.errors import ValidationFailed

PHOTO_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
SIGNATURE_FORMATS = {"PNG": "image/png"}
LABELS = {"WEBP": "WebP"}


@dataclass(frozen=True)
class Picture:
    content_type: str
    width: int
    height: int


def _invalid(field: str) -> ValidationFailed:
    return ValidationFailed("image.invalid", "图片已损坏或无法识别", field=field)


def _decode(data: bytes, fmt: str, size: tuple[int, int]) -> None:
    with Image.open(io.BytesIO(data), formats=[fmt]) as image:
        if fmt == "JPEG":
            # A JPEG decodes at 1/8 scale through the whole stream: every byte is still read
            # and checked, with a sixty-fourth of the memory.
            image.draft("RGB", (max(1, size[0] // 8), max(1, size[1] // 8)))
        image.load()


def image_check(
    data: bytes,
    *,
    max_bytes: int,
    max_pixels: int,
    formats: dict[str, str] = PHOTO_FORMATS,
    field: str = "photo",
) -> Picture:
    """The picture's type and size, or a ``ValidationFailed`` naming ``field``."""
    if len(data) > max_bytes:
        mb = 1024 * 1024
        limit = f"{max_bytes // mb} MB" if max_bytes % mb == 0 else f"{max_bytes // 1024 or 1} KB"
        raise ValidationFailed("image.size", f"图片不能超过 {limit}", field=field)
    kinds = "、".join(LABELS.get(f, f) for f in formats)
    wrong_type = ValidationFailed("image.type", f"请上传 {kinds} 图片", field=field)
    if not data:
        raise wrong_type
    with warnings.catch_warnings():
        # Pillow only warns between its own limit and twice it; here any excess is refused.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=list(formats)) as image:
                fmt, size = str(image.format), image.size
                if size[0] * size[1] > max_pixels:
                    raise ValidationFailed(
                        "image.pixels",
                        f"图片像素过多（最多 {max_pixels // 10_000} 万像素）",
                        field=field,
                    )
                image.verify()
            _decode(data, fmt, size)
        except ValidationFailed:
            raise
        except UnidentifiedImageError:
            raise wrong_type from None
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ValidationFailed(
                "image.pixels", f"图片像素过多（最多 {max_pixels // 10_000} 万像素）", field=field
            ) from None
        except Exception:
            # Decoders of untrusted bytes raise many kinds (OSError, SyntaxError, struct.error,
            # ValueError, ...): each is a damaged picture, never a 500.
            raise _invalid(field) from None
    return Picture(content_type=formats[fmt], width=size[0], height=size[1])
