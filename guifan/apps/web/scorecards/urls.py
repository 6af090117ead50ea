from __future__ import annotations

from django.urls import path

from guifan.apps.web.scorecards import views

app_name = "scorecards"
urlpatterns = [
    path("scorecards/", views.index, name="index"),
    path("scorecards/morning/", views.morning, name="morning"),
    path("scorecards/certificates/", views.certificates, name="certificates"),
    path("scorecards/actions/", views.actions, name="actions"),
    path("scorecards/actions/<int:action_id>/close/", views.close, name="close"),
    path("scorecards/export.xlsx", views.export, name="export"),
]
