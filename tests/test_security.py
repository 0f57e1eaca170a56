"""Accounts, roles, sensitive data, the audit trail, CSRF, injection and XSS (docs/security.md)."""

from __future__ import annotations

import re
import threading

import pytest

from graphapp import audit, auth, create_app
from tests.auth_helpers import client_as
from tests.graphs import build

NODES = [
    {"label": "Company", "id": "acme", "name": "Acme Corp", "jurisdiction": "US"},
    {"label": "Person", "id": "whistle", "name": "Secret Source", "sensitive": True},
    {"label": "Harm", "id": "harm", "name": "Data leak", "harm_type": "privacy_breach"},
    {"label": "Company", "id": "fund", "name": "Big Fund", "jurisdiction": "US"},
]
RELS = [
    {"type": "HOLDS_ROLE", "from": "whistle", "to": "acme", "kind": "executive", "sensitive": True},
    {"type": "INVOLVES", "from": "harm", "to": "acme"},
    {"type": "OWNS", "from": "fund", "to": "acme", "economic_pct": 20, "voting_pct": 20},
]

# Every endpoint and method: (endpoint, "METHOD path", least role). "open" = no sign-in.
# A new endpoint or method without a row fails test_every_endpoint_has_a_rule.
READ = "viewer"
RULES = [
    ("pages.home", "GET /", READ),
    ("pages.entity", "GET /entities/acme", READ),
    ("pages.harm", "GET /harms/harm", READ),
    ("pages.harm_diagram", "GET /harms/harm/diagram", READ),
    ("pages.company_leverage", "GET /companies/acme/leverage", READ),
    ("pages.company_leverage_chart", "GET /companies/acme/leverage.png", READ),
    ("pages.investor_exposure", "GET /investors/fund/exposure", READ),
    ("pages.export", "GET /export?view=entity&id=acme&format=json", READ),
    ("pages.healthz", "GET /healthz", "open"),
    ("api.list_entities", "GET /api/entities?q=acme", READ),
    ("api.get_entity", "GET /api/entities/acme", READ),
    ("api.stats", "GET /api/stats", READ),
    ("api.harm_escalation", "GET /api/harms/harm/escalation", READ),
    ("api.company_leverage", "GET /api/companies/acme/leverage", READ),
    ("api.investor_exposure", "GET /api/investors/fund/exposure", READ),
    ("api.company_interlocks", "GET /api/companies/acme/interlocks", READ),
    ("api.network_holders", "GET /api/leverage/network", READ),
    ("api.export", "GET /api/export?view=entity&id=acme&format=json", READ),
    ("api.entity_history", "GET /api/entities/acme/history", READ),
    ("api.edit_entity", "PUT /api/entities/acme", "editor"),
    ("api-docs.openapi_json", "GET /api/openapi.json", READ),
    ("imports.import_form", "GET /import", "editor"),
    ("imports.import_upload", "POST /import", "editor"),
    ("imports.template_download", "GET /import/templates/graphapp-template.xlsx", READ),
    ("history.entity_history", "GET /entities/acme/history", READ),
    ("history.entity_edit", "GET /entities/acme/edit", "editor"),
    ("history.entity_edit", "POST /entities/acme/edit", "editor"),
    ("auth.login", "GET /login", "open"),
    ("auth.login", "POST /login", "open"),
    ("auth.logout", "POST /logout", "open"),
    ("auth.users", "GET /users", "admin"),
    ("auth.users_change", "POST /users", "admin"),
    ("auth.account", "GET /account", "viewer"),
    ("auth.account_change", "POST /account", "viewer"),
    ("static", "GET /static/graphapp.css", "open"),
    # engagement tracking (issue 7): its forms show to readers; saving needs an editor
    ("engagements.dashboard", "GET /engagements", READ),
    ("engagements.overdue_csv", "GET /engagements/overdue.csv", READ),
    ("engagements.new_engagement", "GET /engagements/new", READ),
    ("engagements.new_engagement", "POST /engagements/new", "editor"),
    ("engagements.edit_engagement", "GET /engagements/eng-x", READ),
    ("engagements.edit_engagement", "POST /engagements/eng-x", "editor"),
    ("engagements.new_commitment", "GET /commitments/new", READ),
    ("engagements.new_commitment", "POST /commitments/new", "editor"),
    ("engagements.harm_ladder", "GET /harms/harm/engagement", READ),
    ("engagements.company_responsiveness", "GET /companies/acme/responsiveness", READ),
    ("api.list_engagements", "GET /api/engagements", READ),
    ("api.create_engagement", "POST /api/engagements", "editor"),
    ("api.overdue_engagements", "GET /api/engagements/overdue", READ),
    ("api.get_engagement", "GET /api/engagements/eng-x", READ),
    ("api.update_engagement", "PATCH /api/engagements/eng-x", "editor"),
    ("api.update_engagement", "PUT /api/engagements/eng-x", "editor"),
    ("api.list_commitments", "GET /api/commitments", READ),
    ("api.create_commitment", "POST /api/commitments", "editor"),
    ("api.company_responsiveness", "GET /api/companies/acme/responsiveness", READ),
    ("api.harm_engagement", "GET /api/harms/harm/engagement", READ),
]
ROLES = [None, "viewer", "editor", "admin"]
RANK = {None: -1, "viewer": 0, "editor": 1, "admin": 2}


@pytest.fixture
def small(empty_graph):
    return build(empty_graph, NODES, RELS)


def _call(client, spec: str):
    method, _, path = spec.partition(" ")
    if method == "PUT":
        return client.put(path, json={"version": "stale", "changes": {}})
    if method == "POST":
        return client.post(path, data={})
    if method == "PATCH":
        return client.patch(path, json={})
    return client.get(path)


def test_every_endpoint_has_a_rule(app):
    routes = {(rule.endpoint, method) for rule in app.url_map.iter_rules()
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    missing = routes - {(endpoint, spec.split()[0]) for endpoint, spec, _ in RULES}
    assert not missing, f"endpoints without an authorization rule in this test: {missing}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("endpoint", "spec", "needs"), RULES, ids=[r[1] for r in RULES])
def test_authorization_matrix(small, app, role, endpoint, spec, needs):
    response = _call(client_as(app, role), spec)
    allowed = needs == "open" or RANK[role] >= RANK[needs]
    if needs == "open":  # (a sign-in with no password is a 401 of its own)
        assert response.status_code != 403, (endpoint, role, response.status_code)
    elif allowed:
        assert response.status_code not in (401, 403), (endpoint, role, response.status_code)
        assert endpoint == "auth.logout" or not (
            response.status_code == 302 and "/login" in response.headers.get("Location", "")
        ), (endpoint, role)
    elif role is None:
        assert response.status_code in (401, 302), (endpoint, role, response.status_code)
        if response.status_code == 302:
            assert "/login" in response.headers["Location"]
    else:
        assert response.status_code == 403, (endpoint, role, response.status_code)
    assert response.status_code != 500


SENSITIVE_ENTITY_PATHS = ["/entities/whistle", "/api/entities/whistle", "/entities/whistle/history",
                          "/api/entities/whistle/history"]


@pytest.mark.parametrize("role", ROLES[1:])
@pytest.mark.parametrize("path", SENSITIVE_ENTITY_PATHS)
def test_a_sensitive_entity_is_not_found_below_editor(small, app, role, path):
    response = client_as(app, role).get(path)
    assert response.status_code == (200 if RANK[role] >= RANK["editor"] else 404), (role, path)


SENSITIVE_PAGES = ["/", "/?q=secret", "/entities/acme", "/entities/whistle", "/api/entities/acme",
                   "/api/entities/whistle", "/api/entities?q=secret", "/api/stats",
                   "/harms/harm", "/api/harms/harm/escalation",
                   "/api/export?view=entity&id=acme&format=json"]


@pytest.mark.parametrize("role", ["viewer", "editor", "admin"])
def test_sensitive_data_needs_editor(small, app, role):
    client = client_as(app, role)
    sees = role in ("editor", "admin")
    for path in SENSITIVE_PAGES:
        body = client.get(path).get_data(as_text=True)
        if path.endswith("/whistle"):
            assert (client.get(path).status_code == 200) == sees, (role, path)
        elif path in ("/?q=secret", "/api/entities?q=secret", "/entities/acme",
                      "/api/entities/acme"):
            assert ("Secret Source" in body) == sees, (role, path)
        else:
            assert "Secret Source" not in body or sees, (role, path)
    stats = client.get("/api/stats").get_json()
    assert stats["labels"].get("Person", 0) == (1 if sees else 0)
    page = client.get("/entities/acme").get_data(as_text=True)
    assert ('name="include_sensitive"' in page) == sees  # the export form offers it or not
    export = client.get("/api/export?view=entity&id=acme&format=json&include_sensitive=true")
    assert export.status_code == (200 if sees else 403)


def test_public_read_mode_shows_only_public_data(small, neo4j_target):
    app = create_app({"TESTING": True, "NEO4J_TARGET": neo4j_target, "SECRET_KEY": "t",
                      "GRAPHAPP_PUBLIC_READ": True})
    anonymous = client_as(app, None)
    assert anonymous.get("/entities/acme").status_code == 200
    assert "Secret Source" not in anonymous.get("/entities/acme").get_data(as_text=True)
    assert anonymous.get("/entities/whistle").status_code == 404
    assert anonymous.put("/api/entities/acme", json={"version": "", "changes": {}}
                         ).status_code == 401
    assert anonymous.get("/import").status_code in (302, 401)


def test_without_public_read_everything_but_health_and_login_needs_sign_in(small, app):
    anonymous = client_as(app, None)
    assert anonymous.get("/api/stats").status_code == 401
    assert anonymous.get("/api/stats").headers["WWW-Authenticate"].startswith("Bearer")
    assert anonymous.get("/").status_code == 302
    assert anonymous.get("/healthz").status_code == 200
    assert anonymous.get("/login").status_code == 200


def test_login_logout_and_tokens(small, app):
    graph = small
    auth.create_user(graph, "alice", "editor", "correct horse battery")
    client = client_as(app, None)
    bad = client.post("/login", data={"name": "alice", "password": "wrong password!"})
    assert bad.status_code == 401 and "Wrong name or password" in bad.get_data(as_text=True)
    ok = client.post("/login?next=//evil.example/", data={"name": "alice",
                                                          "password": "correct horse battery"})
    assert ok.status_code == 302 and ok.headers["Location"] == "/"
    assert "Secret Source" in client.get("/entities/acme").get_data(as_text=True)
    cookie = ok.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    client.post("/logout")
    assert client.get("/api/stats").status_code == 401

    token = auth.create_token(graph, "alice")
    stored = graph.driver.execute_query("MATCH (t:ApiToken) RETURN t.hash AS h").records
    assert [r["h"] for r in stored] == [auth.token_hash(token)]  # the token itself is not kept
    api = client_as(app, None)
    assert api.get("/api/stats", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert api.get("/api/stats", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_login_is_rate_limited(small, app):
    auth.create_user(small, "bob", "viewer", "correct horse battery")
    client = client_as(app, None)
    for _ in range(auth.THROTTLE_FREE):
        assert client.post("/login", data={"name": "bob", "password": "x"}).status_code == 401
    blocked = client.post("/login", data={"name": "bob", "password": "correct horse battery"})
    assert blocked.status_code == 429


def test_passwords_are_hashed_with_scrypt(small):
    auth.create_user(small, "carol", "viewer", "correct horse battery")
    row = small.driver.execute_query("MATCH (u:User {name: 'carol'}) RETURN u.password_hash AS h"
                                     ).records[0]
    assert row["h"].startswith("scrypt:") and "correct horse" not in row["h"]


def test_security_headers_and_strict_csp(small, app):
    response = client_as(app, "viewer").get("/entities/acme")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    diagram = client_as(app, "viewer").get("/harms/harm/diagram")
    assert "frame-ancestors 'self'" in diagram.headers["Content-Security-Policy"]


def test_https_makes_cookies_secure(neo4j_target):
    app = create_app({"TESTING": True, "NEO4J_TARGET": neo4j_target, "SECRET_KEY": "t",
                      "GRAPHAPP_HTTPS": True})
    assert app.config["SESSION_COOKIE_SECURE"] is True


# --- the audit trail and concurrent edits -------------------------------------------------


def _version(client, entity_id="acme") -> str:
    return client.get(f"/api/entities/{entity_id}").get_json()["properties"].get(
        "updated_at", "")


def test_an_edit_is_recorded_with_who_before_and_after(small, app):
    client = client_as(app, "editor")
    response = client.put("/api/entities/acme", json={
        "version": _version(client), "changes": {"description": "Makes anvils"}})
    assert response.status_code == 200
    history = client.get("/api/entities/acme/history").get_json()["events"]
    assert [(e["user"], e["action"], e["before"], e["after"]) for e in history] == [
        ("test-editor", "entity.edit", {}, {"description": "Makes anvils"})]
    page = client.get("/entities/acme/history").get_data(as_text=True)
    assert "Makes anvils" in page and "test-editor" in page


def test_two_concurrent_edits_lose_neither(small, app):
    first, second = client_as(app, "editor"), client_as(app, "admin")
    version = _version(first)
    a = first.put("/api/entities/acme", json={"version": version,
                                               "changes": {"description": "From A"}})
    b = second.put("/api/entities/acme", json={"version": version,
                                                "changes": {"aliases": ["ACME"]}})
    assert a.status_code == 200 and b.status_code == 409
    conflict = b.get_json()
    assert conflict["errors"]["current"]["description"] == "From A"
    retry = second.put("/api/entities/acme", json={"version": conflict["errors"]["version"][0],
                                                    "changes": {"aliases": ["ACME"]}})
    assert retry.status_code == 200
    props = first.get("/api/entities/acme").get_json()["properties"]
    assert (props["description"], props["aliases"]) == ("From A", ["ACME"])


def test_racing_edits_in_threads_never_both_win(small, app):
    version = _version(client_as(app, "editor"))
    results = []

    def edit(text):
        try:
            audit.edit_entity(small, "t", "acme", version, {"description": text})
            results.append("ok")
        except audit.Conflict:
            results.append("conflict")

    threads = [threading.Thread(target=edit, args=(f"text {i}",)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    outcomes = results
    assert outcomes.count("ok") == 1 and outcomes.count("conflict") == 5


def test_the_edit_form_shows_a_conflict(small, app):
    client = client_as(app, "editor")
    page = client.get("/entities/acme/edit").get_data(as_text=True)
    version = re.search(r'name="version" value="([^"]*)"', page).group(1)
    client.put("/api/entities/acme", json={"version": version,
                                           "changes": {"description": "Theirs"}})
    response = client.post("/entities/acme/edit", data={"version": version, "name": "Acme Corp",
                                                        "description": "Mine"})
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "Theirs" in body and "Mine" in body


def test_web_imports_are_audited(small, app):
    import io

    client = client_as(app, "editor")
    data = {"files": [(io.BytesIO(b"id,name,jurisdiction\nacme,Acme Inc,US\n"), "Company.csv")]}
    assert client.post("/import", data=data, content_type="multipart/form-data"
                       ).status_code == 200
    events = audit.history(small, "acme")
    assert [(e["user"], e["action"], e["before"], e["after"]) for e in events] == [
        ("test-editor", "import.update", {"name": "Acme Corp"}, {"name": "Acme Inc"})]


# --- CSRF ---------------------------------------------------------------------------------


def test_a_form_without_csrf_token_is_refused(small, neo4j_target):
    app = create_app({"TESTING": True, "NEO4J_TARGET": neo4j_target, "SECRET_KEY": "t",
                      "WTF_CSRF_ENABLED": True})
    if "csrf" not in app.extensions:
        pytest.fail("CSRFProtect is not set up in create_app")
    client = client_as(app, "admin")
    response = client.post("/users", data={"action": "create", "name": "mallory",
                                           "role": "admin", "password": "x" * 20})
    assert response.status_code == 400
    assert not small.driver.execute_query("MATCH (u:User {name: 'mallory'}) RETURN u").records
    api = client.put("/api/entities/acme", json={"version": "", "changes": {"name": "X"}})
    assert api.status_code == 400  # cookie-signed-in API writes need X-CSRFToken too

    auth.create_user(small, "frank", "editor", "correct horse battery")
    browser = client_as(app, None)
    form = browser.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    assert browser.post("/login", data={"name": "frank", "password": "correct horse battery"}
                        ).status_code == 400
    signed_in = browser.post("/login", data={"name": "frank", "password": "correct horse battery",
                                             "csrf_token": token})
    assert signed_in.status_code == 302
    page = browser.get("/entities/acme/edit").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    version = re.search(r'name="version" value="([^"]*)"', page).group(1)
    saved = browser.put("/api/entities/acme", json={"version": version,
                                                    "changes": {"description": "With token"}},
                        headers={"X-CSRFToken": token})
    assert saved.status_code == 200


# --- injection and XSS --------------------------------------------------------------------

INJECTIONS = ["' OR 1=1 //", "\" OR true RETURN n //", "x}) DETACH DELETE n //",
              "MATCH (n) DETACH DELETE n", "acme' }) MATCH (m) DETACH DELETE m //",
              "`; DROP", "$(x)", "\\u0027", "../../etc/passwd"]


def _entity_count(graph) -> tuple[int, int]:
    row = graph.driver.execute_query(
        "MATCH (n:Entity) OPTIONAL MATCH (n)-[r]->() RETURN count(DISTINCT n) AS n, "
        "count(r) AS r").records[0]
    return row["n"], row["r"]


def _paths_with(value: str) -> list[str]:
    from urllib.parse import quote

    v = quote(value, safe="")
    return [f"/?q={v}", f"/entities/{v}", f"/harms/{v}", f"/harms/harm?as_of={v}&org={v}",
            f"/harms/{v}/diagram", f"/companies/{v}/leverage",
            f"/companies/acme/leverage?as_of={v}",
            f"/companies/{v}/leverage.png", f"/investors/{v}/exposure",
            f"/export?view=entity&id={v}&format=json", f"/export?view={v}",
            f"/api/entities?q={v}", f"/api/entities/{v}", f"/api/entities/{v}/history",
            f"/entities/{v}/history", f"/entities/{v}/edit",
            f"/api/harms/{v}/escalation", f"/api/harms/harm/escalation?kinds={v}&org={v}",
            f"/api/companies/{v}/leverage", f"/api/companies/acme/leverage?max_depth={v}",
            f"/api/investors/{v}/exposure", f"/api/companies/{v}/interlocks",
            f"/api/companies/acme/interlocks?threshold={v}",
            f"/api/export?view=graph&format=json&labels={v}&countries={v}&title={v}",
            f"/import/templates/{v}"]


QUERY_NAMES = ("q", "limit", "as_of", "min_confidence", "kinds", "max_hops", "org", "max_depth",
               "threshold", "top", "view", "format", "id", "harm", "depth", "size", "title",
               "caption", "labels", "countries", "days", "status", "company", "person", "team",
               "harm_id", "next")


def test_cypher_injection_in_every_route_generically(small, app):
    """Every GET route of app.url_map (new ones included), each path variable and every known
    query parameter set to an injection string: no 500, the graph unchanged."""
    from urllib.parse import urlencode

    client = client_as(app, "admin")
    adapter = app.url_map.bind("localhost")
    before = _entity_count(small)
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        for value in INJECTIONS:
            path = adapter.build(rule.endpoint, dict.fromkeys(rule.arguments, value))
            query = urlencode(dict.fromkeys(QUERY_NAMES, value))
            response = client.get(f"{path}?{query}")
            assert response.status_code < 500, (rule.rule, value, response.status_code)
    assert _entity_count(small) == before


FORM_NAMES = ("name", "password", "role", "action", "version", "description", "aliases",
              "format", "id", "date", "status", "channel", "summary", "by", "to", "about",
              "company", "text", "due", "kind", "title", "note", "sources", "csrf_token")


def test_cypher_injection_in_every_write_route_generically(small, app):
    """Every POST/PUT/PATCH route, each path variable, form field and JSON field an injection
    string: no 500, and nothing written (every value is invalid somewhere)."""
    client = client_as(app, "admin")
    adapter = app.url_map.bind("localhost")
    before = _entity_count(small)
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods & {"POST", "PUT", "PATCH"}):
            for value in INJECTIONS[:5]:
                path = adapter.build(rule.endpoint, dict.fromkeys(rule.arguments, value))
                fields = dict.fromkeys(FORM_NAMES, value)
                as_form = client.open(path, method=method, data=fields)
                as_json = client.open(path, method=method, json={**fields, "changes": fields})
                for response in (as_form, as_json):
                    assert response.status_code < 500, (method, rule.rule, value,
                                                        response.status_code)
    assert _entity_count(small) == before


def test_cypher_injection_in_every_parameter(small, app):
    client = client_as(app, "admin")
    before = _entity_count(small)
    for value in INJECTIONS:
        for path in _paths_with(value):
            response = client.get(path)
            assert response.status_code < 500, (path, response.status_code)
        response = client.put(f"/api/entities/{value}", json={"version": value,
                                                               "changes": {value: value}})
        assert response.status_code in (400, 404, 405), (value, response.status_code)
        response = client.put("/api/entities/acme", json={"version": value,
                                                          "changes": {"name": value}})
        assert response.status_code == 409
        assert client.post("/login", data={"name": value, "password": value}
                           ).status_code in (401, 429)
    assert _entity_count(small) == before


XSS = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "javascript:alert(1)",
       "<svg onload=alert(1)>"]


def test_xss_payloads_in_every_text_field_are_escaped(empty_graph, app):
    payload = XSS[0] + XSS[1] + XSS[3]
    build(empty_graph, [
        {"label": "Company", "id": "acme", "name": payload, "description": payload,
         "aliases": [payload], "jurisdiction": "US"},
        {"label": "Harm", "id": "harm", "name": payload, "description": payload,
         "harm_type": "privacy_breach"},
        {"label": "Company", "id": "fund", "name": payload, "jurisdiction": "US"},
    ], [{"type": "INVOLVES", "from": "harm", "to": "acme", "note": payload},
        {"type": "OWNS", "from": "fund", "to": "acme", "economic_pct": 30, "voting_pct": 30,
         "note": payload}])
    client = client_as(app, "admin")
    client.put("/api/entities/acme", json={"version": _version(client),
                                           "changes": {"description": payload + "!"}})
    pages = ["/", "/?q=script", "/entities/acme", "/entities/harm", "/harms/harm",
             "/companies/acme/leverage", "/investors/fund/exposure", "/entities/acme/history",
             "/entities/acme/edit", "/users", "/login"]
    for path in pages:
        body = client.get(path).get_data(as_text=True)
        for raw in ("<script>alert(1)", "<img src=x onerror", "<svg onload"):
            assert raw not in body, (path, raw)


# --- the CLI ------------------------------------------------------------------------------


def test_cli_creates_users_tokens_and_the_first_admin(graphapp_cli, empty_graph, app):
    first = graphapp_cli(["users", "ensure-admin"])
    assert first.exit_code == 0 and "sign in at /login as 'admin' with the password" in first.output
    assert graphapp_cli(["users", "ensure-admin"]).output == ""  # once only
    made = graphapp_cli(["users", "create", "dana", "--role", "editor",
                         "--password-stdin"], input="a long enough password\n")
    assert made.exit_code == 0, made.output
    short = graphapp_cli(["users", "create", "eve", "--password-stdin"], input="short\n")
    assert short.exit_code == 1 and "too short" in short.output
    token = graphapp_cli(["tokens", "create", "dana"]).output.strip()
    api = client_as(app, None)
    response = api.get("/api/stats", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert [(e["user"], e["action"]) for e in audit.history(empty_graph, "user:dana")] == [
        ("cli", "token.create"), ("cli", "user.create")]
