"""Search, entity pages and the JSON API, on a small named graph."""

import pytest

from graphapp import entities
from graphapp.entities import lucene_query
from tests.graphs import build

NODES = [
    {"label": "Company", "id": "meta", "name": "Meta Platforms, Inc.", "aliases": ["Facebook"],
     "jurisdiction": "US", "description": "Runs Facebook, Instagram and WhatsApp."},
    {"label": "Product", "id": "facebook", "name": "Facebook", "category": "social_media"},
    {"label": "Person", "id": "zuck", "name": "Mark Zuckerberg"},
    {"label": "Person", "id": "clegg", "name": "Nick Clegg"},
    {"label": "Country", "id": "country-us", "name": "United States", "iso2": "US"},
    {"label": "Company", "id": "evil", "name": "<script>alert(1)</script> Holdings"},
]
RELS = [
    {"type": "OPERATES", "from": "meta", "to": "facebook", "as_of": "2024"},
    {"type": "HOLDS_ROLE", "from": "zuck", "to": "meta", "title": "CEO", "kind": "executive",
     "start_date": "2004", "as_of": "2024-04",
     "sources": ["https://investor.atmeta.com/leadership/"]},
    {"type": "HOLDS_ROLE", "from": "clegg", "to": "meta", "title": "President, Global Affairs",
     "kind": "executive", "start_date": "2018-10", "end_date": "2025-01", "as_of": "2025-01"},
    {"type": "HEADQUARTERED_IN", "from": "meta", "to": "country-us", "sources": []},
    {"type": "OWNS", "from": "evil", "to": "meta", "economic_pct": 0.1, "voting_pct": 0.1,
     "confidence": "alleged"},
]


@pytest.fixture
def small(empty_graph):
    return build(empty_graph, NODES, RELS)


@pytest.mark.parametrize("text, expected", [
    ("Meta", "(meta OR meta*)"),
    ("meta  plat", "(meta OR meta*) AND (plat OR plat*)"),
    ('a:b "c" (d)', '(a\\:b OR a\\:b*) AND (\\"c\\" OR \\"c\\"*) AND (\\(d\\) OR \\(d\\)*)'),
    ("OR", ""),  # a stop word: the index never holds it (see STOP_WORDS)
    ("Rights and Inclusion", "(rights OR rights*) AND (inclusion OR inclusion*)"),
    ("   ", ""),
])
def test_user_words_become_an_escaped_full_text_query(text, expected):
    assert lucene_query(text) == expected


def test_search_matches_names_aliases_and_descriptions(small, client):
    def ids(q):
        return [r["id"] for r in client.get(f"/api/entities?q={q}").get_json()["results"]]

    assert ids("zuckerberg") == ["zuck"]
    assert set(ids("facebook")) == {"meta", "facebook"}
    assert ids("whatsapp") == ["meta"]
    assert ids("nothing-like-this") == []


def test_search_survives_lucene_and_cypher_syntax(small, client):
    for q in ['"', "a AND (", "*", "' OR 1=1 //", "MATCH (n) DETACH DELETE n"]:
        assert client.get("/api/entities", query_string={"q": q}).status_code == 200
    assert client.get("/api/stats").get_json()["nodes"] == 6


def test_bad_search_parameters_are_named(client):
    body = client.get("/api/entities?q=a&limit=abc").get_json()
    assert body["status"] == 400
    assert body["errors"] == {"query": {"limit": ["Not a valid integer."]}}


def test_entity_api_groups_relationships_with_evidence(small, client):
    body = client.get("/api/entities/meta").get_json()
    assert body["name"] == "Meta Platforms, Inc."
    assert body["labels"] == ["Company"]
    assert body["properties"]["jurisdiction"] == "US"
    groups = {(g["type"], g["direction"]): g["relationships"] for g in body["relationship_groups"]}
    assert list(groups) == [("HEADQUARTERED_IN", "out"), ("HOLDS_ROLE", "in"),
                            ("OPERATES", "out"), ("OWNS", "in")]
    roles = groups[("HOLDS_ROLE", "in")]
    assert [(r["other"]["id"], r["title"], r.get("end_date")) for r in roles] == [
        ("zuck", "CEO", None), ("clegg", "President, Global Affairs", "2025-01")]
    assert roles[0]["sources"] == ["https://investor.atmeta.com/leadership/"]
    assert roles[0]["confidence"] == "confirmed"
    assert roles[0]["as_of"] == "2024-04"


def test_unknown_entity_is_a_404_with_a_message(small, client):
    response = client.get("/api/entities/no-such-thing")
    assert response.status_code == 404
    assert response.get_json()["message"] == "No entity with id 'no-such-thing'."
    page = client.get("/entities/no-such-thing")
    assert page.status_code == 404
    assert b"No entity with id &#39;no-such-thing&#39;." in page.data


def test_entity_page_shows_relationships_sources_and_neighbours(small, client):
    html = client.get("/entities/meta").get_data(as_text=True)
    assert "Meta Platforms, Inc." in html
    assert '<a href="/entities/zuck">Mark Zuckerberg</a>' in html
    assert '<a href="https://investor.atmeta.com/leadership/" rel="noopener noreferrer">' in html
    assert "October 2018 – January 2025" in html  # partial dates at their own precision
    spanish = client.get("/entities/meta", headers={"Accept-Language": "es"}).get_data(
        as_text=True)
    assert "octubre de 2018 – enero de 2025" in spanish
    assert '<span class="warn">no source</span>' in html  # HEADQUARTERED_IN has none
    assert "confidence-alleged" in html


def test_names_are_escaped_on_every_page(small, client):
    for url in ("/entities/evil", "/entities/meta", "/?q=holdings"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_stats_count_labels_types_and_unsourced_relationships(small, client):
    assert client.get("/api/stats").get_json() == {
        "nodes": 6,
        "relationships": 5,
        "relationships_without_source": 1,
        "labels": {"Company": 2, "Country": 1, "Person": 2, "Product": 1},
        "relationship_types": {"HEADQUARTERED_IN": 1, "HOLDS_ROLE": 2, "OPERATES": 1, "OWNS": 1},
    }


def test_home_page_searches(small, client):
    html = client.get("/?q=zuckerberg").get_data(as_text=True)
    assert '<a href="/entities/zuck">Mark Zuckerberg</a>' in html
    assert "without a source" in html


def test_entity_page_shows_only_the_facts_that_are_there(small, client):
    html = client.get("/entities/evil").get_data(as_text=True)
    assert "title:" not in html and "mechanism:" not in html  # no empty relationship fields
    assert "economic share:</span> 0.1%" in html  # words, not internal names
    assert "<th>sensitive</th>" not in html and "<th>aliases</th>" not in html


# --- the graph at a glance on a large graph: the count store, less what viewers may not see ------

WITH_A_DEFENDER = [*NODES, {"label": "Person", "id": "defender", "name": "A defender",
                            "sensitive": True, "extra_labels": []},
                   {"label": "Company", "id": "fund", "name": "Fund", "extra_labels": ["Investor"],
                    "investor_type": "asset_manager"}]
RELS_WITH_A_DEFENDER = [*RELS,
                        {"type": "HOLDS_ROLE", "from": "defender", "to": "meta", "title": "Staff"},
                        {"type": "OWNS", "from": "fund", "to": "meta", "economic_pct": 5}]


@pytest.mark.parametrize("include_sensitive", [False, True])
def test_counts_from_the_count_store_are_the_exact_counts(empty_graph, include_sensitive):
    from graphapp import entities

    build(empty_graph, WITH_A_DEFENDER, RELS_WITH_A_DEFENDER)
    exact = entities.stats(empty_graph, include_sensitive=include_sensitive, exact=True)
    fast = entities.stats(empty_graph, include_sensitive=include_sensitive, exact=False)
    assert fast == {**exact, "relationships_without_source": None}
    assert fast["labels"]["Person"] == (3 if include_sensitive else 2)
    assert fast["labels"]["Investor"] == 1
    assert fast["relationship_types"]["HOLDS_ROLE"] == (3 if include_sensitive else 2)


def test_the_count_store_query_knows_every_label_and_type():
    from graphapp.store import model
    from graphapp.store.cypher import Queries

    text = Queries()["entities.graph_counts"].text
    for label in (*model.LABELS, *model.EXTRA_LABELS):
        assert f"{label}: COUNT {{ (:{label}) }}" in text
    for rel_type in model.REL_TYPES:
        assert f"{rel_type}: COUNT {{ ()-[:{rel_type}]->() }}" in text


def test_a_large_graphs_home_page_says_where_unsourced_relationships_are_counted(
        small, client, monkeypatch):
    from graphapp import entities

    monkeypatch.setattr(entities, "EXACT_STATS_LIMIT", 2)
    html = client.get("/").get_data(as_text=True)
    assert "6 entities, 5 relationships." in html
    assert 'Relationships without a source are counted on request' in html
    assert client.get("/api/stats").get_json()["relationships_without_source"] == 1


def test_entity_matching_asks_for_whole_words_only():
    assert lucene_query("meta platforms", prefix=False) == "meta AND platforms"
    assert lucene_query("at and t", prefix=False) == "t"


def test_the_stop_words_left_out_are_the_ones_the_index_drops(graph):
    """A query word the analyzer drops matches nothing and empties an AND query; the list in
    entities must be the one the server's analyzer uses."""
    from graphapp.entities import STOP_WORDS

    records = graph.driver.execute_query(
        "CALL db.index.fulltext.listAvailableAnalyzers() YIELD analyzer, stopwords "
        "WHERE analyzer = 'standard-folding' RETURN stopwords").records
    assert set(records[0]["stopwords"]) == STOP_WORDS


def test_a_name_with_a_stop_word_is_found(empty_graph):
    build(empty_graph, [{"label": "Forum", "id": "drif", "kind": "convening",
                         "name": "Digital Rights and Inclusion Forum"}], [])
    found = entities.search(empty_graph, "Digital Rights and Inclusion Forum")
    assert [r["id"] for r in found] == ["drif"]
