"""The seed articles (``data/articles.json``) loaded into the database, idempotently.

The same function serves the data migration (with the migration's historical models) and the
``knowledge_load`` service (with the live ones), so it takes an app registry, not models.
An article is keyed by its ``slug``: a new one is created, a changed one is rewritten with its
version raised, an unchanged one is left alone.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, Protocol

from guifan.apps.knowledge.segment import index_text

SEED_FILE = Path(__file__).with_name("data") / "articles.json"


class Registry(Protocol):
    def get_model(self, app_label: str, model_name: str) -> Any: ...


def seed_articles() -> list[dict[str, Any]]:
    articles: list[dict[str, Any]] = json.loads(SEED_FILE.read_text(encoding="utf-8"))
    return articles


def article_body(
    *, symptoms: str, summary: str, keywords: str, steps: list[str], extra: str = ""
) -> str:
    """The text an article is found by, besides its title."""
    return "\n".join([symptoms, summary, keywords, *steps, extra])


def _content(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": data["title"],
        "topic": data["topic"],
        "fault_type": data.get("fault_type", ""),
        "symptoms": data.get("symptoms", ""),
        "summary": data["summary"],
        "keywords": data.get("keywords", ""),
    }


def article_upsert(registry: Registry, data: dict[str, Any], *, at: dt.datetime) -> bool:
    """Create or update one article from its seed entry; whether anything changed."""
    article_model = registry.get_model("knowledge", "Article")
    step_model = registry.get_model("knowledge", "ArticleStep")
    work_type_model = registry.get_model("knowledge", "ArticleWorkType")
    index_model = registry.get_model("knowledge", "ArticleIndex")

    content = _content(data)
    steps: list[str] = list(data["steps"])
    work_types = sorted((st, kind) for st, kind in data["work_types"])
    article = article_model.objects.filter(slug=data["slug"]).first()
    if article is not None:
        same = (
            all(getattr(article, k) == v for k, v in content.items())
            and list(article.steps.order_by("position").values_list("text", flat=True)) == steps
            and sorted(article.work_types.values_list("service_type", "kind")) == work_types
        )
        if same:
            return False
        for key, value in content.items():
            setattr(article, key, value)
        article.version += 1
        article.updated_at = at
        article.save()
        article.steps.all().delete()
        article.work_types.all().delete()
    else:
        article = article_model.objects.create(slug=data["slug"], updated_at=at, **content)
    step_model.objects.bulk_create(
        step_model(article=article, position=n, text=text) for n, text in enumerate(steps, 1)
    )
    work_type_model.objects.bulk_create(
        work_type_model(article=article, service_type=st, kind=kind) for st, kind in work_types
    )
    body = article_body(
        symptoms=content["symptoms"],
        summary=content["summary"],
        keywords=content["keywords"],
        steps=steps,
    )
    index_model.objects.update_or_create(
        article=article,
        defaults={"title": index_text(content["title"]), "body": index_text(body)},
    )
    return True


def seed_load(registry: Registry, *, at: dt.datetime) -> int:
    """Load every seed article; how many were created or changed."""
    return sum(article_upsert(registry, data, at=at) for data in seed_articles())
