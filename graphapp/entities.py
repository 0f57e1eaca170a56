"""Looking at the graph: search, one entity with its relationships, and the data-quality counts."""

from __future__ import annotations

import re
from itertools import groupby
from typing import Any

from graphapp import evidence
from graphapp.errors import NotFound
from graphapp.store import model
from graphapp.store.db import Graph, for_reader
from graphapp.store.db import plain as _plain

LUCENE_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')


# The words the index's analyzer ('standard-folding', cypher/schema.cypher) never indexes: a
# query term for one of them matches nothing, so "Digital Rights and Inclusion Forum" found no
# forum. They are left out of queries (tests/test_entities.py checks this list against the
# analyzer the server reports).
STOP_WORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is",
    "it", "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there",
    "these", "they", "this", "to", "was", "will", "with"})

SEARCH_CANDIDATES = 10  # hits the full-text index keeps per result shown (sensitive ones drop)


def fold(text: str) -> str:
    """A name as the full-text index compares it: Latin letters (anyascii transliterates other
    scripts and drops accents), lower case, single spaces. ``"Operación  Huracán"`` ->
    ``"operacion huracan"``; ``"Газпром"`` -> ``"gazprom"``."""
    from anyascii import anyascii

    return " ".join(anyascii(text or "").lower().split())


def lucene_query(text: str, prefix: bool = True) -> str:
    """A full-text query from the user's words: each word escaped, matched whole or as a prefix.

    ``"Meta plat"`` -> ``(meta OR meta*) AND (plat OR plat*)``; with ``prefix=False`` (entity
    matching, which compares whole normalised names afterwards) ``meta AND plat``: a prefix
    query expands to every indexed word it begins, which costs a lot over a large register.
    Lucene syntax typed by a user is escaped, never interpreted. Words are folded first (see
    ``fold``): prefix terms are not analysed by Lucene, and a name in another script is indexed
    in Latin letters too (``latin_names``).
    """
    words = [w for w in re.split(r"\s+", fold(text)) if w and w not in STOP_WORDS]
    parts = []
    for word in words[:12]:
        escaped = LUCENE_SPECIAL.sub(r"\\\1", word)
        parts.append(f"({escaped} OR {escaped}*)" if prefix else escaped)
    return " AND ".join(parts)


@for_reader
def search(graph: Graph, text: str, limit: int = 50,
           include_sensitive: bool = False) -> list[dict[str, Any]]:
    """Entities whose name, aliases or description match the words in ``text``."""
    lucene = lucene_query(text)
    if not lucene:
        return []
    return graph.read("entities.search", lucene=lucene, limit=limit,
                      candidates=SEARCH_CANDIDATES * limit, include_sensitive=include_sensitive)


@for_reader
def suggest(graph: Graph, text: str, kinds: list[str] | None = None, limit: int = 10,
            include_sensitive: bool = False) -> list[dict[str, Any]]:
    """Up to ``limit`` entities whose names begin like ``text`` (for name fields as one types);
    ``kinds`` are labels to keep (unknown ones are ignored)."""
    words = lucene_query(text)
    if not words:
        return []
    # Names only (a word in a description is no reason to suggest an entity), the name first.
    lucene = f"name:({words})^3 OR aliases:({words}) OR latin_names:({words})"
    kinds = [k for k in kinds or [] if k in model.ALL_LABELS]
    return graph.read("entities.suggest", lucene=lucene, kinds=kinds, limit=limit,
                      candidates=SEARCH_CANDIDATES * limit, include_sensitive=include_sensitive)


@for_reader
def resolve_names(graph: Graph, names: list[str], kinds: tuple[str, ...] = (),
                  include_sensitive: bool = False) -> dict[str, list[dict[str, Any]]]:
    """For each name typed in a form, the entities it names: an id, or a name or alias equal
    to it once folded (case, accents and script aside). ``{name: [entity, ...]}``: none means
    no such entity, several mean the name is ambiguous (the form asks to pick one)."""
    out: dict[str, list[dict[str, Any]]] = {n: [] for n in names}
    if not names:
        return out
    kinds_list = [k for k in kinds if k in model.ALL_LABELS]
    by_id = graph.read("entities.labels_of_ids", ids=list(names),
                       include_sensitive=include_sensitive)
    for row in by_id:
        if not kinds_list or set(row["labels"]) & set(kinds_list):
            out[row["id"]] = [row]
    asked = [[n, lucene_query(n, prefix=False)] for n in names if not out[n]]
    asked = [pair for pair in asked if pair[1]]
    if asked:
        for row in graph.read("entities.by_names", names=asked, kinds=kinds_list,
                              include_sensitive=include_sensitive):
            wanted = fold(row["asked"])
            if any(fold(n) == wanted for n in (row["name"], *row["aliases"])):
                found = out[row["asked"]]
                if all(e["id"] != row["id"] for e in found):
                    found.append({"id": row["id"], "name": row["name"], "labels": row["labels"]})
    return out


@for_reader
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
                **evidence.annotate(r["props"], rel_type=rel_type),
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


@for_reader
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


@for_reader
def possible_same_people(graph: Graph, include_sensitive: bool = False,
                         limit: int = 500) -> list[dict[str, Any]]:
    """Groups of people of one name kept apart (no shared identifier or date of birth), for a
    human to review: graphapp never merges people on a name alone (docs/import.md)."""
    return graph.read("entities.possible_same_people", include_sensitive=include_sensitive,
                      limit=limit)
