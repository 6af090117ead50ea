"""The compliance filters: a date range and optional area, team, person (and trend norm)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from guifan.apps.compliance.selectors import LedgerFilter, filter_choices
from guifan.apps.web.norm_text import norm_title
from guifan.clock import ZONE
from guifan.clock import now as clock_now
from guifan.norms import catalog

DEFAULT_DAYS = 14
MAX_DAYS = 92  # a quarter: longer ranges make the day charts unreadable


def default_range() -> tuple[dt.date, dt.date]:
    """The last 14 local days up to today."""
    today = clock_now().astimezone(ZONE).date()
    return today - dt.timedelta(days=DEFAULT_DAYS - 1), today


class QuickSelect(forms.Select):
    """A select drawn in one pass: a province's filters list hundreds of people, and Django's
    per-option templates cost ~100 ms for them (bench/month.py, ADR 0031)."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        chosen = "" if value is None else str(value)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, SafeString(" selected") if str(key) == chosen else "", label)
                for key, label in self.choices
            ),
        )
        # Django's own order: the name, then the attributes as given (id, aria-…).
        given = {"name": name, **self.build_attrs(self.attrs, attrs)}
        shown = format_html_join(
            "",
            "{}",
            (
                (format_html(' {}="{}"', key, val) if val is not True else format_html(" {}", key),)
                for key, val in given.items()
                if val is not False and val is not None
            ),
        )
        return format_html("<select{}>{}</select>", shown, options)


class LedgerFilterForm(forms.Form):
    """Filters of both pages; ``with_norm`` adds the trend chart's norm choice (index)."""

    start = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label=_("To"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    area = forms.ChoiceField(label=_("Area"), required=False, widget=QuickSelect)
    team = forms.ChoiceField(label=_("Team"), required=False, widget=QuickSelect)
    person = forms.ChoiceField(label=_("Person"), required=False, widget=QuickSelect)
    norm = forms.ChoiceField(label=_("Trend of norm"), required=False, widget=QuickSelect)

    def __init__(self, data: Any, *, with_norm: bool) -> None:
        start, end = default_range()
        values = {"start": start.isoformat(), "end": end.isoformat()}
        values.update({k: v for k, v in data.items() if k in self.base_fields and v != ""})
        super().__init__(values)
        everyone = [("", _("All"))]
        choices = filter_choices()
        for name in ("area", "team", "person"):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [*everyone, *choices[name]]
            field.error_messages["invalid_choice"] = _("Unknown value: %(value)s")
        if with_norm:
            norm = self.fields["norm"]
            assert isinstance(norm, forms.ChoiceField)
            norm.choices = [
                ("", _("All norms")),
                *((n.id, f"{n.id} {norm_title(n)}") for n in catalog()),
            ]
            norm.error_messages["invalid_choice"] = _("Unknown norm ID: %(value)s")
        else:
            del self.fields["norm"]
        for name in ("start", "end"):
            self.fields[name].error_messages["invalid"] = _("Enter a date like 2025-06-02.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, dt.date) and isinstance(end, dt.date):
            if end < start:
                self.add_error("end", _("The end date is before the start date."))
            elif (end - start).days + 1 > MAX_DAYS:
                self.add_error("end", _("Choose at most %(days)s days.") % {"days": MAX_DAYS})
        return data

    def ledger_filter(self) -> LedgerFilter:
        d = self.cleaned_data
        return LedgerFilter(
            start=d["start"], end=d["end"], area=d["area"], team=d["team"], person=d["person"]
        )

    def query(self, **over: str) -> str:
        """The filters as a query string (for links that keep them), with ``over`` applied."""
        values = {name: self.data.get(name, "") for name in self.fields}
        values.update(over)
        q = QueryDict(mutable=True)
        q.update({k: v for k, v in values.items() if v})
        return q.urlencode()
