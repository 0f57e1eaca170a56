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
from click.testing import CliRunner, Result
from flask import Flask

from graphapp import create_app, seeding
from graphapp.commands.cli import cli
from graphapp.server import provision
from graphapp.server.provision import Neo4jTarget
from graphapp.store.db import Graph
from tests.auth_helpers import SignedInClient
from tests.graphs import TEST_INSTANCE, state, wipe


def _target_from_testcontainers() -> Iterator[Neo4jTarget]:
    from testcontainers.neo4j import Neo4jContainer

    from graphapp.server.localserver import NEO4J_VERSION

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


@pytest.fixture
def empty_graph(graph: Graph) -> Graph:
    """The database, emptied (schema kept)."""
    wipe(graph)
    return graph


@pytest.fixture
def seed_graph(graph: Graph) -> Graph:
    """The database holding exactly the seed graph. Tests using it must not write."""
    if state["loaded"] != "seed":
        wipe(graph)
        seeding.load_seed(graph)
        state["loaded"] = "seed"
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


@pytest.fixture
def graphapp_cli(neo4j_target: Neo4jTarget, monkeypatch: pytest.MonkeyPatch):
    """Run ``graphapp ARGS...`` on the suite's database, reached as anyone reaches a server of
    their own: ``NEO4J_URI``, ``NEO4J_USER`` and ``NEO4J_PASSWORD`` (graphapp.config)."""
    monkeypatch.setenv("NEO4J_URI", neo4j_target.uri)
    monkeypatch.setenv("NEO4J_USER", neo4j_target.user)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_target.password)
    monkeypatch.delenv("NEO4J_DATABASE", raising=False)

    def run(args: list[str], input: str | None = None) -> Result:
        return CliRunner().invoke(cli, args, input=input)

    return run


# Every test client is signed in as an admin unless a test asks for another role
# (tests/auth_helpers.py: app.test_client(role="viewer"), role=None for anonymous).
Flask.test_client_class = SignedInClient


# --- browser tests (pytest-playwright; tests/browser.py) ------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, playwright):
    """Playwright's own Chromium when it was downloaded, else the system's Chromium or Chrome;
    with neither, the browser tests fail with one line saying how to get one."""
    from tests.browser import FLAGS, NoBrowser, browser_to_drive

    args = {**browser_type_launch_args, "args": FLAGS}
    try:
        system = browser_to_drive(playwright.chromium.executable_path)
    except NoBrowser as exc:
        missing = str(exc)
    else:
        return args if system is None else {**args, "executable_path": system}
    pytest.fail(missing, pytrace=False)  # outside the except: one line, no chained exception
