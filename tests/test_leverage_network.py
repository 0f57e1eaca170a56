"""Who holds the most across the whole network (graphapp.leverage.network_holders) against a
real Neo4j: network values of a small named graph with a cross-holding, exact."""

import pytest

from graphapp import leverage
from graphapp.errors import BadRequest
from tests.graphs import build, company, investor, owns

FAMILY = {"label": "Person", "id": "family", "name": "Founding Family"}


def cross_holding(graph, family=FAMILY):
    """B holds 50% of A and A 40% of B (the docs' cycle); the family holds the other 50% of A,
    Big Fund 60% of B. A holds all of Sub; Solo is 30% Big Fund (alleged), 10% the family and
    held by X in an amount nobody states."""
    return build(graph, [family, investor("fund", "Big Fund"), company("a", "A"),
                         company("b", "B"), company("sub", "Sub"), company("solo", "Solo"),
                         {"label": "Person", "id": "x", "name": "X"}],
                 [owns("b", "a", 50), owns("a", "b", 40), owns("family", "a", 50),
                  owns("fund", "b", 60), owns("a", "sub", 100),
                  owns("fund", "solo", 30, confidence="alleged"), owns("family", "solo", 10),
                  owns("x", "solo")])


def by_id(result):
    return {h["holder"]["id"]: h for h in result["holders"]}


def test_network_values_sum_every_chain_cycle_included(empty_graph):
    # Ĩ = (I - A)^-1 A, each company worth 1. The family: 62.5% of A, 25% of B (through A),
    # 62.5% of Sub, 10% of Solo = 1.6. Big Fund: 37.5% of A, 75% of B, 37.5% of Sub, 30% of
    # Solo = 1.8. A, on the cycle, also counts the 25% of itself that comes back through B:
    # 25% + 50% of B + 125% of Sub = 2.0 (flagged in_cycle). B: 62.5% + 25% + 62.5% = 1.5.
    result = leverage.network_holders(cross_holding(empty_graph), include_sensitive=True)
    ranked = [(h["rank"], h["holder"]["id"], h["economic_value"], h["voting_value"])
              for h in result["holders"]]
    assert ranked == [(1, "a", 2.0, 2.0), (2, "fund", 1.8, 1.8), (3, "family", 1.6, 1.6),
                      (4, "b", 1.5, 1.5), (5, "x", None, None)]
    rows = by_id(result)
    assert [(r["direct_holdings"], r["companies_reached"], r["controls"], r["ultimate"],
             r["in_cycle"]) for r in (rows["a"], rows["fund"], rows["family"], rows["b"])] == [
        (2, 2, 1, False, True),   # A controls Sub (100%)
        (2, 4, 1, True, False),   # Big Fund controls B (60%), not A (B's 50% is no majority)
        (2, 4, 0, True, False),
        (1, 2, 0, False, True)]
    assert rows["fund"]["holder"] == {"id": "fund", "name": "Big Fund",
                                      "labels": ["Company", "Investor"]}


def test_evidence_caveats_of_each_holder(empty_graph):
    result = leverage.network_holders(cross_holding(empty_graph), include_sensitive=True)
    rows = by_id(result)
    # X's stake states no percentage: 0 to what the others leave (100 - 30 - 10 = 60%)
    x = rows["x"]
    assert (x["economic_min_value"], x["economic_max_value"]) == (0.0, 0.6)
    assert x["stakes_without_pct"] == 1 and rows["family"]["stakes_without_pct"] == 0
    assert (result["stakes"], result["stakes_without_pct"], result["stakes_as_ranges"]) == (
        8, 1, 0)
    assert (result["nodes"], result["holder_count"]) == (7, 5)
    # the weakest confidence on a holder's chains; votes follow shares (none stated)
    assert rows["fund"]["confidence"] == "alleged" and rows["family"]["confidence"] == "confirmed"
    assert all(r["voting_assumed"] for r in result["holders"])
    assert result["voting_assumed_stakes"] == 8


def test_top_cuts_the_ranking(empty_graph):
    result = leverage.network_holders(cross_holding(empty_graph), top=2, include_sensitive=True)
    assert [h["holder"]["id"] for h in result["holders"]] == ["a", "fund"]
    assert result["holder_count"] == 5


def test_sensitive_holders_count_but_are_withheld(empty_graph):
    cross_holding(empty_graph, {**FAMILY, "sensitive": True})
    result = leverage.network_holders(empty_graph)
    third = result["holders"][2]
    assert third["holder"] == {"id": None, "name": leverage.WITHHELD, "labels": [],
                               "withheld": True}
    assert third["economic_value"] == 1.6 and result["withheld"] == 1
    assert "Founding Family" not in str(result) and "family" not in str(result)
    shown = leverage.network_holders(empty_graph, include_sensitive=True)
    assert shown["holders"][2]["holder"]["name"] == "Founding Family"


def test_current_stakes_by_default_and_as_of_looks_back(empty_graph):
    build(empty_graph, [investor("old"), investor("new"), company("target"), company("sub")],
          [owns("old", "target", 80, start_date="2010", end_date="2019-06"),
           owns("new", "target", 25, start_date="2019-06"),
           owns("target", "sub", 100, start_date="2000")])
    now = leverage.network_holders(empty_graph)
    assert {h["holder"]["id"]: h["economic_value"] for h in now["holders"]} == {
        "target": 1.0, "new": 0.5}
    then = leverage.network_holders(empty_graph, as_of="2015-01-01")
    assert {h["holder"]["id"]: h["economic_value"] for h in then["holders"]} == {
        "old": 1.6, "target": 1.0}
    assert then["as_of"] == "2015-01-01" and then["stakes"] == 2


def test_a_cycle_that_leaves_nothing_outside_has_no_value(empty_graph):
    build(empty_graph, [company("a"), company("b")], [owns("a", "b", 100), owns("b", "a", 100)])
    result = leverage.network_holders(empty_graph)
    assert result["holders"] == [] and "closed cross-holding cycle" in result["warnings"][0]
    assert [[n["id"] for n in c] for c in result["closed_cycles"]] == [["a", "b"]]


def test_an_empty_graph_and_bad_parameters(empty_graph):
    result = leverage.network_holders(empty_graph)
    assert (result["holders"], result["stakes"], result["nodes"]) == ([], 0, 0)
    with pytest.raises(BadRequest) as exc:
        leverage.network_holders(empty_graph, as_of="2019-13", top=0)
    assert set(exc.value.errors["query"]) == {"as_of", "top"}


def test_api_network_withholds_sensitive_holders_from_viewers(empty_graph, app, client):
    cross_holding(empty_graph, {**FAMILY, "sensitive": True})
    body = client.get("/api/leverage/network?top=3").get_json()  # an admin
    assert [(h["holder"]["id"], h["economic_value"]) for h in body["holders"]] == [
        ("a", 2.0), ("fund", 1.8), ("family", 1.6)]
    viewer = app.test_client(role="viewer").get("/api/leverage/network?top=3").get_json()
    assert [h["holder"]["id"] for h in viewer["holders"]] == ["a", "fund", None]
    assert viewer["withheld"] == 1 and "Founding Family" not in str(viewer)


@pytest.mark.parametrize("query,field", [("top=0", "top"), ("top=many", "top"),
                                         ("top=1001", "top"), ("as_of=2019-02-30", "as_of")])
def test_api_network_bad_parameter_is_400_naming_it(empty_graph, client, query, field):
    response = client.get(f"/api/leverage/network?{query}")
    assert response.status_code == 400
    assert field in response.get_json()["message"]


def test_cli_leverage_network(graphapp_cli, empty_graph):
    cross_holding(empty_graph)
    out = graphapp_cli(["leverage", "network", "--top", "2"])
    assert out.exit_code == 0, out.output
    assert "Big Fund" in out.output and "1.8" in out.output and "Founding" not in out.output
    out = graphapp_cli(["leverage", "network", "--json", "--sensitive"])
    assert out.exit_code == 0 and '"name": "Founding Family"' in out.output
    bad = graphapp_cli(["leverage", "network", "--as-of", "2019-13"])
    assert bad.exit_code == 1 and "as_of" in bad.output
    # a company's own table is still `graphapp leverage COMPANY_ID`
    out = graphapp_cli(["leverage", "b"])
    assert out.exit_code == 0 and "Who holds B" in out.output
