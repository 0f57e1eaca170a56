"""The seed graph: valid, sourced, idempotent, and covering the report's three cases."""

import pytest

from graphapp import entities, seeding
from tests.graphs import wipe


def test_loading_the_seed_twice_gives_the_same_counts(graph):
    wipe(graph)
    first = seeding.load_seed(graph)
    counts = entities.stats(graph, include_sensitive=True)
    second = seeding.load_seed(graph)
    assert (second.nodes, second.relationships) == (first.nodes, first.relationships)
    assert entities.stats(graph, include_sensitive=True) == counts
    assert counts["nodes"] == first.nodes
    assert counts["relationships"] == first.relationships


def test_the_seed_is_large_enough_to_explore(seed_graph):
    counts = entities.stats(seed_graph, include_sensitive=True)
    assert counts["nodes"] >= 200
    assert counts["relationships"] >= 400


def test_every_relationship_has_a_source_a_confidence_and_an_as_of(seed_graph):
    rows = seed_graph.driver.execute_query("""
        MATCH (a)-[r]->(b)
        WHERE r.sources IS NULL OR size(r.sources) = 0 OR r.confidence IS NULL OR r.as_of IS NULL
           OR any(s IN r.sources WHERE NOT s STARTS WITH 'http')
        RETURN a.id AS a, type(r) AS t, b.id AS b""").records
    assert [r.data() for r in rows] == []
    assert entities.stats(seed_graph)["relationships_without_source"] == 0


def test_the_seed_holds_no_sensitive_data(seed_graph):
    rows = seed_graph.driver.execute_query(
        "MATCH (n) WHERE n.sensitive RETURN n.id AS id UNION "
        "MATCH ()-[r]->() WHERE r.sensitive OR type(r) = 'HAS_CONTACT' RETURN r.key AS id"
    ).records
    assert rows == []


def test_every_company_is_somewhere_but_one_unnamed_vehicle(seed_graph):
    # The NJJ-Millicom vehicle that agreed to buy Telefónica Chile has no public seat yet.
    rows = seed_graph.driver.execute_query("""
        MATCH (c:Company) WHERE NOT (c)-[:HEADQUARTERED_IN|INCORPORATED_IN|OPERATES_IN]->(:Country)
          AND c.jurisdiction IS NULL
        RETURN c.id AS id ORDER BY id""").records
    assert [r["id"] for r in rows] == ["njj-millicom-chile-vehicle"]


@pytest.mark.parametrize("words, expected_label", [
    ("Rohingya", "Harm"),
    ("Meta Platforms", "Company"),
    ("Derechos Digitales", "Organization"),
    ("Paradigm Initiative", "Organization"),
    ("Digital Rights and Inclusion Forum", "Forum"),
    ("Global Network Initiative", "Forum"),
    ("Oversight Board", "Forum"),
    ("Internet Governance Forum", "Forum"),
    ("Christchurch Call", "Forum"),
    ("Freedom Online Coalition", "Forum"),
    ("B-Tech", "Forum"),
    ("Human Rights Council", "Regulator"),
    ("Asia Internet Coalition", "Forum"),
    ("ALAI", "Forum"),
    ("Data Protection Commission", "Regulator"),
    ("Telefónica", "Company"),
    ("Entel", "Company"),
    ("América Móvil", "Company"),
    ("MTN", "Company"),
    ("Safaricom", "Company"),
])
def test_the_report_cases_and_spaces_are_in_the_seed(seed_graph, words, expected_label):
    found = entities.search(seed_graph, words, limit=10)
    assert any(expected_label in r["labels"] for r in found), (words, found)
