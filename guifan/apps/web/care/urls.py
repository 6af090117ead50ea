from __future__ import annotations

from django.urls import path

from guifan.apps.web.care import views

app_name = "care"
urlpatterns = [
    path("", views.agreements, name="agreements"),
]
