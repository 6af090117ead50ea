"""The step forms' evidence fields (``ev-*``) as the JSON object the field service checks.

Only shapes here: a box not ticked is ``False``, an empty number stays as typed so the service
names the field; the rules are in ``guifan.norms.evidence``.
"""

from __future__ import annotations

from typing import Any

from django.http import QueryDict

from guifan.apps.fieldwork.services.evidence import png_from_data_url
from guifan.apps.fieldwork.services.steps import Attachment
from guifan.textinput import whole_number

ROWS = 3  # charge and material lines the page offers


def _ticked(post: QueryDict, name: str) -> bool:
    return post.get(f"ev-{name}") == "on"


def _text(post: QueryDict, name: str) -> str:
    return str(post.get(f"ev-{name}", "")).strip()


def _number(value: str) -> Any:
    try:
        return float(value)
    except ValueError:
        return value


def _lines(post: QueryDict, prefix: str) -> list[dict[str, Any]]:
    out = []
    for i in range(ROWS):
        code = _text(post, f"{prefix}-{i}-code")
        if not code:
            continue
        qty = _text(post, f"{prefix}-{i}-qty") or "1"
        number = whole_number(qty)
        out.append({"code": code, "qty": number if number is not None else qty})
    return out


def _parameters(text: str) -> dict[str, str]:
    """``名称：数值`` per line (either colon)."""
    out = {}
    for line in text.splitlines():
        key, sep, value = line.replace("：", ":").partition(":")
        if sep and key.strip():
            out[key.strip()] = value.strip()
    return out


def evidence_from_post(kind: str, post: QueryDict, *, broadband: bool) -> dict[str, Any] | None:
    if kind == "self_check":
        items = ("uniform", "badge", "grooming", "smiling", "materials")
        return {
            "items": {k: _ticked(post, k) for k in items},
            "gate_id_shown": _ticked(post, "gate_id_shown"),
        }
    if kind == "charges":
        return {
            "boundary_explained": _ticked(post, "boundary_explained"),
            "warranty": _text(post, "warranty") or "none",
            "charges": _lines(post, "charge"),
            "consent": _ticked(post, "consent"),
            "receipt": _text(post, "receipt"),
        }
    if kind == "data_risk":
        return {"risk_explained": _ticked(post, "risk_explained"), "backup": _text(post, "backup")}
    if kind == "modem_label":
        return {
            "broadband_number": _text(post, "broadband_number"),
            "user_name": _text(post, "user_name"),
            "initial_password": _text(post, "initial_password"),
        }
    if kind == "test_together":
        tried = _ticked(post, "customer_tried")
        if not broadband:
            return {"service_test": _ticked(post, "service_test"), "customer_tried": tried}
        return {
            "web_page": _ticked(post, "web_page"),
            "download": _ticked(post, "download"),
            "email": _ticked(post, "email"),
            "speed_mbps": _number(_text(post, "speed_mbps")),
            "customer_tried": tried,
        }
    if kind == "work_sheet":
        return {
            "materials": _lines(post, "material"),
            "technical_parameters": _parameters(_text(post, "technical_parameters")),
            "cause": _text(post, "cause"),
            "measure": _text(post, "measure"),
            "asked_what_else": _ticked(post, "asked_what_else"),
        }
    return None


def attachment_from_post(kind: str, post: QueryDict, files: Any) -> Attachment | None:
    """The label's photo (VIS-13) or the data-risk signature drawn on the page (VIS-09)."""
    if kind == "modem_label":
        upload = files.get("ev-photo")
        if upload is None:
            return None
        return Attachment(upload.read(), upload.content_type or "", "photo_id")
    if kind == "data_risk":
        drawn = str(post.get("ev-signature", ""))
        if not drawn:
            return None  # the service names the missing signature (VIS-09)
        return Attachment(png_from_data_url(drawn), "image/png", "signature_photo_id")
    return None
