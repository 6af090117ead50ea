"""Evaluations change only through the services: the admin reads."""

from __future__ import annotations

from django.contrib import admin

from guifan.adminkit import ReadOnlyAdmin
from guifan.apps.evaluation.models import Assignment, CalibrationSession, Dispute, Evaluation, Plan


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin, admin.ModelAdmin[Plan]):
    list_display = ("name", "kind", "rate_pct", "per_person", "active")


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin, admin.ModelAdmin[Assignment]):
    list_display = ("id", "kind", "object_id", "person", "evaluator", "status", "day")
    list_filter = ("kind", "status")


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin, admin.ModelAdmin[Evaluation]):
    list_display = ("id", "kind", "person", "evaluator", "score", "status", "at")
    list_filter = ("kind", "status")


@admin.register(CalibrationSession)
class CalibrationSessionAdmin(ReadOnlyAdmin, admin.ModelAdmin[CalibrationSession]):
    list_display = ("id", "kind", "object_id", "created_at")


@admin.register(Dispute)
class DisputeAdmin(ReadOnlyAdmin, admin.ModelAdmin[Dispute]):
    list_display = ("id", "evaluation", "raised_by", "status", "raised_at", "decided_by")
    list_filter = ("status",)
