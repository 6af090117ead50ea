"""Customer-side exceptions of a visit (seed 003): guided branches, verdicts, centre, next state."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from guifan.apps.accounts.services import api_token_create
from guifan.apps.care.exception_table import exception_table
from guifan.apps.fieldwork.services.exceptions import visit_exception_record
from guifan.apps.norms.models import NormCheck
from guifan.apps.orders import services as orders
from guifan.apps.orders.models import OrderEvent
from guifan.apps.workforce.models import Technician
from guifan.errors import Conflict, NotFound, ValidationFailed
from tests.apps.fieldwork.visits import field_user, field_visit, on_site

pytestmark = pytest.mark.django_db

REFUSED = {
    "reason": "怀疑身份",
    "badge_shown": True,
    "hotline_given": True,
    "new_time_agreed": True,
}
THREAT = {
    "what": "threatened",
    "injured": False,
    "no_confrontation": True,
    "left_safely": True,
    "centre_called": True,
}


def checks(order, norm):
    return list(NormCheck.objects.filter(order=order, norm_id=norm).values_list("kept", flat=True))


def actions(order):
    return list(OrderEvent.objects.filter(order=order).values_list("action", flat=True))


def record(user, order, kind, answers):
    out = visit_exception_record(
        order_id=order.id, kind=kind, answers=answers, by=user, expected_version=order.version
    )
    order.refresh_from_db()
    return out


@pytest.fixture
def visit(clock):
    user = field_user()
    return user, on_site(user, field_visit(user))


def test_the_table_holds_the_six_kinds_of_the_seed():
    table = exception_table()
    assert list(table.kinds) == [
        "refused_entry",
        "nanny_or_child",
        "power_cut",
        "compensation_demand",
        "staff_detained",
        "abused_threatened",
    ]
    assert [k.kind for k in table.kinds.values() if k.safety] == [
        "staff_detained",
        "abused_threatened",
    ]
    assert table.kinds["power_cut"].title == "客户家临时停电"


def test_refused_entry_goes_back_to_the_desk_and_calls_the_centre(visit):
    user, order = visit
    out = record(user, order, "refused_entry", REFUSED)
    assert (out.next, order.status) == ("await_appointment", "awaiting_appointment")
    assert out.centre_called and not out.flagged
    assert checks(order, "VIS-04")[-1] is True and checks(order, "APT-06") == [True]
    assert {"field_exception", "centre_call", "await_appointment"} <= set(actions(order))
    event = OrderEvent.objects.get(order=order, action="field_exception")
    assert event.detail["steps"] == {
        "badge_shown": True,
        "hotline_given": True,
        "new_time_agreed": True,
    }
    assert event.detail["answers"] == {"reason": "怀疑身份"}


def test_a_badge_not_shown_breaks_vis_04_and_no_consent_records_no_apt_06(visit):
    user, order = visit
    record(
        user, order, "refused_entry", {**REFUSED, "badge_shown": False, "new_time_agreed": False}
    )
    assert checks(order, "VIS-04")[-1] is False
    assert checks(order, "APT-06") == []


def test_the_desk_rebooks_after_an_exception(visit):
    user, order = visit
    record(user, order, "power_cut", {"consent_obtained": True, "contact_left": True})
    appt = orders.appointment_book(
        order_id=order.id, by=None, day=dt.date(2025, 6, 4), half_day="am"
    )
    order.refresh_from_db()
    assert order.status == "scheduled" and appt.date == dt.date(2025, 6, 4)


def test_power_cut_reschedules_without_calling_the_centre(visit):
    user, order = visit
    out = record(user, order, "power_cut", {"consent_obtained": True, "contact_left": False})
    assert order.status == "awaiting_appointment" and not out.centre_called
    assert "centre_call" not in actions(order)


def test_met_at_the_door_while_en_route_the_technician_arrives_first(clock):
    user = field_user()
    order = field_visit(user)
    from guifan.apps.fieldwork.services import field_trip_step

    field_trip_step(order_id=order.id, action="depart", expected_version=order.version, by=user)
    order.refresh_from_db()
    record(user, order, "refused_entry", REFUSED)
    assert order.status == "awaiting_appointment"
    assert actions(order).index("arrive") < actions(order).index("field_exception")


def test_a_nanny_with_the_customers_consent_lets_the_visit_go_on(visit):
    user, order = visit
    answers = {"who": "nanny", "customer_confirmed": True, "badge_shown": True, "owner_asked": True}
    out = record(user, order, "nanny_or_child", answers)
    assert (out.next, order.status) == ("continue", "on_site")


def test_an_answer_outside_the_choices_is_refused_naming_them_in_chinese(visit):
    user, order = visit
    answers = {"who": "robot", "customer_confirmed": True, "badge_shown": True}
    with pytest.raises(ValidationFailed) as exc:
        record(user, order, "nanny_or_child", {**answers, "owner_asked": True})
    assert (exc.value.field, exc.value.message) == ("answers.who", "在家的是谁：可选保姆等、儿童")


def test_a_nanny_without_consent_sends_the_order_back_to_the_desk(visit):
    user, order = visit
    answers = {
        "who": "nanny",
        "customer_confirmed": False,
        "badge_shown": True,
        "owner_asked": True,
    }
    assert record(user, order, "nanny_or_child", answers).next == "await_appointment"
    assert order.status == "awaiting_appointment"


def test_a_child_alone_is_never_served_and_the_guardian_rule_is_checked(visit):
    user, order = visit
    answers = {
        "who": "child",
        "customer_confirmed": True,
        "badge_shown": True,
        "owner_asked": True,
        "no_entry_with_child": True,
    }
    assert record(user, order, "nanny_or_child", answers).next == "await_appointment"
    assert checks(order, "SEC-06") == [True]


def test_a_child_alone_needs_the_no_entry_step_answered(visit):
    user, order = visit
    answers = {"who": "child", "customer_confirmed": True, "badge_shown": True, "owner_asked": True}
    with pytest.raises(ValidationFailed) as err:
        record(user, order, "nanny_or_child", answers)
    assert err.value.field == "answers.no_entry_with_child"


def test_a_compensation_demand_continues_the_visit_and_escalates(visit):
    user, order = visit
    answers = {"claim": "地板划伤", "apologised": True, "no_promise": True, "centre_reported": True}
    out = record(user, order, "compensation_demand", answers)
    assert (out.next, order.status) == ("continue", "on_site")
    assert out.centre_called and out.flagged
    assert checks(order, "QA-05") == [True] and checks(order, "QA-03") == [True]
    flag = OrderEvent.objects.get(order=order, action="quality_flag")
    assert flag.detail["technician_safety"] is False


def test_a_threat_abandons_the_visit_and_flags_the_technicians_safety(visit):
    user, order = visit
    out = record(user, order, "abused_threatened", THREAT)
    assert (out.next, order.status) == ("abandon", "awaiting_appointment")
    flag = OrderEvent.objects.get(order=order, action="quality_flag")
    assert flag.detail == {
        "kind": "abused_threatened",
        "technician_safety": True,
        "technician": order.technician.badge_no,
        "injured": False,
        "msg": "event.field_exception",
        "args": {"field_exception": "abused_threatened"},
    }
    assert flag.reason == "现场异常：服务人员遭辱骂、殴打或威胁"
    moved = OrderEvent.objects.filter(order=order, action="await_appointment").last()
    assert moved is not None
    assert moved.detail["abandoned"] is True and moved.reason.startswith("安全原因中止上门")
    assert checks(order, "SEC-06") == [True]
    assert OrderEvent.objects.filter(order=order, action="centre_call").count() == 1


def test_staying_under_threat_breaks_sec_06(visit):
    user, order = visit
    record(user, order, "abused_threatened", {**THREAT, "left_safely": False})
    assert checks(order, "SEC-06") == [False]


def test_detained_staff_abandon_the_visit(visit):
    user, order = visit
    answers = {
        "held": "tools",
        "no_confrontation": True,
        "centre_called": True,
        "left_safely": True,
    }
    assert record(user, order, "staff_detained", answers).next == "abandon"
    assert order.status == "awaiting_appointment"


def test_an_unknown_kind_is_refused_naming_the_field(visit):
    user, order = visit
    with pytest.raises(ValidationFailed) as err:
        record(user, order, "flood", {})
    assert err.value.field == "kind"
    assert "field_exception" not in actions(order)


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({k: v for k, v in REFUSED.items() if k != "reason"}, "answers.reason"),
        ({**REFUSED, "reason": "  "}, "answers.reason"),
        ({k: v for k, v in REFUSED.items() if k != "badge_shown"}, "answers.badge_shown"),
        ({**REFUSED, "badge_shown": "yes"}, "answers.badge_shown"),
        ({**REFUSED, "reason": "x" * 201}, "answers.reason"),
    ],
)
def test_a_missing_or_bad_answer_is_refused_naming_it(visit, answers, field):
    user, order = visit
    with pytest.raises(ValidationFailed) as err:
        record(user, order, "refused_entry", answers)
    assert err.value.field == field
    order.refresh_from_db()
    assert order.status == "on_site" and "field_exception" not in actions(order)


def test_a_choice_outside_the_table_is_refused(visit):
    user, order = visit
    with pytest.raises(ValidationFailed) as err:
        record(user, order, "abused_threatened", {**THREAT, "what": "shouted"})
    assert err.value.field == "answers.what"


def test_an_order_not_at_the_customer_is_a_conflict(clock):
    user = field_user()
    order = field_visit(user)  # dispatched, not under way
    with pytest.raises(Conflict) as err:
        record(user, order, "power_cut", {"consent_obtained": True, "contact_left": True})
    assert err.value.code == "visit.not_on_site"
    assert "field_exception" not in actions(order)


def test_a_stale_version_is_a_conflict(visit):
    user, order = visit
    with pytest.raises(Conflict):
        visit_exception_record(
            order_id=order.id,
            kind="power_cut",
            answers={"consent_obtained": True, "contact_left": True},
            by=user,
            expected_version=order.version - 1,
        )


def test_another_technicians_order_is_not_found(visit):
    _, order = visit
    other = field_user("tech2")
    with pytest.raises(NotFound):
        record(other, order, "power_cut", {"consent_obtained": True, "contact_left": True})
    order.refresh_from_db()
    assert order.status == "on_site"
    assert Technician.objects.count() == 2


def api(user):
    token = api_token_create(user=user, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def post(user, order, body):
    return Client().post(
        f"/api/v1/visits/{order.id}/exceptions",
        data=json.dumps(body, ensure_ascii=False),
        content_type="application/json",
        **api(user),
    )


def test_the_api_records_an_exception(visit):
    user, order = visit
    resp = post(
        user, order, {"kind": "refused_entry", "answers": REFUSED, "version": order.version}
    )
    assert resp.status_code == 200, resp.content
    body = resp.json()
    assert body["status"] == "awaiting_appointment" and body["next"] == "await_appointment"
    assert {"norm": "APT-06", "kept": True} in [
        {"norm": v["norm"], "kept": v["kept"]} for v in body["verdicts"]
    ]


def test_the_api_names_a_missing_answer(visit):
    user, order = visit
    resp = post(user, order, {"kind": "refused_entry", "answers": {}, "version": order.version})
    assert resp.status_code == 422
    assert resp.json()["field"] == "answers.reason"


def test_the_api_serves_the_table_for_the_app(visit):
    user, _ = visit
    resp = Client().get("/api/v1/visits/exception-kinds", **api(user))
    assert resp.status_code == 200
    body = resp.json()
    assert body["centre_hotline"] == "10000"
    kinds = {k["kind"]: k for k in body["kinds"]}
    assert kinds["abused_threatened"]["safety"] is True
    assert [s["id"] for s in kinds["power_cut"]["steps"]] == ["consent_obtained", "contact_left"]


def test_the_reasons_name_each_exception_as_the_table_does():
    """The English of an exception's title and centre request lives in guifan.norms.reasons;
    its Chinese there must stay the table's own (care/field_exceptions.json)."""
    import json
    from importlib import resources

    from guifan.norms.reasons import LABELS

    table = json.loads(
        resources.files("guifan.apps.care").joinpath("field_exceptions.json").read_text("utf-8")
    )
    for kind in table["kinds"]:
        assert LABELS["field_exception"][kind["kind"]].zh == kind["title"]
        if kind.get("centre_reason"):
            assert LABELS["centre_call"][kind["kind"]].zh == kind["centre_reason"]
