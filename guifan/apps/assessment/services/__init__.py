"""Assessment services: certificates and training (STF-04), corrective actions and coaching
(QA-08), partner sanctions (STF-06)."""

from guifan.apps.assessment.services.actions import (
    action_close,
    action_create,
    actions_overdue_mark,
)
from guifan.apps.assessment.services.certificates import certificate_issue, training_record
from guifan.apps.assessment.services.sanctions import partner_breach_record, partner_join

__all__ = [
    "action_close",
    "action_create",
    "actions_overdue_mark",
    "certificate_issue",
    "partner_breach_record",
    "partner_join",
    "training_record",
]
