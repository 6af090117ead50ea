"""Shapes of the phone's form posts; the rules live in the fieldwork services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class VersionForm(forms.Form):
    """Every action carries the order version the page showed (stale pages are refused)."""

    version = forms.IntegerField(min_value=1)


class TripForm(VersionForm):
    action = forms.ChoiceField(choices=[("depart", "depart"), ("arrive", "arrive")])


class CallAheadForm(VersionForm):
    outcome = forms.ChoiceField(
        choices=[("answered", "answered"), ("no_answer", "no_answer"), ("busy", "busy")]
    )
    late = forms.BooleanField(required=False)


class StepForm(VersionForm):
    norm = forms.CharField(max_length=10)
    outcome = forms.ChoiceField(choices=[("done", "done"), ("skipped", "skipped")])
    reason = forms.CharField(max_length=200, required=False, label=_("Reason for skipping"))


class PhotoForm(VersionForm):
    photo = forms.FileField(label=_("Photo"))
    norm = forms.CharField(max_length=10, required=False)


class SignatureForm(VersionForm):
    # A PNG data URL drawn on the phone; bounded like the API's.
    signature = forms.CharField(required=False, max_length=200_000)


class RatingForm(VersionForm):
    score = forms.TypedChoiceField(
        coerce=int,
        choices=[(i, str(i)) for i in range(1, 6)],
        label=_("Rating"),
        error_messages={"required": _("Choose a rating from 1 to 5.")},
    )
    comment = forms.CharField(max_length=300, required=False, label=_("Comment (optional)"))


class DoorForm(VersionForm):
    """Nobody answers (VIS-03): the taps' times as the phone recorded them (JSON), the note."""

    events = forms.CharField(max_length=5000)
    name = forms.CharField(max_length=40, label=_("Your name on the note"))
    phone = forms.CharField(max_length=20, label=_("Phone on the note"))
    left = forms.DateTimeField(required=False)


class SharingForm(forms.Form):
    """The technician's switch for sharing the position (ADR 0034)."""

    sharing = forms.ChoiceField(choices=[("on", "on"), ("off", "off")])


class PositionForm(forms.Form):
    """One fix from ``navigator.geolocation`` (position.js); the rules are the service's."""

    lat = forms.FloatField()
    lon = forms.FloatField()
    accuracy = forms.FloatField()
    at = forms.DateTimeField()
