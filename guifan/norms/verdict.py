"""A rule's answer, always naming the norm it kept or broke."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from guifan.norms.reasons import Reason


@dataclass(frozen=True, slots=True)
class Verdict:
    """``reason`` is the Chinese text; ``msg`` and ``args`` the reason's code and arguments
    when it came from ``guifan.norms.reasons`` (a page renders them in its own language)."""

    norm: str
    kept: bool
    reason: str = ""
    detail: dict[str, Any] = field(default_factory=dict)
    msg: str = ""
    args: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def keep(cls, norm: str, reason: str | Reason = "", **detail: Any) -> Verdict:
        return cls._made(norm, True, reason, detail)

    @classmethod
    def broke(cls, norm: str, reason: str | Reason, **detail: Any) -> Verdict:
        return cls._made(norm, False, reason, detail)

    @classmethod
    def _made(cls, norm: str, kept: bool, reason: str | Reason, detail: dict[str, Any]) -> Verdict:
        if isinstance(reason, Reason):
            return cls(norm, kept, reason.zh(), detail, reason.code, dict(reason.args))
        return cls(norm, kept, reason, detail)

    def message(self) -> dict[str, Any]:
        """``{"msg": code, "args": {...}}`` for a stored row's detail; empty without a code."""
        return {"msg": self.msg, "args": dict(self.args)} if self.msg else {}
