"""The ``graphapp`` command reads the web app's configuration (graphapp.config): the database
it writes to is the one the app reads, and ``--instance`` defaults to the app's instance."""

from __future__ import annotations

import json

from graphapp import config
from graphapp.commands.graph import open_graph


def test_a_command_writes_to_the_configured_database_not_the_home_one(graphapp_cli, empty_graph,
                                                                      monkeypatch):
    """NEO4J_DATABASE names the app's database; `graphapp seed` once wrote to the home one."""
    monkeypatch.setenv("NEO4J_DATABASE", "elsewhere")
    result = graphapp_cli(["seed"])
    assert result.exit_code == 1
    assert "Error: Neo4j:" in result.output and "elsewhere" in result.output
    home = empty_graph.driver.execute_query("MATCH (n) RETURN count(n) AS c").records
    assert home[0]["c"] == 0  # and nothing went to the home database


def test_an_import_writes_to_the_configured_database_not_the_home_one(graphapp_cli,
                                                                    empty_graph, monkeypatch,
                                                                    tmp_path):
    """`graphapp import` opens its graph as `graphapp seed` does: in NEO4J_DATABASE."""
    companies = tmp_path / "Company.csv"
    companies.write_text("id,name\nacme,Acme Ltd\n", encoding="utf-8")
    monkeypatch.setenv("NEO4J_DATABASE", "elsewhere")
    result = graphapp_cli(["import", str(companies), "--no-progress"])
    assert result.exit_code == 1
    assert "Error: Neo4j:" in result.output and "elsewhere" in result.output
    home = empty_graph.driver.execute_query("MATCH (n) RETURN count(n) AS c").records
    assert home[0]["c"] == 0  # and nothing went to the home database


def test_open_graph_is_configured_as_the_app(graphapp_cli, monkeypatch):
    monkeypatch.setenv("NEO4J_DATABASE", "campaigns")
    graph = open_graph("dev")
    try:
        assert graph.database == "campaigns" == config.settings()["NEO4J_DATABASE"]
    finally:
        graph.close()


def test_the_instance_defaults_to_the_apps_instance(graphapp_cli, monkeypatch):
    monkeypatch.setenv("GRAPHAPP_NEO4J_INSTANCE", "campaign_dev")
    result = graphapp_cli(["neo4j", "status", "--json"])
    assert json.loads(result.output)["instance"] == "campaign_dev"
