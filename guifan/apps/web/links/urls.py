from __future__ import annotations

from django.urls import path

from guifan.apps.web.links import views

app_name = "links"
urlpatterns = [
    path("<str:token>/", views.appointment, name="appointment"),
    path("<str:token>/confirm/", views.confirm, name="confirm"),
    path("<str:token>/change/", views.change, name="change"),
    path("<str:token>/cancel/", views.cancel_ask, name="cancel_ask"),
    path("<str:token>/cancel/confirm/", views.cancel, name="cancel"),
]
