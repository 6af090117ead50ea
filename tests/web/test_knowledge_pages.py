"""The technician's knowledge pages and the visit page's related-knowledge block."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from guifan.apps.accounts.models import Role
from guifan.apps.knowledge.models import Article, ArticleUse
from guifan.apps.orders.models import WorkOrder
from tests import factories as f
from tests.apps.fieldwork.visits import field_user, field_visit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("knowledge_seeded")]


def client_for(user) -> Client:
    c = Client(HTTP_HOST="localhost")
    c.force_login(user)
    return c


def test_the_search_page_lists_matching_articles_in_chinese(clock):
    r = client_for(field_user()).get(reverse("field:knowledge"), {"q": "光猫红灯"})
    page = r.content.decode()
    assert r.status_code == 200
    assert "故障知识库" in page and "光猫 LOS 灯亮红：无光信号处理" in page
    assert "投诉故障处理要求和操作规范" in page  # the topic from seed 000's contents
    assert ">居家照护</option>" in page


def test_the_search_page_switches_to_english(clock):
    c = client_for(field_user())
    c.cookies["guifan_language"] = "en"
    page = c.get(reverse("field:knowledge"), {"q": "691"}).content.decode()
    assert "Fault knowledge" in page and "宽带拨号提示错误 691" in page
    # The service filter in the page's language (the article itself is the seed's Chinese).
    assert ">Home care</option>" in page and "居家照护" not in page


def test_an_over_long_query_is_told_on_the_page(clock):
    r = client_for(field_user()).get(reverse("field:knowledge"), {"q": "宽" * 150})
    assert r.status_code == 422
    assert "检索词最多 100 个字符" in r.content.decode()


def test_engine_syntax_in_the_query_is_a_normal_search(clock):
    r = client_for(field_user()).get(reverse("field:knowledge"), {"q": 'NEAR("光猫" *)'})
    assert r.status_code == 200


def test_the_article_page_shows_the_steps_and_the_use_buttons_for_an_order(clock):
    user = field_user()
    order = field_visit(user)
    article = Article.objects.get(slug="dial-678")
    url = reverse("field:knowledge_article", args=[article.id])
    page = client_for(user).get(url, {"order": order.id}).content.decode()
    assert "联系后台核查 OLT 端口" in page and "用过此文章" in page
    assert reverse("field:knowledge_use", args=[order.id, article.id]) in page
    assert "用过此文章" not in client_for(user).get(url).content.decode()


def test_an_order_number_python_cannot_read_shows_the_article_alone(clock):
    user = field_user()
    field_visit(user)
    article = Article.objects.get(slug="dial-678")
    url = reverse("field:knowledge_article", args=[article.id])
    for odd in ("²", "99999999999999999999999"):  # "²" passes str.isdigit, not int()
        resp = client_for(user).get(url, {"order": odd})
        assert resp.status_code == 200 and "用过此文章" not in resp.content.decode()


def test_the_article_page_for_another_technicians_order_is_not_found(clock):
    order = field_visit(field_user())
    article = Article.objects.get(slug="dial-678")
    url = reverse("field:knowledge_article", args=[article.id])
    assert client_for(field_user("tech2")).get(url, {"order": order.id}).status_code == 404


def test_using_an_article_is_recorded_and_shown(clock):
    user = field_user()
    order = field_visit(user)
    article = Article.objects.get(slug="dial-678")
    c = client_for(user)
    r = c.post(reverse("field:knowledge_use", args=[order.id, article.id]), {"helpful": "no"})
    assert r.status_code == 302
    use = ArticleUse.objects.get(order=order, article=article)
    assert use.by == user and use.helpful is False
    page = c.get(r["Location"]).content.decode()
    assert "已记录使用此文章。" in page and "已记录使用" in page and "未解决" in page


def test_using_an_article_on_another_technicians_order_is_not_found(clock):
    order = field_visit(field_user())
    article = Article.objects.get(slug="dial-678")
    c = client_for(field_user("tech2"))
    r = c.post(reverse("field:knowledge_use", args=[order.id, article.id]), {"helpful": "yes"})
    assert r.status_code == 404
    assert not ArticleUse.objects.exists()


def test_the_visit_page_suggests_articles_from_the_fault_description(clock):
    user = field_user()
    order = field_visit(user)
    WorkOrder.objects.filter(id=order.id).update(description="拨号提示错误651，光猫灯正常")
    page = client_for(user).get(reverse("field:visit", args=[order.id])).content.decode()
    assert "相关故障知识" in page
    article = Article.objects.get(slug="dial-651")
    link = reverse("field:knowledge_article", args=[article.id]) + f"?order={order.id}"
    assert link in page


def test_the_hall_may_not_open_the_knowledge_pages(clock):
    page = client_for(f.user(Role.HALL_STAFF)).get(reverse("field:knowledge"))
    assert page.status_code == 403


def test_only_the_knowledge_entry_is_current_in_the_menu(clock):
    page = client_for(field_user()).get(reverse("field:knowledge")).content.decode()
    assert page.count('aria-current="page"') == 1
    assert f'href="{reverse("field:knowledge")}" aria-current="page"' in page
