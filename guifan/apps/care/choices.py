from __future__ import annotations

from django.db import models


class Weekday(models.IntegerChoices):
    MON = 0, "周一"
    TUE = 1, "周二"
    WED = 2, "周三"
    THU = 3, "周四"
    FRI = 4, "周五"
    SAT = 5, "周六"
    SUN = 6, "周日"
