"""Forbidden phrases as speech recognition writes them: homophones (同音字) and 形近字.

A transcript from ASR may spell a forbidden phrase with a character that sounds the same
(我也不清楚 → 我也不青楚) or looks alike (清 → 情). :class:`AsrMatcher` finds such spellings:

* **Sound view.** Each normalised character is mapped to one private-use code point for its
  most common toneless pinyin (pypinyin), so the text keeps its length and offsets. Characters
  without a reading stay themselves.
* **Anchors.** Each phrase of ``n >= min_length`` characters is split into a prefix of
  ``n // 2`` and the rest; both are put, in the sound view, into one Aho-Corasick automaton
  (for a polyphone, once per reading: the reading in the phrase and the character's own most
  common one). A spelling with any number of homophones and at most one other error (a
  similar-shape character, or one character added or missing) keeps one anchor whole.
* **Verification.** Around each anchor hit, windows of ``n - 1``, ``n`` and ``n + 1``
  characters are aligned with the phrase, position by position: the same character; a
  *homophone* (the text character's most common toneless reading is the phrase character's
  reading in context, or that character's own most common one: a recogniser that heard duo
  writes 多 or 朵, not 度, whose rare reading is duo); a *shape* neighbour (the similar-shape
  table); or nothing. A window is a variant
  when it has at least one substitution, at most ``n // chars_per_sub`` (at least one), at most
  one shape substitution or added/missing character, never touches a negation (不没别...: a
  changed negation changes the meaning), adds or drops no character at either end, and no
  ``not_variants`` wording of the phrase covers it.

The similar-shape table is pycorrector's ``same_stroke.txt`` (see ``similar_shape.txt``).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from itertools import product
from typing import Any, Literal

AsrVariant = Literal["homophone", "shape", "mixed"]
_PUA = 0xE000  # sound codes live in the Private Use Area: never produced by normalisation
PREFIX, SUFFIX = 0, 1


@cache
def _pinyin() -> Any:
    import pypinyin

    return pypinyin


@lru_cache(maxsize=65536)
def readings(ch: str) -> frozenset[str]:
    """All toneless pinyin readings of a character (empty for a character without one)."""
    if not ("\u3400" <= ch <= "\u9fff"):
        return frozenset()
    p = _pinyin()
    out = p.pinyin(ch, style=p.Style.NORMAL, heteronym=True, errors=lambda _: [""])[0]
    return frozenset(r for r in out if r and r.isascii())


@lru_cache(maxsize=65536)
def primary(ch: str) -> str:
    """The most common toneless reading of a character, or ``""``."""
    if not ("\u3400" <= ch <= "\u9fff"):
        return ""
    p = _pinyin()
    out = p.lazy_pinyin(ch, style=p.Style.NORMAL, errors=lambda _: [""])
    return out[0] if out and out[0].isascii() else ""


def phrase_readings(key: str) -> list[str]:
    """The toneless reading of each character of ``key`` in context (pypinyin's phrase data)."""
    p = _pinyin()
    out: list[str] = p.lazy_pinyin(key, style=p.Style.NORMAL, errors=list)
    if len(out) != len(key):  # never expected: one reading per character
        return [primary(ch) for ch in key]
    return out


class _Syllables:
    """Toneless syllable → one private-use character."""

    def __init__(self) -> None:
        self._codes: dict[str, str] = {}

    def code(self, syllable: str) -> str:
        if syllable not in self._codes:
            self._codes[syllable] = chr(_PUA + len(self._codes))
        return self._codes[syllable]


class _SoundTable(dict[int, str]):
    """``str.translate`` table: code point → its sound code (or itself), filled lazily."""

    def __init__(self, syllables: _Syllables) -> None:
        super().__init__()
        self._syllables = syllables

    def __missing__(self, key: int) -> str:
        ch = chr(key)
        reading = primary(ch)
        value = self._syllables.code(reading) if reading else ch
        self[key] = value
        return value


@cache
def shapes_builtin() -> dict[str, frozenset[str]]:
    """The similar-shape table shipped with the catalog (``similar_shape.txt``)."""
    path = resources.files("guifan.compliance").joinpath("similar_shape.txt")
    return shapes_load(path.read_text("utf-8"))


def shapes_load(text: str) -> dict[str, frozenset[str]]:
    """Similar-shape neighbours of each character: every other character on its lines."""
    out: dict[str, set[str]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        group = [c for c in line.split("\t") if len(c) == 1]
        for c in group:
            out.setdefault(c, set()).update(x for x in group if x != c)
    return {c: frozenset(v) for c, v in out.items()}


@dataclass(frozen=True, slots=True)
class AsrSettings:
    """How far an ASR spelling may stray (catalog ``matching.asr``).

    Parameters
    ----------
    enabled
        Look for homophone and similar-shape spellings at all.
    min_length
        Normalised phrases shorter than this are never matched through sound or shape.
    chars_per_sub
        One substituted character allowed per this many phrase characters (at least one).
    """

    enabled: bool = True
    min_length: int = 5
    chars_per_sub: int = 3


@dataclass(frozen=True, slots=True)
class AsrHit:
    """An ASR spelling in normalised text: ``[start, end)``, the phrase and the variant type."""

    start: int
    end: int
    phrase: int
    variant: AsrVariant
    subs: int


@dataclass(frozen=True, slots=True)
class _Pattern:
    key: str  # the phrase, normalised
    cands: tuple[frozenset[str], ...]  # readings each phrase character may be heard as
    looks: tuple[frozenset[str], ...]  # similar-shape neighbours of each phrase character
    phrase: int
    innocent: tuple[str, ...]
    pauses: int  # punctuation marks inside the phrase: breaks allowed inside a spelling


@dataclass(frozen=True, slots=True)
class AsrMatcher:
    """Find homophone and similar-shape spellings of normalised phrase keys.

    Parameters
    ----------
    keys
        ``(normalised form, phrase index, innocent normalised wordings, punctuation marks
        inside the form)`` for each form.
    settings
        See :class:`AsrSettings`.
    negations
        Characters never substituted, added or dropped.
    shapes
        Similar-shape neighbours (:func:`shapes_load`).
    folds
        The normaliser's character folds (你 → 您): a folded phrase character also sounds
        and looks like the characters folded into it (ni as well as nin; 尔 looks like 你).
    """

    keys: tuple[tuple[str, int, tuple[str, ...], int], ...]
    settings: AsrSettings
    negations: str
    shapes: dict[str, frozenset[str]]
    folds: dict[str, str] = field(default_factory=dict)
    _automaton: Any = field(init=False, repr=False, compare=False)
    _table: _SoundTable = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        import ahocorasick

        syllables = _Syllables()
        table = _SoundTable(syllables)
        automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY, ahocorasick.KEY_STRING)
        entries: dict[str, list[tuple[int, _Pattern]]] = {}
        if self.settings.enabled:
            for key, phrase, innocent, pauses in self.keys:
                if len(key) < self.settings.min_length:
                    continue
                context = phrase_readings(key)
                cands = tuple(
                    frozenset(r for r in (reading, *map(primary, self._sources(ch))) if r)
                    for ch, reading in zip(key, context, strict=True)
                )
                looks = tuple(
                    frozenset(x for c in self._sources(ch) for x in self.shapes.get(c, ()))
                    for ch in key
                )
                pattern = _Pattern(key, cands, looks, phrase, innocent, pauses)
                h = len(key) // 2
                for kind, part in ((PREFIX, range(0, h)), (SUFFIX, range(h, len(key)))):
                    for sound in self._sounds(key, cands, part, syllables):
                        entries.setdefault(sound, []).append((kind, pattern))
        for sound, found in entries.items():
            automaton.add_word(sound, tuple(found))
        if entries:
            automaton.make_automaton()
        object.__setattr__(self, "_automaton", automaton)
        object.__setattr__(self, "_table", table)

    def _sources(self, ch: str) -> tuple[str, ...]:
        """``ch`` and the characters folded into it."""
        return (ch, *(k for k, v in self.folds.items() if v == ch and k != ch))

    @staticmethod
    def _sounds(
        key: str, cands: tuple[frozenset[str], ...], part: range, syllables: _Syllables
    ) -> set[str]:
        options = [
            sorted(syllables.code(r) for r in cands[i]) if cands[i] else [key[i]] for i in part
        ]
        return {"".join(p) for p in product(*options)}

    def scan(self, text: str, breaks: Sequence[int] = ()) -> list[AsrHit]:
        """Return every ASR spelling in normalised ``text`` (overlaps included, any order).

        ``breaks`` are the offsets where punctuation stood (``Normalizer.breaks``); a spelling
        spans no more of them than its phrase has inside (不关我的，是您的 is not 不关我的事).
        """
        if not text or len(self._automaton) == 0:
            return []
        sound = text.translate(self._table)
        found: dict[tuple[int, int, int], AsrHit] = {}
        tried: set[tuple[int, int, str]] = set()
        for last, entries in self._automaton.iter(sound):
            for kind, pattern in entries:
                n = len(pattern.key)
                h = n // 2
                for length in (n, n - 1, n + 1):
                    start = last - h + 1 if kind == PREFIX else last + 1 - length
                    end = start + length
                    if start < 0 or end > len(text) or (start, end, pattern.key) in tried:
                        continue
                    tried.add((start, end, pattern.key))
                    # The far end of the window must already be the phrase's far end.
                    far, k = (end - 1, n - 1) if kind == PREFIX else (start, 0)
                    if not self._close(text[far], pattern, k):
                        continue
                    if breaks and pattern.pauses < (
                        bisect_left(breaks, end) - bisect_right(breaks, start)
                    ):
                        continue
                    hit = self._verify(text, start, end, pattern)
                    if hit is not None:
                        found[(start, end, pattern.phrase)] = hit
        return list(found.values())

    @staticmethod
    def _close(t: str, p: _Pattern, k: int) -> bool:
        """Whether text character ``t`` may stand for character ``k`` of the phrase."""
        return t == p.key[k] or primary(t) in p.cands[k] or t in p.looks[k]

    def _verify(self, text: str, start: int, end: int, p: _Pattern) -> AsrHit | None:
        window = text[start:end]
        if "\n" in window or window == p.key:
            return None
        key, n = p.key, len(p.key)
        best: AsrHit | None = None
        if len(window) == n:
            best = self._aligned(window, p, start, end, edits=0)
        elif len(window) == n + 1:
            for i in range(1, n):
                added = window[i]
                if added in self.negations and added not in (window[i - 1], window[i + 1]):
                    continue
                hit = self._aligned(window[:i] + window[i + 1 :], p, start, end, edits=1)
                if hit is not None and (best is None or hit.subs < best.subs):
                    best = hit
        else:
            for j in range(1, n - 1):
                if key[j] in self.negations:
                    continue
                hit = self._aligned(window, p, start, end, edits=1, skip=j)
                if hit is not None and (best is None or hit.subs < best.subs):
                    best = hit
        if best is not None and self._innocent(text, start, end, p):
            return None
        return best

    def _aligned(
        self,
        window: str,
        p: _Pattern,
        start: int,
        end: int,
        *,
        edits: int,
        skip: int = -1,
    ) -> AsrHit | None:
        """Align ``window`` with the phrase (without its character ``skip``, if given)."""
        key, cands, looks = p.key, p.cands, p.looks
        if skip >= 0:
            key = key[:skip] + key[skip + 1 :]
            cands = cands[:skip] + cands[skip + 1 :]
            looks = looks[:skip] + looks[skip + 1 :]
        homophones = shapes = 0
        limit = max(1, len(p.key) // self.settings.chars_per_sub)
        negations = self.negations
        for t, k, c, lk in zip(window, key, cands, looks, strict=True):
            if t == k:
                continue
            if t in negations or k in negations:
                return None
            if primary(t) in c:
                homophones += 1
            elif t in lk:
                shapes += 1
            else:
                return None
            if homophones + shapes > limit or shapes + edits > 1:
                return None
        if not homophones + shapes:
            return None  # an exact or one-edit wording: the wording matcher reports it
        variant: AsrVariant = (
            "mixed" if homophones and shapes else ("shape" if shapes else "homophone")
        )
        return AsrHit(start, end, p.phrase, variant, homophones + shapes)

    @staticmethod
    def _innocent(text: str, start: int, end: int, p: _Pattern) -> bool:
        """Whether a ``not_variants`` wording of the phrase overlaps ``[start, end)``."""
        for w in p.innocent:
            i = text.find(w, max(0, start - len(w) + 1), end + len(w) - 1)
            while i != -1 and i < end:
                if i + len(w) > start:
                    return True
                i = text.find(w, i + 1, end + len(w) - 1)
        return False
