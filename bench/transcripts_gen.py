"""Generate a labelled set of call, visit and hall transcripts for the compliance checker.

The labels come from the generator alone: it knows where it put each forbidden phrase and how
it disguised it. It never calls the checker. Output: JSON Lines of transcripts (the CLI input)
and a labels file with, per finding, ``id``, ``turn``, ``phrase``, ``start``, ``end`` and the
variant ``kind``; hard negatives are listed too (``negatives``) so false positives can be
attributed.

    python bench/transcripts_gen.py --n 400 --seed 7 --out var/bench/transcripts

Variant kinds (positives): exact, traditional, fullwidth, punct_space, you_swap, filler,
char_missing, char_added, stutter, combo; about one transcript in eight is then written
entirely in Traditional characters. Hard negatives: customer turns, quoted citations, phrases
cut short at either end, innocent sentences sharing characters, one-character substitutions,
two-character edits and edits that drop or add a negation.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

# The 16 forbidden phrases of NORMS.md in Simplified Chinese (the contract's `phrase`), with
# the Traditional text a Traditional-script transcript would contain.
PHRASES: list[tuple[str, str]] = [
    ("我不是跟您说得很清楚了吗?!", "我不是跟您說得很清楚了嗎?!"),
    ("谁告诉您的?!", "誰告訴您的?!"),
    ("不关我的事!", "不關我的事!"),
    ("我怎么知道?", "我怎麼知道?"),
    ("用不起就别用!", "用不起就別用!"),
    ("你怎么这样?", "你怎麼這樣?"),
    ("刚才跟你说过了,怎么还问?", "剛才跟你說過了,怎麼還問?"),
    ("不行就是不行!", "不行就是不行!"),
    ("你问我,我问谁?", "你問我,我問誰?"),
    ("办不了,这是公司规定", "辦不了,這是公司規定"),
    ("这个问题不是我们的职责范围", "這個問題不是我們的職責範圍"),
    ("我们营业厅解决不了你这个问题", "我們營業廳解決不了你這個問題"),
    ("你要去找他们电信公司问问", "你要去找他們電信公司問問"),
    ("我也不清楚", "我也不清楚"),
    ("对不起,我修不来。", "對不起,我修不來。"),
    ("服务用户太多", "服務用戶太多"),
]

PUNCT = set(",.!?;:，。！？；：、 ")
NEGATIONS = set("不没别未非无莫勿")
FILLERS = "啊呀嘛吧呢"
INSERTABLE = "的们也都就还太真再又是这个会能那给"
FULLWIDTH = {",": "，", "?": "？", "!": "！", ".": "．"}

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余杜叶程魏苏吕丁任沈姚卢傅钟姜崔谭廖范汪陆金石戴贾韦夏邱方侯邹熊孟秦白江阎薛尹段雷黎史龙陶贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
TITLES = ["先生", "女士", "小姐", "阿姨", "叔叔", "大爷", "老师"]
COMPANIES = ["中国电信", "中国移动", "中国铁通", "中国联通", "电信", "移动公司"]
ROLES = ["装维工程师", "线务员", "装维师傅", "宽带工程师", "客户经理", "维修工程师"]
STAFF_NAMES = ["小王", "小李", "小张", "刘强", "陈明", "赵磊", "周杰", "吴芳", "孙伟", "马超"]
DAYS = ["今天", "明天", "后天", "周六", "星期三", "这周五"]
HALVES = ["上午", "下午", "晚上"]
CLOCK = ["九点", "十点", "十点半", "两点", "三点", "四点", "9点", "10点", "14点", "15点半"]
PRODUCTS = ["宽带", "光纤宽带", "IPTV", "固话", "千兆宽带", "家庭组网"]
BUSINESS = ["补卡", "换套餐", "交话费", "办宽带", "开发票", "改实名信息", "销户", "办副卡"]
STREETS = ["人民路", "建设街", "解放大道", "青年路", "和平里", "文化路", "学府街", "滨江路"]


@dataclass
class Labelled:
    """One transcript with its labels."""

    id: str
    channel: str
    turns: list[dict[str, str]] = field(default_factory=list)
    findings: list[dict[str, object]] = field(default_factory=list)
    negatives: list[dict[str, object]] = field(default_factory=list)


def content_positions(text: str) -> list[int]:
    return [i for i, ch in enumerate(text) if ch not in PUNCT]


def core(phrase: str) -> str:
    """The phrase without leading or trailing punctuation."""
    return phrase.strip("".join(PUNCT))


# ---------------------------------------------------------------------------------------------
# Disguises of a forbidden phrase. Each returns the surface text as said.


def v_exact(rng: random.Random, i: int) -> str:
    return core(PHRASES[i][0])


def v_traditional(rng: random.Random, i: int) -> str:
    return core(PHRASES[i][1])


def v_fullwidth(rng: random.Random, i: int) -> str:
    text = core(PHRASES[i][rng.randrange(2)])
    out = []
    for ch in text:
        if ch in FULLWIDTH:
            out.append(FULLWIDTH[ch])
        elif rng.random() < 0.3 and ch.isascii():
            out.append(chr(ord(ch) + 0xFEE0))
        else:
            out.append(ch)
    # Full-width Latin or digits slipped in by the speech system, plus full-width commas.
    s = "".join(out)
    pos = rng.randrange(1, len(s))
    return s[:pos] + rng.choice(["，", "　", "、"]) + s[pos:]


def _insert_inside(rng: random.Random, text: str, piece: str) -> str:
    pos = content_positions(text)
    k = rng.randrange(1, len(pos))
    at = pos[k]
    return text[:at] + piece + text[at:]


def v_punct_space(rng: random.Random, i: int) -> str:
    text = core(PHRASES[i][0])
    for _ in range(rng.randint(1, 2)):
        text = _insert_inside(rng, text, rng.choice([" ", "，", "、", "...", "——", "。", " , "]))
    return text


def v_you_swap(rng: random.Random, i: int) -> str:
    text = core(PHRASES[i][0])
    if "你" in text or "您" in text:
        return text.translate(str.maketrans({"你": "您", "您": "你"}))
    return text  # no 你/您 in this phrase: exact


def v_filler(rng: random.Random, i: int) -> str:
    text = core(PHRASES[i][0])
    for _ in range(rng.randint(1, 2)):
        text = _insert_inside(rng, text, rng.choice(FILLERS))
    return text


def v_char_missing(rng: random.Random, i: int) -> str | None:
    text = core(PHRASES[i][0])
    pos = content_positions(text)
    inner = [p for p in pos[1:-1] if text[p] not in NEGATIONS]
    if len(pos) < 5 or not inner:
        return None
    at = rng.choice(inner)
    return text[:at] + text[at + 1 :]


def v_char_added(rng: random.Random, i: int) -> str | None:
    text = core(PHRASES[i][0])
    if len(content_positions(text)) < 5:
        return None
    return _insert_inside(rng, text, rng.choice(INSERTABLE))


def v_combo(rng: random.Random, i: int) -> str | None:
    base = rng.choice([v_char_missing, v_char_added])(rng, i)
    if base is None:
        return None
    text = base.translate(str.maketrans({"你": "您", "您": "你"})) if rng.random() < 0.5 else base
    text = _insert_inside(rng, text, rng.choice(FILLERS + "，"))
    if rng.random() < 0.5:
        text = text.translate(
            str.maketrans(
                dict(zip("说这么们问题关别还来谁", "說這麼們問題關別還來誰", strict=True))
            )
        )
    return text


def v_stutter(rng: random.Random, i: int) -> str | None:
    """The speaker repeats one character inside the phrase (one character added)."""
    text = core(PHRASES[i][0])
    pos = content_positions(text)
    if len(pos) < 5:
        return None
    at = rng.choice(pos[1:-1])
    return text[: at + 1] + text[at] + text[at + 1 :]


VARIANTS = {
    "exact": v_exact,
    "traditional": v_traditional,
    "fullwidth": v_fullwidth,
    "punct_space": v_punct_space,
    "you_swap": v_you_swap,
    "filler": v_filler,
    "char_missing": v_char_missing,
    "char_added": v_char_added,
    "combo": v_combo,
    "stutter": v_stutter,
}

# Carriers: what staff say around a forbidden phrase.
CARRIERS = [
    "{x}，您自己再想想办法。",
    "哎，{x}，我这边真没办法。",
    "这个嘛，{x}。",
    "{x}！",
    "您别急，不过{x}。",
    "说实话{x}，您看着办。",
    "{x}，下一位。",
    "我跟您讲，{x}，就这样。",
    "好了好了，{x}。",
    "{x}，我还有别的单子要跑。",
]

# ---------------------------------------------------------------------------------------------
# Hard negatives.

CUT_SHORT = [
    ("谁告诉您的?!", "是邻居告诉您的吗？"),
    ("谁告诉您的?!", "之前有人告诉您的那个号码还能用。"),
    ("我也不清楚", "这个情况物业也不清楚，我去问一下。"),
    ("我也不清楚", "您要是也不清楚密码的话，我帮您重置。"),
    ("不关我的事!", "这个不关您的事，是线路的问题。"),
    ("不关我的事!", "不关机的话路由器会一直亮灯。"),
    ("我怎么知道?", "您想知道怎么知道流量用了多少，可以发短信查询。"),
    ("我不是跟您说得很清楚了吗?!", "说明书上说得很清楚了，我再给您讲一遍。"),
    ("用不起就别用!", "这个功能用不起来的话您随时找我。"),
    ("不行就是不行!", "如果这个时间不行，就是改到明天也可以。"),
    ("刚才跟你说过了,怎么还问?", "刚才跟您说过了，有问题随时问我。"),
    ("你问我,我问谁?", "您问我的这个套餐，我给您详细说说。"),
    ("办不了,这是公司规定", "这是公司规定的流程，我带您一步步办。"),
    ("这个问题不是我们的职责范围", "这个问题我们来处理，您放心。"),
    ("我们营业厅解决不了你这个问题", "营业厅解决不了的话，我们会派师傅上门。"),
    ("你要去找他们电信公司问问", "您要去找的话，电信公司营业厅就在对面。"),
    ("对不起,我修不来。", "对不起，我来晚了。"),
    ("服务用户太多", "我们这个片区用户太多，所以排到下午，请您谅解。"),
]

INNOCENT = [
    "这个问题我马上帮您查一下，请稍等。",
    "您说得很清楚，我明白了，谢谢您。",
    "不是我们营业厅的原因，是光缆被挖断了，我已经帮您报修。",
    "您问的这个问题，我找同事确认一下再答复您。",
    "公司规定要核对身份证，麻烦您出示一下，谢谢。",
    "不行的话我们换一个时间，您看明天上午怎么样？",
    "您怎么称呼？我好登记一下。",
    "我知道您着急，我尽快给您修好。",
    "这样吧，我先帮您把路由器重启一下。",
    "用户太多的时候网速会慢一点，我帮您调一下信道。",
    "这个范围内的信号都没问题，您放心。",
    "我们的职责就是把您的问题解决好。",
    "刚才的测速结果是三百兆，完全正常。",
    "您要去哪个营业厅都可以办理。",
    "服务用户是我们的本分，有问题您随时联系我。",
    "谁家的宽带都要定期重启一下光猫。",
    "我也清楚您等了很久，真的很抱歉。",
    "我清楚您的情况了，马上给您处理。",
    "您怎么样方便就怎么安排，我都可以。",
    "这个我知道，我帮您办。",
    "我问一下后台，马上回复您。",
    "电信公司的客服热线是一万号，您也可以打。",
    "修不好的话我们会给您换一台新的光猫。",
    "我来帮您设置一下无线密码。",
    "这个业务在我们营业厅就能办，不用跑别的地方。",
    "您别担心，不关机也能升级。",
    "我们营业厅今天人比较多，请您稍等一下。",
    "办好了，这是您的回执，请收好。",
    "这是我们公司的服务卡片，有问题随时打电话。",
    "对不起，让您久等了。",
    "信号不太好，我也听不清楚您说的，您再说一遍好吗？",
    "这个标签字太小，我也看不清楚，我拍个照放大看看。",
    "您刚才说的地址我记下了，明天上午过去。",
    "这是公司统一的收费标准，我给您看一下价目表。",
    "我们营业厅周末也上班，您随时可以来。",
    "您问的流量问题，我给您查一下明细。",
    "不用担心，这个问题我们负责到底。",
    "他们那边的师傅明天也会过来帮忙。",
]

SUBSTITUTIONS = [
    "我还不清楚具体是哪根线的问题，先测一下。",
    "谁通知您的？我们这边查不到记录。",
    "不关机的事，您放心用。",
    "我怎么通知您比较方便？",
    "你怎么那样说呢，我们一定处理好。",
    "不行就换成行的方案，您放心。",
    "办得了，这是公司新出的政策。",
    "这个问题不是我们的设备原因。",
]

TWO_EDITS = [
    "我也不是很清楚，我问一下同事马上告诉您。",
    "这个是不关我们这边的事，是物业的线路。",
    "您问我，我去问问主管。",
    "刚才跟您说的那个套餐，怎么样？",
    "我们营业厅能解决您这个问题。",
]

NEGATION_FLIPS = [
    "我也清楚这个情况，给您添麻烦了。",
    "我怎么不知道有这个优惠？我帮您查查。",
    "这个套餐用不起就别换，老套餐挺划算。",
]

# Staff citing a phrase in quotes.
QUOTED = [
    "您说之前的师傅跟您讲“{x}”，对吧？我先向您道歉。",
    "我们培训时专门讲过，不能说「{x}」这种话。",
    '规定里写着"{x}"是禁语，我记下您的投诉了。',
    "您反映的营业员说了“{x}”，我们一定严肃处理。",
]

CUSTOMER_SAYS = [
    "{x}，你们到底修不修？",
    "上次那个人就说{x}，太气人了。",
    "我跟你说，{x}。",
    "{x}！我不管，你们自己看着办。",
]


# ---------------------------------------------------------------------------------------------
# Ordinary speech.


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(TITLES)


def when(rng: random.Random) -> str:
    return rng.choice(DAYS) + rng.choice(HALVES) + rng.choice(CLOCK)


def address(rng: random.Random) -> str:
    building, room = rng.randint(1, 30), rng.randint(101, 2808)
    return f"{rng.choice(STREETS)}{rng.randint(1, 300)}号{building}栋{room}"


def fill(rng: random.Random, template: str) -> str:
    return template.format(
        p=person(rng),
        c=rng.choice(COMPANIES),
        r=rng.choice(ROLES),
        n=rng.choice(STAFF_NAMES),
        t=when(rng),
        d=rng.choice(PRODUCTS),
        b=rng.choice(BUSINESS),
        a=address(rng),
    )


PHONE = {
    "open": [
        "您好，我是{c}的{r}{n}，请问是{p}吗？",
        "喂，您好！我这边是{c}{r}，姓{n}，请问您是{p}吧？",
        "{p}您好，我是{c}的{n}，打扰您一下。",
        "您好您好，{c}{r}{n}，请问{p}在家吗？",
    ],
    "reason": [
        "您申请的{d}现在可以装机了，请问您什么时间方便我们上门为您装机？",
        "您家里的{d}报障了，现在需要上门检修，请问您什么时间方便？",
        "您预约的{d}移机，我们这边安排好了，想跟您约个时间。",
        "您的{d}出现故障，现在需要上门为您检修。",
    ],
    "time": [
        "好的，那我{t}准时上门，您看可以吗？",
        "那我们约在{t}，我到之前半小时给您打电话。",
        "好的，我记一下，{t}，到时候我准时过去。",
        "{t}对吧？好的，我给您登记上。",
    ],
    "close": [
        "谢谢您，再见！",
        "好的，谢谢您的配合，再见。",
        "那就这样，谢谢{p}，明天见。",
        "谢谢您，您先挂电话吧，再见。",
    ],
    "talk": [
        "您那边现在方便接电话吗？",
        "您家的地址是{a}，对吧？",
        "到时候需要您家里留个人，大概一个小时就能装好。",
        "光猫和路由器我们会带过去，您不用另外准备。",
        "您家里的网线是之前装修时就布好的吗？",
        "上门安装不另外收费，费用在营业厅办理时已经说明了。",
        "如果临时有事改时间，您打这个电话找我就行。",
        "我们出发前半个小时会再给您打个电话。",
        "您家是几楼？有电梯吗？",
        "家里有人在的话我们随时可以过去。",
    ],
    "customer": [
        "嗯，是我。",
        "对，就是{a}。",
        "要收费吗？",
        "大概要弄多久？",
        "我家在七楼，有电梯。",
        "什么时候能来啊？",
        "明天上午可以，下午我要上班。",
        "好的，我在家等你们。",
        "你们上次说好来又没来。",
        "能不能早一点？",
        "行，那就这样吧。",
    ],
}

VISIT = {
    "open": [
        "{p}您好，我是{c}线务员{n}，按预约现在上门为您装机，这是我的工作证。",
        "您好，请问这是{p}家吗？我是{c}的{r}，来给您修{d}。",
        "{p}，您好！我是{c}{r}{n}，来为您处理{d}故障。",
    ],
    "work": [
        "请问{d}装在什么地方？",
        "我先把鞋套穿上，工具放在垫布上。",
        "我看一下光猫的灯，光信号有点弱。",
        "这根线我帮您沿着墙角走，您看可以吗？",
        "{p}，您的{d}已经通了，请您使用一下。",
        "我给您测一下网速，现在是三百兆，很正常。",
        "麻烦您在评议表上签一下您的意见。",
        "我把包装和线头都带走，地面也帮您擦干净了。",
        "您还有不明白的地方或有什么需求吗？",
        "我先检查一下入户的光纤，您稍等。",
        "这个面板有点松，我给您固定一下。",
        "路由器放在客厅中间，信号会好一些。",
        "电视也连上了，可以看直播和回看。",
        "这是光猫，上面贴的标签写着宽带账号和报修电话。",
        "我帮您把手机连上无线，密码写在这张卡片上了。",
        "您试一下看视频卡不卡。",
        "这个插座接触不好，建议您找电工换一个。",
        "我需要在这里打一个小孔，您同意吗？",
        "这个位置走线不好看，我给您换到柜子后面。",
    ],
    "close": [
        "这是我的服务卡片，有问题请随时与我联系或拨打10000，谢谢您，再见。",
        "{p}，谢谢您使用{c}的业务，打扰了，再见。",
        "很高兴为您服务，请留步，再见！",
    ],
    "customer": [
        "请进，不用换鞋了。",
        "网一直断断续续的。",
        "装在书房吧。",
        "好了吗？快一点，我还要出门。",
        "你们师傅上次来说是线路问题。",
        "谢谢师傅。",
    ],
}

HALL = {
    "open": [
        "您好，欢迎光临！请问您办理什么业务？",
        "您好，请问有什么可以帮您？",
        "{p}您好，请坐，您需要办理什么？",
        "您好，请问您要咨询什么业务？",
    ],
    "work": [
        "{b}的话需要您的身份证，麻烦您出示一下。",
        "好的，我帮您查一下，请稍等。",
        "这个套餐每月五十九元，包含三十G流量，您看合适吗？",
        "请您核对一下协议上圈出来的重点内容，确认后签字。",
        "已经帮您办好了，这是回执，请收好。",
        "您这个情况可以在网上营业厅自助办理，我教您操作。",
        "现在人比较多，请您先取号，在那边稍等。",
        "您的号码是一三八开头的吧？",
        "现在有一个宽带融合套餐，您要不要了解一下？",
        "身份证我看一下，好的，核验通过了。",
        "这个业务需要机主本人来办理，或者带上委托书。",
        "请您在这里签字，这里也签一下。",
        "您的积分可以兑换话费，我帮您看看。",
        "补卡需要十块钱工本费，三分钟就好。",
        "这个月的账单我打印出来给您看一下。",
        "这笔是上个月的流量包，我给您解释一下。",
    ],
    "close": [
        "请您对我的服务做个评价，谢谢，慢走！",
        "谢谢您，再见！",
        "好的，还有其他需要随时来，再见。",
    ],
    "customer": [
        "我想{b}。",
        "我这个月话费怎么这么多？",
        "要带什么证件？",
        "好的，谢谢。",
        "能不能快点，我排了很久了。",
        "那我下次再来吧。",
    ],
}

SCRIPTS = {"phone": PHONE, "visit": VISIT, "hall": HALL}


def style(rng: random.Random) -> dict[str, str]:
    """How the speech system punctuates: as written, no punctuation, or spaces for it."""
    kind = rng.choice(["punct", "punct", "bare", "spaced"])
    marks = "，。？！、"
    if kind == "bare":
        return {m: "" for m in marks}
    if kind == "spaced":
        return {m: " " for m in marks}
    return {}


def skeleton(rng: random.Random, channel: str, marks: dict[str, str]) -> list[tuple[str, str]]:
    """An ordinary conversation: (speaker, text) pairs, staff opening and closing."""
    s = SCRIPTS[channel]
    table = str.maketrans(marks)
    turns = [("staff", fill(rng, rng.choice(s["open"])))]
    turns.append(("customer", fill(rng, rng.choice(s["customer"]))))
    if channel == "phone":
        middle = ["reason", *["talk"] * rng.randint(1, 4), "time"]
    else:
        middle = ["work"] * rng.randint(3, 9)
    for stage in middle:
        turns.append(("staff", fill(rng, rng.choice(s[stage]))))
        if rng.random() < 0.7:
            turns.append(("customer", fill(rng, rng.choice(s["customer"]))))
    if rng.random() < 0.85:
        turns.append(("staff", fill(rng, rng.choice(s["close"]))))
    return [(who, text.translate(table).strip()) for who, text in turns]


@dataclass
class Builder:
    """Build one transcript, appending labelled pieces to staff or customer turns."""

    rng: random.Random
    item: Labelled
    turns: list[tuple[str, str]]
    marks: dict[int, str]

    def _place(self, speaker: str) -> int:
        idx = [i for i, (who, _) in enumerate(self.turns) if who == speaker]
        if not idx:
            self.turns.append((speaker, ""))
            return len(self.turns) - 1
        return self.rng.choice(idx)

    def add_piece(self, speaker: str, sentence: str, x: str | None = None) -> tuple[int, int]:
        """Add ``sentence`` (``{x}`` filled by ``x``) to a turn; return (turn, offset of x)."""
        turn = self._place(speaker)
        who, text = self.turns[turn]
        before, _, after = sentence.partition("{x}")
        # The speech system's punctuation style applies around the phrase, not inside it.
        before, after = before.translate(self.marks), after.translate(self.marks)
        piece = before + (x or "") + after
        sep = "" if not text or self.rng.random() < 0.6 else self.rng.choice([" ", "，"])
        if self.rng.random() < 0.5:
            self.turns[turn] = (who, text + sep + piece)
            return turn, len(text) + len(sep) + len(before)
        self.turns[turn] = (who, piece + sep + text)
        # A piece put before the existing text moves the labels already in that turn.
        for lab in self.item.findings:
            if lab["turn"] == turn:
                lab["start"] = int(str(lab["start"])) + len(piece) + len(sep)
                lab["end"] = int(str(lab["end"])) + len(piece) + len(sep)
        return turn, len(before)


def add_violation(b: Builder, kind: str) -> bool:
    i = b.rng.randrange(len(PHRASES))
    surface = VARIANTS[kind](b.rng, i)
    if surface is None:
        return False
    turn, at = b.add_piece("staff", b.rng.choice(CARRIERS), surface)
    lead = len(surface) - len(surface.lstrip("".join(PUNCT)))
    trail = len(surface) - len(surface.rstrip("".join(PUNCT)))
    b.item.findings.append(
        {
            "turn": turn,
            "phrase": PHRASES[i][0],
            "start": at + lead,
            "end": at + len(surface) - trail,
            "kind": kind,
        }
    )
    return True


def add_negative(b: Builder, kind: str) -> None:
    rng = b.rng
    if kind == "customer":
        x = core(rng.choice(PHRASES)[rng.randrange(2)])
        turn, _ = b.add_piece("customer", rng.choice(CUSTOMER_SAYS), x)
    elif kind == "quoted":
        x = core(rng.choice(PHRASES)[0])
        turn, _ = b.add_piece("staff", rng.choice(QUOTED), x)
    else:
        pool = {
            "cut_short": [s for _, s in CUT_SHORT],
            "innocent": INNOCENT,
            "substitution": SUBSTITUTIONS,
            "two_edits": TWO_EDITS,
            "negation_flip": NEGATION_FLIPS,
        }[kind]
        turn, _ = b.add_piece("staff", rng.choice(pool))
    b.item.negatives.append({"turn": turn, "kind": kind})


NEGATIVE_KINDS = [
    "customer",
    "quoted",
    "cut_short",
    "innocent",
    "substitution",
    "two_edits",
    "negation_flip",
]


def transcript(rng: random.Random, n: int) -> Labelled:
    channel = ("phone", "visit", "hall")[n % 3]
    item = Labelled(id=f"g{n:05d}", channel=channel)
    marks = style(rng)
    b = Builder(rng, item, skeleton(rng, channel, marks), str.maketrans(marks))
    if rng.random() < 0.6:
        for _ in range(rng.choice([1, 1, 1, 2])):
            while not add_violation(b, rng.choice(list(VARIANTS))):
                pass
    for _ in range(rng.choice([0, 1, 1, 2])):
        add_negative(b, rng.choice(NEGATIVE_KINDS))
    item.turns = [{"speaker": who, "text": text} for who, text in b.turns]
    if rng.random() < 0.12:
        to_traditional(item)
    return item


def to_traditional(item: Labelled) -> None:
    """Write the whole transcript in Traditional characters, as some speech systems do."""
    import opencc

    s2t = opencc.OpenCC("s2t")
    converted = [s2t.convert(t["text"]) for t in item.turns]
    if all(len(a) == len(t["text"]) for a, t in zip(converted, item.turns, strict=True)):
        for turn, text in zip(item.turns, converted, strict=True):
            turn["text"] = text


def check_labels(item: Labelled) -> None:
    """Guard the generator itself: each labelled span holds the phrase's first and last chars."""
    for lab in item.findings:
        text = item.turns[int(str(lab["turn"]))]["text"]
        span = text[int(str(lab["start"])) : int(str(lab["end"]))]
        if not span or re.fullmatch(r"\W*", span):
            raise AssertionError(f"{item.id}: empty label span {lab}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=400, help="number of transcripts")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path("var/bench/transcripts"))
    args = parser.parse_args()
    rng = random.Random(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    items = [transcript(rng, n) for n in range(args.n)]
    with (args.out / "transcripts.jsonl").open("w", encoding="utf-8") as f:
        for it in items:
            check_labels(it)
            obj = {"id": it.id, "channel": it.channel, "turns": it.turns}
            f.write(json.dumps(obj, ensure_ascii=False) + "\n")
    with (args.out / "labels.jsonl").open("w", encoding="utf-8") as f:
        for it in items:
            f.write(
                json.dumps(
                    {"id": it.id, "findings": it.findings, "negatives": it.negatives},
                    ensure_ascii=False,
                )
                + "\n"
            )
    positives = sum(len(it.findings) for it in items)
    negatives = sum(len(it.negatives) for it in items)
    print(f"{len(items)} transcripts, {positives} labelled findings, {negatives} hard negatives")


if __name__ == "__main__":
    main()
