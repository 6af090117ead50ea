from __future__ import annotations

from django.urls import path

from guifan.apps.web.stock import views

app_name = "stock"
urlpatterns = [
    path("", views.index, name="index"),
    path("requisitions/<int:requisition_id>/issue/", views.issue, name="issue"),
    path("receipt/<str:token>/", views.receipt, name="receipt"),
]
