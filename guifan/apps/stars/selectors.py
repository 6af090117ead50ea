"""Reads of star members: the level from the record and this year's entitlements."""

from __future__ import annotations

from typing import Any

from guifan.apps.customers.masking import mask_phone
from guifan.apps.norms.selectors import norms_snapshot
from guifan.apps.stars.models import Entitlement, EntitlementBalance, StarMember
from guifan.clock import local
from guifan.clock import now as clock_now
from guifan.norms.stars import entitlement_quota


def member_view(m: StarMember) -> dict[str, Any]:
    """The member as staff see it: masked phone (SEC-01), level, this year's entitlements."""
    year = local(clock_now()).year
    ns = norms_snapshot()
    used = {
        b.kind: (b.quota, b.used) for b in EntitlementBalance.objects.filter(member=m, year=year)
    }
    rights = []
    for kind in Entitlement:
        quota = entitlement_quota(m.level, kind.value, ns)
        if quota is None and kind.value not in used:
            continue
        q, u = used.get(kind.value, (quota or 0, 0))
        rights.append(
            {"kind": kind.value, "label": kind.label, "quota": q, "used": u, "remaining": q - u}
        )
    return {
        "ref": m.ref,
        "name": m.name,
        "phone": mask_phone(m.phone),
        "level": m.level,
        "growth": m.growth,
        "excluded": m.excluded,
        "computed_at": m.computed_at,
        "year": year,
        "entitlements": rights,
    }
