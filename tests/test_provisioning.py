"""The Neo4j the project provisions: status, idempotent start, plain messages when tools lack."""

import json

import pytest
from click.testing import CliRunner

from graphapp.commands.cli import cli
from graphapp.server import localserver, provision
from graphapp.store import model
from tests.graphs import TEST_INSTANCE


def test_status_prints_the_bolt_uri_and_that_it_answers(neo4j_target):
    result = CliRunner().invoke(cli, ["neo4j", "status", "--instance", TEST_INSTANCE, "--json"])
    assert result.exit_code == 0, result.output
    info = json.loads(result.output)
    assert info["answers"] is True
    assert info["uri"] == neo4j_target.uri or neo4j_target.source == "testcontainers"


def test_a_second_start_is_a_no_op(neo4j_target):
    if neo4j_target.source != "local":
        pytest.skip("only the local server has a pid to compare")
    before = localserver.status(TEST_INSTANCE)
    provision.start(TEST_INSTANCE)
    after = localserver.status(TEST_INSTANCE)
    assert (after.pid, after.uri, after.answers) == (before.pid, before.uri, True)


def test_the_local_server_listens_on_loopback_only(neo4j_target):
    if neo4j_target.source != "local":
        pytest.skip("the local server's configuration")
    conf = (localserver.instance_dir(TEST_INSTANCE) / "conf" / "neo4j.conf").read_text()
    assert "server.default_listen_address=127.0.0.1" in conf
    assert "server.bolt.listen_address=127.0.0.1:" in conf
    assert "dbms.security.auth_enabled=true" in conf


def test_missing_maven_is_said_plainly(tmp_path, monkeypatch):
    monkeypatch.setenv("GRAPHAPP_NEO4J_HOME", str(tmp_path))
    monkeypatch.setattr(localserver.shutil, "which", lambda name: None)
    with pytest.raises(localserver.LocalServerError, match=r"Maven \(`mvn`\) is not on PATH"):
        localserver.ensure_distribution()


def test_a_java_too_old_is_said_plainly(monkeypatch):
    monkeypatch.setattr(localserver, "_java_major", lambda java: 17)
    with pytest.raises(localserver.LocalServerError) as info:
        localserver.find_java()
    assert f"needs Java {localserver.MIN_JAVA} or newer; this machine has Java 17 at" in str(
        info.value)


def test_no_java_at_all_is_said_plainly(monkeypatch):
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setattr(localserver, "_java_major", lambda java: None)
    with pytest.raises(localserver.LocalServerError, match="this machine has no Java at all"):
        localserver.find_java()


def test_cli_start_reports_a_missing_tool_without_a_traceback(tmp_path, monkeypatch):
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setenv("GRAPHAPP_NO_DOCKER", "1")
    monkeypatch.setenv("GRAPHAPP_NEO4J_HOME", str(tmp_path))
    monkeypatch.setattr(localserver.shutil, "which", lambda name: None)
    result = CliRunner().invoke(cli, ["neo4j", "start", "--instance", "nomaven"])
    assert result.exit_code == 1
    assert "Error: Maven (`mvn`) is not on PATH" in result.output
    assert "Traceback" not in result.output


def test_schema_init_is_idempotent(graph):
    def schema():
        constraints = graph.driver.execute_query("SHOW CONSTRAINTS YIELD name").records
        indexes = graph.driver.execute_query("SHOW INDEXES YIELD name").records
        return sorted(r["name"] for r in constraints), sorted(r["name"] for r in indexes)

    graph.init_schema()
    first = schema()
    graph.init_schema()
    assert schema() == first
    constraints, indexes = first
    assert "entity_id" in constraints and "harm_id" in constraints
    expected = {f"{label.lower()}_id" for label in (*model.ALL_LABELS, model.BASE_LABEL)}
    assert expected <= set(constraints)  # one uniqueness constraint on id per label
    assert "entity_names" in indexes and "entity_search" not in indexes and "company_lei" in indexes
