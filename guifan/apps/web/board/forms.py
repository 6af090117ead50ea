"""The board's forms; the rules behind them live in the dispatch services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guifan.apps.dispatch.board import Candidate
from guifan.apps.web.norm_text import chinese_page
from guifan.apps.workforce.models import ServiceArea
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


class PlanStartForm(forms.Form):
    """Start a day's plans: one area the dispatcher runs, or all of them (empty)."""

    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date like 2025-06-02.")},
    )
    area = forms.ModelChoiceField(
        queryset=ServiceArea.objects.order_by("code"),
        to_field_name="code",
        label=_("Service area"),
        required=False,
        empty_label=_("All my areas"),
        error_messages={"invalid_choice": _("Unknown service area.")},
    )

    def __init__(self, *args: object, areas: list[ServiceArea], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["area"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = ServiceArea.objects.filter(id__in=[a.id for a in areas]).order_by("code")


class CandidateSelect(forms.Select):
    """A select whose options in ``disabled_values`` are shown greyed and cannot be chosen."""

    disabled_values: frozenset[str] = frozenset()

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option: dict[str, Any] = super().create_option(*args, **kwargs)
        if str(option["value"]) in self.disabled_values:
            option["attrs"]["disabled"] = True
        return option


def _label(c: Candidate) -> str:
    name = f"{c.name} ({c.badge_no})"
    if c.certified:
        return name
    if c.reason == "expired" and c.expired_on is not None:
        return _("%(name)s, certificate expired on %(date)s") % {
            "name": name,
            "date": c.expired_on.isoformat(),
        }
    if c.reason == "unready":
        return _("%(name)s, not ready to work: %(reasons)s") % {
            "name": name,
            "reasons": ("；" if chinese_page() else "; ").join(
                r.zh() if chinese_page() else r.en() for r in c.gaps
            ),
        }
    return _("%(name)s, no valid certificate for this work type") % {"name": name}


class ReassignForm(forms.Form):
    technician = forms.TypedChoiceField(
        coerce=int,
        choices=(),
        widget=CandidateSelect,
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
    # The technician and arrival the dispatcher was warned about: a confirmation holds for
    # them only, not for a changed form.
    warned = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    confirmed = forms.BooleanField(
        required=False, label=_("I have read the warnings above; assign anyway")
    )

    def __init__(self, *args: object, candidates: list[Candidate], **kwargs: object) -> None:
        """Offer the certified technicians first; the others greyed, with the reason (DSP-05).

        The others stay valid choices here: the service refuses them and says why."""
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["technician"]
        assert isinstance(field, forms.TypedChoiceField)
        groups: list[tuple[Any, Any]] = [("", "---------")]
        for title, certified in ((_("Certified"), True), (_("Not certified"), False)):
            options = [(c.technician_id, _label(c)) for c in candidates if c.certified == certified]
            if options:
                groups.append((title, options))
        field.choices = groups
        assert isinstance(field.widget, CandidateSelect)
        field.widget.disabled_values = frozenset(
            str(c.technician_id) for c in candidates if not c.certified
        )

    def warned_key(self) -> str:
        return f"{self.cleaned_data['technician']}@{self.cleaned_data['arrival']:%H:%M}"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "technician" in data and "arrival" in data:
            data["confirmed"] = bool(data.get("confirmed")) and (
                data.get("warned") == self.warned_key()
            )
        return data


class DropForm(forms.Form):
    """A visit dropped on a technician's row at a time of the track."""

    technician = forms.IntegerField(label=_("Technician"))
    dropped = forms.TimeField(label=_("Planned arrival"))
    version = forms.IntegerField(widget=forms.HiddenInput)


def default_arrival(window_start: dt.datetime, planned: dt.datetime | None) -> dt.time:
    """The arrival the panel offers, in local time (instants are stored in UTC)."""
    return local(planned or window_start).time()
