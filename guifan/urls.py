from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from guifan.api import api
from guifan.apps.web.views import favicon

urlpatterns = [
    # Browsers ask for /favicon.ico before reading the page's <link rel="icon">.
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("board/", include("guifan.apps.web.board.urls")),
    path("t/", include("guifan.apps.web.field.urls")),
    path("c/", include("guifan.apps.web.links.urls")),
    path("quality/", include("guifan.apps.web.quality.urls")),
    path("hall/", include("guifan.apps.web.hall.urls")),
    path("care/", include("guifan.apps.web.care.urls")),
    path("stock/", include("guifan.apps.web.stock.urls")),
    path("qc/callbacks/", include("guifan.apps.web.callcentre.urls")),
    path("qc/evaluations/", include("guifan.apps.web.evaluation.urls")),
    path("qc/cases/", include("guifan.apps.web.cases.urls")),
    path("qc/", include("guifan.apps.web.scorecards.urls")),
    path("", include("guifan.apps.web.urls")),
]

handler403 = "guifan.apps.web.errors.forbidden"
handler404 = "guifan.apps.web.errors.not_found"
handler500 = "guifan.apps.web.errors.server_error"
