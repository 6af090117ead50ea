"""The one error family raised by services; each carries a code, field and norm ID."""

from __future__ import annotations

from typing import Any


class GuifanError(Exception):
    http_status = 400

    def __init__(
        self,
        code: str,
        message: str,
        *,
        field: str | None = None,
        rule: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.rule = rule
        self.extra = extra or {}

    def as_dict(self) -> dict[str, Any]:
        body = {"code": self.code, "message": self.message, "field": self.field, "rule": self.rule}
        # What a client needs to act on the refusal: what is missing (a visit's checklist).
        if "missing" in self.extra:
            body["missing"] = self.extra["missing"]
        # Every bad row of a file, each with its line and field (a CRM import).
        if "errors" in self.extra:
            body["errors"] = self.extra["errors"]
        # What to confirm before trying again, each with its rule (an assignment's warnings).
        if "checks" in self.extra:
            body["warnings"] = self.extra["checks"]
        return body

    def __str__(self) -> str:
        parts = [self.message]
        if self.field:
            parts.append(f"field={self.field}")
        if self.rule:
            parts.append(f"rule={self.rule}")
        return " ".join(parts)


class ValidationFailed(GuifanError):
    http_status = 422


class NotFound(GuifanError):
    http_status = 404


class Throttled(GuifanError):
    """Too many failed attempts from one client address; it must wait."""

    http_status = 429


class Conflict(GuifanError):
    """The state changed underneath the caller, or an idempotency key was reused."""

    http_status = 409


class RuleViolation(GuifanError):
    """A norm said no; ``rule`` names it."""

    http_status = 422

    def __init__(self, code: str, message: str, *, rule: str, field: str | None = None) -> None:
        super().__init__(code, message, field=field, rule=rule)


class PermissionDenied(GuifanError):
    http_status = 403

    def __init__(
        self, code: str, message: str, *, field: str | None = None, rule: str | None = None
    ) -> None:
        super().__init__(code, message, field=field, rule=rule)
