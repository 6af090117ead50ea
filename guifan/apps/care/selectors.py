"""Reads of care agreements for the API and the desk's page (phones masked, SEC-01)."""

from __future__ import annotations

from typing import Any

from guifan.apps.care.models import ServiceAgreement


def agreement_summary(agreement: ServiceAgreement) -> dict[str, Any]:
    visits = sorted(agreement.visits.all(), key=lambda v: v.sequence)
    return {
        "id": agreement.id,
        "area": agreement.area.code,
        "customer": agreement.customer.name,
        "phone": agreement.customer.masked_phone,
        "address": agreement.address.text,
        "description": agreement.description,
        "every_weeks": agreement.every_weeks,
        "weekday": agreement.weekday,
        "half_day": agreement.half_day,
        "start": agreement.start.isoformat(),
        "end": agreement.end.isoformat() if agreement.end else None,
        "active": agreement.active,
        "next_date": agreement.next_date.isoformat() if agreement.next_date else None,
        "next_half_day": agreement.next_half_day,
        "next_sequence": agreement.next_sequence,
        "visits": [
            {
                "sequence": v.sequence,
                "date": v.date.isoformat(),
                "half_day": v.half_day,
                "order_id": v.order_id,
                "order_number": v.order.number,
                "order_status": v.order.status,
                "feedback_at": v.feedback_at.isoformat() if v.feedback_at else None,
            }
            for v in visits
        ],
    }
