from __future__ import annotations

from django.urls import path

from guifan.apps.web.evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("a/<int:assignment_id>/", views.form, name="form"),
    path("a/<int:assignment_id>/submit/", views.submit, name="submit"),
    path("calibrations/<int:session_id>/", views.calibration, name="calibration"),
    path("disputes/", views.disputes, name="disputes"),
    path("disputes/<int:dispute_id>/decide/", views.decide, name="decide"),
]
