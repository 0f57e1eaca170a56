"""No per-process state: any app process can serve any request (gunicorn workers, cluster nodes).

Two apps built separately with the same SECRET_KEY stand for two processes; what one of them
learns (a sign-in, a failed sign-in, a password change) the other must know, because it lives
in the signed cookie or in Neo4j, never in the process.
"""

from __future__ import annotations

import multiprocessing
import re
import types

import pytest

from graphapp import auth, create_app
from graphapp.web.app import secret_key
from tests.auth_helpers import client_as
from tests.graphs import build

PASSWORD = "correct horse battery"


@pytest.fixture
def two_apps(neo4j_target, graph):
    """Two app processes as a deployment runs them: one secret key, CSRF on."""
    build(graph, [{"label": "Company", "id": "acme", "name": "Acme Corp", "jurisdiction": "US"}])
    auth.create_user(graph, "alice", "viewer", PASSWORD)
    config = {"TESTING": True, "NEO4J_TARGET": neo4j_target, "SECRET_KEY": "shared-secret"}
    return create_app(config), create_app(config)


def _move_session(source, target) -> None:
    """The browser sends the cookie it got from one process to another."""
    target.set_cookie("session", source.get_cookie("session").value)


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page)[1]


def test_a_session_from_one_process_is_signed_in_on_the_other(two_apps):
    one, other = client_as(two_apps[0], None), client_as(two_apps[1], None)
    token = _csrf(one.get("/login").get_data(as_text=True))  # the form from process one
    _move_session(one, other)
    signed_in = other.post("/login", data={"name": "alice", "password": PASSWORD,
                                           "csrf_token": token})  # posted to process two
    assert signed_in.status_code == 302 and signed_in.headers["Location"] == "/"
    _move_session(other, one)
    assert one.get("/entities/acme").status_code == 200
    assert other.get("/entities/acme").status_code == 200


def test_a_password_change_signs_out_on_every_process(two_apps, graph):
    one, other = client_as(two_apps[0], None), client_as(two_apps[1], None)
    token = _csrf(one.get("/login").get_data(as_text=True))
    one.post("/login", data={"name": "alice", "password": PASSWORD, "csrf_token": token})
    _move_session(one, other)
    assert other.get("/api/stats").status_code == 200
    auth.set_password(graph, "alice", "another long password")  # e.g. from the CLI
    assert one.get("/api/stats").status_code == 401
    assert other.get("/api/stats").status_code == 401


def test_failed_sign_ins_count_across_processes(two_apps):
    clients = [client_as(app, None) for app in two_apps]
    for i in range(auth.THROTTLE_FREE):  # alternately on each process
        client = clients[i % 2]
        token = _csrf(client.get("/login").get_data(as_text=True))
        failed = client.post("/login", data={"name": "alice", "password": "wrong password!",
                                             "csrf_token": token})
        assert failed.status_code == 401
    for client in clients:
        token = _csrf(client.get("/login").get_data(as_text=True))
        blocked = client.post("/login", data={"name": "alice", "password": PASSWORD,
                                              "csrf_token": token})
        assert blocked.status_code == 429


def _generated_key(instance_path: str, start, keys) -> None:
    start.wait()
    keys.put(secret_key(types.SimpleNamespace(instance_path=instance_path)))


def test_processes_starting_together_generate_onesecret_key(tmp_path):
    """Without GRAPHAPP_SECRET_KEY, workers starting at once on a fresh instance folder."""
    context = multiprocessing.get_context("fork")
    for round_ in range(10):
        folder = str(tmp_path / f"instance{round_}")
        start, keys = context.Barrier(6), context.Queue()
        workers = [context.Process(target=_generated_key, args=(folder, start, keys))
                   for _ in range(6)]
        for worker in workers:
            worker.start()
        seen = {keys.get(timeout=30) for _ in workers}
        for worker in workers:
            worker.join()
        assert len(seen) == 1 and len(seen.pop()) == 64
        assert (tmp_path / f"instance{round_}" / "secret_key").stat().st_mode & 0o777 == 0o600
