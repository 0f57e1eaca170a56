"""Validated records in, one transaction out: the write path that seeds and imports share.

All-or-nothing: every node and relationship is validated (fields, enums, endpoints, the
model's patterns) before anything is written, and the write is one transaction. Idempotent:
nodes merge on ``id``; relationships on (start, type, end, key), so re-running adds nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
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
    relationships_created: int = 0  # of ``relationships``, those that were not there before


def node_labels(nodes: Iterable[dict[str, Any]]) -> dict[str, frozenset[str]]:
    """Validated nodes' labels by id, as :class:`RelationshipCheck` takes them."""
    return {n["id"]: frozenset({n["label"], *n["extra_labels"]}) for n in nodes}


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

    checked, problems = RelationshipCheck(labels_by_id, graph, sourced).check(
        list(relationships))
    errors += problems
    records.relationships = checked

    if errors and not skip_invalid:
        raise RecordErrors(errors)
    records.skipped = errors
    return records


class RelationshipCheck:
    """The relationship rules of ``validate``, over one chunk of relationships at a time.

    Each relationship's fields (``schemas``), then the rules across records: its ends exist, in
    ``labels_by_id`` (the batch's nodes) or else in the graph, with labels the model allows for
    its type, and no relationship comes twice (across every chunk checked so far). ``validate``
    checks all of them in one chunk; the import pipeline checks chunk after chunk while the
    chunk before is being written.
    """

    def __init__(self, labels_by_id: dict[str, frozenset[str]], graph: Graph | None = None,
                 sourced: bool = False):
        self.labels_by_id = labels_by_id
        self.graph = graph
        self.sourced = sourced
        self.seen: set[tuple[str, str, str, str]] = set()
        self.allowed: dict[tuple[str, frozenset[str], frozenset[str]], bool] = {}
        self.not_in_graph: set[str] = set()

    def check(self, relationships: list[tuple[str, dict[str, Any]]]
              ) -> tuple[list[dict[str, Any]], list[str]]:
        """(the valid relationships, the problem lines) of ``(where, record)`` pairs."""
        errors: list[str] = []
        rels: list[tuple[str, dict[str, Any]]] = []
        loaded = schemas.validate_relationships([raw for _, raw in relationships],
                                                sourced=self.sourced)
        for (where, _), rel in zip(relationships, loaded, strict=True):
            if isinstance(rel, ValidationError):
                errors += schemas.error_lines(rel, where)
                continue
            cited = ({k: v for k, v in evidence.problems(rel).items() if k in evidence.ENFORCED}
                     if self.sourced else None)  # the seed's standard: a claim one can cite
            if cited:
                errors += schemas.error_lines(ValidationError(cited), where)
            else:
                rels.append((where, rel))
        self._look_up({end for _, r in rels for end in (r["from_"], r["to"])})

        labels_by_id, seen, allowed = self.labels_by_id, self.seen, self.allowed
        valid: list[dict[str, Any]] = []
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
                    f"{where}: type: {rel['type']} goes from {'/'.join(starts)} to "
                    f"{'/'.join(ends)}, not from {'/'.join(sorted(start))} to "
                    f"{'/'.join(sorted(end))}.")
                continue
            identity = (rel["from_"], rel["type"], rel["to"], relationship_key(rel))
            if identity in seen:
                errors.append(f"{where}: the same {rel['type']} from {rel['from_']!r} to "
                              f"{rel['to']!r} appears twice.")
                continue
            seen.add(identity)
            valid.append(rel)
        return valid, errors

    def _look_up(self, ends: set[str]) -> None:
        """The labels of the ends that are not in the batch, from the graph (once each)."""
        missing = sorted(ends - self.labels_by_id.keys() - self.not_in_graph)
        if not missing or self.graph is None:
            return
        found = self.graph.read("records.labels_of", ids=missing)[0]
        for node_id, labels in zip(found["ids"], found["labels"], strict=True):
            self.labels_by_id[node_id] = frozenset(labels) - {model.BASE_LABEL}
        self.not_in_graph.update(set(missing) - self.labels_by_id.keys())


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


ENDS_AND_TYPE = ("type", "from_", "to")  # a relationship's fields that are not its properties


def relationship_row(rel: dict[str, Any]) -> dict[str, Any]:
    """A validated relationship as the upsert queries take it (and the bulk loader, a column
    at a time: its properties are the other fields that are not None, and ``key``)."""
    props = {k: v for k, v in rel.items() if k not in ENDS_AND_TYPE and v is not None}
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
    stream = StreamWrite(graph, batch_size, progress=progress, background=False)
    stream.nodes(records.nodes)
    stream.relationships(records.relationships)
    return stream.commit(also)


class Abandoned(Exception):
    """The records fed to a :class:`StreamWrite` are not to be written (a problem was found):
    raised inside its transaction, which rolls back."""


class StreamWrite:
    """One write transaction that is fed records while it runs, so that Neo4j writes one batch
    while Python reads, validates and matches the next (on two cores, the two overlap).

    Nothing is committed before :meth:`commit`; :meth:`abandon` rolls everything back, so a
    problem found in the last row still leaves nothing written. Rows are kept until the end: a
    transient error (the driver retries the transaction) replays them from the first.
    ``background=False`` writes everything in :meth:`commit`, in the calling thread.
    """

    def __init__(self, graph: Graph, batch_size: int = BATCH_SIZE,
                 progress: Callable[[int], None] | None = None, background: bool = True):
        self.graph = graph
        self.batch_size = batch_size
        self.progress = progress
        self.queued = 0  # rows queued so far
        self.done = 0  # rows written so far (in the current attempt)
        self._reported = 0
        self._items: list[tuple[str, list[dict[str, Any]]]] = []
        self._nodes = self._relationships = 0
        self._ready = threading.Condition()
        self._closed = self._abandoned = False
        self._also: Callable[[Tx], None] | None = None
        self._result: WriteResult | None = None
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        if background:
            self._thread = threading.Thread(target=self._run, name="graphapp-write", daemon=True)
            self._thread.start()

    def nodes(self, nodes: Iterable[dict[str, Any]]) -> None:
        rows = [node_row(n) for n in nodes]
        self._nodes += len(rows)
        for batch in _batches(rows, self.batch_size):
            self._put("records.upsert_nodes", batch)

    def relationships(self, relationships: Iterable[dict[str, Any]], new: bool = True) -> None:
        """Queue relationships, in batches of one type; ``new=False``: ones queued before
        (matching merged them with another), written again and not counted twice."""
        by_type: dict[str, list[dict[str, Any]]] = {}
        for rel in relationships:
            by_type.setdefault(rel["type"], []).append(relationship_row(rel))
        for rel_type, rows in by_type.items():
            if new:
                self._relationships += len(rows)
            for batch in _batches(rows, self.batch_size):
                self._put(f"records.upsert_{rel_type.lower()}", batch)  # a model type

    def _put(self, name: str, rows: list[dict[str, Any]]) -> None:
        if self._error is not None:
            raise self._error
        with self._ready:
            self._items.append((name, rows))
            self.queued += len(rows)
            self._ready.notify()

    def _feed(self) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        """The queued batches from the first, waiting for more until the feed is closed."""
        i = 0
        while True:
            with self._ready:
                while i == len(self._items) and not (self._closed or self._abandoned):
                    self._ready.wait()
                if self._abandoned:
                    raise Abandoned()
                if i == len(self._items):
                    return
                item = self._items[i]
            yield item
            i += 1

    def _work(self, tx: Tx) -> WriteResult:
        self.done = created = 0
        for name, rows in self._feed():
            result = tx.run(name, rows=rows)
            if name != "records.upsert_nodes":
                created += result[0]["created"] if result else 0
            self.done += len(rows)
            if self.progress and self._thread is None:
                self.progress(len(rows))
        if self._also:
            self._also(tx)
        return WriteResult(self._nodes, self._relationships, created)

    def _run(self) -> None:
        try:
            self._result = self.graph.write_tx(self._work)
        except Abandoned:
            pass
        except BaseException as exc:  # handed to the feeding thread
            self._error = exc

    def commit(self, also: Callable[[Tx], None] | None = None) -> WriteResult:
        """Close the feed, run ``also(tx)`` after the records, commit; the counts written."""
        self._also = also
        with self._ready:
            self._closed = True
            self._ready.notify()
        if self._thread is None:
            self._run()
        else:
            while self._thread.is_alive():
                self._thread.join(0.5)
                self.report()
        if self._error is not None:
            raise self._error
        assert self._result is not None
        return self._result

    def report(self) -> None:
        """Tell ``progress`` the rows written since it was last told (in the feeding thread:
        progress bars are not drawn from the writing one)."""
        if self.progress and self._thread is not None and self.done > self._reported:
            self.progress(self.done - self._reported)
            self._reported = self.done

    def abandon(self) -> None:
        """Roll back: nothing fed so far is written."""
        with self._ready:
            self._abandoned = True
            self._ready.notify()
        if self._thread is not None:
            self._thread.join()

    def failed(self) -> BaseException | None:
        """The error that ended the transaction early, if one did."""
        return self._error
