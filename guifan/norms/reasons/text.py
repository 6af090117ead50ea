"""One message in both UI languages (pure)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Text:
    """A template in Chinese and in English, with the same ``{name}`` placeholders."""

    zh: str
    en: str


# A stored code's label in each language, e.g. an alert's kind.
LabelTable = dict[str, Text]
