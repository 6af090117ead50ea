from __future__ import annotations

from django.urls import path

from guifan.apps.web.board import views

app_name = "board"
urlpatterns = [
    path("", views.index, name="index"),
    path("live/", views.fragment, name="live"),
    path("plan/", views.plan, name="plan"),
    path("replan/", views.replan, name="replan"),
    path("plans/", views.plans, name="plans"),
    path("plans/live/", views.plans_live, name="plans-live"),
    path("visits/<int:appointment_id>/", views.visit, name="visit"),
    path("visits/<int:appointment_id>/assign/", views.assign, name="assign"),
    path("visits/<int:appointment_id>/drop/", views.drop, name="drop"),
]
