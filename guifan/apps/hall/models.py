"""Business halls: counters, ticket numbering and tickets (HAL-02, HAL-04, HAL-05, HAL-10)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


def default_categories() -> dict[str, str]:
    return {"A": "综合业务", "B": "宽带业务", "C": "缴费与查询"}


class Region(models.Model):
    """A region (片区) of halls overseen by regional duty managers (``RegionPost``)."""

    code = models.CharField("编码", max_length=20, unique=True)
    name = models.CharField("名称", max_length=100)

    class Meta:
        verbose_name = "片区"
        verbose_name_plural = "片区"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Hall(models.Model):
    """A business hall (营业厅) with its ticket categories (prefix letter -> name)."""

    code = models.CharField("编码", max_length=20, unique=True)
    name = models.CharField("名称", max_length=100)
    level = models.PositiveSmallIntegerField("等级", default=3)
    categories = models.JSONField("业务类别", default=default_categories)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="halls",
        verbose_name="片区",
    )
    # The calling screen's marquee: short notices in Chinese, shown in turn (ADR 0027).
    notices = models.JSONField("滚动公告", default=list, blank=True)
    # Where the hall is (HAL-12: the customer is guided to the nearest hall that can).
    address = models.CharField("地址", max_length=200, blank=True, default="")
    lat = models.FloatField("纬度", null=True, blank=True)
    lng = models.FloatField("经度", null=True, blank=True)

    class Meta:
        verbose_name = "营业厅"
        verbose_name_plural = "营业厅"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CounterStatus(models.TextChoices):
    OPEN = "open", "开放"
    PAUSED = "paused", "暂停"
    CLOSED = "closed", "关闭"


class Counter(models.Model):
    """A counter (窗口) serving some categories, staffed by one person at a time."""

    hall = models.ForeignKey(
        Hall, on_delete=models.CASCADE, related_name="counters", verbose_name="营业厅"
    )
    number = models.PositiveSmallIntegerField("窗口号")
    categories = models.JSONField("受理类别", default=list)
    status = models.CharField(
        "状态", max_length=10, choices=CounterStatus.choices, default=CounterStatus.CLOSED
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name="营业员",
    )

    class Meta:
        verbose_name = "窗口"
        verbose_name_plural = "窗口"
        constraints = [
            models.UniqueConstraint(
                fields=["hall", "number"], name="%(app_label)s_%(class)s_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.hall.code}-{self.number}号窗口"


class HallPost(models.Model):
    """Where a person works: hall staff at a hall and counter, a duty manager at a hall."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="hall_post",
        verbose_name="人员",
    )
    hall = models.ForeignKey(
        Hall, on_delete=models.CASCADE, related_name="posts", verbose_name="营业厅"
    )
    counter = models.ForeignKey(
        Counter,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="posts",
        verbose_name="窗口",
    )

    class Meta:
        verbose_name = "岗位"
        verbose_name_plural = "岗位"

    def __str__(self) -> str:
        return f"{self.user} @ {self.counter or self.hall}"

    def clean(self) -> None:
        if self.counter is not None and self.counter.hall_id != self.hall_id:
            raise ValidationError({"counter": "窗口须属于该营业厅"})


class TicketSequence(models.Model):
    """The last number issued per hall, day and category; locked to keep numbers gapless."""

    hall = models.ForeignKey(
        Hall, on_delete=models.CASCADE, related_name="+", verbose_name="营业厅"
    )
    day = models.DateField(verbose_name="日期")
    category = models.CharField(max_length=2, verbose_name="业务类别")
    last = models.PositiveIntegerField(default=0, verbose_name="最后号码")

    class Meta:
        verbose_name = "取号序列"
        verbose_name_plural = "取号序列"
        constraints = [
            models.UniqueConstraint(
                fields=["hall", "day", "category"], name="%(app_label)s_%(class)s_unique_seq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.hall_id} {self.day} {self.category}{self.last}"


class TicketStatus(models.TextChoices):
    WAITING = "waiting", "等候"
    CALLED = "called", "已叫号"
    SERVING = "serving", "办理中"
    DONE = "done", "已完成"
    NO_SHOW = "no_show", "过号"
    ABANDONED = "abandoned", "离开"
    TRANSFERRED = "transferred", "已转办"


class Ticket(models.Model):
    """One queue ticket, from the kiosk to the end of service."""

    hall = models.ForeignKey(
        Hall, on_delete=models.CASCADE, related_name="tickets", verbose_name="营业厅"
    )
    day = models.DateField("日期")
    category = models.CharField("类别", max_length=2)
    number = models.PositiveIntegerField("号码")
    star_claimed = models.PositiveSmallIntegerField("自报星级", default=0)
    star_verified = models.PositiveSmallIntegerField("核验星级", null=True, blank=True)
    # HAL-04 from the record: the member found by phone or card at issue (or at verification),
    # the level the record gave, and whether the claim differed. ``star_verified`` is the
    # priority level staff granted after checking identity (0 below min_star_for_priority).
    star_ref = models.CharField("星级档案编号", max_length=40, blank=True)
    star_phone = models.CharField("取号电话(脱敏)", max_length=20, blank=True)
    star_record = models.PositiveSmallIntegerField("档案星级", null=True, blank=True)
    star_mismatch = models.BooleanField("自报与档案不符", default=False)
    star_verified_at = models.DateTimeField("核验时间", null=True, blank=True)
    star_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="核验人",
    )
    vulnerable = models.BooleanField("特殊人群优先", default=False)
    status = models.CharField(
        "状态", max_length=12, choices=TicketStatus.choices, default=TicketStatus.WAITING
    )
    issued_at = models.DateTimeField("取号时间")
    called_at = models.DateTimeField("叫号时间", null=True, blank=True)
    started_at = models.DateTimeField("开始办理", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    counter = models.ForeignKey(
        Counter, on_delete=models.SET_NULL, null=True, blank=True, verbose_name="窗口"
    )
    preprocessing = models.JSONField("预处理", default=list, blank=True)
    transferred_from = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="transferred_to",
        verbose_name="转自",
    )
    # The issuing client's Idempotency-Key: a kiosk that lost the answer asks again with the
    # same key and gets the same ticket, not a second number (issue 18 faults).
    idem_key = models.CharField(
        "幂等键", max_length=200, blank=True, default="", db_default="", editable=False
    )

    class Meta:
        verbose_name = "排队号"
        verbose_name_plural = "排队号"
        constraints = [
            models.UniqueConstraint(
                fields=["hall", "day", "category", "number"],
                name="%(app_label)s_%(class)s_unique_number",
            ),
            models.UniqueConstraint(
                fields=["hall", "idem_key"],
                condition=~models.Q(idem_key=""),
                name="%(app_label)s_%(class)s_unique_idem_key",
            ),
        ]
        indexes = [models.Index(fields=["hall", "status", "issued_at"])]

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        return f"{self.category}{self.number:03d}"


class Handover(models.Model):
    """A shift handover at a counter, with the replies still owed to customers (HAL-10)."""

    counter = models.ForeignKey(
        Counter, on_delete=models.CASCADE, related_name="handovers", verbose_name="窗口"
    )
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="交班人",
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="接班人"
    )
    at = models.DateTimeField("时间")
    pending_replies = models.JSONField("待回复事项", default=list)

    class Meta:
        verbose_name = "交接班"
        verbose_name_plural = "交接班"

    def __str__(self) -> str:
        return f"{self.counter} {self.at:%m-%d %H:%M}"


class HallAlert(models.Model):
    """A peak (HAL-03) or a class target at risk (HAL-02), raised to the duty manager."""

    hall = models.ForeignKey(
        Hall, on_delete=models.CASCADE, related_name="alerts", verbose_name="营业厅"
    )
    kind = models.CharField("类型", max_length=20)
    raised_at = models.DateTimeField("发出时间")
    acted_at = models.DateTimeField("处置时间", null=True, blank=True)
    detail = models.JSONField("详情", default=dict)

    class Meta:
        verbose_name = "营业厅预警"
        verbose_name_plural = "营业厅预警"
        ordering = ["-raised_at"]

    def __str__(self) -> str:
        return f"{self.hall.code} {self.kind} {self.raised_at:%H:%M}"


class PlaybookRun(models.Model):
    """One use of an emergency playbook at a hall, with the steps ticked off (HAL-11)."""

    hall = models.ForeignKey(
        Hall, on_delete=models.CASCADE, related_name="playbook_runs", verbose_name="营业厅"
    )
    kind = models.CharField("预案", max_length=40)
    started_at = models.DateTimeField("启动时间")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="启动人",
    )
    done = models.JSONField("已完成步骤", default=list)
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "应急预案使用"
        verbose_name_plural = "应急预案使用"
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.hall.code} {self.kind} {self.started_at:%m-%d %H:%M}"


class Inspection(models.Model):
    """A mystery-shopper inspection of a hall against the checklist, scored (HAL-09)."""

    hall = models.ForeignKey(
        Hall, on_delete=models.CASCADE, related_name="inspections", verbose_name="营业厅"
    )
    at = models.DateTimeField("检查时间")
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="检查人",
    )
    results = models.JSONField("逐项结果", default=dict)
    measurements = models.JSONField("测量值", default=dict)
    score = models.FloatField("得分")
    broken = models.PositiveSmallIntegerField("不合格项")
    deductions = models.PositiveSmallIntegerField("扣分项")
    bonus = models.PositiveSmallIntegerField("加分项")

    class Meta:
        verbose_name = "暗访检查"
        verbose_name_plural = "暗访检查"
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.hall.code} {self.at:%Y-%m-%d} {self.score:.0f}"


class TicketBusiness(models.Model):
    """What the counter did for a ticket: an inquiry or a transaction (SEC-03)."""

    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="business", verbose_name="号"
    )
    kind = models.CharField(
        "类型", max_length=12, choices=[("inquiry", "咨询"), ("transaction", "办理")]
    )
    business = models.CharField("业务", max_length=40)
    id_checked = models.BooleanField("已实名核验")
    id_recorded = models.BooleanField("记录了证件号")
    at = models.DateTimeField("时间")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="营业员",
    )

    class Meta:
        verbose_name = "柜台业务"
        verbose_name_plural = "柜台业务"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.get_kind_display()} {self.business}"


class RegionPost(models.Model):
    """A regional duty manager's region: they see every hall of it, and only those."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="region_post",
        verbose_name="人员",
    )
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="posts", verbose_name="片区"
    )

    class Meta:
        verbose_name = "片区岗位"
        verbose_name_plural = "片区岗位"

    def __str__(self) -> str:
        return f"{self.user} @ {self.region}"


class HallRating(models.Model):
    """The customer's rating of a finished service, on the counter's rating device."""

    ticket = models.OneToOneField(
        Ticket, on_delete=models.CASCADE, related_name="rating", verbose_name="号"
    )
    score = models.PositiveSmallIntegerField("评分")
    at = models.DateTimeField("评价时间")
    reason = models.CharField("原因", max_length=20, blank=True)

    class Meta:
        verbose_name = "服务评价"
        verbose_name_plural = "服务评价"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5),
                name="%(app_label)s_%(class)s_score_1_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.score}"


class DeviceKind(models.TextChoices):
    KIOSK = "kiosk", "取号机"
    SCREEN = "screen", "叫号屏"
    RATING = "rating", "评价器"


class HallDevice(models.Model):
    """A kiosk, calling screen or rating device of one hall (ADR 0027): no staff login.

    It signs in once with its token (only the SHA-256 is stored) and then holds a device
    cookie that opens only its own kind of page in its own hall; revoking it, or issuing a new
    token, refuses the cookie at the next request.
    """

    hall = models.ForeignKey(
        Hall, on_delete=models.CASCADE, related_name="devices", verbose_name="营业厅"
    )
    kind = models.CharField("类型", max_length=10, choices=DeviceKind.choices)
    name = models.CharField("名称", max_length=60)
    digest = models.CharField("令牌摘要", max_length=64, unique=True, editable=False)
    active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间")
    paired_at = models.DateTimeField("配对时间", null=True, blank=True, editable=False)
    last_seen = models.DateTimeField("最近在线", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "营业厅设备"
        verbose_name_plural = "营业厅设备"
        constraints = [
            models.UniqueConstraint(
                fields=["hall", "name"], name="%(app_label)s_%(class)s_unique_name"
            )
        ]

    def __str__(self) -> str:
        return f"{self.hall.code} {self.get_kind_display()} {self.name}"


class ReceiptKind(models.TextChoices):
    PAPER = "paper", "纸质回执"
    E_INVOICE = "e_invoice", "电子发票指引"


class CounterTransaction(models.Model):
    """A transaction's completion at the counter (HAL-13): the key terms shown, the customer's
    signature, the receipt, the cash called out, and add-ons with the customer's consent (the
    三强 ban, STF-06). One per transaction business; until it exists the business is unfinished.
    """

    business = models.OneToOneField(
        TicketBusiness,
        on_delete=models.CASCADE,
        related_name="transaction",
        verbose_name="柜台业务",
    )
    terms_shown = models.JSONField("已重点告知条款", default=list)
    signature_png = models.BinaryField("客户签名")
    signature_digest = models.CharField("签名摘要", max_length=64)
    amount_due = models.DecimalField("应收金额", max_digits=10, decimal_places=2, default=0)
    cash_received = models.DecimalField(
        "实收现金", max_digits=10, decimal_places=2, null=True, blank=True
    )
    cash_returned = models.DecimalField(
        "找零", max_digits=10, decimal_places=2, null=True, blank=True
    )
    cash_called_out = models.BooleanField("唱收唱付", null=True, blank=True)
    receipt = models.CharField("回执", max_length=10, choices=ReceiptKind.choices)
    addons = models.JSONField("加办业务", default=list)
    completed_at = models.DateTimeField("完成时间")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="营业员",
    )

    class Meta:
        verbose_name = "柜台交易"
        verbose_name_plural = "柜台交易"
        ordering = ["completed_at", "id"]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        """The receipt number (回执编号), from the business record's id."""
        return f"HT{self.business_id:08d}"


class Referral(models.Model):
    """A business the hall cannot handle (HAL-12): coordinated with the duty manager, then the
    customer guided to the nearest hall that can, with its address and wait at that time."""

    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="referrals", verbose_name="号"
    )
    business = models.CharField("业务", max_length=40)
    coordinated_at = models.DateTimeField("协调时间", null=True, blank=True)
    coordinated_with = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="协调对象",
    )
    guided_at = models.DateTimeField("引导时间", null=True, blank=True)
    to_hall = models.ForeignKey(
        Hall,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="引导至",
    )
    distance_km = models.FloatField("距离（公里）", null=True, blank=True)
    wait_minutes = models.PositiveIntegerField("当时预计等候（分钟）", null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="营业员",
    )

    class Meta:
        verbose_name = "超权限业务引导"
        verbose_name_plural = "超权限业务引导"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "business"], name="%(app_label)s_%(class)s_unique_business"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.business}"


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", "已预约"
    CHECKED_IN = "checked_in", "已签到"
    LATE = "late", "迟到改为现场取号"
    NO_SHOW = "no_show", "未到"
    CANCELLED = "cancelled", "已取消"


class HallAppointment(models.Model):
    """A booked slot at a hall for a category; checked in at the kiosk, it joins the queue at
    its slot (ADR 0028). The phone is shown masked everywhere (SEC-01)."""

    hall = models.ForeignKey(
        Hall, on_delete=models.CASCADE, related_name="appointments", verbose_name="营业厅"
    )
    category = models.CharField("类别", max_length=2)
    slot_at = models.DateTimeField("预约时段")
    code = models.CharField("预约码", max_length=8)
    phone = models.CharField("手机号", max_length=20)
    name = models.CharField("姓名", max_length=40, blank=True)
    channel = models.CharField("渠道", max_length=20, default="api")
    status = models.CharField(
        "状态", max_length=12, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    booked_at = models.DateTimeField("预约时间")
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="预约人",
    )
    checked_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    early_refusals = models.PositiveSmallIntegerField("过早签到被拒次数", default=0)
    ticket = models.OneToOneField(
        Ticket,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointment",
        verbose_name="排队号",
    )

    class Meta:
        verbose_name = "营业厅预约"
        verbose_name_plural = "营业厅预约"
        ordering = ["slot_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["hall", "code"], name="%(app_label)s_%(class)s_unique_code"
            )
        ]
        indexes = [models.Index(fields=["hall", "status", "slot_at"])]

    def __str__(self) -> str:
        return f"{self.hall.code} {self.code} {self.slot_at:%m-%d %H:%M}"


class MobileTicket(models.Model):
    """A ticket taken remotely: the customer follows it on a signed link and is texted once
    when only a few are ahead (ADR 0028)."""

    ticket = models.OneToOneField(
        Ticket, on_delete=models.CASCADE, related_name="mobile", verbose_name="排队号"
    )
    phone = models.CharField("手机号", max_length=20)
    issued_at = models.DateTimeField("取号时间")
    expires_at = models.DateTimeField("链接有效期")
    link = models.CharField("链接", max_length=500, blank=True)
    link_outcome = models.CharField("链接短信结果", max_length=20, blank=True)
    near_armed_at = models.DateTimeField("临近提醒触发", null=True, blank=True)
    near_sent_at = models.DateTimeField("临近提醒发送", null=True, blank=True)
    near_outcome = models.CharField("临近提醒结果", max_length=20, blank=True)

    class Meta:
        verbose_name = "手机取号"
        verbose_name_plural = "手机取号"

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.issued_at:%m-%d %H:%M}"
