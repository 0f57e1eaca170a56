"""Every GET route of the app, for every entity of the seed, as an admin and as a viewer.

Why: the 641 earlier tests asked small graphs; nobody asked every page about the real graph, and
149 of 1,402 URLs answered 500 there, while sensitive contacts reached viewers through about 40
(issue 13). This crawl derives its URLs from ``app.url_map``, so a new route is crawled without
editing this file; a route whose URL parameter or required query parameter it cannot fill fails
the test loudly instead of being skipped.

The seed holds nothing sensitive, so the crawl adds: a contact (a sensitive Person, with a
former role at Meta and a nationality no one else has), the organisation's HAS_CONTACT with
them, a sensitive role of a public person, a sensitive stake (with a note and a source) of a
public fund, and a non-sensitive engagement sent to the contact. As a viewer, no answer may
contain any of their names, ids, titles, notes or sources.

Run alone: ``.venv/bin/pytest tests/test_crawl.py -q -s`` (prints the URL counts).
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from flask.testing import FlaskClient

from graphapp import create_app, engagement, seeding
from graphapp.config import PROJECT_ROOT
from graphapp.io import templates
from graphapp.store import records
from tests import graphs

CONTACT = {"label": "Person", "id": "crawl-contact-amara", "name": "Amara Quillfeather",
           "nationality": "LS", "sensitive": True,
           "description": "Defender's contact inside Meta (Quillfeather notes)."}
INSIDER = {"label": "Person", "id": "crawl-insider", "name": "Berit Ostrander"}
FUND = {"label": "Company", "id": "crawl-fund", "name": "Marrow Lane Capital",
        "extra_labels": ["Investor"], "investor_type": "private_equity"}
ENGAGEMENT = {"label": "Engagement", "id": "crawl-eng-letter", "name": "Letter on moderation",
              "kind": "letter", "date": "2025-01-10", "status": "sent"}
SECRET_SOURCE = "https://example.org/crawl-secret-stake-evidence"
SECRET_ROLE_SOURCE = "https://example.org/crawl-secret-role-evidence"
SOURCE = "https://example.org/crawl-evidence"
EXTRA_RELATIONSHIPS = [
    {"type": "HOLDS_ROLE", "from": CONTACT["id"], "to": "meta-platforms",
     "title": "Trust Liaison Quillrole", "kind": "manager", "start_date": "2019",
     "end_date": "2025-01", "confidence": "reported", "sources": [SOURCE]},
    {"type": "HAS_CONTACT", "from": "phandeeyar", "to": CONTACT["id"], "start_date": "2020",
     "confidence": "reported", "sources": [SOURCE]},
    {"type": "HOLDS_ROLE", "from": INSIDER["id"], "to": "meta-platforms",
     "title": "Shadow Adviser Zephyr", "kind": "executive", "sensitive": True,
     "note": "Zephyr arrangement", "confidence": "reported", "sources": [SECRET_ROLE_SOURCE]},
    {"type": "OWNS", "from": FUND["id"], "to": "meta-platforms", "economic_pct": 7.5,
     "voting_pct": 7.5, "sensitive": True, "note": "Side letter Marigold",
     "confidence": "reported", "sources": [SECRET_SOURCE]},
]
# Recorded through graphapp.engagement, as the form does: audited, so the contact's id is in
# the engagement's history.
ENGAGEMENT_INPUT = {**{k: v for k, v in ENGAGEMENT.items() if k != "label"},
                    "by": ["phandeeyar"], "to": [CONTACT["id"]],
                    "about": ["harm-rohingya-facebook-incitement"], "sources": [SOURCE]}
# What a viewer must never read, anywhere.
SECRETS = (CONTACT["id"], CONTACT["name"], "Quillfeather", "Quillrole", "Zephyr", "Marigold",
           SECRET_SOURCE, SECRET_ROLE_SOURCE)

WORKERS = 4
# URL parameter -> the labels of the entities that fill it (None: any entity).
ENTITY_PARAMS = {
    "entity_id": None,
    "harm_id": ("Harm",),
    "company_id": ("Company",),
    "investor_id": ("Investor", "Company", "Person"),
    "engagement_id": ("Engagement",),
}


def _static_files() -> list[str]:
    return sorted(p.name for p in (PROJECT_ROOT / "static").iterdir() if p.is_file())


# URL parameters that are not entity ids: every value they take.
def _help_topics() -> list[str]:
    from graphapp.web.ui import HELP

    return sorted(HELP)


OTHER_PARAMS = {"name": templates.all_template_names, "filename": _static_files,
                "topic": _help_topics}
# Query parameters that name an entity, and the labels tried in them, on routes whose API
# schema declares them (a filter that names an entity must not reveal a hidden one either).
QUERY_FILTERS = {"harm": ("Harm",), "org": ("Organization",), "target": None,
                 "company": ("Company",)}


def _export_queries(entity: dict) -> list[str]:
    """The export views that fit an entity (view= and its subject are required): node-link
    JSON, the cheapest format; tests/test_exports.py renders every format."""
    e, labels = entity["id"], set(entity["labels"])
    out = [f"view=entity&id={e}&format=json"]
    if "Harm" in labels:
        out += [f"view=escalation&harm={e}&format=json",
                f"view=escalation&harm={e}&org=phandeeyar&format=csv"]
    if labels & {"Investor", "Person"}:
        out.append(f"view=investor&id={e}&format=json")
    if "Company" in labels:
        out.append(f"view=company&id={e}&format=json")
    if "Country" in labels:
        out.append(f"view=graph&format=json&countries={entity['properties'].get('iso2', 'XX')}")
    return out


def _one_of_each_view(entities: list[dict]) -> list[str]:
    """The export form's route shares the API's code (graphapp.views.exporting): each view once
    for the contact's neighbours and a harm, in every format."""
    harm = "harm-rohingya-facebook-incitement"
    views = [f"view=escalation&harm={harm}&org=phandeeyar", "view=entity&id=meta-platforms",
             "view=investor&id=crawl-fund", "view=company&id=meta-platforms",
             f"view=graph&countries={CONTACT['nationality']}"]
    return [f"{v}&format={f}" for v in views for f in ("html", "csv", "graphml")]


GRAPH_EXPORTS = ["view=graph&format=json", "view=graph&format=csv",
                 f"view=graph&format=json&countries={CONTACT['nationality']}"]
# Routes that cannot answer without a query string: endpoint -> the queries for an entity.
REQUIRED_QUERY = {"api.export": _export_queries}
ONCE_QUERY = {"pages.export": _one_of_each_view}
# Hostile or odd values tried on routes that take no entity (sign-in's next=, ...).
EXTRA_QUERIES = {"auth.login": ["next=/%0A/evil.example", "next=%0D%0ALocation:x", "next=//x",
                                "next=/%09/evil.example/"]}


def _url(rule, values: dict) -> str:
    url = rule.rule
    for name, value in values.items():
        url = re.sub(rf"<(?:[a-z]+:)?{name}>", value, url)
    return url


def _query_fields(view) -> set[str]:
    """The query parameters a flask-smorest view declares (``@blp.arguments(..., "query")``)."""
    names: set[str] = set()
    for argument in getattr(view, "_apidoc", {}).get("arguments", {}).get("parameters", []):
        if argument.get("in") == "query":
            schema = argument["schema"]
            names |= set((schema() if isinstance(schema, type) else schema).fields)
    return names


def _fits(labels, entity: dict) -> bool:
    return labels is None or bool(set(labels) & set(entity["labels"]))


def crawl_urls(app, entities: list[dict]) -> list[str]:
    """Every URL to try: each GET route for each entity of its kind, with query defaults.

    A URL parameter the crawl does not know fails here, naming the route: fill it, never skip.
    """
    urls: list[str] = []
    rules = sorted((r for r in app.url_map.iter_rules() if "GET" in r.methods),
                   key=lambda r: r.rule)
    for rule in rules:
        params = set(rule.arguments)
        unknown = params - set(ENTITY_PARAMS) - set(OTHER_PARAMS)
        assert not unknown, (f"The crawl cannot fill {sorted(unknown)} of {rule.rule} "
                             f"({rule.endpoint}): add them to ENTITY_PARAMS or OTHER_PARAMS.")
        if rule.endpoint in ONCE_QUERY:
            urls += [f"{rule.rule}?{q}" for q in ONCE_QUERY[rule.endpoint](entities)]
        elif rule.endpoint in REQUIRED_QUERY:
            urls += [f"{rule.rule}?{q}" for e in entities
                     for q in REQUIRED_QUERY[rule.endpoint](e)]
            urls += [f"{rule.rule}?{q}" for q in GRAPH_EXPORTS]
        elif params & set(OTHER_PARAMS):
            (name,) = params
            urls += [_url(rule, {name: value}) for value in OTHER_PARAMS[name]()]
        elif params:
            urls += [_url(rule, {p: e["id"] for p in params}) for e in entities
                     if all(_fits(ENTITY_PARAMS[p], e) for p in params)]
        else:
            urls.append(rule.rule)
            urls += [f"{rule.rule}?{q}" for q in EXTRA_QUERIES.get(rule.endpoint, ())]
            declared = _query_fields(app.view_functions[rule.endpoint])
            for name, labels in QUERY_FILTERS.items():
                if name in declared:
                    urls += [f"{rule.rule}?{name}={e['id']}" for e in entities
                             if _fits(labels, e)]
    return urls


@pytest.fixture(scope="module")
def crawl_app(neo4j_target, graph):
    """The seed plus the sensitive extras, loaded once for the module."""
    graphs.wipe(graph)
    nodes, rels = seeding.read_seed()
    nodes += [(f"crawl: {n['id']}", n) for n in (CONTACT, INSIDER, FUND)]
    rels += [(f"crawl: relationships[{i}]", {"as_of": "2026-11", **r})
             for i, r in enumerate(EXTRA_RELATIONSHIPS)]
    records.write(graph, records.validate(nodes, rels, sourced=True))
    engagement.create_engagement(graph, ENGAGEMENT_INPUT, user="crawl")
    graphs.state["loaded"] = "crawl"
    yield create_app({"TESTING": True, "NEO4J_TARGET": neo4j_target,
                      "SECRET_KEY": "test-secret", "WTF_CSRF_ENABLED": False})
    graphs.wipe(graph)


def _entities(graph) -> list[dict]:
    rows = graph.driver.execute_query(
        "MATCH (n:Entity) RETURN n.id AS id, labels(n) AS labels, properties(n) AS properties "
        "ORDER BY n.id").records
    return [dict(r) for r in rows]


def _client(app, graph, role: str) -> FlaskClient:
    """A client signed in as ``role`` the way every test signs in (tests/auth_helpers.py)."""
    return app.test_client(role=role)


def _body_secrets(response) -> list[str]:
    """The secrets in an answer: its bytes, and the files inside a zip (Kumu CSVs, XLSX)."""
    data = response.get_data()
    texts = [data]
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            texts += [archive.read(n) for n in archive.namelist()]
    return [s for s in SECRETS if any(s.encode() in t for t in texts)]


def _crawl_part(app, graph, role: str, urls: list[str]) -> tuple[list[str], list[str]]:
    client = _client(app, graph, role)
    errors, leaks = [], []
    for url in urls:
        response = client.get(url)
        if response.status_code >= 500:
            errors.append(f"{response.status_code} {url}")
        if role == "viewer":
            # asking for a sensitive entity by its id must be answered as for an unknown id
            # (the same status: 404 on its pages, 403 on an editor's form, an empty filter;
            # its "No entity with id ..." message naming only what was asked)
            asked = [s for s in SECRETS if s in url]
            if asked:
                twin = client.get(url.replace(CONTACT["id"], "crawl-no-such-entity"))
                if response.status_code != twin.status_code:
                    leaks.append(f"{url}: {response.status_code}, an unknown id gets "
                                 f"{twin.status_code}")
            found = [s for s in _body_secrets(response) if s not in asked]
            if found:
                leaks.append(f"{url}: {found}")
    return errors, leaks


def _run(app, graph, role: str, urls: list[str]) -> tuple[list[str], list[str]]:
    """The URLs in WORKERS threads, each with its own client (the requests wait on Neo4j)."""
    parts = [urls[k::WORKERS] for k in range(WORKERS)]
    with ThreadPoolExecutor(WORKERS) as pool:
        done = list(pool.map(lambda part: _crawl_part(app, graph, role, part), parts))
    return [e for errors, _ in done for e in errors], [x for _, leaks in done for x in leaks]


def test_every_route_for_every_entity_answers_and_hides_the_sensitive(crawl_app, graph):
    entities = _entities(graph)
    urls = crawl_urls(crawl_app, entities)
    started = time.monotonic()
    admin_errors, _ = _run(crawl_app, graph, "admin", urls)
    viewer_errors, leaks = _run(crawl_app, graph, "viewer", urls)
    seconds = time.monotonic() - started
    kinds = Counter(u.split("?")[0].split("/")[1] for u in urls)
    print(f"\ncrawl: {len(urls)} URLs x 2 roles in {seconds:.0f} s; 5xx as admin "
          f"{len(admin_errors)}, as viewer {len(viewer_errors)}; viewer leaks {len(leaks)}; "
          f"{dict(kinds)}")
    problems = ([f"admin {e}" for e in admin_errors] + [f"viewer {e}" for e in viewer_errors]
                + [f"leak {x}" for x in leaks])
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:80])
