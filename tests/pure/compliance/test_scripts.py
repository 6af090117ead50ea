from __future__ import annotations

import pytest

from guifan.compliance.scripts import scriptbook_load
from guifan.compliance.verdict import Transcript, Turn

BOOK = scriptbook_load()
MOMENTS = [
    "booking",
    "arrival",
    "testing",
    "leaving",
    "running_late",
    "not_finished",
    "customer_unhappy",
    "refusal",
]


def test_every_lng03_moment_has_a_script():
    assert list(BOOK.scripts) == MOMENTS
    assert all(s.sources for s in BOOK.scripts.values())


def test_customer_is_addressed_by_surname_and_title():
    assert BOOK.address(surname="陈", title="小姐") == "陈小姐"
    assert BOOK.address(age_group="elderly") == "老先生"
    assert BOOK.address() == ""
    lines = BOOK.render("arrival", name="张先生", staff="小王", company="中国铁通")
    assert lines[0] == "张先生，您好，我是中国铁通装维人员小王，这是我的工作证。"
    assert BOOK.render("testing")[0] == "您的宽带已经通了，请您使用一下。"
    with pytest.raises(ValueError, match="age_group"):
        BOOK.address(age_group="teen")


def test_unknown_moment_is_an_error():
    with pytest.raises(KeyError, match="unknown moment"):
        BOOK.render("lunch")


@pytest.mark.parametrize("moment", MOMENTS)
def test_scripts_contain_no_forbidden_phrase(checker, moment):
    for line in BOOK.render(moment, name="陈小姐"):
        assert checker.find(line) == ()


def test_booking_script_is_a_complete_booking_call(checker):
    lines = BOOK.render("booking", name="陈小姐", staff="小王", time="明天上午十点")
    verdict = checker.check(Transcript("b", "phone", tuple(Turn("staff", x) for x in lines)))
    assert verdict.missing == ()
    assert verdict.score == 100


def test_visit_scripts_together_make_a_complete_visit(checker):
    lines = [
        line
        for moment in ("arrival", "testing", "leaving")
        for line in BOOK.render(moment, name="陈小姐", staff="小王")
    ]
    verdict = checker.check(Transcript("v", "visit", tuple(Turn("staff", x) for x in lines)))
    assert verdict.missing == ()
    assert dict(verdict.courtesy)["再见"] == 1
