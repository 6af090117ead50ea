"""Text normalisation for matching, with a map back to offsets in the original text.

Every character of the original goes through the same steps:

1. NFKC (full-width and half-width forms, compatibility ideographs) and lower case;
2. punctuation, spaces, symbols and control characters (Unicode categories P, Z, S, C) and the
   filler particles (啊呀嘛吧呢 ...) are dropped;
3. the catalog's folds (你 → 您, ...) are applied;
4. Traditional characters become Simplified (OpenCC ``t2s``).

Normalised character ``i`` comes from original character ``index[i]``, so a match in the
normalised text maps back to a ``str`` slice of the original.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

_DROPPED_CATEGORIES = ("P", "Z", "S", "C")


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


class _CharTable(dict[int, str | None]):
    """``str.translate`` table computed lazily: code point → normalised string or ``None``."""

    def __init__(self, fillers: str, folds: Mapping[str, str]) -> None:
        super().__init__()
        self._fillers = frozenset(fillers)
        self._folds = dict(folds)

    def __missing__(self, key: int) -> str | None:
        kept = []
        for ch in unicodedata.normalize("NFKC", chr(key)):
            if unicodedata.category(ch).startswith(_DROPPED_CATEGORIES) or ch in self._fillers:
                continue
            low = ch.lower()
            kept.append(self._folds.get(low, low) if len(low) == 1 else low)
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
    _post: dict[int, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_table", _CharTable(self.fillers, self.folds))
        # Folds again after t2s: a Traditional character may convert to a folded one (妳 → 你).
        object.__setattr__(self, "_post", {ord(k): v for k, v in self.folds.items()})

    def normalize(self, text: str) -> str:
        """Return the normalised form of ``text`` (no offset map; the fast path)."""
        return to_simplified(text.translate(self._table)).translate(self._post)

    def normalize_with_index(self, text: str) -> tuple[str, list[int]]:
        """Return the normalised text and, for each of its characters, the original offset."""
        table = self._table
        index: list[int] = []
        for i, ch in enumerate(text):
            mapped = table[ord(ch)]
            if mapped:
                index.extend([i] * len(mapped))
        return self.normalize(text), index

    def fold(self, text: str) -> str:
        """Apply only the character folds (for regular expressions over normalised text)."""
        return text.translate(self._post)
