"""/api/v1/knowledge (search, articles) and /api/v1/visits/{order_id}/articles (use).

Parse, call, render: who may read is ``services.knowledge_reader_require``; recording a use
is ``services.article_use_record`` (Act.FIELD on the order).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status

from guifan.apps.accounts.auth import TokenAuth, request_user
from guifan.apps.accounts.models import Role
from guifan.apps.knowledge import services
from guifan.apps.knowledge.models import Article
from guifan.apps.knowledge.search import knowledge_search
from guifan.textinput import Limit, Text

router = Router(auth=TokenAuth(), tags=["knowledge"])
visit_router = Router(auth=TokenAuth(), tags=["knowledge"])

FIELD = (Role.DISPATCHER, Role.SYSTEM, Role.TECHNICIAN)


class HitOut(Schema):
    id: int
    title: str
    topic: str
    fault_type: str
    summary: str
    score: float


class KnowledgeStepOut(Schema):
    position: int
    text: str


class WorkTypeOut(Schema):
    service_type: str
    kind: str


class ArticleOut(Schema):
    id: int
    slug: str
    title: str
    topic: str
    topic_label: str
    fault_type: str
    symptoms: str
    summary: str
    version: int
    updated_at: dt.datetime
    steps: list[KnowledgeStepOut]
    work_types: list[WorkTypeOut]


class UseIn(Schema):
    helpful: bool | None = None


class UseOut(Schema):
    order_id: int
    article_id: int
    article_version: int
    at: dt.datetime
    helpful: bool | None


def _article_out(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "slug": article.slug,
        "title": article.title,
        "topic": article.topic,
        "topic_label": article.get_topic_display(),
        "fault_type": article.fault_type,
        "symptoms": article.symptoms,
        "summary": article.summary,
        "version": article.version,
        "updated_at": article.updated_at,
        "steps": list(article.steps.all()),
        "work_types": list(article.work_types.all()),
    }


@router.get("/search", response=list[HitOut])
def search(
    request: HttpRequest,
    q: Annotated[str, Text(200)] = "",
    service_type: Annotated[str, Text(20)] | None = None,
    kind: Annotated[str, Text(10)] | None = None,
    limit: Limit = 10,
) -> list[dict[str, Any]]:
    """Articles best matching ``q`` (Chinese, segmented by jieba), best first."""
    user = request_user(request, *services.READERS)
    services.knowledge_reader_require(user)
    hits = knowledge_search(q, service_type=service_type, kind=kind, limit=limit)
    return [
        {
            "id": h.article.id,
            "title": h.article.title,
            "topic": h.article.topic,
            "fault_type": h.article.fault_type,
            "summary": h.article.summary,
            "score": h.score,
        }
        for h in hits
    ]


@router.get("/articles/{article_id}", response=ArticleOut)
def article_detail(request: HttpRequest, article_id: int) -> dict[str, Any]:
    user = request_user(request, *services.READERS)
    return _article_out(services.article_get(article_id=article_id, by=user))


@visit_router.post("/{order_id}/articles/{article_id}/use", response={201: UseOut})
def article_use(request: HttpRequest, order_id: int, article_id: int, body: UseIn) -> Status[Any]:
    user = request_user(request, *FIELD)
    use = services.article_use_record(
        order_id=order_id, article_id=article_id, helpful=body.helpful, by=user
    )
    return Status(
        201,
        {
            "order_id": use.order_id,
            "article_id": use.article_id,
            "article_version": use.article_version,
            "at": use.at,
            "helpful": use.helpful,
        },
    )
