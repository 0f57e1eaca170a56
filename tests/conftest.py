"""Fixtures: a real Neo4j for the whole session, small named graphs, the app and its client.

Where the database comes from: ``NEO4J_URI`` when set (it must be a throwaway database: the
suite wipes it), else testcontainers when a Docker engine answers, else the project's local
"test" instance (never the "dev" one the app uses; ``GRAPHAPP_TEST_INSTANCE`` names another,
so that two suites can run side by side). A missing database fails the run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from graphapp import create_app, provision, records, seeding
from graphapp.db import Graph
from graphapp.provision import Neo4jTarget

TEST_INSTANCE = os.environ.get("GRAPHAPP_TEST_INSTANCE", "test")

# What the shared database holds now, so that read-only tests on the seed load it once.
_state = {"loaded": None}


def _target_from_testcontainers() -> Iterator[Neo4jTarget]:
    from testcontainers.neo4j import Neo4jContainer

    from graphapp.localserver import NEO4J_VERSION

    with Neo4jContainer(f"neo4j:{NEO4J_VERSION}-community") as container:
        yield Neo4jTarget(container.get_connection_url(), "neo4j", container.password,
                          "testcontainers", TEST_INSTANCE)


@pytest.fixture(scope="session")
def neo4j_target() -> Iterator[Neo4jTarget]:
    """A running Neo4j for the suite; fails (never skips) when none can be had."""
    try:
        if os.environ.get("NEO4J_URI"):
            yield provision.start(TEST_INSTANCE)
        elif provision.docker_answers():
            yield from _target_from_testcontainers()
        else:
            yield provision.start(TEST_INSTANCE, echo=print)
    except Exception as exc:
        pytest.fail(f"No Neo4j for the tests: {exc}", pytrace=False)


@pytest.fixture(scope="session")
def graph(neo4j_target: Neo4jTarget) -> Iterator[Graph]:
    g = Graph(neo4j_target)
    assert g.answers(), f"Neo4j at {neo4j_target.uri} does not answer"
    if neo4j_target.source == "env" and os.environ.get("GRAPHAPP_TESTS_MAY_WIPE") != "1":
        count = g.driver.execute_query("MATCH (n) RETURN count(n) AS c").records[0]["c"]
        if count:
            g.close()
            pytest.fail(f"NEO4J_URI={neo4j_target.uri} holds {count} nodes and the suite wipes "
                        "its database: point it at a throwaway database and set "
                        "GRAPHAPP_TESTS_MAY_WIPE=1.", pytrace=False)
    g.init_schema()
    yield g
    g.close()


def wipe(graph: Graph) -> None:
    graph.write_autocommit("records.delete_all")
    _state["loaded"] = None


@pytest.fixture
def empty_graph(graph: Graph) -> Graph:
    """The database, emptied (schema kept)."""
    wipe(graph)
    return graph


@pytest.fixture
def seed_graph(graph: Graph) -> Graph:
    """The database holding exactly the seed graph. Tests using it must not write."""
    if _state["loaded"] != "seed":
        wipe(graph)
        seeding.load_seed(graph)
        _state["loaded"] = "seed"
    return graph


def build(graph: Graph, nodes: list[dict], relationships: list[dict] = ()) -> Graph:
    """Empty the graph and write a small named graph (validated like any import).

    Relationships default to ``confidence: confirmed`` and one source, so tests stay short.
    """
    wipe(graph)
    rels = [{"confidence": "confirmed", "sources": ["https://example.org/evidence"], **r}
            for r in relationships]
    validated = records.validate(
        [(f"nodes[{i}]", n) for i, n in enumerate(nodes)],
        [(f"relationships[{i}]", r) for i, r in enumerate(rels)],
    )
    records.write(graph, validated)
    _state["loaded"] = "test graph"
    return graph


@pytest.fixture
def app(neo4j_target: Neo4jTarget, graph: Graph):
    return create_app({"TESTING": True, "NEO4J_TARGET": neo4j_target,
                       "SECRET_KEY": "test-secret", "WTF_CSRF_ENABLED": False})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# Every test client is signed in as an admin unless a test asks for another role
# (tests/auth_helpers.py: app.test_client(role="viewer"), role=None for anonymous).
from flask import Flask  # noqa: E402

from tests.auth_helpers import SignedInClient  # noqa: E402

Flask.test_client_class = SignedInClient


# --- browser tests (pytest-playwright; tests/browser.py) ------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, playwright):
    """Playwright's own Chromium when it was downloaded, else the system's Chromium or Chrome;
    with neither, the browser tests fail with one line saying how to get one."""
    from pathlib import Path

    from tests.browser import FLAGS, HOW_TO_GET_ONE, system_chromium

    args = {**browser_type_launch_args, "args": FLAGS}
    own = playwright.chromium.executable_path
    if own and Path(own).exists():
        return args
    system = system_chromium()
    if system is None:
        pytest.fail(HOW_TO_GET_ONE, pytrace=False)
    return {**args, "executable_path": system}
