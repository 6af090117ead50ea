"""A rule's answer, always naming the norm it kept or broke."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Verdict:
    norm: str
    kept: bool
    reason: str = ""
    detail: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def keep(cls, norm: str, reason: str = "", **detail: Any) -> Verdict:
        return cls(norm, True, reason, detail)

    @classmethod
    def broke(cls, norm: str, reason: str, **detail: Any) -> Verdict:
        return cls(norm, False, reason, detail)
