"""Inputs and results of the transcript checker, and the score."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from guifan.compliance.phrases import Scoring

Speaker = Literal["staff", "customer"]
MatchKind = Literal["exact", "variant"]


@dataclass(frozen=True, slots=True)
class Turn:
    """One turn of a conversation: who spoke and what the speech system transcribed."""

    speaker: Speaker
    text: str


@dataclass(frozen=True, slots=True)
class Transcript:
    """A call, visit or hall conversation.

    Parameters
    ----------
    id
        The caller's identifier, echoed in the result.
    channel
        ``"phone"``, ``"visit"`` or ``"hall"``.
    turns
        The turns in order; ``Finding.turn`` indexes them.
    """

    id: str | int
    channel: str
    turns: tuple[Turn, ...]


@dataclass(frozen=True, slots=True)
class Finding:
    """A forbidden phrase said by staff.

    ``start``/``end`` are Python ``str`` offsets into the turn's original text with ``end``
    exclusive, so ``text == turns[turn].text[start:end]``; the span runs from the first to the
    last character of the phrase as said, including anything inserted inside it.
    """

    norm: str
    turn: int
    start: int
    end: int
    text: str
    phrase: str
    kind: MatchKind = "exact"
    variant: str = ""

    def as_json(self) -> dict[str, Any]:
        """The finding as in the CLI contract (``kind`` is internal and left out).

        An ASR spelling adds ``variant`` (``homophone``, ``shape`` or ``mixed``): an extension
        of the contract; exact and one-edit wordings carry no such key.
        """
        out: dict[str, Any] = {
            "norm": self.norm,
            "turn": self.turn,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "phrase": self.phrase,
        }
        if self.variant:
            out["variant"] = self.variant
        return out


@dataclass(frozen=True, slots=True)
class Verdict:
    """The checker's result for one transcript."""

    id: str | int
    findings: tuple[Finding, ...]
    courtesy: tuple[tuple[str, int], ...]
    missing: tuple[str, ...]
    score: int

    def as_json(self) -> dict[str, Any]:
        """The result line of ``guifan transcripts check``."""
        return {
            "id": self.id,
            "findings": [f.as_json() for f in self.findings],
            "courtesy": dict(self.courtesy),
            "missing": list(self.missing),
            "score": self.score,
        }


def score_compute(*, findings: int, missing: int, scoring: Scoring) -> int:
    """Score 0-100: ``start`` minus ``per_finding`` per finding and ``per_missing`` per element.

    Examples
    --------
    >>> score_compute(findings=1, missing=2, scoring=Scoring())
    64
    """
    raw = scoring.start - scoring.per_finding * findings - scoring.per_missing * missing
    return max(scoring.min, min(100, raw))
