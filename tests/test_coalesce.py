"""Request threads that need the session's user and the graph's version at once share one read
(graphapp/store/coalesce.py, graphapp/auth.users_by_sessions), and no thread is answered by a
read that began before it asked: a page is never older than its request."""

from __future__ import annotations

import threading
import time

import pytest

from graphapp import auth, create_app
from graphapp.store.coalesce import Coalesced
from tests.auth_helpers import STAMP, client_as, ensure_user
from tests.graphs import build, company


class _Reads:
    """A read function that records each call's keys and holds the first one until released."""

    def __init__(self, fail: bool = False):
        self.calls: list[list[str]] = []
        self.first_started = threading.Event()
        self.release = threading.Event()
        self.fail = fail

    def __call__(self, keys):
        self.calls.append(list(keys))
        if len(self.calls) == 1:
            self.first_started.set()
            self.release.wait(10)
        if self.fail:
            raise ConnectionError("Neo4j went away")
        return [f"{key}@read{len(self.calls)}" for key in keys]


def _ask(batch: Coalesced, keys, answers: dict, errors: dict) -> list[threading.Thread]:
    def ask(key):
        try:
            answers[key] = batch.get(key)
        except Exception as exc:
            errors[key] = exc

    threads = [threading.Thread(target=ask, args=(key,)) for key in keys]
    for t in threads:
        t.start()
    return threads


def test_a_thread_alone_reads_at_once():
    reads = _Reads()
    reads.release.set()
    assert Coalesced(reads).get("a") == "a@read1"
    assert reads.calls == [["a"]]


def test_threads_that_arrive_during_a_read_wait_for_it_then_share_one_read_begun_after_them():
    reads = _Reads()
    batch = Coalesced(reads)
    answers: dict = {}
    first = _ask(batch, ["first"], answers, {})
    assert reads.first_started.wait(5)
    later = _ask(batch, ["b", "c", "d", "e"], answers, {})
    time.sleep(0.2)  # they are all waiting now: none is answered by the read in flight
    assert answers == {}
    reads.release.set()
    for t in first + later:
        t.join(5)
    assert reads.calls[0] == ["first"]
    assert len(reads.calls) == 2 and sorted(reads.calls[1]) == ["b", "c", "d", "e"]
    assert answers == {"first": "first@read1", "b": "b@read2", "c": "c@read2", "d": "d@read2",
                       "e": "e@read2"}


def test_an_error_reaches_every_thread_of_its_read_and_the_next_read_still_happens():
    reads = _Reads(fail=True)
    batch = Coalesced(reads)
    errors: dict = {}
    first = _ask(batch, ["first"], {}, errors)
    assert reads.first_started.wait(5)
    later = _ask(batch, ["b", "c"], {}, errors)
    time.sleep(0.2)
    reads.release.set()
    for t in first + later:
        t.join(5)
    assert set(errors) == {"first", "b", "c"}
    assert all(isinstance(e, ConnectionError) for e in errors.values())
    reads.fail = False
    assert batch.get("z") == "z@read3"  # not left waiting for a read that ended in an error


def test_users_by_sessions_answers_each_lookup_in_order_with_the_graphs_version(empty_graph):
    g = build(empty_graph, [company("acme")], [])
    viewer, editor = ensure_user(g, "viewer"), ensure_user(g, "editor")
    answers = auth.users_by_sessions(g, [
        (viewer, "test-session-viewer"),
        None,  # a signed-out reader: only the version
        (editor, "test-session-viewer"),  # another user's session: nobody
        (editor, "test-session-editor"),
        ("nobody", "no-session"),
    ])
    version = g.version()
    assert version and all(v == version for _, v in answers)
    assert [u.id if u else None for u, _ in answers] == [viewer, None, None, editor, None]
    assert answers[0][0].stamp == STAMP and answers[0][0].role == "viewer"
    assert auth.users_by_sessions(g, [None, None]) == [(None, version), (None, version)]


def test_a_disabled_user_or_an_expired_session_signs_nobody_in(empty_graph):
    g = build(empty_graph, [company("acme")], [])
    viewer = ensure_user(g, "viewer")
    g.driver.execute_query("MATCH (s:Session {id: $s}) SET s.expires_at = datetime() - "
                           "duration('PT1S')", s=auth.token_hash("test-session-viewer"))
    assert auth.users_by_sessions(g, [(viewer, "test-session-viewer")])[0][0] is None
    ensure_user(g, "editor")
    auth.set_disabled(g, "test-editor", True)
    assert auth.users_by_sessions(g, [("test-editor", "test-session-editor")])[0][0] is None


@pytest.mark.parametrize("role", [None, "viewer"])
def test_many_readers_at_once_each_see_the_page_for_their_role(empty_graph, neo4j_target, role):
    """Through the app (public reading on): 16 threads, signed out or signed in, each gets its
    own page."""
    build(empty_graph, [company("acme", "Acme Corp")], [])
    app = create_app({"TESTING": True, "NEO4J_TARGET": neo4j_target, "SECRET_KEY": "t",
                      "GRAPHAPP_PUBLIC_READ": True})
    clients = [client_as(app, role) for _ in range(16)]
    statuses: list[int] = []

    def read(client):
        page = client.get("/entities/acme")
        statuses.append(page.status_code)
        assert "Acme Corp" in page.get_data(as_text=True)
        assert ("test-viewer" in page.get_data(as_text=True)) == (role == "viewer")

    threads = [threading.Thread(target=read, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert statuses == [200] * 16
