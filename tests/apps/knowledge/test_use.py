"""Recording an article's use on a visit: Act.FIELD on the order, one row per person."""

from __future__ import annotations

import pytest

from guifan.apps.accounts.models import Role
from guifan.apps.knowledge.models import Article, ArticleUse
from guifan.apps.knowledge.services import article_get, article_use_record
from guifan.apps.orders.models import OrderEvent
from guifan.errors import NotFound, PermissionDenied
from tests import factories as f
from tests.apps.fieldwork.visits import field_user, field_visit

pytestmark = pytest.mark.django_db


def article(slug: str = "dial-691") -> Article:
    return Article.objects.get(slug=slug)


def test_the_assigned_technician_records_a_use_with_an_event(clock):
    user = field_user()
    order = field_visit(user)
    use = article_use_record(order_id=order.id, article_id=article().id, helpful=True, by=user)
    assert (use.order, use.article, use.by, use.helpful) == (order, article(), user, True)
    assert use.article_version == article().version and use.at == clock.now()
    event = OrderEvent.objects.get(order=order, action="knowledge_use")
    assert event.detail["article"] == article().id and event.actor == user


def test_a_repeat_updates_the_one_record(clock):
    user = field_user()
    order = field_visit(user)
    article_use_record(order_id=order.id, article_id=article().id, helpful=None, by=user)
    article_use_record(order_id=order.id, article_id=article().id, helpful=False, by=user)
    assert ArticleUse.objects.filter(order=order).count() == 1
    assert ArticleUse.objects.get(order=order).helpful is False


def test_another_technicians_order_is_not_found_and_nothing_written(clock):
    order = field_visit(field_user())
    stranger = field_user("tech2")
    with pytest.raises(NotFound):
        article_use_record(order_id=order.id, article_id=article().id, helpful=True, by=stranger)
    assert not ArticleUse.objects.exists()
    assert not OrderEvent.objects.filter(action="knowledge_use").exists()


def test_quality_reads_articles_but_records_no_use(clock):
    order = field_visit(field_user())
    quality = f.user(Role.QUALITY)
    assert article_get(article_id=article().id, by=quality).slug == "dial-691"
    with pytest.raises(NotFound):
        article_use_record(order_id=order.id, article_id=article().id, helpful=True, by=quality)
    assert not ArticleUse.objects.exists()


def test_a_missing_article_is_not_found_and_nothing_written(clock):
    user = field_user()
    order = field_visit(user)
    with pytest.raises(NotFound) as exc:
        article_use_record(order_id=order.id, article_id=999_999, helpful=True, by=user)
    assert exc.value.field == "article_id"
    assert not OrderEvent.objects.filter(action="knowledge_use").exists()


@pytest.mark.parametrize("role", [Role.HALL_STAFF, Role.DUTY_MANAGER])
def test_the_hall_may_not_read_the_knowledge_base(clock, role):
    with pytest.raises(PermissionDenied):
        article_get(article_id=article().id, by=f.user(role))


@pytest.mark.parametrize("role", [Role.TECHNICIAN, Role.DISPATCHER, Role.QUALITY, Role.ADMIN])
def test_the_field_side_reads_the_knowledge_base(clock, role):
    assert article_get(article_id=article().id, by=f.user(role)).steps.count() >= 3
