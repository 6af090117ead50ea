from __future__ import annotations

from django.contrib import admin

from guifan.apps.compliance.models import TranscriptCheck


@admin.register(TranscriptCheck)
class TranscriptCheckAdmin(admin.ModelAdmin[TranscriptCheck]):
    list_display = ("order", "channel", "moment", "person", "area_code", "score", "at")
    list_filter = ("channel", "moment", "area_code")
    raw_id_fields = ("order", "contact")
