"""Stored codes named in the page's language (``guifan.apps.web.labels``)."""

from __future__ import annotations

from django.template import Context, Template
from django.utils import translation

from guifan.apps.web.labels import actor_text, work_type_label


def render(text: str, **context: object) -> str:
    return Template("{% load labels %}" + text).render(Context(context))


def test_missing_transcript_steps_are_named_not_coded() -> None:
    with translation.override("zh-hans"):
        shown = render("{{ m|transcript_steps }}", m=["confirm_person", "farewell"])
        assert shown == "核实客户身份（上门时核对工单）、道别"
    with translation.override("en"):
        shown = render("{{ m|transcript_steps }}", m=["confirm_person", "farewell"])
        assert shown == "confirm the person (and the order on a visit), say goodbye"


def test_every_step_of_the_checkers_catalog_has_a_chinese_name() -> None:
    from guifan.compliance.phrases import catalog_load

    unnamed = [e.name for e in catalog_load().elements.values() if not e.label_zh]
    assert not unnamed


def test_work_types_and_actors() -> None:
    with translation.override("zh-hans"):
        assert work_type_label("fixed_line_install") == "固话装机"
        assert work_type_label("home_care_care") == "居家照护定期上门"
        assert work_type_label("odd") == "odd"
        assert work_type_label("appliance_repair") == "上门产品维修"  # not 上门产品维修维修
        assert actor_text("dispatcher:li") == "调度员 li"
        assert actor_text("system") == "系统"
    with translation.override("en"):
        assert work_type_label("appliance_repair") == "Appliance repair"
        assert work_type_label("broadband_install") == "Broadband Install"
        assert work_type_label("home_care_care") == "Home care visit"  # not "Home care Care visit"


def test_a_refused_intakes_evidence_names_each_fact() -> None:
    from guifan.apps.web.quality.evidence import evidence_rows

    detail = {
        "actor": "system:crm",
        "attempted": {
            "key": "CRM-0602-00147",
            "data": {
                "customer_name": "汪娜",
                "tier": "silver",
                "service_type": "ims",
                "remote_possible": True,
                "products": ["broadband", "iptv"],
                "lat": 30.6,
                "old_lat": None,
            },
        },
        "role": "follower",
        "answers": "signed_self",
        "something_new": "x",
    }
    with translation.override("zh-hans"):
        rows = dict(evidence_rows(detail))
    assert rows["操作人"] == "系统 crm"
    assert rows["所提交的内容"] == (
        "工单内容：客户姓名：汪娜；客户等级：银卡；业务类型：IMS；可远程处理：是；产品：宽带、IPTV"
    )
    assert rows["角色"] == "协同装维人员"
    assert rows["回答"] == "评议表上的签名是您本人签的吗？"
    assert rows["something_new"] == "x"  # a fact no table names is shown, not hidden


def test_a_refused_assignments_evidence_names_its_times() -> None:
    """DSP-05/STF-04 refusals keep what the desk tried; the technician is named by the reason."""
    from guifan.apps.web.quality.evidence import evidence_rows

    attempted = {
        "technician_id": 17,
        "planned_arrival": "2025-06-03T06:53:00+00:00",
        "planned_departure": None,
        "expected_version": 4,
        "confirm": None,
    }
    with translation.override("zh-hans"):
        rows = dict(evidence_rows({"attempted": attempted, "field": "technician_id"}))
    assert rows["所提交的内容"] == "计划到达：06-03 14:53；计划出发：—；已确认提醒：—"
    assert rows["有误的字段"] == "装维人员"


def test_every_value_a_remembered_refusal_keeps_is_named_in_chinese() -> None:
    """The keyword arguments of every service whose refusals are remembered end up in
    ``detail.attempted``: each has a Chinese name (or is a row id the page leaves out)."""
    import ast
    from pathlib import Path

    from guifan.apps.web.quality.evidence import HIDDEN, NAMES

    unnamed = []
    for path in Path("guifan/apps").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef):
                continue
            names = {d.id for d in node.decorator_list if isinstance(d, ast.Name)}
            if "refusals_remembered" not in names:
                continue
            for arg in node.args.args + node.args.kwonlyargs:
                if arg.arg != "by" and arg.arg not in NAMES and arg.arg not in HIDDEN:
                    unnamed.append(f"{path}:{node.name}:{arg.arg}")
    assert not unnamed


def test_every_fact_a_verdict_keeps_is_named_in_chinese() -> None:
    """``Verdict.keep/broke(norm, why, **facts)``: each fact's key has a Chinese name."""
    import ast
    from pathlib import Path

    from guifan.apps.web.quality.evidence import HIDDEN, NAMES

    unnamed = []
    for path in Path("guifan").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            func = node.func if isinstance(node, ast.Call) else None
            if not (
                isinstance(func, ast.Attribute)
                and func.attr in ("keep", "broke")
                and isinstance(func.value, ast.Name)
                and func.value.id == "Verdict"
            ):
                continue
            for kw in node.keywords:  # type: ignore[union-attr]
                if kw.arg and kw.arg not in NAMES and kw.arg not in HIDDEN:
                    unnamed.append(f"{path}:{node.lineno}:{kw.arg}")
    assert not unnamed


def test_every_field_an_enforced_norm_refuses_is_named_in_chinese() -> None:
    """A refusal is remembered with the field it names (``detail.field``); the drill-down
    shows that field by its Chinese name, never its code (``order_id``)."""
    import ast
    from pathlib import Path

    from guifan.apps.norms.refusals import ENFORCED
    from guifan.apps.web.quality.evidence import field_name

    unnamed = []
    for path in Path("guifan").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            func = node.func if isinstance(node, ast.Call) else None
            if getattr(func, "id", None) not in ("RuleViolation", "ValidationFailed"):
                continue
            kw = {k.arg: k.value for k in node.keywords}  # type: ignore[union-attr]
            rule, field = kw.get("rule"), kw.get("field")
            if not (isinstance(rule, ast.Constant) and rule.value in ENFORCED):
                continue
            named = not isinstance(field, ast.Constant) or not field.value
            if not named and field_name(str(field.value)) == field.value:  # type: ignore[union-attr]
                unnamed.append(f"{path}:{node.lineno}:{field.value}")  # type: ignore[union-attr]
    assert not unnamed
    assert (field_name("old_address.text"), field_name("order_id")) == ("原地址", "工单")


def test_a_greeting_and_a_preprocessing_step_are_named_in_chinese() -> None:
    from guifan.apps.web.quality.evidence import evidence_rows

    with translation.override("zh-hans"):
        rows = dict(evidence_rows({"route": "self_service", "group": "elderly"}))
        step = dict(evidence_rows({"step": "id_checked"}))
    assert rows == {"分流去向": "自助终端", "优先人群": "老人"}
    assert step == {"预处理事项": "证件已核验"}
    with translation.override("zh-hans"):
        refused = dict(
            evidence_rows({"field": "counter_id", "addons": [{"name": "彩铃", "consented": True}]})
        )
    assert refused == {"有误的字段": "窗口", "附加业务": "名称：彩铃；客户同意：是"}


def test_a_refused_reschedule_names_who_asked_and_why_in_chinese() -> None:
    from guifan.apps.web.quality.evidence import evidence_rows

    attempted = {"appointment_id": 3, "initiator": "provider", "reason_code": "schedule conflict"}
    with translation.override("zh-hans"):
        rows = dict(evidence_rows({"attempted": attempted}))
    assert rows["所提交的内容"] == "发起方：我方；原因：时间冲突"


def test_a_norm_is_titled_in_the_pages_language() -> None:
    with translation.override("zh-hans"):
        assert render("{{ n|norm_title_of }}", n="STF-04") == "上岗培训与认证"
    with translation.override("en"):
        assert render("{{ n|norm_title_of }}", n="STF-04") == (
            "Training and certification before working"
        )
        assert render("{{ n|norm_title_of }}", n="NOPE-1") == "NOPE-1"
