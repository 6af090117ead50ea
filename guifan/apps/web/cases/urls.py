from __future__ import annotations

from django.urls import path

from guifan.apps.web.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.action, name="action"),
]
