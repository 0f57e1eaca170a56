"""The graph a command works on: the web app's configuration, opened and closed around the
command, errors for the user printed (graphapp.commands.base)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from neo4j.exceptions import Neo4jError

from graphapp import config
from graphapp.commands.base import describe, fail
from graphapp.errors import GraphappError
from graphapp.server import provision
from graphapp.store import db
from graphapp.store.db import Graph


def open_graph(instance: str) -> Graph:
    """The graph of ``instance``, configured as ``create_app`` configures the web app's
    (``NEO4J_DATABASE`` included), so that a command writes where the app reads. A terminal
    may wait for Neo4j longer than a web request (``config.COMMAND_SETTINGS``)."""
    settings = config.settings({"NEO4J_INSTANCE": instance, **config.COMMAND_SETTINGS})
    return db.connect(provision.resolve(instance), settings)


@contextlib.contextmanager
def graph_for(instance: str) -> Iterator[Graph]:
    """The graph for one command, closed after it; an error for the user (a bad id or
    parameter, a database Neo4j does not have) is printed and exits 1."""
    graph = open_graph(instance)
    try:
        yield graph
    except GraphappError as exc:
        fail(describe(exc))
    except db.UNAVAILABLE:
        raise  # one line from the graphapp group (graphapp.commands.cli)
    except Neo4jError as exc:
        fail(f"Neo4j: {getattr(exc, 'message', None) or exc}")
    finally:
        graph.close()
