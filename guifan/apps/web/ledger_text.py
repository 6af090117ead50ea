"""A ledger row's reason in the page's language.

A verdict's reason is a coded message (``guifan.norms.reasons``, rendered by
``events.event_reason``); a refused attempt remembered from an error
(``guifan.apps.norms.refusals``) keeps the error's code, whose English text the refusal
table has; any other row shows its stored text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from guifan.apps.web.error_text import code_text
from guifan.apps.web.events import event_reason


def ledger_reason(reason: str, detail: Mapping[str, Any] | None, *, norm: str = "") -> str:
    """``norm``: the row's norm, which a refusal's text may name."""
    detail = detail or {}
    if isinstance(detail.get("msg"), str):
        return event_reason(reason, detail)
    code = detail.get("code")
    if "refusal" in detail and isinstance(code, str):
        return code_text(code, reason, {"field": detail.get("field", ""), "rule": norm})
    return reason
