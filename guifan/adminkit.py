"""Admin pieces shared by the apps: records that change only through services are read-only,
and records that change through a service show its refusal instead of a server error."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from guifan.errors import GuifanError


class ReadOnlyAdmin:
    """Mix into a ModelAdmin or inline: no add, change or delete from the admin (SEC-02)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CodeFilter(admin.SimpleListFilter):
    """A list filter over a column of codes, offered by their names for people (``labels``)."""

    labels: ClassVar[Mapping[str, str]] = {}

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return sorted(self.labels.items(), key=lambda kv: kv[1])

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        return queryset.filter(**{str(self.parameter_name): value}) if value else queryset


def refusal_text(error: GuifanError) -> str:
    """A service's refusal as one line for a person: what, which field, which norm."""
    where = [part for part in (error.field, error.rule) if part]
    return f"{error.message}（{'，'.join(where)}）" if where else error.message


class ServiceAdmin:
    """Mix into a ModelAdmin whose ``save_model``/``delete_model`` call a service.

    The service's refusal rolls the admin's transaction back and comes back as an error
    message on the same form, never as a 500 (the admin's own form validation cannot know the
    service's rules: roles, readiness, catalog ranges)."""

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(  # type: ignore[misc, no-any-return]
                request, object_id, form_url, extra_context
            )
        except GuifanError as error:
            messages.error(request, refusal_text(error))
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        try:
            return super().delete_view(  # type: ignore[misc, no-any-return]
                request, object_id, extra_context
            )
        except GuifanError as error:
            messages.error(request, refusal_text(error))
            return HttpResponseRedirect(request.get_full_path())
