"""The quality centre reads the scorecards: teams worst first, satisfaction, red lines."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from guifan.apps.accounts.models import Role
from guifan.apps.norms.models import NormCheck
from guifan.apps.workforce.models import Technician
from guifan.clock import at_local
from tests import factories as f
from tests.browser.conftest import assert_accessible, login, person, shot
from tests.city import DAY


def _ledger() -> None:
    for n, (team, kept_share) in enumerate((("装维一班", 0.95), ("装维二班", 0.7))):
        for i in range(3):
            tech = f.technician(code="A01" if n == 0 else "A02")
            Technician.objects.filter(id=tech.id).update(team=team, name=f"{team[2:]}技师{i + 1}")
            for k in range(20):
                NormCheck.objects.create(
                    norm_id=("APT-02", "VIS-05", "DSP-04")[k % 3],
                    kept=k < 20 * kept_share - i,
                    at=at_local(DAY, "09:00"),
                    person=tech.badge_no,
                    area_code=tech.area.code,
                )
            NormCheck.objects.create(
                norm_id="VIS-18",
                kept=True,
                at=at_local(DAY, "10:00"),
                person=tech.badge_no,
                area_code=tech.area.code,
                detail={"score": 5 - n - (i % 2)},
            )
            if n == 1 and i == 0:
                NormCheck.objects.create(
                    norm_id="STF-06",
                    kept=False,
                    at=at_local(DAY, "11:00"),
                    person=tech.badge_no,
                    area_code=tech.area.code,
                )


def test_the_quality_centre_reads_team_scorecards(page: Page, live_server: object, clock) -> None:  # type: ignore[no-untyped-def]
    _ledger()
    person(Role.QUALITY, "qc")
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, str(live_server), "qc")
    page.goto(f"{live_server}/qc/scorecards/?level=team&period=day&date={DAY.isoformat()}")
    expect(page.get_by_role("heading", name="考核看板", exact=True)).to_be_visible()
    rows = page.locator("table.qc-cards tbody tr")
    expect(rows.first).to_contain_text("装维二班")  # worst first
    expect(rows.first.locator(".tag.bad").first).to_be_visible()
    expect(page.get_by_role("link", name="导出 Excel")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("层级").select_option("person")
    page.get_by_role("button", name="查看").click()
    expect(page.locator("table.qc-cards tbody tr")).to_have_count(6)
    shot(page, "scorecards")
    page.goto(f"{live_server}/qc/scorecards/morning/?date={DAY.isoformat()}")
    expect(page.get_by_role("heading", name="装维二班", exact=False)).to_be_visible()
    expect(page.get_by_text("主要问题：")).to_have_count(2)
