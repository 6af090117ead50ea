from __future__ import annotations

from django.urls import path

from guifan.apps.web.links import mobile, views

app_name = "links"
urlpatterns = [
    path("m/<str:token>/", mobile.mobile_ticket, name="mobile-ticket"),  # ADR 0028
    path("<str:token>/", views.appointment, name="appointment"),
    path("<str:token>/confirm/", views.confirm, name="confirm"),
    path("<str:token>/change/", views.change, name="change"),
    path("<str:token>/cancel/", views.cancel_ask, name="cancel_ask"),
    path("<str:token>/cancel/confirm/", views.cancel, name="cancel"),
]
