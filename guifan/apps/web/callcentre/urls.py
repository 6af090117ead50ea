from __future__ import annotations

from django.urls import path

from guifan.apps.web.callcentre import views

app_name = "callcentre"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:callback_id>/", views.detail, name="detail"),
    path("<int:callback_id>/claim/", views.claim, name="claim"),
    path("<int:callback_id>/attempt/", views.attempt, name="attempt"),
    path("<int:callback_id>/revisit/", views.revisit, name="revisit"),
]
