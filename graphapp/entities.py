"""Looking at the graph: search, one entity with its relationships, and the data-quality counts."""

from __future__ import annotations

import re
from itertools import groupby
from typing import Any

from graphapp import evidence
from graphapp.errors import NotFound
from graphapp.store import model
from graphapp.store.db import Graph
from graphapp.store.db import plain as _plain

LUCENE_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')


SEARCH_CANDIDATES = 10  # hits the full-text index keeps per result shown (sensitive ones drop)


def lucene_query(text: str, prefix: bool = True) -> str:
    """A full-text query from the user's words: each word escaped, matched whole or as a prefix.

    ``"Meta plat"`` -> ``(meta OR meta*) AND (plat OR plat*)``; with ``prefix=False`` (entity
    matching, which compares whole normalised names afterwards) ``meta AND plat``: a prefix
    query expands to every indexed word it begins, which costs a lot over a large register.
    Lucene syntax typed by a user is escaped, never interpreted.
    """
    words = [w for w in re.split(r"\s+", text.strip().lower()) if w]
    parts = []
    for word in words[:12]:
        escaped = LUCENE_SPECIAL.sub(r"\\\1", word)
        if escaped in ("and", "or", "not"):
            escaped = f"\\{escaped}"
        parts.append(f"({escaped} OR {escaped}*)" if prefix else escaped)
    return " AND ".join(parts)


def search(graph: Graph, text: str, limit: int = 50,
           include_sensitive: bool = False) -> list[dict[str, Any]]:
    """Entities whose name, aliases or description match the words in ``text``."""
    lucene = lucene_query(text)
    if not lucene:
        return []
    return graph.read("entities.search", lucene=lucene, limit=limit,
                      candidates=SEARCH_CANDIDATES * limit, include_sensitive=include_sensitive)


def get_entity(graph: Graph, entity_id: str, include_sensitive: bool = False) -> dict[str, Any]:
    """One entity: its labels, properties and relationships grouped by type and direction.

    Raises NotFound (404) with a message naming the id.
    """
    rows = graph.read("entities.get", id=entity_id, include_sensitive=include_sensitive)
    if not rows:
        raise NotFound(f"No entity with id {entity_id!r}.")
    entity = rows[0]
    props = dict(entity["props"])
    rels = graph.read("entities.relationships", id=entity_id,
                      include_sensitive=include_sensitive)
    groups = []
    for (rel_type, direction), items in groupby(rels, key=lambda r: (r["type"], r["direction"])):
        groups.append({
            "type": rel_type,
            "direction": direction,
            "relationships": [{
                "other": {"id": r["other_id"], "name": r["other_name"],
                          "labels": r["other_labels"]},
                **{k: _plain(v) for k, v in r["props"].items() if k not in ("key",)},
                **evidence.annotate(r["props"]),
            } for r in items],
        })
    return {
        "id": entity["id"],
        "name": props.pop("name", entity["id"]),
        "labels": entity["labels"],
        "properties": {k: _plain(v) for k, v in sorted(props.items()) if k != "id"},
        "relationship_groups": groups,
    }


EXACT_STATS_LIMIT = 50_000  # relationships; above, the home page counts from the count store


def stats(graph: Graph, include_sensitive: bool = False, exact: bool | None = None
          ) -> dict[str, Any]:
    """Counts by label and relationship type, and how many relationships have no source.

    ``exact`` (the default up to EXACT_STATS_LIMIT relationships; always for /api/stats and
    ``graphapp stats``) reads every node and relationship. Otherwise the counts come from
    Neo4j's count store, less the sensitive entities and the relationships that touch them,
    and ``relationships_without_source`` is None (not counted): a large graph's home page does
    not scan millions of relationships on every visit.
    """
    counts = graph.read("entities.graph_counts")[0]
    if exact is None:
        exact = sum(counts["types"].values()) <= EXACT_STATS_LIMIT
    if exact:
        labels = graph.read("entities.count_by_label", include_sensitive=include_sensitive)
        types = graph.read("entities.count_by_type", include_sensitive=include_sensitive)
        by_label = {r["label"]: r["count"] for r in labels}
        by_type = {r["type"]: r["count"] for r in types}
        nodes = by_label.pop("Entity", 0)
        unsourced: int | None = sum(r["without_source"] for r in types)
    else:
        by_label, by_type, nodes = dict(counts["labels"]), dict(counts["types"]), counts["nodes"]
        if not include_sensitive:
            for row in graph.read("entities.hidden_counts"):
                if row["kind"] == "type":
                    by_type[row["name"]] -= row["count"]
                elif row["name"] == model.BASE_LABEL:
                    nodes -= row["count"]
                else:
                    by_label[row["name"]] -= row["count"]
        by_label = {k: v for k, v in sorted(by_label.items()) if v}
        by_type = {k: v for k, v in sorted(by_type.items()) if v}
        unsourced = None
    return {
        "nodes": nodes,
        "relationships": sum(by_type.values()),
        "relationships_without_source": unsourced,
        "labels": by_label,
        "relationship_types": by_type,
    }
