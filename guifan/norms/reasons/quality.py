"""Reasons of the quality norms (see ``guifan.norms.reasons``): cases and alerts (QA-02, QA-03,
QA-05), callbacks (QA-01, QA-06 and the norms a callback question measures), corrective actions
(QA-08), partner sanctions (STF-06), evaluations and the transcript checks (LNG-*)."""

from __future__ import annotations

from guifan.norms.reasons.text import LabelTable, Text

TEXTS: dict[str, Text] = {
    # QA-02: dissatisfaction followed up until the customer is satisfied.
    "qa02.closed_in_time": Text(
        zh="客户确认满意后结案，用时 {took:.1f} 小时",
        en="Closed after the customer confirmed satisfaction, in {took:.1f} h",
    ),
    "qa02.closed_late": Text(
        zh="结案用时 {took:.1f} 小时，超过 {hours:g} 小时",
        en="Closed in {took:.1f} h, over {hours:g} h",
    ),
    "qa02.escalated": Text(
        zh="{missed} 次未按时回访，升级至{escalation_level}",
        en="{missed} follow-up calls missed; escalated to {escalation_level}",
    ),
    "qa02.not_confirmed": Text(
        zh="{hours} 小时内客户仍未确认满意",
        en="The customer had not confirmed satisfaction within {hours} h",
    ),
    # QA-03: field complaints.
    "qa03.steps_missing": Text(zh="缺少步骤：{missing_steps}", en="Missing steps: {missing_steps}"),
    "qa03.closed_late": Text(
        zh="超过承诺的答复时间才办结", en="Closed only after the promised reply time"
    ),
    "qa03.kept": Text(
        zh="步骤齐全，按承诺时间答复", en="Every step done; replied by the promised time"
    ),
    # What opened a QA-02 case (its summary): an unhappy rating, a refused signature, an
    # unhappy callback.
    "case.hall_rating": Text(zh="{ticket} 评价 {score} 分", en="{ticket} rated {score}"),
    "case.hall_rating_why": Text(
        zh="{ticket} 评价 {score} 分：{rating_reason}",
        en="{ticket} rated {score}: {rating_reason}",
    ),
    "case.unsigned": Text(zh="客户未签名", en="The customer did not sign"),
    "case.low_rating": Text(zh="客户评分 {score} 分", en="The customer rated {score}"),
    "case.callback_unhappy": Text(
        zh="回访不满意：{answers}", en="Unhappy on the callback: {answers}"
    ),
    # A case's own timeline (not verdicts): the notes the system writes.
    "case.missed": Text(zh="未按时回访", en="Follow-up call missed"),
    "case.escalated": Text(
        zh="逾期未回访，升级至{escalation_level}",
        en="Follow-up overdue; escalated to {escalation_level}",
    ),
    "case.overdue": Text(zh="承诺答复时间已到", en="The promised reply time has passed"),
    "qa03.reply_overdue": Text(
        zh="承诺答复时间已到，投诉仍未答复",
        en="The promised reply time passed with the complaint unanswered",
    ),
    # QA-05: chasers, complaint risk and hard faults.
    "qa05.reported_while_open": Text(
        zh="{alert_kind}在处理过程中及时报备",
        en="{alert_kind} reported in good time while the order was in progress",
    ),
    "qa05.reported_after_completion": Text(
        zh="{alert_kind}在完工后 {late:.0f} 分钟内报备",
        en="{alert_kind} reported within {late:.0f} min of completion",
    ),
    "qa05.reported_late": Text(
        zh="{alert_kind}在完工 {late:.0f} 分钟后才报备",
        en="{alert_kind} reported only {late:.0f} min after completion",
    ),
    "qa05.chaser_calmed": Text(
        zh="催单工单现场处理，客户满意签名",
        en="Chased order handled on site; the customer signed, satisfied",
    ),
    "qa05.chaser_unresolved": Text(
        zh="催单工单完工时客户仍不满意或未签名",
        en="At completion of the chased order the customer was still unhappy or had not signed",
    ),
    # QA-01 and QA-06: callbacks.
    "qa01.done_on_time": Text(
        zh="{callback_purpose}按时完成", en="{callback_purpose} done on time"
    ),
    "qa01.done_late": Text(zh="{callback_purpose}超时完成", en="{callback_purpose} done late"),
    "qa01.not_done": Text(
        zh="{callback_purpose}未在时限内完成",
        en="{callback_purpose} not done within the time limit",
    ),
    # A callback question's answer, for each norm the question measures.
    "quality.callback_answer": Text(
        zh="回访：{question}{callback_answer}", en="Callback: {question} {callback_answer}"
    ),
    "qa06.matches": Text(zh="抽访结果与回单相符", en="The audit call matches the closure"),
    "qa06.false_closure": Text(
        zh="回假单：抽访结果与回单不符（{answers}）",
        en="False closure: the audit call contradicts the closure ({answers})",
    ),
    # An evaluation's question, for the norm it measures (the form's wording in each language).
    "quality.evaluation_item": Text(
        zh="评估 {evaluation}：{question}", en="Evaluation {evaluation}: {question}"
    ),
    # A dispute upheld against the evaluation: the verdict it reversed, quoted.
    "quality.overturned": Text(
        zh="申诉 {dispute} 改判：{verdict}", en="Reversed on dispute {dispute}: {verdict}"
    ),
    # QA-08: corrective actions.
    "qa08.closed_on_time": Text(
        zh="整改按期关闭：{finding}", en="Corrective action closed on time: {finding}"
    ),
    "qa08.overdue": Text(
        zh="整改逾期未关闭：{finding}",
        en="Corrective action still open after its due day: {finding}",
    ),
    # STF-06: the partner sanction ladder.
    "stf06.partner_sanction": Text(
        zh="服务红线：{breach}；{partner}：{sanction_measure}",
        en="Red line breached: {breach}; {partner}: {sanction_measure}",
    ),
    # Transcript checks: forbidden phrases, courtesy, the channel's routine.
    "lng02.forbidden_used": Text(
        zh="使用服务禁语：{phrases}", en="Forbidden phrases used: {phrases}"
    ),
    "lng02.none_used": Text(zh="未使用禁语", en="No forbidden phrase used"),
    "lng01.kept": Text(zh="问候与致谢俱全", en="Both a greeting and thanks"),
    "lng01.missing": Text(zh="缺少您好或谢谢/再见", en="No greeting, or no thanks or goodbye"),
    "quality.routine_missing": Text(
        zh="缺少环节：{routine_elements}", en="Missing from the routine: {routine_elements}"
    ),
    "quality.routine_complete": Text(zh="环节完整", en="Routine complete"),
    # LNG-05: surname and title.
    "lng05.addressed": Text(
        zh="以尊称称呼客户：{said}", en="Customer addressed with a title: {said}"
    ),
    "lng05.no_surname_title": Text(
        zh="已知客户姓{surname}，开场问候未用姓氏加尊称",
        en="The customer's surname ({surname}) was known, but the greeting used no surname "
        "and title",
    ),
    "lng05.no_title": Text(zh="开场问候未用尊称", en="The greeting used no title"),
    # LNG-07: plain words.
    "lng07.no_jargon": Text(zh="未使用专业术语", en="No jargon used"),
    "lng07.unexplained": Text(zh="术语未解释：{terms}", en="Jargon not explained: {terms}"),
    "lng07.not_confirmed": Text(
        zh="解释术语后未确认客户是否听懂",
        en="Jargon explained, but whether the customer understood was not checked",
    ),
    "lng07.kept": Text(
        zh="术语已解释并确认客户听懂", en="Jargon explained and understanding confirmed"
    ),
    # LNG-04: the language of a call or visit.
    "lng04.default_used": Text(zh="使用{default_language}", en="Spoke {default_language}"),
    "lng04.requested": Text(
        zh="客户只熟悉或要求使用{call_language}，已改用",
        en="The customer only knows or asked for {call_language}; switched to it",
    ),
    "lng04.not_default": Text(
        zh="未先使用{default_language}，客户并未要求{call_language}",
        en="Did not start in {default_language}; the customer had not asked for {call_language}",
    ),
}

# The known languages of a call (the compliance catalog's ``languages.known``): the stored
# value is the Chinese name; a dialect (方言:<name>) is shown as stored.
_LANGUAGES: LabelTable = {
    "普通话": Text("普通话", "Mandarin"),
    "粤语": Text("粤语", "Cantonese"),
    "闽南语": Text("闽南语", "Hokkien"),
    "客家话": Text("客家话", "Hakka"),
    "吴语": Text("吴语", "Wu"),
    "湘语": Text("湘语", "Xiang"),
    "赣语": Text("赣语", "Gan"),
    "晋语": Text("晋语", "Jin"),
    "藏语": Text("藏语", "Tibetan"),
    "维吾尔语": Text("维吾尔语", "Uyghur"),
    "蒙古语": Text("蒙古语", "Mongolian"),
    "壮语": Text("壮语", "Zhuang"),
    "英语": Text("英语", "English"),
    "手语": Text("手语", "sign language"),
}

LABELS: dict[str, LabelTable] = {
    # hall.ratings.REASONS: why a customer rated low on the hall's rating pad.
    "rating_reason": {
        "wait": Text("等候时间长", "long wait"),
        "attitude": Text("服务态度", "staff attitude"),
        "unsolved": Text("问题没解决", "problem not solved"),
        "process": Text("手续繁琐", "too many steps"),
        "environment": Text("环境设施", "hall and facilities"),
    },
    # cases.models.AlertKind
    "alert_kind": {
        "chaser": Text("催单", "Chaser"),
        "complaint_risk": Text("投诉倾向", "Complaint risk"),
        "hard_fault": Text("疑难障碍", "Hard fault"),
    },
    # cases.models.Escalation
    "escalation_level": {
        "0": Text("未升级", "not escalated"),
        "1": Text("班组长", "the team leader"),
        "2": Text("服务质量监督中心", "the service quality supervision centre"),
    },
    # callcentre.choices.Purpose
    "callback_purpose": {
        "remote_fix": Text("远程处理后回访", "Callback after a remote fix"),
        "uncertain": Text("无把握修复回访", "Callback after an uncertain fix"),
        "untested": Text("未与客户测试回访", "Callback after a fix not tested with the customer"),
        "audit": Text("回单真实性抽访", "Closure audit call"),
        "complaint": Text("投诉后回访", "Callback after a complaint"),
    },
    # A callback answer (callcentre.services._label): yes / no / not sure; a score as it is.
    "callback_answer": {
        "True": Text("是", "yes"),
        "False": Text("否", "no"),
        "None": Text("不清楚", "not sure"),
    },
    # The built-in compliance catalog's required elements (phrases.element_label).
    "routine_elements": {
        "greeting": Text("问候客户", "greet the customer"),
        "self_introduction": Text("介绍自己和公司", "introduce self and company"),
        "confirm_person": Text(
            "核实客户身份（上门时核对工单）", "confirm the person (and the order on a visit)"
        ),
        "reason": Text("说明来电或上门事由", "state the reason for the call or visit"),
        "confirm_time": Text("约定时间并复述确认", "agree the time and repeat it back"),
        "thanks": Text("感谢客户", "thank the customer"),
        "farewell": Text("道别", "say goodbye"),
        "ask_need": Text("询问客户需求（问有答声）", "ask what the customer needs"),
    },
    # QA-03 steps: a complaint's handling steps (the norm catalog's Chinese).
    "missing_steps": {
        "apologise": Text("致歉", "apologise"),
        "listen fully": Text("听完", "listen fully"),
        "record": Text("记录", "record"),
        "solution or time limit": Text("给出解决办法或时限", "a solution or a time limit"),
        "apologise again": Text("再次致歉", "apologise again"),
        "farewell": Text("道别", "farewell"),
    },
    # STF-06 partner_sanctions (the norm's default ladder; another value is shown as stored).
    "sanction_measure": {
        "经济处罚": Text("经济处罚", "fine"),
        "约谈警示": Text("约谈警示", "warning interview"),
        "终止合作": Text("终止合作", "partnership terminated"),
    },
    "call_language": _LANGUAGES,
    "default_language": _LANGUAGES,
}
