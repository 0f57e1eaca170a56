"""Small named test graphs: ``build`` writes one (validated like any import), and the words the
tests write them in (``company``, ``person``, ``investor``, ``rel``, ``owns``...).

Tests import from here; ``tests/conftest.py`` holds only fixtures and is never imported.
"""

from __future__ import annotations

import os
from typing import Any

from graphapp.store import records
from graphapp.store.db import Graph

SOURCE = "https://example.org/evidence"

# The local instance the suite runs on when neither NEO4J_URI nor Docker gives one.
TEST_INSTANCE = os.environ.get("GRAPHAPP_TEST_INSTANCE", "test")

# What the shared database holds now, so that read-only tests on the seed load it once.
state: dict[str, str | None] = {"loaded": None}


def wipe(graph: Graph) -> None:
    """Empty the database (its schema stays)."""
    graph.write_autocommit("records.delete_all")
    state["loaded"] = None


def build(graph: Graph, nodes: list[dict], relationships: list[dict] = ()) -> Graph:
    """Empty the graph and write a small named graph (validated like any import).

    Relationships default to ``confidence: confirmed`` and one source, so tests stay short.
    """
    wipe(graph)
    rels = [{"confidence": "confirmed", "sources": [SOURCE], **r} for r in relationships]
    validated = records.validate(
        [(f"nodes[{i}]", n) for i, n in enumerate(nodes)],
        [(f"relationships[{i}]", r) for i, r in enumerate(rels)],
    )
    records.write(graph, validated)
    state["loaded"] = "test graph"
    return graph


# --- the vocabulary --------------------------------------------------------------------------


def node(label: str, id_: str, name: str | None = None, **props: Any) -> dict[str, Any]:
    """A node; its name defaults to its id, titled (``meta`` -> ``Meta``)."""
    return {"label": label, "id": id_, "name": name or id_.title(), **props}


def company(id_: str, name: str | None = None, **props: Any) -> dict[str, Any]:
    return node("Company", id_, name, **props)


def person(id_: str, name: str | None = None, **props: Any) -> dict[str, Any]:
    return node("Person", id_, name, **props)


def investor(id_: str, name: str | None = None, label: str = "Company",
             **props: Any) -> dict[str, Any]:
    """An investor: a node of ``label`` (a Company, a Person...) that is also an Investor."""
    return {"label": label, "extra_labels": ["Investor"], "id": id_,
            "name": name or id_.title(), **props}


def rel(type_: str, from_: str, to: str, **props: Any) -> dict[str, Any]:
    return {"type": type_, "from": from_, "to": to, **props}


def owns(holder: str, target: str, economic: float | None = None, voting: float | None = None,
         **props: Any) -> dict[str, Any]:
    """``holder`` OWNS ``target``: the economic and voting % when known (left out when not)."""
    stake = rel("OWNS", holder, target, **props)
    if economic is not None:
        stake["economic_pct"] = economic
    if voting is not None:
        stake["voting_pct"] = voting
    return stake
