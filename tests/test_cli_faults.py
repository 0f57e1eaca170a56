"""When Neo4j goes away during a command: one line (what failed, that nothing was written, how
to retry), exit 3, no traceback (``--debug`` keeps it), no driver logs in the terminal."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from urllib.parse import urlparse

import pytest
from click.testing import CliRunner

from graphapp.commands import graph as command_graph
from graphapp.commands.cli import cli
from graphapp.server.provision import Neo4jTarget
from graphapp.store import records
from graphapp.store.db import DatabaseUnavailable, Graph
from tests.import_helpers import counts
from tests.tcp_proxy import TcpProxy

COMPANIES = "id,name\n" + "".join(f"c{i},Company {i}\n" for i in range(50))


@pytest.fixture
def vanishing(neo4j_target, empty_graph, monkeypatch):
    """Commands talk to the test database through a proxy that a test can take away; the
    import's write loses it after its first batch of 10 rows."""
    real = urlparse(neo4j_target.uri)
    proxy = TcpProxy(real.hostname, real.port)
    target = Neo4jTarget(f"bolt://127.0.0.1:{proxy.port}", neo4j_target.user,
                         neo4j_target.password, "env")
    monkeypatch.setattr(command_graph, "open_graph",
                        lambda instance: Graph(target, connection_timeout=1, retry_seconds=1))
    write = records.write

    def write_then_vanish(graph, recs, **options):
        told = options.pop("progress", None)

        def progress(n):
            if told:
                told(n)
            proxy.down()  # after the first batch, in the middle of the transaction

        return write(graph, recs, batch_size=10, progress=progress, **options)

    monkeypatch.setattr(records, "write", write_then_vanish)
    proxy.up()
    yield proxy
    proxy.down()


def test_an_import_that_loses_the_database_prints_one_line_and_writes_nothing(
        vanishing, empty_graph, tmp_path, caplog, monkeypatch):
    (tmp_path / "Company.csv").write_text(COMPANIES, encoding="utf-8")
    # The driver's logger as a fresh process has it: an earlier command in this process made it
    # non-propagating, and pytest then hangs its capture handlers on it directly.
    driver_log = logging.getLogger("neo4j")
    monkeypatch.setattr(driver_log, "propagate", True)
    monkeypatch.setattr(driver_log, "handlers", [])
    caplog.set_level(logging.DEBUG)
    result = CliRunner().invoke(cli, ["import", "--no-progress", str(tmp_path / "Company.csv")])
    assert result.exit_code == 3, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0] == (
        f"Error: graphapp import stopped: Neo4j at bolt://127.0.0.1:{vanishing.port} stopped "
        "answering (connection refused). Nothing was written. Check it with `graphapp neo4j "
        "status` (start it with `graphapp neo4j start`), then run the same command again; "
        "`graphapp --debug ...` shows the traceback.")
    assert "Traceback" not in result.output
    assert counts(empty_graph) == (0, 0)
    assert not [r for r in caplog.records if r.name.startswith("neo4j")]


def test_debug_keeps_the_traceback(vanishing, empty_graph, tmp_path):
    (tmp_path / "Company.csv").write_text(COMPANIES, encoding="utf-8")
    result = CliRunner().invoke(cli, ["--debug", "import", "--no-progress",
                                      str(tmp_path / "Company.csv")])
    assert isinstance(result.exception, DatabaseUnavailable)
    assert counts(empty_graph) == (0, 0)


def test_a_subgroup_command_is_named_in_full(vanishing):
    vanishing.down()
    result = CliRunner().invoke(cli, ["users", "list"])
    assert result.exit_code == 3
    assert result.stderr.startswith("Error: graphapp users list stopped: Neo4j at ")


def test_a_real_terminal_sees_one_line_and_no_driver_logs(tmp_path):
    """The installed command in its own process, Neo4j nowhere (a port nothing listens on)."""
    proxy = TcpProxy("127.0.0.1", 9)  # never brought up: its port refuses connections
    (tmp_path / "Company.csv").write_text(COMPANIES, encoding="utf-8")
    env = {**os.environ, "NEO4J_URI": f"bolt://127.0.0.1:{proxy.port}", "NEO4J_USER": "neo4j",
           "NEO4J_PASSWORD": "x"}
    out = subprocess.run([sys.executable, "-m", "graphapp.commands.cli", "import",
                          str(tmp_path / "Company.csv")], capture_output=True, text=True,
                         env=env, timeout=120, check=False)
    assert out.returncode == 3
    assert out.stdout == ""
    assert out.stderr.splitlines() == [
        f"Error: graphapp import stopped: Neo4j at bolt://127.0.0.1:{proxy.port} stopped "
        "answering (connection refused). Nothing was written. Check it with `graphapp neo4j "
        "status` (start it with `graphapp neo4j start`), then run the same command again; "
        "`graphapp --debug ...` shows the traceback."]
