"""The customer's forms: every one carries the version of the page it was filled on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from guifan.apps.orders.services.appointments import Slot
from guifan.clock import local

# code -> (text kept on the order's record, label shown to the customer)
CANCEL_REASONS: dict[str, tuple[str, Promise]] = {
    "time": ("客户时间不便", _("The time no longer suits me")),
    "not_needed": ("客户不再需要", _("I no longer need the visit")),
    "elsewhere": ("客户已另行解决", _("The problem was solved another way")),
    "other": ("客户取消（其他原因）", _("Another reason")),
}


class LinkActionForm(forms.Form):
    """Hidden fields naming the order version and appointment the page showed."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    appointment = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def slot_choices(slots: Sequence[Slot]) -> list[tuple[str, list[tuple[str, str]]]]:
    """Slots grouped by day for a <select>: the group names the day, the option the hour."""
    groups: dict[dt.date, list[tuple[str, str]]] = {}
    for slot in slots:
        start, end = local(slot.start), local(slot.end)
        groups.setdefault(start.date(), []).append(
            (start.isoformat(), f"{start:%H:%M}–{end:%H:%M}")
        )
    day_format = pgettext("date format of a slot group (Django date syntax)", "l, F j")
    return [(formats.date_format(day, day_format), items) for day, items in groups.items()]


class ChangeForm(LinkActionForm):
    slot = forms.CharField(label=_("New time"), widget=forms.Select)

    def __init__(self, *args: Any, slots: Sequence[Slot] = (), **kwargs: Any) -> None:
        # Ids distinct from the confirm form's on the same page.
        kwargs.setdefault("auto_id", "change_%s")
        super().__init__(*args, **kwargs)
        widget = self.fields["slot"].widget
        assert isinstance(widget, forms.Select)
        widget.choices = [("", _("Choose a time")), *slot_choices(slots)]
        self.fields["slot"].error_messages["required"] = _("Choose a new time.")

    def clean_slot(self) -> dt.datetime:
        value = self.cleaned_data["slot"]
        try:
            start = dt.datetime.fromisoformat(value)
        except ValueError:
            raise forms.ValidationError(_("Choose a time from the list.")) from None
        if start.tzinfo is None:
            raise forms.ValidationError(_("Choose a time from the list."))
        return start


class CancelForm(LinkActionForm):
    reason = forms.ChoiceField(
        label=_("Why do you cancel?"),
        choices=[("", _("Choose a reason")), *((k, v[1]) for k, v in CANCEL_REASONS.items())],
        error_messages={"required": _("Choose a reason.")},
    )

    def record_text(self) -> str:
        return CANCEL_REASONS[self.cleaned_data["reason"]][0]


def mark_invalid(form: forms.Form) -> forms.Form:
    """Point each invalid field at its error list, for screen readers; focus the first one,
    which also scrolls it into view on a long phone page."""
    invalid = [name for name in form.errors if name in form.fields]
    for name in invalid:
        attrs = form.fields[name].widget.attrs
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{form[name].id_for_label}-errors"
    if invalid:
        form.fields[invalid[0]].widget.attrs["autofocus"] = True
    return form
