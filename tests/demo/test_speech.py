"""The demo's speech noise: one misheard character, found by the checker (ADR 0023)."""

from __future__ import annotations

import random

import pytest

from guifan.compliance.checker import checker_build
from guifan.demo.asr import Speech, misheard
from guifan.demo.scenario import RUDE


@pytest.mark.parametrize("seed", range(5))
def test_a_misheard_rude_phrase_changes_one_character_and_is_still_found(seed):
    checker, rng = checker_build(), random.Random(seed)
    for phrase in RUDE:
        said = misheard(rng, phrase)
        changed = [i for i, (a, b) in enumerate(zip(said, phrase, strict=True)) if a != b]
        assert len(changed) == 1 and phrase[changed[0]] not in "不没别"
        found = checker.find(f"这个嘛,{said}。")
        # 得 for 的 is a catalog fold: an exact match, no variant.
        assert len(found) == 1 and found[0].variant in ("homophone", "shape", ""), said


def test_speech_draws_from_its_own_stream():
    a, b = Speech(3), Speech(3)
    staff = ["您好。", "我看一下。", "谢谢,再见。"]
    assert [a.dress(staff, "visit") for _ in range(20)] == [
        b.dress(staff, "visit") for _ in range(20)
    ]
