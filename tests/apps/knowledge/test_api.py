"""/api/v1/knowledge and /api/v1/visits/{order_id}/articles/{article_id}/use over HTTP."""

from __future__ import annotations

import pytest
from django.test import Client

from guifan.apps.accounts.models import Role
from guifan.apps.accounts.services import api_token_create
from guifan.apps.knowledge.models import Article, ArticleUse
from tests import factories as f
from tests.apps.fieldwork.visits import field_user, field_visit

pytestmark = pytest.mark.django_db


def api(role: str = Role.TECHNICIAN, user=None) -> Client:
    if user is None:
        user, raw = f.token(role)
    else:
        raw = api_token_create(user=user, name="test")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_search_answers_the_best_articles_first(clock):
    r = api().get("/api/v1/knowledge/search", {"q": "拨号提示691"})
    assert r.status_code == 200
    body = r.json()
    assert body[0]["title"] == "宽带拨号提示错误 691" and body[0]["score"] > 0
    assert {"id", "title", "topic", "fault_type", "summary", "score"} <= set(body[0])


def test_search_filters_by_work_type(clock):
    r = api().get("/api/v1/knowledge/search", {"q": "掉线", "service_type": "iptv"})
    assert [h["fault_type"] for h in r.json()] == ["dropping"]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"q": "宽" * 101}, "q"), ({"q": "宽" * 201}, "q"), ({"q": "宽带", "kind": "x"}, "kind")],
)
def test_bad_search_input_is_a_422_naming_the_field(clock, params, field):
    r = api().get("/api/v1/knowledge/search", params)
    assert r.status_code == 422, r.content
    assert field in (r.json()["field"] or "")


@pytest.mark.parametrize("q", ["", '"', "NEAR(a b)", "光*", "(", "宽带 OR", "%00"])
def test_any_short_query_answers_200(clock, q):
    assert api().get("/api/v1/knowledge/search", {"q": q}).status_code == 200


def test_the_hall_is_refused_the_knowledge_base(clock):
    r = api(Role.HALL_STAFF).get("/api/v1/knowledge/search", {"q": "691"})
    assert r.status_code == 403


def test_an_article_comes_with_its_ordered_steps(clock):
    article = Article.objects.get(slug="ten-steps")
    body = api(Role.QUALITY).get(f"/api/v1/knowledge/articles/{article.id}").json()
    assert body["title"] == "装维上门标准十步口诀" and body["topic_label"] == "装维上门标准十步口诀"
    assert [s["position"] for s in body["steps"]] == list(range(1, 11))
    assert body["steps"][0]["text"] == "上门之前需预约。"


def test_a_missing_article_is_a_404(clock):
    assert api().get("/api/v1/knowledge/articles/999999").status_code == 404


def test_the_technician_records_a_use_on_their_visit(clock):
    user = field_user()
    order = field_visit(user)
    article = Article.objects.get(slug="los-red")
    r = api(user=user).post(
        f"/api/v1/visits/{order.id}/articles/{article.id}/use",
        {"helpful": True},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["helpful"] is True
    assert ArticleUse.objects.get(order=order).article == article
