"""How staff speak: the customer's surname and title (LNG-05), plain words (LNG-07), language (LNG-04).

Three checks beside the forbidden phrases, on the same normalised staff speech. They are not
part of the ``guifan transcripts check`` line (its contract is fixed); the Django service records
them as verdicts. The data lives in ``catalog.json``: ``titles`` (LNG-05, as in NORMS.md),
``plain_words`` (a jargon list with plain glosses, explain cues and understanding checks) and
``languages`` (the known values of a call's language field).

* **LNG-05.** The *opening* is the first two staff turns. It is judged only when it greets the
  customer (a ``greeting`` cue). With the surname known it must contain the surname followed by
  a title (陈小姐, 张老先生); the surname may come out of speech recognition as a homophone (章
  for 张). Without a surname any title will do.
* **LNG-07.** A jargon term is *explained* when its plain gloss is in the same turn or an
  explain cue (也就是, 意思是 ...) is within ``explain_window`` characters before or after it
  (or at the start of the next staff turn).
  Kept when staff use no jargon, or explain every term and then check understanding (我说清楚了吗
  ...) after the first one. Latin terms match whole words only (ONU is not inside ONUS).
* **LNG-04.** A call's language is ``普通话`` (the norm's ``default_language``), a known
  language (粤语 ...) or ``方言:<name>``. Kept when it is the default, or when the customer asked
  for another (a flag from the caller, or a request cue in a customer turn: 听不懂普通话, 说方言
  ...); broken otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from guifan.compliance.asr import primary
from guifan.compliance.normalize import Normalizer
from guifan.compliance.phrases import JargonTerm, Languages, PlainWords
from guifan.compliance.verdict import Transcript
from guifan.norms.reasons import Reason, reason

OPENING_TURNS = 2
# Two-character surnames, so that 欧阳先生 is read with the whole surname.
COMPOUND_SURNAMES = (
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文",
    "司徒", "夏侯", "轩辕", "令狐", "钟离", "端木", "南宫", "西门", "独孤", "百里", "呼延",
)  # fmt: skip


def surname_of(name: str) -> str:
    """The surname in a Chinese full name (欧阳明 → 欧阳, 张三 → 张); ``""`` if none."""
    name = name.strip()
    if not name:
        return ""
    return name[:2] if name[:2] in COMPOUND_SURNAMES else name[0]


@dataclass(frozen=True, slots=True)
class Outcome:
    """A check's result: kept or not, why (a reason message) and details for the record."""

    norm: str
    kept: bool
    why: Reason
    detail: Mapping[str, Any] = field(default_factory=dict)

    @property
    def reason(self) -> str:
        """The reason in Chinese."""
        return self.why.zh()


def _words(normalizer: Normalizer, words: Sequence[str]) -> re.Pattern[str] | None:
    """One pattern for plain words (normalised; Latin words whole), longest first."""
    keys = sorted({normalizer.normalize(w) for w in words if normalizer.normalize(w)}, key=len)
    parts = []
    for key in reversed(keys):
        head = r"(?<![a-z0-9])" if key[0].isascii() and key[0].isalnum() else ""
        tail = r"(?![a-z0-9])" if key[-1].isascii() and key[-1].isalnum() else ""
        parts.append(f"{head}{re.escape(key)}{tail}")
    return re.compile("|".join(parts)) if parts else None


@dataclass(frozen=True, slots=True)
class MannerChecker:
    """LNG-04, LNG-05 and LNG-07 over a transcript (see the module docstring).

    Parameters
    ----------
    normalizer
        The checker's normaliser.
    greetings
        The catalog's greeting cues (the opening must greet to be judged for LNG-05).
    plain
        LNG-07 data.
    languages
        LNG-04 data.
    """

    normalizer: Normalizer
    greetings: tuple[str, ...]
    plain: PlainWords
    languages: Languages
    _greeting: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    _jargon: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    _terms: dict[str, JargonTerm] = field(init=False, repr=False, compare=False)
    _explain: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    _confirm: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    _request: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        norm = self.normalizer.normalize
        words = self.plain.jargon
        setattr_ = object.__setattr__
        setattr_(self, "_greeting", _words(self.normalizer, self.greetings))
        setattr_(self, "_jargon", _words(self.normalizer, [t.term for t in words]))
        setattr_(self, "_terms", {norm(t.term): t for t in words})
        setattr_(self, "_explain", _words(self.normalizer, self.plain.explain_cues))
        setattr_(self, "_confirm", _words(self.normalizer, self.plain.confirm))
        setattr_(self, "_request", _words(self.normalizer, self.languages.request_cues))

    def _staff(self, transcript: Transcript) -> list[str]:
        norm = self.normalizer.normalize
        return [norm(t.text) for t in transcript.turns if t.speaker == "staff"]

    def address(
        self, transcript: Transcript, *, surname: str, titles: Sequence[str], norm: str = "LNG-05"
    ) -> Outcome | None:
        """LNG-05: surname + title in the opening; ``None`` when the opening has no greeting."""
        opening = "\n".join(self._staff(transcript)[:OPENING_TURNS])
        if self._greeting is None or not self._greeting.search(opening):
            return None
        said = self._addressed(opening, surname, titles)
        if said:
            why = reason("lng05.addressed", said=said)
            return Outcome(norm, True, why, {"said": said, "surname": surname})
        if surname:
            why = reason("lng05.no_surname_title", surname=surname)
        else:
            why = reason("lng05.no_title")
        return Outcome(norm, False, why, {"said": "", "surname": surname})

    @staticmethod
    def _addressed(text: str, surname: str, titles: Sequence[str]) -> str:
        n = len(surname)
        for title in sorted(set(titles), key=len, reverse=True):
            i = text.find(title)
            while i != -1:
                if not surname:
                    return title
                before = text[max(0, i - n) : i]
                if len(before) == n and all(
                    a == b or (primary(a) and primary(a) == primary(b))
                    for a, b in zip(before, surname, strict=True)
                ):
                    return before + title
                i = text.find(title, i + 1)
        return ""

    def jargon(self, transcript: Transcript) -> Outcome:
        """LNG-07: jargon explained and understanding checked (see the module docstring)."""
        norm = self.plain.norm
        used: list[dict[str, Any]] = []
        first: tuple[int, int] | None = None  # (turn, offset) of the first jargon term
        confirmed_at: list[tuple[int, int]] = []
        staff = self._staff(transcript)
        for k, text in enumerate(staff):
            if self._confirm is not None:
                confirmed_at += [(k, m.start()) for m in self._confirm.finditer(text)]
            if self._jargon is None:
                continue
            after = staff[k + 1][: self.plain.explain_window] if k + 1 < len(staff) else ""
            for m in self._jargon.finditer(text):
                term = self._terms[m.group()]
                explained = self._explained(text, m, term, after)
                used.append({"term": term.term, "explained": explained})
                first = first or (k, m.start())
        if not used:
            return Outcome(norm, True, reason("lng07.no_jargon"), {"terms": []})
        unexplained = [u["term"] for u in used if not u["explained"]]
        confirmed = first is not None and any(at > first for at in confirmed_at)
        detail = {"terms": used, "confirmed": confirmed}
        if unexplained:
            terms = list(dict.fromkeys(unexplained))
            return Outcome(norm, False, reason("lng07.unexplained", terms=terms), detail)
        if not confirmed:
            return Outcome(norm, False, reason("lng07.not_confirmed"), detail)
        return Outcome(norm, True, reason("lng07.kept"), detail)

    def _explained(self, text: str, m: re.Match[str], term: JargonTerm, after: str) -> bool:
        """Gloss in the turn, or an explain cue near the term or opening the next staff turn."""
        if self.normalizer.normalize(term.plain) in text:
            return True
        if self._explain is None:
            return False
        w = self.plain.explain_window
        around = "\n".join(
            (text[max(0, m.start() - w) : m.start()], text[m.end() : m.end() + w], after)
        )
        return self._explain.search(around) is not None

    def language(
        self,
        transcript: Transcript,
        *,
        language: str,
        requested: bool = False,
        default: str = "普通话",
    ) -> Outcome:
        """LNG-04 for a call or visit held in ``language`` (validate it first).

        Raises
        ------
        ValueError
            If ``language`` is not a known value.
        """
        norm = self.languages.norm
        language = language.replace("：", ":").strip()
        if not self.languages.valid(language):
            raise ValueError(f"language: expected {self.languages.choices()}")
        detail: dict[str, Any] = {"language": language, "requested": requested}
        if language == default:
            return Outcome(
                norm, True, reason("lng04.default_used", default_language=default), detail
            )
        if not requested and self._request is not None:
            norm_ = self.normalizer.normalize
            customer = "\n".join(norm_(t.text) for t in transcript.turns if t.speaker != "staff")
            requested = self._request.search(customer) is not None
            detail["requested"] = requested
            detail["from_turns"] = requested
        if requested:
            why = reason("lng04.requested", call_language=language)
            return Outcome(norm, True, why, detail)
        why = reason("lng04.not_default", default_language=default, call_language=language)
        return Outcome(norm, False, why, detail)
