"""A service refusal in the page's language.

Services raise ``guifan.errors`` with a code and a Chinese message (pure code: no Django, no
gettext). A page shows ``error_text(exc)``: the service's own message on the Chinese pages
(it names the order, the status, the limit), and on the English pages the English text of its
code (``error_en.ENGLISH``). A message that is not Chinese was raised in the page's language
already (the pages' own checks) and is shown as it is; a code the table lacks keeps the
service's message. Placeholders name keys of the error's ``extra`` (or ``field``/``rule``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from guifan.apps.web.error_en import ENGLISH
from guifan.apps.web.norm_text import chinese_page
from guifan.errors import GuifanError
from guifan.norms.punct import has_cjk


def error_text(exc: GuifanError) -> str:
    """``exc``'s message for the page: Chinese as raised, English from ``ENGLISH``."""
    values: dict[str, Any] = {"field": exc.field or "", "rule": exc.rule or "", **exc.extra}
    return code_text(exc.code, str(exc.message), values)


def code_text(code: str, message: str, values: Mapping[str, Any]) -> str:
    """A refusal's ``message`` for the page, from its ``code`` and ``values`` on English
    pages (also for a refusal the ledger stored: ``guifan.apps.norms.refusals``)."""
    if chinese_page() or not has_cjk(message):
        return message
    found = ENGLISH.get(code)
    if found is None:
        return message
    try:
        return found.format(**values)
    except (KeyError, IndexError, ValueError):
        return message
