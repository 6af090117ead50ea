"""Evidence from the visit: photos, the customer's signature and rating (VIS-18)."""

from __future__ import annotations

import base64
import binascii
import datetime as dt

from django.conf import settings
from django.db import transaction

from guifan.apps.accounts.models import User
from guifan.apps.fieldwork.checklist import checklist_step_get
from guifan.apps.fieldwork.choices import StepOutcome
from guifan.apps.fieldwork.models import (
    StepRecord,
    VisitPhoto,
    VisitRating,
    VisitSignature,
)
from guifan.apps.fieldwork.services.onsite import require_on_site
from guifan.apps.orders.access import Act
from guifan.apps.orders.models import WorkOrder
from guifan.apps.orders.services.records import order_lock
from guifan.clock import now as clock_now
from guifan.errors import ValidationFailed

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
PHOTO_TYPES = {"image/png": PNG_MAGIC, "image/jpeg": JPEG_MAGIC, "image/webp": b"RIFF"}
SIGNATURE_MAX_BYTES = 512 * 1024
DATA_URL_PREFIX = "data:image/png;base64,"


def photo_max_bytes() -> int:
    # Room for a phone camera's full-size JPEG.
    return int(getattr(settings, "GUIFAN_FIELD_PHOTO_MAX_BYTES", 5 * 1024 * 1024))


@transaction.atomic
def visit_photo_add(
    *,
    order_id: int,
    data: bytes,
    content_type: str,
    by: User,
    norm_id: str = "",
    expected_version: int | None = None,
) -> VisitPhoto:
    """Store a site photo, optionally attached to a checklist step."""
    order = order_lock(order_id, by=by, act=Act.FIELD, expected_version=expected_version)
    require_on_site(order)
    return photo_store(order, data, content_type, norm_id=norm_id, at=clock_now(), by=by)


def photo_store(
    order: WorkOrder,
    data: bytes,
    content_type: str,
    *,
    norm_id: str,
    at: dt.datetime,
    by: User,
) -> VisitPhoto:
    """Check and keep a photo of a locked on-site order (callers hold the lock)."""
    if norm_id and checklist_step_get(norm_id) is None:
        raise ValidationFailed("photo.step", f"没有步骤 {norm_id}", field="norm_id")
    magic = PHOTO_TYPES.get(content_type)
    if magic is None or not data.startswith(magic):
        raise ValidationFailed("photo.type", "请上传 JPEG、PNG 或 WebP 图片", field="photo")
    if len(data) > photo_max_bytes():
        limit = photo_max_bytes() // (1024 * 1024)
        raise ValidationFailed("photo.size", f"图片不能超过 {limit} MB", field="photo")
    return VisitPhoto.objects.create(
        order=order,
        norm_id=norm_id,
        content_type=content_type,
        data=data,
        size=len(data),
        at=at,
        by=by,
    )


def png_from_data_url(value: str) -> bytes:
    """The PNG bytes of a ``data:image/png;base64,…`` URL from the signature canvas."""
    if not value.startswith(DATA_URL_PREFIX):
        raise ValidationFailed("signature.empty", "请客户在屏幕上签名", field="signature")
    try:
        png = base64.b64decode(value[len(DATA_URL_PREFIX) :], validate=True)
    except (binascii.Error, ValueError):
        raise ValidationFailed("signature.invalid", "签名图片无效", field="signature") from None
    if not png.startswith(PNG_MAGIC) or len(png) > SIGNATURE_MAX_BYTES:
        raise ValidationFailed("signature.invalid", "签名图片无效", field="signature")
    return png


@transaction.atomic
def visit_signature_save(
    *, order_id: int, png: bytes, by: User, expected_version: int | None = None
) -> VisitSignature:
    """Keep the customer's signature (a new one replaces the old) and mark VIS-18 done."""
    now = clock_now()
    order = order_lock(order_id, by=by, act=Act.FIELD, expected_version=expected_version)
    require_on_site(order)
    if not png.startswith(PNG_MAGIC):
        raise ValidationFailed("signature.invalid", "签名图片无效", field="signature")
    signature, _ = VisitSignature.objects.update_or_create(
        order=order, defaults={"png": png, "at": now, "by": by}
    )
    StepRecord.objects.create(
        order=order, norm_id="VIS-18", outcome=StepOutcome.DONE, at=now, by=by
    )
    return signature


@transaction.atomic
def visit_rating_save(
    *,
    order_id: int,
    score: int,
    by: User,
    comment: str = "",
    expected_version: int | None = None,
) -> VisitRating:
    """The customer's rating, 1 to 5, with an optional comment."""
    order = order_lock(order_id, by=by, act=Act.FIELD, expected_version=expected_version)
    require_on_site(order)
    if not 1 <= score <= 5:
        raise ValidationFailed("rating.score", "评分须为 1 到 5 分", field="score")
    rating, _ = VisitRating.objects.update_or_create(
        order=order,
        defaults={"score": score, "comment": comment.strip()[:300], "at": clock_now()},
    )
    return rating
