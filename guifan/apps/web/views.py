"""Login, logout, the role redirect and the administrator's overview."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

from guifan.apps.accounts.models import User
from guifan.apps.orders.models import WorkOrder
from guifan.apps.web.access import forbidden, role_home_url, role_required
from guifan.apps.web.forms import LoginForm
from guifan.apps.web.labels import ORDER_STATUS, ROLE, label


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico before reading the page's icon link: send them to it
    (resolved per request, so production's hashed static name is found after collectstatic)."""
    return HttpResponseRedirect(static("web/favicon.svg"))


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Send each user to their role's home page."""
    user = request.user
    if not isinstance(user, User):
        return HttpResponseRedirect(reverse("web:login"))
    url = role_home_url(user)
    if url is None:
        return forbidden(request)
    return HttpResponseRedirect(url)


@require_GET
@role_required()
def overview(request: HttpRequest) -> HttpResponse:
    """Administrator: orders by status and people by role, with a link to every surface."""
    by_status = WorkOrder.objects.values("status").annotate(n=Count("id")).order_by("status")
    by_role = User.objects.values("role").annotate(n=Count("id")).order_by("role")
    return render(
        request,
        "web/overview.html",
        {
            "orders": [{"label": label(ORDER_STATUS, r["status"]), "n": r["n"]} for r in by_status],
            "people": [{"label": label(ROLE, r["role"]), "n": r["n"]} for r in by_role],
        },
    )
