"""Bulk load: the offline importer gives the graph the online write gives, or refuses.

A bulk load stops a server and replaces its database, so these tests use a throwaway local
instance of their own (GRAPHAPP_BULKLOAD_INSTANCE; by default the suite's instance name with
"-bulkload", so that two suites run side by side with GRAPHAPP_TEST_INSTANCE=a and =b never share
one), besides the suite's database for the online write. They are skipped, with the reason,
only where the suite's database is not a local server graphapp runs (NEO4J_URI set, or
Docker); locally they run.
Each bulk load restarts a server: about a minute on a small machine.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphapp.commands.cli import cli
from graphapp.io import bulkload, gleif, pipeline
from graphapp.server import localserver, provision
from graphapp.store import records
from graphapp.store.cypher import schema_statements
from graphapp.store.db import Graph
from tests.graphs import TEST_INSTANCE, build, wipe

BULK_INSTANCE = os.environ.get("GRAPHAPP_BULKLOAD_INSTANCE", f"{TEST_INSTANCE}-bulkload")

DESCRIPTION = 'Makes "widgets", cheaply,\nand more; a \\ backslash and a \'quote\''
NODES = [
    {"label": "Company", "id": "acme", "name": "Acme Holdings", "extra_labels": ["Investor"],
     "investor_type": "asset_manager", "aliases": ["ACME", "Acme, Inc."], "jurisdiction": "US",
     "lei": "5493001KJTIIGC8Y1R12", "sources": ["https://example.org/acme"],
     "description": DESCRIPTION},
    {"label": "Company", "id": "sub", "name": "<script>alert(1)</script>", "jurisdiction": "MM"},
    {"label": "Person", "id": "jane", "name": "Jane Defender", "sensitive": True,
     "nationality": "MM", "aliases": ["J. D.", "odd\x1fname"]},  # U+001F: the array delimiter
    {"label": "Harm", "id": "h1", "name": "Hate speech", "harm_type": "hate_speech",
     "severity": 4, "affected_groups": ["Rohingya", "journalists"], "started": "2017"},
    {"label": "Country", "id": "mm", "name": "Myanmar", "iso2": "MM", "global_south": True},
    {"label": "Product", "id": "app", "name": "App", "description": ""},
    {"label": "Team", "id": "tns", "name": "Trust & Safety", "function": "trust_and_safety"},
]
RELATIONSHIPS = [
    {"type": "OWNS", "from": "acme", "to": "sub", "economic_pct": 51.5, "voting_pct": 60,
     "share_class": "A", "start_date": "2019"},
    {"type": "OWNS", "from": "acme", "to": "sub", "economic_pct": 10, "share_class": "B",
     "start_date": "2021", "note": "second\nline"},
    {"type": "HOLDS_ROLE", "from": "jane", "to": "acme", "title": "CEO", "kind": "executive"},
    {"type": "INCORPORATED_IN", "from": "sub", "to": "mm", "sources": []},
    {"type": "INVOLVES", "from": "h1", "to": "app", "mechanism": "recommendations"},
    {"type": "OCCURRED_IN", "from": "h1", "to": "mm"},
    {"type": "OPERATES", "from": "acme", "to": "app"},
    {"type": "PART_OF", "from": "tns", "to": "acme", "sensitive": True},
]


def named_records() -> records.Records:
    """The test graph, validated as conftest.build validates it."""
    rels = [{"confidence": "confirmed", "sources": ["https://example.org/evidence"], **r}
            for r in RELATIONSHIPS]
    return records.validate([(f"nodes[{i}]", n) for i, n in enumerate(NODES)],
                            [(f"relationships[{i}]", r) for i, r in enumerate(rels)])


def rows(graph: Graph, query: str) -> list[dict]:
    return [r.data() for r in graph.driver.execute_query(query).records]


def snapshot(graph: Graph) -> dict:
    """Every node and relationship: labels or type, properties and their Cypher types (but for
    the graph's version, cypher/version.cypher, which differs on every write)."""
    nodes = rows(graph, """
        MATCH (n) WHERE NOT n:GraphVersion
        RETURN n.id AS id, COLLECT { UNWIND labels(n) AS l RETURN l ORDER BY l } AS labels,
               properties(n) AS props, [k IN keys(n) | k + ': ' + valueType(n[k])] AS types
        ORDER BY id""")
    rels = rows(graph, """
        MATCH (a)-[r]->(b)
        RETURN a.id AS from, type(r) AS type, b.id AS to, properties(r) AS props,
               [k IN keys(r) | k + ': ' + valueType(r[k])] AS types
        ORDER BY from, type, to, r.key""")
    for row in nodes + rels:
        assert row["props"].pop("updated_at") is not None
        row["types"] = sorted(row["types"])
    return {"nodes": nodes, "relationships": rels}


@pytest.fixture(scope="module")
def bulk_instance() -> Iterator[str]:
    """The throwaway local instance; skipped only where the suite's Neo4j is not local."""
    if os.environ.get("NEO4J_URI"):
        pytest.skip("NEO4J_URI is set: bulk load runs only on a local instance graphapp runs")
    if provision.docker_answers():
        pytest.skip("a Docker engine answers, so Neo4j runs in Docker: bulk load runs only on "
                    "a local instance graphapp runs")
    localserver.start(BULK_INSTANCE, echo=lambda m: None)
    yield BULK_INSTANCE
    localserver.stop(BULK_INSTANCE)


def bulk_graph(instance: str) -> Graph:
    return Graph(provision.resolve(instance))


def emptied(instance: str) -> str:
    localserver.start(instance, echo=lambda m: None)
    g = bulk_graph(instance)
    g.write_autocommit("records.delete_all")
    g.close()
    return instance


@pytest.fixture(scope="module")
def loaded(bulk_instance: str) -> Iterator[tuple[str, dict, list[str]]]:
    """The test graph, bulk loaded once into the emptied instance: (instance, stats, messages)."""
    messages: list[str] = []
    stats = bulkload.bulk_load(emptied(bulk_instance), named_records(), echo=messages.append)
    yield bulk_instance, stats, messages


def test_bulk_load_gives_the_graph_the_online_write_gives(graph, loaded):
    instance, stats, _ = loaded
    build(graph, NODES, RELATIONSHIPS)  # online: records.write
    online = snapshot(graph)
    g = bulk_graph(instance)
    try:
        bulk = snapshot(g)
    finally:
        g.close()
    assert bulk == online
    assert (stats["nodes"], stats["relationships"]) == (7, 8)
    acme = next(n for n in bulk["nodes"] if n["id"] == "acme")
    assert acme["labels"] == ["Company", "Entity", "Investor"]
    assert acme["props"]["description"] == DESCRIPTION
    assert "aliases: LIST<STRING NOT NULL> NOT NULL" in acme["types"]
    sub = next(n for n in bulk["nodes"] if n["id"] == "sub")
    assert sub["props"]["name"] == "<script>alert(1)</script>"
    assert sub["props"]["aliases"] == []
    owns = [r for r in bulk["relationships"] if r["type"] == "OWNS"]
    assert [(r["props"]["key"], r["props"]["economic_pct"]) for r in owns] == [
        ("2019|A", 51.5), ("2021|B", 10.0)]
    assert "economic_pct: FLOAT NOT NULL" in owns[0]["types"]
    harm = next(n for n in bulk["nodes"] if n["id"] == "h1")
    assert "severity: INTEGER NOT NULL" in harm["types"]


def test_updated_at_is_a_datetime_on_both(graph, loaded):
    instance, _, _ = loaded
    query = ("MATCH (n) WHERE NOT n:GraphVersion "
             "RETURN collect(DISTINCT valueType(n.updated_at)) AS t UNION ALL "
             "MATCH ()-[r]->() RETURN collect(DISTINCT valueType(r.updated_at)) AS t")
    build(graph, NODES, RELATIONSHIPS)
    g = bulk_graph(instance)
    try:
        assert rows(g, query) == rows(graph, query) == [{"t": ["ZONED DATETIME NOT NULL"]}] * 2
    finally:
        g.close()


def test_the_schema_is_applied_and_online_after_a_bulk_load(loaded):
    instance, _, _ = loaded
    g = bulk_graph(instance)
    try:
        constraints = {r["name"] for r in rows(g, "SHOW CONSTRAINTS YIELD name")}
        states = {r["state"] for r in rows(g, "SHOW INDEXES YIELD state")}
    finally:
        g.close()
    expected = {s.split()[2] for s in schema_statements() if s.startswith("CREATE CONSTRAINT")}
    assert {"entity_id", "company_id", "person_id"} <= expected
    assert constraints == expected
    assert states == {"ONLINE"}


def test_progress_names_stages_and_counts_never_a_record(loaded):
    _, stats, messages = loaded
    text = "\n".join(messages)
    assert "7 nodes" in text and "8 relationships" in text
    for value in ("Jane", "jane", "Acme", "acme", "<script>", "Rohingya", "Myanmar"):
        assert value not in text
    assert set(stats["seconds"]) >= {"csv", "import", "schema", "total"}


def test_a_second_bulk_load_over_a_loaded_database_is_refused(loaded):
    instance, _, _ = loaded
    with pytest.raises(bulkload.BulkLoadError, match=r"holds 7 node\(s\).*only fills an empty"):
        bulkload.bulk_load(instance, named_records(), echo=lambda m: None)
    g = bulk_graph(instance)
    try:
        assert rows(g, "MATCH (n) WHERE NOT n:GraphVersion RETURN count(n) AS n") == [{"n": 7}]
    finally:
        g.close()


def test_a_database_with_anything_in_it_is_refused_and_kept(bulk_instance):
    instance = emptied(bulk_instance)
    g = bulk_graph(instance)
    try:
        records.write(g, records.validate([("n", NODES[4])], []))
        with pytest.raises(bulkload.BulkLoadError, match="graphapp import"):
            bulkload.bulk_load(instance, named_records(), echo=lambda m: None)
        assert rows(g, "MATCH (n:Entity) RETURN n.id AS id") == [{"id": "mm"}]
    finally:
        g.close()


def test_an_importer_failure_leaves_the_database_empty_and_no_csv(bulk_instance, monkeypatch):
    instance = emptied(bulk_instance)
    # A read buffer smaller than one line: the importer fails while reading the nodes.
    monkeypatch.setenv("GRAPHAPP_BULK_OPTIONS", "--read-buffer-size=64")
    with pytest.raises(bulkload.BulkLoadError,
                       match=r"import failed, nothing was loaded: .*buffer"):
        bulkload.bulk_load(instance, named_records(), echo=lambda m: None)
    g = bulk_graph(instance)
    try:
        assert rows(g, "MATCH (n) RETURN count(n) AS n") == [{"n": 0}]
        assert rows(g, "SHOW CONSTRAINTS YIELD name WHERE name = 'entity_id' RETURN name") == [
            {"name": "entity_id"}]
    finally:
        g.close()
    home = localserver.instance_dir(instance)
    assert list(home.glob("bulkload-*")) == []
    assert list((home / "logs").glob("neo4j-admin-*")) == []


def test_only_a_local_instance_is_bulk_loaded(monkeypatch):
    monkeypatch.setenv("NEO4J_URI", "neo4j://127.0.0.1:1")
    with pytest.raises(bulkload.BulkLoadError, match="neo4j-admin database import full"):
        bulkload.bulk_load(BULK_INSTANCE, named_records(), echo=lambda m: None)


FIXTURES = Path(__file__).parent / "fixtures"
FILES = [FIXTURES / "gleif" / "lei-data.xml", FIXTURES / "gleif" / "rr-data.xml",
         FIXTURES / "bods" / "joint-ownership.json"]


def assert_bulk_load_matches_import(graph, bulk_instance, files: list[Path]) -> str:
    """Bulk-load ``files`` with the command, import them online into the test graph, check
    that both graphs are the same; the command's output, for each test's own line."""
    instance = emptied(bulk_instance)
    result = CliRunner().invoke(cli, ["db", "bulk-load", "--instance", instance,
                                      *map(str, files)])
    assert result.exit_code == 0, result.output
    wipe(graph)
    assert pipeline.import_files(graph, [(p, p.name) for p in files]).ok
    g = bulk_graph(instance)
    try:
        assert snapshot(g) == snapshot(graph)
    finally:
        g.close()
    return result.output


def test_the_command_loads_files_as_graphapp_import_writes_them(graph, bulk_instance):
    output = assert_bulk_load_matches_import(graph, bulk_instance, FILES)
    assert "Bulk loaded 30 node(s) and 13 relationship(s)" in output


def test_the_command_loads_nothing_when_a_file_has_a_problem(bulk_instance, tmp_path):
    instance = emptied(bulk_instance)
    bad = tmp_path / "bad.xml"
    bad.write_text("<root/>")
    result = CliRunner().invoke(cli, ["db", "bulk-load", "--instance", instance,
                                      str(FILES[0]), str(bad)])
    assert result.exit_code == 1
    assert "bad.xml is XML but not GLEIF" in result.output
    assert "1 problem(s): nothing was loaded." in result.output
    g = bulk_graph(instance)
    try:
        assert rows(g, "MATCH (n) RETURN count(n) AS n") == [{"n": 0}]
    finally:
        g.close()


def test_a_value_the_csv_cannot_carry_is_left_to_the_online_fix():
    assert bulkload.kind_of([]) == bulkload.EMPTY
    assert bulkload.kind_of(["a\x1fb"]) is None
    assert bulkload.kind_of([""]) is None
    assert bulkload.kind_of(["", "x"]) == "string[]"
    assert bulkload.kind_of(True) == "boolean"
    assert bulkload.kind_of(3) == "long"
    assert bulkload.kind_of(3.0) == "double"


def test_a_key_of_two_types_goes_to_two_files_and_empty_lists_are_set_by_label(tmp_path):
    harm = {"label": "Harm", "extra_labels": [], "harm_type": "censorship", "sensitive": False}
    recs = records.Records(nodes=[
        {**harm, "id": "a", "name": "A", "severity": 1, "affected_groups": []},
        {**harm, "id": "b", "name": "B", "severity": 2.5, "affected_groups": ["x", "y"]},
    ])
    csvs = bulkload.write_csvs(recs, tmp_path, "2026-01-01T00:00:00.000Z")
    headers = [f.header.read_text() for f in csvs.files]
    assert [f.name for f in csvs.files] == ["Entity:Harm", "Entity:Harm"]
    assert sorted("severity:long" in h for h in headers) == [False, True]
    assert sorted("severity:double" in h for h in headers) == [False, True]
    assert sorted("affected_groups:string[]" in h for h in headers) == [False, True]  # []: none
    assert csvs.empty_lists_on_label == [("Harm", "affected_groups")]
    assert csvs.node_fixes == []


def test_a_large_gleif_file_is_streamed_into_the_bulk_load_as_import_streams_it(
        graph, bulk_instance, monkeypatch):
    """Over STREAM_BYTES, both commands stream GLEIF (chunks of 2 records here): same graph."""
    monkeypatch.setattr(pipeline, "STREAM_BYTES", 0)
    monkeypatch.setattr(gleif, "CHUNK_RECORDS", 2)
    monkeypatch.setenv(bulkload.WORKERS_ENV, "2")
    output = assert_bulk_load_matches_import(graph, bulk_instance, FILES[:2])
    assert "peak memory" in output


def test_a_bad_record_in_a_streamed_chunk_is_named_and_nothing_is_written(tmp_path):
    from tests.test_import_gleif import CHILD, PARENT, rr_xml

    good = [(f"5493000000000000C{i:03d}", PARENT, "IS_SUBFUND_OF") for i in range(5)]
    path = tmp_path / "rr.xml"
    path.write_text(rr_xml(*good, (CHILD, "not-a-lei", "IS_SUBFUND_OF")), encoding="utf-8")
    for workers in (0, 2):
        writer = bulkload.CsvWriter(tmp_path, "2026-01-01T00:00:00.000Z", workers)
        try:
            for batch in gleif.chunks(path, path.name, size=2):
                writer.add_batch(batch)
            writer.finish()
        finally:
            writer.close()
        assert {(p.file, p.row) for p in writer.problems} == {("rr.xml", 6)}, writer.problems
        assert "lei" in {p.column for p in writer.problems}


def test_workers_write_the_csvs_one_process_writes(tmp_path):
    recs = named_records()
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    one = bulkload.write_csvs(recs, tmp_path / "one", "2026-01-01T00:00:00.000Z", workers=0)
    two = bulkload.write_csvs(recs, tmp_path / "two", "2026-01-01T00:00:00.000Z", workers=2)

    def contents(csvs: bulkload.CsvSet) -> list[tuple[str, str, list[str]]]:
        return sorted((f.name, f.header.read_text(),
                       sorted(line for path in f.data for line in path.read_text().splitlines()))
                      for f in csvs.files)

    assert contents(one) == contents(two)
    assert (one.node_fixes, one.empty_lists_on_label) == (two.node_fixes,
                                                          two.empty_lists_on_label)


def one_row_at_a_time(job: bulkload._Job) -> bulkload._Part:
    """The CSV lines of validated records made row by row (``_row_line``, the general way)."""
    part = bulkload._Part()
    plans: dict = {}
    for node in job.nodes:
        row = records.node_row(node)
        row["props"].pop("updated_at", None)
        labels = tuple(dict.fromkeys(row["labels"]))
        bulkload._row_line(part, plans, "nodes", ":".join(("Entity", *labels)), labels,
                           [bulkload._string(row["id"])], row["props"], job.updated_at,
                           {"id": row["id"]})
    for rel in job.relationships:
        row = records.relationship_row(rel)
        bulkload._row_line(part, plans, "relationships", row["type"], (row["type"],),
                           [bulkload._string(row["from"]), bulkload._string(row["to"])],
                           {"key": row["key"], **row["props"]}, job.updated_at,
                           {k: row[k] for k in ("from", "type", "to", "key")})
    return part


def test_columns_formatted_at_once_give_the_lines_one_row_at_a_time_gives():
    """The CSV writer formats a column of a chunk at once; mixed types, None, empty lists,
    lists of two kinds, the array delimiter, quotes and newlines give what row by row gives."""
    harm = {"label": "Harm", "extra_labels": [], "harm_type": "censorship", "sensitive": False}
    nodes = [*named_records().nodes,
             *({**harm, "id": f"h{i}", "name": f"H {i}", "severity": (i if i % 3 else i / 2),
                "affected_groups": [[], ["x", "y"], ["z\x1fw"], [""]][i % 4],
                "description": [None, 'say "no"', "two\nlines", "Мьянма"][i % 4]}
               for i in range(40))]
    ids = [n["id"] for n in nodes if n["label"] == "Harm"]
    rels = [*named_records().relationships,
            *({"type": "OWNS", "from_": "acme", "to": "sub", "confidence": "reported",
               "economic_pct": [None, 1.5, 7.25, float("inf")][i % 4],
               "sources": [[], ["https://a.org"], ["https://b.org", "https://c.org"]][i % 3],
               "sensitive": False, "start_date": f"20{i:02d}", "note": None}
              for i in range(40)),
            *({"type": "INVOLVES", "from_": ids[i], "to": "app", "confidence": "alleged",
               "sources": [], "sensitive": bool(i % 2), "mechanism": "x" if i % 5 else None}
              for i in range(10))]
    job = bulkload._Job(nodes, rels, True, "2026-01-01T00:00:00.000Z")
    at_once, by_row = bulkload._format_part(job), one_row_at_a_time(job)
    assert {s: sorted(lines) for s, lines in at_once.lines.items()} == {
        s: sorted(lines) for s, lines in by_row.lines.items()}
    assert (at_once.multiline, at_once.lists, at_once.totals) == (
        by_row.multiline, by_row.lists, by_row.totals)
    assert sorted(map(repr, at_once.left)) == sorted(map(repr, by_row.left))
    assert len(at_once.lines) > 6 and at_once.multiline and at_once.left
