"""The city day: the report contract, determinism, and the norms it must exercise."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from guifan.cli import app
from guifan.norms import catalog

POINT_4 = [
    "ORD-01",
    "ORD-02",
    "ORD-03",
    "ORD-05",
    "ORD-06",
    "ORD-08",
    *[f"APT-0{i}" for i in range(1, 9)],
    "QA-04",
]
HALL_NORMS = [f"HAL-{i:02d}" for i in range(1, 12)]
# Issue 13: what a technician does from the gate to goodbye, worked through the visit API.
VISIT_NORMS = [f"VIS-{i:02d}" for i in range(1, 20)]


def run_demo(tmp: Path, seed: str, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["GUIFAN_VAR_DIR"] = str(tmp / "var")
    cmd = [
        sys.executable,
        "-m",
        "guifan",
        "demo",
        "--seed",
        seed,
        "--out",
        str(tmp / "out"),
        *extra,
    ]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600, check=False)


@pytest.fixture(scope="module")
def full_day_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's folder: ``out/`` with the report, ``var/demo.sqlite3`` its database."""
    tmp = tmp_path_factory.mktemp("demo")
    proc = run_demo(tmp, "7")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "报告" in proc.stdout
    # Issue 17: how many of the norms were checked; the migrations quiet without -v.
    assert f"{len(catalog())} 项规范中核查了" in proc.stdout
    assert "Applying" not in proc.stdout and "Warning" not in proc.stderr
    for name in (
        "report.html",
        "first_contact.png",
        "arrivals.png",
        "timers.png",
        "hall_waits.png",
        "hall_wait_cdf.png",
    ):
        assert (tmp / "out" / name).stat().st_size > 1000
    return tmp


@pytest.fixture(scope="module")
def full_day(full_day_dir: Path) -> dict:
    return json.loads((full_day_dir / "out" / "report.json").read_text("utf-8"))


@pytest.mark.slow
def test_the_report_page_reads_in_chinese(full_day_dir: Path) -> None:
    """report.html is what a newcomer opens first: no English word or code outside norm IDs
    (report.json keeps the codes)."""
    page = (full_day_dir / "out" / "report.html").read_text("utf-8")
    text = re.sub(r"<style.*?</style>|<[^>]+>", " ", page, flags=re.S)
    words = set(re.findall(r"[A-Za-z_]{3,}", text))
    assert words <= {"guifan", "APT", "DSP", "HAL", "LNG", "ORD", "QA", "SEC", "STAR", "STF", "VIS"}
    assert "迎客分流（HAL-06）" in text and "规范核查" in text


@pytest.mark.slow
def test_the_report_has_the_contract_keys(full_day):
    assert {"seed", "generated_at", "norms", "orders"} <= set(full_day)
    assert full_day["seed"] == 7
    assert [n["id"] for n in full_day["norms"]] == [n.id for n in catalog()]
    for n in full_day["norms"]:
        # "refused" is the issue-14 extension: refused attempts, inside checked, never kept.
        assert set(n) - {"refused"} == {"id", "title", "mode", "checked", "kept"}
        assert 0 <= n["kept"] <= n["checked"]
        assert n.get("refused", 1) > 0 and n.get("refused", 0) <= n["checked"] - n["kept"]


@pytest.mark.slow
def test_refused_attempts_of_enforced_norms_are_counted(full_day):
    norms = {n["id"]: n for n in full_day["norms"]}
    # The desk sometimes tries a customer's 20:00 wish first; APT-03 refuses and remembers.
    assert norms["APT-03"].get("refused", 0) > 0
    assert norms["APT-03"]["kept"] < norms["APT-03"]["checked"]
    # People in a hurry do the wrong thing now and then, and the product says no: the desk
    # moves a visit before asking the customer (APT-06) or sends an appliance repair to
    # whoever is in the area (DSP-05), a technician sends the bring-back form unsigned
    # (ORD-06), the afternoon clerk asks to take over mid-service (HAL-10).
    for nid in ("APT-06", "DSP-05", "ORD-06", "HAL-10"):
        assert norms[nid].get("refused", 0) > 0 and norms[nid]["kept"] > 0, nid
    # A technician asks for the full number of a visit already closed (SEC-01), the desk
    # closes a no-resource order before telling the customer (ORD-05).
    for nid in ("SEC-01", "ORD-05"):
        assert norms[nid].get("refused", 0) > 0 and norms[nid]["kept"] > 0, nid
    refused = full_day["summary"]["refused_actions"]
    assert refused["phone_after_close:order.reveal_not_needed"] == norms["SEC-01"]["refused"]
    assert refused["cancel_untold:order.no_notice"] == norms["ORD-05"]["refused"]
    assert refused["reschedule:appointment.consent_required"] == norms["APT-06"]["refused"]
    assert refused["assign:visit.not_certified"] == norms["DSP-05"]["refused"]
    assert refused["handover:counter.mid_service"] == norms["HAL-10"]["refused"]


@pytest.mark.slow
def test_the_halls_greeting_and_preprocessing_are_measured_both_ways(full_day):
    """Customers who walk past the greeter to the kiosk were not greeted (HAL-06); a need
    told at the kiosk that nobody met before the call breaks HAL-07. Neither is a tick."""
    norms = {n["id"]: n for n in full_day["norms"]}
    for nid in ("HAL-06", "HAL-07"):
        assert 0 < norms[nid]["kept"] < norms[nid]["checked"], nid
    assert norms["HAL-05"]["kept"] > 0
    assert full_day["hall"]["triage"]["not_greeted"] == (
        norms["HAL-06"]["checked"] - norms["HAL-06"]["kept"]
    )


@pytest.mark.slow
def test_every_norm_of_the_foundation_is_checked_in_the_day(full_day):
    checked = {n["id"]: n["checked"] for n in full_day["norms"]}
    assert [nid for nid in POINT_4 if checked[nid] == 0] == []


@pytest.mark.slow
def test_every_visit_norm_is_checked_with_both_verdicts_from_behaviour(full_day):
    norms = {n["id"]: n for n in full_day["norms"]}
    assert [nid for nid in VISIT_NORMS if norms[nid]["checked"] == 0] == []
    # The enforced steps' refused attempts and the measured ones each keep and break.
    judged = [nid for nid in VISIT_NORMS if norms[nid]["mode"] in ("enforced", "measured")]
    assert len(judged) == 8
    assert [n for n in judged if not 0 < norms[n]["kept"] < norms[n]["checked"]] == []
    # The self-check measures the staff norms (STF-01..03, issue 13 item 2).
    assert all(norms[n]["checked"] > 0 for n in ("STF-01", "STF-02", "STF-03"))
    # The orders' norms of issue 13, from the agents' behaviour through the product's rules;
    # the late-shift installers serve the evening moves and installs, so the moves' old-site
    # removals (ORD-10) and the late activations (ORD-09) fall inside the run. Whether a
    # removal sets off too early (ORD-10 refused) is a draw per move: checked, not both ways.
    orders = ["ORD-04", "ORD-07", "ORD-09", "ORD-10", "ORD-11", "DSP-06", "APT-10"]
    assert [nid for nid in orders if norms[nid]["checked"] == 0] == []
    both = [n for n in orders if norms[n]["mode"] in ("enforced", "measured") and n != "ORD-10"]
    assert [n for n in both if not 0 < norms[n]["kept"] < norms[n]["checked"]] == []
    refused = full_day["summary"]["refused_actions"]
    assert refused.get("complete:visit.incomplete", 0) > 0
    assert refused.get("generic_complete:visit.use_checklist", 0) > 0


@pytest.mark.slow
def test_the_desk_requisitions_parts_and_lends_loaners(full_day):
    """ORD-04 both ways (late requisitions break it); ORD-07 judged on returns and deadlines."""
    checked = {n["id"]: n for n in full_day["norms"]}
    assert 0 < checked["ORD-04"]["kept"] < checked["ORD-04"]["checked"]
    assert checked["ORD-07"]["checked"] > 0


@pytest.mark.slow
def test_the_transcript_checker_feeds_the_report(full_day):
    checked = {n["id"]: n for n in full_day["norms"]}
    for nid in ("LNG-01", "LNG-02", "LNG-03", "APT-09"):
        assert checked[nid]["checked"] > 0, nid
    assert 0 < checked["LNG-02"]["kept"] < checked["LNG-02"]["checked"]  # some staff slipped
    areas = full_day["quality"]["by_area"]
    assert {a["key"] for a in areas} == {
        "CD-JJ",
        "CD-QY",
        "CD-WH",
        "CD-CH",
        "CD-CX01",
    }  # + the hall
    assert sum(a["forbidden"] for a in areas) > 0
    assert full_day["quality"]["by_person"]


@pytest.mark.slow
def test_speech_norms_are_checked_with_both_verdicts(full_day):
    """Issue 14: LNG-04/05/07 from the transcripts; ASR spellings of forbidden phrases found."""
    checked = {n["id"]: n for n in full_day["norms"]}
    for nid in ("LNG-04", "LNG-05", "LNG-07"):
        assert 0 < checked[nid]["kept"] < checked[nid]["checked"], nid
    speech = full_day["quality_centre"]["speech"]
    assert set(speech["forbidden_by_variant"]) & {"homophone", "shape", "mixed"}
    assert speech["languages"]["普通话"] > sum(speech["languages"].values()) / 2


def test_the_hall_runs_its_day_through_the_queue(full_day):
    hall = full_day["hall"]
    assert hall["tickets"] > 200
    checked = {n["id"]: n["checked"] for n in full_day["norms"]}
    assert checked["HAL-02"] > 200 and checked["HAL-04"] > 0 and checked["LNG-06"] > 200
    for row in hall["classes"].values():
        assert row["tickets"] == len(row["waits_min"]) > 0
        assert min(row["waits_min"]) >= 0  # an appointment called before its slot waited 0


def test_the_hall_runs_appointments_and_mobile_tickets(full_day):
    """ADR 0028: bookings checked in on time or late, refused early, never come; mobile
    tickets each texted once when three are ahead."""
    appts, mobile = full_day["hall"]["appointments"], full_day["hall"]["mobile_tickets"]
    assert appts["booked"] > 0 and appts["on_time"] > 0 and appts["no_show"] > 0
    assert appts["checked_in"] == appts["on_time"] + appts["late"]
    assert appts["checked_in"] + appts["no_show"] <= appts["booked"]
    assert mobile["issued"] > 0 and 0 < mobile["three_away_messages"] <= mobile["issued"]


@pytest.mark.slow
def test_every_hall_norm_is_checked_in_the_day(full_day):
    checked = {n["id"]: n for n in full_day["norms"]}
    assert [nid for nid in HALL_NORMS if checked[nid]["checked"] == 0] == []
    assert 0 < checked["HAL-08"]["kept"] < checked["HAL-08"]["checked"]  # some replies late


@pytest.mark.slow
def test_the_hall_report_shows_peaks_abandonment_and_no_shows(full_day):
    hall = full_day["hall"]
    assert hall["abandoned"] > 0 and hall["no_shows"] > 0
    assert hall["outcomes"]["abandoned"] == hall["abandoned"]
    assert sum(hall["timeline"]["issued"]) == hall["tickets"]
    assert sum(hall["timeline"]["abandoned"]) == hall["abandoned"]
    assert hall["peaks"] and len(hall["peaks"]) == hall["peak_alerts"]
    for peak in hall["peaks"]:
        assert peak["raised_at"] <= (peak["acted_at"] or peak["raised_at"])
    assert {"counter", "self_service"} <= set(hall["triage"])
    assert len(hall["complaints"]) == 4 and len(hall["handovers"]) == 1
    assert hall["playbooks"][0]["kind"] == "customer taken ill"


@pytest.mark.slow
def test_every_status_change_of_the_day_is_audited_in_an_intact_chain(full_day):
    sec02 = next(n for n in full_day["norms"] if n["id"] == "SEC-02")
    assert sec02["checked"] > 1000
    assert sec02["kept"] == sec02["checked"]
    audit = full_day["summary"]["audit"]
    assert audit["intact"] is True and audit["rows"] > sec02["checked"]


@pytest.mark.slow
def test_the_admin_has_a_chinese_name_for_every_code_the_day_stored(full_day_dir):
    """Audit actions and timer kinds are codes in the rows; the admin shows their names."""
    from guifan.apps.audit.labels import ACTIONS
    from guifan.apps.timers.registry import LABELS

    with sqlite3.connect(full_day_dir / "var" / "demo.sqlite3") as db:
        actions = {a for (a,) in db.execute("SELECT DISTINCT action FROM audit_auditentry")}
        kinds = {k for (k,) in db.execute("SELECT DISTINCT kind FROM timers_timer")}
    assert len(actions) > 30 and len(kinds) > 15
    assert actions <= set(ACTIONS), actions - set(ACTIONS)
    assert kinds <= set(LABELS), kinds - set(LABELS)


@pytest.mark.slow
def test_every_reason_the_day_recorded_reads_in_both_languages(full_day_dir):
    """Verdict reasons are coded messages (``guifan.norms.reasons``): each ledger row's code
    renders to exactly the stored Chinese, and to English for the English pages; a refused
    attempt remembered from an error keeps the error's code, which has its English text."""
    from guifan.apps.web.error_en import ENGLISH
    from guifan.norms.punct import has_cjk
    from guifan.norms.reasons import LABELS, OWN_TEXT, reason_text

    with sqlite3.connect(full_day_dir / "var" / "demo.sqlite3") as db:
        rows = db.execute("SELECT norm_id, reason, detail FROM norms_normcheck WHERE reason != ''")
        every = [(norm, reason, json.loads(detail)) for norm, reason, detail in rows]
    refusals = [d for _, _, d in every if "msg" not in d and "refusal" in d]
    assert {d["code"] for d in refusals} <= set(ENGLISH)
    checks = [(n, r, d) for n, r, d in every if "msg" in d]
    assert len(checks) > 1000
    uncoded = sorted({(n, r) for n, r, d in every if "msg" not in d and "refusal" not in d})
    assert not uncoded, uncoded[:20]
    wrong = [
        (n, r, d["msg"])
        for n, r, d in checks
        if reason_text(d["msg"], d["args"], "zh") != r[:300] and len(r) < 300
    ]
    assert not wrong, wrong[:20]
    assert all(reason_text(d["msg"], d["args"], "en") is not None for _, _, d in checks)
    # A Chinese argument is a code's label (LABELS), a text given in both languages, a
    # refusal's message with its error code (English from the refusal table), or the own
    # text of a person, place or catalogue row (OWN_TEXT): never a hidden sentence.
    chinese_args = {
        (d["msg"], name)
        for _, _, d in checks
        for name, value in d["args"].items()
        if has_cjk(str(_english(value)))
        and name not in LABELS
        and not (name == "message" and d["args"].get("error_code") in ENGLISH)
    }
    assert {name for _, name in chinese_args} <= OWN_TEXT, sorted(chinese_args)
    unlabelled = {
        (d["msg"], name, str(v))
        for _, _, d in checks
        for name, value in d["args"].items()
        if name in LABELS
        for v in (value if isinstance(value, list) else [value])
        # a code, a score: as stored; a text in both languages shows the reader's
        if not isinstance(v, dict) and str(v) not in LABELS[name] and has_cjk(str(v))
    }
    # Known: a dialect the customer asked for is stored as its name ("方言:四川话").
    unlabelled = {(m, n, v) for m, n, v in unlabelled if not v.startswith("方言:")}
    assert not unlabelled, sorted(unlabelled)[:20]
    # The stored Chinese never shows a code: an argument that reads as one (``counter``,
    # ``listen fully``, ``at_home_contact_phone``) needs a label table.
    codes = sorted(
        {
            (d["msg"], name, v)
            for _, _, d in checks
            for name, value in d["args"].items()
            if name not in LABELS and name not in OWN_TEXT
            for v in (value if isinstance(value, list) else [value])
            if isinstance(v, str) and re.fullmatch(r"[a-z][a-z_ /-]{2,}", v)
        }
    )
    assert not codes, codes[:20]


def _english(value: object) -> object:
    """An argument as the English page shows it (a text given in both languages: its English)."""
    if isinstance(value, dict):
        return value.get("en", value)
    if isinstance(value, list):
        return [_english(v) for v in value]
    return value


@pytest.mark.slow
def test_the_day_has_the_promised_scale(full_day):
    s = full_day["summary"]
    assert s["technicians"] == 40
    assert s["intake_created"] + sum(s["intake_rejected"].values()) >= 440
    assert s["intake_repeats"] > 0  # duplicate deliveries returned the same order
    assert s["visits"] > 100
    # Besides the upstream intake, a move's old-site removal (ORD-10) and the care plans'
    # visits are orders too.
    removals = [o for o in full_day["orders"] if o["kind"] == "removal"]
    assert removals and all(o["number"].endswith("-R") for o in removals)
    assert len(full_day["orders"]) - len(removals) >= s["intake_created"]


@pytest.mark.slow
def test_the_same_seed_gives_the_same_day(tmp_path, full_day):
    proc = run_demo(tmp_path, "7")
    assert proc.returncode == 0, proc.stderr[-3000:]
    again = json.loads((tmp_path / "out" / "report.json").read_text("utf-8"))
    assert again == full_day


def test_a_seed_that_is_not_a_number_is_refused():
    result = CliRunner().invoke(app, ["demo", "--seed", "abc"])
    assert result.exit_code == 2
    assert "--seed" in result.output


# Norms the call centre measures by the customer's own voice (issue 14, points 1-3 and 9).
CALLBACK_NORMS = (
    "STF-01", "STF-02", "STF-03", "STF-05", "STF-06", "VIS-05", "VIS-06", "VIS-10", "VIS-12",
    "VIS-16", "VIS-19", "SEC-04", "SEC-05", "SEC-06", "LNG-04", "LNG-05", "LNG-07",
    "QA-01", "QA-06", "QA-07", "QA-08", "ORD-03",
)  # fmt: skip


@pytest.mark.slow
def test_the_call_centre_works_callbacks_and_audits_from_what_really_happened(full_day):
    """Callbacks answered by customers whose answers follow the visit's hidden truth; the
    product's rules turn each answer into a verdict (issue 14)."""
    qc = full_day["quality_centre"]
    assert qc["callbacks_due"] > 0 and qc["answered_on_time"] > 0 and qc["audits"] > 0
    norms = {n["id"]: n for n in full_day["norms"]}
    assert [nid for nid in CALLBACK_NORMS if norms[nid]["checked"] == 0] == []
    # Late callbacks and lapses the customer noticed break; the rest keep.
    for nid in ("QA-01", "QA-08", "ORD-03", "VIS-05"):
        assert 0 < norms[nid]["kept"] < norms[nid]["checked"], nid


@pytest.mark.slow
def test_star_levels_come_from_the_crm_and_entitlements_meet_their_quotas(full_day):
    norms = {n["id"]: n for n in full_day["norms"]}
    # STAR-01: every level derived from the CRM's rows; the CRM's own wrong levels break it.
    assert 0 < norms["STAR-01"]["kept"] < norms["STAR-01"]["checked"]
    # STAR-02: free uses within quota, refusals beyond it or below the level, some paid.
    assert norms["STAR-02"]["kept"] > 0 and norms["STAR-02"].get("refused", 0) > 0
    used = full_day["hall"]["stars"]["entitlements"]
    assert used["free"] > 0 and used["charged"] > 0 and used["refused"] > 0


@pytest.mark.slow
def test_the_quality_centre_assesses_staff(full_day):
    """STF-04 (refused assignments recorded), STF-06 (partner sanctions), STF-07 (inspection)
    and QA-08 (coaching after the morning meeting) are checked; the scorecard is summarised."""
    norms = {n["id"]: n for n in full_day["norms"]}
    for norm in ("STF-04", "STF-06", "STF-07", "QA-08"):
        assert norms[norm]["checked"] > 0, norm
    assert norms["STF-04"]["kept"] < norms["STF-04"]["checked"]  # the untrained technician
    qc = full_day["quality_centre"]
    assert qc["stf04"]["refused"] > 0
    cards = qc["scorecards"]
    assert cards["teams"] == 8 and cards["best_teams"] and cards["worst_teams"]
    assert 1 <= cards["satisfaction_mean"] <= 5
    assert qc["partner_sanctions"][0] == "经济处罚"


@pytest.mark.slow
def test_the_counter_keeps_and_breaks_sec03(full_day):
    """SEC-03 from what the clerks recorded: inquiries asked for ID break it, transactions
    started before the real-name check are refused (remembered), the rest keep it."""
    sec03 = {n["id"]: n for n in full_day["norms"]}["SEC-03"]
    assert 0 < sec03["kept"] < sec03["checked"] and sec03.get("refused", 0) > 0


@pytest.mark.slow
def test_hal04_verifications_read_the_record(full_day):
    """Star walk-ins give a phone or member card; staff verify from the record, mismatches
    between claim and record are recorded; HAL-04 counts nothing else."""
    v = full_day["hall"]["verifications"]
    assert v["count"] > 0 and v["from_record"] > 0 and 0 < v["mismatches"] < v["count"]
    hal04 = next(n for n in full_day["norms"] if n["id"] == "HAL-04")
    assert hal04["checked"] == v["count"] + v["refused"]


@pytest.mark.slow
def test_the_counter_completes_transactions_and_guides_out_of_authority(full_day):
    """HAL-13 refused when a key term is forgotten, broken when cash is not called out;
    HAL-12 kept after coordinating, broken when guided away without it (issue 15)."""
    norms = {n["id"]: n for n in full_day["norms"]}
    for nid in ("HAL-12", "HAL-13"):
        assert 0 < norms[nid]["kept"] < norms[nid]["checked"], nid
    assert norms["HAL-13"].get("refused", 0) > 0
    tx = full_day["hall"]["transactions"]
    assert tx["count"] > 50 and tx["signatures"] == tx["count"] and tx["receipts"] > 0
    assert tx["refused_hal13"] > 0 and tx["out_of_authority"] > 0
    assert 0 < tx["guided_with_coordination"] < tx["out_of_authority"]
