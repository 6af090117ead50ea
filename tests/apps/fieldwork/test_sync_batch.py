"""The offline batch: tap times, order of application, skipped followers and bad input."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image

from guifan.apps.fieldwork import services
from guifan.apps.fieldwork.checklist import checklist_for
from guifan.apps.fieldwork.models import (
    StepRecord,
    SyncAction,
    VisitPhoto,
    VisitRating,
    VisitSignature,
)
from guifan.apps.fieldwork.taptime import MAX_AGE, SKEW, tap_time_check, tap_time_parse
from guifan.apps.orders.models import OrderEvent, WorkOrder
from guifan.clock import at_local
from guifan.errors import ValidationFailed
from tests.apps.fieldwork.visits import MON, field_user, field_visit, on_site
from tests.visits import good_evidence

pytestmark = pytest.mark.django_db


def picture(fmt: str = "JPEG", size: tuple[int, int] = (32, 24), mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, format=fmt)
    return out.getvalue()


def iso(hhmm: str) -> str:
    return at_local(MON, hhmm).isoformat()


def en_route(user, order) -> WorkOrder:
    services.field_trip_step(
        order_id=order.id, action="depart", expected_version=order.version, by=user
    )
    order.refresh_from_db()
    return order


class Batch:
    """Actions of one order, all on the version the phone showed, keys a1, a2, ..."""

    def __init__(self, order: WorkOrder) -> None:
        self.order, self.actions = order, []

    def add(self, kind: str, hhmm: str | None = None, **fields) -> dict:
        action = {"key": f"a{len(self.actions) + 1}", "kind": kind, "order": self.order.id}
        action |= {"version": self.order.version, **fields}
        if hhmm is not None:
            action["at"] = iso(hhmm)
        self.actions.append(action)
        return action


def statuses(results) -> list[str]:
    return [r["status"] for r in results]


def mandatory(order) -> list:
    steps = checklist_for(service_type=order.service_type, kind=order.kind)
    return [s for s in steps if s.mandatory and s.norm_id != "VIS-18"]


LABEL = {"broadband_number": "028123456789", "user_name": "cd12345678", "initial_password": "Ab1"}


# The pure rule -------------------------------------------------------------------------------


def test_the_tap_time_is_kept_between_the_last_change_and_now():
    now, since = at_local(MON, "10:30"), at_local(MON, "10:00")
    assert tap_time_check(at_local(MON, "10:10"), now=now, since=since) == at_local(MON, "10:10")
    # A phone clock a little fast or slow is recorded at the nearest possible time.
    assert tap_time_check(now + SKEW, now=now, since=since) == now
    assert tap_time_check(since - SKEW, now=now, since=since) == since


@pytest.mark.parametrize(
    ("at", "since", "says"),
    [
        ("10:33", "10:00", "晚于服务器时间"),
        ("10:01", "10:05", "早于工单上次状态变更（10:05:00）"),
    ],
)
def test_a_tap_time_out_of_bounds_is_refused_naming_at(at, since, says):
    with pytest.raises(ValidationFailed) as exc:
        tap_time_check(at_local(MON, at), now=at_local(MON, "10:30"), since=at_local(MON, since))
    assert exc.value.field == "at" and says in exc.value.message


def test_a_tap_older_than_the_max_age_is_refused():
    now = at_local(MON, "22:00")
    with pytest.raises(ValidationFailed) as exc:
        tap_time_check(now - MAX_AGE - dt.timedelta(seconds=1), now=now, since=None)
    assert exc.value.field == "at"


@pytest.mark.parametrize("value", ["yesterday", "2025-06-02T10:00:00", 1717300000, "9" * 41])
def test_a_tap_time_without_zone_or_not_iso_is_refused(value):
    with pytest.raises(ValidationFailed) as exc:
        tap_time_parse(value)
    assert exc.value.field == "at"


def test_javascript_iso_times_parse_as_utc():
    assert tap_time_parse("2025-06-02T02:12:00.000Z") == at_local(MON, "10:12")
    assert tap_time_parse(None) is None


# The batch -----------------------------------------------------------------------------------


def test_a_whole_visit_in_one_batch_applies_in_order_at_the_tap_times(clock):
    user = field_user()
    order = en_route(user, field_visit(user))
    clock.set(at_local(MON, "10:40"))
    batch = Batch(order)
    batch.add("arrive", "10:12")
    steps = mandatory(order)
    norms = [s.norm_id for s in steps]
    for i, step in enumerate(steps):
        fields: dict = {"norm": step.norm_id, "outcome": "done"}
        if step.evidence == "modem_label":
            # The label's photo is taken in the step's own form: a part of the batch.
            fields |= {"evidence": LABEL, "file": "label", "attachment": "photo_id"}
        elif step.evidence:
            fields["evidence"] = good_evidence(step.evidence, order, user)
        batch.add("step", f"10:{13 + i}", **fields)
    files = {"p1": picture(), "s1": picture("PNG", (320, 160)), "label": picture("PNG")}
    batch.add("photo", "10:20", file="p1")
    batch.add("signature", "10:21", file="s1")
    batch.add("rating", "10:22", score=4, comment="准时")
    batch.add("complete", "10:23")
    results = services.sync_apply(actions=batch.actions, by=user, files=files)
    assert statuses(results) == ["ok"] * len(batch.actions), results
    order.refresh_from_db()
    assert order.status == "completed"
    events = dict(OrderEvent.objects.filter(order=order).values_list("action", "at"))
    assert events["arrive"] == at_local(MON, "10:12")
    assert events["complete"] == order.completed_at == at_local(MON, "10:23")
    for i, norm in enumerate(norms):
        assert StepRecord.objects.get(order=order, norm_id=norm).at == at_local(MON, f"10:{13 + i}")
    photo = VisitPhoto.objects.get(order=order, norm_id="")
    assert (photo.at, photo.content_type) == (at_local(MON, "10:20"), "image/jpeg")
    label = VisitPhoto.objects.get(order=order, norm_id="VIS-13")
    assert StepRecord.objects.get(order=order, norm_id="VIS-13").evidence["photo_id"] == label.id
    assert VisitSignature.objects.get(order=order).at == at_local(MON, "10:21")
    assert VisitRating.objects.get(order=order).at == at_local(MON, "10:22")
    # Sent again (the answer was lost): each key answers as before, nothing twice.
    again = services.sync_apply(actions=batch.actions, by=user, files=files)
    assert statuses(again) == statuses(results)
    assert VisitPhoto.objects.filter(order=order).count() == 2


def test_one_malformed_action_is_refused_and_the_rest_apply(clock):
    user = field_user()
    order = on_site(user, field_visit(user))
    batch = Batch(order)
    batch.add("step", "10:00", norm="VIS-02", outcome="done")
    batch.add("step", norm="VIS-05", outcome="done", at="yesterday")
    batch.add("dance", "10:00")
    batch.add("step", "10:00", norm="VIS-06", outcome="done", evidence="not an object")
    batch.add("step", "10:00", norm="VIS-04", outcome="done")
    results = services.sync_apply(actions=[*batch.actions[:2], 7, *batch.actions[2:]], by=user)
    assert statuses(results) == ["ok", "error", "error", "error", "error", "ok"]
    assert [r["field"] for r in results[1:5]] == ["at", None, "kind", "evidence"]
    done = set(StepRecord.objects.filter(order=order).values_list("norm_id", flat=True))
    assert done == {"VIS-02", "VIS-04"}
    # A refused input is not remembered: the same key, corrected, applies.
    fixed = {**batch.actions[1], "at": iso("10:00")}
    assert statuses(services.sync_apply(actions=[fixed], by=user)) == ["ok"]


def test_a_time_before_the_last_state_change_refuses_the_arrival_and_skips_its_followers(clock):
    user = field_user()
    order = en_route(user, field_visit(user))  # departed at 10:00
    clock.set(at_local(MON, "10:30"))
    batch = Batch(order)
    batch.add("arrive", "09:50")
    batch.add("step", "10:12", norm="VIS-02", outcome="done")
    results = services.sync_apply(actions=batch.actions, by=user)
    assert statuses(results) == ["error", "skipped"]
    assert results[0]["field"] == "at" and "早于工单上次状态变更" in results[0]["message"]
    assert "a1" in results[1]["message"]
    order.refresh_from_db()
    assert order.status == "en_route" and not StepRecord.objects.exists()


def test_a_time_after_the_server_time_is_refused(clock):
    user = field_user()
    order = on_site(user, field_visit(user))
    batch = Batch(order)
    batch.add("step", "10:05", norm="VIS-02", outcome="done")
    batch.add("step", "10:00", norm="VIS-04", outcome="done")
    results = services.sync_apply(actions=batch.actions, by=user)
    assert statuses(results) == ["error", "ok"]
    assert results[0]["field"] == "at"


def test_a_conflict_skips_the_later_actions_of_that_order_only(clock):
    user = field_user()
    order = on_site(user, field_visit(user, window="10:40"))
    other = on_site(user, field_visit(user, window="14:00", arrival="13:50", departure="13:20"))
    # The phone saw the order before a change made elsewhere (its version is behind).
    order.version -= 1
    batch, elsewhere = Batch(order), Batch(other)
    batch.add("step", "10:00", norm="VIS-02", outcome="done")
    elsewhere.add("step", "10:00", norm="VIS-02", outcome="done")
    batch.add("step", "10:00", norm="VIS-05", outcome="done")
    batch.add("rating", "10:00", score=5)
    actions = [batch.actions[0], elsewhere.actions[0], *batch.actions[1:]]
    for i, action in enumerate(actions):
        action["key"] = f"k{i}"
    results = services.sync_apply(actions=actions, by=user)
    assert statuses(results) == ["conflict", "ok", "skipped", "skipped"]
    assert "已被他人修改" in results[0]["message"]
    assert not StepRecord.objects.filter(order=order).exists()
    assert StepRecord.objects.filter(order=other).count() == 1
    assert not VisitRating.objects.exists()
    assert not SyncAction.objects.filter(key__in=["k2", "k3"]).exists()


def test_a_refused_step_stands_alone_and_later_evidence_still_applies(clock):
    user = field_user()
    order = on_site(user, field_visit(user))
    batch = Batch(order)
    batch.add("step", "10:00", norm="VIS-08", outcome="done")  # VIS-04 gate not passed
    batch.add("rating", "10:00", score=5)
    results = services.sync_apply(actions=batch.actions, by=user)
    assert statuses(results) == ["error", "ok"]
    assert "VIS-04" in results[0]["message"]


# Pictures ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "请上传 JPEG、PNG、WebP 图片"),
        (b"\xff\xd8\xff\xe0 not really a jpeg", "损坏或无法识别"),
        (picture("JPEG", (200, 200))[:300], "损坏或无法识别"),
        (picture("GIF", (8, 8), "P"), "请上传 JPEG、PNG、WebP 图片"),
        (b"%PDF-1.4 a document", "请上传 JPEG、PNG、WebP 图片"),
        (picture("PNG", (10_000, 6_000), "1"), "图片像素过多"),
    ],
    ids=["png-magic-only", "jpeg-magic-only", "truncated-jpeg", "gif", "pdf", "pixel-bomb"],
)
def test_a_photo_is_checked_by_decoding_it(clock, data, says):
    user = field_user()
    order = on_site(user, field_visit(user))
    batch = Batch(order)
    batch.add("photo", "10:00", file="p")
    batch.add("rating", "10:00", score=5)
    results = services.sync_apply(actions=batch.actions, by=user, files={"p": data})
    assert statuses(results) == ["error", "ok"]
    assert results[0]["field"] == "photo" and says in results[0]["message"]
    assert not VisitPhoto.objects.exists()


def test_a_photo_over_the_byte_limit_is_refused(clock, settings):
    settings.GUIFAN_FIELD_PHOTO_MAX_BYTES = 1024 * 1024
    user = field_user()
    order = on_site(user, field_visit(user))
    big = picture("PNG", (1200, 1200)) + b"\x00" * (1024 * 1024)
    batch = Batch(order)
    batch.add("photo", "10:00", file="p")
    results = services.sync_apply(actions=batch.actions, by=user, files={"p": big})
    assert results[0]["field"] == "photo" and "不能超过 1 MB" in results[0]["message"]
    assert not VisitPhoto.objects.exists()


def test_a_photo_without_its_part_and_a_signature_that_is_not_a_png_are_refused(clock):
    user = field_user()
    order = on_site(user, field_visit(user))
    batch = Batch(order)
    batch.add("photo", "10:00", file="missing")
    batch.add("signature", "10:00", file="s")
    results = services.sync_apply(actions=batch.actions, by=user, files={"s": picture()})
    assert [r["field"] for r in results] == ["photo", "signature"]
    assert statuses(results) == ["error", "error"]
    assert not VisitSignature.objects.exists()


def test_a_webp_photo_is_stored_with_its_decoded_type(clock):
    user = field_user()
    order = on_site(user, field_visit(user))
    batch = Batch(order)
    batch.add("photo", "10:00", file="p", norm="VIS-13")
    results = services.sync_apply(actions=batch.actions, by=user, files={"p": picture("WEBP")})
    assert statuses(results) == ["ok"]
    photo = VisitPhoto.objects.get(order=order)
    assert (photo.content_type, photo.norm_id) == ("image/webp", "VIS-13")


def test_a_step_picture_is_decoded_and_its_key_known(clock):
    user = field_user()
    order = on_site(user, field_visit(user))
    batch = Batch(order)
    batch.add("step", "10:00", norm="VIS-04", outcome="done")
    batch.add(
        "step",
        "10:00",
        norm="VIS-13",
        outcome="done",
        evidence=LABEL,
        file="l",
        attachment="photo_id",
    )
    batch.add(
        "step",
        "10:00",
        norm="VIS-13",
        outcome="done",
        evidence=LABEL,
        file="l",
        attachment="anything_id",
    )
    results = services.sync_apply(actions=batch.actions, by=user, files={"l": b"\x89PNG junk"})
    assert statuses(results) == ["ok", "error", "error"]
    assert [r["field"] for r in results[1:]] == ["photo", "attachment"]
    assert not VisitPhoto.objects.exists()


def test_completing_offline_without_the_checklist_is_refused_and_the_attempt_recorded(clock):
    from guifan.apps.norms.models import NormCheck

    user = field_user()
    order = en_route(user, field_visit(user))
    clock.set(at_local(MON, "10:40"))
    batch = Batch(order)
    batch.add("arrive", "10:12")
    batch.add("complete", "10:30")
    results = services.sync_apply(actions=batch.actions, by=user)
    assert statuses(results) == ["ok", "error"]
    assert "VIS-13" in results[1]["message"] and "VIS-17" in results[1]["message"]
    order.refresh_from_db()
    assert order.status == "on_site"
    # The refused completion rolled back with its action, yet the attempt stays on record.
    refused = NormCheck.objects.filter(order=order, norm_id="VIS-17", kept=False)
    assert refused.count() == 1
