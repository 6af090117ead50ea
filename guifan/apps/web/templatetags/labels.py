"""Stored codes as the pages name them, in the page's language (``guifan.apps.web.labels``)."""

from __future__ import annotations

from django import template

from guifan.apps.callcentre.surveys import question_text
from guifan.apps.web import labels
from guifan.apps.web.norm_text import chinese_page, norm_title
from guifan.norms import norm_get

register = template.Library()


@register.filter
def work_type(code: str) -> str:
    return labels.work_type_label(code)


@register.filter
def actor(label: str) -> str:
    return labels.actor_text(label)


@register.filter
def transcript_steps(names: list[str]) -> str:
    """The steps a transcript lacked, named and joined in the page's language."""
    joiner = "、" if chinese_page() else ", "
    return joiner.join(labels.transcript_step(n) for n in names)


@register.filter
def survey_question(q: dict[str, str]) -> str:
    """A callback survey's question in the page's language (``text`` / ``text_en``)."""
    return question_text(q)["zh" if chinese_page() else "en"]


@register.filter
def listed(items: list[str]) -> str:
    """Items joined as the page's language joins a list."""
    return ("、" if chinese_page() else ", ").join(str(i) for i in items)


@register.filter
def norm_title_of(norm_id: str) -> str:
    """A norm's title in the page's language, from its ID (an unknown ID as it is)."""
    try:
        return norm_title(norm_get(norm_id))
    except KeyError:
        return norm_id


@register.filter
def callback_purpose(code: str) -> str:
    return labels.label(labels.CALLBACK_PURPOSE, code)


@register.filter
def action_status(code: str) -> str:
    return labels.label(labels.ACTION_STATUS, code)


@register.filter
def device_kind(code: str) -> str:
    return labels.label(labels.DEVICE_KIND, code)


@register.filter
def stock(code: str, table: str) -> str:
    """``{{ m.kind|stock:"movement" }}``: a stock code's label (item, movement, loaner, stage);
    the code itself when the table does not know it."""
    text = labels.label(labels.STOCK, f"{table}.{code}")
    return code if text == f"{table}.{code}" else text
