"""JSON Lines in and out: parse one transcript line, check it, render the result line.

Each input line is handled on its own: whatever is wrong with it (invalid UTF-8 or JSON, a
missing field, an unknown speaker, a line over the size limit) becomes ``{"id": ..., "error":
...}`` for that line, and the next line is read.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from guifan.compliance.checker import Checker
from guifan.compliance.verdict import Speaker, Transcript, Turn

MAX_LINE_BYTES = 64 * 1024 * 1024
SPEAKERS: tuple[Speaker, ...] = ("staff", "customer")


class RecordError(ValueError):
    """A transcript line is malformed; the message names the field."""


@dataclass(frozen=True, slots=True)
class LineResult:
    """The output object for one input line and whether it is an error."""

    payload: dict[str, Any]
    failed: bool


def _id_of(obj: Any) -> str | int | None:
    if isinstance(obj, dict):
        value = obj.get("id")
        if isinstance(value, str | int) and not isinstance(value, bool):
            return value
    return None


def _turn(raw: Any, i: int) -> Turn:
    if not isinstance(raw, dict):
        raise RecordError(f"turns[{i}]: expected an object")
    speaker, text = raw.get("speaker"), raw.get("text")
    if speaker not in SPEAKERS:  # the usual spelling needs no work below
        if not isinstance(speaker, str):
            raise RecordError(f"turns[{i}].speaker: missing (expected staff or customer)")
        if speaker.strip().lower() not in SPEAKERS:
            raise RecordError(
                f"turns[{i}].speaker: unknown speaker {speaker!r} (staff or customer)"
            )
        speaker = speaker.strip().lower()
    if not isinstance(text, str):
        raise RecordError(f"turns[{i}].text: expected a string")
    return Turn(speaker="staff" if speaker == "staff" else "customer", text=text)


def transcript_parse(obj: Any, channels: Iterable[str]) -> Transcript:
    """Validate one decoded JSON value and build a :class:`Transcript`.

    Raises
    ------
    RecordError
        Naming the first field that is missing or malformed.
    """
    if not isinstance(obj, dict):
        raise RecordError("expected a JSON object")
    ident = _id_of(obj)
    if ident is None:
        raise RecordError("id: expected a string or an integer")
    raw = obj.get("channel")
    channel = raw.strip().lower() if isinstance(raw, str) else raw
    known = tuple(channels)
    if channel not in known:
        raise RecordError(f"channel: expected one of {', '.join(known)}, got {raw!r}")
    turns = obj.get("turns")
    if turns is None:
        raise RecordError("turns: missing")
    if not isinstance(turns, list):
        raise RecordError("turns: expected a list")
    parsed = []
    for i, t in enumerate(turns):
        # Fast path for the usual, well-formed turn; anything else is validated in full.
        if type(t) is dict and type(t.get("text")) is str and t.get("speaker") in SPEAKERS:
            parsed.append(Turn(speaker=t["speaker"], text=t["text"]))
        else:
            parsed.append(_turn(t, i))
    return Transcript(id=ident, channel=str(channel), turns=tuple(parsed))


def line_check(raw: bytes, number: int, checker: Checker) -> LineResult | None:
    """Check one raw input line (1-based ``number``); ``None`` for a blank line."""
    if len(raw) > MAX_LINE_BYTES:
        return _error(None, f"line {number}: longer than {MAX_LINE_BYTES} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _error(None, f"line {number}: not valid UTF-8 at byte {exc.start}")
    text = text.removeprefix("\ufeff")
    if not text.strip():
        return None
    try:
        obj = json.loads(text)
    except (ValueError, RecursionError) as exc:
        return _error(None, f"line {number}: invalid JSON: {exc}")
    try:
        transcript = transcript_parse(obj, checker.catalog.channels)
    except RecordError as exc:
        return _error(_id_of(obj), f"line {number}: {exc}")
    return LineResult(checker.check(transcript).as_json(), failed=False)


def lines_check(lines: Iterable[bytes], checker: Checker) -> Iterator[LineResult]:
    """Check JSON Lines one by one, in order, yielding one result per non-blank line."""
    for number, raw in enumerate(lines, start=1):
        result = line_check(raw, number, checker)
        if result is not None:
            yield result


def result_dumps(payload: dict[str, Any]) -> bytes:
    """Render one output line as UTF-8 JSON (``\\u`` escapes if the text holds lone surrogates)."""
    try:
        return (json.dumps(payload, ensure_ascii=False) + "\n").encode("utf-8")
    except UnicodeEncodeError:
        return (json.dumps(payload, ensure_ascii=True) + "\n").encode("ascii")


def _error(ident: str | int | None, message: str) -> LineResult:
    return LineResult({"id": ident, "error": message}, failed=True)
