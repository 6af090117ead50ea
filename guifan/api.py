"""The JSON API under /api/v1/: mounts routers; errors take one shape (guifan.api_errors)."""

from __future__ import annotations

from django.db import DatabaseError, connection
from django.http import HttpRequest
from ninja import Schema
from ninja.responses import Status

from guifan import api_errors
from guifan.accesslog import log_failing_since
from guifan.apps.assessment.api import router as assessment_router
from guifan.apps.callcentre.api import router as callcentre_router
from guifan.apps.care.api import router as care_router
from guifan.apps.cases import api as cases_api
from guifan.apps.compliance.api import router as compliance_router
from guifan.apps.dispatch.api import router as dispatch_router
from guifan.apps.evaluation.api import router as evaluation_router
from guifan.apps.fieldwork.api import router as fieldwork_router
from guifan.apps.fieldwork.api_position import router as position_router
from guifan.apps.hall.api import router as hall_router
from guifan.apps.hall.api_queue import router as hall_queue_router
from guifan.apps.hall.transactions_api import router as hall_transactions_router
from guifan.apps.knowledge.api import router as knowledge_router
from guifan.apps.knowledge.api import visit_router as knowledge_visit_router
from guifan.apps.norms.refusals import refusal_from_request
from guifan.apps.orders.api import router as orders_router
from guifan.apps.orders.api_execution import provisioning_router, visits_router
from guifan.apps.stars.api import orders_router as stars_orders_router
from guifan.apps.stars.api import router as stars_router
from guifan.apps.stock import api as stock_api
from guifan.visit_exceptions_api import router as visit_exceptions_router

api = api_errors.ErrorsDocumentedAPI(title="guifan API", version="1", urls_namespace="api-v1")
api.add_router("/orders", orders_router)
api.add_router("/dispatch", dispatch_router)
api.add_router("/halls", hall_router)
api.add_router("/halls", hall_transactions_router)  # HAL-12, HAL-13 (issue 15)
api.add_router("/halls", hall_queue_router)  # appointments, mobile tickets (ADR 0028)
# Before the visit router: its /{order_id} would take /exception-kinds (a 422 on the id).
api.add_router("/visits", visit_exceptions_router)
api.add_router("/visits", fieldwork_router)
api.add_router("", compliance_router)
api.add_router("/provisioning", provisioning_router)
api.add_router("/visits", visits_router)
api.add_router("/care", care_router)
api.add_router("/knowledge", knowledge_router)
api.add_router("/visits", knowledge_visit_router)
# Stock (issue 13): its own routers on the orders and visits prefixes, paths that cannot clash.
api.add_router("/orders", stock_api.orders_router)
api.add_router("/visits", stock_api.visits_router)
api.add_router("/stock", stock_api.router)
api.add_router("/stars", stars_router)
api.add_router("/orders", stars_orders_router)
api.add_router("/callbacks", callcentre_router)
api.add_router("/evaluations", evaluation_router)  # issue 14: evaluators
api.add_router("/orders", cases_api.orders_router)  # complaints, alerts (issue 14)
api.add_router("/cases", cases_api.router)
api.add_router("/assessment", assessment_router)
api.add_router("/technicians", position_router)  # live ETA (ADR 0034)
api_errors.install(api, on_refusal=refusal_from_request)


class HealthOut(Schema):
    status: str
    database: str
    logs: str = "ok"  # "failing": log lines are being lost (a full disk); still serving


@api.get("/health", auth=None, response={200: HealthOut, 503: HealthOut})
def health(request: HttpRequest) -> Status[HealthOut]:
    """Up only when the database answers (a load balancer takes a 503 out of rotation).

    ``logs`` says whether this process can write its log lines; a full log disk does not
    take a server out of rotation, but monitoring should page someone (docs/operations.md).
    """
    logs = "failing" if log_failing_since() is not None else "ok"
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return Status(503, HealthOut(status="unavailable", database="unreachable", logs=logs))
    return Status(200, HealthOut(status="ok", database="ok", logs=logs))
