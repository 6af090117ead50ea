"""The seed articles: loaded by the migration, complete, correct where it matters, reloadable."""

from __future__ import annotations

import json
import re

import pytest

from guifan.apps.knowledge import seed
from guifan.apps.knowledge.choices import FaultType, Topic
from guifan.apps.knowledge.models import Article, ArticleIndex
from guifan.apps.knowledge.search import knowledge_search
from guifan.apps.knowledge.services import knowledge_load
from guifan.apps.orders.choices import KINDS_BY_SERVICE

pytestmark = pytest.mark.django_db

# An ASCII comma, period, colon, semicolon, ! or ? next to a Chinese character.
HALF_WIDTH = re.compile(r"[\u4e00-\u9fff][,.:;!?]|[,:;!?][\u4e00-\u9fff]")


def texts(a: Article) -> list[str]:
    return [a.title, a.symptoms, a.summary, *a.steps.values_list("text", flat=True)]


def test_the_migration_loads_every_seed_article_with_steps_and_an_index():
    entries = seed.seed_articles()
    assert len(entries) >= 25
    assert Article.objects.count() == len(entries)
    assert ArticleIndex.objects.count() == len(entries)
    for article in Article.objects.all():
        assert article.steps.count() >= 3, article.slug
        assert article.work_types.exists(), article.slug


def test_topics_fault_types_and_work_types_come_from_the_vocabularies():
    for article in Article.objects.all():
        assert article.topic in Topic.values
        assert article.fault_type in ("", *FaultType.values)
        for st, kind in article.work_types.values_list("service_type", "kind"):
            assert kind == "" or kind in KINDS_BY_SERVICE[st], (article.slug, st, kind)
    # Every fault the issue names has an article.
    assert set(FaultType.values) <= set(Article.objects.values_list("fault_type", flat=True))


def test_chinese_text_uses_full_width_punctuation():
    for article in Article.objects.prefetch_related("steps"):
        for text in texts(article):
            assert not HALF_WIDTH.search(text), (article.slug, text)


@pytest.mark.parametrize(
    ("slug", "meaning"),
    [
        ("dial-691", ["用户名或密码错误", "欠费", "别处登录"]),
        ("dial-678", ["没有响应", "线路", "局端"]),
        ("dial-651", ["调制解调器", "网线", "光猫"]),
        ("dial-769", ["无法连接到指定目标", "禁用", "驱动"]),
    ],
)
def test_the_dial_up_error_articles_give_the_codes_their_meaning(slug, meaning):
    article = Article.objects.get(slug=slug)
    text = "".join(texts(article)) + article.keywords
    for phrase in meaning:
        assert phrase in text, (slug, phrase)


def test_the_t568b_order_is_the_standard_one():
    article = Article.objects.get(slug="network-cable")
    assert "白橙、橙、白绿、蓝、白蓝、绿、白棕、棕" in article.summary


def test_loading_again_changes_nothing():
    versions = dict(Article.objects.values_list("slug", "version"))
    assert knowledge_load() == 0
    assert dict(Article.objects.values_list("slug", "version")) == versions


def test_a_changed_article_gets_a_new_version_and_is_found_by_its_new_words(monkeypatch, tmp_path):
    entries = seed.seed_articles()
    entry = next(e for e in entries if e["slug"] == "dial-769")
    entry["steps"] = [*entry["steps"][:-1], "检查是否装了网络加速器软件并卸载。"]
    path = tmp_path / "articles.json"
    path.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(seed, "SEED_FILE", path)
    before = Article.objects.get(slug="dial-769")
    assert [h.article.slug for h in knowledge_search("加速器")] == []
    assert "dial-769" in [h.article.slug for h in knowledge_search("售后")]

    assert knowledge_load() == 1

    after = Article.objects.get(slug="dial-769")
    assert after.version == before.version + 1
    assert after.steps.count() == len(entry["steps"])
    assert [h.article.slug for h in knowledge_search("加速器")] == ["dial-769"]
    # The old last step's words left the index with it.
    assert "dial-769" not in [h.article.slug for h in knowledge_search("售后")]
