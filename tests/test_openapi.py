"""schemathesis against /api/openapi.json (issue 13): property-based calls to every operation of
the JSON API, on the seed graph, as an editor (with a bearer token). No answer may be a 5xx, and
every answer must match what the OpenAPI description says of it (status codes, content type,
body schema). Bounded: a few examples per operation, no deadline per example.

Run alone: ``.venv/bin/pytest tests/test_openapi.py -q``.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from graphapp import auth, create_app, seeding
from tests import graphs

MAX_EXAMPLES = 8


@pytest.fixture(scope="module")
def api_app(neo4j_target, graph):
    """The seed graph (written once for the module: the calls may add engagements) and the app."""
    graphs.wipe(graph)
    seeding.load_seed(graph)
    graphs.state["loaded"] = "openapi"
    app = create_app({"TESTING": True, "NEO4J_TARGET": neo4j_target,
                      "SECRET_KEY": "test-secret", "WTF_CSRF_ENABLED": False})
    auth.create_user(graph, "schemathesis", "editor", "a long test password")
    app.config["SCHEMATHESIS_TOKEN"] = auth.create_token(graph, "schemathesis")
    yield app
    graphs.wipe(graph)


@pytest.fixture(scope="module")
def api_schema(api_app):
    token = api_app.config["SCHEMATHESIS_TOKEN"]
    return schemathesis.openapi.from_wsgi("/api/openapi.json", api_app,
                                          headers={"Authorization": f"Bearer {token}"})


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_the_api_answers_as_its_description_says(case, api_app):
    token = api_app.config["SCHEMATHESIS_TOKEN"]
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"})
