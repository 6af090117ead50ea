"""The transcript checker: forbidden phrases, courtesy words, missing elements, a score."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

from guifan.compliance.elements import ElementDetector
from guifan.compliance.manner import MannerChecker
from guifan.compliance.matcher import Hit, PhraseMatcher
from guifan.compliance.normalize import BOUNDARY, Normalizer
from guifan.compliance.phrases import Catalog, catalog_load
from guifan.compliance.verdict import Finding, Transcript, Verdict, score_compute


def quoted_regions(text: str, quotes: Sequence[tuple[str, str]]) -> list[tuple[int, int]]:
    """Return ``(open, close)`` offsets of the quotations in ``text``.

    Each pair of marks is tracked on its own; a quotation left open runs to the end of the text.
    A span ``[start, end)`` is quoted when ``open < start`` and ``end <= close``.
    """
    regions: list[tuple[int, int]] = []
    for opening, closing in quotes:
        if opening not in text:
            continue
        i = text.find(opening)
        while i != -1:
            j = text.find(closing, i + 1)
            if j == -1:
                regions.append((i, len(text)))
                break
            regions.append((i, j))
            i = text.find(opening, j + 1)
    return regions


@dataclass(frozen=True, slots=True)
class Checker:
    """Check transcripts against a service-language catalog.

    Parameters
    ----------
    catalog
        The catalog; :func:`checker_build` loads the built-in one.
    """

    catalog: Catalog
    normalizer: Normalizer = field(init=False, repr=False, compare=False)
    matcher: PhraseMatcher = field(init=False, repr=False, compare=False)
    elements: ElementDetector = field(init=False, repr=False, compare=False)
    manner: MannerChecker = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        m = self.catalog.matching
        normalizer = Normalizer(fillers=m.fillers, folds=m.folds)
        object.__setattr__(self, "normalizer", normalizer)
        object.__setattr__(self, "matcher", PhraseMatcher(self.catalog.forbidden, m, normalizer))
        object.__setattr__(self, "elements", ElementDetector(self.catalog, normalizer))
        greeting = self.catalog.elements.get("greeting")
        manner = MannerChecker(
            normalizer=normalizer,
            greetings=greeting.cues if greeting else (),
            plain=self.catalog.plain_words,
            languages=self.catalog.languages,
        )
        object.__setattr__(self, "manner", manner)

    def find(self, text: str, *, turn: int = 0) -> tuple[Finding, ...]:
        """Return the forbidden phrases said in ``text`` (one staff turn), quotations excluded."""
        bounded = self.normalizer.bounded(text)
        said = bounded.replace(BOUNDARY, "")
        hits = self.matcher.scan(said, breaks=self.normalizer.breaks(bounded))
        return self._findings(text, hits, 0, turn) if hits else ()

    def _findings(self, text: str, hits: list[Hit], offset: int, turn: int) -> tuple[Finding, ...]:
        """Map ``hits`` (normalised offsets, part starting at ``offset``) back to ``text``."""
        index = self.normalizer.index(text)
        regions = quoted_regions(text, self.catalog.matching.quotes)
        out = []
        for hit in hits:
            start, end = index[hit.start - offset], index[hit.end - 1 - offset] + 1
            if any(o < start and end <= c for o, c in regions):
                continue
            phrase = self.catalog.forbidden[hit.phrase]
            out.append(
                Finding(
                    norm=phrase.norm,
                    turn=turn,
                    start=start,
                    end=end,
                    text=text[start:end],
                    phrase=phrase.phrase,
                    kind="exact" if hit.exact else "variant",
                    variant=hit.variant,
                )
            )
        return tuple(out)

    def check(self, transcript: Transcript) -> Verdict:
        """Check one transcript: staff turns only produce findings, courtesy and elements.

        The staff turns are normalised and scanned as one text, one turn per line; no pattern
        contains a line break, so no match spans two turns.

        Raises
        ------
        ValueError
            If the channel is not in the catalog.
        """
        if transcript.channel not in self.catalog.channels:
            raise ValueError(f"unknown channel {transcript.channel!r}")
        staff = [i for i, turn in enumerate(transcript.turns) if turn.speaker == "staff"]
        said, starts, bounded = self.normalizer.normalize_many(
            [transcript.turns[i].text for i in staff]
        )
        findings: list[Finding] = []
        breaks = self.normalizer.breaks(bounded)
        hits = self.matcher.scan(
            said, breaks=breaks
        )  # in order, so parts and findings come out in order
        by_part: dict[int, list[Hit]] = {}
        for hit in hits:
            by_part.setdefault(bisect_right(starts, hit.start) - 1, []).append(hit)
        for k, mine in by_part.items():
            text = transcript.turns[staff[k]].text
            findings.extend(self._findings(text, mine, starts[k], staff[k]))
        missing = self.elements.missing(transcript.channel, bounded)
        return Verdict(
            id=transcript.id,
            findings=tuple(findings),
            courtesy=self.elements.courtesy(bounded),
            missing=missing,
            score=score_compute(
                findings=len(findings), missing=len(missing), scoring=self.catalog.scoring
            ),
        )


def checker_build(catalog: Catalog | None = None) -> Checker:
    """Build a checker for ``catalog`` (default: the built-in catalog)."""
    return Checker(catalog if catalog is not None else catalog_load())
