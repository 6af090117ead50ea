"""Reading articles and recording their use on a visit.

Who may read (AUTHZ, decided here): the field side and those who check it — technicians,
dispatchers, quality, administrators and integrations. Hall staff and duty managers may not:
the articles are field procedures (光路, 局端, account resets), the hall answers customers
from its own scripts and playbooks and has no page for them. Recording a use is work on the
visit: ``Act.FIELD`` on the order (ADR 0013), so only those who may work it.
"""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.db import transaction

from guifan.apps.accounts.models import Role, User
from guifan.apps.knowledge.models import Article, ArticleUse
from guifan.apps.knowledge.seed import seed_load
from guifan.apps.orders.access import Act
from guifan.apps.orders.services.records import event_record, order_lock
from guifan.clock import now as clock_now
from guifan.errors import NotFound, PermissionDenied

READERS = (Role.TECHNICIAN, Role.DISPATCHER, Role.QUALITY, Role.SYSTEM)


def knowledge_reader_require(by: User | None) -> None:
    """Refuse (403) a role that may not read the knowledge base; ``None`` is the system."""
    if by is None or by.is_superuser or by.role == Role.ADMIN or by.role in READERS:
        return
    raise PermissionDenied(
        "auth.role", f"角色 {by.get_role_display()} 无权查看故障知识库", field="role"
    )


def article_get(*, article_id: int, by: User | None) -> Article:
    """An article with its steps and work types, for a reader."""
    knowledge_reader_require(by)
    article = Article.objects.prefetch_related("steps", "work_types").filter(id=article_id).first()
    if article is None:
        raise NotFound(
            "knowledge.article_not_found", f"知识文章 {article_id} 不存在", field="article_id"
        )
    return article


def article_use_record(
    *, order_id: int, article_id: int, helpful: bool | None, by: User | None
) -> ArticleUse:
    """Record that ``by`` used an article on an order's visit (a repeat updates the record,
    so a resent tap is harmless), with an event on the order's timeline."""
    at = clock_now()
    with transaction.atomic():
        order = order_lock(order_id, by=by, act=Act.FIELD)
        article = article_get(article_id=article_id, by=by)
        use, _created = ArticleUse.objects.update_or_create(
            order=order,
            article=article,
            by=by,
            defaults={"at": at, "helpful": helpful, "article_version": article.version},
        )
        event_record(
            order,
            action="knowledge_use",
            at=at,
            by=by,
            detail={"article": article.id, "version": article.version, "helpful": helpful},
        )
    return use


def knowledge_load(*, at: dt.datetime | None = None) -> int:
    """Load the seed articles again (new and changed ones); how many changed."""
    with transaction.atomic():
        return seed_load(apps, at=at or clock_now())
