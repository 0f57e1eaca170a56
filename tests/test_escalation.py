"""Escalation paths: from a harm up to those who decide and those who fund them.

Small named graphs, one behaviour each, exact targets in exact order (docs/escalation.md).
"""

from __future__ import annotations

import pytest

from graphapp import escalation
from graphapp.errors import BadRequest, NotFound
from graphapp.exports import diagram
from tests import graphs
from tests.graphs import build, company, person, rel

# --- a tiny vocabulary for graphs ----------------------------------------------------------------


def harm(id_="harm", name="Hate speech wave"):
    return {"label": "Harm", "id": id_, "name": name, "harm_type": "hate_speech"}


def product(id_="app", name="App"):
    return {"label": "Product", "id": id_, "name": name}


def fund(id_, name=None):
    return {"label": "Company", "id": id_, "name": name or id_.title(),
            "extra_labels": ["Investor"], "investor_type": "asset_manager"}


def team(id_, function, name=None, scope="global"):
    return {"label": "Team", "id": id_, "name": name or id_.title(), "function": function,
            "scope": scope}


def country(iso2, name):
    return {"label": "Country", "id": iso2.lower(), "name": name, "iso2": iso2}


def owns(owner, owned, pct=100.0, **props):
    """A stake of ``pct`` % of the shares and of the votes (all of both by default)."""
    return graphs.owns(owner, owned, pct, pct, **props)


def ladder(result):
    """(rung, id) of every target, in overall order (``rank`` is the place within the rung)."""
    targets = [t for r in result["rungs"] for t in r["targets"]]
    return [(t["rung"], t["id"]) for t in sorted(targets, key=lambda t: t["overall"])]


def rung(result, key):
    return next(r for r in result["rungs"] if r["rung"] == key)


def ids(result, key):
    return [t["id"] for t in rung(result, key)["targets"]]


def target(result, key, id_):
    return next(t for t in rung(result, key)["targets"] if t["id"] == id_)


# --- the three-level subsidiary chain ---------------------------------------------------------

CHAIN_NODES = [
    harm(), product(), country("MM", "Myanmar"), country("US", "United States"),
    company("local", "Local Ltd"), company("regional", "Regional BV"),
    company("parent", "Parent Inc"), fund("fund", "Big Fund"),
    person("ceo", "Chief Executive"), person("rep", "Country Rep"),
    team("tns", "trust_and_safety", "Trust and Safety"),
    {"label": "Regulator", "id": "ftc", "name": "FTC", "kind": "consumer"},
]
CHAIN_RELS = [
    rel("INVOLVES", "harm", "app"), rel("OCCURRED_IN", "harm", "mm"),
    rel("OPERATES", "local", "app"),
    owns("regional", "local"), owns("parent", "regional"),
    owns("fund", "parent", 8.0),
    rel("HEADQUARTERED_IN", "parent", "us"),
    rel("HOLDS_ROLE", "ceo", "parent", kind="executive", title="CEO"),
    rel("HOLDS_ROLE", "rep", "local", kind="representative", title="Country manager"),
    rel("PART_OF", "tns", "parent"), rel("RESPONSIBLE_FOR", "tns", "app"),
    rel("HAS_JURISDICTION_OVER", "ftc", "us"),
]


def test_three_level_chain_reaches_the_ultimate_parent_and_ranks_every_rung(empty_graph):
    build(empty_graph, CHAIN_NODES, CHAIN_RELS)
    result = escalation.escalate(empty_graph, "harm")
    assert result["no_path"] is False
    assert [p["id"] for p in result["ultimate_parents"]] == ["parent"]
    # The FTC comes last: a consumer authority at headquarters has no mandate over hate speech
    # in Myanmar (relevance 0.7 x 0.1).
    assert ladder(result) == [
        ("headquarters", "parent"),
        ("leadership", "ceo"),
        ("team", "tns"),
        ("subsidiary", "local"),
        ("subsidiary", "regional"),
        ("investor", "fund"),
        ("local", "rep"),
        ("regulator", "ftc"),
    ]
    assert [t["rank"] for t in rung(result, "subsidiary")["targets"]] == [1, 2]


def test_each_target_carries_its_path_with_evidence_on_every_hop(empty_graph):
    build(empty_graph, CHAIN_NODES, CHAIN_RELS)
    hq = target(escalation.escalate(empty_graph, "harm"), "headquarters", "parent")
    assert [(h["from"]["id"], h["type"], h["direction"], h["to"]["id"]) for h in hq["path"]] == [
        ("harm", "INVOLVES", "out", "app"),
        ("app", "OPERATES", "in", "local"),
        ("local", "OWNS", "in", "regional"),
        ("regional", "OWNS", "in", "parent"),
    ]
    assert all(h["confidence"] == "confirmed" and h["sources"] == ["https://example.org/evidence"]
               for h in hq["path"])
    assert hq["components"] == {"authority": 1.0, "leverage": 1.0, "distance": 0.571,
                                "evidence": 1.0, "access": None,
                                "responsiveness": None, "relevance": None}
    assert hq["score"] == 0.952
    assert hq["why"] == ("Parent Inc is the ultimate parent of Regional BV: decisions on App "
                         "are taken at its headquarters in United States.")


def test_investor_carries_voting_and_economic_stakes(empty_graph):
    build(empty_graph, CHAIN_NODES, [
        *CHAIN_RELS[:5], rel("OWNS", "fund", "parent", economic_pct=8.0, voting_pct=2.0)])
    fund_target = target(escalation.escalate(empty_graph, "harm"), "investor", "fund")
    assert fund_target["details"]["voting_pct"] == 2.0
    assert fund_target["details"]["economic_pct"] == 8.0
    assert fund_target["components"]["leverage"] == 0.2  # sqrt(2 / 50)
    assert fund_target["why"] == ("Big Fund holds 2% of the votes and 8% of the economic "
                                  "interest of Parent Inc, which has to answer to its "
                                  "shareholders.")


# --- cycles ------------------------------------------------------------------------------------


def test_an_ownership_cycle_terminates_and_names_the_farthest_company(empty_graph):
    build(empty_graph, [harm(), product(), company("a", "A"), company("b", "B"),
                        company("c", "C")], [
        rel("INVOLVES", "harm", "app"), rel("OPERATES", "a", "app"),
        owns("b", "a"), owns("c", "b"), owns("a", "c", 60.0),  # a -> c -> b -> a
    ])
    result = escalation.escalate(empty_graph, "harm")
    assert result["ultimate_parents"] == [{
        "id": "c", "name": "C",
        "note": "its ownership loops back (a cross-holding cycle), so no company above it "
                "was found"}]
    assert ladder(result) == [("headquarters", "c"), ("subsidiary", "a"), ("subsidiary", "b")]


def test_a_minority_cross_holding_is_no_parent_and_no_investor(empty_graph):
    build(empty_graph, [harm(), product(), company("sub", "Sub"), company("top", "Top")], [
        rel("INVOLVES", "harm", "app"), rel("OPERATES", "sub", "app"),
        owns("top", "sub"), owns("sub", "top", 3.0),
    ])
    result = escalation.escalate(empty_graph, "harm")
    assert [p["id"] for p in result["ultimate_parents"]] == ["top"]
    assert ladder(result) == [("headquarters", "top"), ("subsidiary", "sub")]


# --- time: turnover and as_of ----------------------------------------------------------------

TURNOVER_NODES = [harm(), product(), company("corp", "Corp"), person("old", "Old Boss"),
                  person("new", "New Boss"), team("policy", "policy", "Policy"),
                  person("ana", "Ana"), person("bo", "Bo")]
TURNOVER_RELS = [
    rel("INVOLVES", "harm", "app"), rel("OPERATES", "corp", "app"),
    rel("HOLDS_ROLE", "old", "corp", kind="executive", title="CEO",
        start_date="2012", end_date="2021-06"),
    rel("HOLDS_ROLE", "new", "corp", kind="executive", title="CEO", start_date="2021-06"),
    rel("RESPONSIBLE_FOR", "policy", "app"),
    rel("HOLDS_ROLE", "ana", "policy", kind="manager", title="Head of policy",
        start_date="2016-01", end_date="2020-03-31"),
    rel("HOLDS_ROLE", "bo", "policy", kind="manager", title="Head of policy",
        start_date="2020-04-01"),
]


def test_a_role_that_ended_is_no_target_now(empty_graph):
    build(empty_graph, TURNOVER_NODES, TURNOVER_RELS)
    result = escalation.escalate(empty_graph, "harm", kinds="leadership,person")
    assert ladder(result) == [("leadership", "new"), ("person", "bo")]


def test_as_of_a_date_inside_the_role_answers_for_the_past(empty_graph):
    build(empty_graph, TURNOVER_NODES, TURNOVER_RELS)
    result = escalation.escalate(empty_graph, "harm", kinds="leadership,person",
                                 as_of="2019-05")
    assert ladder(result) == [("leadership", "old"), ("person", "ana")]
    assert result["filters"]["current"] is False
    old = target(result, "leadership", "old")
    assert (old["path"][-1]["start_date"], old["path"][-1]["end_date"]) == ("2012", "2021-06")


def test_as_of_before_anyone_started_finds_no_leader(empty_graph):
    build(empty_graph, TURNOVER_NODES, TURNOVER_RELS)
    result = escalation.escalate(empty_graph, "harm", kinds="leadership", as_of="2011")
    assert ladder(result) == []
    assert result["message"] == "No target of the chosen kinds within these filters."


# --- evidence ----------------------------------------------------------------------------------

EVIDENCE_NODES = [harm(), product(), company("op", "Operator"), company("shadow", "Shadow Holding"),
                  fund("fund", "Quiet Fund")]
EVIDENCE_RELS = [
    rel("INVOLVES", "harm", "app"), rel("OPERATES", "op", "app"),
    owns("shadow", "op", confidence="alleged"),
    owns("fund", "op", 10.0, confidence="reported"),
]


def test_alleged_links_count_by_default(empty_graph):
    build(empty_graph, EVIDENCE_NODES, EVIDENCE_RELS)
    result = escalation.escalate(empty_graph, "harm")
    assert ladder(result) == [("headquarters", "shadow"), ("subsidiary", "op"),
                              ("investor", "fund")]
    assert target(result, "headquarters", "shadow")["components"]["evidence"] == 0.333


def test_min_confidence_drops_alleged_evidence_on_any_hop(empty_graph):
    build(empty_graph, EVIDENCE_NODES, EVIDENCE_RELS)
    result = escalation.escalate(empty_graph, "harm", min_confidence="reported")
    assert ladder(result) == [("headquarters", "op"), ("investor", "fund")]
    confirmed = escalation.escalate(empty_graph, "harm", min_confidence="confirmed")
    assert ladder(confirmed) == [("headquarters", "op")]


def test_a_harm_known_only_by_allegation_has_no_path_when_confirmed_is_required(empty_graph):
    build(empty_graph, [harm(), product(), company("op", "Operator")], [
        rel("INVOLVES", "harm", "app", confidence="alleged"), rel("OPERATES", "op", "app")])
    result = escalation.escalate(empty_graph, "harm", min_confidence="confirmed")
    assert result["no_path"] is True


# --- no path -----------------------------------------------------------------------------------


def test_a_harm_linked_to_no_product_is_a_no_path_answer(empty_graph):
    build(empty_graph, [harm("orphan", "Unattributed campaign"), country("MM", "Myanmar")],
          [rel("OCCURRED_IN", "orphan", "mm")])
    result = escalation.escalate(empty_graph, "orphan")
    assert result["no_path"] is True
    assert result["message"] == (
        "No path: Unattributed campaign is linked to no product or company under these "
        "filters, so there is no one to escalate to yet.")
    assert ladder(result) == []


# --- local offices ----------------------------------------------------------------------------


def test_local_offices_count_in_the_harms_country_or_region_and_at_a_regional_hub(empty_graph):
    def place(iso2, name, region):
        return {**country(iso2, name), "region": region}

    build(empty_graph, [
        harm(), product(), place("MM", "Myanmar", "South-eastern Asia"),
        place("SG", "Singapore", "South-eastern Asia"), place("NG", "Nigeria", "Western Africa"),
        company("parent", "Parent Inc"), company("hub", "Parent Singapore Pte"),
        {**team("lagos", "local_office", "Lagos office", "country"), "country": "NG"},
        {**team("yangon", "local_office", "Yangon office", "country"), "country": "MM"},
        {**team("apac", "local_office", "APAC hub", "regional"), "country": "SG"},
        {**team("apac-policy", "policy", "APAC policy", "regional"), "country": "SG"},
        {**team("africa-policy", "policy", "Africa policy", "regional"), "country": "NG"},
    ], [
        rel("INVOLVES", "harm", "app"), rel("OCCURRED_IN", "harm", "mm"),
        rel("OPERATES", "parent", "app"), owns("parent", "hub"),
        rel("PART_OF", "lagos", "parent"), rel("PART_OF", "yangon", "parent"),
        rel("PART_OF", "apac", "hub"), rel("PART_OF", "apac-policy", "hub"),
        rel("RESPONSIBLE_FOR", "apac-policy", "app"), rel("PART_OF", "africa-policy", "parent"),
        rel("RESPONSIBLE_FOR", "africa-policy", "app"),
    ])
    result = escalation.escalate(empty_graph, "harm", kinds="local,team")
    assert ladder(result) == [("team", "apac-policy"), ("local", "yangon"), ("local", "apac")]
    hub = target(result, "local", "apac")
    assert [h["to"]["id"] for h in hub["path"]] == ["app", "apac-policy", "hub", "apac"]


# --- filters and ordering ----------------------------------------------------------------------


def test_kinds_keep_only_the_rungs_asked_for(empty_graph):
    build(empty_graph, CHAIN_NODES, CHAIN_RELS)
    result = escalation.escalate(empty_graph, "harm", kinds=["regulator", "investor"])
    assert [r["rung"] for r in result["rungs"]] == ["investor", "regulator"]
    assert ladder(result) == [("investor", "fund"), ("regulator", "ftc")]


def test_max_hops_drops_longer_paths_and_stops_the_climb(empty_graph):
    build(empty_graph, CHAIN_NODES, CHAIN_RELS)
    result = escalation.escalate(empty_graph, "harm", max_hops=3)
    assert ladder(result) == [("headquarters", "regional"), ("team", "tns"),
                              ("subsidiary", "local"), ("local", "rep")]
    assert result["ultimate_parents"][0]["note"] == (
        "ownership continues above it, beyond the max_hops limit")


def test_ties_are_ordered_by_name_then_id(empty_graph):
    build(empty_graph, [harm(), product(), company("corp", "Corp"),
                        team("t2", "policy", "Beta"), team("t1", "policy", "Alpha"),
                        team("t3", "policy", "Alpha")], [
        rel("INVOLVES", "harm", "app"), rel("OPERATES", "corp", "app"),
        rel("RESPONSIBLE_FOR", "t2", "app"), rel("RESPONSIBLE_FOR", "t3", "app"),
        rel("RESPONSIBLE_FOR", "t1", "app"),
    ])
    result = escalation.escalate(empty_graph, "harm", kinds="team")
    assert ids(result, "team") == ["t1", "t3", "t2"]


def test_limit_keeps_the_best_targets_overall(empty_graph):
    build(empty_graph, CHAIN_NODES, CHAIN_RELS)
    result = escalation.escalate(empty_graph, "harm", limit=2)
    assert ladder(result) == [("headquarters", "parent"), ("leadership", "ceo")]
    assert (result["count"], result["total"]) == (2, 8)


def test_the_advocates_organisation_in_a_forum_gives_access(empty_graph):
    build(empty_graph, [
        harm(), product(), company("corp", "Corp"),
        {"label": "Forum", "id": "gni", "name": "GNI", "kind": "multi_stakeholder_initiative"},
        {"label": "Forum", "id": "assoc", "name": "Tech Association",
         "kind": "industry_association"},
        {"label": "Organization", "id": "us", "name": "Our NGO"},
    ], [
        rel("INVOLVES", "harm", "app"), rel("OPERATES", "corp", "app"),
        rel("MEMBER_OF", "corp", "gni"), rel("MEMBER_OF", "corp", "assoc"),
        rel("MEMBER_OF", "us", "gni"),
    ])
    result = escalation.escalate(empty_graph, "harm", kinds="forum,headquarters", org="us")
    assert ladder(result) == [("headquarters", "corp"), ("forum", "gni"), ("forum", "assoc")]
    gni, assoc = rung(result, "forum")["targets"]
    assert (gni["components"]["access"], assoc["components"]["access"]) == (1.0, 0.0)
    assert gni["why"].endswith("Our NGO sits there too.")
    assert assoc["why"].endswith("Our NGO does not sit there.")
    assert target(result, "headquarters", "corp")["components"]["access"] == 0.5


# --- errors ------------------------------------------------------------------------------------


def test_unknown_start_and_bad_filters_raise_errors_naming_them(empty_graph):
    build(empty_graph, [harm()])
    with pytest.raises(NotFound, match="No entity with id 'nope'"):
        escalation.escalate(empty_graph, "nope")
    with pytest.raises(BadRequest) as exc:
        escalation.escalate(empty_graph, "harm", as_of="2020-02-30", min_confidence="sure",
                            kinds="boss", max_hops=0, limit=1000)
    assert sorted(exc.value.errors["query"]) == ["as_of", "kinds", "limit", "max_hops",
                                                  "min_confidence"]
    with pytest.raises(BadRequest, match="org"):
        escalation.escalate(empty_graph, "harm", org="no-such-org")


def test_api_answers_json_404_and_400(empty_graph, client):
    build(empty_graph, CHAIN_NODES, CHAIN_RELS)
    ok = client.get("/api/harms/harm/escalation?kinds=headquarters,leadership&max_hops=6")
    assert ok.status_code == 200
    assert ladder(ok.get_json()) == [("headquarters", "parent"), ("leadership", "ceo")]

    missing = client.get("/api/harms/nope/escalation")
    assert missing.status_code == 404
    assert missing.get_json()["message"] == "No entity with id 'nope'."

    bad = client.get("/api/harms/harm/escalation?as_of=May&min_confidence=sure&kinds=boss"
                     "&max_hops=99&limit=x")
    assert bad.status_code == 400
    body = bad.get_json()
    assert sorted(body["errors"]["query"]) == ["as_of", "kinds", "limit", "max_hops",
                                               "min_confidence"]
    assert body["message"] == ("Invalid parameter(s): as_of, kinds, limit, max_hops, "
                               "min_confidence.")

    no_org = client.get("/api/harms/harm/escalation?org=nobody")
    assert no_org.status_code == 400
    assert list(no_org.get_json()["errors"]["query"]) == ["org"]


def test_api_no_path_is_200_with_a_message(empty_graph, client):
    build(empty_graph, [harm("orphan", "Orphan")])
    body = client.get("/api/harms/orphan/escalation").get_json()
    assert (body["no_path"], body["count"]) == (True, 0)
    assert body["message"].startswith("No path: Orphan is linked to no product or company")


# --- pages and the diagram -----------------------------------------------------------------------


def test_harm_page_shows_the_ladder_sources_and_the_filters(empty_graph, client):
    build(empty_graph, CHAIN_NODES, CHAIN_RELS)
    page = client.get("/harms/harm?min_confidence=reported&kinds=headquarters&kinds=regulator")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<h3>Ultimate parent (headquarters)" in html and "<h3>Regulators" in html
    assert "<h3>Teams that decide on the product" not in html  # not among the kinds asked for
    assert 'value="headquarters" checked>' in html and 'value="team">' in html
    assert '<a href="https://example.org/evidence" rel="noopener noreferrer">' in html
    assert '<option value="reported" selected>' in html
    assert 'href="/harms/harm/diagram?min_confidence=reported&amp;kinds=headquarters' in html
    assert '<svg xmlns="http://www.w3.org/2000/svg" id="ladder"' in html  # drawn inline
    assert client.get("/harms/harm?as_of=someday").status_code == 400


def test_entity_page_of_a_harm_links_to_its_escalation_and_home_lists_harms(empty_graph, client):
    build(empty_graph, CHAIN_NODES, CHAIN_RELS)
    assert 'href="/harms/harm"' in client.get("/entities/harm").get_data(as_text=True)
    assert 'href="/harms/harm"' in client.get("/").get_data(as_text=True)
    assert 'href="/harms/' not in client.get("/entities/parent").get_data(as_text=True)


def test_a_side_with_no_rung_chosen_shows_no_heading(empty_graph, client):
    build(empty_graph, CHAIN_NODES, CHAIN_RELS)
    only_regulators = client.get("/harms/harm?kinds=regulator").get_data(as_text=True)
    assert "Beside the ladder" in only_regulators
    assert "The ladder: from the local office" not in only_regulators
    only_ladder = client.get("/harms/harm?kinds=headquarters").get_data(as_text=True)
    assert "The ladder: from the local office" in only_ladder
    assert "Beside the ladder" not in only_ladder


def test_diagram_is_offline_and_escapes_names(empty_graph, client):
    build(empty_graph, [
        harm("harm", "<script>alert(1)</script> harm"), product("app", "App <b>bold</b>"),
        company("corp", 'Corp href="javascript:alert(2)"'),
    ], [rel("INVOLVES", "harm", "app"), rel("OPERATES", "corp", "app")])
    response = client.get("/harms/harm/diagram")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert diagram.external_references(page) == []
    assert "<script" not in page  # the ladder page runs nothing
    assert "<b>bold" not in page and "&lt;b&gt;bold" in page
    assert 'href="javascript' not in page and 'href="/entities/corp"' in page


def test_diagram_module_escapes_labels_and_titles():
    net = diagram.network([{"id": "a", "label": "<img src=x onerror=alert(1)>",
                            "title": '<a href="https://x">x</a>'}, {"id": "b", "label": "AT&T"}],
                          [{"from": "a", "to": "b", "label": "OWNS"}])
    node_a, node_b = net.nodes
    assert node_a["label"] == "&lt;img src=x onerror=alert(1)&gt;"
    assert "<" not in node_a["title"] and "href" not in node_a["title"]
    assert node_b["label"] == "AT&T"  # a lone & cannot start markup or a reference
    page = diagram.to_html(net)
    assert diagram.external_references(page) == []


# --- CLI ---------------------------------------------------------------------------------------


def test_cli_prints_the_ladder_as_a_table(graphapp_cli, empty_graph):
    build(empty_graph, CHAIN_NODES, CHAIN_RELS)
    out = graphapp_cli(["escalate", "harm", "--kinds",
                        "headquarters,leadership"])
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert lines[2:] == [
        "",
        "== Executives and board of the ultimate parent",
        "   #  score  hops  target                            why",
        "   1  0.878     5  Chief Executive [ceo]             Chief Executive is CEO, an "
        "executive of Parent Inc, the ultimate parent where decisions are taken.",
        "",
        "== Ultimate parent (headquarters)",
        "   #  score  hops  target                            why",
        "   1  0.952     4  Parent Inc [parent]               Parent Inc is the ultimate parent "
        "of Regional BV: decisions on App are taken at its headquarters in United States.",
    ]
    bad = graphapp_cli(["escalate", "harm", "--as-of", "soon"])
    assert bad.exit_code == 1 and "as_of" in bad.output


# --- the score's arithmetic (pure functions) ------------------------------------------------------


def test_score_components_follow_the_documented_formulas():
    assert [escalation.distance_component(h) for h in (1, 2, 3, 5)] == [1.0, 0.8, 0.667, 0.5]
    assert escalation.stake_leverage(61.0, 13.0) == 1.0
    assert escalation.stake_leverage(None, 12.5) == 0.5
    assert escalation.stake_leverage(None, None) == 0.1
    parts = {"authority": 1.0, "leverage": 0.5, "evidence": 1.0, "distance": 0.5}
    # 0.35 * 1 + 0.25 * 0.5 + 0.2 * 1 + 0.1 * 0.5 = 0.725, over the known weights
    assert escalation.score({**parts, "access": None}) == round(0.725 / 0.9, 3)
    assert escalation.score({**parts, "access": 1.0}) == 0.825
    hop = {"confidence": "reported", "sources": ["https://a"]}
    assert escalation.evidence_component([hop, {**hop, "sources": []}]) == 0.333


# --- the seed graph: Meta and the Rohingya (seeds/meta_myanmar.yaml) ---------------------------

ROHINGYA = "harm-rohingya-facebook-incitement"


@pytest.mark.seed
def test_seed_myanmar_case_reaches_meta_hq_teams_board_investors_regulators_forums(seed_graph):
    result = escalation.escalate(seed_graph, ROHINGYA, org="human-rights-watch")
    assert [p["id"] for p in result["ultimate_parents"]] == ["meta-platforms"]
    assert ladder(result)[0] == ("headquarters", "meta-platforms")
    assert ids(result, "local") == ["meta-apac-hq-singapore"]  # the APAC hub that covers Myanmar
    assert {"meta-content-policy", "meta-human-rights-policy", "meta-integrity",
            "meta-public-policy-apac", "meta-myanmar-team"} <= set(ids(result, "team"))
    assert {"miranda-sissons", "monika-bickert"} <= set(ids(result, "person"))
    leadership = ids(result, "leadership")
    assert {"mark-zuckerberg", "meta-board", "robert-kimmitt"} <= set(leadership)
    assert "sheryl-sandberg" not in leadership  # left the board in 2024
    # One card per person: Mark Zuckerberg's stake is on his leadership card, which comes first.
    assert leadership[0] == "mark-zuckerberg"
    assert "mark-zuckerberg" not in ids(result, "investor")
    assert ids(result, "investor")[:3] == ["vanguard-group", "blackrock", "fmr-llc"]
    assert target(result, "investor", "vanguard-group")["details"]["voting_pct"] == 3.2
    assert {"ec-dg-connect", "us-ftc", "us-ncp", "un-iimm", "icj"} <= set(
        ids(result, "regulator"))
    gni = target(result, "forum", "gni")
    assert gni["components"]["access"] == 1.0
    assert gni["why"].endswith("Human Rights Watch sits there too.")
    for r in result["rungs"]:
        for t in r["targets"]:
            assert all(h["sources"] and h["confidence"] for h in t["path"]), t["id"]


@pytest.mark.seed
def test_seed_myanmar_case_as_of_2018_finds_the_board_of_then(seed_graph):
    result = escalation.escalate(seed_graph, ROHINGYA, as_of="2018-06", kinds="leadership")
    leadership = ids(result, "leadership")
    assert {"sheryl-sandberg", "peter-thiel", "reed-hastings", "erskine-bowles"} <= set(leadership)
    assert "dina-powell-mccormick" not in leadership
