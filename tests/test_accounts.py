"""Accounts you can manage: sessions that end, tokens you can list and revoke, accounts that
can be disabled, a sign-in throttle that races no more and locks nobody out, same-site next=,
CSRF whenever a cookie signs in."""

from __future__ import annotations

import re
import threading
from urllib.parse import urlparse

import pytest
from click.testing import CliRunner

from graphapp import auth
from graphapp.commands import graph as command_graph
from graphapp.commands.cli import cli
from graphapp.server.provision import Neo4jTarget
from graphapp.store.db import Graph
from graphapp.web.app import create_app
from tests.auth_helpers import client_as
from tests.graphs import build
from tests.tcp_proxy import TcpProxy

PASSWORD = "correct horse battery"
ATTACKER = {"REMOTE_ADDR": "203.0.113.66"}
OFFICE = {"REMOTE_ADDR": "198.51.100.7"}


@pytest.fixture
def alice(empty_graph):
    build(empty_graph, [{"label": "Company", "id": "acme", "name": "Acme"}])
    auth.create_user(empty_graph, "alice", "admin", PASSWORD)
    return empty_graph


def sign_in(app, password=PASSWORD, name="alice", environ=None, client=None, next_=None):
    client = client or client_as(app, None)
    url = "/login" + (f"?next={next_}" if next_ is not None else "")
    response = client.post(url, data={"name": name, "password": password},
                           environ_base=environ or {})
    return client, response


def throttle(graph, key: str) -> dict:
    rows = graph.driver.execute_query(
        "MATCH (t:LoginThrottle {key: $key}) RETURN t.failures AS failures", key=key).records
    return dict(rows[0]) if rows else {}


def pass_the_window(graph) -> None:
    """Move every throttle's clock back past the window (instead of waiting 15 minutes)."""
    graph.driver.execute_query(
        "MATCH (t:LoginThrottle) SET t.last_at = t.last_at - duration({minutes: 16}), "
        "t.not_before = t.not_before - duration({minutes: 16})")


# --- sessions ----------------------------------------------------------------------------------


def test_a_cookie_copied_before_sign_out_dies_with_the_session(alice, app):
    client, response = sign_in(app)
    assert response.status_code == 302
    copy = client_as(app, None)
    copy.set_cookie("session", client.get_cookie("session").value)
    assert copy.get("/api/stats").status_code == 200
    client.post("/logout")
    assert copy.get("/api/stats").status_code == 401
    assert alice.driver.execute_query("MATCH (s:Session) RETURN count(s) AS n").records[0]["n"] == 0


def test_only_the_session_id_hash_is_stored(alice, app):
    client, _ = sign_in(app)
    cookie_id = client.application.session_interface.get_signing_serializer(app).loads(
        client.get_cookie("session").value)["_user_id"]
    session_id = cookie_id.split(":")[2]
    stored = alice.driver.execute_query("MATCH (s:Session) RETURN s.id AS id").records
    assert [r["id"] for r in stored] == [auth.token_hash(session_id)]


# --- tokens, passwords, disabled accounts --------------------------------------------------------


def test_a_password_change_ends_sessions_and_tokens(alice, app):
    token = auth.create_token(alice, "alice", "laptop")
    client, _ = sign_in(app)
    bearer = {"Authorization": f"Bearer {token}"}
    assert client_as(app, None).get("/api/stats", headers=bearer).status_code == 200
    auth.set_password(alice, "alice", "another long password")
    assert client_as(app, None).get("/api/stats", headers=bearer).status_code == 401
    assert client.get("/api/stats").status_code == 401
    assert auth.list_tokens(alice, "alice") == []


def test_tokens_are_listed_and_revoked_from_the_terminal(alice, monkeypatch, neo4j_target):
    monkeypatch.setattr(command_graph, "open_graph", lambda instance: Graph(neo4j_target))
    token = auth.create_token(alice, "alice", "laptop")
    [listed] = auth.list_tokens(alice)
    out = CliRunner().invoke(cli, ["tokens", "list"])
    assert out.exit_code == 0, out.output
    assert listed["id"] in out.stdout and "alice" in out.stdout and "laptop" in out.stdout
    assert "last used never" in out.stdout
    assert token not in out.stdout and auth.token_hash(token) not in out.stdout
    out = CliRunner().invoke(cli, ["tokens", "revoke", listed["id"]])
    assert out.exit_code == 0 and out.stdout == f"Revoked the token {listed['id']} of 'alice'.\n"
    assert auth.list_tokens(alice) == []
    again = CliRunner().invoke(cli, ["tokens", "revoke", listed["id"]])
    assert again.exit_code == 1
    assert again.stderr.startswith(f"Error: No API token with id {listed['id']!r}.\n")


def test_the_account_page_makes_shows_once_and_revokes_a_token(alice, app):
    client, _ = sign_in(app)
    made = client.post("/account", data={"action": "create-token", "label": "phone"})
    assert made.status_code == 302
    page = client.get("/account").get_data(as_text=True)
    token = re.search(r"<code>(gat_[^<]+)</code>", page)[1]
    assert "phone" in page
    assert "gat_" not in client.get("/account").get_data(as_text=True)  # shown once
    bearer = {"Authorization": f"Bearer {token}"}
    assert client_as(app, None).get("/api/stats", headers=bearer).status_code == 200
    [listed] = auth.list_tokens(alice, "alice")
    assert client.post("/account", data={"action": "revoke-token", "id": listed["id"]}
                       ).status_code == 302
    assert client_as(app, None).get("/api/stats", headers=bearer).status_code == 401


def test_nobody_revokes_another_users_token_from_the_account_page(alice, app):
    auth.create_user(alice, "bob", "viewer", PASSWORD)
    auth.create_token(alice, "alice", "alice's")
    [listed] = auth.list_tokens(alice, "alice")
    bob, _ = sign_in(app, name="bob")
    assert bob.post("/account", data={"action": "revoke-token", "id": listed["id"]}
                    ).status_code == 400
    assert len(auth.list_tokens(alice, "alice")) == 1


def test_a_disabled_account_cannot_sign_in_and_its_session_and_tokens_stop(alice, app):
    auth.create_user(alice, "bob", "editor", PASSWORD)
    token = auth.create_token(alice, "bob")
    bob, _ = sign_in(app, name="bob")
    admin, _ = sign_in(app)
    assert admin.post("/users", data={"action": "disable", "name": "bob"}).status_code == 302
    assert "bob <strong>(disabled)</strong>" in admin.get("/users").get_data(as_text=True)
    bearer = {"Authorization": f"Bearer {token}"}
    assert bob.get("/api/stats").status_code == 401
    assert client_as(app, None).get("/api/stats", headers=bearer).status_code == 401
    assert sign_in(app, name="bob")[1].status_code == 401
    assert admin.post("/users", data={"action": "enable", "name": "bob"}).status_code == 302
    assert client_as(app, None).get("/api/stats", headers=bearer).status_code == 200
    assert sign_in(app, name="bob")[1].status_code == 302


def test_an_admin_cannot_disable_their_own_account(alice, app):
    admin, _ = sign_in(app)
    assert admin.post("/users", data={"action": "disable", "name": "alice"}).status_code == 400


def test_accounts_are_disabled_and_enabled_from_the_terminal(alice, monkeypatch, neo4j_target):
    monkeypatch.setattr(command_graph, "open_graph", lambda instance: Graph(neo4j_target))
    out = CliRunner().invoke(cli, ["users", "disable", "alice"])
    assert out.stdout == ("'alice' is disabled; their sessions are ended and their API tokens "
                          "answer 401.\n")
    assert "disabled" in CliRunner().invoke(cli, ["users", "list"]).stdout
    assert CliRunner().invoke(cli, ["users", "enable", "alice"]).stdout == "'alice' is enabled.\n"
    assert "disabled" not in CliRunner().invoke(cli, ["users", "list"]).stdout


# --- the sign-in throttle ------------------------------------------------------------------------


def test_40_concurrent_wrong_passwords_are_not_all_checked(alice, app):
    statuses: list[int] = []
    start = threading.Barrier(40)

    def guess():
        client = client_as(app, None)
        start.wait()
        statuses.append(sign_in(app, "wrong password", environ=ATTACKER, client=client)[1]
                        .status_code)

    threads = [threading.Thread(target=guess) for _ in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [401] * auth.THROTTLE_FREE + [429] * (40 - auth.THROTTLE_FREE)


def test_a_backoff_says_how_long_to_wait(alice, app):
    for _ in range(auth.THROTTLE_FREE):
        assert sign_in(app, "wrong password", environ=ATTACKER)[1].status_code == 401
    _, blocked = sign_in(app, environ=ATTACKER)
    assert blocked.status_code == 429
    assert 25 <= int(blocked.headers["Retry-After"]) <= auth.THROTTLE_BASE + 1
    assert "Too many failed sign-ins; try again in" in blocked.get_data(as_text=True)


def test_an_attacker_cannot_lock_the_admin_out(alice, app):
    device, first = sign_in(app, environ=OFFICE)  # the admin's own browser, once
    assert first.status_code == 302 and device.get_cookie(auth.DEVICE_COOKIE)
    for _ in range(20):
        sign_in(app, "wrong password", environ={"REMOTE_ADDR": "203.0.113.67"})
    assert throttle(alice, "name:alice")["failures"] >= auth.THROTTLE_FREE
    # The admin's browser, from a new address: not held back by the failures on the name.
    _, known = sign_in(app, environ={"REMOTE_ADDR": "192.0.2.10"}, client=device)
    assert known.status_code == 302
    # A new browser at a new address waits for the backoff on the name, then gets in.
    _, unknown = sign_in(app, environ={"REMOTE_ADDR": "192.0.2.11"})
    assert unknown.status_code == 429
    pass_the_window(alice)
    assert sign_in(app, environ={"REMOTE_ADDR": "192.0.2.11"})[1].status_code == 302


def test_a_known_address_is_not_held_back_by_failures_on_the_name(alice, app):
    assert sign_in(app, environ=OFFICE)[1].status_code == 302  # signed in from the office once
    for _ in range(10):
        sign_in(app, "wrong password", environ=ATTACKER)
    assert sign_in(app, environ=OFFICE)[1].status_code == 302  # another browser, same office


def test_a_successful_sign_in_does_not_reset_the_address_count(alice, app):
    auth.create_user(alice, "eve", "viewer", PASSWORD)
    for name in ("alice", "bob", "carol", "dave"):
        sign_in(app, "wrong password", name=name, environ=ATTACKER)
    assert throttle(alice, "addr:203.0.113.66") == {"failures": 4}
    assert sign_in(app, name="eve", environ=ATTACKER)[1].status_code == 302  # her own account
    assert throttle(alice, "addr:203.0.113.66") == {"failures": 4}
    assert sign_in(app, "wrong password", name="frank", environ=ATTACKER)[1].status_code == 401
    assert sign_in(app, "wrong password", name="gina", environ=ATTACKER)[1].status_code == 429


@pytest.fixture
def vanishing_app(alice, neo4j_target):
    """The app talking to the test database through a proxy a test can take away."""
    real = urlparse(neo4j_target.uri)
    proxy = TcpProxy(real.hostname, real.port)
    target = Neo4jTarget(f"bolt://127.0.0.1:{proxy.port}", neo4j_target.user,
                         neo4j_target.password, "env")
    proxy.up()
    yield create_app({"TESTING": True, "NEO4J_TARGET": target, "SECRET_KEY": "t",
                      "WTF_CSRF_ENABLED": False, "NEO4J_CONNECTION_TIMEOUT": 1.0,
                      "NEO4J_RETRY_SECONDS": 0.5}), proxy
    proxy.down()


@pytest.mark.parametrize("password", [PASSWORD, "wrong password"])
def test_a_sign_in_the_database_does_not_finish_counts_nothing(alice, vanishing_app,
                                                                monkeypatch, password):
    """Neo4j goes away while the password is checked: the answer is a 503, and neither the
    address nor the name is counted (a right password was counted as a wrong one before),
    and no session is left open."""
    app, proxy = vanishing_app
    check = auth.check_password_hash

    def check_while_the_database_goes(stored, given):
        proxy.down()
        return check(stored, given)

    monkeypatch.setattr(auth, "check_password_hash", check_while_the_database_goes)
    assert sign_in(app, password, environ=ATTACKER)[1].status_code == 503
    monkeypatch.setattr(auth, "check_password_hash", check)
    proxy.up()
    assert alice.driver.execute_query(
        "MATCH (t:LoginThrottle) RETURN t.key AS key, t.failures AS failures").records == []
    assert alice.driver.execute_query("MATCH (s:Session) RETURN count(s) AS n").records[0]["n"] == 0
    for _ in range(auth.THROTTLE_FREE - 1):  # all of the free failures are still there
        assert sign_in(app, "wrong password", environ=ATTACKER)[1].status_code == 401
    assert sign_in(app, environ=ATTACKER)[1].status_code == 302
    assert throttle(alice, "name:alice") == {"failures": 0}


# --- next= ----------------------------------------------------------------------------------------

OFF_SITE = ["/%09/evil.example/", "//evil.example/", "/\\evil.example/", "\\evil.example",
            "/%0d%0aLocation:%20https://evil.example/", "/%0a/evil.example/",
            "https://evil.example/", "/%5Cevil.example", "javascript:alert(1)", "%2F%2Fevil"]


@pytest.mark.parametrize("target", OFF_SITE)
def test_next_accepts_only_same_site_paths(alice, app, target):
    assert client_as(app, None).get(f"/login?next={target}").status_code == 200
    _, response = sign_in(app, next_=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_next_keeps_a_path_on_this_site(alice, app):
    _, response = sign_in(app, next_="/entities/acme%3Fx%3D1")
    assert response.headers["Location"] == "/entities/acme?x=1"


# --- CSRF ---------------------------------------------------------------------------------------


def test_a_bearer_header_on_a_cookie_session_does_not_skip_csrf(alice, neo4j_target):
    app = create_app({"TESTING": True, "NEO4J_TARGET": neo4j_target, "SECRET_KEY": "t",
                      "WTF_CSRF_ENABLED": True})
    browser = client_as(app, "admin")
    write = {"version": "", "changes": {"description": "forged"}}
    for header in ("Bearer nonsense", "Bearer " + auth.create_token(alice, "alice")):
        response = browser.put("/api/entities/acme", json=write,
                               headers={"Authorization": header})
        assert response.status_code == 400, header
        assert response.get_json()["error"] == "CSRF token missing or invalid"
    token_only = client_as(app, None).put(
        "/api/entities/acme", json=write,
        headers={"Authorization": "Bearer " + auth.create_token(alice, "alice")})
    assert token_only.status_code != 400 or "CSRF" not in token_only.get_data(as_text=True)
