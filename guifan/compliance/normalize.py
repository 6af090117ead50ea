"""Text normalisation for matching, with a map back to offsets in the original text.

Every character of the original goes through the same steps:

1. NFKC (full-width and half-width forms, compatibility ideographs) and lower case;
2. punctuation, spaces, symbols and control characters (Unicode categories P, Z, S, C) are
   dropped;
3. Traditional characters become Simplified (OpenCC ``t2s``, one character at a time, so
   offsets map one to one; phrase-level conversions do not touch catalog wordings);
4. the filler particles (啊呀嘛吧呢 ...) are dropped and the catalog's folds (你 → 您, ...)
   applied.

The result for each code point is computed once and cached in a ``str.translate`` table, so
normalising a text is a single C-level call. Normalised character ``i`` comes from original
character ``index[i]``, so a match in the normalised text maps back to a ``str`` slice of the
original.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

_DROPPED_CATEGORIES = ("P", "Z", "S", "C")
_BOUNDARY_CATEGORIES = ("P", "Z", "Cc")  # punctuation, spaces, line breaks: phrase boundaries
BOUNDARY = "\x1f"  # marks them in the bounded form; never produced otherwise


@lru_cache(maxsize=1)
def _opencc() -> Any:
    # opencc ships no type information; the converter has one method, convert(str) -> str.
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=65536)
def _t2s_char(ch: str) -> str:
    out: str = _opencc().convert(ch)
    return out if len(out) == 1 else ch


def to_simplified(text: str) -> str:
    """Convert Traditional to Simplified characters, keeping the length of ``text``.

    OpenCC converts some phrases as a whole; if that ever changes the length, the text is
    converted character by character instead so that offsets still line up.
    """
    if not text or text.isascii():
        return text
    out: str = _opencc().convert(text)
    if len(out) == len(text):
        return out
    return "".join(_t2s_char(ch) for ch in text)


class _LengthTable(dict[int, str]):
    """``str.translate`` table: code point → ``chr(len(normalised form))`` (one mark per char)."""

    def __init__(self, table: _CharTable) -> None:
        super().__init__()
        self._table = table

    def __missing__(self, key: int) -> str:
        value = chr(len(self._table[key] or ""))
        self[key] = value
        return value


class _CharTable(dict[int, str | None]):
    """``str.translate`` table computed lazily: code point → normalised string or ``None``."""

    def __init__(self, fillers: str, folds: Mapping[str, str], boundary: str = "") -> None:
        super().__init__()
        self._fillers = frozenset(fillers)
        self._folds = dict(folds)
        self._boundary = boundary

    def __missing__(self, key: int) -> str | None:
        kept = []
        for ch in unicodedata.normalize("NFKC", chr(key)):
            category = unicodedata.category(ch)
            if category.startswith(_DROPPED_CATEGORIES):
                if self._boundary and category.startswith(_BOUNDARY_CATEGORIES):
                    kept.append(self._boundary)
                continue
            for low in ch.lower():
                simple = low if low.isascii() else _t2s_char(low)
                if simple not in self._fillers:
                    kept.append(self._folds.get(simple, simple))
        value = "".join(kept) or None
        self[key] = value
        return value


@dataclass(frozen=True, slots=True)
class Normalizer:
    """Normalise text for matching (see the module docstring).

    Parameters
    ----------
    fillers
        Filler particles to drop.
    folds
        Single characters matched as another single character (你 → 您).
    """

    fillers: str = "啊呀嘛吧呢"
    folds: Mapping[str, str] = field(default_factory=lambda: {"你": "您"})
    _table: _CharTable = field(init=False, repr=False, compare=False)
    _bounded: _CharTable = field(init=False, repr=False, compare=False)
    _lengths: _LengthTable = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        table = _CharTable(self.fillers, self.folds)
        object.__setattr__(self, "_table", table)
        object.__setattr__(self, "_bounded", _CharTable(self.fillers, self.folds, BOUNDARY))
        object.__setattr__(self, "_lengths", _LengthTable(table))

    def normalize(self, text: str) -> str:
        """Return the normalised form of ``text`` (one ``str.translate`` call)."""
        return text.translate(self._table)

    def normalize_many(self, texts: list[str]) -> tuple[str, list[int], str]:
        """Normalise several texts at once, joined by ``\\n`` (which normalisation never emits).

        Returns the joined normalised text, the offset at which each text's part starts, and
        the joined *bounded* form: the same text with :data:`BOUNDARY` where punctuation, spaces
        or line breaks were (for words that must not be read across a sentence break, such as
        您好 in 谢谢您，好的).
        """
        table = self._bounded
        bounded = [t.translate(table) for t in texts]
        parts = [b.replace(BOUNDARY, "") for b in bounded]
        starts, at = [], 0
        for part in parts:
            starts.append(at)
            at += len(part) + 1
        return "\n".join(parts), starts, "\n".join(bounded)

    def bounded(self, text: str) -> str:
        """The normalised text with :data:`BOUNDARY` where punctuation or spaces were."""
        return text.translate(self._bounded)

    @staticmethod
    def breaks(bounded: str) -> list[int]:
        """Offsets in the normalised text where ``bounded`` had a boundary, ascending.

        Offset ``i`` means a punctuation mark or space stood between normalised characters
        ``i - 1`` and ``i``.
        """
        out: list[int] = []
        dropped = 0
        i = bounded.find(BOUNDARY)
        while i != -1:
            at = i - dropped
            if not out or out[-1] != at:
                out.append(at)
            dropped += 1
            i = bounded.find(BOUNDARY, i + 1)
        return out

    def index(self, text: str) -> list[int]:
        """For each character of ``normalize(text)``, its offset in ``text``."""
        marks = text.translate(self._lengths)
        if set(marks) <= {"\x00", "\x01"}:  # no character expands (the usual case)
            return [i for i, m in enumerate(marks) if m == "\x01"]
        index: list[int] = []
        for i, m in enumerate(marks):
            index.extend([i] * ord(m))
        return index

    def normalize_with_index(self, text: str) -> tuple[str, list[int]]:
        """Return the normalised text and, for each of its characters, the original offset."""
        return self.normalize(text), self.index(text)

    def fold(self, text: str) -> str:
        """Apply only the character folds (for regular expressions over normalised text)."""
        return text.translate({ord(k): v for k, v in self.folds.items()})
