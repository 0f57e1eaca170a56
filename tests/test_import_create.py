"""Relationships the import knows are new are CREATEd, the rest MERGEd: an end with no
relationships in the graph (read before the write) makes a relationship new for certain
(``records.RelationshipCheck.new_for_certain``). Small named graphs: which query wrote each
row, and that re-importing, a row given twice and a fault mid-write behave as with MERGE."""

from __future__ import annotations

import itertools

import pytest

from graphapp.store import records
from tests.import_helpers import counts, rels, run, write

COMPANIES = "id,name\na,A\nb,B\nc,C\nd,D\n"


@pytest.fixture
def queries(monkeypatch) -> list[tuple[str, int]]:
    """(query name, rows) of every relationship batch the import's write transaction ran."""
    ran: list[tuple[str, int]] = []
    put = records.StreamWrite._put

    def spy(self, name, rows):
        if name != "records.upsert_nodes":
            ran.append((name, len(rows)))
        put(self, name, rows)

    monkeypatch.setattr(records.StreamWrite, "_put", spy)
    return ran


def test_relationships_between_nodes_without_any_are_created_and_reimporting_updates_them(
        empty_graph, tmp_path, queries):
    """a, b, c in the graph with no relationships: a->b and b->c are CREATEd (counted as
    created). The same file again: a has one out now, b and c in, so both MERGE: updated, not
    duplicated, with the file's new values."""
    assert run(empty_graph, write(tmp_path / "Company.csv", COMPANIES)).ok
    owns = write(tmp_path / "OWNS.csv", "from,to,confidence,economic_pct\n"
                                        "a,b,reported,10\nb,c,reported,20\n")
    first = run(empty_graph, owns)
    assert first.ok and queries == [("records.create_owns", 2)]
    assert (first.plan.relationships_created, first.plan.relationships_updated) == (2, 0)
    owns.write_text("from,to,confidence,economic_pct\na,b,confirmed,15\nb,c,reported,20\n",
                    encoding="utf-8")
    queries.clear()
    again = run(empty_graph, owns)
    assert again.ok and queries == [("records.upsert_owns", 2)]
    assert (again.plan.relationships_created, again.plan.relationships_updated) == (0, 2)
    assert [(r["from"], r["to"], r["confidence"], r["economic_pct"])
            for r in rels(empty_graph)] == [("a", "b", "confirmed", 15.0),
                                            ("b", "c", "reported", 20.0)]
    assert counts(empty_graph) == (4, 2)


def test_only_relationships_with_a_bare_end_are_created(empty_graph, tmp_path, queries):
    """a->b exists, so a has a relationship out and b one in. a->b again: MERGE, updated.
    a->c (c has none in), d->b (d has none out), b->a (b has none out): CREATE. a->b with a
    start date (another relationship beside the first): MERGE, created."""
    assert run(empty_graph, write(tmp_path / "Company.csv", COMPANIES)).ok
    assert run(empty_graph, write(tmp_path / "first.csv", "type,from,to,confidence\n"
                                                          "OWNS,a,b,reported\n")).ok
    queries.clear()
    report = run(empty_graph, write(tmp_path / "more.csv",
                                    "type,from,to,confidence,start_date\n"
                                    "OWNS,a,b,confirmed,\nOWNS,a,c,reported,\n"
                                    "OWNS,d,b,reported,\nOWNS,b,a,reported,\n"
                                    "OWNS,a,b,reported,2020\n"))
    assert report.ok and sorted(queries) == [("records.create_owns", 3),
                                             ("records.upsert_owns", 2)]
    assert (report.plan.relationships_created, report.plan.relationships_updated) == (4, 1)
    assert [(r["from"], r["to"], r["confidence"], r.get("start_date"))
            for r in rels(empty_graph)] == [
        ("a", "b", "reported", "2020"), ("a", "b", "confirmed", None),
        ("a", "c", "reported", None), ("b", "a", "reported", None),
        ("d", "b", "reported", None)]


def test_the_same_relationship_twice_to_bare_nodes_is_a_problem_and_writes_nothing(
        empty_graph, tmp_path, queries):
    assert run(empty_graph, write(tmp_path / "Company.csv", COMPANIES)).ok
    report = run(empty_graph, write(tmp_path / "OWNS.csv", "from,to,confidence\n"
                                                           "a,b,reported\nc,d,reported\n"
                                                           "a,b,confirmed\n"))
    assert [str(p) for p in report.problems] == [
        "OWNS.csv, row 4: the same OWNS from 'a' to 'b' appears twice."]
    assert counts(empty_graph) == (4, 0)
    fixed = run(empty_graph, write(tmp_path / "OWNS.csv", "from,to,confidence\n"
                                                          "a,b,reported\nc,d,reported\n"))
    assert fixed.ok and counts(empty_graph) == (4, 2)


def test_a_fault_after_the_first_created_batch_leaves_nothing_written(
        empty_graph, tmp_path, monkeypatch):
    """Batches of 2 rows, CREATEd: a fault inside the transaction after the first rolls every
    batch back, and the same import then writes them all once."""
    from tests.test_cli_faults import fail_after_first_batch

    ids = [f"c{i}" for i in range(10)]
    companies = write(tmp_path / "Company.csv", "id,name\n" + "".join(f"{i},{i}\n" for i in ids))
    assert run(empty_graph, companies).ok
    owns = write(tmp_path / "OWNS.csv", "from,to,confidence\n" + "".join(
        f"{a},{b},reported\n" for a, b in itertools.pairwise(ids)))

    class Fault(Exception):
        pass

    def fault():
        raise Fault()

    fail_after_first_batch(monkeypatch, fault)
    with pytest.raises(Fault):
        run(empty_graph, owns)
    assert counts(empty_graph) == (10, 0)
    monkeypatch.undo()
    assert run(empty_graph, owns).relationships_written == 9
    assert counts(empty_graph) == (10, 9)
