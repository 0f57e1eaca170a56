"""Investor leverage against a real Neo4j: look-through, controller, exposure, interlocks,
the BODS examples, the API, the pages and the CLI. Exact numbers throughout."""

from pathlib import Path

import pytest

from graphapp import leverage
from graphapp.errors import BadRequest, NotFound
from graphapp.io import bods_import as bods
from tests.graphs import build, company, investor, owns

FIXTURES = Path(__file__).parent / "fixtures" / "bods"


def rows_of(result):
    return {r["holder"]["id"]: r for r in result["look_through"]}


# --- the arithmetic, through the graph -----------------------------------------------------------


def test_sixty_percent_of_fifty_percent_is_thirty_percent(empty_graph):
    build(empty_graph, [investor("fund"), company("holdco"), company("target")],
          [owns("fund", "holdco", 60, start_date="2020"),
           owns("holdco", "target", 50, start_date="2021-03")])
    result = leverage.company_leverage(empty_graph, "target")
    fund = rows_of(result)["fund"]
    assert (fund["economic_pct"], fund["voting_pct"]) == (30.0, 30.0)
    assert (fund["economic_min_pct"], fund["economic_max_pct"]) == (30.0, 30.0)
    assert fund["direct"] is False and fund["depth"] == 2 and fund["ultimate"] is True
    assert fund["voting_assumed"] is True  # no voting_pct stated: one share, one vote
    # the chain carries the evidence of every hop
    hops = fund["chain"]["hops"]
    assert [(h["holder"]["id"], h["company"]["id"]) for h in hops] == [("fund", "holdco"),
                                                                     ("holdco", "target")]
    assert hops[0]["stakes"][0]["sources"] == ["https://example.org/evidence"]
    assert hops[1]["stakes"][0]["start_date"] == "2021-03"
    assert fund["chain"]["confidence"] == "confirmed"
    assert rows_of(result)["holdco"]["economic_pct"] == 50.0


def test_two_chains_into_one_company_add_up(empty_graph):
    build(empty_graph, [investor("fund"), company("a"), company("b"), company("target")],
          [owns("fund", "a", 50), owns("a", "target", 40),
           owns("fund", "b", 100), owns("b", "target", 10)])
    assert rows_of(leverage.company_leverage(empty_graph, "target"))["fund"]["economic_pct"] \
        == 30.0


def test_cross_holding_cycle_matches_its_analytic_solution(empty_graph):
    # B holds 50% of A, A holds 40% of B; P holds the other 50% of A, Q the other 60% of B.
    # P's look-through in A: 0.5 / (1 - 0.5 * 0.4) = 62.5%; Q's: 0.6 * 0.5 / 0.8 = 37.5%.
    build(empty_graph, [company("a"), company("b"), investor("p"), investor("q")],
          [owns("b", "a", 50), owns("a", "b", 40), owns("p", "a", 50), owns("q", "b", 60)])
    result = leverage.company_leverage(empty_graph, "a")
    rows = rows_of(result)
    assert rows["p"]["economic_pct"] == 62.5
    assert rows["q"]["economic_pct"] == 37.5
    assert rows["b"]["economic_pct"] == 62.5 and rows["b"]["in_cycle"] is True
    assert rows["p"]["in_cycle"] is False
    assert result["self_held"]["economic_pct"] == 25.0  # 0.2 / 0.8


def test_dual_class_small_economic_stake_majority_vote_is_the_controller(empty_graph):
    # The founder holds 11% of the shares but 57% of the votes (class B), through a holding.
    build(empty_graph, [
        {"label": "Person", "id": "founder", "name": "The Founder"},
        company("founder-holdings", "Founder Holdings"), company("platform", "Platform Inc."),
        investor("index-fund", "Index Fund"),
    ], [
        owns("founder", "founder-holdings", 100, 100),
        owns("founder-holdings", "platform", 11, 57, share_class="Class B"),
        owns("index-fund", "platform", 45, 20, share_class="Class A"),
    ])
    result = leverage.company_leverage(empty_graph, "platform", include_sensitive=True)
    ctrl = result["controller"]
    assert ctrl["ultimate"]["id"] == "founder"
    assert [(p["id"], p["controlled_votes_pct"]) for p in ctrl["path"]] == [
        ("platform", 57.0), ("founder-holdings", 100.0), ("founder", None)]
    rows = rows_of(result)
    assert (rows["founder"]["economic_pct"], rows["founder"]["voting_pct"]) == (11.0, 57.0)
    assert (rows["index-fund"]["economic_pct"], rows["index-fund"]["voting_pct"]) == (45.0, 20.0)
    # the table leads with the one who has the say
    assert result["look_through"][0]["holder"]["id"] in ("founder", "founder-holdings")
    shares = {s["holder"]["id"]: s["share_class"] for s in result["direct_stakes"]}
    assert shares == {"founder-holdings": "Class B", "index-fund": "Class A"}


def test_a_range_is_carried_through_as_bounds(empty_graph):
    build(empty_graph, [investor("fund"), company("holdco"), company("target")],
          [owns("fund", "holdco", pct_min=75, pct_max=100), owns("holdco", "target", 40)])
    fund = rows_of(leverage.company_leverage(empty_graph, "target"))["fund"]
    assert fund["economic_pct"] is None
    assert (fund["economic_min_pct"], fund["economic_max_pct"]) == (30.0, 40.0)


def test_only_current_stakes_by_default_and_as_of_looks_back(empty_graph):
    build(empty_graph, [investor("old"), investor("new"), company("target")],
          [owns("old", "target", 80, start_date="2010", end_date="2019-06"),
           owns("new", "target", 25, start_date="2019-06")])
    now = leverage.company_leverage(empty_graph, "target")
    assert set(rows_of(now)) == {"new"}
    assert [s["holder"]["id"] for s in now["direct_stakes"]] == ["new"]
    then = leverage.company_leverage(empty_graph, "target", as_of="2015-01-01")
    assert set(rows_of(then)) == {"old"}
    assert then["controller"]["ultimate"]["id"] == "old"


def test_chains_longer_than_max_depth_are_cut_and_flagged(empty_graph):
    build(empty_graph, [company(f"c{i}") for i in range(5)],
          [owns(f"c{i + 1}", f"c{i}", 50) for i in range(4)])
    full = leverage.company_leverage(empty_graph, "c0")
    assert rows_of(full)["c4"]["economic_pct"] == 6.25 and full["truncated"] is False
    cut = leverage.company_leverage(empty_graph, "c0", max_depth=2)
    assert set(rows_of(cut)) == {"c1", "c2"} and cut["truncated"] is True
    assert rows_of(cut)["c2"]["ultimate"] is None  # held by c3, beyond the bound


def test_sensitive_holders_count_but_are_withheld(empty_graph):
    build(empty_graph, [{"label": "Person", "id": "private", "name": "A Private Person",
                         "sensitive": True}, company("holdco"), company("target")],
          [owns("private", "holdco", 100), owns("holdco", "target", 60)])
    result = leverage.company_leverage(empty_graph, "target")
    names = [r["holder"]["name"] for r in result["look_through"]]
    assert "A Private Person" not in str(result)
    assert leverage.WITHHELD in names
    assert result["controller"]["ultimate"]["name"] == leverage.WITHHELD
    shown = leverage.company_leverage(empty_graph, "target", include_sensitive=True)
    assert rows_of(shown)["private"]["economic_pct"] == 60.0


def test_unknown_company_and_bad_parameters(empty_graph):
    build(empty_graph, [{"label": "Person", "id": "someone", "name": "Someone"}])
    with pytest.raises(NotFound, match="No company with id 'nope'"):
        leverage.company_leverage(empty_graph, "nope")
    with pytest.raises(NotFound, match="'someone' is a Person, not company"):
        leverage.company_leverage(empty_graph, "someone")
    with pytest.raises(BadRequest) as exc:
        leverage.company_leverage(empty_graph, "nope", as_of="2019-13", max_depth=0)
    assert set(exc.value.errors["query"]) == {"as_of", "max_depth"}


# --- BODS examples: the stakes their documents state ---------------------------------------------


def test_bods_indirect_ownership_gives_the_stated_stakes(empty_graph):
    """indirect-ownership.json: Company B holds 60% of Company A; Person 1 holds 30% of
    Company A indirectly, through Company B (the Person 1 -> B hop states no share)."""
    counts, warnings = bods.load(empty_graph, FIXTURES / "indirect-ownership.json")
    assert (counts.nodes, counts.relationships, warnings) == (3, 3, [])  # + the declared 30%
    a = "bods:ad3f6c2fcc9e"
    result = leverage.company_leverage(empty_graph, a, include_sensitive=True)
    rows = rows_of(result)
    assert rows["bods:d4ab89ea169a"]["economic_pct"] == 60.0  # Company B, direct
    person = rows["bods:c25d4d612c2c"]
    assert person["holder"]["name"] == "Person 1"
    assert person["economic_pct"] == 30.0 and person["direct"] is False
    # the hop the document leaves without a share is derived, and says so
    hop = person["chain"]["hops"][0]["stakes"][0]
    assert hop["economic_pct"] == 50.0 and "derived" in hop["note"]
    assert hop["sources"] == [bods.STANDARD_URL] and hop["confidence"] == "reported"
    assert hop["as_of"] == "2018-12-17"
    # Company B holds 60% of the votes (one share, one vote); Person 1 controls 50% of B: no more
    assert result["controller"]["ultimate"]["id"] == "bods:d4ab89ea169a"
    # the stated direct stake and its dates
    [direct] = result["direct_stakes"]
    assert (direct["holder"]["name"], direct["economic_pct"], direct["start_date"]) == (
        "Company B", 60.0, "2017-11-01")


def test_bods_joint_ownership_gives_the_stated_stakes(empty_graph):
    """joint-ownership.json: a joint-shareholding arrangement holds 100% of CHRINON LTD, and
    Natalie Coleman and Roberto Lopez hold 50% of the arrangement each."""
    counts, _ = bods.load(empty_graph, FIXTURES / "joint-ownership.json")
    assert (counts.nodes, counts.relationships) == (4, 3)
    result = leverage.company_leverage(empty_graph, "bods:31c55e425764", include_sensitive=True)
    stakes = {r["holder"]["name"]: r["economic_pct"] for r in result["look_through"]}
    assert stakes == {"Joint shareholding": 100.0, "Natalie Coleman": 50.0,
                      "Roberto Lopez": 50.0}
    # neither joint holder alone has a majority: the arrangement is the ultimate controller
    assert result["controller"]["ultimate"]["name"] == "Joint shareholding"
    assert result["company"]["name"] == "CHRINON LTD"


def test_bods_people_are_sensitive_by_default(empty_graph):
    bods.load(empty_graph, FIXTURES / "joint-ownership.json")
    result = leverage.company_leverage(empty_graph, "bods:31c55e425764")
    assert "Natalie Coleman" not in str(result)


def test_bods_reader_keeps_history_of_changed_shares():
    statements = [
        {"statementId": "s1", "recordId": "e1", "recordType": "entity",
         "statementDate": "2020-01-01", "recordDetails": {"name": "Target Ltd"}},
        {"statementId": "s2", "recordId": "p1", "recordType": "person",
         "statementDate": "2020-01-01", "recordDetails": {"names": [{"fullName": "Owner"}]}},
        {"statementId": "s3", "recordId": "r1", "recordType": "relationship",
         "statementDate": "2020-01-01", "recordStatus": "new",
         "recordDetails": {"subject": "e1", "interestedParty": "p1", "interests": [
             {"type": "shareholding", "startDate": "2019-05-01", "share": {"exact": 40}},
             {"type": "votingRights", "startDate": "2019-05-01", "share": {"exact": 70}}]}},
        {"statementId": "s4", "recordId": "r1", "recordType": "relationship",
         "statementDate": "2022-03-04T10:00:00Z", "recordStatus": "updated",
         "source": {"type": ["verified"], "url": "https://register.example/r1"},
         "recordDetails": {"subject": "e1", "interestedParty": "p1", "interests": [
             {"type": "shareholding", "startDate": "2019-05-01", "share": {"exact": 55}}]}},
    ]
    found = bods.read_statements(statements)
    rels = [r for _, r in found.relationships]
    assert [(r["economic_pct"], r.get("voting_pct"), r["start_date"], r["end_date"])
            for r in rels] == [(40.0, 70.0, "2019-05-01", "2022-03-04"),
                               (55.0, None, "2022-03-04", None)]
    assert rels[1]["sources"] == ["https://register.example/r1"]
    assert rels[1]["confidence"] == "confirmed"


# --- exposure -----------------------------------------------------------------------------------


def test_exposure_ranks_harms_by_stake_times_severity(empty_graph):
    build(empty_graph, [
        investor("fund", "Global Fund"), company("holdco"), company("app-co", "App Co"),
        company("minor", "Minor Co"), {"label": "Product", "id": "app", "name": "The App"},
        {"label": "Harm", "id": "leak", "name": "Data leak", "harm_type": "privacy_breach",
         "severity": 3},
        {"label": "Harm", "id": "hate", "name": "Hate speech wave", "harm_type": "hate_speech",
         "severity": 5},
        {"label": "Harm", "id": "spyware", "name": "Spyware sales", "harm_type": "surveillance"},
    ], [
        owns("fund", "holdco", 60), owns("holdco", "app-co", 50), owns("fund", "minor", 10),
        {"type": "OPERATES", "from": "app-co", "to": "app"},
        {"type": "INVOLVES", "from": "leak", "to": "app", "mechanism": "API misconfiguration"},
        {"type": "INVOLVES", "from": "hate", "to": "minor"},
        {"type": "INVOLVES", "from": "spyware", "to": "minor"},
    ])
    result = leverage.investor_exposure(empty_graph, "fund")
    holdings = {h["company"]["id"]: h for h in result["holdings"]}
    assert holdings["app-co"]["economic_pct"] == 30.0 and holdings["app-co"]["depth"] == 2
    assert holdings["holdco"]["economic_pct"] == 60.0 and holdings["minor"]["direct"] is True
    ranked = [(h["rank"], h["harm"]["id"], h["leverage_pct"], h["score"]) for h in result["harms"]]
    # 30% x 3 = 90 > 10% x 5 = 50 > 10% x unknown (1) = 10
    assert ranked == [(1, "leak", 30.0, 90.0), (2, "hate", 10.0, 50.0),
                      (3, "spyware", 10.0, 10.0)]
    leak = result["harms"][0]
    assert leak["product"] == {"id": "app", "name": "The App"}
    assert leak["involves"]["mechanism"] == "API misconfiguration"
    assert leak["involves"]["sources"] == ["https://example.org/evidence"]
    assert result["harms"][2]["severity_known"] is False
    assert "severity" in result["ranking"]


def test_an_undisclosed_stake_reads_undisclosed_not_zero(empty_graph, client):
    """A creditor-group member with 0-92% of WOM (seed: Amundi) was listed with a "0%" stake:
    the page now says the stake is undisclosed, and at most how much it can be."""
    build(empty_graph, [
        investor("fund", "Creditor Fund"), company("telco", "Telco"),
        {"label": "Harm", "id": "leak", "name": "Data leak", "harm_type": "privacy_breach",
         "severity": 3},
    ], [owns("fund", "telco", pct_min=0, pct_max=92),
        {"type": "INVOLVES", "from": "leak", "to": "telco"}])
    [harm] = leverage.investor_exposure(empty_graph, "fund")["harms"]
    assert harm["leverage_pct"] == 0.0 and harm["stake_max_pct"] == 92.0
    html = client.get("/investors/fund/exposure").get_data(as_text=True)
    assert "undisclosed (at most 92%)" in html and ">0%<" not in html


def test_exposure_of_an_unknown_investor_is_a_404(empty_graph):
    build(empty_graph, [{"label": "Harm", "id": "h", "name": "H", "harm_type": "censorship"}])
    with pytest.raises(NotFound, match="'h' is a Harm"):
        leverage.investor_exposure(empty_graph, "h")
    with pytest.raises(NotFound, match="No investor"):
        leverage.investor_exposure(empty_graph, "nobody")


# --- interlocks ---------------------------------------------------------------------------------


def test_interlocks_shared_board_members_and_major_investors(empty_graph):
    person = {"label": "Person"}
    build(empty_graph, [
        company("meta", "Meta"), company("acme", "Acme"), company("bank", "Bank"),
        company("small", "Small Co"), investor("fund", "Big Fund"), investor("tiny", "Tiny Fund"),
        {**person, "id": "ana", "name": "Ana"}, {**person, "id": "bo", "name": "Bo"},
        {**person, "id": "cy", "name": "Cy"},
        {"label": "Team", "id": "acme-board", "name": "Acme board", "function": "board"},
    ], [
        {"type": "HOLDS_ROLE", "from": "ana", "to": "meta", "kind": "board", "title": "Director"},
        {"type": "HOLDS_ROLE", "from": "ana", "to": "acme-board", "title": "Chair"},
        {"type": "PART_OF", "from": "acme-board", "to": "acme"},
        {"type": "HOLDS_ROLE", "from": "ana", "to": "bank", "kind": "board"},
        {"type": "HOLDS_ROLE", "from": "bo", "to": "meta", "kind": "board"},
        {"type": "HOLDS_ROLE", "from": "bo", "to": "bank", "kind": "board", "end_date": "2020"},
        {"type": "HOLDS_ROLE", "from": "cy", "to": "meta", "kind": "executive"},
        owns("fund", "meta", 7), owns("fund", "acme", 5), owns("fund", "small", 2),
        owns("tiny", "meta", 1), owns("tiny", "acme", 9),
    ])
    result = leverage.interlocks(empty_graph, "meta")
    members = {m["person"]["id"]: m for m in result["board_members"]}
    assert set(members) == {"ana", "bo"}  # cy is an executive, not on the board
    assert members["ana"]["boards"] == 3 and members["bo"]["boards"] == 1  # bo left bank
    assert result["board_members"][0]["person"]["id"] == "ana"
    shared = {s["company"]["id"]: [p["person"]["id"] for p in s["people"]]
              for s in result["shared_board_members"]}
    assert shared == {"acme": ["ana"], "bank": ["ana"]}
    [major] = result["major_investors"]
    assert major["investor"]["id"] == "fund" and major["economic_pct"] == 7.0
    assert [h["company"]["id"] for h in major["other_holdings"]] == ["acme"]
    assert [s["company"]["id"] for s in result["shared_major_investors"]] == ["acme"]
    lower = leverage.interlocks(empty_graph, "meta", threshold=1)
    assert {i["investor"]["id"] for i in lower["major_investors"]} == {"fund", "tiny"}


# --- API, pages, CLI -----------------------------------------------------------------------------


@pytest.fixture
def small_chain(empty_graph):
    return build(empty_graph, [investor("fund", "Big Fund"), company("holdco", "Holdco"),
                               company("target", "Target Inc.")],
                 [owns("fund", "holdco", 60), owns("holdco", "target", 50, 50)])


def test_api_leverage_exposure_interlocks(small_chain, client):
    body = client.get("/api/companies/target/leverage?max_depth=3").get_json()
    assert {r["holder"]["id"]: r["economic_pct"] for r in body["look_through"]} == {
        "fund": 30.0, "holdco": 50.0}
    exposure = client.get("/api/investors/fund/exposure").get_json()
    assert {h["company"]["id"]: h["economic_pct"] for h in exposure["holdings"]} == {
        "holdco": 60.0, "target": 30.0}
    assert client.get("/api/companies/target/interlocks?threshold=5").status_code == 200


@pytest.mark.parametrize("path", ["/api/companies/nope/leverage", "/api/investors/nope/exposure",
                                  "/api/companies/nope/interlocks"])
def test_api_unknown_ids_are_404_with_a_message(small_chain, client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "'nope'" in response.get_json()["message"]


@pytest.mark.parametrize("path,field", [
    ("/api/companies/target/leverage?max_depth=99", "max_depth"),
    ("/api/companies/target/leverage?as_of=2019-02-30", "as_of"),
    ("/api/investors/fund/exposure?max_depth=zero", "max_depth"),
    ("/api/companies/target/interlocks?threshold=0", "threshold"),
])
def test_api_bad_parameters_are_400_naming_the_field(small_chain, client, path, field):
    response = client.get(path)
    assert response.status_code == 400
    assert field in response.get_json()["message"]


def test_leverage_page_table_and_chart(small_chain, client):
    page = client.get("/companies/target/leverage")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Who holds Target Inc." in html and "Big Fund" in html and "30%" in html
    assert "/companies/target/leverage.png" in html
    chart = client.get("/companies/target/leverage.png?top=5")
    assert chart.status_code == 200 and chart.mimetype == "image/png"
    assert chart.data[:8] == b"\x89PNG\r\n\x1a\n"
    assert client.get("/companies/target/leverage.png?top=0").status_code == 400
    assert client.get("/companies/nope/leverage").status_code == 404


def test_exposure_page_and_entity_links(small_chain, client):
    page = client.get("/investors/fund/exposure")
    assert page.status_code == 200 and "Target Inc." in page.get_data(as_text=True)
    entity = client.get("/entities/target").get_data(as_text=True)
    assert "/companies/target/leverage" in entity and "/investors/target/exposure" in entity
    person = build(small_chain, [{"label": "Person", "id": "p", "name": "P"}])
    assert "/leverage" not in client.get("/entities/p").get_data(as_text=True)
    assert person is small_chain


def test_cli_leverage_exposure_interlocks(graphapp_cli, small_chain):
    out = graphapp_cli(["leverage", "target"])
    assert out.exit_code == 0, out.output
    assert "Big Fund" in out.output and "30%" in out.output
    out = graphapp_cli(["exposure", "fund", "--json"])
    assert out.exit_code == 0 and '"economic_pct": 30.0' in out.output
    assert graphapp_cli(["interlocks", "target"]).exit_code == 0
    bad = graphapp_cli(["leverage", "target", "--max-depth", "40"])
    assert bad.exit_code == 1 and "max_depth" in bad.output
    missing = graphapp_cli(["leverage", "nope"])
    assert missing.exit_code == 1 and "No company with id 'nope'" in missing.output
