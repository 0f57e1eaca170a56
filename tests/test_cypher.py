"""Named Cypher: every query is in cypher/*.cypher, and every name the code calls exists."""

import re
from pathlib import Path

import pytest

from graphapp.store.cypher import CYPHER_DIR, Queries, QueryNotFound, parse, schema_statements

ROOT = Path(__file__).resolve().parent.parent


def test_blocks_are_named_by_file_and_header(tmp_path):
    path = tmp_path / "things.cypher"
    path.write_text("// a comment\n// name: one\nRETURN 1;\n\n// name: two\nRETURN $x AS x;\n")
    queries = parse(path)
    assert {n: q.text for n, q in queries.items()} == {
        "things.one": "RETURN 1", "things.two": "RETURN $x AS x"}
    assert queries["things.two"].line == 5


def test_a_name_defined_twice_is_an_error(tmp_path):
    path = tmp_path / "dup.cypher"
    path.write_text("// name: a\nRETURN 1;\n// name: a\nRETURN 2;\n")
    with pytest.raises(ValueError, match="defined twice"):
        parse(path)


def test_an_unknown_name_says_where_queries_live():
    with pytest.raises(QueryNotFound, match=r"no Cypher query named 'nope\.nothing'"):
        Queries()["nope.nothing"]


def test_every_query_name_used_in_the_code_exists():
    queries = Queries()
    used = set()
    for path in (ROOT / "graphapp").rglob("*.py"):
        used |= set(re.findall(
            r"""\.(?:read|write|run|write_autocommit)\(\s*["']([a-z_]+\.[a-z_]+)["']""",
            path.read_text()))
    assert used, "the scan found no query calls"
    assert sorted(n for n in used if n not in queries) == []


def test_the_schema_script_is_idempotent_statements():
    statements = schema_statements(CYPHER_DIR / "schema.cypher")
    assert all("IF NOT EXISTS" in s or (s.startswith("DROP") and "IF EXISTS" in s)
               for s in statements)
    assert any("FULLTEXT INDEX entity_names" in s and "standard-folding" in s
               for s in statements)


def test_queries_marked_returns_values_never_return_a_node_on_the_seed(seed_graph, monkeypatch):
    """``// returns: values`` lets rows through unconverted (the ladder's answers at 1M nodes);
    a node, relationship or path in such a row would reach a page as a driver object. Every
    seed harm's ladder, with its engagements, and the overdue list are read through a check."""
    from graphapp import escalation
    from graphapp.store import db

    marked = sorted(n for n, q in Queries()._queries.items() if q.returns_values)
    assert marked == ["engagement.overdue", "engagement.target_engagements", "escalation.start",
                      "escalation.targets"]
    checked = []

    def checking(record):
        assert not any(map(db._has_graph_values, record.values())), record.keys()
        checked.append(record)
        return dict(zip(record.keys(), record.values(), strict=True))

    monkeypatch.setattr(db, "values_row", checking)
    harms = [h["id"] for h in escalation.list_harms(seed_graph, limit=500,
                                                      include_sensitive=True)]
    assert len(harms) >= 10
    for harm in harms:
        escalation.escalate(seed_graph, harm, include_sensitive=True, org="amnesty-international")
    assert len(checked) > 100
    from graphapp import engagement

    before = len(checked)
    engagement.overdue(seed_graph, include_sensitive=True)  # engagement.overdue, in batches
    assert len(checked) > before
