"""Reasons of the quality norms (see ``guifan.norms.reasons``)."""

from __future__ import annotations

from guifan.norms.reasons.text import LabelTable, Text

TEXTS: dict[str, Text] = {}

LABELS: dict[str, LabelTable] = {}
