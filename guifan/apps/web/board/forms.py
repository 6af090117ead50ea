"""The board's forms; the rules behind them live in the dispatch services."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from guifan.apps.workforce.models import ServiceArea, Technician
from guifan.clock import local


class BoardFilter(forms.Form):
    area = forms.ModelChoiceField(
        queryset=ServiceArea.objects.order_by("code"),
        to_field_name="code",
        label=_("Service area"),
        empty_label=None,
        error_messages={"invalid_choice": _("Unknown service area.")},
    )
    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date like 2025-06-02.")},
    )

    def __init__(self, *args: object, areas: list[ServiceArea], **kwargs: object) -> None:
        """Offer only ``areas``: the ones the dispatcher runs (``workforce.access.areas_for``)."""
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["area"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = ServiceArea.objects.filter(id__in=[a.id for a in areas]).order_by("code")


def _tech_label(obj: Technician) -> str:
    return f"{obj.name} ({obj.badge_no})"


class ReassignForm(forms.Form):
    technician = forms.ModelChoiceField(
        queryset=Technician.objects.none(),
        label=_("Technician"),
        error_messages={
            "required": _("Choose a technician."),
            "invalid_choice": _("This technician is not in the area."),
        },
    )
    arrival = forms.TimeField(
        label=_("Planned arrival"),
        widget=forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M"),
        error_messages={
            "required": _("Enter the planned arrival."),
            "invalid": _("Enter a time like 09:30."),
        },
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: object, area: ServiceArea, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["technician"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Technician.objects.filter(area=area, active=True).order_by("badge_no")
        field.label_from_instance = _tech_label  # type: ignore[method-assign]


def default_arrival(window_start: dt.datetime, planned: dt.datetime | None) -> dt.time:
    """The arrival the panel offers, in local time (instants are stored in UTC)."""
    return local(planned or window_start).time()
