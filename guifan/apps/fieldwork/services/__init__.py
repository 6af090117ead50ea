"""Field services: the one path for the phone pages and the offline sync."""

from __future__ import annotations

from guifan.apps.fieldwork.services.evidence import (
    visit_photo_add,
    visit_rating_save,
    visit_signature_save,
)
from guifan.apps.fieldwork.services.steps import (
    checklist_step_record,
    field_call_ahead,
    field_trip_step,
    field_visit_complete,
)
from guifan.apps.fieldwork.services.sync import sync_apply

__all__ = [
    "checklist_step_record",
    "field_call_ahead",
    "field_trip_step",
    "field_visit_complete",
    "sync_apply",
    "visit_photo_add",
    "visit_rating_save",
    "visit_signature_save",
]
