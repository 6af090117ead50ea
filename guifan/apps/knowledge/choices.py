"""The knowledge base's vocabularies: topics (seed 000's table of contents) and fault types."""

from __future__ import annotations

from django.db import models


class Topic(models.TextChoices):
    """The table of contents of seed 000 (家客装维服务规范 and its training decks), one
    entry per chapter an article can belong to."""

    BASICS = "basics", "装维人员基本规范"
    OPENING = "opening", "业务开通工作要求及操作规范"
    FAULT = "fault", "投诉故障处理要求和操作规范"
    LANGUAGE = "language", "装维人员服务用语规范"
    CONDUCT = "conduct", "装维人员仪容仪表及行为规范"
    CONTROL = "control", "装维服务管控制度规范"
    TEN_STEPS = "ten_steps", "装维上门标准十步口诀"


class FaultType(models.TextChoices):
    """What the customer reports; blank on an article about a procedure, not a fault."""

    DIAL_691 = "dial_691", "拨号错误 691"
    DIAL_678 = "dial_678", "拨号错误 678"
    DIAL_651 = "dial_651", "拨号错误 651"
    DIAL_769 = "dial_769", "拨号错误 769"
    DROPPING = "dropping", "频繁掉线"
    SLOW = "slow", "网速慢"
    NO_SIGNAL = "no_signal", "无光信号/无信号"
    WIFI = "wifi", "无线覆盖差"
    STB = "stb", "机顶盒故障"
    IMS = "ims", "IMS 固话/VoIP 故障"
    LINE = "line", "线路与设备"
