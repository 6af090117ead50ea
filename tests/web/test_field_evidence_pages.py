"""The visit page records each norm's evidence and completes only with the checklist whole."""

from __future__ import annotations

import base64

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from guifan.apps.fieldwork.models import StepRecord, VisitPhoto
from guifan.apps.norms.models import NormCheck
from tests.apps.fieldwork.visits import field_user, field_visit, on_site
from tests.visits import png_bytes
from tests.web.test_field_views import client_for

pytestmark = pytest.mark.django_db


def post_step(c, order, norm, **fields):
    order.refresh_from_db()
    data = {"version": order.version, "norm": norm, "outcome": "done", **fields}
    return c.post(reverse("field:step", args=[order.id]), data)


def kept(order, norm):
    return list(
        NormCheck.objects.filter(order=order, norm_id=norm)
        .order_by("id")
        .values_list("kept", flat=True)
    )


def test_a_whole_visit_with_its_evidence_through_the_page(clock):
    user = field_user()
    order = on_site(user, field_visit(user, plan_mbps=200))
    c = client_for(user)
    page = c.get(reverse("field:visit", args=[order.id])).content.decode()
    assert "宽带编号" in page and "签约 200 Mbps" in page and "规范要求记录的内容" in page
    complete = reverse("field:complete", args=[order.id])
    r = c.post(complete, {"version": order.version})
    assert r.status_code == 422 and "VIS-13" in r.content.decode()
    assert post_step(c, order, "VIS-04").status_code == 302
    assert post_step(c, order, "VIS-08", **{"ev-boundary_explained": "on"}).status_code == 302
    label = {
        "ev-broadband_number": "028998877665",
        "ev-user_name": "cd998877",
        "ev-initial_password": "Xy778899",
        "ev-photo": SimpleUploadedFile("label.png", png_bytes(), content_type="image/png"),
    }
    assert post_step(c, order, "VIS-13", **label).status_code == 302
    assert VisitPhoto.objects.filter(order=order, norm_id="VIS-13").count() == 1
    slow = {
        "ev-web_page": "on",
        "ev-download": "on",
        "ev-email": "on",
        "ev-speed_mbps": "150",
        "ev-customer_tried": "on",
    }
    assert post_step(c, order, "VIS-14", **slow).status_code == 302
    page = c.get(reverse("field:visit", args=[order.id])).content.decode()
    assert "低于签约带宽 200 Mbps" in page
    assert post_step(c, order, "VIS-14", **{**slow, "ev-speed_mbps": "205.5"}).status_code == 302
    sheet = {
        "ev-material-0-code": "MAT-CABLE",
        "ev-material-0-qty": "2",
        "ev-technical_parameters": "光功率：-19dBm\n速率: 205M",
        "ev-cause": "皮线断裂",
        "ev-measure": "更换皮线",
        "ev-asked_what_else": "on",
    }
    assert post_step(c, order, "VIS-17", **sheet).status_code == 302
    rec = StepRecord.objects.filter(order=order, norm_id="VIS-17").last()
    assert rec.evidence["technical_parameters"] == {"光功率": "-19dBm", "速率": "205M"}
    order.refresh_from_db()
    r = c.post(complete, {"version": order.version})
    assert r.status_code == 302
    order.refresh_from_db()
    assert order.status == "completed"
    assert kept(order, "VIS-14") == [False, False, True]  # refused completion, slow test, retest


def test_a_malformed_speed_on_the_page_names_the_field(clock):
    user = field_user()
    order = on_site(user, field_visit(user))
    c = client_for(user)
    post_step(c, order, "VIS-04")
    r = post_step(c, order, "VIS-14", **{"ev-speed_mbps": "fast", "ev-web_page": "on"})
    assert r.status_code == 422
    assert "VIS-14" in r.content.decode() and "须为数字" in r.content.decode()


def test_a_label_photo_that_is_not_an_image_keeps_nothing(clock):
    user = field_user()
    order = on_site(user, field_visit(user))
    c = client_for(user)
    post_step(c, order, "VIS-04")
    label = {
        "ev-broadband_number": "028998877665",
        "ev-user_name": "cd998877",
        "ev-initial_password": "Xy778899",
        "ev-photo": SimpleUploadedFile("label.png", b"not an image", content_type="image/png"),
    }
    r = post_step(c, order, "VIS-13", **label)
    assert r.status_code == 422
    assert not VisitPhoto.objects.filter(order=order).exists()
    assert not StepRecord.objects.filter(order=order, norm_id="VIS-13").exists()


def test_disk_work_needs_the_signature_drawn_on_the_page(clock):
    user = field_user()
    order = on_site(user, field_visit(user))
    order.service_type = "appliance"
    order.save(update_fields=["service_type"])
    c = client_for(user)
    post_step(c, order, "VIS-04")
    risk = {"ev-risk_explained": "on", "ev-backup": "declined"}
    r = post_step(c, order, "VIS-09", **risk)
    assert r.status_code == 422 and "签字" in r.content.decode()
    drawn = "data:image/png;base64," + base64.b64encode(png_bytes()).decode()
    assert post_step(c, order, "VIS-09", **risk, **{"ev-signature": drawn}).status_code == 302
    assert kept(order, "VIS-09") == [False, True]
    assert VisitPhoto.objects.filter(order=order, norm_id="VIS-09").count() == 1


def test_nobody_at_the_door_from_the_page_sends_the_taps_and_the_note(clock):
    import json

    from guifan.clock import at_local
    from tests.apps.fieldwork.visits import MON

    user = field_user()
    order = on_site(user, field_visit(user))
    c = client_for(user)
    page = c.get(reverse("field:visit", args=[order.id])).content.decode()
    assert "留言并离开" in page and "每隔 30 秒重复一次" in page
    clock.set(at_local(MON, "10:50"))
    taps = [
        {"kind": "knock", "at": at_local(MON, f"10:{32 + i // 2}:{i % 2 * 30:02d}").isoformat()}
        for i in range(7)
    ]
    taps += [
        {"kind": "call", "at": at_local(MON, "10:35:40").isoformat()},
        {"kind": "neighbour", "at": at_local(MON, "10:38").isoformat()},
    ]
    data = {
        "version": order.version,
        "events": json.dumps(taps),
        "name": "张师傅",
        "phone": "13800001111",
        "left": at_local(MON, "10:40").isoformat(),
    }
    r = c.post(reverse("field:door", args=[order.id]), data)
    assert r.status_code == 302
    order.refresh_from_db()
    assert order.status == "awaiting_appointment"
    assert kept(order, "VIS-03") == [True]
    bad = c.post(reverse("field:door", args=[order.id]), {**data, "events": "not json"})
    assert bad.status_code in (409, 422)


def test_the_kit_check_on_the_route_page_gates_the_trip(clock):
    from guifan.apps.orders.services.kit import kit_items

    user = field_user()
    order = field_visit(user, kit=False)
    c = client_for(user)
    page = c.get(reverse("field:today")).content.decode()
    assert "出发前自检" in page and "鞋套" in page and "shoe covers" not in page
    r = c.post(
        reverse("field:trip", args=[order.id]), {"version": order.version, "action": "depart"}
    )
    assert r.status_code == 422 and "出发前自检未完成" in r.content.decode()
    assert kept(order, "DSP-06") == [False]  # the refused departure is on record
    keys = [str(i) for i in range(len(kit_items(order)))]  # boxes are numbered
    r = c.post(
        reverse("field:kit", args=[order.id]),
        {"version": order.version, "kit": keys[:2]},
        follow=True,
    )
    assert "仍缺" in r.content.decode() and "垃圾袋" in r.content.decode()
    r = c.post(
        reverse("field:kit", args=[order.id]), {"version": order.version, "kit": keys}, follow=True
    )
    assert "自检齐全" in r.content.decode()
    r = c.post(
        reverse("field:trip", args=[order.id]), {"version": order.version, "action": "depart"}
    )
    assert r.status_code == 302
    order.refresh_from_db()
    assert order.status == "en_route" and kept(order, "DSP-06") == [False, True]
