from __future__ import annotations

from django.urls import path

from guifan.apps.web.hall import (
    checkin,
    complaints,
    counter,
    devices,
    emergencies,
    inspect,
    overview,
    pairing,
    rating,
    region,
    transaction,
)

app_name = "hall"
urlpatterns = [
    path("counter/", counter.counter, name="counter"),
    path("counter/queue/", counter.counter_queue, name="counter-queue"),
    path("counter/transaction/", transaction.transaction_panel, name="counter-transaction"),
    path(
        "counter/transaction/<slug:action>/",
        transaction.transaction_action,
        name="counter-transaction-action",
    ),
    path(
        "counter/receipt/<int:business_id>/",
        transaction.transaction_receipt,
        name="counter-receipt",
    ),
    path("counter/<slug:action>/", counter.counter_action, name="counter-action"),
    path("overview/", overview.overview, name="overview"),
    path("overview/open/", overview.overview_open, name="overview-open"),
    path("overview/monitor/", overview.overview_monitor, name="overview-monitor"),
    path("overview/preprocess/", overview.overview_preprocess, name="overview-preprocess"),
    path("playbooks/", emergencies.playbook_list, name="playbooks"),
    path("playbooks/<slug:action>/", emergencies.playbook_action, name="playbook-action"),
    path("complaints/", complaints.complaints, name="complaints"),
    path("complaints/<int:pk>/close/", complaints.complaint_action, name="complaint-action"),
    path("region/", region.region, name="region"),
    path("region/<slug:hall>/", region.region_hall, name="region-hall"),
    path("device/pair/", pairing.device_pair_page, name="device-pair"),
    path("device/unpair/", pairing.device_unpair, name="device-unpair"),
    path("inspections/", inspect.inspection_halls, name="inspection-halls"),
    path("<slug:hall>/inspections/", inspect.inspections, name="inspections"),
    path("<slug:hall>/kiosk/", devices.kiosk, name="kiosk"),
    path("<slug:hall>/kiosk/ticket/", devices.kiosk_ticket, name="kiosk-ticket"),
    path("<slug:hall>/kiosk/checkin/", checkin.checkin, name="kiosk-checkin"),
    path("<slug:hall>/kiosk/checkin/go/", checkin.checkin_submit, name="kiosk-checkin-submit"),
    path("<slug:hall>/screen/", devices.screen, name="screen"),
    path("<slug:hall>/screen/calls/", devices.screen_calls, name="screen-calls"),
    path("<slug:hall>/screen/events/", devices.screen_events, name="screen-events"),
    path("<slug:hall>/rating/", rating.rating, name="rating"),
]
