"""The shared write path: validate everything first, write all or nothing, never twice."""

import pytest

from graphapp.store import records
from tests.graphs import build

COMPANIES = [
    {"label": "Company", "id": "parent", "name": "Parent SA", "jurisdiction": "ES"},
    {"label": "Company", "id": "child", "name": "Child SpA", "jurisdiction": "CL"},
]
STAKE = {"type": "OWNS", "from": "parent", "to": "child", "economic_pct": 99.1,
         "voting_pct": 99.1, "confidence": "confirmed", "as_of": "2023",
         "sources": ["https://example.org/annual-report"]}


def pairs(kind, items):
    return [(f"{kind}[{i}]", item) for i, item in enumerate(items)]


def counts(graph):
    rows = graph.driver.execute_query(
        "MATCH (n:Entity) OPTIONAL MATCH (n)-[r]->() RETURN count(DISTINCT n) AS n, count(r) AS r"
    ).records[0]
    return rows["n"], rows["r"]


def test_writing_the_same_records_twice_adds_nothing(empty_graph):
    for _ in range(2):
        validated = records.validate(pairs("nodes", COMPANIES), pairs("rels", [STAKE]))
        records.write(empty_graph, validated)
    assert counts(empty_graph) == (2, 1)


def test_a_changed_fact_updates_the_relationship_in_place(empty_graph):
    build(empty_graph, COMPANIES, [STAKE])
    records.write(empty_graph, records.validate([], pairs("rels", [{**STAKE, "economic_pct": 80}]),
                                                graph=empty_graph))
    assert counts(empty_graph) == (2, 1)
    pct = empty_graph.driver.execute_query("MATCH ()-[r:OWNS]->() RETURN r.economic_pct AS p")
    assert pct.records[0]["p"] == 80


def test_two_roles_of_one_person_are_two_relationships(empty_graph):
    build(empty_graph, [
        {"label": "Person", "id": "p", "name": "P"}, {"label": "Company", "id": "c", "name": "C"},
    ], [
        {"type": "HOLDS_ROLE", "from": "p", "to": "c", "title": "CFO", "start_date": "2019"},
        {"type": "HOLDS_ROLE", "from": "p", "to": "c", "title": "CEO", "start_date": "2022"},
    ])
    assert counts(empty_graph) == (2, 2)


def test_one_bad_record_writes_nothing_and_every_problem_is_listed(empty_graph):
    bad_nodes = [*COMPANIES, {"label": "Harm", "id": "h", "name": "H", "harm_type": "nope"}]
    bad_rels = [
        STAKE,
        {**STAKE, "to": "ghost"},
        {"type": "OCCURRED_IN", "from": "parent", "to": "child", "confidence": "reported"},
    ]
    with pytest.raises(records.RecordErrors) as info:
        records.validate(pairs("nodes", bad_nodes), pairs("rels", bad_rels), graph=empty_graph)
    assert info.value.lines == [
        "nodes[2]: harm_type: Must be one of: hate_speech, incitement, misinformation, "
        "surveillance, data_sharing_with_authorities, privacy_breach, discriminatory_algorithm, "
        "censorship, shutdown, labour_rights, environmental.",
        "rels[1]: to: no node with id 'ghost'.",
        "rels[2]: type: OCCURRED_IN goes from Harm to Country, not from Company to Company.",
    ]
    assert counts(empty_graph) == (0, 0)


def test_duplicates_inside_one_batch_are_refused(empty_graph):
    with pytest.raises(records.RecordErrors) as info:
        records.validate(pairs("nodes", [*COMPANIES, COMPANIES[0]]), pairs("rels", [STAKE, STAKE]))
    assert info.value.lines == [
        "nodes[2]: id: 'parent' appears twice.",
        "rels[1]: the same OWNS from 'parent' to 'child' appears twice.",
    ]


def test_relationship_ends_may_already_be_in_the_graph(empty_graph):
    build(empty_graph, COMPANIES)
    records.write(empty_graph, records.validate([], pairs("rels", [STAKE]), graph=empty_graph))
    assert counts(empty_graph) == (2, 1)


def test_a_failed_write_leaves_nothing_behind(empty_graph):
    validated = records.validate(pairs("nodes", COMPANIES), pairs("rels", [STAKE]))
    # A property Neo4j cannot store makes the second batch fail after the first was sent.
    validated.relationships[0]["note"] = {"not": "storable"}
    with pytest.raises(Exception):  # noqa: B017 - any driver error
        records.write(empty_graph, validated, batch_size=1)
    assert counts(empty_graph) == (0, 0)
