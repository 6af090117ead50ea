from __future__ import annotations

import pytest

from guifan.compliance.checker import Checker, quoted_regions
from guifan.compliance.verdict import Transcript, Turn


def found(checker: Checker, text: str) -> list[tuple[str, str]]:
    """(original text, catalog phrase) of each finding, checking the offsets on the way."""
    out = []
    for f in checker.find(text):
        assert text[f.start : f.end] == f.text
        out.append((f.text, f.phrase))
    return out


@pytest.mark.parametrize(
    ("said", "as_said", "phrase"),
    [
        # Exact, in the middle of a sentence.
        ("这个事情我也不清楚，您去问别人吧", "我也不清楚", "我也不清楚"),
        # Traditional characters.
        (
            "這個問題不是我們的職責範圍，您找別處",
            "這個問題不是我們的職責範圍",
            "这个问题不是我们的职责范围",
        ),
        (
            "我們營業廳解決不了你這個問題",
            "我們營業廳解決不了你這個問題",
            "我们营业厅解决不了你这个问题",
        ),
        # Full-width letters and punctuation.
        ("ＯＫ，不行就是不行！", "不行就是不行", "不行就是不行!"),
        # Punctuation and spaces inside the phrase.
        ("你问我，我问谁？", "你问我，我问谁", "你问我,我问谁?"),
        ("办 不 了 ， 这 是 公 司 规 定", "办 不 了 ， 这 是 公 司 规 定", "办不了,这是公司规定"),
        # 你 for 您 and 您 for 你.
        ("谁告诉你的？", "谁告诉你的", "谁告诉您的?!"),
        ("您怎么这样？", "您怎么这样", "你怎么这样?"),
        # Fillers inside.
        ("我也啊不清楚呢", "我也啊不清楚", "我也不清楚"),
        ("用不起吧就别用", "用不起吧就别用", "用不起就别用!"),
        # One character added inside.
        ("我也不太清楚", "我也不太清楚", "我也不清楚"),
        ("服务的用户太多了，所以晚了", "服务的用户太多", "服务用户太多"),
        ("刚才跟你说过了，怎么又还问", "刚才跟你说过了，怎么又还问", "刚才跟你说过了,怎么还问?"),
        # One character missing inside.
        ("不关我事", "不关我事", "不关我的事!"),
        ("办不了，这是司规定", "办不了，这是司规定", "办不了,这是公司规定"),
        ("你要去找他们电信公问问", "你要去找他们电信公问问", "你要去找他们电信公司问问"),
        # Traditional, full width, filler and a missing character at once.
        ("對不起，我修ａ不來。", "對不起，我修ａ不來", "对不起,我修不来。"),
    ],
)
def test_variant_is_found_with_offsets_in_the_original(checker, said, as_said, phrase):
    assert found(checker, said) == [(as_said, phrase)]


@pytest.mark.parametrize(
    "said",
    [
        # Cut short at either end.
        "告诉您的那个号码是多少",
        "这个他也不清楚",
        "不关我的，是您的",
        "用不起的话可以换套餐",
        "不行就是",
        # Innocent sentences sharing characters.
        "我也清楚您的难处",
        "您怎么样称呼",
        "我怎么不知道有这个活动",
        "这个问题是我们的职责，您放心",
        "我们营业厅可以解决您这个问题",
        "服务用户是我们的本分",
        "您要去找的那家营业厅在对面",
        "您问我的问题我马上帮您查",
        # Two characters away from a phrase.
        "我也不太能清楚",
        "不关我们家的事",
        # Quoted: citing the rule.
        "规定里写了不能说“我也不清楚”这种话",
        "培训时讲过「不行就是不行」是禁语",
        '您说的是"谁告诉您的"那句吗',
        "他说“不关我的事",
    ],
)
def test_not_a_finding(checker, said):
    assert found(checker, said) == []


def test_only_staff_turns_produce_findings(checker):
    verdict = checker.check(
        Transcript(
            id="t1",
            channel="hall",
            turns=(
                Turn("customer", "我也不清楚，不关我的事"),
                Turn("staff", "您好，我也不清楚"),
            ),
        )
    )
    assert [(f.turn, f.start, f.end, f.text) for f in verdict.findings] == [(1, 3, 8, "我也不清楚")]


def test_repeated_phrase_is_reported_each_time(checker):
    text = "不行就是不行！我说了，不行就是不行"
    assert [(f.start, f.end) for f in checker.find(text)] == [(0, 6), (11, 17)]


def test_quoted_regions_cover_unclosed_quotes():
    assert quoted_regions("a“b”c「d", [("“", "”"), ("「", "」")]) == [(1, 3), (5, 7)]


def test_courtesy_words_are_counted_in_staff_turns_only(checker):
    verdict = checker.check(
        Transcript(
            id=1,
            channel="hall",
            turns=(
                Turn("staff", "您好！請問您辦理什麼業務？您申请的号码好了，谢谢，再见。"),
                Turn("customer", "谢谢，再见"),
                Turn("staff", "对不起让您久等了，您好像还有一张单子，请签字"),
            ),
        )
    )
    assert dict(verdict.courtesy) == {"您好": 1, "请": 2, "对不起": 1, "谢谢": 1, "再见": 1}
    assert verdict.missing == ()
    assert verdict.score == 100


def test_phone_call_lists_missing_elements_in_routine_order(checker):
    verdict = checker.check(
        Transcript(
            id="c",
            channel="phone",
            turns=(
                Turn(
                    "staff", "喂，我是中国电信的装维师傅小李，您家宽带报障了，明天上午九点过来行吗"
                ),
                Turn("customer", "行"),
                Turn("staff", "我也不清楚"),
            ),
        )
    )
    assert verdict.missing == ("greeting", "confirm_person", "thanks", "farewell")
    assert verdict.score == 100 - 20 - 4 * 8


def test_complete_visit_has_nothing_missing(checker):
    verdict = checker.check(
        Transcript(
            id="v",
            channel="visit",
            turns=(
                Turn("staff", "张先生您好，我是中国铁通线务员王强，这是我的工作证。"),
                Turn("staff", "请问这是张先生家吗？按预约现在上门为您装机。"),
                Turn("customer", "是的，请进"),
                Turn("staff", "宽带已经通了，谢谢您使用中国铁通的业务，打扰了，再见"),
            ),
        )
    )
    assert verdict.missing == ()
    assert verdict.findings == ()


def test_unknown_channel_is_an_error(checker):
    with pytest.raises(ValueError, match="unknown channel"):
        checker.check(Transcript(id="x", channel="fax", turns=()))


def test_no_match_spans_two_staff_turns(checker):
    verdict = checker.check(
        Transcript(id="x", channel="hall", turns=(Turn("staff", "我也"), Turn("staff", "不清楚")))
    )
    assert verdict.findings == ()


def test_innocent_wordings_listed_in_the_catalog_are_not_variants(checker):
    assert found(checker, "信号不好，我也听不清楚您说的") == []
    assert found(checker, "这个我也搞不清楚") == [("我也搞不清楚", "我也不清楚")]


def test_findings_in_several_turns_keep_original_offsets(checker):
    turns = (
        Turn("staff", "您好！"),
        Turn("customer", "我也不清楚"),
        Turn("staff", "哎，這個問題不是我們的職責範圍，不行就是不行。"),
        Turn("staff", "  謝謝，你問我，我問誰？"),
    )
    verdict = checker.check(Transcript(id="m", channel="hall", turns=turns))
    got = [(f.turn, f.text, f.phrase) for f in verdict.findings]
    assert got == [
        (2, "這個問題不是我們的職責範圍", "这个问题不是我们的职责范围"),
        (2, "不行就是不行", "不行就是不行!"),
        (3, "你問我，我問誰", "你问我,我问谁?"),
    ]
    for f in verdict.findings:
        assert turns[f.turn].text[f.start : f.end] == f.text


@pytest.mark.parametrize(
    ("channel", "staff", "missing"),
    [
        (
            "phone",
            "喂你好 我是电信装维的小王 您是李女士吧 您家宽带报修了 "
            "明天下午两点过来行不行 谢谢 拜拜",
            (),
        ),
        (
            "phone",
            "您好，这里是中国移动客服中心，请问您是机主本人吗？给您打电话是想确认一下安装时间。",
            ("thanks", "farewell"),
        ),
        # A name without a company is no self-introduction (APT-09: self and company).
        (
            "phone",
            "您好，我是装维师傅小王。",
            ("self_introduction", "confirm_person", "reason", "confirm_time", "thanks", "farewell"),
        ),
        (
            "visit",
            "您好，我是中国电信的工程师，请问这是王先生家吗？我来给您修宽带。谢谢，再见。",
            (),
        ),
        ("hall", "您好，欢迎光临，请问您办理什么业务？好的，慢走。", ()),
        ("hall", "下一位。身份证。签字。", ("greeting", "ask_need", "farewell")),
    ],
)
def test_required_elements_per_channel(checker, channel, staff, missing):
    verdict = checker.check(Transcript(id="e", channel=channel, turns=(Turn("staff", staff),)))
    assert verdict.missing == missing


def test_a_stuttered_negation_is_still_the_phrase(checker):
    assert found(checker, "用不不起就别用") == [("用不不起就别用", "用不起就别用!")]
    assert found(checker, "我也不不清楚") == [("我也不不清楚", "我也不清楚")]
    assert found(checker, "我怎么不知道") == []


def test_courtesy_words_are_not_read_across_punctuation(checker):
    turns = (Turn("staff", "谢谢您，好的，再 见"), Turn("staff", "你好呀，请坐"))
    verdict = checker.check(Transcript(id="p", channel="hall", turns=turns))
    assert dict(verdict.courtesy) == {"您好": 1, "请": 1, "对不起": 0, "谢谢": 1, "再见": 0}


def test_every_inner_insertion_and_deletion_of_every_phrase_is_found(checker):
    """Exhaustive over positions: the anchors cover every insertion point."""
    norm = checker.normalizer.normalize
    for p in checker.catalog.forbidden:
        key = norm(p.phrase)
        innocent = {norm(v) for v in p.not_variants}
        forms = [key[:k] + x + key[k:] for k in range(1, len(key)) for x in "太都啊a"]
        forms += [key[:j] + key[j + 1 :] for j in range(1, len(key) - 1) if key[j] not in "不没别"]
        for form in forms:
            if form in innocent:
                continue
            said = f"嗯，那个{form}，您看。"
            got = found(checker, said)
            assert [phrase for _, phrase in got] == [p.phrase], said
