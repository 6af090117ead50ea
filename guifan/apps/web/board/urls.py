from __future__ import annotations

from django.urls import path

from guifan.apps.web.board import views

app_name = "board"
urlpatterns = [
    path("", views.index, name="index"),
]
