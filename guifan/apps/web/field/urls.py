from __future__ import annotations

from django.urls import path

from guifan.apps.web.field import exceptions, knowledge, position, pwa, views

app_name = "field"
urlpatterns = [
    path("", views.today, name="today"),
    path("position/", position.position, name="position"),
    path("position/sharing/", position.sharing, name="position_sharing"),
    path("o/<int:order_id>/", views.visit, name="visit"),
    path("o/<int:order_id>/phone/", views.phone_reveal, name="phone"),
    path("o/<int:order_id>/call-ahead/", views.call_ahead, name="call_ahead"),
    path("o/<int:order_id>/trip/", views.trip, name="trip"),
    path("o/<int:order_id>/step/", views.step, name="step"),
    path("o/<int:order_id>/photo/", views.photo, name="photo"),
    path("o/<int:order_id>/signature/", views.signature, name="signature"),
    path("o/<int:order_id>/rating/", views.rating, name="rating"),
    path("o/<int:order_id>/complete/", views.complete, name="complete"),
    path("o/<int:order_id>/door/", views.door, name="door"),
    path("o/<int:order_id>/kit/", views.kit, name="kit"),
    path("knowledge/", knowledge.search, name="knowledge"),
    path("knowledge/<int:article_id>/", knowledge.article, name="knowledge_article"),
    path(
        "o/<int:order_id>/knowledge/<int:article_id>/use/",
        knowledge.use,
        name="knowledge_use",
    ),
    path("sync/", pwa.sync, name="sync"),
    path("sw.js", pwa.service_worker, name="sw"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("o/<int:order_id>/exceptions/", exceptions.index, name="exceptions"),
    path("o/<int:order_id>/exceptions/<slug:kind>/", exceptions.kind, name="exception"),
    path(
        "o/<int:order_id>/exceptions/<slug:kind>/record/",
        exceptions.record,
        name="exception_record",
    ),
]
