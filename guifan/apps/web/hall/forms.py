"""Forms of the hall pages: shape only; the rules are in the hall services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guifan.apps.hall.inspections import ChecklistItem, Measurements, checklist
from guifan.textinput import LONG_TEXT

ANSWER_CHOICES = [
    ("kept", pgettext_lazy("inspection item", "Kept")),
    ("broken", pgettext_lazy("inspection item", "Broken")),
    ("na", _("Not checked")),
]


class InspectionForm(forms.Form):
    """One radio group per checklist item, and the measured values (HAL-09)."""

    temperature_c = forms.FloatField(label=_("Temperature (°C)"), required=False)
    noise_db = forms.FloatField(label=_("Noise (dB)"), required=False)
    terminals_working = forms.IntegerField(
        label=_("Self-service terminals working"), required=False
    )
    terminals_total = forms.IntegerField(label=_("Self-service terminals in total"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item in checklist():
            self.fields[f"item_{item.no}"] = forms.ChoiceField(
                label=f"{item.no}. {item.quote}",
                choices=ANSWER_CHOICES,
                initial="na",
                required=False,
                widget=forms.RadioSelect,
            )

    def items(self) -> list[tuple[ChecklistItem, forms.BoundField]]:
        return [(item, self[f"item_{item.no}"]) for item in checklist()]

    def measurement_fields(self) -> list[forms.BoundField]:
        return [
            self[n] for n in ("temperature_c", "noise_db", "terminals_working", "terminals_total")
        ]

    def answers(self) -> dict[int, str]:
        given = {item.no: self.cleaned_data[f"item_{item.no}"] for item in checklist()}
        return {no: answer for no, answer in given.items() if answer not in ("", "na")}

    def measurements(self) -> Measurements:
        d = self.cleaned_data
        return Measurements(
            temperature_c=d["temperature_c"],
            noise_db=d["noise_db"],
            terminals_working=d["terminals_working"],
            terminals_total=d["terminals_total"],
        )


class ComplaintForm(forms.Form):
    """A complaint as the first contact records it (HAL-08)."""

    customer_name = forms.CharField(label=_("Customer's name"), max_length=50)
    customer_phone = forms.CharField(label=_("Customer's phone"), max_length=20)
    summary = forms.CharField(
        label=_("Complaint"), max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )
    dispute = forms.BooleanField(
        label=_("Dispute: the customer was taken to the reception room"), required=False
    )
    reply_by = forms.DateTimeField(
        label=_("Reply promised by"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
