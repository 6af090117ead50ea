"""The technician's knowledge pages: search, an article with its steps, "used it" on a visit.

Views stay thin: the search is ``knowledge.search``, reading and recording a use are
``knowledge.services`` (a use is Act.FIELD on the order, so another's order is a 404).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guifan.apps.accounts.models import Role, User
from guifan.apps.fieldwork.selectors import field_order_get
from guifan.apps.knowledge.models import ArticleUse
from guifan.apps.knowledge.search import MAX_QUERY_CHARS, knowledge_search
from guifan.apps.knowledge.services import article_get, article_use_record
from guifan.apps.orders.choices import ServiceType
from guifan.apps.orders.models import WorkOrder
from guifan.apps.web.access import role_required
from guifan.apps.web.error_text import error_text
from guifan.apps.web.errors import not_found
from guifan.apps.web.labels import SERVICE_TYPE
from guifan.errors import GuifanError, NotFound
from guifan.textinput import whole_number


class SearchForm(forms.Form):
    # Longer than the service's limit, so that the service (one rule) says what is wrong.
    q = forms.CharField(required=False, max_length=MAX_QUERY_CHARS * 2, strip=True)
    # The page's language names the services (the model's labels are the admin's Chinese).
    service_type = forms.ChoiceField(
        required=False,
        choices=[("", ""), *((code, SERVICE_TYPE[code]) for code in ServiceType.values)],
    )
    order = forms.IntegerField(required=False, min_value=1)


class UseForm(forms.Form):
    helpful = forms.ChoiceField(required=False, choices=[("", ""), ("yes", "yes"), ("no", "no")])


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _order(request: HttpRequest, order_id: int | None) -> WorkOrder | None:
    """The order named in the query, if this technician may see it (NotFound otherwise)."""
    if order_id is None:
        return None
    return field_order_get(order_id=order_id, user=_user(request))


@require_GET
@role_required(Role.TECHNICIAN)
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    context: dict[str, Any] = {"form": form, "hits": [], "error": "", "searched": False}
    status = 200
    if not form.is_valid():
        return render(
            request,
            "web/field/knowledge_search.html",
            {**context, "error": _("Check the search words.")},
            status=422,
        )
    data = form.cleaned_data
    try:
        order = _order(request, data["order"])
    except NotFound:
        return not_found(request)
    context["order"] = order
    service_type = data["service_type"] or None
    if data["q"]:
        context["searched"] = True
        try:
            context["hits"] = knowledge_search(data["q"], service_type=service_type)
        except GuifanError as exc:
            context["error"], status = error_text(exc), exc.http_status
    return render(request, "web/field/knowledge_search.html", context, status=status)


@require_GET
@role_required(Role.TECHNICIAN)
def article(request: HttpRequest, article_id: int) -> HttpResponse:
    order_param = request.GET.get("order", "")
    try:
        number = whole_number(order_param)
        order = _order(request, number) if number is not None else None
        found = article_get(article_id=article_id, by=_user(request))
    except NotFound:
        return not_found(request)
    use = None
    if order is not None:
        use = ArticleUse.objects.filter(order=order, article=found, by=_user(request)).first()
    context = {"article": found, "order": order, "use": use}
    return render(request, "web/field/knowledge_article.html", context)


@require_POST
@role_required(Role.TECHNICIAN)
def use(request: HttpRequest, order_id: int, article_id: int) -> HttpResponse:
    form = UseForm(request.POST)
    helpful = None
    if form.is_valid() and form.cleaned_data["helpful"]:
        helpful = form.cleaned_data["helpful"] == "yes"
    try:
        article_use_record(
            order_id=order_id, article_id=article_id, helpful=helpful, by=_user(request)
        )
    except NotFound:
        return not_found(request)
    except GuifanError as exc:
        return HttpResponse(error_text(exc), status=exc.http_status)
    messages.success(request, _("Use of the article recorded."), extra_tags="ok")
    url = reverse("field:knowledge_article", args=[article_id])
    return redirect(f"{url}?order={order_id}")
