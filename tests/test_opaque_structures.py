"""Opaque structures (issue 15): nothing a beneficial-ownership disclosure says is lost.

Each case is a small BODS 0.4 package in tests/fixtures/bods/opaque/ (see its README), shaped
like the standard's own examples, with the stakes, control and markers it must give.
"""

import json
from pathlib import Path

from graphapp.io import bods_export, ftm, pipeline
from tests.import_helpers import counts, node, problems, rels, run, write

OPAQUE = Path(__file__).parent / "fixtures" / "bods" / "opaque"
GLEIF = Path(__file__).parent / "fixtures" / "gleif"


def edges(graph, rel_type=None):
    return sorted((r["from"], r["type"], r["to"]) for r in rels(graph, rel_type))


def labels(graph):
    return {n: node(graph, n)["labels"][0] for n in (
        r["id"] for r in graph.driver.execute_query("MATCH (n:Entity) RETURN n.id AS id").records)}


# --- 1. every interest type is kept -----------------------------------------------------------


def test_a_trust_keeps_its_settlor_trustees_protector_and_anonymous_beneficiary(empty_graph):
    report = run(empty_graph, OPAQUE / "trust.json")
    assert report.ok and report.notes == [], (problems(report), report.notes)
    assert labels(empty_graph) == {
        "bods:acme": "Company", "bods:trust": "Arrangement", "bods:settlor": "Person",
        "bods:trustee-1": "Person", "bods:trustee-2": "Company", "bods:protector": "Person",
        "bods:beneficiary": "Undisclosed"}
    assert node(empty_graph, "bods:trust")["arrangement_type"] == "trust"
    parties = {(r["from"], r["role"], r.get("pct_min"), r.get("pct_max"), r["start_date"])
               for r in rels(empty_graph, "PARTY_TO")}
    assert parties == {
        ("bods:settlor", "settlor", None, None, "2015-06-01"),
        ("bods:trustee-1", "trustee", None, None, "2015-06-01"),
        ("bods:trustee-2", "trustee", None, None, "2018-01-01"),
        ("bods:protector", "protector", None, None, "2015-06-01"),
        ("bods:beneficiary", "beneficiary", 25.0, 50.0, "2015-06-01")}
    beneficiary = next(r for r in rels(empty_graph, "PARTY_TO") if r["role"] == "beneficiary")
    assert (beneficiary["beneficial_ownership"], beneficiary["direct_or_indirect"],
            beneficiary["interests"]) == (True, "direct", ["beneficiaryOfLegalArrangement"])
    [held] = rels(empty_graph, "OWNS")
    assert (held["from"], held["to"], held["economic_pct"], held["voting_pct"]) == (
        "bods:trust", "bods:acme", 40.0, 40.0)
    anonymous = node(empty_graph, "bods:beneficiary")
    assert (anonymous["reason"], anonymous["party_kind"], anonymous["reason_text"]) == (
        "interestedPartyExemptFromDisclosure", "person",
        "Minor: protected under the register's rules")


def test_a_nomination_keeps_the_nominee_and_the_nominator(empty_graph):
    assert run(empty_graph, OPAQUE / "nomination.json").ok
    assert edges(empty_graph) == [
        ("bods:nominator", "PARTY_TO", "bods:nomination"),
        ("bods:nominee", "OWNS", "bods:corazones"),
        ("bods:nominee", "PARTY_TO", "bods:nomination")]
    assert {r["from"]: r["role"] for r in rels(empty_graph, "PARTY_TO")} == {
        "bods:nominator": "nominator", "bods:nominee": "nominee"}
    assert node(empty_graph, "bods:nomination")["arrangement_type"] == "nomination"


def test_a_state_and_its_ministry_are_states_not_companies(empty_graph):
    assert run(empty_graph, OPAQUE / "state.json").ok
    republic, ministry = node(empty_graph, "bods:republic"), node(empty_graph, "bods:ministry")
    assert (republic["labels"], republic["state_kind"]) == (["State"], "state")
    assert (ministry["labels"], ministry["state_kind"], ministry["body_type"]) == (
        ["State"], "stateBody", "governmentDepartment")
    [control] = rels(empty_graph, "CONTROLS")
    assert (control["from"], control["to"], control["means"]) == (
        "bods:republic", "bods:ministry", "otherInfluenceOrControl: a ministry of the state")
    [stake] = rels(empty_graph, "OWNS")
    assert (stake["from"], stake["economic_pct"], stake["voting_pct"]) == (
        "bods:ministry", 51.0, 51.0)


def test_every_other_interest_type_is_kept(empty_graph):
    assert run(empty_graph, OPAQUE / "interest-types.json").ok
    [stake] = rels(empty_graph, "OWNS")
    assert stake["economic_pct"] == 20.0  # the first economic right that states a share
    assert stake["interests"] == [
        "rightsToSurplusAssetsOnDissolution", "rightsToProfitOrIncome",
        "enjoymentAndUseOfAssets", "rightToProfitOrIncomeFromAssets", "unknownInterest",
        "unpublishedInterest"]
    [control] = rels(empty_graph, "CONTROLS")
    assert control["interests"] == ["rightsGrantedByContract",
                                    "conditionalRightsGrantedByContract",
                                    "controlViaCompanyRulesOrArticles", "controlByLegalFramework"]
    assert control["means"].startswith("rightsGrantedByContract: shareholders' agreement")
    assert sorted((r["kind"], r["title"]) for r in rels(empty_graph, "HOLDS_ROLE")) == [
        ("board", "Board chair"), ("executive", "CFO")]


def test_a_nomination_holding_a_board_seat_as_the_standard_draws_it(empty_graph):
    """The standard's own nomination example: the nomination holds the board seat, the nominee
    and the nominator are parties to it, and the register declares the nominator's indirect
    control through it."""
    report = run(empty_graph, OPAQUE / "nomination-board.json")
    assert report.ok and report.notes == [], (problems(report), report.notes)
    assert edges(empty_graph) == [
        ("bods:nb-nomination", "CONTROLS", "bods:plata"),
        ("bods:nb-nominator", "HOLDS_INDIRECTLY", "bods:plata"),
        ("bods:nb-nominator", "PARTY_TO", "bods:nb-nomination"),
        ("bods:nb-nominee", "PARTY_TO", "bods:nb-nomination")]
    [seat] = rels(empty_graph, "CONTROLS")
    assert (seat["means"], seat["start_date"]) == ("boardMember", "2023-04-30")
    [declared] = rels(empty_graph, "HOLDS_INDIRECTLY")
    assert (declared["means"], declared["via"], declared["beneficial_ownership"],
            declared.get("economic_pct"), declared.get("voting_pct")) == (
        "otherInfluenceOrControl", ["bods:nb-nomination"], True, None, None)


def test_officers_the_register_does_not_name_control_by_their_post(empty_graph):
    """An anonymous person's board seat and post, and an unnamed party's post, are kept (as
    control by that means: a role is a named Person's)."""
    report = run(empty_graph, OPAQUE / "unnamed-officers.json")
    assert report.ok and report.notes == [], (problems(report), report.notes)
    assert sorted((r["from"], r["means"], r["start_date"])
                  for r in rels(empty_graph, "CONTROLS")) == [
        ("bods:uo-anon", "boardMember, seniorManagingOfficial: Managing director", "2022-01-01"),
        ("bods:uo-r-unnamed-undisclosed", "seniorManagingOfficial", "2023-06-01")]
    assert (node(empty_graph, "bods:uo-anon")["labels"],
            node(empty_graph, "bods:uo-anon")["reason"]) == (
        ["Undisclosed"], "interestedPartyExemptFromDisclosure")
    assert rels(empty_graph, "HOLDS_ROLE") == []


# --- 2. declared beside computed ----------------------------------------------------------------


def test_a_declared_indirect_interest_is_stored_with_its_chain(empty_graph):
    report = run(empty_graph, OPAQUE / "declared-indirect.json")
    assert report.ok and report.notes == [], report.notes
    [declared] = rels(empty_graph, "HOLDS_INDIRECTLY")
    assert (declared["from"], declared["to"], declared["economic_pct"], declared["voting_pct"],
            declared["via"], declared["beneficial_ownership"]) == (
        "bods:p1", "bods:co-b", 60.0, 60.0, ["bods:co-a"], True)
    # the chain's hops are written as they are, their shares unknown
    assert sorted((r["from"], r["to"], r.get("economic_pct")) for r in rels(empty_graph, "OWNS")
                  ) == [("bods:co-a", "bods:co-b", None), ("bods:p1", "bods:co-a", None)]


def test_a_statement_with_direct_and_indirect_interests_keeps_both(empty_graph):
    assert run(empty_graph, OPAQUE / "mixed-direct-indirect.json").ok
    direct = {(r["from"], r["to"]): r["economic_pct"] for r in rels(empty_graph, "OWNS")}
    assert direct == {("bods:mx-p1", "bods:mx-b"): 50.0, ("bods:mx-p1", "bods:mx-c"): 100.0,
                      ("bods:mx-c", "bods:mx-b"): 50.0}
    [declared] = rels(empty_graph, "HOLDS_INDIRECTLY")
    assert (declared["economic_pct"], declared["via"]) == (50.0, ["bods:mx-c"])


# --- 3. opacity is data -------------------------------------------------------------------------


REASONS = ["noBeneficialOwners", "subjectUnableToConfirmOrIdentifyBeneficialOwner",
           "interestedPartyHasNotProvidedInformation", "subjectExemptFromDisclosure",
           "interestedPartyExemptFromDisclosure", "unknown", "informationUnknownToPublisher"]


def test_every_unspecified_reason_is_a_marker_on_its_company(empty_graph):
    report = run(empty_graph, OPAQUE / "unspecified-reasons.json")
    assert report.ok and report.notes == [], report.notes
    markers = {r["to"]: node(empty_graph, r["from"]) for r in rels(empty_graph, "OWNS")}
    assert [markers[f"bods:co-{k}"]["reason"] for k in range(1, 8)] == REASONS
    assert [markers[f"bods:co-{k}"]["reason_text"] for k in range(1, 8)] == [
        f"Stated reason {k}" for k in range(1, 8)]
    assert markers["bods:co-4"]["name"] == ("Owners undisclosed: the company is exempt from "
                                            "disclosure (e.g. a listed company)")
    exempt = next(r for r in rels(empty_graph, "OWNS") if r["to"] == "bods:co-4")
    assert (exempt["pct_min"], exempt["pct_max"]) == (25.0, 100.0)


def test_gleif_reporting_exceptions_are_markers_with_their_reason(empty_graph):
    report = run(empty_graph, GLEIF / "lei-data.xml", GLEIF / "repex-data.xml")
    assert report.ok, problems(report)
    found = sorted((r["from"], r["to"], r["means"]) for r in rels(empty_graph, "CONTROLS"))
    assert found == [
        ("lei:001GPB6A9XPE8XJICC14-direct-undisclosed", "lei:001GPB6A9XPE8XJICC14",
         "IS_DIRECTLY_CONSOLIDATED_BY (not reported)"),
        ("lei:001GPB6A9XPE8XJICC14-ultimate-undisclosed", "lei:001GPB6A9XPE8XJICC14",
         "IS_ULTIMATELY_CONSOLIDATED_BY (not reported)"),
        ("lei:004L5FPTUREIWK9T2N63-ultimate-undisclosed", "lei:004L5FPTUREIWK9T2N63",
         "IS_ULTIMATELY_CONSOLIDATED_BY (not reported)"),
        ("lei:5493001Z012YSB2A0K51-direct-undisclosed", "lei:5493001Z012YSB2A0K51",
         "IS_DIRECTLY_CONSOLIDATED_BY (not reported)")]
    marker = node(empty_graph, "lei:004L5FPTUREIWK9T2N63-ultimate-undisclosed")
    assert (marker["labels"], marker["reason"]) == (["Undisclosed"], "NON_PUBLIC")
    assert marker["reason_text"] == ("GLEIF reporting exception (ULTIMATE_ACCOUNTING_CONSOLIDATION"
                                     "_PARENT): NON_PUBLIC, DISCLOSURE_DETRIMENTAL. Reference: "
                                     "Parent's consent refused")


def test_a_large_exceptions_file_is_streamed_like_the_other_gleif_files(empty_graph):
    report = run(empty_graph, GLEIF / "repex-data.xml", stream_bytes=100)
    assert report.ok, problems(report)
    assert report.transactions == 1 and counts(empty_graph) == (4 + 3, 4)


def test_an_unknown_exception_reason_names_the_record(empty_graph, tmp_path):
    bad = (GLEIF / "repex-data.xml").read_text().replace("NON_CONSOLIDATING", "SHY", 1)
    report = run(empty_graph, write(tmp_path / "repex.xml", bad))
    assert [(p.row, p.column) for p in report.problems] == [(4, "Exception")]
    assert "'SHY' is not a GLEIF exception reason" in report.problems[0].message
    assert counts(empty_graph) == (0, 0)


# --- 5. people are never merged on a name alone --------------------------------------------------


def test_people_merge_on_an_identifier_or_a_date_of_birth_never_on_a_name(empty_graph):
    report = run(empty_graph, OPAQUE / "people-a.json", OPAQUE / "people-b.json")
    assert report.ok
    people = {r["name"]: r for r in (node(empty_graph, i) for i, label in
                                     labels(empty_graph).items() if label == "Person")}
    # two "Person 1" (name and nationality only): two people
    assert sorted(i for i, label in labels(empty_graph).items()
                  if label == "Person" and node(empty_graph, i)["name"] == "Person 1") == [
        "bods:alpha-p1", "bods:beta-p1"]
    assert "Jane Doe" in people and "John Roe" in people  # one node each, merged
    assert set(people) == {"Person 1", "Jane Doe", "John Roe"}
    assert people["John Roe"]["aliases"] == ["Johnny Roe"]
    reasons = sorted(a.reason for a in report.plan.actions if a.kind == "merge")
    assert reasons == ["another record in this import has the same name ('jane doe') and date "
                       "of birth 1980-01-15",
                       "another record in this import has the same personal identifier (as "
                       "the register gives it)"]
    assert [(p["id"], p["other_id"], p["why_not_merged"]) for p in report.plan.possible] == [
        ("bods:beta-p1", "bods:alpha-p1",
         "same name, but no shared identifier or date of birth")]
    assert "QQ" not in json.dumps(people["John Roe"])  # the number itself is never stored


def test_a_later_import_keeps_same_named_people_apart_from_the_graphs(empty_graph):
    """The same rule against people already in the graph: a date of birth or an identifier
    merges, a name alone is a "possible same person" (in the graph)."""
    assert run(empty_graph, OPAQUE / "people-a.json").ok
    report = run(empty_graph, OPAQUE / "people-b.json")
    assert report.ok
    assert sorted((a.id, a.incoming_id) for a in report.plan.actions if a.kind == "merge") == [
        ("bods:alpha-p2", "bods:beta-p2"), ("bods:alpha-p3", "bods:beta-p3")]
    assert [(p["id"], p["other_id"], p["where"]) for p in report.plan.possible] == [
        ("bods:beta-p1", "bods:alpha-p1", "in the graph")]
    assert sum(label == "Person" for label in labels(empty_graph).values()) == 4


def test_match_people_by_name_opts_in(empty_graph):
    report = run(empty_graph, OPAQUE / "people-a.json", OPAQUE / "people-b.json",
                 people_by_name=True)
    assert report.ok and report.plan.possible == []
    assert sum(label == "Person" for label in labels(empty_graph).values()) == 3


def test_dry_run_lists_possible_same_people(graphapp_cli, empty_graph):
    out = graphapp_cli(["import", "--dry-run", "--no-progress", str(OPAQUE / "people-a.json"),
                        str(OPAQUE / "people-b.json")])
    assert out.exit_code == 0, out.output
    assert ("possible same person: 'bods:beta-p1' (Person 1) and 'bods:alpha-p1' (Person 1, in "
            "this import): same name, but no shared identifier or date of birth; not merged"
            ) in out.output
    assert counts(empty_graph) == (0, 0)


# --- 6. round trip ------------------------------------------------------------------------------


def shape(graph):
    """Everything a round trip must keep: nodes (label, name, kind fields), relationships
    (ends, type, figures, what the disclosure said)."""
    nodes = sorted(
        (i, n["labels"][0], n["name"], n.get("arrangement_type"), n.get("state_kind"),
         n.get("body_type"), n.get("reason"), n.get("jurisdiction"))
        for i, n in ((i, node(graph, i)) for i in labels(graph)))
    keys = ("economic_pct", "voting_pct", "pct_min", "pct_max", "role", "means", "via",
            "start_date", "end_date", "direct_or_indirect", "beneficial_ownership", "title",
            "kind")
    edges_ = sorted((r["from"], r["type"], r["to"], *(json.dumps(r.get(k)) for k in keys))
                    for r in rels(graph))
    return nodes, edges_


ALL = ["trust.json", "nomination.json", "state.json", "declared-indirect.json",
       "mixed-direct-indirect.json", "unspecified-reasons.json", "interest-types.json",
       "nomination-board.json", "listed-exempt.json", "unnamed-officers.json"]


def test_the_bods_export_is_valid_and_imports_back_to_the_same_graph(empty_graph, tmp_path):
    report = run(empty_graph, *(OPAQUE / f for f in ALL))
    assert report.ok, problems(report)
    before = shape(empty_graph)
    exported = bods_export.export_statements(empty_graph, include_sensitive=True,
                                             today="2024-05-06")
    assert bods_export.schema_problems(exported) == []
    path = write(tmp_path / "export.json", json.dumps(exported))
    empty_graph.write_autocommit("records.delete_all")
    report = run(empty_graph, path)
    assert report.ok, problems(report)
    assert report.notes == []
    assert shape(empty_graph) == before


def test_the_gleif_exceptions_export_to_bods_and_back(empty_graph, tmp_path):
    """GLEIF's parents and parents not reported go out as BODS and come back the same: the
    markers' names, the relationship types as their means."""
    assert run(empty_graph, GLEIF / "lei-data.xml", GLEIF / "rr-data.xml",
               GLEIF / "repex-data.xml").ok
    before = shape(empty_graph)
    exported = bods_export.export_statements(empty_graph, today="2024-05-06")
    assert bods_export.schema_problems(exported) == []
    reasons = {s["recordDetails"]["interestedParty"]["description"].split("]")[0]
               for s in exported if s["recordType"] == "relationship"
               and isinstance(s["recordDetails"]["interestedParty"], dict)}
    assert reasons == {"[GLEIF NATURAL_PERSONS", "[GLEIF NON_PUBLIC", "[GLEIF NON_CONSOLIDATING"}
    path = write(tmp_path / "export.json", json.dumps(exported))
    empty_graph.write_autocommit("records.delete_all")
    assert run(empty_graph, path).ok
    marker = node(empty_graph, "lei:004L5FPTUREIWK9T2N63-ultimate-undisclosed")
    assert (marker["labels"], marker["reason"]) == (["Undisclosed"], "NON_PUBLIC")
    assert shape(empty_graph) == before
    assert marker["name"] == ("Ultimate parent not reported: the parent's identity is not "
                              "public; disclosure would be detrimental to the entity or its "
                              "parent")


def test_the_ftm_export_passes_the_followthemoney_model(empty_graph, tmp_path):
    """Every entity loads in followthemoney's own model, with no reference or id it drops."""
    assert run(empty_graph, *(OPAQUE / f for f in ALL), GLEIF / "lei-data.xml",
               GLEIF / "rr-data.xml", GLEIF / "repex-data.xml").ok
    entities = list(ftm.export_entities(empty_graph, include_sensitive=True))
    assert ftm_rejects(entities) == []
    assert len(entities) > 40
    # and the export reads back: same nodes, kinds and relationships
    before = shape(empty_graph)
    path = write(tmp_path / "export.jsonl",
                 "\n".join(json.dumps(e) for e in entities) + "\n")
    empty_graph.write_autocommit("records.delete_all")
    report = run(empty_graph, path)
    assert report.ok, problems(report)
    after = shape(empty_graph)
    assert sorted(e[:3] for e in after[1]) == sorted(e[:3] for e in before[1])
    assert [n[:2] for n in after[0]] == [n[:2] for n in before[0]]


def ftm_rejects(entities: list[dict]) -> list[str]:
    """Ids, properties, values and references the followthemoney library's model rejects."""
    from followthemoney import model
    from followthemoney.types import registry

    ids = {e["id"] for e in entities}
    rejected = []
    for entity in entities:
        if registry.entity.clean(entity["id"]) != entity["id"]:
            rejected.append(entity["id"])
        schema = model.get_proxy(entity, cleaned=False).schema
        for name, values in entity["properties"].items():
            prop = schema.get(name)
            if prop is None:
                rejected.append(f"{entity['id']}.{name}")
                continue
            for value in values:
                if prop.type == registry.entity:
                    ok = registry.entity.clean(value) == value and value in ids
                else:
                    ok = prop.type.clean(value) is not None
                if not ok:
                    rejected.append(f"{entity['id']}.{name}={value}")
    return rejected


def test_the_seeds_exports_pass_followthemoney_and_libcovebods(seed_graph):
    """The seed, swept: every FtM entity loads in the library's model with nothing rejected,
    and the BODS export passes libcovebods."""
    entities = list(ftm.export_entities(seed_graph, include_sensitive=True))
    assert len(entities) > 300 and ftm_rejects(entities) == []
    statements = bods_export.export_statements(seed_graph, include_sensitive=True,
                                               today="2024-05-06")
    assert len(statements) > 200 and bods_export.schema_problems(statements) == []


def test_pipeline_detects_the_exceptions_file_as_gleif():
    assert pipeline.detect_format(GLEIF / "repex-data.xml") == "gleif"


# --- leverage: declared beside computed, markers, trusts and nominees --------------------------


def test_leverage_shows_the_declared_figure_beside_the_chain_and_uses_it_for_control(
        empty_graph):
    from graphapp import leverage

    run(empty_graph, OPAQUE / "declared-indirect.json")
    result = leverage.company_leverage(empty_graph, "bods:co-b", include_sensitive=True)
    [declared] = result["declared"]
    assert declared["holder"]["name"] == "Person 1"
    assert declared["text"] == (
        "economic: declared 60% (register); computed from the chain: unknown, 0–100%; "
        "voting: declared 60% (register); computed from the chain: unknown, 0–100%")
    assert (declared["disagrees"], declared["chain_gives"]) == (False, False)
    assert [v["name"] for v in declared["via"]] == ["Company A"]
    # the chain cannot give a majority; the register's 60% of the votes does
    assert result["controller"]["ultimate"] is None
    assert result["controller"]["declared"]["holder"]["name"] == "Person 1"
    assert result["controller"]["declared"]["basis"].startswith(
        "declared by the register: 60% of the votes indirectly")
    # a viewer sees the figures, not the private person's name
    hidden = leverage.company_leverage(empty_graph, "bods:co-b")
    assert hidden["declared"][0]["holder"]["name"] == "(withheld: sensitive)"
    assert "Person 1" not in json.dumps(hidden)


def test_a_declared_figure_the_chain_contradicts_is_flagged(empty_graph, tmp_path):
    from graphapp import leverage

    run(empty_graph, Path(__file__).parent / "fixtures" / "bods" / "indirect-ownership.json")
    a = "bods:ad3f6c2fcc9e"
    [agrees] = leverage.company_leverage(empty_graph, a, include_sensitive=True)["declared"]
    assert (agrees["text"], agrees["disagrees"]) == (
        "economic: declared 30% (register); computed from the chain: 30%", False)
    empty_graph.write_autocommit("records.delete_all")
    statements = json.loads((Path(__file__).parent / "fixtures" / "bods" /
                             "indirect-ownership.json").read_text())
    for st in statements:
        for i in st["recordDetails"].get("interests") or []:
            if i.get("directOrIndirect") == "indirect":
                i["share"] = {"exact": 80}
    path = write(tmp_path / "contradicted-indirect.json", json.dumps(statements))
    run(empty_graph, path)
    [found] = leverage.company_leverage(empty_graph, a, include_sensitive=True)["declared"]
    # the hop without a share is derived from the declared 80% and capped at 100%: 60% computed
    assert (found["text"], found["disagrees"]) == (
        "economic: declared 80% (register); computed from the chain: 60%", True)


def test_a_mixed_statement_compares_the_indirect_part_only(empty_graph):
    from graphapp import leverage

    run(empty_graph, OPAQUE / "mixed-direct-indirect.json")
    result = leverage.company_leverage(empty_graph, "bods:mx-b", include_sensitive=True)
    [declared] = result["declared"]
    assert (declared["text"], declared["disagrees"]) == (
        "economic: declared 50% (register); computed from the chain: 50%", False)
    assert sorted((s["holder"]["name"], s["economic_pct"]) for s in result["direct_stakes"]
                  ) == [("Company C", 50.0), ("Person 1", 50.0)]


def test_leverage_names_undisclosed_owners_with_the_reason(empty_graph):
    from graphapp import leverage

    run(empty_graph, OPAQUE / "unspecified-reasons.json")
    [marker] = leverage.company_leverage(empty_graph, "bods:co-4")["undisclosed"]
    assert marker["text"] == ("owners undisclosed: the company is exempt from disclosure "
                              "(e.g. a listed company)")
    assert (marker["share"], marker["direct"]) == ("25–100%", True)
    texts = [leverage.company_leverage(empty_graph, f"bods:co-{k}")["undisclosed"][0]["text"]
             for k in (1, 2, 3, 5, 6, 7)]
    assert texts == [
        "owners undisclosed: no beneficial owners (none meets the threshold)",
        "owners undisclosed: the company cannot confirm or identify its beneficial owner",
        "owners undisclosed: the owner has not provided the information",
        "owners undisclosed: the owner is exempt from disclosure",
        "owners undisclosed: reason unknown",
        "owners undisclosed: unknown to the register"]


def test_a_listed_companys_exemption_with_no_interest_is_a_marker(empty_graph, client):
    """The standard's listed-company example: an unspecifiedRecord and no interest at all."""
    from graphapp import leverage

    report = run(empty_graph, OPAQUE / "listed-exempt.json")
    assert report.ok and report.notes == [], report.notes
    [held] = rels(empty_graph, "OWNS")
    assert (held["from"], held["to"], held.get("economic_pct"), held.get("pct_min"),
            held["note"]) == (
        "bods:r-listed-undisclosed", "bods:listed", None, None,
        "The statement gives no interest: a holding of unknown size.")
    result = leverage.company_leverage(empty_graph, "bods:listed")
    [marker] = result["undisclosed"]
    assert (marker["text"], marker["reason_text"], marker["share"]) == (
        "owners undisclosed: the company is exempt from disclosure (e.g. a listed company)",
        "Listed on a regulated market", None)
    for url in ("/companies/bods:listed/leverage", "/entities/bods:listed"):
        page = client.get(url)
        assert page.status_code == 200
        assert ("Owners undisclosed: the company is exempt from disclosure (e.g. a listed "
                "company)") in page.get_data(as_text=True)


def test_leverage_names_gleif_parents_not_reported(empty_graph, tmp_path):
    from graphapp import leverage

    stake = write(tmp_path / "stake.csv", "type,from,to,confidence,economic_pct\n"
                  "OWNS,lei:004L5FPTUREIWK9T2N63,lei:001GPB6A9XPE8XJICC14,reported,10\n")
    assert run(empty_graph, GLEIF / "lei-data.xml", GLEIF / "repex-data.xml", stake).ok
    found = leverage.company_leverage(empty_graph, "lei:001GPB6A9XPE8XJICC14")["undisclosed"]
    assert [(m["direct"], m["means"], m["text"]) for m in found] == [
        (True, "IS_DIRECTLY_CONSOLIDATED_BY (not reported)",
         "parent not reported: the parent is one or more natural persons"),
        (True, "IS_ULTIMATELY_CONSOLIDATED_BY (not reported)",
         "parent not reported: the parent is one or more natural persons"),
        # and upstream: the 10% holder does not report its own parent either
        (False, "IS_ULTIMATELY_CONSOLIDATED_BY (not reported)",
         "parent not reported: the parent's identity is not public")]


def test_the_trustees_and_protector_of_a_holding_trust_are_people_to_approach(empty_graph):
    from graphapp import leverage

    run(empty_graph, OPAQUE / "trust.json")
    result = leverage.company_leverage(empty_graph, "bods:acme", include_sensitive=True)
    [trust] = result["arrangements"]
    assert (trust["arrangement"]["name"], trust["arrangement_type"], trust["stake"]) == (
        "The Lopez Family Trust", "trust", "40% of Acme Holdings Ltd")
    assert [(p["party"]["name"], p["role"], p["target"]) for p in trust["parties"]] == [
        ("Alan Smith", "trustee", True), ("Island Trustees Ltd", "trustee", True),
        ("Ruth Green", "protector", True), ("Maria Lopez", "settlor", False),
        ("Person undisclosed: the owner is exempt from disclosure", "beneficiary", False)]
    assert trust["parties"][0]["why"] == (
        "trustee of The Lopez Family Trust, which holds 40% of Acme Holdings Ltd: a trustee "
        "holds and votes the arrangement's shares")
    assert trust["parties"][4]["share"] == "25–50%"
    # the anonymous beneficiary is itself a marker on the trust
    assert [m["text"] for m in result["undisclosed"]] == [
        "beneficiary undisclosed: the owner is exempt from disclosure"]
    viewer = leverage.company_leverage(empty_graph, "bods:acme")
    assert [p["party"]["name"] for p in viewer["arrangements"][0]["parties"]][:2] == [
        "(withheld: sensitive)", "Island Trustees Ltd"]


def test_the_nominator_behind_a_nominations_board_seat_is_to_approach(empty_graph, app):
    from graphapp import leverage

    run(empty_graph, OPAQUE / "nomination-board.json")
    result = leverage.company_leverage(empty_graph, "bods:plata", include_sensitive=True)
    [nomination] = result["arrangements"]
    assert (nomination["arrangement"]["name"], nomination["arrangement_type"],
            nomination["stake"]) == ("Campos-Ruiz nomination", "nomination",
                                     "a seat on the board of Plata Mining SA")
    assert [(p["party"]["name"], p["role"], p["target"]) for p in nomination["parties"]] == [
        ("Laura Campos", "nominator", True), ("Diego Ruiz", "nominee", False)]
    assert nomination["parties"][0]["why"] == (
        "nominator of Campos-Ruiz nomination, which holds a seat on the board of Plata Mining "
        "SA: a nominator instructs the nominee")
    [declared] = result["declared"]
    assert (declared["holder"]["name"], declared["text"], declared["disagrees"]) == (
        "Laura Campos", "control: declared (otherInfluenceOrControl)", False)
    assert [(o["holder"]["name"], o["means"]) for o in result["other_control"]] == [
        ("Campos-Ruiz nomination", "boardMember")]
    # a viewer learns there is a nominator to approach, not who
    viewer = leverage.company_leverage(empty_graph, "bods:plata")
    assert [p["party"]["name"] for p in viewer["arrangements"][0]["parties"]] == [
        "(withheld: sensitive)", "(withheld: sensitive)"]
    page = app.test_client(role="viewer").get("/companies/bods:plata/leverage")
    assert "Laura Campos" not in page.get_data(as_text=True)
    assert "a seat on the board of Plata Mining SA" in page.get_data(as_text=True)


def test_a_nominees_principal_is_named(empty_graph):
    from graphapp import leverage

    run(empty_graph, OPAQUE / "nomination.json")
    result = leverage.company_leverage(empty_graph, "bods:corazones", include_sensitive=True)
    assert [n["text"] for n in result["nominees"]] == [
        "Vanessa Rivero holds 25% of Los Corazones de Plata as nominee for Silvia Perez "
        "(Perez-Rivero nomination)"]


def test_a_state_above_its_ministry_is_the_ultimate_controller(empty_graph, client):
    from graphapp import leverage

    run(empty_graph, OPAQUE / "state.json")
    controller = leverage.company_leverage(empty_graph, "bods:telco")["controller"]
    assert (controller["ultimate"]["name"], controller["ultimate"]["labels"]) == (
        "Republic of Examplia", ["State"])
    assert [(n["name"], n["controlled_votes_pct"], n.get("means")) for n in controller["path"]
            ] == [("National Telecom SA", 51.0, None), ("Ministry of Digital Affairs", None, None),
                  ("Republic of Examplia", None,
                   "otherInfluenceOrControl: a ministry of the state")]
    assert controller["above"] == [] and controller["possible_ultimate"] is None
    assert controller["basis"].endswith("a state controls its state bodies (the control "
                                        "without shares above the body is followed)")
    page = client.get("/companies/bods:telco/leverage").get_data(as_text=True)
    assert "Ultimate controller: <a" in page and "Republic of Examplia</a></strong>" in page
    assert ("controls Ministry of Digital Affairs without shares (otherInfluenceOrControl: a "
            "ministry of the state)") in page


def test_the_leverage_command_says_what_the_registers_say(graphapp_cli, empty_graph):
    """The terminal's table carries the same as the page: declared beside computed, undisclosed
    owners and why, who to approach behind an arrangement; names withheld without --sensitive."""
    run(empty_graph, OPAQUE / "declared-indirect.json", OPAQUE / "trust.json",
        OPAQUE / "listed-exempt.json")
    out = graphapp_cli(["leverage", "bods:co-b", "--sensitive"]).output
    assert ("Declared: Person 1: economic: declared 60% (register); computed from the chain: "
            "unknown, 0–100%; voting: declared 60% (register); computed from the chain: unknown, "
            "0–100% (through Company A)") in out
    assert "Declared controller: Person 1  (declared by the register: 60% of the votes" in out
    out = graphapp_cli(["leverage", "bods:acme"]).output
    assert ("Behind The Lopez Family Trust (trust, holds 40% of Acme Holdings Ltd):\n"
            "  (withheld: sensitive): trustee; to approach: a trustee holds and votes the "
            "arrangement's shares\n  Island Trustees Ltd: trustee; to approach") in out
    assert "Alan Smith" not in out
    out = graphapp_cli(["leverage", "bods:listed"]).output
    assert ("! Owners undisclosed: the company is exempt from disclosure (e.g. a listed "
            "company) [Listed on a regulated market]") in out


# --- escalation: trusts, nominees and undisclosed owners in the ladder ----------------------------


def _harm_on(graph, tmp_path, company_id):
    """A harm involving ``company_id`` (the escalation starts there)."""
    nodes = write(tmp_path / "nodes.csv", "label,id,name,harm_type\nHarm,h,Leak,privacy_breach\n")
    edges = write(tmp_path / "edges.csv",
                  f"type,from,to,confidence\nINVOLVES,h,{company_id},reported\n")
    assert run(graph, nodes, edges).ok


def _investors(graph, tmp_path, fixture, company_id):
    """Import ``fixture``, start a harm at ``company_id``: the investor rung's targets by name."""
    from graphapp import escalation

    run(graph, OPAQUE / fixture)
    _harm_on(graph, tmp_path, company_id)
    result = escalation.escalate(graph, "h", include_sensitive=True)
    return {t["name"]: t for r in result["rungs"] if r["rung"] == "investor"
            for t in r["targets"]}


def test_trustees_protector_and_a_nominees_principal_are_escalation_targets(empty_graph,
                                                                            tmp_path):
    investors = _investors(empty_graph, tmp_path, "trust.json", "bods:acme")
    assert set(investors) == {"The Lopez Family Trust", "Alan Smith", "Island Trustees Ltd",
                              "Ruth Green"}
    assert investors["Alan Smith"]["why"] == (
        "Alan Smith is trustee of The Lopez Family Trust, which holds 40% of the votes and 40% "
        "of the economic interest of Acme Holdings Ltd: a trustee holds and votes the "
        "arrangement's shares.")
    assert investors["Ruth Green"]["details"]["role"] == "protector"
    assert investors["Alan Smith"]["route"] == "arrangement"

    empty_graph.write_autocommit("records.delete_all")
    investors = _investors(empty_graph, tmp_path, "nomination.json", "bods:corazones")
    assert investors["Silvia Perez"]["why"] == (
        "Silvia Perez is the principal behind Vanessa Rivero, who holds 25% of the economic "
        "interest of Los Corazones de Plata as nominee (Perez-Rivero nomination): the nominee "
        "acts on Silvia Perez's instructions.")


def test_the_nominator_of_a_board_seat_is_an_escalation_target(empty_graph, tmp_path):
    investors = _investors(empty_graph, tmp_path, "nomination-board.json", "bods:plata")
    assert investors["Laura Campos"]["why"] == (
        "Laura Campos is nominator of Campos-Ruiz nomination, which controls Plata Mining SA "
        "(boardMember): a nominator instructs the nominee who exercises them.")
    # the register's declaration of her control, no figure: control, not a stake
    [declared] = [a for a in investors["Laura Campos"]["also"] if a["route"] == "direct"]
    assert declared["why"] == (
        "Laura Campos controls Plata Mining SA indirectly (otherInfluenceOrControl), as the "
        "register declares (the intermediaries need not be recorded here).")


def test_a_state_controlling_its_ministry_is_an_escalation_target(empty_graph, tmp_path):
    investors = _investors(empty_graph, tmp_path, "state.json", "bods:telco")
    assert investors["Republic of Examplia"]["why"] == (
        "Republic of Examplia controls Ministry of Digital Affairs (otherInfluenceOrControl: a "
        "ministry of the state), which holds a stake in National Telecom SA: about 51% of the "
        "votes through the chain, and a say at its meetings.")


def test_a_gleif_parent_not_reported_is_flagged_in_the_ladder(empty_graph, tmp_path):
    from graphapp import escalation

    assert run(empty_graph, GLEIF / "lei-data.xml", GLEIF / "repex-data.xml").ok
    _harm_on(empty_graph, tmp_path, "lei:5493001Z012YSB2A0K51")
    result = escalation.escalate(empty_graph, "h")
    [marker] = [t for r in result["rungs"] if r["rung"] == "investor" for t in r["targets"]]
    assert marker["flags"] == [
        "parent not reported: the parent does not prepare consolidated accounts"]
    assert marker["why"].endswith(
        "does not report its controlling parent (the parent does not prepare consolidated "
        "accounts): ask " + marker["details"]["company"] + " and its regulator who controls it.")


def test_undisclosed_owners_are_flagged_in_the_ladder(empty_graph, tmp_path):
    from graphapp import escalation

    run(empty_graph, OPAQUE / "unspecified-reasons.json")
    _harm_on(empty_graph, tmp_path, "bods:co-4")
    result = escalation.escalate(empty_graph, "h")
    [marker] = [t for r in result["rungs"] if r["rung"] == "investor" for t in r["targets"]]
    assert marker["flags"] == ["owners undisclosed: the company is exempt from disclosure "
                               "(e.g. a listed company)"]
    assert marker["why"].startswith("Company 4's owners are not disclosed (the company is exempt")


def test_exports_carry_the_undisclosed_owners_and_the_declared_figures(empty_graph, tmp_path):
    """Opacity is data in an export too: the company and escalation views say which owners a
    register does not name, and the declared figures beside the chain, with names withheld as
    the reader may see them."""
    from graphapp import exports

    run(empty_graph, OPAQUE / "unspecified-reasons.json", OPAQUE / "declared-indirect.json")
    view = exports.company_view(empty_graph, "bods:co-4")
    assert ("Owners undisclosed: the company is exempt from disclosure (e.g. a listed company)"
            in view.notes)
    declared = exports.company_view(empty_graph, "bods:co-b").notes
    assert ("(withheld: sensitive): economic: declared 60% (register); computed from the chain: "
            "unknown, 0–100%; voting: declared 60% (register); computed from the chain: unknown, "
            "0–100%") in declared
    assert "Person 1" not in json.dumps(declared)
    _harm_on(empty_graph, tmp_path, "bods:co-4")
    ladder = exports.escalation_view(empty_graph, "h")
    assert ("Company 4: owners undisclosed: the company is exempt from disclosure (e.g. a listed "
            "company)") in ladder.notes
    assert ladder.nodes["bods:r-4-undisclosed"]["extra"]["flags"] == [
        "owners undisclosed: the company is exempt from disclosure (e.g. a listed company)"]


def test_the_review_page_lists_possible_same_people(empty_graph, app, client):
    run(empty_graph, OPAQUE / "people-a.json", OPAQUE / "people-b.json")
    page = client.get("/review/people").get_data(as_text=True)
    assert "Possible same person" in page
    assert page.count('href="/entities/bods:alpha-p1"') == 1
    assert page.count('href="/entities/bods:beta-p1"') == 1
    assert "Jane Doe" not in page  # merged on name and date of birth: one person
    # BODS people are sensitive: a viewer sees none of them
    viewer = app.test_client(role="viewer")
    assert "bods:alpha-p1" not in viewer.get("/review/people").get_data(as_text=True)


def test_escalation_uses_the_declared_figure_where_the_chain_gives_none(empty_graph, tmp_path):
    investors = _investors(empty_graph, tmp_path, "declared-indirect.json", "bods:co-b")
    person = investors["Person 1"]
    assert (person["details"]["voting_pct"], person["details"]["economic_pct"]) == (60.0, 60.0)
    assert person["why"] == (
        "Person 1 holds 60% of the votes and 60% of the economic interest of Company B "
        "indirectly, as the register declares (the intermediaries need not be recorded here), "
        "and so has a say at its meetings.")
