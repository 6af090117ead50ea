"""How the day's calls and visits sound once the speech system has written them (ADR 0023).

The desk's transcripts come from the scripts (LNG-03). This module adds what real speech has:
a technician who forgets the customer's surname in the greeting (LNG-05), a jargon word, often
explained, sometimes followed by "did I explain that clearly?" (LNG-07), the language the call
was held in — mostly Mandarin, a few dialect customers who ask for theirs, and a few technicians
who slip into dialect unasked (LNG-04) — and recognition noise: a forbidden phrase written with a
homophone or a similar-looking character (LNG-02). Rates only; the product's rules decide the
verdicts. It draws from its own random stream, so the rest of the day is unchanged.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import Any

from guifan.compliance.asr import primary, shapes_builtin

NEGATIONS = "不没别未非无莫勿"
DIALECTS = ("方言:四川话", "方言:四川话", "方言:重庆话", "粤语")
ASKS = ("我听不懂普通话,你讲四川话嘛。", "普通话我听不太懂,说本地话好不好?")
JARGON = [
    ("您家PON口的光衰有点大", "也就是光信号变弱了", "我重新接了一下"),
    ("光猫的LOID没配上", "意思是光猫的认证编号没登记", "我已经改好了"),
    ("ONU注册失败了", "简单说就是光猫没有登记上", "现在登记好了"),
    ("VLAN配错了", "就是说网络分组设错了", "我帮您改过来了"),
    ("PPPoE拨号一直失败", "通俗地说就是宽带拨号上网连不上", "账号密码我重新填好了"),
]
CONFIRM = ("我这样说清楚了吗?", "您听明白了吗?", "还有哪里不明白的吗?")


@dataclass
class Rates:
    """How often each thing happens on a call or visit."""

    forget_surname: float = 0.15
    jargon: float = 0.35
    explained: float = 0.6
    confirm: float = 0.6
    dialect: float = 0.08
    asked: float = 0.65
    asr_noise: float = 0.5


@cache
def _by_sound() -> dict[str, list[str]]:
    """Common characters (GB 2312 level 1) by their most common toneless reading."""
    out: dict[str, list[str]] = {}
    for row in range(0xB0, 0xD8):
        for cell in range(0xA1, 0xFF):
            try:
                ch = bytes([row, cell]).decode("gb2312")
            except UnicodeDecodeError:
                continue
            out.setdefault(primary(ch), []).append(ch)
    return out


def misheard(rng: random.Random, phrase: str) -> str:
    """``phrase`` with one character written as a homophone or a similar-looking one."""
    spots = [i for i, c in enumerate(phrase) if "\u4e00" <= c <= "\u9fff" and c not in NEGATIONS]
    rng.shuffle(spots)
    shapes = shapes_builtin()
    for i in spots:
        ch = phrase[i]
        sound = [c for c in _by_sound().get(primary(ch), []) if c != ch]
        look = sorted(shapes.get(ch, ()))
        pool = sound if sound and (not look or rng.random() < 0.6) else look
        if pool:
            return phrase[:i] + rng.choice(pool) + phrase[i + 1 :]
    return phrase


class Speech:
    """Draws the speech side of each transcript from its own stream."""

    def __init__(self, seed: int, rates: Rates | None = None) -> None:
        self.rng = random.Random(seed)
        self.rates = rates or Rates()

    def address(self, customer: dict[str, Any]) -> dict[str, str]:
        """Surname and title for the script, or none when the technician forgets them."""
        if self.rng.random() < self.rates.forget_surname:
            return {"surname": "", "title": ""}
        return {"surname": customer["name"][0], "title": customer.get("title", "")}

    def rude(self, phrase: str) -> str:
        """The forbidden phrase as recognised: sometimes misheard."""
        if phrase and self.rng.random() < self.rates.asr_noise:
            return misheard(self.rng, phrase)
        return phrase

    def dress(self, staff: list[str], channel: str) -> tuple[list[str], list[str], dict[str, Any]]:
        """Add jargon and the language; return staff lines, customer lines, extra body fields."""
        r, rng = self.rates, self.rng
        staff = list(staff)
        customer: list[str] = []
        if channel == "visit" and rng.random() < r.jargon:
            said, gloss, done = rng.choice(JARGON)
            line = f"{said},{gloss},{done}。" if rng.random() < r.explained else f"{said},{done}。"
            if rng.random() < r.confirm:
                line += rng.choice(CONFIRM)
            staff.insert(min(len(staff), 4), line)
        extra: dict[str, Any] = {"language": "普通话"}
        if rng.random() < r.dialect:
            extra["language"] = rng.choice(DIALECTS)
            if rng.random() < r.asked:
                customer.append(rng.choice(ASKS))
        return staff, customer, extra


def speech_report() -> dict[str, Any]:
    """Speech figures for the report's quality centre: ASR spellings found, languages, LNG-04/05/07."""
    from guifan.apps.compliance.models import TranscriptCheck

    variants: Counter[str] = Counter()
    languages: Counter[str] = Counter()
    manner: dict[str, Counter[str]] = {}
    for row in TranscriptCheck.objects.values("findings", "language", "manner"):
        variants.update(f.get("variant", "exact_or_wording") for f in row["findings"])
        if row["language"]:
            languages[row["language"]] += 1
        for norm, outcome in (row["manner"] or {}).items():
            manner.setdefault(norm, Counter())["kept" if outcome.get("kept") else "broken"] += 1
    return {
        "speech": {
            "forbidden_by_variant": dict(sorted(variants.items())),
            "languages": dict(sorted(languages.items())),
            "manner": {k: dict(v) for k, v in sorted(manner.items())},
        }
    }
