"""Find catalog phrases in normalised text: exact forms and one-character variants.

One Aho-Corasick automaton (pyahocorasick) holds, for every normalised phrase ``p`` of length
``n``:

* ``p`` itself (an exact match);
* each *deletion variant* ``p`` minus one inner character (never the first or the last), unless
  the dropped character is a negation (我也清楚 is not 我也不清楚) or the variant is listed as
  innocent in ``not_variants``;
* two *insertion* anchors, ``p[:h]`` and ``p[h-1:]`` with ``h = ceil(n/2)``: whatever the
  insertion point, one of them is whole, at the start or at the end of the window of ``n + 1``
  characters. A hit proposes that window, which rapidfuzz's Indel distance then verifies
  (distance 1, same first and last character, the added character not a negation unless it
  repeats its neighbour).

A phrase cut short at either end (告诉您的, 也不清楚) is neither form: its first or last
character differs from the phrase's. Only phrases of at least ``fuzzy_min_length`` normalised
characters get variants; shorter ones match exactly.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz.distance import Indel

from guifan.compliance.asr import AsrMatcher, shapes_builtin
from guifan.compliance.normalize import BOUNDARY, Normalizer
from guifan.compliance.phrases import CatalogError, ForbiddenPhrase, MatchSettings

EXACT, DELETION, INS_PREFIX, INS_SUFFIX = range(4)


@dataclass(frozen=True, slots=True)
class _Entry:
    kind: int
    phrase: int
    key: str
    k: int = 0


@dataclass(frozen=True, slots=True)
class Hit:
    """A match in normalised text: ``[start, end)`` and the index of the catalog phrase."""

    start: int
    end: int
    phrase: int
    exact: bool
    variant: str = ""  # homophone, shape or mixed for an ASR spelling (guifan.compliance.asr)


def _non_overlapping(found: set[Hit]) -> list[Hit]:
    """Keep exact hits before variants, longer before shorter; drop any overlap. By start."""
    starts: list[int] = []  # accepted hits never overlap: sorted by start, also by end
    chosen: list[Hit] = []
    order = sorted(
        found, key=lambda h: (not h.exact, bool(h.variant), h.start - h.end, h.start, h.phrase)
    )
    for hit in order:
        k = bisect_right(starts, hit.start)
        if k and chosen[k - 1].end > hit.start:
            continue
        if k < len(chosen) and chosen[k].start < hit.end:
            continue
        starts.insert(k, hit.start)
        chosen.insert(k, hit)
    return chosen


@dataclass(frozen=True, slots=True)
class PhraseMatcher:
    """Multi-pattern matcher for the forbidden phrases of a catalog.

    Parameters
    ----------
    phrases
        The catalog's forbidden phrases; ``Hit.phrase`` indexes this tuple.
    settings
        Fillers, folds, negations and the minimum length for variants.
    normalizer
        The normaliser that produced the text given to :meth:`scan`.
    """

    phrases: tuple[ForbiddenPhrase, ...]
    settings: MatchSettings
    normalizer: Normalizer
    _automaton: Any = field(init=False, repr=False, compare=False)
    _innocent: dict[int, frozenset[str]] = field(init=False, repr=False, compare=False)
    _asr: AsrMatcher = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        import ahocorasick

        norm = self.normalizer.normalize
        exact: dict[str, int] = {}
        pauses: dict[str, int] = {}  # punctuation marks inside each form (不行，就是不行)
        for i, p in enumerate(self.phrases):
            for form in p.forms:
                key = norm(form)
                inner = self.normalizer.bounded(form).strip(BOUNDARY)
                pauses.setdefault(key, len(self.normalizer.breaks(inner)))
                if len(key) < 2:
                    raise CatalogError(
                        f"{p.id}: {form!r} keeps fewer than two characters once normalised"
                    )
                exact.setdefault(key, i)
        innocent = {
            i: frozenset(norm(v) for v in p.not_variants) for i, p in enumerate(self.phrases)
        }
        table: defaultdict[str, list[_Entry]] = defaultdict(list)
        for key, i in exact.items():
            table[key].append(_Entry(EXACT, i, key))
            if len(key) >= self.settings.fuzzy_min_length:
                self._add_variants(table, key, i, exact, innocent[i])
        automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY, ahocorasick.KEY_STRING)
        for word, entries in table.items():
            automaton.add_word(word, tuple(entries))
        if table:
            automaton.make_automaton()
        object.__setattr__(self, "_automaton", automaton)
        object.__setattr__(self, "_innocent", innocent)
        asr = AsrMatcher(
            keys=tuple(
                (key, i, tuple(sorted(innocent[i])), pauses[key]) for key, i in exact.items()
            ),
            settings=self.settings.asr,
            negations=self.settings.negations,
            shapes=shapes_builtin() if self.settings.asr.enabled else {},
            folds=dict(self.settings.folds),
        )
        object.__setattr__(self, "_asr", asr)

    def _add_variants(
        self,
        table: defaultdict[str, list[_Entry]],
        key: str,
        phrase: int,
        exact: dict[str, int],
        innocent: frozenset[str],
    ) -> None:
        n = len(key)
        negations = self.settings.negations
        for j in range(1, n - 1):
            variant = key[:j] + key[j + 1 :]
            if key[j] in negations or variant in exact or variant in innocent:
                continue
            if all(e.kind != DELETION or e.key != key for e in table[variant]):
                table[variant].append(_Entry(DELETION, phrase, key))
        # An insertion at k >= h leaves key[:h] whole at the window's start; one at k < h leaves
        # key[h - 1:] whole at its end. Both anchors have at least ceil(n/2) characters.
        h = (n + 1) // 2
        table[key[:h]].append(_Entry(INS_PREFIX, phrase, key, h))
        table[key[h - 1 :]].append(_Entry(INS_SUFFIX, phrase, key, h - 1))

    def scan(self, text: str, *, breaks: Sequence[int] = ()) -> list[Hit]:
        """Return the non-overlapping hits in normalised ``text``, in order.

        Exact hits win over wording variants, these over ASR spellings (homophones, similar
        shapes), then longer hits over shorter ones. ``breaks`` are the offsets where
        punctuation or a space was (``Normalizer.breaks``): an ASR spelling never runs across
        more of them than its phrase has inside.
        """
        if not text or not self.phrases or len(self._automaton) == 0:
            return []
        found: set[Hit] = set()
        for last, entries in self._automaton.iter(text):
            for e in entries:
                hit = self._hit(text, last, e)
                if hit is not None:
                    found.add(hit)
        for a in self._asr.scan(text, breaks):
            found.add(Hit(a.start, a.end, a.phrase, False, a.variant))
        if not found:
            return []
        return _non_overlapping(found)

    def _hit(self, text: str, last: int, e: _Entry) -> Hit | None:
        n = len(e.key)
        if e.kind == EXACT:
            return Hit(last - n + 1, last + 1, e.phrase, True)
        if e.kind == DELETION:
            return Hit(last - n + 2, last + 1, e.phrase, False)
        start = last - n if e.kind == INS_SUFFIX else last - e.k + 1
        if start < 0 or start + n + 1 > len(text):
            return None
        window = text[start : start + n + 1]
        if not self._is_insertion_variant(window, e):
            return None
        return Hit(start, start + n + 1, e.phrase, False)

    def _is_insertion_variant(self, window: str, e: _Entry) -> bool:
        key = e.key
        if window[0] != key[0] or window[-1] != key[-1] or window in self._innocent[e.phrase]:
            return False
        if "\n" in window:  # turns are joined by line breaks: a variant never spans two
            return False
        if Indel.distance(window, key, score_cutoff=1) > 1:
            return False
        # The added character is the same whatever the alignment: reject a negation, unless it
        # repeats a neighbour (a stutter such as 不不 does not reverse the meaning).
        for op in Indel.editops(window, key):
            added, i = window[op.src_pos], op.src_pos
            neighbours = window[max(i - 1, 0) : i] + window[i + 1 : i + 2]
            if added in self.settings.negations and added not in neighbours:
                return False
        return True
