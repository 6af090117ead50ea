"""The Excel export opens in LibreOffice (headless) with the scorecard's cells."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from guifan.apps.assessment.export import scorecards_workbook
from guifan.apps.assessment.selectors import Period, scorecard
from guifan.apps.assessment.services import action_create
from guifan.apps.norms.models import NormCheck
from guifan.apps.workforce.models import Technician
from guifan.clock import at_local
from tests.city import DAY

pytestmark = pytest.mark.django_db


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is missing: run bin/browser-deps")
        pytest.skip("LibreOffice (soffice) is not installed")
    return found


@pytest.fixture
def workbook(city) -> bytes:
    tech = Technician.objects.get(id=city.own.technician_id)
    for kept in (True, True, False):
        NormCheck.objects.create(
            norm_id="APT-02",
            kept=kept,
            at=at_local(DAY, "09:00"),
            person=tech.badge_no,
            area_code="A01",
        )
    NormCheck.objects.create(
        norm_id="VIS-18",
        kept=True,
        at=at_local(DAY, "09:30"),
        person=tech.badge_no,
        area_code="A01",
        detail={"score": 4},
    )
    action_create(
        kind="coaching", person=tech.badge_no, norm_id="VIS-05", finding="未穿鞋套", by=None
    )
    return scorecards_workbook(Period.of("day", DAY), today=DAY + dt.timedelta(days=1))


def test_every_table_is_a_sheet_with_chinese_headers(workbook):
    wb = load_workbook(io.BytesIO(workbook))
    assert wb.sheetnames == [
        "装维人员",
        "班组",
        "片区",
        "营业员",
        "晨会",
        "资格证书",
        "整改与辅导",
        "合作单位处罚",
    ]
    assert wb["装维人员"]["A1"].value == "名称"
    created = wb["整改与辅导"]["G2"].value
    assert created.isoformat() == "2025-06-02T10:00:00"  # local wall time, not UTC


def test_the_export_converts_in_libreoffice_headless(workbook, tmp_path: Path, city):
    exe = soffice()
    src = tmp_path / "scorecards.xlsx"
    src.write_bytes(workbook)
    profile = tmp_path / "profile"
    subprocess.run(
        [
            exe,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1",
            "--outdir",
            str(tmp_path),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    rows = list(csv.reader((tmp_path / "scorecards.csv").read_text("utf-8").splitlines()))
    tech = Technician.objects.get(id=city.own.technician_id)
    assert rows[0][:4] == ["名称", "核查次数", "遵守次数", "遵守率"]
    line = next(r for r in rows[1:] if tech.badge_no in r[0])
    [card] = [c for c in scorecard("person", Period.of("day", DAY)) if c.key == tech.badge_no]
    assert card.checked >= 4  # the four above and the city's own assignment checks
    assert line[1:3] == [str(card.checked), str(card.kept)]
    assert line[4] == "4"  # satisfaction: the one rating
