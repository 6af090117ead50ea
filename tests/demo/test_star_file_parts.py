"""The CRM's star file in parts under the API's body limit (a large day sent it whole: 413)."""

from __future__ import annotations

import json

from django.conf import settings

from guifan.demo.stars import PART_BYTES, _parts


def _rows(members: int) -> list[dict[str, object]]:
    return [
        {
            "customer_ref": f"CRM-{m:08d}",
            "name": "欧阳客户",
            "phone": f"139{m:08d}",
            "cert_type": "personal",
            "month": f"2025-{month:02d}",
            "growth_value": 500,
            "products": "mobile=2;broadband=1",
            "crm_level": 4 if month == 12 else "",
        }
        for m in range(members)
        for month in range(1, 13)
    ]


def test_a_large_file_goes_in_parts_under_the_limit_with_each_member_whole() -> None:
    rows = _rows(3000)
    assert len(json.dumps({"rows": rows})) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    parts = _parts(rows)
    assert len(parts) > 1 and [r for p in parts for r in p] == rows
    for part in parts:
        assert len(json.dumps({"rows": part})) <= PART_BYTES < settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    refs = [{r["customer_ref"] for r in p} for p in parts]
    assert all(not (a & b) for i, a in enumerate(refs) for b in refs[i + 1 :])


def test_a_small_file_goes_whole() -> None:
    rows = _rows(40)
    assert _parts(rows) == [rows]
    assert _parts([]) == []
