"""The service-language catalog: forbidden phrases, courtesy words, required elements.

The catalog is data (``catalog.json`` next to this module, derived from ``NORMS.md``): every
forbidden phrase with its seed text and source seed (LNG-02), the ten courtesy characters
(LNG-01), the elements each channel must contain (APT-09 on the phone, VIS-04/VIS-19 on a visit,
LNG-06 in the hall), the matching settings and the score weights. A supervisor extends it with a
file of the same shape (:func:`catalog_extend`): new phrases, or new ``variants`` of an existing
phrase, which are then reported under the catalog phrase.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from guifan.compliance.asr import AsrSettings

CHANNELS = ("phone", "visit", "hall")


class CatalogError(ValueError):
    """The catalog data is malformed; the message names the entry and the field."""


@dataclass(frozen=True, slots=True)
class ForbiddenPhrase:
    """One forbidden phrase (服务禁语).

    Parameters
    ----------
    id
        Stable identifier, e.g. ``"LNG-02/14"``.
    phrase
        The catalog phrase in Simplified Chinese as written in the seed (reported as ``phrase``).
    seed_text
        The phrase verbatim as printed in the seed (may be Traditional).
    source
        Seed file name.
    note
        Why the phrase is forbidden.
    norm
        Norm the phrase belongs to (``LNG-02``).
    variants
        Further wordings that count as this phrase (added by a supervisor).
    not_variants
        Wordings within one edit of the phrase that are innocent and never reported.
    """

    id: str
    phrase: str
    seed_text: str
    source: str
    note: str = ""
    norm: str = "LNG-02"
    variants: tuple[str, ...] = ()
    not_variants: tuple[str, ...] = ()

    @property
    def forms(self) -> tuple[str, ...]:
        """The phrase followed by its variants: every wording that is matched."""
        return (self.phrase, *self.variants)


@dataclass(frozen=True, slots=True)
class CourtesyWord:
    """A courtesy word (LNG-01) and the compounds in which it is not a courtesy (申请 for 请)."""

    word: str
    not_in: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RequiredElement:
    """An element a conversation must contain (greeting, farewell, ...).

    ``cues`` are plain wordings and ``patterns`` regular expressions; both are matched against
    the normalised staff text (no punctuation or spaces, 你 folded to 您).
    """

    name: str
    label: str
    cues: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    label_zh: str = ""  # what Chinese pages and verdict reasons call it


@dataclass(frozen=True, slots=True)
class Channel:
    """A channel (phone, visit, hall), the norm it follows and its required elements in order."""

    name: str
    norm: str
    required: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MatchSettings:
    """How text is normalised and how far a variant may stray from a catalog phrase.

    Parameters
    ----------
    fillers
        Filler particles dropped before matching (啊呀嘛吧呢 ...).
    folds
        Characters matched as the same character (你 → 您, ...).
    negations
        Characters whose insertion or removal reverses the meaning: never a small variant.
    fuzzy_min_length
        Normalised phrases shorter than this are matched exactly only.
    quotes
        Pairs of opening and closing quotation marks; a phrase inside them is cited, not said.
    asr
        Homophone and similar-shape spellings (:class:`guifan.compliance.asr.AsrSettings`).
    """

    fillers: str = "啊呀嘛吧呢"
    folds: Mapping[str, str] = field(default_factory=lambda: {"你": "您"})
    negations: str = "不没别未非无莫勿"
    fuzzy_min_length: int = 5
    quotes: tuple[tuple[str, str], ...] = (("“", "”"), ("「", "」"), ('"', '"'))
    asr: AsrSettings = field(default_factory=AsrSettings)


@dataclass(frozen=True, slots=True)
class Scoring:
    """Score weights: ``start`` minus a penalty per finding and per missing element."""

    start: int = 100
    per_finding: int = 20
    per_missing: int = 8
    min: int = 0


@dataclass(frozen=True, slots=True)
class JargonTerm:
    term: str
    plain: str


@dataclass(frozen=True, slots=True)
class PlainWords:
    """LNG-07 data: jargon with glosses, explain cues, the window, understanding checks."""

    norm: str = "LNG-07"
    jargon: tuple[JargonTerm, ...] = ()
    explain_cues: tuple[str, ...] = ()
    explain_window: int = 20
    confirm: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Languages:
    """LNG-04 data: known languages, the dialect prefix and the customer's request cues."""

    norm: str = "LNG-04"
    known: tuple[str, ...] = ("普通话",)
    dialect_prefix: str = "方言:"
    request_cues: tuple[str, ...] = ()

    def valid(self, language: str) -> bool:
        """Whether ``language`` is a known value or ``方言:<name>`` (a name of 1-20 chars)."""
        language = language.replace("：", ":").strip()
        if language in self.known:
            return True
        name = language.removeprefix(self.dialect_prefix).strip()
        return language.startswith(self.dialect_prefix) and 0 < len(name) <= 20

    def choices(self) -> str:
        return "/".join(self.known) + f"/{self.dialect_prefix}<名称>"


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise CatalogError(f"{where}: expected a list of non-empty strings")
    return tuple(value)


def plain_words_from(data: Any) -> PlainWords:
    """Read ``plain_words`` from the catalog data (an absent block checks nothing)."""
    if data is None:
        return PlainWords()
    if not isinstance(data, dict):
        raise CatalogError("plain_words: expected an object")
    jargon = []
    for i, entry in enumerate(data.get("jargon", [])):
        if not isinstance(entry, dict) or not entry.get("term") or not entry.get("plain"):
            raise CatalogError(f"plain_words.jargon[{i}]: expected term and plain")
        jargon.append(JargonTerm(str(entry["term"]), str(entry["plain"])))
    window = data.get("explain_window", 20)
    if not isinstance(window, int) or isinstance(window, bool) or window < 0:
        raise CatalogError("plain_words.explain_window: expected an integer >= 0")
    return PlainWords(
        norm=str(data.get("norm", "LNG-07")),
        jargon=tuple(jargon),
        explain_cues=_strings(data.get("explain_cues", []), "plain_words.explain_cues"),
        explain_window=window,
        confirm=_strings(data.get("confirm", []), "plain_words.confirm"),
    )


def languages_from(data: Any) -> Languages:
    """Read ``languages`` from the catalog data."""
    if data is None:
        return Languages()
    if not isinstance(data, dict):
        raise CatalogError("languages: expected an object")
    return Languages(
        norm=str(data.get("norm", "LNG-04")),
        known=_strings(data.get("known", ["普通话"]), "languages.known"),
        dialect_prefix=str(data.get("dialect_prefix", "方言:")),
        request_cues=_strings(data.get("request_cues", []), "languages.request_cues"),
    )


@dataclass(frozen=True, slots=True)
class Catalog:
    """The whole service-language catalog."""

    forbidden: tuple[ForbiddenPhrase, ...]
    courtesy: tuple[CourtesyWord, ...]
    elements: Mapping[str, RequiredElement]
    channels: Mapping[str, Channel]
    matching: MatchSettings = field(default_factory=MatchSettings)
    scoring: Scoring = field(default_factory=Scoring)
    courtesy_norm: str = "LNG-01"
    plain_words: PlainWords = field(default_factory=PlainWords)
    languages: Languages = field(default_factory=Languages)


def _strs(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise CatalogError(f"{where}: expected a list of non-empty strings")
    return tuple(value)


def _str(entry: Mapping[str, Any], key: str, where: str, default: str | None = None) -> str:
    value = entry.get(key, default)
    if not isinstance(value, str) or (default is None and not value):
        raise CatalogError(f"{where}.{key}: expected a non-empty string")
    return value


def _phrase_from(entry: Any, where: str, norm: str) -> ForbiddenPhrase:
    if not isinstance(entry, dict):
        raise CatalogError(f"{where}: expected an object")
    phrase = _str(entry, "phrase", where)
    return ForbiddenPhrase(
        id=_str(entry, "id", where, default=phrase),
        phrase=phrase,
        seed_text=_str(entry, "seed_text", where, default=phrase),
        source=_str(entry, "source", where, default="supervisor"),
        note=_str(entry, "note", where, default=""),
        norm=_str(entry, "norm", where, default=norm),
        variants=_strs(entry.get("variants"), f"{where}.variants"),
        not_variants=_strs(entry.get("not_variants"), f"{where}.not_variants"),
    )


def _matching_from(data: Any) -> MatchSettings:
    if data is None:
        return MatchSettings()
    if not isinstance(data, dict):
        raise CatalogError("matching: expected an object")
    quotes = data.get("quotes", [["“", "”"], ["「", "」"], ['"', '"']])
    if not all(isinstance(q, list) and len(q) == 2 for q in quotes):
        raise CatalogError("matching.quotes: expected pairs [open, close]")
    folds = data.get("folds", {"你": "您"})
    if not isinstance(folds, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and len(k) == len(v) == 1
        for k, v in folds.items()
    ):
        raise CatalogError("matching.folds: expected single characters mapped to single characters")
    min_len = data.get("fuzzy_min_length", 5)
    if not isinstance(min_len, int) or min_len < 3:
        raise CatalogError("matching.fuzzy_min_length: expected an integer >= 3")
    return MatchSettings(
        asr=_asr_from(data.get("asr")),
        fillers=str(data.get("fillers", "啊呀嘛吧呢")),
        folds=dict(folds),
        negations=str(data.get("negations", "不没别未非无莫勿")),
        fuzzy_min_length=min_len,
        quotes=tuple((str(a), str(b)) for a, b in quotes),
    )


def _asr_from(data: Any) -> AsrSettings:
    if data is None:
        return AsrSettings()
    if not isinstance(data, dict):
        raise CatalogError("matching.asr: expected an object")
    enabled = data.get("enabled", True)
    min_length = data.get("min_length", 5)
    per_sub = data.get("chars_per_sub", 3)
    if not isinstance(enabled, bool):
        raise CatalogError("matching.asr.enabled: expected true or false")
    if not isinstance(min_length, int) or isinstance(min_length, bool) or min_length < 4:
        raise CatalogError("matching.asr.min_length: expected an integer >= 4")
    if not isinstance(per_sub, int) or isinstance(per_sub, bool) or per_sub < 2:
        raise CatalogError("matching.asr.chars_per_sub: expected an integer >= 2")
    return AsrSettings(enabled=enabled, min_length=min_length, chars_per_sub=per_sub)


def _elements_from(data: Any) -> dict[str, RequiredElement]:
    if not isinstance(data, dict):
        raise CatalogError("elements: expected an object")
    out = {}
    for name, entry in data.items():
        if not isinstance(entry, dict):
            raise CatalogError(f"elements.{name}: expected an object")
        out[name] = RequiredElement(
            name=name,
            label=str(entry.get("label", name)),
            label_zh=str(entry.get("label_zh", "")),
            cues=_strs(entry.get("cues"), f"elements.{name}.cues"),
            patterns=_strs(entry.get("patterns"), f"elements.{name}.patterns"),
        )
    return out


def _channels_from(data: Any, elements: Mapping[str, RequiredElement]) -> dict[str, Channel]:
    if not isinstance(data, dict):
        raise CatalogError("channels: expected an object")
    out = {}
    for name, entry in data.items():
        if not isinstance(entry, dict):
            raise CatalogError(f"channels.{name}: expected an object")
        required = _strs(entry.get("required"), f"channels.{name}.required")
        unknown = [r for r in required if r not in elements]
        if unknown:
            raise CatalogError(f"channels.{name}.required: unknown element {unknown[0]!r}")
        out[name] = Channel(name=name, norm=str(entry.get("norm", "")), required=required)
    return out


def catalog_from_dict(data: Mapping[str, Any]) -> Catalog:
    """Build a :class:`Catalog` from parsed JSON data (the shape of ``catalog.json``).

    Raises
    ------
    CatalogError
        When an entry is malformed; the message names the entry and the field.
    """
    norm = str(data.get("forbidden_norm", "LNG-02"))
    raw = data.get("forbidden", [])
    if not isinstance(raw, list):
        raise CatalogError("forbidden: expected a list")
    forbidden = tuple(_phrase_from(e, f"forbidden[{i}]", norm) for i, e in enumerate(raw))
    courtesy_data = data.get("courtesy", {})
    if not isinstance(courtesy_data, dict) or not isinstance(courtesy_data.get("words"), list):
        raise CatalogError("courtesy.words: expected a list")
    courtesy = tuple(
        CourtesyWord(
            word=_str(w, "word", f"courtesy.words[{i}]"),
            not_in=_strs(w.get("not_in"), f"courtesy.words[{i}].not_in"),
        )
        for i, w in enumerate(courtesy_data["words"])
    )
    elements = _elements_from(data.get("elements", {}))
    scoring = data.get("scoring", {})
    if not isinstance(scoring, dict):
        raise CatalogError("scoring: expected an object")
    return Catalog(
        forbidden=forbidden,
        courtesy=courtesy,
        elements=elements,
        channels=_channels_from(data.get("channels", {}), elements),
        matching=_matching_from(data.get("matching")),
        scoring=Scoring(**{k: int(v) for k, v in scoring.items()}),
        courtesy_norm=str(courtesy_data.get("norm", "LNG-01")),
        plain_words=plain_words_from(data.get("plain_words")),
        languages=languages_from(data.get("languages")),
    )


def catalog_load(path: Path | None = None) -> Catalog:
    """Load the built-in catalog, or the catalog file at ``path``."""
    if path is None:
        text = resources.files("guifan.compliance").joinpath("catalog.json").read_text("utf-8")
    else:
        text = path.read_text("utf-8")
    data = json.loads(text)
    if not isinstance(data, dict):
        raise CatalogError("catalog: expected a JSON object")
    return catalog_from_dict(data)


def catalog_extend(catalog: Catalog, extra: Mapping[str, Any]) -> Catalog:
    """Add supervisor phrases and variants to ``catalog``.

    ``extra`` has the shape ``{"forbidden": [{"phrase": ..., "variants": [...]}, ...]}``. An entry
    whose ``phrase`` is already in the catalog adds its ``variants`` and ``not_variants`` to that
    phrase; any other entry is a new phrase (``id``, ``source`` and ``note`` optional).
    """
    raw = extra.get("forbidden", [])
    if not isinstance(raw, list):
        raise CatalogError("forbidden: expected a list")
    phrases = list(catalog.forbidden)
    by_phrase = {p.phrase: i for i, p in enumerate(phrases)}
    for i, entry in enumerate(raw):
        new = _phrase_from(entry, f"forbidden[{i}]", "LNG-02")
        if new.phrase in by_phrase:
            old = phrases[by_phrase[new.phrase]]
            phrases[by_phrase[new.phrase]] = replace(
                old,
                variants=_merged(old.variants, new.variants),
                not_variants=_merged(old.not_variants, new.not_variants),
            )
        else:
            by_phrase[new.phrase] = len(phrases)
            phrases.append(new)
    return replace(catalog, forbidden=tuple(phrases))


def _merged(a: Sequence[str], b: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys([*a, *b]))


@cache
def _builtin_elements() -> Mapping[str, RequiredElement]:
    return catalog_load().elements


def element_label(name: str, *, zh: bool) -> str:
    """A required element of the built-in catalog as people call it (``confirm_person`` ->
    核实客户身份…), in Chinese or English; an unknown name as it is."""
    element = _builtin_elements().get(name)
    if element is None:
        return name
    return (element.label_zh or element.label) if zh else element.label
