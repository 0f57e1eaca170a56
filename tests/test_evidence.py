"""Evidence you can cite: source tiers, the rules, staleness, the quality report (docs/evidence.md).

Small named graphs with exact answers; the seed's own figures are swept in tests/test_seed.py.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from marshmallow import ValidationError

from graphapp import escalation, evidence, seeding
from graphapp.evidence import quality
from graphapp.store import records, schemas
from tests.auth_helpers import client_as
from tests.graphs import build

SEC = "https://www.sec.gov/Archives/edgar/data/1326801/proxy-2024.htm"
NYT = "https://www.nytimes.com/2018/04/09/business/facebook-myanmar.html"
NYT2 = "https://www.nytimes.com/2018/04/10/technology/other.html"
VERGE = "https://www.theverge.com/2018/5/18/coalition"
WIKI = "https://en.wikipedia.org/wiki/Meta_Platforms"
BLOG = "https://blog.bake.co.ke/2024/11/11/keepiton-telegram/"
HOME = "https://www.amnesty.org/en/"


# --- tiers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("url, tier", [
    (SEC, "primary"),                                           # a listed host, www. dropped
    ("https://efts.sec.gov/LATEST/search-index?q=x", "primary"),  # a subdomain of a listed one
    (NYT, "secondary"),
    (WIKI, "tertiary"),
    ("https://fr.wikipedia.org/wiki/Sonatel", "tertiary"),
    ("https://unknown-site.example/page", "tertiary"),          # not listed: the default
])
def test_a_source_takes_the_tier_of_its_site(url, tier):
    assert evidence.tier_of(url) == tier


def test_an_override_beats_the_table():
    assert evidence.tier_of(BLOG, "primary") == "primary"
    assert evidence.tiers_of([BLOG, WIKI], ["primary", ""]) == ["primary", "tertiary"]


@pytest.mark.parametrize("url, home", [
    ("https://www.amnesty.org/", True), ("https://www.amnesty.org", True),
    ("https://www.amnesty.org/en/", True), ("https://www.odpc.go.ke/index.html", True),
    ("https://www.amnesty.org/en/documents/asa16/5933/2022/en/", False),
    ("https://www.sec.gov/cgi-bin/browse-edgar?action=getcompany&CIK=1326801", False),
])
def test_home_pages_are_recognised(url, home):
    assert evidence.is_home_page(url) is home


@pytest.mark.parametrize("sources, level, words", [
    ([SEC], "primary", "rests on a primary source"),
    ([NYT, VERGE], "corroborated", "rests on two independent secondary sources"),
    ([NYT, NYT2], "secondary", "rests on one secondary source"),   # one site is not two voices
    ([NYT, WIKI], "secondary", "rests on one secondary source"),
    ([BLOG], "tertiary", "rests on one tertiary source (blog.bake.co.ke)"),
    ([HOME], "none", "rests on a home page only"),
    ([HOME, WIKI], "tertiary", "rests on one tertiary source (en.wikipedia.org)"),
    ([], "none", "rests on no specific source"),
])
def test_a_claim_rests_on_the_best_its_sources_give_together(sources, level, words):
    found = evidence.assess({"sources": sources})
    assert (found["level"], found["words"]) == (level, words)


def test_the_table_refuses_a_host_listed_twice(tmp_path):
    path = tmp_path / "tiers.yaml"
    path.write_text("primary: [sec.gov]\nsecondary: [www.sec.gov]\n")
    with pytest.raises(ValueError, match=r"sec\.gov is listed twice"):
        evidence.table(path)


def test_the_maintained_table_loads():
    assert evidence.table()["hosts"]["sec.gov"] == "primary"


# --- the rules and their messages ----------------------------------------------------------------


def test_confirmed_needs_a_primary_source_or_two_independent_secondary_ones():
    assert evidence.problems({"confidence": "confirmed", "sources": [SEC]}) == {}
    assert evidence.problems({"confidence": "confirmed", "sources": [NYT, VERGE]}) == {}
    assert evidence.problems({"confidence": "reported", "sources": [WIKI]}) == {}
    assert evidence.problems({"confidence": "confirmed", "sources": [WIKI]}) == {"confidence": [
        "confirmed needs a primary source, or two independent secondary ones; this rests on "
        "one tertiary source (en.wikipedia.org). Cite one, or mark it reported."]}


def test_a_home_page_alone_is_not_a_source_for_a_claim():
    assert evidence.problems({"confidence": "reported", "sources": [HOME]}) == {"sources": [
        f"A home page alone is not a source for a specific claim ({HOME}): cite the page, "
        "filing or decision that says it."]}


def test_a_derived_figure_says_how_it_was_computed():
    rel = {"confidence": "reported", "sources": [SEC], "derived": True}
    assert evidence.problems(rel) == {"method": [
        "A derived figure needs its method: say how it was computed and from what."]}
    assert evidence.problems({**rel, "method": "economic share from votes"}) == {}


def test_the_schema_checks_source_tiers_and_method():
    base = {"type": "OWNS", "from": "a", "to": "b", "confidence": "reported", "sources": [SEC]}
    with pytest.raises(ValidationError) as err:
        schemas.validate_relationship({**base, "source_tiers": ["primary", "secondary"]})
    assert err.value.messages == {"source_tiers": [
        'Give one tier per source, in the order of sources ("" keeps the table\'s).']}
    with pytest.raises(ValidationError) as err:
        schemas.validate_relationship({**base, "source_tiers": ["gold"]})
    assert err.value.messages == {"source_tiers": {0: [
        "Must be one of: , primary, secondary, tertiary."]}}
    with pytest.raises(ValidationError) as err:
        schemas.validate_relationship({**base, "method": "a guess"})
    assert err.value.messages == {"method": [
        "method explains a derived figure: set derived: true, or leave method out."]}
    loaded = schemas.validate_relationship({**base, "derived": True, "method": "from votes",
                                            "source_tiers": ["secondary"]})
    assert (loaded["derived"], loaded["source_tiers"]) == (True, ["secondary"])


def _seed_dir(tmp_path, relationships, source_tiers=None):
    import yaml

    doc = {"nodes": [{"label": "Company", "id": "a", "name": "A", "sources": [SEC]},
                     {"label": "Company", "id": "b", "name": "B", "sources": [SEC]}],
           "relationships": relationships}
    if source_tiers is not None:
        doc["source_tiers"] = source_tiers
    (tmp_path / "one.yaml").write_text(yaml.safe_dump(doc))
    return tmp_path


def test_the_seed_refuses_what_cannot_be_cited_naming_file_row_and_field(tmp_path):
    folder = _seed_dir(tmp_path, [
        {"type": "OWNS", "from": "a", "to": "b", "as_of": "2024", "confidence": "confirmed",
         "sources": [WIKI]},
        {"type": "CONTROLS", "from": "a", "to": "b", "as_of": "2024", "confidence": "reported",
         "sources": [SEC], "derived": True},
        {"type": "OWNS", "from": "b", "to": "a", "as_of": "2024", "confidence": "reported",
         "sources": [HOME]}])
    nodes, rels = seeding.read_seed(folder)
    with pytest.raises(records.RecordErrors) as err:
        records.validate(nodes, rels, sourced=True)
    assert err.value.lines == [
        f"{folder.name}/one.yaml: relationships[0]: confidence: confirmed needs a primary "
        "source, or two independent secondary ones; this rests on one tertiary source "
        "(en.wikipedia.org). Cite one, or mark it reported.",
        f"{folder.name}/one.yaml: relationships[1]: method: A derived figure needs its method: "
        "say how it was computed and from what.",
        f"{folder.name}/one.yaml: relationships[2]: sources: A home page alone is not a source "
        f"for a specific claim ({HOME}): cite the page, filing or decision that says it."]


def test_a_seed_file_can_override_the_tier_of_one_source(tmp_path):
    folder = _seed_dir(tmp_path, [
        {"type": "OWNS", "from": "a", "to": "b", "as_of": "2024", "confidence": "confirmed",
         "sources": [BLOG, WIKI]}], source_tiers={BLOG: "primary"})
    nodes, rels = seeding.read_seed(folder)
    assert rels[0][1]["source_tiers"] == ["primary", ""]
    assert len(records.validate(nodes, rels, sourced=True).relationships) == 1


def test_a_bad_override_is_named(tmp_path):
    folder = _seed_dir(tmp_path, [], source_tiers={BLOG: "gold"})
    with pytest.raises(records.RecordErrors) as err:
        seeding.read_seed(folder)
    assert err.value.lines == [f"{folder.name}/one.yaml: source_tiers: {BLOG}: must be one of "
                               "primary, secondary, tertiary."]


# --- staleness -----------------------------------------------------------------------------------


@pytest.mark.parametrize("rel, on, months, stale", [
    ({"as_of": "2024-05"}, "2025-11-30", 18, False),   # May 2024 ends on the 31st: not yet
    ({"as_of": "2024-05"}, "2025-12-01", 18, True),
    ({"as_of": "2024"}, "2026-06-30", 18, False),       # a year counts from its last day
    ({"as_of": "2024"}, "2026-07-01", 18, True),
    ({"as_of": "2024"}, "2026-07-01", 24, False),       # the age is configurable
    ({"as_of": "2018-04"}, "2018-12", 18, False),       # seen from a past day (the ladder's as_of)
    ({"as_of": "2018-04", "end_date": "2019-01"}, "2026", 18, False),  # ended: history
    ({"as_of": "2018-04", "end_date": "2030"}, "2026", 18, True),      # ends later: still current
    ({}, "2026", 18, False),
    ({"as_of": "2018-04", "type": "INVOLVES"}, "2026", 18, False),   # a record of an event
    ({"as_of": "2018-04", "type": "TO"}, "2026", 18, False),
    ({"as_of": "2018-04", "type": "OWNS"}, "2026", 18, True),
])
def test_a_current_fact_is_stale_when_its_as_of_is_too_old(rel, on, months, stale):
    assert evidence.is_stale(rel, on, months) is stale


def test_the_stale_age_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("GRAPHAPP_STALE_MONTHS", "6")
    assert evidence.configured_months() == 6
    assert evidence.stale_before(dt.date(2026, 11, 30)) == dt.date(2026, 5, 30)


# --- a small graph: the report, the ladder, the pages ------------------------------------------

NODES = [
    {"label": "Harm", "id": "harm", "name": "Hate speech wave", "harm_type": "hate_speech"},
    {"label": "Product", "id": "app", "name": "App"},
    {"label": "Company", "id": "parent", "name": "Parent Inc"},
    {"label": "Company", "id": "fund", "name": "Big Fund", "extra_labels": ["Investor"],
     "investor_type": "asset_manager"},
    {"label": "Company", "id": "shadow", "name": "Shadow Holder", "extra_labels": ["Investor"],
     "investor_type": "asset_manager", "sensitive": True},
    {"label": "Person", "id": "ceo", "name": "Chief Executive"},
    {"label": "Person", "id": "petitioner", "name": "A Petitioner"},
    {"label": "Person", "id": "contact", "name": "A Contact", "sensitive": True},
]
RELS = [
    {"type": "INVOLVES", "from": "harm", "to": "app", "as_of": "2026-01", "sources": [SEC]},
    {"type": "OPERATES", "from": "parent", "to": "app", "as_of": "2026-01",
     "sources": [NYT, VERGE]},
    # confirmed on Wikipedia alone, single source, tertiary only, stale in 2026-11
    {"type": "HOLDS_ROLE", "from": "ceo", "to": "parent", "kind": "executive", "as_of": "2024",
     "sources": [WIKI]},
    # a derived stake without a method, on one blog post; reported
    {"type": "OWNS", "from": "fund", "to": "parent", "economic_pct": 5.0, "voting_pct": 5.0,
     "as_of": "2026-06", "confidence": "reported", "derived": True, "sources": [BLOG]},
    # a home page only, confirmed; and a sensitive holder with the same faults
    {"type": "OWNS", "from": "shadow", "to": "parent", "economic_pct": 9.0, "as_of": "2020",
     "sources": [HOME]},
]


@pytest.fixture
def small(graph):
    return build(graph, NODES, RELS)


def test_the_quality_report_counts_exactly(small):
    result = quality.from_graph(small, include_sensitive=True, on="2026-11-30", months=18,
                                seed_dir=_empty_seed())
    counts = {c["key"]: c["count"] for c in result["checks"]}
    assert counts == {"single_source": 4, "tertiary_only": 2, "confirmed_without_primary": 2,
                      "home_page_only": 1, "stale": 2, "derived_without_method": 1,
                      "private_people": 1}
    items = {c["key"]: [(i.get("from") or i.get("id"), i["fix"]) for i in c["items"]]
             for c in result["checks"]}
    assert items["confirmed_without_primary"] == [("ceo", "/entities/ceo"),
                                                  ("shadow", "/entities/shadow")]
    assert items["private_people"] == [("petitioner", "/entities/petitioner")]
    assert result["relationships"] == 5
    assert result["files"] == {"other": {
        "relationships": 5, "single_source": 4, "tertiary_only": 2,
        "confirmed_without_primary": 2, "home_page_only": 1, "stale": 2,
        "derived_without_method": 1, "private_people": 1}}
    assert next(c for c in result["checks"] if c["key"] == "tertiary_only")["share_pct"] == 40.0


def test_a_viewers_report_neither_lists_nor_counts_sensitive_data(small):
    result = quality.from_graph(small, include_sensitive=False, on="2026-11-30", months=18,
                                seed_dir=_empty_seed())
    counts = {c["key"]: c["count"] for c in result["checks"]}
    assert counts == {"single_source": 3, "tertiary_only": 2, "confirmed_without_primary": 1,
                      "home_page_only": 0, "stale": 1, "derived_without_method": 1,
                      "private_people": 1}
    assert result["relationships"] == 4
    assert "shadow" not in repr(result) and "Shadow" not in repr(result)


def test_the_report_attributes_findings_to_seed_files(small, tmp_path):
    import yaml

    (tmp_path / "people.yaml").write_text(yaml.safe_dump({"nodes": [], "relationships": [
        {"type": "HOLDS_ROLE", "from": "ceo", "to": "parent", "kind": "executive"}]}))
    result = quality.from_graph(small, include_sensitive=True, on="2026-11-30", months=18,
                                seed_dir=tmp_path)
    assert result["files"]["people.yaml"]["confirmed_without_primary"] == 1
    assert result["files"]["other"]["confirmed_without_primary"] == 1
    assert list(result["files"]) == ["people.yaml", "other"]


def _empty_seed():
    import tempfile
    from pathlib import Path

    return Path(tempfile.mkdtemp())


def test_the_quality_page_for_a_viewer_and_an_admin(app, small):
    viewer = client_as(app, "viewer").get("/quality?as_of=2026-11-30")
    assert viewer.status_code == 200
    page = viewer.get_data(as_text=True)
    assert "Shadow" not in page and "amnesty.org" not in page
    assert 'href="/entities/petitioner"' in page
    admin = client_as(app, "admin").get("/quality?as_of=2026-11-30").get_data(as_text=True)
    assert 'href="/entities/shadow"' in admin
    bad = client_as(app, "viewer").get("/quality?as_of=2026-13")
    assert bad.status_code == 400 and "as_of" in bad.get_data(as_text=True)


def test_the_quality_command_prints_json(graphapp_cli, small):
    out = graphapp_cli(["quality", "--json", "--as-of", "2026-11-30"])
    assert out.exit_code == 0, out.output
    counts = {c["key"]: c["count"] for c in json.loads(out.output)["checks"]}
    assert counts["home_page_only"] == 0  # the terminal leaves sensitive data out by default
    assert counts["private_people"] == 1
    bad = graphapp_cli(["quality", "--as-of", "2026-13"])
    assert bad.exit_code == 2 and "--as-of" in bad.output


def test_the_quality_command_reports_on_seed_files(graphapp_cli, tmp_path):
    import yaml

    (tmp_path / "one.yaml").write_text(yaml.safe_dump({"nodes": [
        {"label": "Person", "id": "p", "name": "P"}], "relationships": []}))
    out = graphapp_cli(["quality", "--seed", str(tmp_path)])
    assert out.exit_code == 0, out.output
    assert "P (p): holds no office in the graph; fix at " in out.output
    assert f"{tmp_path.name}/one.yaml: nodes[0]" in out.output


def test_the_ladder_shows_each_paths_weakest_hop_and_filters_by_it(small):
    result = escalation.escalate(small, "harm", as_of="2026-11-30", kinds="investor,leadership")
    fund = next(t for r in result["rungs"] for t in r["targets"] if t["id"] == "fund")
    assert fund["evidence"]["level"] == "tertiary"
    assert fund["evidence"]["words"] == ("rests on one tertiary source (blog.bake.co.ke) "
                                         "(weakest hop: Big Fund owns Parent Inc)")
    ceo = next(t for r in result["rungs"] for t in r["targets"] if t["id"] == "ceo")
    assert ceo["evidence"]["stale_hops"] == 1
    assert [h["stale"] for h in ceo["path"]] == [False, False, True]
    strong = escalation.escalate(small, "harm", as_of="2026-11-30", min_evidence="secondary",
                                 kinds="investor,leadership,headquarters")
    assert [t["id"] for r in strong["rungs"] for t in r["targets"]] == ["parent"]
    assert strong["filters"]["min_evidence"] == "secondary"


def test_min_evidence_must_be_a_level(small):
    from graphapp.errors import BadRequest

    with pytest.raises(BadRequest) as err:
        escalation.escalate(small, "harm", min_evidence="strong")
    assert err.value.errors == {"query": {"min_evidence": [
        "Must be one of: none, tertiary, secondary, corroborated, primary."]}}


def test_entity_pages_and_exports_flag_stale_facts(app, small):
    page = client_as(app, "viewer").get("/entities/ceo").get_data(as_text=True)
    assert "rests on one tertiary source (en.wikipedia.org)" in page
    assert 'class="stale"' in page
    from graphapp import exports

    view = exports.entity_view(small, "parent", depth=1)
    by_from = {e["from"]: e["props"] for e in view.edges}
    assert (by_from["ceo"]["stale"], by_from["ceo"]["evidence"]) == (True, "tertiary")
    assert (by_from["parent"]["stale"], by_from["parent"]["evidence"]) == (False, "corroborated")
