"""Looking at the graph: search, one entity with its relationships, and the data-quality counts."""

from __future__ import annotations

import re
from itertools import groupby
from typing import Any

from graphapp.db import Graph
from graphapp.db import plain as _plain
from graphapp.errors import NotFound

LUCENE_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')


def lucene_query(text: str) -> str:
    """A full-text query from the user's words: each word escaped, matched whole or as a prefix.

    ``"Meta plat"`` -> ``(meta OR meta*) AND (plat OR plat*)``. Lucene syntax typed by a user
    is escaped, never interpreted.
    """
    words = [w for w in re.split(r"\s+", text.strip().lower()) if w]
    parts = []
    for word in words[:12]:
        escaped = LUCENE_SPECIAL.sub(r"\\\1", word)
        if escaped in ("and", "or", "not"):
            escaped = f"\\{escaped}"
        parts.append(f"({escaped} OR {escaped}*)")
    return " AND ".join(parts)


def search(graph: Graph, text: str, limit: int = 50,
           include_sensitive: bool = False) -> list[dict[str, Any]]:
    """Entities whose name, aliases or description match the words in ``text``."""
    lucene = lucene_query(text)
    if not lucene:
        return []
    return graph.read("entities.search", lucene=lucene, limit=limit,
                      include_sensitive=include_sensitive)


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
            } for r in items],
        })
    return {
        "id": entity["id"],
        "name": props.pop("name", entity["id"]),
        "labels": entity["labels"],
        "properties": {k: _plain(v) for k, v in sorted(props.items()) if k != "id"},
        "relationship_groups": groups,
    }


def stats(graph: Graph, include_sensitive: bool = False) -> dict[str, Any]:
    """Counts by label and relationship type, and how many relationships have no source."""
    labels = graph.read("entities.count_by_label", include_sensitive=include_sensitive)
    types = graph.read("entities.count_by_type", include_sensitive=include_sensitive)
    by_label = {r["label"]: r["count"] for r in labels}
    return {
        "nodes": by_label.pop("Entity", 0),
        "relationships": sum(r["count"] for r in types),
        "relationships_without_source": sum(r["without_source"] for r in types),
        "labels": by_label,
        "relationship_types": {r["type"]: r["count"] for r in types},
    }
