"""Searching the knowledge base: a query typed on the phone, or an order's fault description.

``knowledge_search`` cuts the query into words with jieba (``segment``) and lets the engine
rank the articles holding any of them (``engine``; ADR 0014). Input from outside never ends
in a 500: an empty query or one of only punctuation finds nothing, one over
``MAX_QUERY_CHARS`` is a 422 naming ``q``, and the engine's query syntax cannot be reached.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from guifan.apps.knowledge import engine
from guifan.apps.knowledge.models import Article
from guifan.apps.knowledge.segment import query_words
from guifan.apps.orders.choices import OrderKind, ServiceType
from guifan.apps.orders.models import WorkOrder
from guifan.errors import ValidationFailed
from guifan.textinput import text_check

MAX_QUERY_CHARS = 100
MAX_LIMIT = 50
# A fault description is longer than a typed query; its head says what is wrong.
SUGGEST_CHARS = 300
SUGGEST_LIMIT = 3


@dataclass(frozen=True, slots=True)
class SearchHit:
    article: Article
    score: float


def _choice(
    value: str | None, choices: type[ServiceType] | type[OrderKind], field: str
) -> str | None:
    if value in (None, ""):
        return None
    if value not in choices.values:
        allowed = "、".join(choices.values)
        raise ValidationFailed("knowledge.bad_filter", f"{field} 只能是：{allowed}", field=field)
    return value


def _hits(ranked: list[tuple[int, float]]) -> list[SearchHit]:
    articles = Article.objects.in_bulk([article_id for article_id, _ in ranked])
    return [SearchHit(articles[i], score) for i, score in ranked if i in articles]


def knowledge_search(
    query: str,
    *,
    service_type: str | None = None,
    kind: str | None = None,
    limit: int = 10,
) -> list[SearchHit]:
    """The articles best matching ``query``, best first, optionally only those fitting a work
    type (``service_type`` and ``kind`` of ``orders.choices``)."""
    text_check(query, field="q", max_length=None)
    query = query.strip()
    if len(query) > MAX_QUERY_CHARS:
        raise ValidationFailed(
            "knowledge.query_too_long",
            f"检索词最多 {MAX_QUERY_CHARS} 个字符（收到 {len(query)} 个）",
            field="q",
        )
    st = _choice(service_type, ServiceType, "service_type")
    kd = _choice(kind, OrderKind, "kind")
    limit = max(1, min(limit, MAX_LIMIT))
    terms = query_words(query)
    return _hits(engine.match(connection, terms, service_type=st, kind=kd, limit=limit))


def knowledge_suggest(order: WorkOrder, *, limit: int = SUGGEST_LIMIT) -> list[SearchHit]:
    """Articles for the visit page, from the order's fault description and its work type.

    The caller has already read ``order`` (so ``by`` may see it); articles are open to every
    field role, so nothing else is checked here."""
    terms = query_words(order.description[:SUGGEST_CHARS])
    ranked = engine.match(
        connection, terms, service_type=order.service_type, kind=order.kind, limit=limit
    )
    return _hits(ranked)
