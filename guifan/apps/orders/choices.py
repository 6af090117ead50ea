from __future__ import annotations

from django.db import models


class ServiceType(models.TextChoices):
    BROADBAND = "broadband", "宽带"
    FIXED_LINE = "fixed_line", "固话"
    IPTV = "iptv", "IPTV"
    IMS = "ims", "IMS"
    APPLIANCE = "appliance", "上门产品维修"
    HOME_CARE = "home_care", "居家照护"


class OrderKind(models.TextChoices):
    INSTALL = "install", "装机"
    MOVE = "move", "移机"
    REPAIR = "repair", "维修"
    CARE = "care", "定期上门"


# The old-site half of a move (ORD-10): created by the move's intake, never sent alone, so it
# is a kind of work order only (other apps' choices keep the four kinds taken at intake).
REMOVAL = "removal"
ORDER_KINDS = [*OrderKind.choices, (REMOVAL, "拆机")]


# Which kinds each service type takes (appliances are repaired, home care recurs).
KINDS_BY_SERVICE: dict[str, tuple[str, ...]] = {
    ServiceType.BROADBAND: ("install", "move", "repair"),
    ServiceType.FIXED_LINE: ("install", "move", "repair"),
    ServiceType.IPTV: ("install", "move", "repair"),
    ServiceType.IMS: ("install", "move", "repair"),
    ServiceType.APPLIANCE: ("repair",),
    ServiceType.HOME_CARE: ("care",),
}


class Status(models.TextChoices):
    RECEIVED = "received", "已受理"
    ANALYSED = "analysed", "已预判"
    REMOTE = "remote", "远程处理"
    AWAITING_APPOINTMENT = "awaiting_appointment", "待预约"
    SCHEDULED = "scheduled", "已预约"
    DISPATCHED = "dispatched", "已派工"
    EN_ROUTE = "en_route", "在途"
    ON_SITE = "on_site", "在现场"
    COMPLETED = "completed", "已完工"
    BRING_BACK = "bring_back", "带回维修"
    CANCELLED = "cancelled", "已取消"
    CALLBACK = "callback", "回访"
    CLOSED = "closed", "已归档"


class HalfDay(models.TextChoices):
    AM = "am", "上午"
    PM = "pm", "下午"


class AppointmentStatus(models.TextChoices):
    ACTIVE = "active", "有效"
    RESCHEDULED = "rescheduled", "已改约"
    CANCELLED = "cancelled", "已取消"
    DONE = "done", "已上门"


class Channel(models.TextChoices):
    CALL = "call", "电话"
    SMS = "sms", "短信"
    HALL = "hall", "营业厅"
    HOTLINE = "hotline", "10000号"
    LINK = "link", "客户链接"


class ContactPurpose(models.TextChoices):
    FIRST_CONTACT = "first_contact", "首次预约联系"
    RECONFIRM = "reconfirm", "上门前二次确认"
    ARRIVAL_NOTICE = "arrival_notice", "上门前30分钟通知"
    LATE_NOTICE = "late_notice", "迟到告知"
    CALLBACK = "callback", "回访"
    RESOURCE_NOTICE = "resource_notice", "资源不具备告知"
    RESCHEDULE = "reschedule", "改约沟通"


class ContactOutcome(models.TextChoices):
    ANSWERED = "answered", "已接通"
    NO_ANSWER = "no_answer", "无人接听"
    BUSY = "busy", "占线"
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败"


REACHED = (ContactOutcome.ANSWERED, ContactOutcome.SENT)


class Initiator(models.TextChoices):
    CUSTOMER = "customer", "客户"
    PROVIDER = "provider", "我方"
