"""What a viewer may not see, one finding of issue 13 at a time, on one small named graph.

The crawl (tests/test_crawl.py) sweeps every route over the seed and says *whether* a secret
leaks; these tests say *what* each answer must be, as a viewer and as an admin, for each way a
secret reached viewers before: an engagement sent to a contact, the re-establish list, an
escalation export with ``org=``, a target reached only through a sensitive role, the notes and
sources of a withheld stake, interlocks, an entity's history and an export's country filter.
And the rule behind them all: one place decides (``Graph.sees_sensitive``, applied by
``graphapp.store.db.for_reader`` to every capability), so asking for more changes nothing.

Corp (tests/test_engagement.py's graph) plus: Amara Quill, a defender's contact (a sensitive
person, nationality LS, no one else's) who was Corp's Trust Liaison until 2026-02; Acme Rights'
HAS_CONTACT with her; Berit Ostrander, public, whose only tie to Corp is a sensitive board seat
("Shadow Adviser", note "Zephyr arrangement") and who sits openly on Other Corp's board;
Marrow Lane Capital, public, whose 7.5% of Corp is a sensitive stake (note "Side letter
Marigold", its own source) and who holds 20% of Other Corp openly; and letter e9, not
sensitive, sent by Acme Rights to Amara and to Corp about the harm (recorded through
graphapp.engagement, so audited).
"""

from __future__ import annotations

import importlib
import inspect
import io
import json
import pkgutil
import zipfile

import pytest

import graphapp
from graphapp import engagement, escalation, leverage
from graphapp.engagement import standing
from graphapp.store.db import Graph, for_reader
from tests.graphs import build
from tests.test_engagement import AS_OF, NODES, RELS

SECRET_SOURCE = "https://example.org/marigold-side-letter"
SECRET_ROLE_SOURCE = "https://example.org/zephyr-arrangement"
EXTRA_NODES = [
    {"label": "Person", "id": "amara", "name": "Amara Quill", "nationality": "LS",
     "sensitive": True, "description": "Quill notes: our contact inside Corp."},
    {"label": "Person", "id": "berit", "name": "Berit Ostrander"},
    {"label": "Company", "id": "marrow", "name": "Marrow Lane Capital",
     "extra_labels": ["Investor"], "investor_type": "private_equity"},
    {"label": "Company", "id": "other", "name": "Other Corp"},
]
EXTRA_RELS = [
    {"type": "HOLDS_ROLE", "from": "amara", "to": "corp", "kind": "representative",
     "title": "Trust Liaison", "start_date": "2020", "end_date": "2026-02"},
    {"type": "HAS_CONTACT", "from": "ngo", "to": "amara", "start_date": "2020"},
    {"type": "HOLDS_ROLE", "from": "berit", "to": "corp", "kind": "board",
     "title": "Shadow Adviser", "sensitive": True, "note": "Zephyr arrangement",
     "sources": [SECRET_ROLE_SOURCE]},
    {"type": "HOLDS_ROLE", "from": "berit", "to": "other", "kind": "board", "title": "Director"},
    {"type": "OWNS", "from": "marrow", "to": "corp", "economic_pct": 7.5, "voting_pct": 7.5,
     "sensitive": True, "note": "Side letter Marigold", "sources": [SECRET_SOURCE]},
    {"type": "OWNS", "from": "marrow", "to": "other", "economic_pct": 20.0, "voting_pct": 20.0},
]
LETTER = {"id": "e9", "name": "Letter on moderation", "kind": "letter", "date": "2026-01-05",
          "status": "sent", "by": ["ngo"], "to": ["amara", "corp"], "about": ["harm"],
          "sources": ["https://example.org/letter-e9"]}
# What a viewer must never read, in any answer.
SECRETS = ("amara", "Amara", "Quill", "Trust Liaison", "Shadow Adviser", "Zephyr", "Marigold",
           SECRET_SOURCE, SECRET_ROLE_SOURCE, "berit", "Berit")


@pytest.fixture
def secrets_graph(empty_graph):
    build(empty_graph, [*NODES, *EXTRA_NODES], [*RELS, *EXTRA_RELS])
    engagement.create_engagement(empty_graph, LETTER, user="alice")
    return empty_graph


def viewer_graph(graph: Graph) -> Graph:
    """The graph as a viewer's request has it (graphapp.web.graph.get_graph)."""
    return graph.seen_by(lambda: False)


def text(response) -> str:
    """The answer's text: the files inside a zip too (a Kumu CSV export is a zip)."""
    assert response.status_code == 200, (response.status_code, response.request.path)
    data = response.get_data()
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "\n".join(archive.read(n).decode() for n in archive.namelist())
    return data.decode()


def assert_hidden(body: str, where: str) -> None:
    found = [s for s in SECRETS if s in body]
    assert not found, f"{where}: {found}"


# --- an engagement sent to a contact -------------------------------------------------------------


ENGAGEMENT_URLS = [f"/api/engagements?as_of={AS_OF}", f"/api/engagements/overdue?as_of={AS_OF}"]


def test_an_engagement_to_a_contact_names_only_the_addressees_the_reader_may_see(
        secrets_graph, app):
    viewer, admin = app.test_client(role="viewer"), app.test_client(role="admin")
    for url in ENGAGEMENT_URLS:
        [seen] = [e for e in viewer.get(url).get_json()["engagements"] if e["id"] == "e9"]
        assert [t["id"] for t in seen["to"]] == ["corp"] and "withheld_to" not in seen, url
        assert_hidden(json.dumps(seen), url)
        [full] = [e for e in admin.get(url).get_json()["engagements"] if e["id"] == "e9"]
        assert sorted(t["id"] for t in full["to"]) == ["amara", "corp"], url
    one = viewer.get("/api/engagements/e9").get_json()
    assert [t["id"] for t in one["to"]] == ["corp"] and "withheld_to" not in one
    for url in ("/engagements", "/engagements/e9", f"/engagements/overdue.csv?as_of={AS_OF}"):
        body = text(viewer.get(url))
        assert "withheld" not in body, url  # not named, not counted
        assert_hidden(body, url)
        assert "Amara Quill" in text(admin.get(url)), url


def test_the_harms_engagement_ladder_names_no_contact(secrets_graph, app):
    viewer, admin = app.test_client(role="viewer"), app.test_client(role="admin")
    for url in (f"/api/harms/harm/engagement?as_of={AS_OF}", "/harms/harm/engagement"):
        assert_hidden(text(viewer.get(url)), url)
        assert "Amara Quill" in text(admin.get(url)), url
    ladder = standing.ladder(viewer_graph(secrets_graph), "harm", as_of=AS_OF)
    assert_hidden(json.dumps(ladder), "ladder")
    assert "amara" in json.dumps(standing.ladder(secrets_graph, "harm", as_of=AS_OF,
                                                 include_sensitive=True))


# --- the re-establish list -----------------------------------------------------------------------


def test_the_re_establish_list_leaves_a_departed_contact_out(secrets_graph, app):
    [flag] = engagement.turnover(secrets_graph, as_of=AS_OF, include_sensitive=True)
    assert (flag["person"]["id"], flag["role"]["title"], flag["place"]["id"]) == (
        "amara", "Trust Liaison", "corp")
    assert engagement.turnover(viewer_graph(secrets_graph), as_of=AS_OF) == []
    assert engagement.turnover(viewer_graph(secrets_graph), as_of=AS_OF,
                               include_sensitive=True) == []  # asking for more changes nothing
    assert_hidden(text(app.test_client(role="viewer").get("/engagements")), "/engagements")


# --- escalation ----------------------------------------------------------------------------------


# Before Amara left Corp (2026-02): she is a target, reached through Acme Rights' contact.
WHILE_SHE_WAS_THERE = "2026-01-15"


def _targets(result: dict) -> dict[str, dict]:
    return {t["id"]: t for rung in result["rungs"] for t in rung["targets"]}


def test_escalation_follows_no_sensitive_relationship(secrets_graph):
    everyone = _targets(escalation.escalate(secrets_graph, "harm", as_of=WHILE_SHE_WAS_THERE,
                                            include_sensitive=True))
    assert "Shadow Adviser" in json.dumps(everyone["berit"])  # only through the sensitive seat
    seen = _targets(escalation.escalate(viewer_graph(secrets_graph), "harm",
                                        as_of=WHILE_SHE_WAS_THERE))
    # the contact, the person on the sensitive seat, the holder of the sensitive stake
    assert set(everyone) - set(seen) == {"amara", "berit", "marrow"}
    assert set(seen) <= set(everyone)
    assert_hidden(json.dumps(seen), "escalation")


def test_an_escalation_export_with_org_names_no_contact_in_its_why(secrets_graph, app):
    viewer, admin = app.test_client(role="viewer"), app.test_client(role="admin")
    query = f"harm=harm&org=ngo&as_of={WHILE_SHE_WAS_THERE}"
    for url in (f"/api/harms/harm/escalation?org=ngo&as_of={WHILE_SHE_WAS_THERE}",
                f"/api/export?view=escalation&{query}&format=csv",
                f"/api/export?view=escalation&{query}&format=json",
                f"/export?view=escalation&{query}&format=html"):
        assert_hidden(text(viewer.get(url)), url)
    full = admin.get(f"/api/harms/harm/escalation?org=ngo&as_of={WHILE_SHE_WAS_THERE}")
    assert "Amara Quill" in " ".join(t["why"] for t in _targets(full.get_json()).values())


# --- leverage and interlocks ---------------------------------------------------------------------


def test_a_withheld_stake_counts_without_its_holder_note_or_source(secrets_graph, app):
    seen = leverage.company_leverage(viewer_graph(secrets_graph), "corp")
    stakes = {(s["holder"]["name"], s["voting_pct"]) for s in seen["direct_stakes"]}
    assert stakes == {("Fund", 10.0), (leverage.WITHHELD, 7.5)}
    [withheld] = [s for s in seen["direct_stakes"] if s["holder"]["name"] == leverage.WITHHELD]
    assert withheld["holder"]["id"] is None
    assert not withheld.get("note") and not withheld.get("sources")
    assert_hidden(json.dumps(seen), "company_leverage")
    full = leverage.company_leverage(secrets_graph, "corp", include_sensitive=True)
    [marrow] = [s for s in full["direct_stakes"] if s["holder"]["id"] == "marrow"]
    assert (marrow["note"], marrow["sources"]) == ("Side letter Marigold", [SECRET_SOURCE])
    for url in ("/api/companies/corp/leverage", "/companies/corp/leverage"):
        assert_hidden(text(app.test_client(role="viewer").get(url)), url)


def test_interlocks_show_no_sensitive_seat_or_stake(secrets_graph, app):
    def shared(result):
        return ([c["company"]["id"] for c in result["shared_board_members"]],
                [c["company"]["id"] for c in result["shared_major_investors"]],
                [m["person"]["id"] for m in result["board_members"]],
                [m["investor"]["id"] for m in result["major_investors"]])

    full = leverage.interlocks(secrets_graph, "corp", include_sensitive=True)
    assert shared(full) == (["other"], ["other"], ["berit", "chair"], ["marrow"])
    seen = leverage.interlocks(viewer_graph(secrets_graph), "corp")
    assert shared(seen) == ([], [], ["chair"], [])
    assert_hidden(json.dumps(seen), "interlocks")
    for url in ("/api/companies/corp/interlocks", "/investors/marrow/exposure",
                "/api/investors/marrow/exposure"):
        assert_hidden(text(app.test_client(role="viewer").get(url)), url)


# --- history and exports -------------------------------------------------------------------------


def test_an_engagements_history_withholds_the_contacts_id(secrets_graph, app):
    viewer, admin = app.test_client(role="viewer"), app.test_client(role="admin")
    events = viewer.get("/api/entities/e9/history").get_json()
    assert events and "(withheld)" in json.dumps(events)
    assert_hidden(json.dumps(events), "history")
    assert_hidden(text(viewer.get("/entities/e9/history")), "/entities/e9/history")
    assert "amara" in json.dumps(admin.get("/api/entities/e9/history").get_json())


def test_an_exports_country_filter_reveals_no_nationality(secrets_graph, app):
    url = "/api/export?view=graph&format=json&countries=LS"
    viewer = json.load(io.BytesIO(app.test_client(role="viewer").get(url).get_data()))
    assert viewer["nodes"] == []
    admin = json.load(io.BytesIO(app.test_client(role="admin").get(
        url + "&include_sensitive=true").get_data()))
    assert [n["id"] for n in admin["nodes"]] == ["amara"]


# --- one place decides ---------------------------------------------------------------------------


CAPABILITY_PACKAGES = ("graphapp",)
NOT_CAPABILITIES = ("graphapp.web", "graphapp.commands", "graphapp.store")


def _capabilities() -> list[tuple[str, object]]:
    """Every public function of graphapp (but the web, command and store layers) that takes a
    ``graph`` and an ``include_sensitive``: the functions that shape answers for a reader."""
    found = []
    for info in pkgutil.walk_packages(graphapp.__path__, "graphapp."):
        if info.name.startswith(NOT_CAPABILITIES):
            continue
        module = importlib.import_module(info.name)
        for name, function in vars(module).items():
            if (name.startswith("_") or not inspect.isfunction(function)
                    or function.__module__ != info.name):
                continue
            parameters = inspect.signature(function).parameters
            if "graph" in parameters and "include_sensitive" in parameters:
                found.append((f"{info.name}.{name}", function))
    return found


def test_every_capability_takes_its_reader_from_the_graph():
    """A new capability that takes ``include_sensitive`` must be wrapped by ``for_reader``,
    so that no caller (a view that passes True, a route that forgets) can raise its ceiling."""
    capabilities = _capabilities()
    assert len(capabilities) > 20
    unwrapped = [name for name, f in capabilities
                 if getattr(f, "__wrapped__", None) is None
                 or f.__code__ is not for_reader(lambda graph, include_sensitive: 0).__code__]
    assert not unwrapped, "not wrapped by graphapp.store.db.for_reader: " + ", ".join(unwrapped)


def test_a_viewer_asking_for_more_gets_what_a_viewer_gets(secrets_graph):
    viewer = viewer_graph(secrets_graph)
    for ask in (
        lambda **k: engagement.list_engagements(viewer, as_of=AS_OF, **k),
        lambda **k: engagement.turnover(viewer, as_of=AS_OF, **k),
        lambda **k: leverage.company_leverage(viewer, "corp", **k),
        lambda **k: leverage.interlocks(viewer, "corp", **k),
        lambda **k: escalation.escalate(viewer, "harm", as_of=AS_OF, org="ngo", **k),
    ):
        assert ask(include_sensitive=True) == ask()
    rows = viewer.read("engagement.engagements", ids=["e9"], harm=None, org=None, target=None,
                       as_of=None, versions=True, include_sensitive=True, limit=1)
    assert_hidden(json.dumps(rows, default=str), "engagement.engagements")
