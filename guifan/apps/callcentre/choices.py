from __future__ import annotations

from django.db import models


class Purpose(models.TextChoices):
    REMOTE_FIX = "remote_fix", "远程处理后回访"  # ORD-03
    UNCERTAIN = "uncertain", "无把握修复回访"  # QA-01, callback_hours_uncertain
    UNTESTED = "untested", "未与客户测试回访"  # QA-01, callback_hours_untested
    AUDIT = "audit", "回单真实性抽访"  # QA-06
    COMPLAINT = "complaint", "投诉后回访"  # after every complaint


# The norm each purpose serves (its due time comes from that norm's parameter).
PURPOSE_NORM: dict[str, str] = {
    Purpose.REMOTE_FIX: "ORD-03",
    Purpose.UNCERTAIN: "QA-01",
    Purpose.UNTESTED: "QA-01",
    Purpose.AUDIT: "QA-06",
    Purpose.COMPLAINT: "QA-03",
}


# The survey form each purpose asks (a remote fix had no visit to ask about).
PURPOSE_FORM: dict[str, str] = {Purpose.REMOTE_FIX: "remote"}


def form_for(purpose: str) -> str:
    return PURPOSE_FORM.get(purpose, "visit")


class CallbackStatus(models.TextChoices):
    OPEN = "open", "待回访"
    ANSWERED = "answered", "已回访"


class Outcome(models.TextChoices):
    NONE = "", "—"
    SATISFIED = "satisfied", "满意"
    UNHAPPY = "unhappy", "不满意"
    FALSE_CLOSURE = "false_closure", "回假单"
