"""Every API operation x every role x (own object, other's object), against one table.

The operations come from the OpenAPI document, so a new endpoint without a row in
``EXPECTED`` (and a body in ``BODIES``) fails here. The answers follow the actor rule of
issue 12 (``AUTHZ``): no token -> 401; a role that may never do it -> 403; someone else's
object -> 404 with nothing changed; one's own object -> any answer but 401/403/404/5xx (a
409 or 422 from a business rule is fine: the point is who may, not whether it worked).
"""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from guifan.api import api
from guifan.apps.accounts.models import Role
from tests.authz import evaluation_objects as ev_objects
from tests.authz.callcentre_objects import callback_id, quality_agent
from tests.authz.case_objects import case_id
from tests.authz.conftest import ANONYMOUS
from tests.authz.fingerprint import changed, fingerprint
from tests.authz.hall_business_objects import business_id
from tests.authz.stock_objects import requisition_id
from tests.city import ROLES, City, Side
from tests.visits import png_bytes

pytestmark = pytest.mark.django_db

ADMIN, SYSTEM, QUALITY = Role.ADMIN, Role.SYSTEM, Role.QUALITY
DISPATCHER, TECHNICIAN = Role.DISPATCHER, Role.TECHNICIAN
HALL_STAFF, DUTY_MANAGER = Role.HALL_STAFF, Role.DUTY_MANAGER

OFFICE = frozenset({ADMIN, SYSTEM, DISPATCHER})
FIELD = OFFICE | {TECHNICIAN}
READ = FIELD | {QUALITY}
HALL = frozenset({ADMIN, SYSTEM, HALL_STAFF, DUTY_MANAGER})
EVERYONE = frozenset(ROLES)

# Who acts on every object of a scope; the others only on their own side ("own" in the city:
# the dispatcher's posted area A01, the A01 technician's assigned order, the hall of one's post).
SEES_ALL = {
    "order": frozenset({ADMIN, SYSTEM, QUALITY}),  # quality: reads and reviews every order
    "area": frozenset({ADMIN, SYSTEM}),
    "hall": frozenset({ADMIN, SYSTEM, QUALITY}),  # quality: checks every hall's conversations
    # Issue 14, evaluators: an assignment is one evaluator's queue; evaluations and disputes
    # are read by every evaluator, by the evaluated technician or hall clerk only their own.
    "assignment": frozenset({ADMIN, SYSTEM}),
    "evaluation": frozenset({ADMIN, SYSTEM, QUALITY}),
    "case": frozenset({ADMIN, SYSTEM, QUALITY}),  # the quality centre works every field case
}


@dataclass(frozen=True)
class Row:
    """Who may call an operation (``roles``) and which object decides whose it is (``scope``):
    order, area, hall, none (no object) or public (no token needed)."""

    roles: frozenset[str]
    scope: str
    other: frozenset[int] = frozenset({404})


ORD = "/api/v1/orders/{order_id}"
APT = ORD + "/appointments/{appointment_id}"
HALLS = "/api/v1/halls/{hall}"
CARE = "/api/v1/care/agreements"
VIS = "/api/v1/visits/{order_id}"
TECH = frozenset({ADMIN, TECHNICIAN})
STOCK = "/api/v1/stock"
REQ = STOCK + "/requisitions/{requisition_id}"
CB = "/api/v1/callbacks/{callback_id}"
CALLCENTRE = frozenset({ADMIN, SYSTEM, QUALITY})
EVAL = "/api/v1/evaluations"
EVALUATOR = frozenset({ADMIN, QUALITY})
EVALUATED = frozenset({ADMIN, QUALITY, TECHNICIAN, HALL_STAFF})
CASE = "/api/v1/cases/{case_id}"
QC = "/api/v1/assessment"
QC_READ = frozenset({ADMIN, SYSTEM, QUALITY, DUTY_MANAGER, DISPATCHER})
QC_RECORD = frozenset({ADMIN, SYSTEM, QUALITY})
ME = "/api/v1/technicians/me"

# AUTHZ: intake into an area the dispatcher is not posted to is "404 (422 naming address.area
# acceptable)": the same answer as for an area that does not exist.
UNKNOWN_AREA = frozenset({404, 422})

EXPECTED: dict[str, Row] = {
    "GET /api/v1/health": Row(frozenset(), "public"),
    "GET /api/v1/scripts/{moment}": Row(EVERYONE, "none"),  # AUTHZ: any authenticated role
    "POST /api/v1/orders": Row(OFFICE, "area", other=UNKNOWN_AREA),  # dispatcher: posted areas
    "GET /api/v1/orders": Row(
        READ, "none"
    ),  # filtered: test_each_role_lists_only_the_orders_it_may_see
    f"GET {ORD}": Row(READ, "order"),
    f"GET {ORD}/phone": Row(frozenset({ADMIN, DISPATCHER, TECHNICIAN}), "order"),  # SEC-01
    f"GET {ORD}/appointments": Row(READ, "order"),
    f"POST {ORD}/appointments": Row(FIELD, "order"),
    f"GET {ORD}/slots": Row(FIELD, "order"),
    f"POST {APT}/confirm": Row(FIELD, "order"),
    f"POST {APT}/reschedule": Row(FIELD, "order"),
    f"POST {APT}/cancel": Row(FIELD, "order"),
    f"POST {ORD}/customer-link": Row(OFFICE, "order"),
    f"POST {ORD}/contacts": Row(FIELD, "order"),
    f"POST {ORD}/transitions": Row(FIELD, "order"),
    f"POST {ORD}/analysis": Row(FIELD, "order"),
    f"POST {ORD}/remote": Row(FIELD, "order"),
    f"POST {ORD}/assign": Row(OFFICE, "order"),
    f"POST {ORD}/escalations": Row(FIELD, "order"),
    f"POST {ORD}/bring-back": Row(FIELD, "order"),
    f"POST {ORD}/resource-missing": Row(FIELD, "order"),
    f"POST {ORD}/transcripts": Row(FIELD | {QUALITY}, "order"),
    "POST /api/v1/dispatch/plans": Row(OFFICE, "area"),
    # Issue 18 §5: a dispatcher starts the province plan for the areas they dispatch only; the
    # progress lists their own areas' runs (filtered, test_batches / test_province_api).
    "POST /api/v1/dispatch/province-plans": Row(OFFICE, "area"),
    "GET /api/v1/dispatch/province-plans": Row(OFFICE, "none"),
    # Issue 13: the provisioning system activates (ORD-09); kit check (DSP-06); crew (ORD-11).
    "POST /api/v1/provisioning/activations": Row(frozenset({ADMIN, SYSTEM}), "order"),
    f"GET {VIS}/kit-check": Row(FIELD, "order"),
    f"POST {VIS}/kit-check": Row(FIELD, "order"),
    f"GET {VIS}/crew": Row(READ, "order"),
    f"POST {VIS}/crew": Row(OFFICE, "order"),
    f"POST {HALLS}/tickets": Row(HALL, "hall"),
    f"POST {HALLS}/counters/{{counter_id}}/call-next": Row(HALL, "hall"),
    f"POST {HALLS}/counters/{{counter_id}}/status": Row(HALL, "hall"),
    f"POST {HALLS}/counters/{{counter_id}}/handover": Row(HALL, "hall"),
    # HAL-04: people check identity; a device or system token never verifies.
    f"POST {HALLS}/tickets/{{ticket_id}}/verify-star": Row(
        frozenset({ADMIN, HALL_STAFF, DUTY_MANAGER}), "hall"
    ),
    f"POST {HALLS}/tickets/{{ticket_id}}/start": Row(HALL, "hall"),
    f"POST {HALLS}/tickets/{{ticket_id}}/finish": Row(HALL, "hall"),
    f"POST {HALLS}/tickets/{{ticket_id}}/recall": Row(HALL, "hall"),
    f"POST {HALLS}/tickets/{{ticket_id}}/business": Row(HALL, "hall"),  # SEC-03
    f"POST {HALLS}/tickets/{{ticket_id}}/no-show": Row(HALL, "hall"),
    f"POST {HALLS}/tickets/{{ticket_id}}/transfer": Row(HALL, "hall"),
    f"POST {HALLS}/tickets/{{ticket_id}}/preprocess": Row(HALL, "hall"),
    f"POST {HALLS}/tickets/{{ticket_id}}/abandon": Row(HALL, "hall"),
    f"POST {HALLS}/tickets/{{ticket_id}}/rating": Row(HALL, "hall"),  # issue 15
    f"POST {HALLS}/tickets/{{ticket_id}}/transcripts": Row(HALL | {QUALITY}, "hall"),
    f"POST {HALLS}/greetings": Row(HALL, "hall"),
    # Issue 15: the counter's transactions (HAL-13), receipts, out-of-authority (HAL-12).
    f"POST {HALLS}/tickets/{{ticket_id}}/business/{{business_id}}/complete": Row(HALL, "hall"),
    f"GET {HALLS}/transactions/{{business_id}}/receipt.pdf": Row(HALL, "hall"),
    f"GET {HALLS}/capable-halls": Row(HALL, "hall"),
    f"POST {HALLS}/tickets/{{ticket_id}}/referrals/coordinate": Row(HALL, "hall"),
    f"POST {HALLS}/tickets/{{ticket_id}}/referrals/guide": Row(HALL, "hall"),
    # ADR 0028: appointments booked by channels and staff, checked in at the kiosk; mobile
    # tickets taken for a customer who is not in the hall.
    f"POST {HALLS}/appointments": Row(HALL, "hall"),
    f"GET {HALLS}/appointments": Row(HALL, "hall"),
    f"POST {HALLS}/appointments/check-in": Row(HALL, "hall"),
    f"POST {HALLS}/appointments/cancel": Row(HALL, "hall"),
    f"POST {HALLS}/mobile-tickets": Row(HALL, "hall"),
    f"POST {CARE}": Row(OFFICE, "area"),  # dispatcher: posted areas; another is not found
    f"GET {CARE}": Row(OFFICE, "none"),  # filtered by area: test_care_agreements_list_by_area
    f"POST {CARE}/{{agreement_id}}/next-visit": Row(OFFICE, "area"),
    # The technician's visit (issue 13): only the assigned technician works it.
    "GET /api/v1/visits/fees": Row(frozenset({ADMIN, TECHNICIAN, DISPATCHER, QUALITY}), "none"),
    f"GET {VIS}": Row(frozenset({ADMIN, TECHNICIAN, DISPATCHER, QUALITY}), "order"),
    f"POST {VIS}/trip": Row(TECH, "order"),
    f"POST {VIS}/steps": Row(TECH, "order"),
    f"POST {VIS}/door": Row(TECH, "order"),
    f"POST {VIS}/photos": Row(TECH, "order"),
    f"POST {VIS}/signature": Row(TECH, "order"),
    f"POST {VIS}/rating": Row(TECH, "order"),
    f"POST {VIS}/complete": Row(TECH, "order"),
    "GET /api/v1/visits/exception-kinds": Row(
        frozenset({ADMIN, TECHNICIAN, DISPATCHER, QUALITY}), "none"
    ),
    f"POST {VIS}/exceptions": Row(TECH, "order"),  # customer-side exceptions (seed 003)
    # AUTHZ (knowledge.services): the field side and quality read the knowledge base; the
    # hall's roles do not (403). Recording a use is work on the visit: Act.FIELD.
    "GET /api/v1/knowledge/search": Row(READ, "none"),
    "GET /api/v1/knowledge/articles/{article_id}": Row(READ, "none"),
    "POST /api/v1/visits/{order_id}/articles/{article_id}/use": Row(FIELD, "order"),
    # Stock (issue 13): a technician reads the own area's stock and works the own orders'
    # requisitions; receiving goods is the office's; a requisition is its order's (scope order).
    f"GET {STOCK}/areas/{{area}}": Row(FIELD, "area"),
    f"POST {STOCK}/areas/{{area}}/receive": Row(OFFICE, "area"),
    f"POST {REQ}/issue": Row(FIELD, "order"),
    f"POST {REQ}/release": Row(FIELD, "order"),
    f"POST {REQ}/return": Row(FIELD, "order"),
    f"POST {ORD}/requisitions": Row(FIELD, "order"),  # ORD-04
    f"POST {ORD}/returned": Row(FIELD, "order"),  # ORD-07
    f"GET {ORD}/receipt.pdf": Row(READ, "order"),  # ORD-07
    f"POST {VIS}/parts-missing": Row(FIELD, "order"),  # ORD-04
    f"POST {VIS}/loaner": Row(FIELD, "order"),  # ORD-07
    # Star customers (issue 15): the CRM imports; staff read a member (masked); entitlements
    # are booked at the counter of one's hall or on a visit of one's order (STAR-02).
    "POST /api/v1/stars/imports": Row(frozenset({ADMIN, SYSTEM}), "none"),
    "GET /api/v1/stars/members": Row(EVERYONE, "none"),
    "POST /api/v1/stars/entitlements": Row(HALL, "hall"),
    f"POST {ORD}/entitlements": Row(FIELD, "order"),
    # The call centre (issue 14): quality agents (and admin, integrations) work every order's
    # callbacks; a callback is its order's (scope order, which quality sees whole).
    "GET /api/v1/callbacks": Row(CALLCENTRE, "none"),
    f"GET {CB}": Row(CALLCENTRE, "order"),
    f"POST {CB}/claim": Row(CALLCENTRE, "order"),
    f"POST {CB}/attempts": Row(CALLCENTRE, "order"),
    f"POST {CB}/revisit": Row(CALLCENTRE, "order"),
    # Evaluators (issue 14, point 7): quality staff plan, score their own queue, calibrate and
    # decide disputes; technicians and hall clerks read and dispute their own evaluations.
    f"GET {EVAL}/forms": Row(EVALUATOR, "none"),
    f"POST {EVAL}/plans": Row(EVALUATOR, "none"),
    f"POST {EVAL}/plans/{{plan_id}}/run": Row(EVALUATOR, "none"),
    f"GET {EVAL}/queue": Row(EVALUATOR, "none"),  # filtered: one's own queue
    f"POST {EVAL}/assignments/{{assignment_id}}": Row(EVALUATOR, "assignment"),
    f"GET {EVAL}/disputes": Row(EVALUATED, "none"),  # filtered: one's own for the evaluated
    f"POST {EVAL}/disputes/{{dispute_id}}/decision": Row(EVALUATOR, "evaluation"),
    f"POST {EVAL}/calibrations": Row(EVALUATOR, "none"),
    f"GET {EVAL}/calibrations/{{session_id}}": Row(EVALUATOR, "none"),
    f"GET {EVAL}": Row(EVALUATED, "none"),  # filtered: one's own for the evaluated
    f"GET {EVAL}/{{evaluation_id}}": Row(EVALUATED, "evaluation"),
    f"POST {EVAL}/{{evaluation_id}}/disputes": Row(
        frozenset({ADMIN, TECHNICIAN, HALL_STAFF}), "evaluation"
    ),
    # Cases (issue 14): a field complaint is received by whoever hears it (QA-03); alerts
    # (QA-05) from the field or the quality centre; cases worked by their owner, the area's
    # dispatcher and the quality centre (the hall answers its complaints on the hall pages).
    f"POST {ORD}/complaints": Row(frozenset({ADMIN, TECHNICIAN, DISPATCHER, QUALITY}), "order"),
    f"POST {ORD}/alerts": Row(READ, "order"),
    "GET /api/v1/cases": Row(READ, "none"),  # filtered by the case rule
    f"GET {CASE}": Row(READ, "case"),
    f"POST {CASE}/contacts": Row(READ, "case"),
    f"POST {CASE}/confirmation": Row(READ, "case"),
    f"POST {CASE}/close": Row(READ, "case"),
    f"POST {CASE}/escalate": Row(READ, "case"),
    f"POST {CASE}/steps": Row(READ, "case"),
    f"POST {CASE}/revisit": Row(frozenset({ADMIN, DISPATCHER, QUALITY}), "case"),
    # Assessment (issue 14): the quality centre records; supervisors read the scorecards.
    f"GET {QC}/scorecards": Row(QC_READ, "none"),
    f"GET {QC}/morning-meeting": Row(QC_READ, "none"),
    f"POST {QC}/certificates": Row(QC_RECORD, "none"),
    f"POST {QC}/trainings": Row(QC_RECORD, "none"),
    f"POST {QC}/actions": Row(QC_RECORD, "none"),
    f"POST {QC}/partners": Row(QC_RECORD, "none"),
    f"POST {QC}/sanctions": Row(QC_RECORD, "none"),
    # Live ETA (issue 16, point 6; ADR 0034): only a technician, and only for themself ("me"
    # is the token's technician; no parameter names another). Admin is refused too.
    f"POST {ME}/position-sharing": Row(frozenset({TECHNICIAN}), "none"),
    f"POST {ME}/position": Row(frozenset({TECHNICIAN}), "none"),
}

TODAY, TOMORROW = "2025-06-02", "2025-06-03"


def badge(s: Side) -> str:
    from guifan.apps.workforce.models import Technician

    return Technician.objects.values_list("badge_no", flat=True).get(id=s.technician_id)


def partner_badge(s: Side) -> str:
    """The side's technician, in a partner's crew (STF-06 sanctions apply to partners)."""
    from guifan.apps.assessment.services import partner_join

    partner_join(code=f"P-{s.area}", name="合作公司", badge_nos=[badge(s)], by=None)
    return badge(s)


SEQ = itertools.count(1)

# A valid minimal body per operation that takes one, built for the side addressed: the
# other side's request must pass schema validation so that only the object rule refuses it.
BODIES: dict[str, Callable[[Side], dict[str, Any]]] = {
    f"POST {QC}/certificates": lambda s: {
        "badge_no": badge(s),
        "work_type": "broadband_repair",
        "issued_on": "2025-01-01",
        "valid_until": "2027-01-01",
    },
    f"POST {QC}/trainings": lambda s: {
        "person": badge(s),
        "course": "service concept",
        "completed_on": "2025-01-01",
    },
    f"POST {QC}/actions": lambda s: {
        "kind": "coaching",
        "person": badge(s),
        "norm_id": "VIS-05",
        "finding": "未穿鞋套",
    },
    f"POST {QC}/partners": lambda s: {"code": "P1", "name": "合作公司", "badge_nos": [badge(s)]},
    f"POST {QC}/sanctions": lambda s: {"badge_no": partner_badge(s), "breach": "索要红包"},
    "POST /api/v1/orders": lambda s: {
        "external_id": f"authz-{next(SEQ)}",
        "customer": {"name": "王五", "phone": "13912345678"},
        "address": {"text": "成都市锦江区春熙路2号", "lat": 30.65, "lon": 104.08, "area": s.area},
        "service_type": "broadband",
        "kind": "install",
        "description": "新装 300M 宽带",
        "requested_time": "明天上午",
    },
    f"POST {ORD}/appointments": lambda s: {"date": TOMORROW, "half_day": "am"},
    f"POST {APT}/confirm": lambda s: {},
    f"POST {APT}/reschedule": lambda s: {
        "initiator": "customer",
        "date": TOMORROW,
        "half_day": "am",
    },
    f"POST {ORD}/contacts": lambda s: {
        "channel": "call",
        "purpose": "reconfirm",
        "outcome": "answered",
        "appointment_id": s.appointment_id,
    },
    f"POST {ORD}/transitions": lambda s: {"action": "depart"},
    f"POST {ORD}/analysis": lambda s: {"analysis": {"probable_cause": "光猫故障"}},
    f"POST {ORD}/remote": lambda s: {"resolved": False},
    f"POST {ORD}/assign": lambda s: {
        "technician_id": s.technician_id,
        "planned_arrival": f"{TODAY}T13:45:00+08:00",
        "version": s.order_version(),  # the version the caller saw (issue 12, point 6)
    },
    f"POST {ORD}/escalations": lambda s: {"reason_code": "hard fault", "note": "需更换分光器"},
    f"POST {ORD}/bring-back": lambda s: {
        "device_configuration": "光猫 HG8245",
        "data_backup_confirmed": True,
        "exterior_condition": "完好",
        "reason": "需返厂维修",
        "customer_signature": "王五",
    },
    f"POST {ORD}/resource-missing": lambda s: {"line": "L-1", "port_equipment": "OLT-1"},
    f"POST {ORD}/transcripts": lambda s: {
        "channel": "phone",
        "turns": [{"speaker": "staff", "text": "您好，我是装维人员。"}],
    },
    "POST /api/v1/dispatch/plans": lambda s: {"area": s.area, "date": TODAY},
    "POST /api/v1/dispatch/province-plans": lambda s: {"date": TOMORROW, "areas": [s.area]},
    "POST /api/v1/provisioning/activations": lambda s: {
        "order_id": s.order_id,
        "line": "ADSL-1",
        "activation_id": f"authz-act-{next(SEQ)}",
    },
    f"POST {VIS}/kit-check": lambda s: {"items": {"tools:工具仪表": True}},
    f"POST {VIS}/crew": lambda s: {"technician_ids": [s.technician_id]},
    f"POST {ORD}/complaints": lambda s: {"summary": "师傅迟到", "steps": ["apologise"]},
    f"POST {ORD}/alerts": lambda s: {"kind": "complaint_risk", "note": "客户情绪激动"},
    f"POST {CASE}/contacts": lambda s: {"reached": True, "satisfied": True, "who": "张先生"},
    f"POST {CASE}/confirmation": lambda s: {"who": "张先生", "via": "phone"},
    f"POST {CASE}/close": lambda s: {"outcome": "客户满意"},
    f"POST {CASE}/escalate": lambda s: {"note": "需班组长出面"},
    f"POST {CASE}/steps": lambda s: {"steps": ["apologise"]},
    f"POST {CASE}/revisit": lambda s: {"note": "重新上门"},
    f"POST {HALLS}/tickets": lambda s: {"category": "A"},
    f"POST {HALLS}/counters/{{counter_id}}/status": lambda s: {"status": "paused"},
    f"POST {HALLS}/counters/{{counter_id}}/handover": lambda s: {
        "to_username": s.spare_staff.username
    },
    f"POST {HALLS}/tickets/{{ticket_id}}/rating": lambda s: {"score": 5},
    f"POST {HALLS}/tickets/{{ticket_id}}/verify-star": lambda s: {"id_checked": True},
    f"POST {HALLS}/tickets/{{ticket_id}}/transfer": lambda s: {"category": "B"},
    f"POST {HALLS}/tickets/{{ticket_id}}/preprocess": lambda s: {"step": "id_checked"},
    f"POST {HALLS}/tickets/{{ticket_id}}/transcripts": lambda s: {
        "turns": [{"speaker": "staff", "text": "您好，请坐！"}]
    },
    f"POST {HALLS}/greetings": lambda s: {"route": "counter", "category": "A"},
    f"POST {HALLS}/tickets/{{ticket_id}}/business/{{business_id}}/complete": lambda s: {
        "receipt": "paper"
    },
    f"POST {HALLS}/tickets/{{ticket_id}}/referrals/coordinate": lambda s: {
        "business": "政企专线开通"
    },
    f"POST {HALLS}/tickets/{{ticket_id}}/referrals/guide": lambda s: {"business": "政企专线开通"},
    f"POST {HALLS}/appointments": lambda s: {
        "category": "A",
        "slot_at": f"{TODAY}T11:00:00+08:00",
        "phone": "13912345678",
    },
    f"POST {HALLS}/appointments/check-in": lambda s: {"code": hall_booking(s)},
    f"POST {HALLS}/appointments/cancel": lambda s: {"code": hall_booking(s)},
    f"POST {HALLS}/mobile-tickets": lambda s: {"category": "A", "phone": "13912345678"},
    f"POST {CARE}": lambda s: {
        "customer_name": "李奶奶",
        "phone": "13912340000",
        "address": "成都市锦江区红星路3号",
        "area": s.area,
        "description": "居家养老上门关怀",
        "every_weeks": 2,
        "weekday": 2,
        "half_day": "pm",
        "start": TODAY,
    },
    f"POST {CARE}/{{agreement_id}}/next-visit": lambda s: {"date": "2025-06-10", "half_day": "am"},
    f"POST {VIS}/exceptions": lambda s: {
        "kind": "power_cut",
        "answers": {"consent_obtained": True, "contact_left": True},
        "version": s.order_version(),
    },
    f"POST {VIS}/trip": lambda s: {"action": "depart", "version": s.order_version()},
    f"POST {VIS}/steps": lambda s: {
        "norm_id": "VIS-02",
        "outcome": "done",
        "version": s.order_version(),
    },
    f"POST {VIS}/door": lambda s: {
        "events": [{"kind": "knock", "at": f"{TODAY}T13:45:00+08:00"}],
        "note": {"name": "张师傅", "phone": "13800000000", "left": f"{TODAY}T13:50:00+08:00"},
        "version": s.order_version(),
    },
    f"POST {VIS}/photos": lambda s: {
        "content_type": "image/png",
        "data_base64": base64.b64encode(png_bytes()).decode(),
    },
    f"POST {VIS}/signature": lambda s: {
        "png": "data:image/png;base64," + base64.b64encode(png_bytes()).decode()
    },
    f"POST {VIS}/rating": lambda s: {"score": 5},
    f"POST {VIS}/complete": lambda s: {"version": s.order_version()},
    "POST /api/v1/visits/{order_id}/articles/{article_id}/use": lambda s: {"helpful": True},
    f"POST {STOCK}/areas/{{area}}/receive": lambda s: {"code": "PSU-12V", "qty": 2},
    f"POST {REQ}/return": lambda s: {"code": "PSU-12V", "qty": 1},
    f"POST {ORD}/requisitions": lambda s: {"items": [{"code": "PSU-12V", "qty": 1}]},
    f"POST {VIS}/parts-missing": lambda s: {"code": "PSU-12V", "qty": 1, "rebook": True},
    f"POST {VIS}/loaner": lambda s: {"return_by": TOMORROW, "loaner_serial": "LN-A01-01"},
    "POST /api/v1/stars/imports": lambda s: {
        "rows": [
            {
                "customer_ref": f"authz-{next(SEQ)}",
                "name": "王五",
                "phone": "13912345678",
                "cert_type": "personal",
                "month": "2025-05",
                "growth_value": 100,
                "products": "mobile=1",
            }
        ]
    },
    f"POST {HALLS}/tickets/{{ticket_id}}/business": lambda s: {
        "kind": "inquiry",
        "business": "宽带资费",
    },
    "POST /api/v1/stars/entitlements": lambda s: {
        "hall": s.hall,
        "kind": "sim_replacement",
        "key": f"authz-{next(SEQ)}",
        "phone": "13912345678",
    },
    f"POST {ORD}/entitlements": lambda s: {
        "kind": "wireless_networking",
        "key": f"authz-{next(SEQ)}",
    },
    f"POST {CB}/claim": lambda s: {"owner": quality_agent()},
    f"POST {CB}/attempts": lambda s: {"reached": False, "note": "无人接听"},
    f"POST {CB}/revisit": lambda s: {"reason": "客户不满意"},
    f"POST {EVAL}/plans": lambda s: {
        "name": "录音抽检",
        "kind": "transcript",
        "evaluators": ["quality"],
        "rate_pct": 20,
    },
    f"POST {EVAL}/plans/{{plan_id}}/run": lambda s: {"day": TODAY},
    f"POST {EVAL}/assignments/{{assignment_id}}": lambda s: {"answers": ev_objects.GOOD},
    f"POST {EVAL}/disputes/{{dispute_id}}/decision": lambda s: {"overturn": False},
    f"POST {EVAL}/calibrations": lambda s: {
        "kind": "transcript",
        "object_id": ev_objects.transcript_id(s),
        "evaluators": ["quality", "quality_other"],
    },
    f"POST {EVAL}/{{evaluation_id}}/disputes": lambda s: {"reason": "我已按规范称呼客户"},
    f"POST {ME}/position-sharing": lambda s: {"sharing": True},
    f"POST {ME}/position": lambda s: {
        "lat": 30.65,
        "lon": 104.08,
        "accuracy": 20,
        "at": f"{TODAY}T10:00:00+08:00",
    },
}


def hall_booking(s: Side) -> str:
    """A booking at the side's hall ten minutes from now (made before the fingerprint)."""
    from guifan.apps.hall.appointments import appointment_book
    from guifan.clock import now

    slot = now() + dt.timedelta(minutes=10)
    return appointment_book(
        hall_code=s.hall, by=None, category="A", slot_at=slot, phone="13912345678"
    ).code


def care_agreement(s: Side) -> int:
    """A home-care agreement in the side's area (made before the request is fingerprinted)."""
    from guifan.apps.care.services import AgreementIn, care_agreement_create

    data = AgreementIn(**{**BODIES[f"POST {CARE}"](s), "start": dt.date(2025, 6, 2)})
    return care_agreement_create(data=data, by=None).id


def first_article_id() -> int:
    from guifan.apps.knowledge.models import Article
    from guifan.apps.knowledge.services import knowledge_load

    if not Article.objects.exists():  # a transactional test elsewhere flushed the seed
        knowledge_load()
    article_id = Article.objects.order_by("id").values_list("id", flat=True).first()
    assert article_id is not None, "the knowledge migration seeds articles"
    return article_id


# Each path parameter from the side addressed.
PATH_PARAMS: dict[str, Callable[[Side], object]] = {
    "order_id": lambda s: s.order_id,
    "appointment_id": lambda s: s.appointment_id,
    "hall": lambda s: s.hall,
    "counter_id": lambda s: s.counter_id,
    "ticket_id": lambda s: s.ticket_id,
    "moment": lambda s: "booking",
    "agreement_id": care_agreement,
    "article_id": lambda s: first_article_id(),  # the seeded articles belong to no one
    "area": lambda s: s.area,
    "requisition_id": requisition_id,
    "callback_id": callback_id,
    "assignment_id": ev_objects.assignment_id,
    "dispute_id": ev_objects.dispute_id,
    "plan_id": ev_objects.plan_id,
    "session_id": ev_objects.session_id,
    "case_id": case_id,
    "business_id": business_id,
}
# Path parameters whose object depends on who asks (an evaluation of the technician or of the
# hall clerk, each their own).
ROLE_PATH_PARAMS: dict[str, Callable[[Side, str], object]] = {
    "evaluation_id": ev_objects.evaluation_id,
}


def operations() -> dict[str, dict[str, Any]]:
    """``"METHOD /path"`` -> its OpenAPI operation, for every operation of the API."""
    schema = api.get_openapi_schema()
    return {
        f"{method.upper()} {path}": op
        for path, ops in schema["paths"].items()
        for method, op in ops.items()
    }


OPERATIONS = operations()


@dataclass(frozen=True)
class Case:
    op: str
    role: str
    side: str  # own, other (someone else's: refused), any (the other side, for who sees all), none

    def __str__(self) -> str:
        return f"{self.op} [{self.role} {self.side}]"


def cases() -> Iterator[Case]:
    for op in OPERATIONS:
        row = EXPECTED.get(op)
        if row is None:
            yield Case(op, "-", "no row")  # fails, naming the operation
            continue
        for role in (ANONYMOUS, *ROLES):
            if row.scope in ("none", "public"):
                yield Case(op, role, "none")
            elif role == ANONYMOUS or role not in row.roles:
                yield Case(op, role, "own")
            elif role in SEES_ALL[row.scope]:
                yield Case(op, role, "any")
            else:
                yield Case(op, role, "own")
                yield Case(op, role, "other")


CASES = list(cases())


def test_every_api_operation_has_a_row_and_every_row_an_operation() -> None:
    assert sorted(set(OPERATIONS) - set(EXPECTED)) == [], "add a row to EXPECTED"
    assert sorted(set(EXPECTED) - set(OPERATIONS)) == [], "remove the row: no such operation"


def test_every_operation_with_a_body_has_a_valid_body_and_no_other() -> None:
    takes_body = {op for op, spec in OPERATIONS.items() if "requestBody" in spec}
    assert sorted(takes_body - set(BODIES)) == [], "add a valid minimal body to BODIES"
    assert sorted(set(BODIES) - takes_body) == [], "remove the body: the operation takes none"


def test_the_table_knows_every_scope_and_role() -> None:
    for op, row in EXPECTED.items():
        assert row.scope in (*SEES_ALL, "none", "public"), op
        assert row.roles <= EVERYONE, op


def request_for(case: Case, city: City) -> tuple[str, str, dict[str, Any] | None]:
    """The method, URL and body of the case, its objects from the side addressed."""
    side = city.own if case.side in ("own", "none") else city.other
    method, template = case.op.split(" ", 1)

    def param(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in ROLE_PATH_PARAMS:
            return str(ROLE_PATH_PARAMS[name](side, case.role))
        assert name in PATH_PARAMS, f"add path parameter {name!r} to PATH_PARAMS"
        return str(PATH_PARAMS[name](side))

    url = re.sub(r"\{(\w+)\}", param, template)
    body = None
    if "requestBody" in OPERATIONS[case.op]:
        assert case.op in BODIES, f"add a valid minimal body for {case.op} to BODIES"
        body = BODIES[case.op](side)
    return method, url, body


def call(city: City, role: str, method: str, url: str, body: dict[str, Any] | None) -> Any:
    headers = {} if role == ANONYMOUS else {"HTTP_AUTHORIZATION": f"Bearer {city.tokens[role]}"}
    data = "" if body is None else json.dumps(body, ensure_ascii=False)
    return Client().generic(method, url, data=data, content_type="application/json", **headers)


def expected(case: Case) -> str:
    row = EXPECTED[case.op]
    if row.scope == "public":
        return "allowed"
    if case.role == ANONYMOUS:
        return "401"
    if case.role not in row.roles:
        return "403"
    return "other" if case.side == "other" else "allowed"


@pytest.mark.parametrize("case", CASES, ids=str)
def test_each_role_gets_the_answer_the_table_gives(case: Case, city: City) -> None:
    assert case.op in EXPECTED, f"{case.op} has no row: add it to EXPECTED"
    method, url, body = request_for(case, city)
    want = expected(case)
    before = fingerprint() if want != "allowed" else None
    resp = call(city, case.role, method, url, body)
    got = resp.status_code
    detail = f"{method} {url} as {case.role}: {got} {resp.content[:300]!r}"
    assert got < 500, detail
    if want == "allowed":
        assert got not in (401, 403, 404), detail
        assert got != 422 or resp.json()["code"] != "request.invalid", f"fix the body; {detail}"
        return
    if want == "other":
        assert got in EXPECTED[case.op].other, f"expected 404 for another's object; {detail}"
    else:
        assert got == int(want), f"expected {want}; {detail}"
    assert before is not None
    assert changed(before, fingerprint()) == [], f"a refused request changed data; {detail}"


# --- Lists show only what the role may see ---------------------------------------------------


def visible_orders(city: City, role: str) -> set[int]:
    from guifan.apps.orders.models import WorkOrder

    every = WorkOrder.objects.all()
    if role == DISPATCHER:
        every = every.filter(area__code=city.own.area)
    elif role == TECHNICIAN:
        every = every.filter(technician__user=city.users[TECHNICIAN])
    return set(every.values_list("id", flat=True))


@pytest.mark.parametrize("role", sorted(EXPECTED["GET /api/v1/orders"].roles))
def test_each_role_lists_only_the_orders_it_may_see(role: str, city: City) -> None:
    resp = call(city, role, "GET", "/api/v1/orders?limit=1000", None)
    assert resp.status_code == 200
    listed = {o["id"] for o in resp.json()}
    assert listed == visible_orders(city, role)
    assert len(listed) >= 1 and (role in SEES_ALL["order"]) == (city.other.order_id in listed)


def test_the_city_has_both_sides_for_every_scope(city: City) -> None:
    """Own and other objects differ, or the matrix would prove nothing."""
    for name in ("area", "order_id", "appointment_id", "hall", "counter_id", "ticket_id"):
        assert getattr(city.own, name) != getattr(city.other, name), name


def test_care_agreements_list_by_area(city: City) -> None:
    """A dispatcher lists the agreements of their areas only; who acts everywhere sees all."""
    own, other = care_agreement(city.own), care_agreement(city.other)
    for role, want in ((DISPATCHER, {own}), (ADMIN, {own, other}), (SYSTEM, {own, other})):
        resp = call(city, role, "GET", CARE, None)
        assert resp.status_code == 200
        assert {a["id"] for a in resp.json()} == want, role
