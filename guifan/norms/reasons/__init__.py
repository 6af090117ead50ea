"""Verdict reasons as messages: a code, its arguments and a text in each UI language (pure).

The same table holds the system's own sentences on an order's event log and a case's timeline
(``events``, ``case.*``). A rule says why it kept or broke a norm with ``reason(code, **args)``. The verdict stores the
Chinese text (``Verdict.reason``: the API, exports and the admin show it) and the code with
its arguments, which the ledger keeps in ``NormCheck.detail`` (``msg``, ``args``) so a page in
English renders the same reason in English. The texts live in the modules of this package,
one per part of the product (``TEXTS``: code → ``Text``); an argument named in ``LABELS`` is
a stored code shown by its label in the reader's language, a list argument is joined as each
language joins one, and an argument given as ``{"zh": ..., "en": ...}`` (a text stored in
both languages, e.g. an evaluation form's question) shows the reader's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from guifan.norms.reasons import booking, events, field_work, hall, orders, quality
from guifan.norms.reasons.text import LabelTable, Text

__all__ = [
    "LABELS",
    "OWN_TEXT",
    "TEXTS",
    "Reason",
    "Text",
    "both_languages",
    "message",
    "reason",
    "reason_text",
    "work_type_join",
    "work_type_names",
]

# Arguments that are the own text of a person, place or catalogue row, shown as stored in
# every language: what someone said or wrote (a skipped step's reason, the words a transcript
# caught, a finding, a breach) and names (a hall, a business of the hall's catalogue, a spare
# part, a partner, a surname, a user).
OWN_TEXT: frozenset[str] = frozenset(
    {
        "skip_reason",
        "said",
        "surname",
        "phrases",
        "terms",
        "finding",
        "breach",
        "business",
        "addons",
        "to_hall",
        "part",
        "parts",
        "partner",
        "user",
        "username",
    }
)

_PARTS = (booking, orders, field_work, hall, quality, events)


def _merge_texts() -> dict[str, Text]:
    merged: dict[str, Text] = {}
    for part in _PARTS:
        for code, text in part.TEXTS.items():
            if code in merged:
                raise ValueError(f"reason code {code!r} defined twice ({part.__name__})")
            merged[code] = text
    return merged


def _merge_labels() -> dict[str, LabelTable]:
    merged: dict[str, LabelTable] = {}
    for part in _PARTS:
        for name, table in getattr(part, "LABELS", {}).items():
            if name in merged and merged[name] != table:
                raise ValueError(f"label table {name!r} defined twice ({part.__name__})")
            merged[name] = table
    return merged


TEXTS: dict[str, Text] = _merge_texts()
LABELS: dict[str, LabelTable] = _merge_labels()

_JOIN = {"zh": "、", "en": ", "}


@dataclass(frozen=True, slots=True)
class Reason:
    """A reason message: its code and arguments (JSON values: str, int, float, bool, a list of
    them, or ``{"zh", "en"}`` for a text kept in both languages)."""

    code: str
    args: Mapping[str, Any] = field(default_factory=dict)

    def zh(self) -> str:
        return self._text("zh")

    def en(self) -> str:
        return self._text("en")

    def _text(self, lang: str) -> str:
        text = reason_text(self.code, self.args, lang)
        if text is None:  # reason() checked code and arguments: a bug in the table
            raise ValueError(f"reason {self.code!r} cannot be rendered in {lang}")
        return text


def reason(code: str, **args: Any) -> Reason:
    """The reason ``code`` with ``args``; an unknown code or a missing argument fails here,
    where the rule is written, not later on a page."""
    if code not in TEXTS:
        raise KeyError(f"unknown reason code {code!r}")
    made = Reason(code, {k: list(v) if isinstance(v, tuple) else v for k, v in args.items()})
    TEXTS[code].zh.format(**{k: _shown(k, v, "zh") for k, v in made.args.items()})
    return made


def _shown(name: str, value: Any, lang: str) -> Any:
    if isinstance(value, Mapping) and lang in value:
        return value[lang]
    table = LABELS.get(name)
    if isinstance(value, list):
        return _JOIN[lang].join(str(_shown(name, v, lang)) for v in value)
    if table is not None:
        label = table.get(str(value))
        return label.zh if label and lang == "zh" else label.en if label else value
    return value


def reason_text(code: str, args: Mapping[str, Any] | None, lang: str) -> str | None:
    """The text of ``code`` with ``args`` in ``lang`` ("zh" or "en"); ``None`` for a code or
    arguments this catalog cannot render (a row written by another version)."""
    text = TEXTS.get(code)
    if text is None:
        return None
    template = text.zh if lang == "zh" else text.en
    shown = {k: _shown(k, v, lang) for k, v in (args or {}).items()}
    try:
        return template.format(**shown)
    except (KeyError, IndexError, ValueError, TypeError):
        return None


def both_languages(item: Mapping[str, Any]) -> dict[str, str]:
    """An item's Chinese ``message`` and, from its ``msg`` and ``args``, its English: as an
    argument of another reason that quotes it (a refusal quoting what was missing)."""
    message = str(item.get("message", ""))
    args = item.get("args")
    english = reason_text(str(item.get("msg", "")), args if isinstance(args, Mapping) else {}, "en")
    return {"zh": message, "en": english if english is not None else message}


def message(why: Reason) -> dict[str, Any]:
    """``{"msg": code, "args": {...}}``: a reason kept beside its Chinese in a row's detail."""
    return {"msg": why.code, "args": dict(why.args)}


def work_type_names(code: str) -> dict[str, str]:
    """A certificate's work type (``broadband_install``) named in both languages, as a reason's
    argument: the service and the kind of work (宽带装机), the service alone where its name
    already says the kind (上门产品维修); an unknown code as it is."""
    services = {**LABELS["work_service"], **_LATIN_SERVICES}
    kinds = LABELS["work_kind"]
    for service in sorted(services, key=len, reverse=True):
        kind = (
            kinds.get(code.removeprefix(f"{service}_")) if code.startswith(f"{service}_") else None
        )
        if kind is None:
            continue
        s = services[service]
        return {"zh": work_type_join(s.zh, kind.zh, ""), "en": work_type_join(s.en, kind.en, " ")}
    return {"zh": code, "en": code}


def work_type_join(service: str, kind: str, sep: str) -> str:
    """A service's name and a kind of work's, with no word said twice: 上门产品维修 and 维修
    give 上门产品维修; "home care" and "care visit" give "home care visit"."""
    if service.lower().endswith(kind.lower()):
        return service
    last, first = service.rsplit(" ", 1)[-1], kind.split(" ", 1)
    if sep and len(first) == 2 and last.lower() == first[0].lower():
        return f"{service}{sep}{first[1]}"
    return f"{service}{sep}{kind}"


# Services named the same in both languages (not a label table: those carry Chinese).
_LATIN_SERVICES = {"iptv": Text(zh="IPTV", en="IPTV"), "ims": Text(zh="IMS", en="IMS")}
