from __future__ import annotations

from django.urls import path

from guifan.apps.web.quality import views

app_name = "quality"
urlpatterns = [
    path("", views.index, name="index"),
    path("norms/<str:norm_id>/", views.norm_detail, name="norm"),
]
