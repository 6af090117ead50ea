from __future__ import annotations

from django.urls import path

from guifan.apps.web.hall import views

app_name = "hall"
urlpatterns = [
    path("counter/", views.counter, name="counter"),
    path("overview/", views.overview, name="overview"),
]
