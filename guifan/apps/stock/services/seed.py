"""Opening stock for an area: the item catalog and a first delivery (demo city, set-up)."""

from __future__ import annotations

from django.db import transaction

from guifan.apps.stock.models import Item, ItemKind, LoanerUnit, MovementKind
from guifan.apps.stock.services.ledger import levels_lock, movement_apply
from guifan.apps.workforce.models import ServiceArea
from guifan.clock import now as clock_now

# (code, name, kind, unit, opening quantity per area)
CATALOG: tuple[tuple[str, str, str, str, int], ...] = (
    ("ONU-HG8245", "光猫 HG8245", ItemKind.SPARE, "台", 6),
    ("PSU-12V", "光猫电源适配器 12V", ItemKind.SPARE, "个", 8),
    ("STB-IPTV", "IPTV 机顶盒", ItemKind.SPARE, "台", 3),
    ("MB-PC", "电脑主板", ItemKind.SPARE, "块", 2),
    ("HDD-1T", "硬盘 1TB", ItemKind.SPARE, "块", 3),
    ("RAM-8G", "内存条 8GB", ItemKind.SPARE, "条", 4),
    ("PATCH-SC", "光纤跳线 SC", ItemKind.MATERIAL, "根", 20),
    ("CAT6-M", "六类网线", ItemKind.MATERIAL, "米", 300),
)
LOANER_ITEM = ("LOANER-PC", "周转电脑", ItemKind.LOANER, "台")
LOANERS_PER_AREA = 3


def loaner_serial(area_code: str, n: int) -> str:
    return f"LN-{area_code}-{n:02d}"


@transaction.atomic
def stock_seed_for_area(area: ServiceArea, *, loaners: int = LOANERS_PER_AREA) -> None:
    """Create the catalog's items (once) and receive the opening stock into ``area``.

    Deterministic (no randomness), so the demo's same seed gives the same day.
    """
    now = clock_now()
    items = {
        code: Item.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "unit": unit}
        )[0]
        for code, name, kind, unit, _ in CATALOG
    }
    loaner_code, loaner_name, loaner_kind, loaner_unit = LOANER_ITEM
    loaner_item = Item.objects.get_or_create(
        code=loaner_code,
        defaults={"name": loaner_name, "kind": loaner_kind, "unit": loaner_unit},
    )[0]
    levels = levels_lock(area, [*items.values(), loaner_item])
    for code, _, _, _, qty in CATALOG:
        item = items[code]
        movement_apply(levels[item.id], MovementKind.RECEIVE, qty, at=now, by=None, note="期初入库")
    for n in range(1, loaners + 1):
        lu = LoanerUnit.objects.create(
            serial=loaner_serial(area.code, n), item=loaner_item, area=area
        )
        movement_apply(
            levels[loaner_item.id],
            MovementKind.RECEIVE,
            1,
            at=now,
            by=None,
            loaner=lu,
            note="期初入库",
        )
