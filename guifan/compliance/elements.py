"""Courtesy words (LNG-01) and required elements per channel (APT-09, VIS-04/19, LNG-06)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from guifan.compliance.normalize import Normalizer
from guifan.compliance.phrases import Catalog


@dataclass(frozen=True, slots=True)
class _Courtesy:
    word: str
    not_in: re.Pattern[str] | None  # the compounds where the word is no courtesy


@dataclass(frozen=True, slots=True)
class _Element:
    name: str
    pattern: re.Pattern[str] | None

    def present(self, text: str) -> bool:
        return self.pattern is not None and self.pattern.search(text) is not None


@dataclass(frozen=True, slots=True)
class ElementDetector:
    """Count courtesy words and find missing required elements in normalised staff text.

    The text given to :meth:`courtesy` and :meth:`missing` is the *bounded* normalised staff
    speech (``Normalizer.normalize_many``), one turn per line: plain words never span a
    punctuation mark or two turns, while a regular expression's ``.`` crosses punctuation but
    not turns. Cues and courtesy words are normalised the same way; regular expressions get the
    character folds only (你 → 您).
    """

    catalog: Catalog
    normalizer: Normalizer
    _courtesy: tuple[_Courtesy, ...] = field(init=False, repr=False, compare=False)
    _elements: dict[str, _Element] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        norm = self.normalizer.normalize
        courtesy = []
        for w in self.catalog.courtesy:
            word = norm(w.word)
            compounds = sorted({norm(c) for c in w.not_in if word in norm(c)}, key=len)[::-1]
            either = "|".join(re.escape(c) for c in compounds)
            courtesy.append(_Courtesy(word, re.compile(either) if either else None))
        elements = {}
        for name, e in self.catalog.elements.items():
            cues = [re.escape(c) for c in (norm(x) for x in e.cues) if c]
            alternatives = cues + [f"(?:{self.normalizer.fold(p)})" for p in e.patterns]
            pattern = re.compile("|".join(alternatives)) if alternatives else None
            elements[name] = _Element(name, pattern)
        object.__setattr__(self, "_courtesy", tuple(courtesy))
        object.__setattr__(self, "_elements", elements)

    def courtesy(self, text: str) -> tuple[tuple[str, int], ...]:
        """Return ``(word, count)`` for each courtesy word, in catalog order.

        A word inside one of its ``not_in`` compounds (请 in 申请) does not count.
        """
        out = []
        for spec, word in zip(self._courtesy, self.catalog.courtesy, strict=True):
            count = text.count(spec.word)
            if count and spec.not_in is not None:
                count -= sum(m.count(spec.word) for m in spec.not_in.findall(text))
            out.append((word.word, max(0, count)))
        return tuple(out)

    def missing(self, channel: str, text: str) -> tuple[str, ...]:
        """Return the channel's required elements absent from ``text``, in catalog order."""
        required = self.catalog.channels[channel].required
        return tuple(name for name in required if not self._elements[name].present(text))
