"""Engagement tracking: response rates, medians, overdue lists, commitments past due, the next
rung of the ladder, turnover flags, writes that name bad fields, CSRF on forms."""

from __future__ import annotations

import datetime as dt

import pytest

from graphapp import create_app, engagement
from graphapp.engagement import standing
from graphapp.store.db import Graph
from tests.graphs import build

AS_OF = "2026-03-01"
SRC = "https://example.org/letter"

# Corp operates App; the harm involves App. Rep represents Corp locally; the APAC policy team
# (regional) is responsible for App and reports to the HQ product team; Chair sits on the board;
# Fund holds 10% of the votes; the DPA oversees Corp. Acme Rights writes letters.
NODES = [
    {"label": "Harm", "id": "harm", "name": "Harm X", "harm_type": "hate_speech"},
    {"label": "Product", "id": "app", "name": "App"},
    {"label": "Company", "id": "corp", "name": "Corp"},
    {"label": "Person", "id": "rep", "name": "Rep One"},
    {"label": "Team", "id": "apac-policy", "name": "APAC Policy", "function": "policy",
     "scope": "regional"},
    {"label": "Person", "id": "lena", "name": "Lena Lead"},
    {"label": "Team", "id": "hq-product", "name": "HQ Product", "function": "product",
     "scope": "global"},
    {"label": "Team", "id": "board", "name": "Corp Board", "function": "board"},
    {"label": "Person", "id": "chair", "name": "Chair Person"},
    {"label": "Company", "id": "fund", "name": "Fund", "extra_labels": ["Investor"],
     "investor_type": "asset_manager"},
    {"label": "Regulator", "id": "dpa", "name": "DPA", "kind": "data_protection"},
    {"label": "Organization", "id": "ngo", "name": "Acme Rights"},
]
RELS = [
    {"type": "INVOLVES", "from": "harm", "to": "app"},
    {"type": "OPERATES", "from": "corp", "to": "app"},
    {"type": "HOLDS_ROLE", "from": "rep", "to": "corp", "kind": "representative",
     "title": "Country representative", "start_date": "2024"},
    {"type": "PART_OF", "from": "apac-policy", "to": "corp"},
    {"type": "RESPONSIBLE_FOR", "from": "apac-policy", "to": "app"},
    {"type": "HOLDS_ROLE", "from": "lena", "to": "apac-policy", "kind": "manager",
     "title": "Regional policy lead"},
    {"type": "PART_OF", "from": "hq-product", "to": "corp"},
    {"type": "REPORTS_TO", "from": "apac-policy", "to": "hq-product"},
    {"type": "PART_OF", "from": "board", "to": "corp"},
    {"type": "HOLDS_ROLE", "from": "chair", "to": "corp", "kind": "board", "title": "Chair"},
    {"type": "OWNS", "from": "fund", "to": "corp", "voting_pct": 10.0},
    {"type": "OVERSEES", "from": "dpa", "to": "corp"},
]


def letter(eid: str, to: str, date: str, status: str = "sent", kind: str = "letter",
           response_date: str | None = None, harm: bool = True) -> tuple[list, list]:
    node = {"label": "Engagement", "id": eid, "name": f"Engagement {eid}", "kind": kind,
            "date": date, "status": status, "sources": [SRC]}
    if response_date:
        node["response_date"] = response_date
    rels = [{"type": "BY", "from": eid, "to": "ngo"}, {"type": "TO", "from": eid, "to": to}]
    if harm:
        rels.append({"type": "ABOUT", "from": eid, "to": "harm"})
    return [node], rels


def graph_with(empty_graph: Graph, *engagements: tuple[list, list], nodes=(), rels=()) -> Graph:
    all_nodes = [*NODES, *nodes, *(n for e in engagements for n in e[0])]
    all_rels = [*RELS, *rels, *(r for e in engagements for r in e[1])]
    return build(empty_graph, all_nodes, all_rels)


# Seven engagements with Corp, its teams and people, as of 2026-03-01 with 30 days:
SEVEN = (
    letter("e1", "rep", "2026-01-05"),                                    # overdue, 55 days
    letter("e2", "corp", "2025-06-01", "responded", response_date="2025-06-11"),  # 10 days
    letter("e3", "apac-policy", "2025-09", "responded", kind="email",
           response_date="2025-10-02"),                                   # 09-15 -> 17 days
    letter("e4", "lena", "2026-02-20", kind="meeting"),                   # awaiting, 9 days
    letter("e5", "corp", "2025", "responded", kind="questionnaire",
           response_date="2025-05"),                                      # time unknown
    letter("e6", "chair", "2025-11-01", "no_response", kind="open_letter"),  # recorded silence
    letter("e7", "hq-product", "2025-12-01", "declined", response_date="2025-12-31"),  # 30 days
)


# --- pure functions ------------------------------------------------------------------------


def test_partial_dates_resolve_as_documented():
    assert engagement.response_days("2025-09", "2025-10-02") == 17  # a month is its 15th
    assert engagement.response_days("2025", "2025-05") is None      # a year is too vague
    assert engagement.response_days("2025-06-20", "2025-06") == 0   # never negative
    assert engagement.days_waiting("2026-01", engagement.first_day("2026-03-01")) == 29
    assert engagement.last_day("2024-02") == engagement.first_day("2024-02-29")


# --- response rates and medians ------------------------------------------------------------


def test_company_team_and_person_response_rates_and_medians(empty_graph):
    graph_with(empty_graph, *SEVEN)
    r = engagement.responsiveness(empty_graph, "corp", days=30, as_of=AS_OF)
    overall = r["overall"]
    assert (overall["engagements"], overall["due"], overall["answered"]) == (7, 6, 4)
    assert overall["response_rate"] == 0.667
    assert overall["median_response_days"] == 17
    assert (overall["response_times_known"], overall["response_times_unknown"]) == (3, 1)
    assert (overall["awaiting"], overall["overdue"], overall["no_response"],
            overall["declined"]) == (1, 1, 1, 1)
    assert (r["direct"]["response_rate"], r["direct"]["median_response_days"]) == (1.0, 10)
    teams = {t["id"]: (t["response_rate"], t["median_response_days"]) for t in r["teams"]}
    assert teams == {"apac-policy": (1.0, 17), "hq-product": (1.0, 30)}
    people = {p["id"]: (p["due"], p["response_rate"]) for p in r["people"]}
    assert people == {"rep": (1, 0.0), "lena": (0, None), "chair": (1, 0.0)}


def test_responsiveness_of_an_unknown_company_is_404(client, empty_graph):
    build(empty_graph, NODES[:1])
    response = client.get("/api/companies/nope/responsiveness")
    assert response.status_code == 404
    assert "nope" in response.get_json()["message"]


# --- overdue and past due ---------------------------------------------------------------------


def test_overdue_lists_silences_longest_waiting_first_and_the_threshold_is_configurable(
        empty_graph):
    graph_with(empty_graph, *SEVEN)
    found = engagement.overdue(empty_graph, days=30, as_of=AS_OF)
    assert [(e["id"], e["state"], e["days_waiting"]) for e in found] == [
        ("e6", "no_response", 120), ("e1", "overdue", 55)]
    assert [e["id"] for e in engagement.overdue(empty_graph, days=60, as_of=AS_OF)] == ["e6"]
    assert [e["id"] for e in engagement.overdue(empty_graph, days=8, as_of=AS_OF)] == [
        "e6", "e1", "e4"]
    assert found[1]["to"][0]["id"] == "rep" and found[1]["sources"] == [SRC]


def test_overdue_api_csv_and_cli(graphapp_cli, client, empty_graph):
    graph_with(empty_graph, *SEVEN)
    body = client.get(f"/api/engagements/overdue?days=60&as_of={AS_OF}").get_json()
    assert [e["id"] for e in body["engagements"]] == ["e6"]
    assert body["days"] == 60
    csv = client.get(f"/engagements/overdue.csv?as_of={AS_OF}")
    assert csv.mimetype == "text/csv"
    lines = csv.get_data(as_text=True).splitlines()
    assert lines[0].startswith("id,name,kind,date,status,state,days_waiting")
    assert [line.split(",")[0] for line in lines[1:]] == ["e6", "e1"]
    bad = client.get("/api/engagements/overdue?days=0")
    assert bad.status_code == 400 and "days" in bad.get_json()["errors"]["query"]

    out = graphapp_cli(["engagements", "overdue", "--days", "60",
                        "--as-of", AS_OF])
    assert out.exit_code == 0, out.output
    assert "e6" in out.output and "e1" not in out.output


def test_commitments_past_due(empty_graph):
    def commitment(cid, due, status="pending"):
        return ([{"label": "Commitment", "id": cid, "name": cid, "text": "Do it",
                  "due_date": due, "status": status}],
                [{"type": "MADE_BY", "from": cid, "to": "corp"}])

    graph_with(empty_graph, commitment("c1", "2026-02"), commitment("c2", "2026-03"),
               commitment("c3", "2025-12", "fulfilled"), commitment("c4", "2025", "partial"))
    found = engagement.commitments_past_due(empty_graph, as_of=AS_OF)
    assert [c["id"] for c in found] == ["c4", "c1"]
    assert found[1]["made_by"][0]["id"] == "corp"


# --- the ladder ------------------------------------------------------------------------------


def test_a_silent_local_representative_leads_to_the_regional_policy_lead(empty_graph):
    graph_with(empty_graph, letter("e1", "rep", "2026-01-05"))
    result = standing.ladder(empty_graph, "harm", days=30, as_of=AS_OF)
    assert result["highest_step"] == "local"
    local = result["steps"][0]
    assert [(e["id"], e["state"]) for e in local["engaged"]] == [("rep", "overdue")]
    assert result["suggestions"] == [{
        "after": "rep", "name": "Rep One", "state": "overdue", "next_step": "regional",
        "targets": result["steps"][1]["not_yet_engaged"]}]
    assert [t["id"] for t in result["suggestions"][0]["targets"]] == ["apac-policy", "lena"]


def test_an_answer_suggests_nothing_and_silence_higher_up_climbs_further(empty_graph):
    graph_with(empty_graph,
               letter("e1", "rep", "2026-01-05", "responded", response_date="2026-01-20"),
               letter("e2", "apac-policy", "2026-01-10", "no_response"),
               letter("e3", "lena", "2026-01-10"))
    result = standing.ladder(empty_graph, "harm", days=30, as_of=AS_OF)
    assert result["highest_step"] == "regional"
    assert [(s["after"], s["next_step"], [t["id"] for t in s["targets"]])
            for s in result["suggestions"]] == [
        ("apac-policy", "hq_product", ["corp", "hq-product"]),
        ("lena", "hq_product", ["corp", "hq-product"])]


def test_silent_board_leads_to_investors_and_regulators(empty_graph):
    graph_with(empty_graph, letter("e1", "chair", "2025-10-01", "declined",
                                   response_date="2025-10-03"))
    result = standing.ladder(empty_graph, "harm", days=30, as_of=AS_OF)
    [suggestion] = result["suggestions"]
    assert (suggestion["after"], suggestion["state"], suggestion["next_step"]) == (
        "chair", "declined", "investors_regulators")
    # A data protection authority has no mandate over hate speech (docs/escalation.md,
    # "Relevance"): the fund comes first.
    assert [t["id"] for t in suggestion["targets"]] == ["fund", "dpa"]


def test_escalation_scores_responsiveness_only_where_something_is_due(empty_graph):
    graph_with(empty_graph,
               letter("e1", "apac-policy", "2025-09", "responded", response_date="2025-10-02"),
               letter("e2", "apac-policy", "2025-11-01", "no_response", harm=False),
               letter("e3", "lena", "2026-02-20"))
    from graphapp import escalation

    result = escalation.escalate(empty_graph, "harm", as_of=AS_OF)
    targets = {t["id"]: t for r in result["rungs"] for t in r["targets"]}
    team = targets["apac-policy"]
    assert team["components"]["responsiveness"] == 0.5
    assert "It answered 1 of the 2 engagements sent to it that are due." in team["why"]
    assert team["engagement"]["id"] == "e1" and team["engagement"]["state"] == "answered"
    assert targets["lena"]["components"]["responsiveness"] is None  # still awaiting
    assert targets["lena"]["engagement"]["state"] == "awaiting"
    assert targets["corp"]["components"]["responsiveness"] is None
    assert targets["corp"]["engagement"] is None
    parts = {k: v for k, v in team["components"].items() if v is not None}
    assert team["score"] == escalation.score(parts)


# --- turnover ------------------------------------------------------------------------------


def test_a_departed_representative_is_flagged_re_establish_with_the_successor(empty_graph):
    rels = [
        {"type": "HOLDS_ROLE", "from": "rep2", "to": "corp", "kind": "representative",
         "title": "country representative", "start_date": "2026-02"},
        {"type": "HAS_CONTACT", "from": "ngo", "to": "rep", "start_date": "2024-03",
         "sensitive": True},
    ]
    base = [r for r in RELS if not (r["type"] == "HOLDS_ROLE" and r["from"] == "rep")]
    rels.append({**RELS[2], "end_date": "2026-02"})
    build(empty_graph, [*NODES, {"label": "Person", "id": "rep2", "name": "Rep Two"},
                        *letter("e1", "rep", "2026-01-05")[0]],
          [*base, *rels, *letter("e1", "rep", "2026-01-05")[1]])
    [flag] = engagement.turnover(empty_graph, as_of=AS_OF, include_sensitive=True)
    assert flag["flag"] == "re-establish"
    assert (flag["person"]["id"], flag["place"]["id"], flag["role"]["end_date"]) == (
        "rep", "corp", "2026-02")
    assert [e["id"] for e in flag["engagements"]] == ["e1"]
    assert [c["org"]["id"] for c in flag["contacts"]] == ["ngo"]
    assert [s["id"] for s in flag["successors"]] == ["rep2"]
    assert flag["message"] == ("Rep One left Country representative at Corp (2026-02): "
                               "re-establish with Rep Two.")
    # Contacts are sensitive: without permission only the engagement is flagged.
    [public] = engagement.turnover(empty_graph, as_of=AS_OF)
    assert public["contacts"] == [] and [e["id"] for e in public["engagements"]] == ["e1"]
    # Before the role ended there is nothing to flag.
    assert engagement.turnover(empty_graph, as_of="2026-01-31", include_sensitive=True) == []


def test_no_known_successor_says_so(empty_graph):
    base = [r for r in RELS if not (r["type"] == "HOLDS_ROLE" and r["from"] == "rep")]
    build(empty_graph, [*NODES, *letter("e1", "rep", "2026-01-05")[0]],
          [*base, {**RELS[2], "end_date": "2026-02"}, *letter("e1", "rep", "2026-01-05")[1]])
    [flag] = engagement.turnover(empty_graph, as_of=AS_OF)
    assert flag["successors"] == []
    assert flag["message"].endswith("re-establish with whoever holds the role now (not known).")


# --- writes ------------------------------------------------------------------------------------

GOOD = {"name": "Letter to Corp", "kind": "letter", "date": "2026-02-01", "by": ["ngo"],
        "to": ["corp", "rep"], "about": ["harm"], "sources": [SRC]}


def test_post_get_and_patch_engagements_through_the_api(client, empty_graph):
    graph_with(empty_graph)
    made = client.post("/api/engagements", json={**GOOD, "id": "eng-new"})
    assert made.status_code == 201, made.get_json()
    body = made.get_json()
    assert (body["id"], body["status"], body["date"]) == ("eng-new", "sent", "2026-02-01")
    assert [t["id"] for t in body["to"]] == ["corp", "rep"]
    assert body["about"][0]["sources"] == [SRC]
    listed = client.get("/api/engagements?harm=harm&as_of=2026-02-15").get_json()
    assert [(e["id"], e["state"]) for e in listed["engagements"]] == [("eng-new", "awaiting")]
    patched = client.patch("/api/engagements/eng-new",
                           json={"status": "responded", "response_date": "2026-02-11",
                                 "outcome": "They will review.", "version": body["version"]})
    assert patched.status_code == 200, patched.get_json()
    assert (patched.get_json()["response_days"], patched.get_json()["outcome"]) == (
        10, "They will review.")
    resp = client.get(f"/api/companies/corp/responsiveness?as_of={AS_OF}").get_json()
    assert resp["direct"]["response_rate"] == 1.0 and resp["direct"]["median_response_days"] == 10


@pytest.mark.parametrize(("change", "field"), [
    ({"kind": "fax"}, "kind"),
    ({"date": "2026-13"}, "date"),
    ({"to": ["nobody"]}, "to"),
    ({"to": ["harm"]}, "to"),
    ({"by": ["corp"]}, "by"),
    ({"about": ["corp"]}, "about"),
    ({"by": []}, "by"),
    ({"response_date": "2026-01-01", "status": "responded"}, "response_date"),
    ({"response_date": "2026-03-01"}, "status"),
    ({"sources": ["not a url"]}, "sources"),
    ({"colour": "red"}, "colour"),
])
def test_invalid_engagements_are_refused_naming_the_field(client, empty_graph, change, field):
    graph_with(empty_graph)
    response = client.post("/api/engagements", json={**GOOD, **change})
    assert response.status_code == 422
    assert field in response.get_json()["errors"]["json"]
    assert engagement.list_engagements(empty_graph) == []


def test_an_update_is_checked_against_what_the_engagement_holds(client, empty_graph):
    graph_with(empty_graph, letter("e1", "rep", "2026-01-05"))
    version = client.get("/api/engagements/e1").get_json()["version"]
    bad = client.patch("/api/engagements/e1", json={"status": "responded", "version": version,
                                                     "response_date": "2025-12-01"})
    assert bad.status_code == 422 and "response_date" in bad.get_json()["errors"]["json"]
    assert client.patch("/api/engagements/nope", json={"status": "declined", "version": ""}
                        ).status_code == 404
    assert client.put("/api/engagements/e1", json={"status": "maybe", "version": version}
                      ).status_code == 422


def test_a_commitment_is_linked_to_its_engagement_and_harm(client, empty_graph):
    graph_with(empty_graph, letter("e1", "corp", "2026-01-05"))
    made = client.post("/api/commitments", json={
        "name": "Hire reviewers", "text": "Hire 100 reviewers", "date_made": "2026-01",
        "due_date": "2026-02", "made_by": "corp", "in_response_to": ["e1"], "about": ["harm"],
        "sources": [SRC]})
    assert made.status_code == 201, made.get_json()
    body = made.get_json()
    assert [e["id"] for e in body["in_response_to"]] == ["e1"]
    assert [c["id"] for c in engagement.commitments_past_due(empty_graph, as_of=AS_OF)] == [
        body["id"]]
    bad = client.post("/api/commitments", json={"name": "x", "text": "y", "made_by": "ngo",
                                                "due_date": "2025", "date_made": "2026"})
    assert bad.status_code == 422
    assert set(bad.get_json()["errors"]["json"]) == {"due_date"}


def test_timelines_per_harm_and_company(empty_graph):
    graph_with(empty_graph, SEVEN[0], SEVEN[1])
    events = engagement.timeline(empty_graph, harm="harm", as_of=AS_OF)
    assert [(ev["date"], ev["type"], ev["record"]["id"]) for ev in events] == [
        ("2025-06-01", "engagement", "e2"), ("2025-06-11", "response", "e2"),
        ("2026-01-05", "engagement", "e1")]
    company = engagement.timeline(empty_graph, company="corp", as_of=AS_OF)
    assert [ev["record"]["id"] for ev in company] == ["e2", "e2", "e1"]


# --- forms and CSRF --------------------------------------------------------------------------


@pytest.fixture
def csrf_app(neo4j_target, graph):
    return create_app({"TESTING": True, "NEO4J_TARGET": neo4j_target, "SECRET_KEY": "t",
                       "WTF_CSRF_ENABLED": True})


def test_a_form_without_a_csrf_token_is_refused(csrf_app, empty_graph):
    graph_with(empty_graph)
    client = csrf_app.test_client()
    form = {k: ",".join(v) if isinstance(v, list) else v for k, v in GOOD.items()}
    refused = client.post("/engagements/new", data=form)
    assert refused.status_code == 400
    assert "CSRF" in refused.get_data(as_text=True)
    assert engagement.list_engagements(empty_graph) == []
    assert client.post("/import", data={}).status_code == 400  # the import form too


def test_the_form_with_its_token_writes_and_the_api_is_exempt(csrf_app, empty_graph):
    import re

    graph_with(empty_graph)
    client = csrf_app.test_client()
    page = client.get("/engagements/new").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = {k: "\n".join(v) if isinstance(v, list) else v for k, v in GOOD.items()}
    made = client.post("/engagements/new", data={**form, "csrf_token": token})
    assert made.status_code == 302, made.get_data(as_text=True)[-2000:]
    assert [e["name"] for e in engagement.list_engagements(empty_graph)] == ["Letter to Corp"]
    # The JSON API is exempt from CSRFProtect's form check (bearer tokens protect it, issue 8).
    exempt = csrf_app.extensions["csrf"]._exempt_blueprints
    assert "api" in {getattr(b, "name", b) for b in exempt}


def test_the_dashboard_lists_overdue_engagements_and_commitments(client, empty_graph):
    graph_with(empty_graph, *SEVEN)
    page = client.get(f"/engagements?as_of={AS_OF}&days=30").get_data(as_text=True)
    assert "Engagement e6" in page and "Engagement e1" in page
    assert "Engagement e4" not in page.split("Overdue")[1].split("</table>")[0]
    assert client.get("/engagements?days=x").status_code == 400


# --- who may write, and the audit trail -----------------------------------------------------


def test_viewers_may_read_but_not_write_and_writes_are_audited(app, empty_graph):
    from graphapp import audit

    graph_with(empty_graph, letter("e1", "rep", "2026-01-05"))
    viewer = app.test_client(role="viewer")
    assert viewer.get("/api/engagements/e1").status_code == 200
    assert viewer.patch("/api/engagements/e1", json={"status": "declined"}).status_code == 403
    assert viewer.post("/api/engagements", json=GOOD).status_code == 403
    assert viewer.post("/engagements/new", data={"name": "x"}).status_code == 403
    editor = app.test_client(role="editor")
    etag = editor.get("/api/engagements/e1").headers["ETag"]
    assert editor.patch("/api/engagements/e1", json={"status": "declined"},
                        headers={"If-Match": etag}).status_code == 200
    [event] = audit.history(empty_graph, "e1")
    assert (event["user"], event["action"]) == ("test-editor", "update_engagement")
    assert (event["before"]["status"], event["after"]["status"]) == ("sent", "declined")


def test_a_contact_gives_access_only_while_it_lasts(empty_graph):
    from graphapp import escalation

    graph_with(empty_graph, rels=[{"type": "HAS_CONTACT", "from": "ngo", "to": "lena",
                                   "start_date": "2026-06", "end_date": "2026-09",
                                   "sensitive": True}])

    def access(as_of):
        result = escalation.escalate(empty_graph, "harm", as_of=as_of, org="ngo",
                                     include_sensitive=True)
        return [t["components"]["access"] for r in result["rungs"] for t in r["targets"]
                if t["id"] == "lena"]

    assert access("2026-03-01") == [0.0]
    assert access("2026-07-01") == [1.0]
    assert access("2026-10-01") == [0.0]


# --- the seed's engagements -------------------------------------------------------------------


@pytest.mark.seed
def test_the_seed_letters_to_meta_on_myanmar_were_answered_up_to_the_board(seed_graph):
    result = standing.ladder(seed_graph, "harm-myanmar-messenger-chain-letters-2017",
                               as_of="2018-06-01")
    placed = {s["step"]: [(e["id"], e["state"]) for e in s["engaged"]] for s in result["steps"]}
    assert placed["hq_product"] == [("meta-platforms", "answered")]
    assert placed["board"] == [("mark-zuckerberg", "answered")]
    assert result["highest_step"] == "board" and result["suggestions"] == []


@pytest.mark.seed
def test_on_a_past_day_later_letters_and_answers_do_not_count_yet(seed_graph):
    [letter_] = [e for e in engagement.list_engagements(
        seed_graph, harm="harm-myanmar-messenger-chain-letters-2017", as_of="2018-04-05")
        if e["id"] == "eng-2018-04-myanmar-cso-open-letter"]
    assert (letter_["state"], letter_["days_waiting"]) == ("awaiting", 0)  # answered next day
    result = standing.ladder(seed_graph, "harm-myanmar-messenger-chain-letters-2017",
                               as_of="2018-04-05")
    assert result["highest_step"] == "board" and result["suggestions"] == []


@pytest.mark.seed
def test_the_seed_overdue_list_in_mid_2018(seed_graph):
    assert engagement.overdue(seed_graph, days=30, as_of="2018-06-01") == []
    late = engagement.overdue(seed_graph, days=30, as_of="2018-07-01")
    assert [(e["id"], e["days_waiting"]) for e in late] == [
        ("eng-qdtd-chile-2018", 54), ("eng-2018-05-global-coalition-letter", 44)]


def test_the_engagement_pages_render(client, empty_graph):
    graph_with(empty_graph, *SEVEN)
    for url, text in [
        (f"/harms/harm/engagement?as_of={AS_OF}", "Where engagement on Harm X stands"),
        (f"/companies/corp/responsiveness?as_of={AS_OF}", "66.7%"),
        ("/engagements/e1", "Record the response"),
        ("/engagements/new?about=harm", "Record an engagement"),
        ("/commitments/new?in_response_to=e1", "Record a commitment"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert text in response.get_data(as_text=True), url
    bad = client.post("/engagements/e1", data={"status": "responded",
                                                "response_date": "2025-01-01"})
    assert bad.status_code == 422
    assert "response_date" in bad.get_data(as_text=True)


# --- an update names the version it was made on ------------------------------------------------


def test_an_update_without_a_version_is_refused_with_428(client, empty_graph):
    graph_with(empty_graph, letter("e1", "rep", "2026-01-05"))
    response = client.patch("/api/engagements/e1", json={"status": "declined"})
    assert response.status_code == 428
    assert response.get_json()["errors"] == {"header": {"If-Match": ["Missing."]}}
    assert engagement.get_engagement(empty_graph, "e1")["status"] == "sent"


def test_a_stale_if_match_is_refused_with_412_and_the_current_values(client, empty_graph):
    graph_with(empty_graph, letter("e1", "rep", "2026-01-05"))
    etag = client.get("/api/engagements/e1").headers["ETag"]
    first = client.patch("/api/engagements/e1", json={"status": "declined"},
                         headers={"If-Match": etag})
    assert first.status_code == 200 and first.headers["ETag"] != etag
    second = client.patch("/api/engagements/e1", json={"status": "responded",
                                                        "response_date": "2026-01-20"},
                          headers={"If-Match": etag})
    assert second.status_code == 412
    body = second.get_json()
    assert body["errors"]["version"] == [first.get_json()["version"]]
    assert body["errors"]["current"]["status"] == "declined"
    assert engagement.get_engagement(empty_graph, "e1")["status"] == "declined"


def test_a_stale_version_field_is_refused_with_409(client, empty_graph):
    graph_with(empty_graph, letter("e1", "rep", "2026-01-05"))
    version = client.get("/api/engagements/e1").get_json()["version"]
    assert client.patch("/api/engagements/e1", json={"status": "declined",
                                                     "version": version}).status_code == 200
    stale = client.patch("/api/engagements/e1", json={"status": "no_response",
                                                      "version": version})
    assert stale.status_code == 409
    assert engagement.get_engagement(empty_graph, "e1")["status"] == "declined"


def test_two_updates_sent_on_one_version_never_both_win(app, empty_graph):
    import threading

    graph_with(empty_graph, letter("e1", "rep", "2026-01-05"))
    etag = app.test_client().get("/api/engagements/e1").headers["ETag"]
    statuses, start = [], threading.Barrier(2)

    def update(status):
        client = app.test_client()
        start.wait()
        statuses.append(client.patch("/api/engagements/e1", json={"status": status},
                                     headers={"If-Match": etag}).status_code)

    threads = [threading.Thread(target=update, args=(s,)) for s in ("declined", "no_response")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [200, 412]


def test_the_engagement_form_refuses_a_stale_version(client, empty_graph):
    import re

    graph_with(empty_graph, letter("e1", "rep", "2026-01-05"))
    page = client.get("/engagements/e1").get_data(as_text=True)
    version = re.search(r'name="version" value="([^"]*)"', page)[1]
    assert client.post("/engagements/e1", data={"status": "declined", "version": version}
                       ).status_code == 302
    stale = client.post("/engagements/e1", data={"status": "no_response", "version": version})
    assert stale.status_code == 409
    assert "Someone changed this engagement since you loaded it" in stale.get_data(as_text=True)
    assert engagement.get_engagement(empty_graph, "e1")["status"] == "declined"


def test_a_sender_the_viewer_may_not_see_is_neither_named_nor_counted(app, empty_graph):
    """An engagement sent by a sensitive group (a refugee-led collective): the viewer's By cell
    reads "—", as for a sender nobody recorded; no name, no id, no "(1 withheld)" that would
    tell a viewer a hidden group wrote (docs/security.md: not even in a count)."""
    node, rels = letter("e1", "corp", "2026-01-05")
    rels = [r for r in rels if r["type"] != "BY"] + [{"type": "BY", "from": "e1", "to": "signer"}]
    graph_with(empty_graph, (node, rels),
               nodes=[{"label": "Organization", "id": "signer", "name": "Quiet Signer",
                       "sensitive": True}])
    viewer = app.test_client(role="viewer")
    for url in ("/engagements", "/engagements/e1"):
        page = viewer.get(url).get_data(as_text=True)
        assert "Quiet Signer" not in page and "signer" not in page, url
        assert "withheld" not in page, url
    assert "<td><span class=\"muted\">—</span></td>" in viewer.get("/engagements").get_data(
        as_text=True)
    csv_text = viewer.get("/engagements/overdue.csv?as_of=2026-03-01").get_data(as_text=True)
    assert "withheld" not in csv_text and "Quiet Signer" not in csv_text
    admin = app.test_client(role="admin")
    assert "Quiet Signer" in admin.get("/engagements").get_data(as_text=True)


# --- the overdue list at scale: decided by the database, a page at a time -----------------------


def _sweep() -> list[dict]:
    """Engagements of every status, sent on full, month and year dates around 2026-03-01, with
    no answer, an answer before that day, on its first possible day, or after it (each
    combination the schema accepts: an answer may not be before the letter)."""
    dates = ["2024-02", "2025", "2025-12", "2026-01", "2026-01-15", "2026-01-29", "2026-01-30",
             "2026-01-31", "2026-02", "2026-02-01", "2026-02-27", "2026-02-28", "2026-03",
             "2026-03-01", "2026-03-02"]
    answers = [None, "2026-02-15", "2026", "2026-03", "2026-03-01", "2026-03-02", "2026-04",
               "2027"]
    nodes = []
    for d in dates:
        for status in ("sent", "no_response", "acknowledged", "responded", "declined"):
            for answer in answers if status not in ("sent", "no_response") else [None]:
                if answer and engagement.last_day(answer) < engagement.first_day(d):
                    continue
                node = {"label": "Engagement", "id": f"s-{d}-{status}-{answer}".lower(),
                        "name": "Sweep", "kind": "letter", "date": d, "status": status}
                if answer:
                    node["response_date"] = answer
                nodes.append(node)
    return nodes


def test_the_database_and_the_rules_agree_on_what_is_overdue(empty_graph):
    """``engagement.overdue`` (Cypher) lists exactly what ``rules.state`` calls overdue or
    no_response, in the order of days waiting (a partial date counts as its last possible
    day), on full and partial evaluation days and thresholds around the boundaries."""
    nodes = _sweep()
    assert len(nodes) > 300
    build(empty_graph, nodes)
    for as_of, days in [("2026-03-01", 30), ("2026-03-01", 29), ("2026-03-01", 1),
                        ("2026-03", 30), ("2026-02-28", 28), ("2026", 60), (None, 3650)]:
        today = engagement.evaluation_day(as_of)
        expected = sorted(
            ((engagement.days_waiting(n["date"], today), n["id"]) for n in nodes
             if (as_of is None or n["date"] <= as_of)
             and engagement.state(n, days, today) in ("overdue", "no_response")),
            key=lambda x: (-x[0], x[1]))
        page = engagement.overdue_page(empty_graph, per_page=1000, days=days, as_of=as_of)
        assert [(e["days_waiting"], e["id"]) for e in page["rows"]] == expected, (as_of, days)
        assert page["total"] == len(expected) > 0
        batched = engagement.overdue_rows(empty_graph, days=days, as_of=as_of, batch=7)
        assert [e["id"] for e in batched] == [x[1] for x in expected], (as_of, days)


# Sixty overdue letters to Rep: e00 sent 2025-01-01 (a recorded silence), then one every three
# days to e58 (2025-06-24); "feb" sent in February 2025, waiting from its last possible day
# (28 February: between e19, 27 February, and e20, 2 March); and two that are not overdue.
SIXTY = (
    letter("e00", "rep", "2025-01-01", "no_response"),
    *(letter(f"e{i:02d}", "rep", (dt.date(2025, 1, 1) + dt.timedelta(days=3 * i)).isoformat())
      for i in range(1, 59)),
    letter("feb", "rep", "2025-02"),
    letter("awaiting", "rep", "2026-02-20"),
    letter("answered", "corp", "2025-06-01", "responded", response_date="2025-06-11"),
)
SIXTY_ORDER = ([f"e{i:02d}" for i in range(20)] + ["feb"] + [f"e{i:02d}" for i in range(20, 59)])


def test_the_overdue_list_pages_fifty_at_a_time_longest_waiting_first(empty_graph):
    graph_with(empty_graph, *SIXTY)
    first = engagement.overdue_page(empty_graph, page=1, days=30, as_of=AS_OF)
    second = engagement.overdue_page(empty_graph, page=2, days=30, as_of=AS_OF)
    assert (first["total"], second["total"], len(first["rows"]), len(second["rows"])) == (
        60, 60, 50, 10)
    assert [e["id"] for e in first["rows"] + second["rows"]] == SIXTY_ORDER
    assert [(e["id"], e["state"], e["days_waiting"]) for e in first["rows"][:2]] == [
        ("e00", "no_response", 424), ("e01", "overdue", 421)]
    feb = first["rows"][20]
    assert (feb["id"], feb["days_waiting"]) == ("feb", 366)  # from 28 February 2025
    assert first["rows"][19]["days_waiting"] == 367 and first["rows"][21]["days_waiting"] == 364
    assert feb["to"][0]["id"] == "rep" and feb["about"][0]["id"] == "harm"
    assert second["rows"][-1]["id"] == "e58" and second["rows"][-1]["days_waiting"] == 250
    # past the last page: the last page
    assert engagement.overdue_page(empty_graph, page=9, days=30, as_of=AS_OF)["page"] == 2
    assert engagement.overdue_page(empty_graph, days=30, as_of="2024-12-31") == {
        "rows": [], "total": 0, "page": 1, "per_page": 50}
    assert [e["id"] for e in engagement.overdue(empty_graph, days=30, as_of=AS_OF)] == \
        SIXTY_ORDER


def test_the_dashboard_shows_a_page_of_fifty_with_the_total_and_the_csv_has_all(client,
                                                                                empty_graph):
    graph_with(empty_graph, *SIXTY)
    page = client.get(f"/engagements?as_of={AS_OF}&days=30").get_data(as_text=True)
    overdue = page.split('id="overdue"')[1].split("</section>")[0]
    assert "(60: no answer after more than 30 days" in overdue
    assert ">Engagement e00<" in overdue and ">Engagement e48<" in overdue
    assert ">Engagement e49<" not in overdue and "1–50 of 60" in overdue
    page2 = client.get(f"/engagements?as_of={AS_OF}&days=30&page=2").get_data(as_text=True)
    overdue2 = page2.split('id="overdue"')[1].split("</section>")[0]
    assert ">Engagement e49<" in overdue2 and ">Engagement e58<" in overdue2
    assert ">Engagement e48<" not in overdue2 and "51–60 of 60" in overdue2
    assert client.get("/engagements?page=0").status_code == 400
    csv = client.get(f"/engagements/overdue.csv?as_of={AS_OF}&days=30")
    assert csv.is_streamed
    lines = csv.get_data(as_text=True).splitlines()
    assert [line.split(",")[0] for line in lines[1:]] == SIXTY_ORDER


def test_a_withheld_recipient_stays_withheld_in_the_page_the_count_and_the_csv(app,
                                                                              empty_graph):
    """e03 was sent to Rep and to a contact only editors may see; "secret" is itself
    sensitive. A viewer's page and CSV show e03 sent to Rep, never the contact nor a count of
    it, and neither count nor list "secret"; an admin sees both."""
    quiet = {"label": "Person", "id": "quiet", "name": "Quiet Contact", "sensitive": True}
    secret_node, secret_rels = letter("secret", "rep", "2025-01-02")
    secret_node[0]["sensitive"] = True
    graph_with(empty_graph, *SIXTY, (secret_node, secret_rels), nodes=[quiet],
               rels=[{"type": "TO", "from": "e03", "to": "quiet"}])
    viewer = app.test_client(role="viewer")
    page = viewer.get(f"/engagements?as_of={AS_OF}&days=30").get_data(as_text=True)
    overdue = page.split('id="overdue"')[1].split("</section>")[0]
    assert "(60: no answer" in overdue and "1–50 of 60" in overdue
    assert "withheld" not in overdue
    assert "Quiet Contact" not in page and "quiet" not in page and "secret" not in page
    csv_text = viewer.get(f"/engagements/overdue.csv?as_of={AS_OF}").get_data(as_text=True)
    assert "withheld" not in csv_text and "Quiet" not in csv_text and "secret" not in csv_text
    assert len(csv_text.splitlines()) == 61
    admin = app.test_client(role="admin")
    page = admin.get(f"/engagements?as_of={AS_OF}&days=30").get_data(as_text=True)
    assert "(61: no answer" in page and "Quiet Contact" in page and ">Engagement secret<" in page
    admin_csv = admin.get(f"/engagements/overdue.csv?as_of={AS_OF}").get_data(as_text=True)
    assert len(admin_csv.splitlines()) == 62 and "Quiet Contact (quiet)" in admin_csv
