from __future__ import annotations

from django.db import models


class Tier(models.TextChoices):
    DIAMOND = "diamond", "钻石"
    GOLD = "gold", "金卡"
    SILVER = "silver", "银卡"
    NORMAL = "normal", "普通"
