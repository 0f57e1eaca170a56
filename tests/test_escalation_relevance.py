"""Escalation that fits the harm (issue 14): relevance of regulators and forums, the real decider
first, one card per person, honest dates, human edge words, a page that reads as a ladder.

Small named graphs, one rule each, exact answers; then the seed's harms, each with the three
regulators an advocate in that country would name, and why (docs/escalation.md, "Relevance").
"""

from __future__ import annotations

import pytest

from graphapp import escalation, relevance
from graphapp.store import model
from tests.graphs import build, company, person, rel
from tests.test_escalation import country, ids, product, rung, target, team


def harm(id_="harm", harm_type="privacy_breach", name=None):
    return {"label": "Harm", "id": id_, "name": name or f"Harm {id_}", "harm_type": harm_type}


def regulator(id_, kind, name=None, **extra):
    return {"label": "Regulator", "id": id_, "name": name or id_, "kind": kind, **extra}


# --- jurisdiction: the harm's country, the headquarters, elsewhere ---------------------------

PLACES = [
    harm(), product(), company("parent", "Parent Inc"),
    country("KE", "Kenya"), country("US", "United States"), country("DE", "Germany"),
    regulator("reg-here", "data_protection", "Here DPA"),
    regulator("reg-hq", "data_protection", "HQ DPA"),
    regulator("reg-away", "data_protection", "Away DPA"),
]
PLACES_RELS = [
    rel("INVOLVES", "harm", "app"), rel("OCCURRED_IN", "harm", "ke"),
    rel("OPERATES", "parent", "app"), rel("HEADQUARTERED_IN", "parent", "us"),
    rel("HAS_JURISDICTION_OVER", "reg-here", "ke"),
    rel("HAS_JURISDICTION_OVER", "reg-hq", "us"),
    rel("HAS_JURISDICTION_OVER", "reg-away", "de"), rel("OVERSEES", "reg-away", "parent"),
]


def test_the_regulator_in_the_harms_country_first_at_headquarters_next_elsewhere_last(empty_graph):
    build(empty_graph, PLACES, PLACES_RELS)
    result = escalation.escalate(empty_graph, "harm", kinds="regulator")
    # Same kind, same mandate: only where they stand differs. The one elsewhere oversees the
    # company (more power over it) and still ranks last.
    assert ids(result, "regulator") == ["reg-here", "reg-hq", "reg-away"]
    assert [t["components"]["relevance"] for t in rung(result, "regulator")["targets"]] == [
        1.0, 0.7, 0.15]
    assert [t["details"]["relevance"]["jurisdiction"]
            for t in rung(result, "regulator")["targets"]] == [
        "harm_country", "headquarters", "elsewhere"]
    assert target(result, "regulator", "reg-here")["why"] == (
        "Here DPA has jurisdiction over Kenya, where the harm occurred. Its mandate (protecting "
        "personal data) covers privacy breaches.")
    assert target(result, "regulator", "reg-away")["why"] == (
        "Away DPA oversees Parent Inc and can compel it to act. It has no jurisdiction where the "
        "harm occurred or where the company has its headquarters; its mandate (protecting "
        "personal data) covers privacy breaches.")


def test_the_lead_authority_through_the_main_establishment_counts_for_its_market(empty_graph):
    build(empty_graph, [
        harm(), product(), company("parent", "Parent Inc"), company("eu", "EU Ltd"),
        country("FR", "France"), country("IE", "Ireland"), country("US", "United States"),
        regulator("fr-dpa", "data_protection", "French DPA"),
        regulator("lead-dpa", "data_protection", "Irish DPA"),
    ], [
        rel("INVOLVES", "harm", "app"), rel("OCCURRED_IN", "harm", "fr"),
        rel("OPERATES", "parent", "app"), rel("HEADQUARTERED_IN", "parent", "us"),
        rel("OWNS", "parent", "eu", economic_pct=100.0, voting_pct=100.0),
        rel("HEADQUARTERED_IN", "eu", "ie"), rel("OPERATES_IN", "eu", "fr"),
        rel("HAS_JURISDICTION_OVER", "fr-dpa", "fr"),
        rel("HAS_JURISDICTION_OVER", "lead-dpa", "ie"),
        rel("OVERSEES", "lead-dpa", "eu", instrument="GDPR lead supervisory authority"),
    ])
    result = escalation.escalate(empty_graph, "harm", kinds="regulator")
    assert ids(result, "regulator") == ["fr-dpa", "lead-dpa"]
    lead = target(result, "regulator", "lead-dpa")
    assert lead["route"] == "establishment"
    assert lead["components"]["relevance"] == 0.85
    assert lead["why"] == (
        "Irish DPA oversees EU Ltd, a subsidiary of Parent Inc, under GDPR lead supervisory "
        "authority, and can compel it to act. It covers the seat of EU Ltd, the group's company "
        "operating in France; its mandate (protecting personal data) covers privacy breaches.")


# --- mandate: each harm type against each regulator kind --------------------------------------

# The regulators with a full mandate over each harm type (graphapp/relevance.yaml): every other
# regulator in the same country ranks below them. "labour-court" is a court with its own
# mandate (labour); "atrocity" a UN mechanism with its own (atrocity_accountability).
RIGHTS = {"r-un_mechanism", "r-regional_human_rights_body", "r-oecd_ncp", "atrocity"}
FULL_MANDATE = {
    "hate_speech": {"r-media", "r-oecd_ncp", "atrocity"},
    "incitement": {"r-media", "r-oecd_ncp", "atrocity"},
    "misinformation": {"r-media", "r-oecd_ncp"},
    "surveillance": {"r-data_protection", "r-telecom", "r-oecd_ncp"},
    "data_sharing_with_authorities": {"r-data_protection", "r-telecom", "r-oecd_ncp"},
    "privacy_breach": {"r-data_protection", "r-consumer", "r-oecd_ncp"},
    "discriminatory_algorithm": {"r-data_protection", "r-consumer", "r-oecd_ncp"},
    "censorship": {"r-telecom", *RIGHTS},
    "shutdown": {"r-telecom", *RIGHTS},
    "labour_rights": {"labour-court", "r-oecd_ncp"},
    "environmental": {"r-oecd_ncp"},
}


def test_each_harm_type_puts_the_regulators_with_that_mandate_first(empty_graph):
    assert set(FULL_MANDATE) == set(model.HARM_TYPES)
    regulators = [regulator(f"r-{kind}", kind) for kind in model.REGULATOR_KINDS] + [
        regulator("labour-court", "court", mandates=["labour"]),
        regulator("atrocity", "un_mechanism", mandates=["atrocity_accountability"]),
    ]
    build(empty_graph, [
        *[harm(f"h-{t}", t) for t in model.HARM_TYPES], product(), company("corp", "Corp"),
        country("KE", "Kenya"), *regulators,
    ], [
        *[r for t in model.HARM_TYPES for r in (rel("INVOLVES", f"h-{t}", "app"),
                                                 rel("OCCURRED_IN", f"h-{t}", "ke"))],
        rel("OPERATES", "corp", "app"),
        *[rel("HAS_JURISDICTION_OVER", r["id"], "ke") for r in regulators],
    ])
    for harm_type, full in FULL_MANDATE.items():
        result = escalation.escalate(empty_graph, f"h-{harm_type}", kinds="regulator")
        ranked = rung(result, "regulator")["targets"]
        assert len(ranked) == len(regulators)
        assert {t["id"] for t in ranked[:len(full)]} == full, harm_type
        assert {t["id"] for t in ranked if t["components"]["relevance"] == 1.0} == full, harm_type
    competition = target(escalation.escalate(empty_graph, "h-hate_speech", kinds="regulator"),
                         "regulator", "r-competition")
    assert competition["components"]["relevance"] == 0.1
    assert competition["why"].endswith("Its mandate (market power, mergers and abuse of "
                                       "dominance) does not cover hate speech.")


def test_the_instrument_on_oversees_names_the_mandate(empty_graph):
    build(empty_graph, [
        harm(), product(), company("corp", "Corp"), country("KE", "Kenya"),
        regulator("authority", "competition", "Authority"),
    ], [
        rel("INVOLVES", "harm", "app"), rel("OCCURRED_IN", "harm", "ke"),
        rel("OPERATES", "corp", "app"), rel("HAS_JURISDICTION_OVER", "authority", "ke"),
        rel("OVERSEES", "authority", "corp", instrument="Data Protection Act 2019 (order)"),
    ])
    found = target(escalation.escalate(empty_graph, "harm", kinds="regulator"), "regulator",
                   "authority")
    assert found["components"]["relevance"] == 1.0
    assert found["details"]["relevance"]["mandate"] == "data_protection"
    assert found["details"]["relevance"]["mandate_from"] == "instrument"
    assert found["path"][-1]["edge_label"] == "oversees under Data Protection Act 2019"


def test_a_body_already_seized_of_the_harm_is_relevant_and_says_so(empty_graph):
    build(empty_graph, [
        harm(), product(), company("corp", "Corp"), country("IE", "Ireland"),
        regulator("ncp", "oecd_ncp", "Irish NCP"),
        {"label": "Organization", "id": "ngo", "name": "NGO"},
        {"label": "Engagement", "id": "complaint", "name": "OECD complaint", "kind": "complaint",
         "date": "2021-12", "status": "sent"},
    ], [
        rel("INVOLVES", "harm", "app"), rel("OPERATES", "corp", "app"),
        rel("HAS_JURISDICTION_OVER", "ncp", "ie"),
        rel("BY", "complaint", "ngo"), rel("TO", "complaint", "ncp"),
        rel("ABOUT", "complaint", "harm"),
    ])
    result = escalation.escalate(empty_graph, "harm", kinds="regulator", as_of="2022")
    ncp = target(result, "regulator", "ncp")
    assert ncp["route"] == "seized"
    assert ncp["components"]["relevance"] == 1.0
    assert ncp["why"].startswith("Irish NCP already has this harm before it: OECD complaint. "
                                 "Its mandate (complaints that a company failed its human "
                                 "rights responsibilities) covers privacy breaches.")
    assert escalation.escalate(empty_graph, "harm", kinds="regulator",
                               as_of="2021-06")["rungs"][0]["targets"] == []


def test_forums_by_mandate_and_shared_membership(empty_graph):
    build(empty_graph, [
        harm(harm_type="surveillance"), product(), company("corp", "Corp"),
        {"label": "Forum", "id": "gni", "name": "GNI", "kind": "multi_stakeholder_initiative",
         "mandates": ["privacy_and_free_expression"]},
        {"label": "Forum", "id": "lobby", "name": "Lobby", "kind": "industry_association"},
        {"label": "Organization", "id": "ngo", "name": "NGO"},
    ], [
        rel("INVOLVES", "harm", "app"), rel("OPERATES", "corp", "app"),
        rel("MEMBER_OF", "corp", "gni"), rel("MEMBER_OF", "corp", "lobby"),
        rel("MEMBER_OF", "ngo", "gni"),
    ])
    result = escalation.escalate(empty_graph, "harm", kinds="forum", org="ngo")
    assert ids(result, "forum") == ["gni", "lobby"]
    assert target(result, "forum", "gni")["why"] == (
        "Corp sits in GNI (a multi stakeholder initiative), where peers and stakeholders can "
        "raise the harm with it. Its mandate (privacy and freedom of expression in the face of "
        "government demands) covers surveillance. NGO sits there too.")
    assert [t["components"]["relevance"] for t in rung(result, "forum")["targets"]] == [1.0, 0.1]


# --- the real decider first, one card per person ----------------------------------------------

DECIDER = [
    harm(), product(), company("parent", "Parent Inc"),
    person("founder", "Founder Person"), person("cfo", "Finance Person"),
    person("vc", "Venture Person"), {"label": "Organization", "id": "ngo", "name": "NGO"},
    {"label": "Engagement", "id": "letter", "name": "Letter", "kind": "letter",
     "date": "2024-01", "status": "no_response"},
]
DECIDER_RELS = [
    rel("INVOLVES", "harm", "app"), rel("OPERATES", "parent", "app"),
    rel("OWNS", "founder", "parent", voting_pct=58.0, economic_pct=12.0),
    rel("HOLDS_ROLE", "founder", "parent", kind="executive",
        title="Founder and Chief Executive Officer"),
    rel("HOLDS_ROLE", "cfo", "parent", kind="executive", title="Chief Financial Officer"),
    rel("OWNS", "vc", "parent", voting_pct=30.0, economic_pct=30.0),
    rel("HOLDS_ROLE", "vc", "parent", kind="board", title="Vice Chair"),
    rel("BY", "letter", "ngo"), rel("TO", "letter", "founder"), rel("ABOUT", "letter", "harm"),
]


# --- teams: a remit that fits the harm, in the harm's country ----------------------------------


def test_teams_rank_by_a_remit_that_fits_the_harm_and_the_one_working_on_its_country_first(
        empty_graph):
    build(empty_graph, [
        harm("harm", "incitement", "Incitement in Myanmar"), product("app", "App"),
        company("parent", "Parent Inc"), country("MM", "Myanmar"),
        team("content", "policy", "Content Policy"),
        team("privacy", "privacy", "Privacy Review"),
        team("apac", "policy", "APAC Public Policy", scope="regional"),
        team("emea", "policy", "EMEA Public Policy", scope="regional"),
        person("lead", "Lena Lead"),
    ], [
        rel("INVOLVES", "harm", "app"), rel("OCCURRED_IN", "harm", "mm"),
        rel("OPERATES", "parent", "app"),
        rel("RESPONSIBLE_FOR", "content", "app", area="Community Standards"),
        rel("RESPONSIBLE_FOR", "privacy", "app", area="privacy review"),
        rel("RESPONSIBLE_FOR", "apac", "app", area="government relations, Myanmar elections"),
        rel("RESPONSIBLE_FOR", "emea", "app", area="government relations, Europe"),
        rel("HOLDS_ROLE", "lead", "privacy", title="Privacy Lead", kind="manager"),
    ])
    result = escalation.escalate(empty_graph, "harm", kinds="team,person")
    # The team whose area names Myanmar first; the global content policy team next; the EMEA
    # team (a policy remit, somewhere else) after; the privacy team, whose remit does not cover
    # incitement, last.
    assert ids(result, "team") == ["apac", "content", "emea", "privacy"]
    assert [t["components"]["relevance"] for t in rung(result, "team")["targets"]] == [
        1.0, 0.9, 0.8, 0.09]
    assert target(result, "team", "apac")["why"] == (
        "APAC Public Policy is responsible for App (government relations, Myanmar elections), so "
        "it decides how the product handles Incitement in Myanmar. It works on Myanmar, where "
        "the harm occurred.")
    assert target(result, "team", "privacy")["why"] == (
        "Privacy Review is responsible for App (privacy review). Its remit (protecting personal "
        "data) does not cover incitement.")
    # a person counts with the remit of the team they are in
    lead = target(result, "person", "lead")
    assert lead["components"]["relevance"] == 0.09
    assert "The team's remit (protecting personal data) does not cover incitement." in lead["why"]


def test_from_a_product_no_harm_type_so_teams_have_no_relevance(empty_graph):
    build(empty_graph, [
        product("app", "App"), company("parent", "Parent Inc"),
        team("privacy", "privacy", "Privacy Review"),
    ], [rel("OPERATES", "parent", "app"), rel("RESPONSIBLE_FOR", "privacy", "app")])
    result = escalation.escalate(empty_graph, "app", kinds="team")
    assert target(result, "team", "privacy")["components"]["relevance"] is None


def test_a_controlling_chief_executive_tops_the_leadership_whatever_their_silence(empty_graph):
    build(empty_graph, DECIDER, DECIDER_RELS)
    result = escalation.escalate(empty_graph, "harm")
    founder = target(result, "leadership", "founder")
    assert founder["components"]["responsiveness"] == 0.0  # silent...
    assert founder["score"] < target(result, "leadership", "cfo")["score"]
    assert ids(result, "leadership") == ["founder", "cfo", "vc"]  # ...and still first
    assert founder["decider"] is True and founder["rank"] == 1
    assert founder["why"] == (
        "Founder Person holds 58% of the votes of Parent Inc and leads it as Founder and Chief "
        "Executive Officer: the real decider, whom no one inside the company can overrule. They "
        "have not answered the one engagement sent to them that is due.")
    # One person, one card: the stakes are on the leadership cards, the investor rung is empty.
    assert ids(result, "investor") == []
    assert [a["why"] for a in founder["also"]] == [
        "Founder Person holds 58% of the votes and 12% of the economic interest of Parent Inc, "
        "which has to answer to its shareholders."]
    assert [a["rung"] for a in founder["also"]] == ["investor"]
    # A vice chair with 30% is not the decider.
    assert target(result, "leadership", "vc")["decider"] is False


# --- dates: start unknown, dated evidence only, headings that follow the date -----------------


def test_an_undated_relationship_under_as_of_is_start_unknown_or_left_out(empty_graph):
    build(empty_graph, [
        harm(), product(), company("parent", "Parent Inc"), person("ceo", "Chief Person"),
        person("cfo", "Money Person"),
    ], [
        rel("INVOLVES", "harm", "app", start_date="2000"),
        rel("OPERATES", "parent", "app", start_date="2000"),
        rel("HOLDS_ROLE", "ceo", "parent", kind="executive", title="CEO"),  # no start date
        rel("HOLDS_ROLE", "cfo", "parent", kind="executive", title="CFO", start_date="2005"),
    ])
    past = escalation.escalate(empty_graph, "harm", as_of="2010")
    assert ids(past, "leadership") == ["ceo", "cfo"]
    assert target(past, "leadership", "ceo")["caveat"] == (
        "Start unknown: 1 link on this path has no start date, so it may not have held on 2010.")
    assert target(past, "leadership", "ceo")["path"][-1]["start_unknown"] is True
    assert target(past, "leadership", "cfo")["caveat"] is None
    assert rung(past, "person")["title"] == "People in those teams on 2010"
    dated = escalation.escalate(empty_graph, "harm", as_of="2010", dated_only=True)
    assert ids(dated, "leadership") == ["cfo"]
    assert dated["filters"]["dated_only"] is True
    today = escalation.escalate(empty_graph, "harm")
    assert target(today, "leadership", "ceo")["caveat"] is None
    assert rung(today, "person")["title"] == "People in those teams now"


# --- words ------------------------------------------------------------------------------------


def test_edges_read_as_human_words():
    assert escalation.edge_label("OWNS", {"economic_pct": 13.0, "voting_pct": 61.1}) == (
        "owns 13% (61.1% of the votes)")
    assert escalation.edge_label("OWNS", {"economic_pct": 100.0, "voting_pct": 100.0}) == (
        "owns 100%")
    assert escalation.edge_label("OVERSEES", {"instrument": (
        "Digital Services Act (very large online platform, designated April 2023)")}) == (
        "oversees under Digital Services Act")
    assert escalation.edge_label("HOLDS_ROLE", {"title": "CEO"}) == "CEO"
    assert escalation.edge_label("HEADQUARTERED_IN", {}) == "has its headquarters in"
    assert escalation.edge_label("CONTROLS", {"means": "dual-class shares"}) == "controls"
    # every relationship has words (a path through an engagement read "← about", untranslated)
    from graphapp.escalation.paths import EDGE_WORDS
    from graphapp.store import model

    assert sorted(set(model.REL_TYPES) - set(EDGE_WORDS)) == []
    assert escalation.edge_label("ABOUT", {}) == "about"


def test_names_ending_in_a_full_stop_do_not_double_it(empty_graph):
    build(empty_graph, [harm(), product(), company("parent", "Parent, Inc."),
                        {"label": "Team", "id": "board", "name": "Board", "function": "board"}],
          [rel("INVOLVES", "harm", "app"), rel("OPERATES", "parent", "app"),
           rel("PART_OF", "board", "parent")])
    board = target(escalation.escalate(empty_graph, "harm"), "leadership", "board")
    assert board["why"] == "Board leads Parent, Inc."


def test_the_relevance_table_names_a_wrong_entry(tmp_path):
    bad = tmp_path / "relevance.yaml"
    text = relevance.TABLE_PATH.read_text(encoding="utf-8").replace(
        "full: [labour_rights]", "full: [labor_rights]")
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(relevance.RelevanceTableError,
                       match=r"mandates\.labour\.full: unknown harm type 'labor_rights'"):
        relevance.table(bad)
    assert "labour" in relevance.mandate_names()


def test_an_unknown_mandate_on_a_node_is_refused_naming_it(empty_graph):
    from graphapp.store.records import RecordErrors

    with pytest.raises(RecordErrors, match=r"nodes\[0\]: mandates: Unknown mandate\(s\) labor"):
        build(empty_graph, [regulator("court", "court", mandates=["labor"])])


# --- the page ---------------------------------------------------------------------------------


def test_the_page_reads_as_a_ladder_top_targets_first_the_rest_collapsed(empty_graph, client):
    build(empty_graph, [harm(), product(), company("corp", "Corp"), country("KE", "Kenya"),
                        *[regulator(f"r{i}", "data_protection", f"Regulator {i}")
                          for i in range(8)]],
          [rel("INVOLVES", "harm", "app"), rel("OCCURRED_IN", "harm", "ke"),
           rel("OPERATES", "corp", "app"),
           *[rel("HAS_JURISDICTION_OVER", f"r{i}", "ke") for i in range(8)]])
    page = client.get("/harms/harm").get_data(as_text=True)
    assert "Start here: the first target on each rung" in page
    # 5 shown (TOP_PER_RUNG); the rest behind a link, rendered only when asked for
    assert '<a href="/harms/harm?all=regulator#rung-regulator">and 3 more regulators</a>' in page
    assert 'id="target-regulator-r4"' in page and 'id="target-regulator-r5"' not in page
    whole = client.get("/harms/harm?all=regulator").get_data(as_text=True)
    assert "<summary>and 3 more regulators</summary>" in whole
    assert whole.index('id="target-regulator-r0"') < whole.index("and 3 more regulators") \
        < whole.index('id="target-regulator-r5"')
    assert " style=" not in page and "<script>" not in page


# --- the seed: the three regulators an advocate in that country would name --------------------

# Evaluated on 2026-12-15, after Chile's Law 21.719 came into force (1 December 2026), so the
# answer does not change with the day the tests run. Order within the three may tie.
SEED_TOP_THREE = {
    "harm-rohingya-facebook-incitement": (
        {"un-human-rights-council", "un-iimm", "icj"},
        "Myanmar: the Human Rights Council set up the fact-finding mission and the IIMM and holds "
        "Meta to the UN Guiding Principles; the IIMM builds the criminal files (Facebook gave it "
        "data); the ICJ hears The Gambia v. Myanmar under the Genocide Convention."),
    "harm-myanmar-messenger-chain-letters-2017": (
        {"un-human-rights-council", "un-iimm", "icj"},
        "The same Myanmar atrocity context as the Rohingya case, for the 2017 chain letters."),
    "harm-nigeria-meta-whatsapp-data": (
        {"ndpc", "fccpc", "ccpt-nigeria"},
        "Nigeria: the data protection commission investigated WhatsApp with the FCCPC, which "
        "fined Meta USD 220m; the tribunal upheld the fine in April 2025."),
    "harm-nigeria-twitter-ban-2021": (
        {"ncc-nigeria", "ecowas-court", "achpr"},
        "Nigeria: the NCC ordered operators to block Twitter; the ECOWAS Court held the ban "
        "unlawful; the African Commission rules on shutdowns and censorship."),
    "harm-kenya-meta-moderators-labour": (
        {"kenya-elrc", "us-ncp", "kenya-high-court"},
        "Kenya: the Employment and Labour Relations Court hears the moderators' cases; the US "
        "OECD contact point takes complaints against Meta at headquarters; the High Court "
        "affirmed jurisdiction over Meta."),
    "harm-kenya-2024-internet-disruption": (
        {"ca-kenya", "kenya-high-court", "achpr"},
        "Kenya: the Communications Authority regulates the operators (and promised no "
        "shutdown); the High Court hears constitutional petitions; the African Commission "
        "condemns shutdowns."),
    "harm-kenya-telegram-blocking": (
        {"ca-kenya", "kenya-high-court", "achpr"},
        "Kenya, the same three for the blocking of Telegram during exams."),
    "harm-ethiopia-tigray-shutdown": (
        {"ethiopian-communications-authority", "achpr"},
        "Ethiopia: the communications authority licenses Ethio Telecom; the African Commission "
        "(the seed records no other body for Ethiopia)."),
    "harm-ethiopia-facebook-incitement": (
        {"us-ncp", "kenya-high-court", "achpr"},
        "Ethiopia: the High Court of Kenya has the Tigray-war petitions against Meta before it; "
        "the US OECD contact point at Meta's headquarters; the African Commission."),
    "harm-senegal-2023-shutdowns": (
        {"artp-senegal", "ecowas-court", "achpr"},
        "Senegal: ARTP regulates Sonatel; the ECOWAS Court and the African Commission rule on "
        "shutdowns in member states."),
    "harm-tanzania-2020-election-restrictions": (
        {"tcra", "achpr", "icasa"},
        "Tanzania: TCRA licenses Vodacom Tanzania; the African Commission; ICASA oversees "
        "Vodacom Group, its parent, from South Africa."),
    "harm-chile-subscriber-data-disclosure": (
        {"agencia-proteccion-datos-chile", "subtel", "consejo-para-la-transparencia"},
        "Chile: the new data protection agency (Law 21.719), SUBTEL (telecom law, interception "
        "and retention rules) and the Consejo para la Transparencia (data held by the "
        "prosecutors and police who ask)."),
    "harm-chile-metadata-retention": (
        {"agencia-proteccion-datos-chile", "subtel", "consejo-para-la-transparencia"},
        "Chile, the same three for metadata retention (the 2017 'Decreto Espía')."),
    "harm-operacion-huracan": (
        {"agencia-proteccion-datos-chile", "subtel", "consejo-para-la-transparencia"},
        "Chile, the same three for the fabricated WhatsApp intercepts of Operación Huracán."),
}


@pytest.mark.seed
@pytest.mark.parametrize("harm_id", sorted(SEED_TOP_THREE))
def test_seed_top_three_regulators_are_the_ones_an_advocate_there_would_name(seed_graph,
                                                                             harm_id):
    expected, _reason = SEED_TOP_THREE[harm_id]
    result = escalation.escalate(seed_graph, harm_id, kinds="regulator", as_of="2026-12-15")
    top = rung(result, "regulator")["targets"][:3]
    assert {t["id"] for t in top} == expected
    assert all("relevance" in t["details"] for t in top)


@pytest.mark.seed
def test_seed_every_harm_has_its_expectation():
    from graphapp import seeding

    harms = {n["id"] for _where, n in seeding.read_seed()[0] if n["label"] == "Harm"}
    assert harms == set(SEED_TOP_THREE)


@pytest.mark.seed
def test_seed_rohingya_in_2018_dated_evidence_only_drops_undated_oversight(seed_graph):
    rohingya = "harm-rohingya-facebook-incitement"
    shown = escalation.escalate(seed_graph, rohingya, kinds="regulator", as_of="2018-06")
    dsa = target(shown, "regulator", "ec-dg-connect")
    assert dsa["caveat"].startswith("Start unknown:")
    dated = escalation.escalate(seed_graph, rohingya, kinds="regulator", as_of="2018-06",
                                dated_only=True)
    assert "ec-dg-connect" not in ids(dated, "regulator")
    assert "un-iimm" not in ids(dated, "regulator")  # established in 2018, from 2019 on Myanmar
