"""The web app's one graph: a driver per process (connections open lazily, so Neo4j may still
be away), reached from a request with ``get_graph()``."""

from __future__ import annotations

import atexit

from flask import current_app, g

from graphapp.auth import User, may_see_sensitive, users_by_sessions
from graphapp.server.provision import Neo4jTarget
from graphapp.store.coalesce import Coalesced
from graphapp.store.db import Graph, connect

READERS = "graphapp.readers"


def init_app(app, target: Neo4jTarget) -> None:
    """Create the process's one driver (connections open lazily, so Neo4j may still be away)."""
    graph = connect(target, app.config)
    app.extensions["graphapp.graph"] = graph
    app.extensions[READERS] = Coalesced(lambda lookups: users_by_sessions(graph, lookups))
    atexit.register(graph.close)


def get_graph() -> Graph:
    """The app's graph as the request's user sees it (graphapp.auth.may_see_sensitive decides,
    once per request): for views and capabilities called from a request."""
    if "graph" not in g:
        g.graph = current_app.extensions["graphapp.graph"].seen_by(may_see_sensitive)
    return g.graph


def reader_and_version(lookup: tuple[str, str] | None) -> tuple[User | None, str | None]:
    """The account a (user id, session id) signs in (None: none, or a signed-out reader) and
    the graph's version, read together at the start of a request: the threads of this process
    that ask at once share one read that began after each of them asked
    (graphapp/store/coalesce.py), so a cached page is never older than its request."""
    return current_app.extensions[READERS].get(lookup)
