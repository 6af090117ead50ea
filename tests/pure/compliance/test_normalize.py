from __future__ import annotations

from guifan.compliance.normalize import Normalizer, to_simplified

N = Normalizer(fillers="啊呀嘛吧呢", folds={"你": "您"})


def test_traditional_becomes_simplified_with_the_same_length():
    assert to_simplified("這個問題不是我們的職責範圍") == "这个问题不是我们的职责范围"
    assert to_simplified("abc") == "abc"


def test_width_punctuation_spaces_fillers_and_you_are_folded():
    assert N.normalize("ＡＢ１２３") == "ab123"
    assert N.normalize("我　也，不 清楚啊！") == "我也不清楚"
    assert N.normalize("你好呀") == "您好"
    assert N.normalize("謝謝妳") == "谢谢妳"  # 妳 is not folded unless the catalog says so


def test_index_maps_each_normalised_character_to_its_original_offset():
    text = "嗯，我 也（啊）不清楚。"
    norm, index = N.normalize_with_index(text)
    assert norm == "嗯我也不清楚"
    assert [text[i] for i in index] == list("嗯我也不清楚")


def test_control_characters_and_other_scripts_do_not_break_normalisation():
    text = "\x00ok\u200b日本語テキスト\ud800😀"
    norm, index = N.normalize_with_index(text)
    assert norm == "ok日本语テキスト"
    assert len(norm) == len(index)


def test_index_handles_characters_that_expand():
    text = "约5㎏的我也不清楚"
    norm, index = N.normalize_with_index(text)
    assert norm == "约5kg的我也不清楚"
    assert index[:5] == [0, 1, 2, 2, 3]
    assert len(index) == len(norm)


def test_normalize_many_joins_turns_on_line_breaks():
    joined, starts, bounded = N.normalize_many(["我也，", "不清楚", ""])
    assert joined == "我也\n不清楚\n"
    assert starts == [0, 3, 7]
    assert bounded == "我也\x1f\n不清楚\n"
