"""The page cache (graphapp/web/pagecache.py): keyed by the graph's version, which every write
bumps (graphapp/store/db.py), and by who reads, so a page is never stale and never shown to a
reader it was not made for."""

from __future__ import annotations

import re
import threading
import time

import pytest

from graphapp import auth, create_app
from graphapp.store import records
from tests.auth_helpers import client_as, ensure_user
from tests.graphs import build, company, investor, owns, person, rel, wipe

NODES = [
    company("acme", "Acme Corp", jurisdiction="US"),
    person("defender", "Secret Defender", sensitive=True),
    {"label": "Harm", "id": "leak", "name": "Data leak", "harm_type": "privacy_breach"},
    investor("fund", "Big Fund"),
]
RELS = [
    rel("HOLDS_ROLE", "defender", "acme", kind="executive", sensitive=True),
    rel("INVOLVES", "leak", "acme"),
    owns("fund", "acme", 20, 20),
]


@pytest.fixture
def small(empty_graph):
    return build(empty_graph, NODES, RELS)


def _write(graph, nodes, relationships=()):
    records.write(graph, records.validate([(f"n{i}", n) for i, n in enumerate(nodes)],
                                          [(f"r{i}", r) for i, r in enumerate(relationships)]))


def test_every_write_of_the_graph_bumps_its_version_and_an_account_write_does_not(empty_graph):
    g = empty_graph
    assert g.version() is None  # emptied: nothing is cached until the first write
    _write(g, [company("acme")])
    first = g.version()
    assert first
    _write(g, [company("acme", "Acme Renamed")])  # records.write (imports, the seed)
    second = g.version()
    assert second not in (None, first)
    ensure_user(g, "viewer")  # an account write changes no page (the role is in the key)
    assert g.version() == second
    g.write_tx(lambda tx: tx.run("auth.count_users"))  # only account queries: no bump
    assert g.version() == second
    g.init_schema()  # the schema after a bulk load: a graph loaded offline gets a version
    assert g.version() not in (None, second)
    g.write_autocommit("records.delete_all")  # everything deleted, the version with it
    assert g.version() is None
    g.init_schema()  # and an empty database stays empty (a bulk load only fills an empty one)
    assert g.driver.execute_query("MATCH (n) RETURN count(n) AS n").records[0]["n"] == 0


def test_a_write_shows_on_the_next_page_and_the_cache_serves_until_then(small, app):
    client = client_as(app, "viewer")
    assert "Acme Corp" in client.get("/entities/acme").get_data(as_text=True)
    # Changed behind the store's back (no version bump): the cached page is still served,
    # which shows the page really comes from the cache.
    small.driver.execute_query("MATCH (c:Company {id: 'acme'}) SET c.name = 'Sneaky'")
    assert "Acme Corp" in client.get("/entities/acme").get_data(as_text=True)
    # Through the store, as every write path goes: the next page shows the change.
    _write(small, [company("acme", "Acme Renamed", jurisdiction="US")])
    page = client.get("/entities/acme").get_data(as_text=True)
    assert "Acme Renamed" in page and "Acme Corp" not in page


def test_an_edit_through_the_api_shows_on_the_next_page(small, app):
    editor = client_as(app, "editor")
    assert "Makes anvils" not in editor.get("/entities/acme").get_data(as_text=True)
    version = editor.get("/api/entities/acme").get_json()["properties"]["updated_at"]
    assert editor.put("/api/entities/acme", json={
        "version": version, "changes": {"description": "Makes anvils"}}).status_code == 200
    assert "Makes anvils" in editor.get("/entities/acme").get_data(as_text=True)
    assert "Makes anvils" in client_as(app, "viewer").get("/entities/acme").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/entities/acme", "/harms/leak", "/?q=acme", "/",
                                  "/companies/acme/leverage", "/investors/fund/exposure"])
def test_a_viewer_never_receives_an_editors_or_admins_cached_page(small, app, path):
    admin, editor, viewer = (client_as(app, r) for r in ("admin", "editor", "viewer"))
    for client in (admin, editor, viewer, admin, viewer):  # cached pages exist for each
        response = client.get(path)
        assert response.status_code == 200, (client.role, path)
        body = response.get_data(as_text=True)
        if client.role == "viewer":
            assert "Secret Defender" not in body, path
            assert "test-admin" not in body and "test-editor" not in body
            assert "Signed in as test-viewer" in body
        else:
            assert f"Signed in as test-{client.role}" in body
    if path == "/entities/acme":  # the editor's page does name the defender: it was cached too
        assert "Secret Defender" in admin.get(path).get_data(as_text=True)


def test_two_processes_see_one_write(small, neo4j_target):
    """Two app instances, as two gunicorn workers: a write through one shows on the other."""
    apps = [create_app({"TESTING": True, "NEO4J_TARGET": neo4j_target, "SECRET_KEY": "s",
                        "WTF_CSRF_ENABLED": False}) for _ in range(2)]
    clients = [client_as(a, "viewer") for a in apps]
    for c in clients:
        assert "Acme Corp" in c.get("/entities/acme").get_data(as_text=True)
    _write(apps[0].extensions["graphapp.graph"], [company("acme", "Acme Two")])
    for c in clients:
        assert "Acme Two" in c.get("/entities/acme").get_data(as_text=True)


def test_the_cache_can_be_turned_off(small, neo4j_target):
    app = create_app({"TESTING": True, "NEO4J_TARGET": neo4j_target, "SECRET_KEY": "s",
                      "WTF_CSRF_ENABLED": False, "GRAPHAPP_PAGE_CACHE": False})
    client = client_as(app, "viewer")
    assert "Acme Corp" in client.get("/entities/acme").get_data(as_text=True)
    small.driver.execute_query("MATCH (c:Company {id: 'acme'}) SET c.name = 'Uncached'")
    assert "Uncached" in client.get("/entities/acme").get_data(as_text=True)


def test_a_large_exposure_is_shown_a_page_at_a_time(empty_graph, app):
    holdings = [company(f"c{i:03d}", f"Held {i:03d}") for i in range(60)]
    build(empty_graph, [investor("fund", "Big Fund"), *holdings],
          [owns("fund", c["id"], 1 + i / 100, 1 + i / 100) for i, c in enumerate(holdings)])
    client = client_as(app, "viewer")
    first = client.get("/investors/fund/exposure").get_data(as_text=True)
    assert first.count("who holds it") == 50
    assert "1–50 of 60" in first and "page=2" in first
    second = client.get("/investors/fund/exposure?page=2").get_data(as_text=True)
    assert second.count("who holds it") == 10 and "51–60 of 60" in second
    assert client.get("/investors/fund/exposure?page=0").status_code == 400  # names the field
    wipe(empty_graph)


def test_a_company_with_many_holders_shows_its_look_through_a_page_at_a_time(empty_graph, app):
    holders = [investor(f"h{i:03d}", f"Holder {i:03d}") for i in range(60)]
    build(empty_graph, [company("acme", "Acme Corp"), *holders],
          [owns(h["id"], "acme", 1 + i / 100, 1 + i / 100) for i, h in enumerate(holders)])
    client = client_as(app, "viewer")

    def look_through(path: str) -> str:  # the section, not the direct stakes' table below it
        page = client.get(path).get_data(as_text=True)
        return page[page.index("<h2>Look-through"):page.index("<h2>Direct stakes")]

    first = look_through("/companies/acme/leverage")
    assert first.count("weakest evidence") == 50 and "60 holders" in first
    assert "Holder 059" in first and "Holder 009" not in first  # the largest stakes first
    assert "1–50 of 60" in first and "page=2" in first
    second = look_through("/companies/acme/leverage?page=2")
    assert second.count("weakest evidence") == 10 and "51–60 of 60" in second
    assert "Holder 000" in second and "Holder 059" not in second
    assert client.get("/companies/acme/leverage?page=0").status_code == 400  # names the field
    wipe(empty_graph)


def test_a_page_shows_ten_of_its_figures_warnings_and_counts_the_rest(empty_graph, app):
    """The largest fund's exposure at 1M nodes carried 29,000 "stakes add up to more than 100%"
    warnings: 2.6 MB of page. Ten are shown, then how many more."""
    held = [company(f"c{i:02d}", f"Held {i:02d}") for i in range(12)]
    build(empty_graph, [investor("fund", "Big Fund"), company("hold", "Fund Holdings"), *held],
          [owns("fund", "hold", 100, 100),  # each company: 60% from the fund, 60% through it
           *(owns(h, c["id"], 60, 60) for c in held for h in ("fund", "hold"))])
    page = client_as(app, "viewer").get("/investors/fund/exposure").get_data(as_text=True)
    assert page.count("add up to 120% (more than 100%)") == 10
    assert "and 14 more warnings like these (the JSON lists them all)" in page  # 24 in all
    wipe(empty_graph)


def test_a_tiny_stake_through_a_long_chain_does_not_read_as_zero(app):
    from graphapp.web.pages import pct

    with app.test_request_context():
        assert [pct(v) for v in (0, 0.00003, 0.0001, 13.61, 60)] == [
            "0%", "< 0.0001%", "0.0001%", "13.61%", "60%"]


def test_static_assets_are_versioned_cacheable_and_compressed(app):
    client = client_as(app, "viewer")
    page = client.get("/").get_data(as_text=True)
    css = page.split('href="/static/graphapp.css?v=')[1].split('"')[0]
    response = client.get(f"/static/graphapp.css?v={css}", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert "immutable" in response.headers["Cache-Control"]
    assert response.headers["Content-Encoding"] == "gzip"
    html = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in html.headers  # pages carry CSRF tokens: never compressed
    assert html.headers["Cache-Control"] == "no-store"


def _sign_in(app, name: str, password: str):
    """A browser signed in through the real form, CSRF and all."""
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    client.post("/login", data={"name": name, "password": password,
                                "csrf_token": _token(page)})
    return client


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_a_sessions_own_part_is_kept_per_session_and_follows_its_role_and_language(
        small, neo4j_target):
    """The signed-in name, role and CSRF tokens are kept a few minutes per session (a fifth of
    a cached page's CPU), never given to another session, and a changed role or language shows
    on the next page."""
    app = create_app({"TESTING": True, "NEO4J_TARGET": neo4j_target, "SECRET_KEY": "s"})
    graph = app.extensions["graphapp.graph"]
    for name in ("ana", "ben"):
        auth.create_user(graph, name, "viewer", "a long enough password")
    ana, ben = (_sign_in(app, n, "a long enough password") for n in ("ana", "ben"))
    pages = [ana.get("/entities/acme") for _ in range(2)]
    assert [p.status_code for p in pages] == [200, 200]
    first, again = (p.get_data(as_text=True) for p in pages)
    assert "Signed in as ana (viewer)" in first and again == first  # kept, token and all
    other = ben.get("/entities/acme").get_data(as_text=True)
    assert "Signed in as ben (viewer)" in other and _token(other) != _token(first)
    # The kept token still posts: the language form changes the next page at once.
    assert ana.post("/language", data={"lang": "es", "next": "/entities/acme",
                                       "csrf_token": _token(again)}).status_code == 302
    assert "Sesión iniciada como ana" in ana.get("/entities/acme").get_data(as_text=True)
    assert "Signed in as ben" in ben.get("/entities/acme").get_data(as_text=True)
    # A new role signs the user out (graphapp.auth.set_role): no kept part survives it.
    auth.set_role(graph, "ben", "editor")
    assert "Signed in as ben" not in ben.get("/entities/acme").get_data(as_text=True)
    ben = _sign_in(app, "ben", "a long enough password")
    assert "Signed in as ben (editor)" in ben.get("/entities/acme").get_data(as_text=True)


def test_readers_asking_at_once_for_the_same_answer_cost_one_computation(small, app):
    """After a write, eight readers opening the largest fund's exposure at once: the process
    works it out once and the seven others wait for that answer."""
    from graphapp.web import pagecache

    made, answers = [], []

    def compute():
        made.append(1)
        time.sleep(0.5)
        return {"holdings": 42}

    def ask():
        with app.test_request_context("/investors/fund/exposure"):
            answers.append(pagecache.cached_answer("slow", {"id": "fund"}, compute))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(made) == 1 and answers == [{"holdings": 42}] * 8
    cache = app.extensions[pagecache.EXTENSION]
    assert cache.making == {}  # nothing left in flight
