"""Validated records in, one transaction out: the write path that seeds and imports share.

All-or-nothing: every node and relationship is validated (fields, enums, endpoints, the
model's patterns) before anything is written, and the write is one transaction. Idempotent:
nodes merge on ``id``; relationships on (start, type, end, key), so re-running adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from anyascii import anyascii
from marshmallow import ValidationError

from graphapp import evidence
from graphapp.store import model, schemas
from graphapp.store.db import Graph, Tx

BATCH_SIZE = 2000


class RecordErrors(Exception):
    """Validation failed; ``lines`` name the file, row and field of every problem."""

    def __init__(self, lines: list[str]):
        super().__init__(f"{len(lines)} problem(s): " + "; ".join(lines[:5]))
        self.lines = lines


@dataclass
class Records:
    """Validated nodes and relationships, ready to write."""

    nodes: list[dict[str, Any]] = field(default_factory=list)
    relationships: list[dict[str, Any]] = field(default_factory=list)
    # With ``validate(..., skip_invalid=True)``: the problems of the records that were left out.
    skipped: list[str] = field(default_factory=list)


@dataclass
class WriteResult:
    nodes: int
    relationships: int


def relationship_key(rel: dict[str, Any]) -> str:
    """What tells two relationships of one type between the same two nodes apart."""
    qualifier = rel.get("title") or rel.get("share_class") or rel.get("role") or ""
    return f"{rel.get('start_date') or ''}|{qualifier}"


def validate(
    nodes: Iterable[tuple[str, dict[str, Any]]],
    relationships: Iterable[tuple[str, dict[str, Any]]],
    graph: Graph | None = None,
    sourced: bool = False,
    skip_invalid: bool = False,
) -> Records:
    """Validate (where, record) pairs; raise RecordErrors listing every problem, or return Records.

    ``where`` names the record for messages (``seeds/meta.yaml: nodes[3]``). Relationship ends
    must be nodes of this batch or of the graph, with labels the model allows for that type.
    With ``sourced`` (the seed), every relationship must also meet the evidence rules
    (``evidence.problems``: confirmed needs a primary source or two independent secondary ones...).
    With ``skip_invalid`` nothing is raised: invalid records (and relationships to them) are left
    out and their problems listed in ``Records.skipped``.
    """
    errors: list[str] = []
    records = Records()
    labels_by_id: dict[str, frozenset[str]] = {}
    nodes = list(nodes)
    for (where, _), node in zip(nodes, schemas.validate_nodes([raw for _, raw in nodes]),
                                strict=True):
        if isinstance(node, ValidationError):
            errors += schemas.error_lines(node, where)
            continue
        if node["id"] in labels_by_id:
            errors.append(f"{where}: id: {node['id']!r} appears twice.")
            continue
        labels_by_id[node["id"]] = frozenset({node["label"], *node["extra_labels"]})
        records.nodes.append(node)

    rels: list[tuple[str, dict[str, Any]]] = []
    relationships = list(relationships)
    loaded = schemas.validate_relationships([raw for _, raw in relationships], sourced=sourced)
    for (where, _), rel in zip(relationships, loaded, strict=True):
        if isinstance(rel, ValidationError):
            errors += schemas.error_lines(rel, where)
            continue
        cited = ({k: v for k, v in evidence.problems(rel).items() if k in evidence.ENFORCED}
                 if sourced else None)  # the seed's standard: a claim one can cite
        if cited:
            errors += schemas.error_lines(ValidationError(cited), where)
        else:
            rels.append((where, rel))

    missing = sorted({end for _, r in rels for end in (r["from_"], r["to"])} - set(labels_by_id))
    if missing and graph is not None:
        found = graph.read("records.labels_of", ids=missing)[0]
        for node_id, labels in zip(found["ids"], found["labels"], strict=True):
            labels_by_id[node_id] = frozenset(labels) - {model.BASE_LABEL}

    seen: set[tuple[str, str, str, str]] = set()
    allowed: dict[tuple[str, frozenset[str], frozenset[str]], bool] = {}
    for where, rel in rels:
        start, end = labels_by_id.get(rel["from_"]), labels_by_id.get(rel["to"])
        if start is None:
            errors.append(f"{where}: from: no node with id {rel['from_']!r}.")
        if end is None:
            errors.append(f"{where}: to: no node with id {rel['to']!r}.")
        if start is None or end is None:
            continue
        pattern = (rel["type"], start, end)
        if pattern not in allowed:
            allowed[pattern] = model.pattern_allows(rel["type"], start, end)
        if not allowed[pattern]:
            starts, ends = model.RELATIONSHIPS[rel["type"]]
            errors.append(
                f"{where}: type: {rel['type']} goes from {'/'.join(starts)} to {'/'.join(ends)}, "
                f"not from {'/'.join(sorted(start))} to {'/'.join(sorted(end))}."
            )
            continue
        identity = (rel["from_"], rel["type"], rel["to"], relationship_key(rel))
        if identity in seen:
            errors.append(f"{where}: the same {rel['type']} from {rel['from_']!r} to "
                          f"{rel['to']!r} appears twice.")
            continue
        seen.add(identity)
        records.relationships.append(rel)

    if errors and not skip_invalid:
        raise RecordErrors(errors)
    records.skipped = errors
    return records


def latin_names(name: Any, aliases: Any = ()) -> list[str]:
    """Latin transliterations (anyascii) of a name and its aliases that are not already plain
    ASCII: "မြန်မာ" -> "Myanma", "Операция" -> "Operatsiya". Stored as ``latin_names`` beside
    them, so the full-text index finds a name typed in Latin letters (docs/model.md)."""
    out: list[str] = []
    for text in (name, *(aliases or ())):
        if isinstance(text, str) and not text.isascii():
            latin = " ".join(anyascii(text).split())
            if latin and latin not in out:
                out.append(latin)
    return out


def node_row(node: dict[str, Any]) -> dict[str, Any]:
    """A validated node as the upsert queries take it (the bulk loader writes the same rows)."""
    props = {k: v for k, v in node.items()
             if k not in ("label", "extra_labels", "id") and v is not None}
    latin = latin_names(props.get("name"), props.get("aliases"))
    if latin:
        props["latin_names"] = latin
    return {"id": node["id"], "labels": [node["label"], *node["extra_labels"]], "props": props}


def relationship_row(rel: dict[str, Any]) -> dict[str, Any]:
    """A validated relationship as the upsert queries take it (and the bulk loader)."""
    props = {k: v for k, v in rel.items() if k not in ("type", "from_", "to") and v is not None}
    return {"type": rel["type"], "from": rel["from_"], "to": rel["to"],
            "key": relationship_key(rel), "props": props}


def _batches(rows: list[dict[str, Any]], size: int) -> Iterable[list[dict[str, Any]]]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def write(graph: Graph, records: Records, batch_size: int = BATCH_SIZE,
          progress: Callable[[int], None] | None = None,
          also: Callable[[Tx], None] | None = None) -> WriteResult:
    """Write validated records in one transaction (batched UNWIND), so it all lands or none.

    Relationships go in batches of one type, each through its own query
    (``records.upsert_owns``...: a static type MERGEs ten times faster than a dynamic one).
    ``progress(n)`` is told after each batch how many rows it wrote; ``also(tx)`` runs more
    (already validated) writes in the same transaction, after the records.
    """
    node_rows = [node_row(n) for n in records.nodes]
    by_type: dict[str, list[dict[str, Any]]] = {}
    for rel in records.relationships:
        by_type.setdefault(rel["type"], []).append(relationship_row(rel))

    def work(tx: Tx) -> WriteResult:
        for batch in _batches(node_rows, batch_size):
            tx.run("records.upsert_nodes", rows=batch)
            if progress:
                progress(len(batch))
        for rel_type, rows in by_type.items():
            for batch in _batches(rows, batch_size):
                tx.run(f"records.upsert_{rel_type.lower()}", rows=batch)  # a model type
                if progress:
                    progress(len(batch))
        if also:
            also(tx)
        return WriteResult(len(node_rows), len(records.relationships))

    return graph.write_tx(work)
