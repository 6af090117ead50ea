"""LNG-05 (surname and title), LNG-07 (plain words) and LNG-04 (language) in the checker."""

from __future__ import annotations

import pytest

from guifan.compliance.manner import surname_of
from guifan.compliance.phrases import CatalogError, catalog_from_dict
from guifan.compliance.verdict import Transcript, Turn

TITLES = ["先生", "小姐", "女士", "老先生", "老奶奶", "老师傅", "阿伯", "阿婆", "小同学", "小朋友"]


def call(*staff: str, customer: str = "嗯。") -> Transcript:
    turns = []
    for line in staff:
        turns += [Turn("staff", line), Turn("customer", customer)]
    return Transcript(id=1, channel="visit", turns=tuple(turns))


@pytest.mark.parametrize(
    ("said", "surname", "kept"),
    [
        ("张先生您好，我是电信装维人员。", "张", True),
        ("您好，请问是张老先生家吗？", "张", True),
        # Speech recognition writes the surname as a homophone.
        ("章女士，您好！", "张", True),
        ("欧阳小姐您好。", "欧阳", True),
        ("您好，我是电信装维人员。", "张", False),
        # Another surname with the title is not this customer's.
        ("王先生您好。", "张", False),
        # No surname known: a title alone is enough.
        ("先生您好，我是电信的。", "", True),
        ("您好，我是电信的。", "", False),
    ],
)
def test_address_in_the_opening(checker, said, surname, kept):
    outcome = checker.manner.address(call(said), surname=surname, titles=TITLES)
    assert outcome is not None and outcome.kept is kept and outcome.norm == "LNG-05"


def test_address_is_only_judged_when_the_opening_greets(checker):
    assert checker.manner.address(call("我看一下光猫。"), surname="张", titles=TITLES) is None


def test_address_counts_only_the_first_two_staff_turns(checker):
    late = call("您好，我是电信的。", "我看一下。", "张先生，好了。")
    assert not checker.manner.address(late, surname="张", titles=TITLES).kept


def test_surname_of_full_names():
    assert surname_of("张三") == "张"
    assert surname_of("欧阳明") == "欧阳"
    assert surname_of("") == ""


@pytest.mark.parametrize(
    ("staff", "kept", "reason"),
    [
        (["您家光猫坏了，我给您换一个。"], True, "未使用"),
        (["您家PON口松了，也就是光纤接口，我插好了。您听明白了吗？"], True, "确认"),
        (["光衰太大了。", "就是说光信号变弱了，我说清楚了吗？"], True, "确认"),
        (["您家的LOID我改好了。"], False, "LOID"),
        (["ONU注册失败了，也就是光猫没登记上。"], False, "未确认"),
        # Confirmation before the jargon does not check understanding of it.
        (["我说清楚了吗？", "VLAN不对，也就是网络分组错了。"], False, "未确认"),
        # Latin terms match whole words only.
        (["BONUS积分我帮您查一下。"], True, "未使用"),
    ],
)
def test_jargon_and_confirmation(checker, staff, kept, reason):
    outcome = checker.manner.jargon(call(*staff))
    assert outcome.kept is kept and outcome.norm == "LNG-07"
    assert reason in outcome.reason


@pytest.mark.parametrize(
    ("language", "customer", "requested", "kept"),
    [
        ("普通话", "嗯。", False, True),
        ("粤语", "嗯。", False, False),
        ("粤语", "嗯。", True, True),
        ("方言:四川话", "我听不懂普通话，你说四川话嘛。", False, True),
        ("方言：温州话", "好的。", False, False),
    ],
)
def test_language(checker, language, customer, requested, kept):
    outcome = checker.manner.language(
        call("您好。", customer=customer), language=language, requested=requested
    )
    assert outcome.kept is kept and outcome.norm == "LNG-04"


@pytest.mark.parametrize("language", ["火星语", "方言:", "方言:" + "长" * 21, ""])
def test_unknown_language_is_refused(checker, language):
    assert not checker.catalog.languages.valid(language)
    with pytest.raises(ValueError, match="language"):
        checker.manner.language(call("您好。"), language=language)


@pytest.mark.parametrize(
    ("data", "where"),
    [
        ({"plain_words": {"jargon": [{"term": "ONU"}]}}, "plain_words.jargon"),
        ({"plain_words": {"explain_window": -1}}, "explain_window"),
        ({"plain_words": []}, "plain_words"),
        ({"languages": {"known": "普通话"}}, "languages.known"),
    ],
)
def test_bad_manner_data_names_the_field(data, where):
    with pytest.raises(CatalogError, match=where):
        catalog_from_dict({"courtesy": {"words": []}, **data})
