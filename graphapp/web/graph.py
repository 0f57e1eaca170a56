"""The web app's one graph: a driver per process (connections open lazily, so Neo4j may still
be away), reached from a request with ``get_graph()``."""

from __future__ import annotations

import atexit

from flask import current_app, g

from graphapp.auth import may_see_sensitive
from graphapp.server.provision import Neo4jTarget
from graphapp.store.db import Graph, connect


def init_app(app, target: Neo4jTarget) -> None:
    """Create the process's one driver (connections open lazily, so Neo4j may still be away)."""
    graph = connect(target, app.config)
    app.extensions["graphapp.graph"] = graph
    atexit.register(graph.close)


def get_graph() -> Graph:
    """The app's graph as the request's user sees it (graphapp.auth.may_see_sensitive decides,
    once per request): for views and capabilities called from a request."""
    if "graph" not in g:
        g.graph = current_app.extensions["graphapp.graph"].seen_by(may_see_sensitive)
    return g.graph
