from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from guifan.apps.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("overview/", views.overview, name="overview"),
]
