"""bench.demo_profile sorts a py-spy stack by the kind of work it samples."""

from __future__ import annotations

from bench.demo_profile import kind

REQUEST = [
    "Api.post (guifan/demo/api_client.py:50)",
    "ClientHandler.__call__ (django/test/client.py:180)",
    "ChosenLanguageOnlyMiddleware.__call__ (guifan/apps/web/language.py:40)",
    "Operation.run (ninja/operation.py:120)",
]


def test_a_query_under_a_service_is_the_orm_and_the_middleware_is_the_stack() -> None:
    service = "order_lock (guifan/apps/orders/services/records.py:38)"
    orm = "SQLCompiler.as_sql (django/db/models/sql/compiler.py:700)"
    assert kind([*REQUEST, service, orm]) == "requests: ORM under the services"
    assert kind([*REQUEST, service]) == "requests: the services' own Python"
    assert kind(REQUEST) == "requests: test client, middleware, django-ninja"


def test_work_outside_requests() -> None:
    runner = "Runner._next_timer (guifan/demo/runner.py:90)"
    assert kind([runner, "QuerySet.first (django/db/models/query.py:1)"]).startswith(
        "outside requests: ORM"
    )
    assert kind([runner]) == "outside requests: other (plots, logins, agents)"
    assert kind(["_migrate (guifan/cli/demo.py:136)", "Migration.apply (django/db/x.py:1)"]) == (
        "migrations of the demo database"
    )


def test_frames_without_class_names_are_sorted_alike() -> None:
    """py-spy 0.4.1 writes ``__call__ (django/test/client.py:186)``, without the class."""
    request = [f.split(".", 1)[1] if "." in f.split(" (")[0] else f for f in REQUEST]
    service = "order_lock (guifan/apps/orders/services/records.py:38)"
    orm = "as_sql (django/db/models/sql/compiler.py:700)"
    assert request[1] == "__call__ (django/test/client.py:180)"
    assert kind([*request, service, orm]) == "requests: ORM under the services"
    assert kind(request) == "requests: test client, middleware, django-ninja"
