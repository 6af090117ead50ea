"""Property tests: no input crashes the checker, and every span is a slice of the original."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guifan.compliance.checker import checker_build
from guifan.compliance.records import line_check
from guifan.compliance.verdict import Transcript, Turn

CHECKER = checker_build()
PIECES = [
    "我也不清楚",
    "不关我的事",
    "谁告诉您的",
    "這個問題不是我們的職責範圍",
    "你问我，我问谁",
    "您好",
    "请",
    "“",
    "”",
    "「",
    "啊",
    "，",
    " ",
    "\n",
    "\x00",
    "ｗ",
    "㎏",
    "😀",
]
TEXT = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=12).map("".join)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(["staff", "customer"]), TEXT), max_size=5))
def test_spans_are_slices_of_the_original_turn(turns):
    transcript = Transcript(id="p", channel="hall", turns=tuple(Turn(s, t) for s, t in turns))
    verdict = CHECKER.check(transcript)
    for f in verdict.findings:
        assert turns[f.turn][0] == "staff"
        assert turns[f.turn][1][f.start : f.end] == f.text
        assert f.text
    assert 0 <= verdict.score <= 100


@settings(max_examples=300, deadline=None)
@given(st.one_of(JSON, st.fixed_dictionaries({"id": JSON, "channel": JSON, "turns": JSON})))
def test_any_json_value_gives_a_result_or_an_error(value):
    raw = json.dumps(value).encode()
    result = line_check(raw, 1, CHECKER)
    assert result is not None
    assert set(result.payload) in (
        {"id", "error"},
        {"id", "findings", "courtesy", "missing", "score"},
    )


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=64))
def test_any_bytes_give_a_result_an_error_or_nothing(raw):
    result = line_check(raw, 1, CHECKER)
    assert result is None or "error" in result.payload or "findings" in result.payload
