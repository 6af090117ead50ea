from __future__ import annotations

from django.urls import path

from guifan.apps.web.links import views

app_name = "links"
urlpatterns = [
    path("<str:token>/", views.appointment, name="appointment"),
]
