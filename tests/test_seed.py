"""The seed graph: valid, sourced, idempotent, and covering the report's three cases."""

import hashlib
import itertools
import re

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


def test_the_seed_names_office_holders_only():
    # Victims, petitioners, activists and staff below leadership are removed from the public
    # seed (not merely marked sensitive: a public file is read by anyone).
    nodes, rels = seeding.read_seed()
    nodes, rels = [n for _, n in nodes], [r for _, r in rels]
    assert seeding.private_people(nodes, rels) == []
    assert [n["id"] for n in nodes if n["label"] == "Person" and n.get("sensitive")] == []
    assert [r for r in rels if r["type"] == "HAS_CONTACT" or r.get("sensitive")] == []


# The people removed from the seed, as hashes of their lower-cased names (two words), so that
# this file does not name them either: they must not come back in any text of the seed.
REMOVED_PRIVATE_PEOPLE = {"cffb94b74ff9e961", "2401659a30e5611a", "f63f0b96f5191cba",
                          "7a7b76434dc18892", "5fb7a31336dad942"}


def test_removed_private_people_are_named_nowhere_in_the_seed():
    found = set()
    for path in seeding.SEED_DIR.glob("*.yaml"):
        words = re.findall(r"[a-z]+", path.read_text(encoding="utf-8").lower())
        for pair in itertools.pairwise(words):
            digest = hashlib.sha256(" ".join(pair).encode()).hexdigest()[:16]
            if digest in REMOVED_PRIVATE_PEOPLE:
                found.add((path.name, digest))
    assert found == set()


def test_private_people_are_those_without_an_office():
    nodes = [{"label": "Person", "id": i} for i in ("ceo", "owner", "petitioner", "staffer")]
    nodes += [{"label": "Person", "id": "contact", "sensitive": True},
              {"label": "Company", "id": "acme"}]
    rels = [{"type": "HOLDS_ROLE", "from": "ceo", "to": "acme", "kind": "executive"},
            {"type": "OWNS", "from": "owner", "to": "acme"},
            {"type": "HOLDS_ROLE", "from": "staffer", "to": "acme", "kind": "staff"}]
    assert seeding.private_people(nodes, rels) == ["petitioner", "staffer"]


def test_groups_whose_exposure_endangers_people_are_sensitive(seed_graph):
    # Refugee-led groups in the Cox's Bazar camps and Myanmar-based collectives (since the 2021
    # coup): an advocate's graph needs them, a viewer must not see them.
    rows = seed_graph.driver.execute_query(
        "MATCH (n:Organization) WHERE n.kind CONTAINS 'refugee' OR n.id IN $myanmar "
        "RETURN n.id AS id, n.sensitive AS sensitive",
        myanmar=["phandeeyar", "mido", "burma-monitor", "center-for-social-integrity",
                 "equality-myanmar", "myanmar-human-rights-educator-network"]).records
    assert len(rows) == 10
    assert all(r["sensitive"] for r in rows)
    others = seed_graph.driver.execute_query(
        "MATCH (n) WHERE n.sensitive AND NOT n:Organization RETURN n.id AS id").records
    assert others == []


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


def test_the_seed_meets_the_evidence_targets():
    # docs/evidence.md; issue 16's targets. The tertiary-only bound is a ratchet: lower it as
    # claims get better sources (the target is 5%).
    from graphapp.evidence import quality

    result = quality.from_seed()
    counts = {c["key"]: c for c in result["checks"]}
    assert counts["home_page_only"]["count"] == 0
    assert counts["confirmed_without_primary"]["count"] == 0
    assert counts["derived_without_method"]["count"] == 0
    assert counts["private_people"]["count"] == 0
    assert counts["tertiary_only"]["share_pct"] <= 1.1
