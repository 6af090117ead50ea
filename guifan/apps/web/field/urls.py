from __future__ import annotations

from django.urls import path

from guifan.apps.web.field import views

app_name = "field"
urlpatterns = [
    path("", views.today, name="today"),
]
