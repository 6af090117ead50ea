"""Chinese word segmentation for the knowledge search (ADR 0014): jieba, search mode.

Both sides of the search go through ``words``: the articles when they are indexed and the
query when it is matched, so that the engine (SQLite FTS5 with the ``unicode61`` tokenizer,
PostgreSQL's ``simple`` configuration) only has to split on the spaces put here. Every word
kept is made of word characters only (``\\w``), so nothing that reaches the engine's query
parser can be an operator, a quote, a prefix star or a bracket.
"""

from __future__ import annotations

import functools
import logging
import re

import jieba

# Words of the trade jieba's general dictionary cuts apart; a higher frequency keeps them whole.
TRADE_WORDS = (
    "光猫",
    "机顶盒",
    "分光器",
    "光功率",
    "光衰",
    "弱光",
    "尾纤",
    "皮线光缆",
    "光信号",
    "拨号",
    "宽带连接",
    "掉线",
    "网速慢",
    "测速",
    "网卡",
    "水晶头",
    "路由器",
    "无线路由器",
    "信道",
    "组网",
    "单通",
    "杂音",
    "回声",
    "注册失败",
    "欠费",
    "停机",
    "业务账号",
    "遥控器",
    "高清线",
    "组播",
    "鉴权",
    "局端",
    "装机",
    "移机",
    "预约",
    "投诉",
    "服务卡片",
    "鞋套",
    "工作证",
)

# Words that say nothing about a fault (who reports it, how often) and would only add noise.
STOPWORDS = frozenset(
    {
        "客户",
        "用户",
        "反映",
        "反应",
        "报障",
        "报修",
        "出现",
        "一直",
        "经常",
        "有时",
        "时候",
        "现在",
        "今天",
        "昨天",
        "已经",
        "还是",
        "没有",
        "不能",
        "可以",
        "什么",
        "怎么",
        "怎么办",
        "如何",
        "一下",
        "问题",
        "情况",
        "进行",
        "需要",
    }
)

# At most this many distinct words of a query are matched (a long fault description is cut).
MAX_QUERY_WORDS = 32

_WORD = re.compile(r"^\w+$")


@functools.cache
def _jieba() -> jieba.Tokenizer:
    """One tokenizer for the process, its dictionary loaded on first use (about a second;
    two threads racing here build two, and one is kept: harmless)."""
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for word in TRADE_WORDS:
        tokenizer.add_word(word, freq=20000)
    return tokenizer


def words(text: str) -> list[str]:
    """The words of ``text`` in order, lower-cased, in jieba's search mode (a long word and
    its parts: 机顶盒 gives 机顶, 顶盒, 机顶盒), without punctuation, single Chinese
    characters or stopwords."""
    out = []
    for raw in _jieba().cut_for_search(text):
        word = raw.strip().lower()
        if not word or not _WORD.match(word) or word in STOPWORDS:
            continue
        if len(word) == 1 and not word.isascii():
            continue  # 的, 了, 无: a single character matches everywhere
        out.append(word)
    return out


def index_text(text: str) -> str:
    """``text`` as the engine stores it: its words, space-separated."""
    return " ".join(words(text))


def query_words(query: str) -> list[str]:
    """The distinct words of a query, in order, at most ``MAX_QUERY_WORDS``."""
    seen: dict[str, None] = {}
    for word in words(query):
        seen.setdefault(word, None)
        if len(seen) == MAX_QUERY_WORDS:
            break
    return list(seen)
