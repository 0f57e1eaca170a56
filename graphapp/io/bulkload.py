"""Initial loads of big registers: validated records to neo4j-admin CSVs, imported offline.

``graphapp import`` writes online (batched ``MERGE`` in one transaction): some 15-20k
relationships a second on a small machine. A first load of a register with millions of entities
(GLEIF) goes through Neo4j's own offline importer instead (``neo4j-admin database import full``):

1. refuse unless ``instance`` is a local instance (graphapp runs its server) and its database is
   empty: the importer replaces the database, so nothing may be lost;
2. write the records as CSVs (one header file with typed columns per label set or relationship
   type, one ID space: the node ids) in a private folder beside the instance;
3. stop the server, run the importer, start the server;
4. set what CSVs cannot carry (empty lists: the importer leaves them out), apply the schema
   (``Graph.init_schema``) and wait until every index is online.

The graph is the one ``records.write`` would have written: the same labels (``Entity`` too),
properties, property types, relationship ``key`` and ``updated_at`` (a datetime). If the importer
fails, the database is left empty (with its schema) and the error says why; the CSVs are always
removed. A loaded database is not empty, so a second bulk load is refused: use ``graphapp import``
to add to it. Progress messages name stages and counts, never a record.
"""

from __future__ import annotations

import gc
import hashlib
import math
import multiprocessing as mp
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graphapp import config
from graphapp.io.common import Batch, Location, Problem, problem_from_line
from graphapp.server import localserver, provision
from graphapp.store import model, records
from graphapp.store.db import Graph

if TYPE_CHECKING:
    from graphapp.io.pipeline import ImportReport

DATABASE = "neo4j"
ARRAY_DELIMITER = "\x1f"  # the ASCII unit separator: no one types it into a name or a URL
INDEX_TIMEOUT_SECONDS = 3600
FIX_BATCH = 5000
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
JVM_OPTIONS = (
    "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
)

Echo = Callable[[str], None]


class BulkLoadError(RuntimeError):
    """The bulk load was refused or failed; the message says why and what to do."""


# --- may this instance be bulk loaded? -----------------------------------------------------------


def check_loadable(instance: str, echo: Echo = print) -> None:
    """Raise BulkLoadError unless ``instance`` is local and its database holds nothing at all.

    Starts the local server when it is not running (it has to answer to be checked).
    """
    target = provision.resolve(instance)
    if target.source != "local":
        why = ("NEO4J_URI is set" if target.source == "env"
               else f"instance {instance!r} runs in Docker")
        raise BulkLoadError(
            f"bulk load runs only on a local instance that graphapp runs itself, and {why}: it "
            "stops the server and replaces its database files. On Docker or another server, "
            "run that server's `neo4j-admin database import full`; on Aura, use Aura's import; "
            "or write online with `graphapp import` (see docs/import.md).")
    localserver.start(instance, echo=echo)
    graph = Graph(provision.resolve(instance))
    try:
        count = graph.read("bulkload.count_nodes")[0]["nodes"]
    finally:
        graph.close()
    if count:
        raise BulkLoadError(
            f"the database of instance {instance!r} holds {count:,} node(s) (entities, accounts "
            "or audit events): bulk load only fills an empty database, because it replaces the "
            "whole database. Add these records with `graphapp import`, or bulk load into a new "
            "instance (--instance NEW) and point the app at it.")


# --- files in: the import pipeline's readers and validation ----------------------------------


def read_and_validate(files: Sequence[tuple[Path, str]], fmt: str | None = None,
                      stream_bytes: int | None = None,
                      ) -> tuple[records.Records, ImportReport, list[tuple[Path, str]]]:
    """Read and validate ``files`` ((path, name shown) pairs) as ``graphapp import`` does, and
    match records to each other; return (records, the pipeline's ImportReport, streams).

    GLEIF files larger than ``stream_bytes`` (the import pipeline's ``STREAM_BYTES``) are not
    read here: they are returned as ``streams``, for ``stream_batches`` to read chunk by chunk
    while the CSVs are written (as ``graphapp import`` streams them, matching on ids only).
    Any problem in ``report.problems`` and the records are empty. RDR scorecards are refused:
    their scores go onto companies already in the graph (import them after the bulk load).
    """
    from graphapp.io import matching, pipeline, spreadsheet

    if stream_bytes is None:
        stream_bytes = pipeline.STREAM_BYTES
    report = pipeline.ImportReport()
    combined = Batch()
    streams: list[tuple[Path, str]] = []
    for path, name in files:
        file_format = pipeline.format_of(path, name, fmt, report)
        if file_format is None:
            continue
        if file_format == "rdr":
            report.problems.append(Problem(
                name, None, None, None, "RDR scores are set on companies already in the graph: "
                "import this file with `graphapp import` after the bulk load."))
            continue
        if file_format == "gleif" and path.stat().st_size > stream_bytes:
            streams.append((path, name))
            continue
        combined.extend(pipeline.reader_for(file_format)(path, name))
    streams.sort(key=lambda f: pipeline.gleif_level(f[0]))  # Level 1 before Level 2
    report.notes += combined.notes
    spreadsheet.resolve_kumu_ends(combined)
    pipeline.drop_redundant_placeholders(combined)
    validated = pipeline.validate_batch(None, combined, report, skip_invalid=False)
    report.problems.sort(key=pipeline.problem_order)
    if report.problems:
        return records.Records(), report, streams
    wheres = {rec.get("id"): where for where, rec in combined.nodes}
    resolved, plan = matching.resolve(None, validated, wheres, combined.placeholders)
    report.plan.extend(plan)
    report.notes += plan.notes
    return resolved, report, streams


def stream_batches(streams: Sequence[tuple[Path, str]], bars: bool = False) -> Iterator[Batch]:
    """The GLEIF chunks of ``streams``, file after file, never a file whole; ``bars``: a
    progress bar of the bytes read (stderr)."""
    from tqdm import tqdm

    from graphapp.io import gleif

    for path, name in streams:
        position = [0]
        with tqdm(total=path.stat().st_size, unit="B", unit_scale=True, desc=f"read {name}",
                  file=sys.stderr, disable=not bars, dynamic_ncols=True) as bar:
            for chunk in gleif.chunks(path, name, gleif.CHUNK_RECORDS, position):
                yield chunk
                bar.update(position[0] - bar.n)


# --- records to CSV files -----------------------------------------------------------------------


EMPTY = "[]"  # the kind of an empty list: not a CSV value (the importer leaves it out)
SCALARS = {str: "string", bool: "boolean", int: "long", float: "double"}
LONG = range(-2**63, 2**63)


def kind_of(value: Any) -> str | None:
    """The neo4j-admin column type of a value; EMPTY for []; None when a CSV cannot carry it
    (an item holding U+001F, the array delimiter; [""], which reads back as no value; NUL)."""
    scalar = SCALARS.get(type(value))
    if scalar is not None:
        return _FORMAT[scalar](value) and scalar
    if isinstance(value, (list, tuple)):
        if not value:
            return EMPTY
        kinds = {SCALARS.get(type(v)) for v in value}
        if None in kinds:
            raise BulkLoadError(f"a list of {type(value[0]).__name__} cannot be bulk loaded")
        if len(kinds) > 1:
            raise BulkLoadError(f"a list mixes {' and '.join(sorted(kinds))} values: "
                                "Neo4j stores lists of one type only")
        kind = kinds.pop() + "[]"
        return kind if _FORMAT[kind](value) is not None else None
    raise BulkLoadError(f"a {type(value).__name__} value cannot be bulk loaded")


# A value's CSV cell, or None when the cell cannot carry it exactly (set online afterwards).

def _string(v: Any) -> str | None:
    if v is None:
        return ""
    if type(v) is not str or "\x00" in v:
        return None
    return '"' + v.replace('"', '""') + '"'


def _double(v: Any) -> str | None:
    if v is None:
        return ""
    if type(v) is not float:
        return None
    if math.isnan(v):
        return "NaN"
    return ("Infinity" if v > 0 else "-Infinity") if math.isinf(v) else repr(v)


def _long(v: Any) -> str | None:
    if v is None:
        return ""
    if type(v) is not int:
        return None
    if v not in LONG:
        raise BulkLoadError(f"the integer {v} does not fit in a Neo4j integer")
    return str(v)


def _boolean(v: Any) -> str | None:
    if v is None:
        return ""
    return ("true" if v else "false") if type(v) is bool else None


def _strings(v: Any) -> str | None:
    if v is None:
        return ""
    if type(v) not in (list, tuple) or not v or v == [""] or v == ("",):
        return None
    try:
        joined = ARRAY_DELIMITER.join(v)
    except TypeError:
        return None
    if joined.count(ARRAY_DELIMITER) != len(v) - 1 or "\x00" in joined:
        return None
    return '"' + joined.replace('"', '""') + '"'


def _array(element: Callable[[Any], str | None]) -> Callable[[Any], str | None]:
    def cell(v: Any) -> str | None:
        if v is None:
            return ""
        if type(v) not in (list, tuple) or not v:
            return None
        cells = [element(x) for x in v]
        return None if None in cells else '"' + ARRAY_DELIMITER.join(cells) + '"'
    return cell


_FORMAT: dict[str, Callable[[Any], str | None]] = {
    "string": _string, "double": _double, "long": _long, "boolean": _boolean,
    "string[]": _strings, "double[]": _array(_double), "long[]": _array(_long),
    "boolean[]": _array(_boolean),
}


@dataclass
class CsvFile:
    """One importer input: a header file and its data files (one per process that wrote rows
    of these columns; the importer reads them as one), nodes of ``name`` (labels joined by
    ':') or relationships of type ``name``."""

    kind: str  # "nodes" or "relationships"
    name: str
    header: Path
    data: list[Path] = field(default_factory=list)
    rows: int = 0
    multiline: bool = False


@dataclass
class CsvSet:
    """What ``write_csvs`` wrote, and what the CSVs could not carry (set online afterwards)."""

    files: list[CsvFile] = field(default_factory=list)
    nodes: int = 0
    relationships: int = 0
    bytes: int = 0
    # (label or type, key): every loaded node of that label (relationship of that type) has this
    # list property, so the missing ones after the import are the empty ones.
    empty_lists_on_label: list[tuple[str, str]] = field(default_factory=list)
    empty_lists_on_type: list[tuple[str, str]] = field(default_factory=list)
    # Rows for bulkload.set_node_props / set_relationship_props.
    node_fixes: list[dict[str, Any]] = field(default_factory=list)
    relationship_fixes: list[dict[str, Any]] = field(default_factory=list)


# CSVs are written as a stream: each chunk of records is turned into CSV lines in a worker
# process (validating it first when it is raw input), which appends them to its own data file
# per label set (relationship type) and column signature; the main process only learns which
# files hold how many rows (the lines never travel back to it). Header files are written at the
# end, so no column has to be known in advance and no record is held longer than its chunk.

WORKERS_ENV = "GRAPHAPP_BULK_WORKERS"
CHUNK_ROWS = 20_000


def worker_count() -> int:
    """Processes that validate and format chunks (``GRAPHAPP_BULK_WORKERS``; 0: none, in this
    process). By default one per core: the main process mostly appends text to files."""
    told = os.environ.get(WORKERS_ENV)
    if told is not None and told.strip():
        return max(0, int(told))
    return os.cpu_count() or 1


def _cell(value: Any) -> tuple[str | None, str | None]:
    """(column type, CSV cell) of a value; (EMPTY, None) for [], (kind, None) when no cell can
    carry it exactly (it is set online afterwards)."""
    scalar = SCALARS.get(type(value))
    if scalar is not None:
        return scalar, _FORMAT[scalar](value)
    if isinstance(value, (list, tuple)):
        if not value:
            return EMPTY, None
        kind = kind_of(value)
        return kind, (None if kind is None else _FORMAT[kind](value))
    raise BulkLoadError(f"a {type(value).__name__} value cannot be bulk loaded")


@dataclass
class _Job:
    """One chunk for a worker: raw (where, record) pairs to validate, or validated records."""

    nodes: list[Any]
    relationships: list[Any]
    validated: bool
    updated_at: str
    skip: frozenset[str] = frozenset()  # node ids only validated against (already loaded)
    ends: dict[str, frozenset[str]] = field(default_factory=dict)  # labels of earlier nodes
    locations: dict[str, Location] = field(default_factory=dict)
    directory: Path | None = None  # where the worker appends its lines (None: kept in memory)


@dataclass
class _Part:
    """What a worker made of one chunk."""

    problems: list[Problem] = field(default_factory=list)
    lines: dict[tuple[str, str, tuple], list[str]] = field(default_factory=dict)
    files: dict[tuple[str, str, tuple], tuple[Path, int]] = field(default_factory=dict)
    multiline: set[tuple[str, str, tuple]] = field(default_factory=set)
    identities: list[bytes] = field(default_factory=list)  # digests of (from, type, to, key)
    lists: dict[tuple[str, str], int] = field(default_factory=dict)  # (label|type, key) -> rows
    totals: dict[str, int] = field(default_factory=dict)  # label|type -> rows
    left: list[tuple[str, str, dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    nodes: int = 0
    relationships: int = 0
    cpu: float = 0.0  # CPU seconds the worker spent on this chunk


def _name_ok(name: str, what: str) -> None:
    if not NAME.match(name):
        raise BulkLoadError(f"{what} {name!r} cannot be bulk loaded")


# A row shape (its keys and their value types, in order) seen before is formatted by the
# cells of the first row of that shape: (signature, one formatter a column, list keys).
_Plan = tuple[tuple[str, str, tuple], list[Callable[[Any], str | None]], list[str]]


def _row_line(part: _Part, plans: dict[tuple, _Plan], kind: str, name: str,
              names: Sequence[str], lead: list[str], props: dict[str, Any], updated_at: str,
              ident: dict[str, Any]) -> None:
    """One row's CSV line, filed under its (kind, name, column signature); what no cell can
    carry (and empty lists) is noted in ``part.left``."""
    values = props.values()
    shape = (name, tuple(props), tuple(map(type, values)))
    plan = plans.get(shape)
    cells = None
    if plan is not None:
        signature, formats, list_keys = plan
        cells = [f(v) for f, v in zip(formats, values, strict=True)]
        if None in cells:  # an empty list, or a list of another type: the general way
            cells = None
    if cells is None:
        columns, cells, left, formats, list_keys = [], [], {}, [], []
        for key, value in props.items():
            col, text = _cell(value)
            if isinstance(value, (list, tuple)):
                list_keys.append(key)
            if text is None:
                left[key] = value
                continue
            columns.append((key, col))
            cells.append(text)
            formats.append(_FORMAT[col])
        signature = (kind, name, tuple(columns))
        if left:
            part.left.append((kind, names[0], ident, left))
        else:
            plans[shape] = (signature, formats, list_keys)
    for n in names:
        part.totals[n] = part.totals.get(n, 0) + 1
        for key in list_keys:
            part.lists[(n, key)] = part.lists.get((n, key), 0) + 1
    line = ",".join([*lead, *cells, updated_at])
    if "\n" in line or "\r" in line:
        part.multiline.add(signature)
    lines = part.lines.get(signature)
    if lines is None:
        for key, _ in signature[2]:
            if not NAME.match(key):
                raise BulkLoadError(f"property name {key!r} cannot be a CSV column name")
        part.lines[signature] = lines = []
    lines.append(line)


def _digest(text: str) -> bytes:
    """A relationship's identity (from, type, to and key joined by U+001F) in 16 bytes."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class _EarlierNodes:
    """The labels of nodes of earlier chunks, answering ``records.validate``'s one question to
    the graph (``records.labels_of``) as the graph would: a bulk load's graph is empty."""

    def __init__(self, labels: dict[str, frozenset[str]]):
        self.labels = labels

    def read(self, name: str, ids: list[str]) -> list[dict[str, list]]:
        assert name == "records.labels_of", name
        found = [i for i in ids if i in self.labels]
        return [{"ids": found, "labels": [sorted(self.labels[i]) for i in found]}]


_worker_cpu: list[float] = []  # in a worker process: its CPU seconds already reported


def _start_worker() -> None:
    """A worker's set-up: no cyclic garbage collector (``_make_part`` collects once a chunk).
    Unpickling a chunk of 20,000 records with it on costs four times as much CPU."""
    gc.disable()
    _worker_cpu.append(time.process_time())


def _make_part(job: _Job) -> _Part:
    """Validate (when raw) and format one chunk: run in a worker process (or in this one).
    ``part.cpu``: the CPU this process spent since its last part, unpickling included."""
    began = time.process_time()
    collecting = gc.isenabled()
    gc.disable()  # many small dicts: the cyclic collector would rescan them again and again
    try:
        part = _format_part(job)
    finally:
        if collecting:
            gc.enable()
    if job.directory is not None:
        _append_lines(part, job.directory)
    if _worker_cpu:  # a worker: what refcounting left (cycles), once a chunk
        gc.collect()
        began, _worker_cpu[0] = _worker_cpu[0], time.process_time()
    part.cpu = time.process_time() - began
    return part


def _append_lines(part: _Part, directory: Path) -> None:
    """Append a part's lines to this process's data file of each signature; keep only which
    file holds how many rows (what the main process needs)."""
    for signature, lines in part.lines.items():
        digest = hashlib.blake2b(repr(signature).encode("utf-8", "surrogatepass"),
                                 digest_size=8).hexdigest()
        path = directory / f"{signature[0]}-{digest}-{os.getpid()}.csv"
        with open(path, "a", encoding="utf-8", newline="") as out:
            out.write("\n".join(lines) + "\n")
        part.files[signature] = (path, len(lines))
    part.lines = {}


def _format_part(job: _Job) -> _Part:
    part = _Part()
    if job.validated:
        nodes, rels = job.nodes, job.relationships
    else:
        recs = records.validate(job.nodes, job.relationships, skip_invalid=True,
                                graph=_EarlierNodes(job.ends))
        part.problems = [problem_from_line(line, job.locations) for line in recs.skipped]
        if part.problems:
            return part
        nodes, rels = recs.nodes, recs.relationships
    groups: dict[tuple, _Group] = {}
    for node in nodes:
        if node["id"] in job.skip:
            continue
        row = records.node_row(node)
        props = row["props"]
        props.pop("updated_at", None)  # the online write sets it after the properties
        labels = tuple(dict.fromkeys(row["labels"]))
        shape = (labels, tuple(props))
        group = groups.get(shape)
        if group is None:
            for label in labels:
                _name_ok(label, "label")
            group = groups[shape] = _Group("nodes", ":".join((model.BASE_LABEL, *labels)),
                                           labels, [[]], {key: [] for key in props})
        group.leads[0].append(_string(row["id"]))
        for key, value in props.items():
            group.columns[key].append(value)
        group.idents.append(row["id"])
        part.nodes += 1
    by_shape: dict[tuple, list[dict[str, Any]]] = {}
    for rel in rels:
        by_shape.setdefault((rel["type"], tuple(rel)), []).append(rel)
    for (rel_type, keys), group_rels in by_shape.items():
        _name_ok(rel_type, "relationship type")
        starts = [rel["from_"] for rel in group_rels]
        ends = [rel["to"] for rel in group_rels]
        rel_keys = list(map(records.relationship_key, group_rels))
        part.identities += [_digest(text) for text in map(
            "\x1f".join, zip(starts, [rel_type] * len(starts), ends, rel_keys, strict=True))]
        columns = {"key": rel_keys}
        for key in keys:  # relationship_row's properties: the other fields, less None values
            if key not in records.ENDS_AND_TYPE and key != "updated_at":
                columns[key] = [rel[key] for rel in group_rels]
        groups[(rel_type, keys)] = _Group(
            "relationships", rel_type, (rel_type,),
            [list(map(_string, starts)), list(map(_string, ends))], columns,
            list(zip(starts, ends, rel_keys, strict=True)))
        part.relationships += len(group_rels)
    plans: dict[tuple, _Plan] = {}
    for group in groups.values():
        _group_lines(part, plans, group, job.updated_at)
    return part


@dataclass
class _Group:
    """Rows of one chunk with the same labels (type) and property keys, a column each."""

    kind: str
    name: str
    names: tuple[str, ...]
    leads: list[list[str]]  # the cells of the id column, or of the start and end columns
    columns: dict[str, list[Any]]  # property key -> values, None where a row has none
    idents: list[Any] = field(default_factory=list)  # node ids, or (from, to, key)

    def __len__(self) -> int:
        return len(self.leads[0])

    def ident(self, i: int) -> dict[str, Any]:
        """How the online fix finds row i."""
        if self.kind == "nodes":
            return {"id": self.idents[i]}
        start, end, key = self.idents[i]
        return {"from": start, "type": self.name, "to": end, "key": key}

    def split(self, keys: list[str]) -> list[_Group]:
        """The rows again, grouped by the Python types of their values of ``keys``."""
        by_types: dict[tuple, list[int]] = {}
        for i, types in enumerate(zip(*(map(type, self.columns[k]) for k in keys),
                                      strict=True)):
            by_types.setdefault(types, []).append(i)
        return [_Group(self.kind, self.name, self.names,
                       [[lead[i] for i in rows] for lead in self.leads],
                       {k: [v[i] for i in rows] for k, v in self.columns.items()},
                       [self.idents[i] for i in rows]) for rows in by_types.values()]


def _column_cells(values: list[Any]) -> tuple[str | None, list[str] | None]:
    """(column type, CSV cells) of a column whose values have one Python type; (EMPTY, None)
    when every value is [], (type, None) when some cell cannot carry its value and (None,
    None) when the values are lists of different kinds: the rows then go one by one. A value
    that comes often is formatted once."""
    first = values[0]
    scalar = SCALARS.get(type(first))
    if scalar is not None:
        keys: list[Any] = values
        distinct = set(values)
    elif isinstance(first, (list, tuple)):
        try:
            keys = list(map(tuple, values))
            distinct = set(keys)
        except TypeError:
            return None, None
    else:
        raise BulkLoadError(f"a {type(first).__name__} value cannot be bulk loaded")
    if scalar is not None and len(distinct) * 4 > len(values):
        cells = list(map(_FORMAT[scalar], values))
        return scalar, None if None in cells else cells
    memo: dict[Any, str | None] = {}
    kinds = set()
    for value in distinct:
        kind, memo[value] = _cell(value)
        kinds.add(kind)
    if len(kinds) != 1:
        return None, None
    kind = kinds.pop()
    if kind == EMPTY or None in memo.values():
        return kind, None
    return kind, [memo[k] for k in keys]  # type: ignore[misc]


def _group_lines(part: _Part, plans: dict[tuple, _Plan], group: _Group,
                 updated_at: str) -> None:
    """The CSV lines of a group, a column at a time (a column mixing Python types splits the
    group); rows whose values no column carries alike (lists of several kinds, a value no
    cell carries) go one by one through ``_row_line``."""
    mixed = [k for k, v in group.columns.items() if len(set(map(type, v))) > 1]
    if mixed:
        for each in group.split(mixed):
            _group_lines(part, plans, each, updated_at)
        return
    size = len(group)
    columns: list[tuple[str, str]] = []
    cells: list[list[str]] = []
    list_keys: list[str] = []
    empties: list[str] = []
    for key, values in list(group.columns.items()):
        if values[0] is None:  # not a property of these rows (records.relationship_row)
            del group.columns[key]
            continue
        kind, column = _column_cells(values)
        if isinstance(values[0], (list, tuple)):
            list_keys.append(key)
        if kind == EMPTY:
            empties.append(key)
        elif column is None:
            keys = list(group.columns)
            for i, props in enumerate(zip(*group.columns.values(), strict=True)):
                _row_line(part, plans, group.kind, group.name, group.names,
                          [lead[i] for lead in group.leads],
                          {k: v for k, v in zip(keys, props, strict=True) if v is not None},
                          updated_at, group.ident(i))
            return
        else:
            columns.append((key, kind))
            cells.append(column)
    signature = (group.kind, group.name, tuple(columns))
    for key, _ in columns:
        if not NAME.match(key):
            raise BulkLoadError(f"property name {key!r} cannot be a CSV column name")
    for n in group.names:
        part.totals[n] = part.totals.get(n, 0) + size
        for key in list_keys:
            part.lists[(n, key)] = part.lists.get((n, key), 0) + size
    for i in range(size) if empties else ():
        part.left.append((group.kind, group.names[0], group.ident(i),
                          {key: group.columns[key][i] for key in empties}))
    lines = list(map(",".join, zip(*group.leads, *cells, [updated_at] * size, strict=True)))
    text = "\n".join(lines)
    if "\r" in text or text.count("\n") != size - 1:
        part.multiline.add(signature)
    part.lines.setdefault(signature, []).extend(lines)


class CsvWriter:
    """Chunks of records in, neo4j-admin CSV files out, formatted by ``workers`` processes.

    ``add_records`` takes validated records, ``add_batch`` a raw reader Batch (validated in the
    worker, its problems collected in ``problems``: any, and the CSVs must not be imported).
    Node ids must be unique, relationship ends must be among the nodes added before, and no
    relationship may come twice: the importer would load such input differently from the online
    ``MERGE`` (or not at all). Memory holds the node ids, a digest per relationship and the
    chunks in flight, never the whole input.
    """

    def __init__(self, directory: Path, updated_at: str, workers: int | None = None,
                 on_rows: Callable[[int], None] | None = None):
        self.directory = directory
        self.updated_at = updated_at
        self.workers = worker_count() if workers is None else workers
        self.on_rows = on_rows
        self.out = CsvSet()
        self.problems: list[Problem] = []
        self.ids: dict[str, frozenset[str]] = {}  # every node id added, and its labels
        self._label_sets: dict[frozenset[str], frozenset[str]] = {}
        self._identities: set[bytes] = set()
        self._files: dict[tuple, CsvFile] = {}
        self._lists: dict[tuple[str, str], int] = {}
        self._totals: dict[str, int] = {}
        self._left: list[tuple[str, str, dict[str, Any], dict[str, Any]]] = []
        self._pending: deque[Future | _Part] = deque()
        self.worker_cpu = 0.0  # CPU seconds spent formatting chunks (in workers, or here)
        self._pool: ProcessPoolExecutor | None = None
        if self.workers > 0:
            self._pool = ProcessPoolExecutor(self.workers, mp_context=mp.get_context("fork"),
                                             initializer=_start_worker)
            self._pool.submit(int).result()  # fork the workers now, before any thread starts

    # -- input ------------------------------------------------------------------------------

    def add_records(self, recs: records.Records) -> None:
        """Validated records (every end among the nodes added so far or in ``recs``)."""
        for node in recs.nodes:
            if node["id"] in self.ids:
                raise BulkLoadError("two nodes have the same id: validate the records first "
                                    "(records.validate)")
            self._claim(node["id"], node["label"], node.get("extra_labels"))
        for rel in recs.relationships:
            if rel["from_"] not in self.ids or rel["to"] not in self.ids:
                raise BulkLoadError(
                    "a relationship ends at a node that is not among the records: a bulk load "
                    "starts from an empty database, so every end must be loaded with it")
        for i in range(0, len(recs.nodes), CHUNK_ROWS):
            self._submit(_Job(recs.nodes[i:i + CHUNK_ROWS], [], True, self.updated_at))
        for i in range(0, len(recs.relationships), CHUNK_ROWS):
            self._submit(_Job([], recs.relationships[i:i + CHUNK_ROWS], True, self.updated_at))

    def add_batch(self, batch: Batch) -> None:
        """A reader's Batch (a GLEIF chunk): validated in a worker. A placeholder for a node
        already added is only validated against; a real node twice is a problem."""
        self.problems += batch.problems
        skip = set()
        for where, rec in batch.nodes:
            node_id = rec.get("id")
            if isinstance(node_id, str) and node_id in self.ids:
                if where in batch.placeholder_wheres:
                    skip.add(node_id)
                else:
                    loc = batch.locations.get(where)
                    self.problems.append(Problem(
                        loc.file if loc else where, loc.sheet if loc else None,
                        loc.row if loc else None, "id",
                        "this id was given before in the same load: each node once.",
                        loc.unit if loc else "row"))
            elif isinstance(node_id, str):
                self._claim(node_id, rec.get("label"), rec.get("extra_labels"))
        in_batch = {rec.get("id") for _, rec in batch.nodes if isinstance(rec.get("id"), str)}
        wanted = {end for _, rec in batch.relationships
                  if isinstance(end := rec.get("from"), str)}  # a set first: ends repeat
        wanted.update(end for _, rec in batch.relationships
                      if isinstance(end := rec.get("to"), str))
        ids = self.ids
        ends = {end: ids[end] for end in wanted - in_batch if end in ids}
        self._submit(_Job(batch.nodes, batch.relationships, False, self.updated_at,
                          skip=frozenset(skip), ends=ends, locations=batch.locations))

    def _claim(self, node_id: str, label: Any, extra: Any) -> None:
        labels = frozenset([label, *extra] if isinstance(extra, list) else [label])
        self.ids[node_id] = self._label_sets.setdefault(labels, labels)

    def _submit(self, job: _Job) -> None:
        job.directory = self.directory
        if self._pool is None:
            self._take(_make_part(job))
            return
        self._pending.append(self._pool.submit(_make_part, job))
        while len(self._pending) > 2 * self.workers:  # a bounded number of chunks in flight
            self._take(self._pending.popleft().result())

    # -- output -----------------------------------------------------------------------------

    def _take(self, part: _Part) -> None:
        self.worker_cpu += part.cpu
        self.problems += part.problems
        before = len(self._identities)
        self._identities.update(part.identities)
        if len(self._identities) - before != len(part.identities):
            raise BulkLoadError("the same relationship (ends, type and key) appears twice: "
                                "validate the records first (records.validate)")
        if self.problems:  # nothing will be imported: only look for more problems
            return
        for signature, (path, rows) in part.files.items():
            csv = self._file(signature)
            if path not in csv.data:
                csv.data.append(path)
            csv.rows += rows
            if signature in part.multiline:
                csv.multiline = True
        for key, n in part.lists.items():
            self._lists[key] = self._lists.get(key, 0) + n
        for key, n in part.totals.items():
            self._totals[key] = self._totals.get(key, 0) + n
        self._left += part.left
        self.out.nodes += part.nodes
        self.out.relationships += part.relationships
        if self.on_rows:
            self.on_rows(part.nodes + part.relationships)

    def _file(self, signature: tuple) -> CsvFile:
        found = self._files.get(signature)
        if found is None:
            kind, name, _ = signature
            found = self._files[signature] = CsvFile(
                kind, name, self.directory / f"{kind}-{len(self._files)}.header.csv")
        return found

    def finish(self) -> CsvSet:
        """Wait for the chunks in flight, close the files, write the headers; the CsvSet."""
        try:
            while self._pending:
                self._take(self._pending.popleft().result())
        finally:
            self.close()
        out = self.out
        for (kind, _, columns), csv in sorted(self._files.items(), key=lambda f: f[0][:2]):
            first = ["id:ID"] if kind == "nodes" else [":START_ID", ":END_ID"]
            header = [*first, *(f"{key}:{col}" for key, col in columns), "updated_at:datetime"]
            csv.header.write_text(",".join(header) + "\n", encoding="utf-8")
            out.files.append(csv)
        planned: set[tuple[str, str, str]] = set()
        for kind, group, ident, values in self._left:
            props = {}
            for key, value in values.items():
                if kind_of(value) == EMPTY and self._lists.get((group, key)) == \
                        self._totals.get(group):
                    planned.add((kind, group, key))
                else:
                    props[key] = value
            if props:
                fixes = out.node_fixes if kind == "nodes" else out.relationship_fixes
                fixes.append({**ident, "props": props})
        for kind, group, key in sorted(planned):
            scans = out.empty_lists_on_label if kind == "nodes" else out.empty_lists_on_type
            scans.append((group, key))
        out.bytes = sum(path.stat().st_size for f in out.files for path in (f.header, *f.data))
        return out

    def close(self) -> None:
        if self._pool is not None:
            for pending in self._pending:
                if isinstance(pending, Future):
                    pending.cancel()
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def write_csvs(recs: records.Records, directory: Path, updated_at: str,
               workers: int | None = 0) -> CsvSet:
    """Write validated ``recs`` as neo4j-admin CSVs into ``directory``, as ``records.write``
    would store them; ``updated_at`` (an ISO datetime with its zone) is the same for every
    record. ``workers``: as CsvWriter (0, the default here: in this process)."""
    writer = CsvWriter(directory, updated_at, workers)
    try:
        writer.add_records(recs)
    except BaseException:
        writer.close()
        raise
    return writer.finish()


# --- the importer ---------------------------------------------------------------------------------


def importer_command(csvs: CsvSet, work: Path) -> list[str]:
    """The ``neo4j-admin database import full`` command line (run with the server stopped)."""
    lib = localserver.ensure_distribution()
    admin_conf = work / "admin.conf"  # the importer's own logs quote input: keep them in ``work``
    admin_conf.write_text(f"server.directories.logs={work / 'logs'}\n", encoding="utf-8")
    heap, memory, options = config.bulk_memory()
    command = [
        str(localserver.find_java()), f"-Xmx{heap}",
        "-XX:+UseParallelGC",  # as neo4j-admin's own launcher: ~20% faster here than G1
        *JVM_OPTIONS, "-cp", f"{lib}/*", "org.neo4j.cli.AdminTool",
        "database", "import", "full", DATABASE,
        "--overwrite-destination=true", f"--additional-config={admin_conf}",
        f"--report-file={work / 'import.report'}", "--path-pattern-style=none",
        "--array-delimiter=U+001F", "--id-type=string", "--bad-tolerance=0",
        f"--max-off-heap-memory={memory}",
    ]
    command += options  # GRAPHAPP_BULK_OPTIONS, e.g. --threads=1
    multiline = [str(path) for f in csvs.files if f.multiline for path in f.data]
    if multiline:
        command += ["--multiline-fields-format=v2", f"--multiline-fields={','.join(multiline)}"]
    for f in csvs.files:
        option = "--nodes" if f.kind == "nodes" else "--relationships"
        command.append(f"{option}={f.name}={','.join(map(str, (f.header, *f.data)))}")
    return command


def _run_importer(instance: str, csvs: CsvSet, work: Path) -> None:
    home = localserver.instance_dir(instance)
    env = config.child_environment(NEO4J_HOME=str(home), NEO4J_CONF=str(home / "conf"))
    output = work / "importer.out"
    with open(output, "wb") as out:
        proc = subprocess.run(importer_command(csvs, work), env=env, cwd=home,
                              stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    if proc.returncode != 0:
        text = output.read_text(encoding="utf-8", errors="replace")
        raise BulkLoadError("neo4j-admin database import failed, nothing was loaded: "
                            + importer_problem(text))


QUOTED = re.compile(r"'[^'\n]*'|`[^`]*`|\"[^\"\n]*\"")


def importer_problem(output: str) -> str:
    """The importer's error, with the values it quotes withheld (they may name people)."""
    lines = output.splitlines()
    if "Command Failed" in lines:
        block = lines[lines.index("Command Failed") + 1:]
        block = block[:next((i for i, ln in enumerate(block) if ln.startswith("-----")),
                            len(block))]
    else:
        block = [ln for ln in lines if ln.strip() and not ln.startswith(("WARNING", ".", "-."))]
        block = block[-8:]
    kept = []
    for line in block:
        if line.strip().startswith(("raw field value", "Full exception details",
                                    "Please provide this file", "Run with '--verbose'")):
            continue
        line = line.split("This is read as")[0]
        kept.append(QUOTED.sub("'…'", line).strip())
    return " ".join(ln for ln in kept if ln) or "the importer gave no reason (exit code non-zero)"


def _empty_store(instance: str) -> None:
    """Remove the database's store files: the server creates an empty database at its start."""
    data = localserver.instance_dir(instance) / "data"
    for path in (data / "databases" / DATABASE, data / "transactions" / DATABASE):
        shutil.rmtree(path, ignore_errors=True)


# --- the load ------------------------------------------------------------------------------------


class BulkLoadProblems(BulkLoadError):
    """Streamed records are invalid: nothing was loaded; ``problems`` name each record."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s): nothing was loaded.")
        self.problems = problems


def _own_cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def _children_cpu() -> float:
    """CPU of finished children: read around the importer, the only child that ends then."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return children.ru_utime + children.ru_stime


def peak_memory() -> dict[str, float]:
    """Peak resident memory (MB) of this process and of its largest child so far (a
    validation worker, or neo4j-admin's JVM)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"peak_rss_mb": round(own, 1), "peak_child_rss_mb": round(children, 1)}


def bulk_load(instance: str, recs: records.Records | None = None, echo: Echo = print,
              batches: Iterable[Batch] | None = None, bars: bool = False,
              workers: int | None = None) -> dict[str, Any]:
    """Load validated ``recs``, then raw reader ``batches`` (each validated on the way, e.g.
    ``gleif.chunks`` of a large file, never read whole), into the empty database of local
    ``instance`` with the offline importer; return counts, the seconds each stage took and the
    peak memory. See the module's docstring. ``bars``: a progress bar on stderr (tqdm).

    Any problem in ``batches`` raises BulkLoadProblems (every problem listed) before the
    importer runs: nothing is loaded and the server is started again.
    """
    from tqdm import tqdm

    recs = recs or records.Records()
    seconds: dict[str, float] = {}
    cpu: dict[str, float] = {}  # CPU seconds of the processes doing each stage's work
    began = clock = time.perf_counter()
    cpu_clock = _own_cpu()

    def lap(stage: str, others: float = 0.0) -> None:
        nonlocal clock, cpu_clock
        now, own = time.perf_counter(), _own_cpu()
        seconds[stage] = round(now - clock, 3)
        cpu[stage] = round(own - cpu_clock + others, 3)
        clock, cpu_clock = now, own

    check_loadable(instance, echo)
    lap("check")
    updated_at = datetime.now(UTC).isoformat(timespec="milliseconds")
    updated_at = updated_at.replace("+00:00", "Z")
    home = localserver.instance_dir(instance)
    work = Path(tempfile.mkdtemp(prefix="bulkload-", dir=home))  # mode 700: the data is private
    known = len(recs.nodes) + len(recs.relationships)
    try:
        what = (f"{len(recs.nodes):,} nodes, {len(recs.relationships):,} relationships"
                + (" and streamed files" if batches is not None else ""))
        echo(f"Writing CSVs ({what}) while Neo4j ({instance}) stops for the offline import...")
        with tqdm(total=None if batches is not None else known, unit=" rows", unit_scale=True,
                  desc="CSV", file=sys.stderr, disable=not bars, dynamic_ncols=True) as bar:
            writer = CsvWriter(work, updated_at, workers, on_rows=bar.update)
            csvs = _write_while_stopping(instance, writer, recs, batches, seconds, echo)
        lap("csv_and_stop", writer.worker_cpu if writer.workers else 0.0)
        cpu["csv"] = cpu.pop("csv_and_stop")  # the stop's CPU is the server's: not counted
        echo(f"Importing {csvs.bytes / 1e6:,.1f} MB of CSV ({csvs.nodes:,} nodes, "
             f"{csvs.relationships:,} relationships) with neo4j-admin...")
        importer_cpu = _children_cpu()
        try:
            _run_importer(instance, csvs, work)
        except BaseException:
            _empty_store(instance)
            localserver.start(instance, echo=echo)
            _apply_schema(instance)
            raise
        lap("import", _children_cpu() - importer_cpu)
        localserver.start(instance, echo=echo)
        lap("start", localserver.server_cpu_seconds(instance) or 0.0)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    server_cpu = localserver.server_cpu_seconds(instance) or 0.0

    def server_lap(stage: str) -> None:
        nonlocal server_cpu
        now = localserver.server_cpu_seconds(instance) or 0.0
        lap(stage, now - server_cpu)
        server_cpu = now

    graph = Graph(provision.resolve(instance))
    try:
        for label, key in csvs.empty_lists_on_label:
            graph.write_autocommit("bulkload.empty_lists_on_label", label=label, key=key)
        for rel_type, key in csvs.empty_lists_on_type:
            graph.write_autocommit("bulkload.empty_lists_on_type", type=rel_type, key=key)
        server_lap("empty_lists")
        echo("Applying the schema and waiting for its indexes...")
        graph.init_schema(together=True)  # one scan of the loaded store fills every index
        graph.read("bulkload.await_indexes", seconds=INDEX_TIMEOUT_SECONDS)
        server_lap("schema")
        for i in range(0, len(csvs.node_fixes), FIX_BATCH):
            graph.write("bulkload.set_node_props", rows=csvs.node_fixes[i:i + FIX_BATCH])
        for i in range(0, len(csvs.relationship_fixes), FIX_BATCH):
            graph.write("bulkload.set_relationship_props",
                        rows=csvs.relationship_fixes[i:i + FIX_BATCH])
        server_lap("fixes")
    finally:
        graph.close()
    seconds["total"] = round(time.perf_counter() - began, 3)
    memory = peak_memory()
    echo(f"Loaded {csvs.nodes:,} nodes and {csvs.relationships:,} relationships in "
         f"{seconds['total']:.1f} s; peak memory {memory['peak_rss_mb']:,.0f} MB here, "
         f"{memory['peak_child_rss_mb']:,.0f} MB in the largest child process.")
    return {"nodes": csvs.nodes, "relationships": csvs.relationships, "csv_bytes": csvs.bytes,
            "fixes": len(csvs.node_fixes) + len(csvs.relationship_fixes),
            "seconds": seconds, "cpu_seconds": cpu, "workers": writer.workers, **memory}


def _write_while_stopping(instance: str, writer: CsvWriter, recs: records.Records,
                          batches: Iterable[Batch], seconds: dict[str, float],
                          echo: Echo) -> CsvSet:
    """Write the CSVs while the server shuts down (it mostly waits); if the CSVs cannot be
    written, or a streamed record is invalid, start it again."""
    stopping: dict[str, Any] = {}

    def stop() -> None:
        began = time.perf_counter()
        try:
            localserver.stop(instance)
        except BaseException as exc:  # handed to the caller below
            stopping["error"] = exc
        seconds["stop"] = round(time.perf_counter() - began, 3)

    stopper = threading.Thread(target=stop, name=f"stop-{instance}")
    stopper.start()
    began = time.perf_counter()
    try:
        collecting = gc.isenabled()
        gc.disable()  # millions of small objects: the cyclic collector would rescan them
        try:
            writer.add_records(recs)
            for batch in batches or ():
                writer.add_batch(batch)
            csvs = writer.finish()
        finally:
            writer.close()
            if collecting:
                gc.enable()
        if writer.problems:
            from graphapp.io.pipeline import problem_order

            raise BulkLoadProblems(sorted(writer.problems, key=problem_order))
    except BaseException:
        stopper.join()
        localserver.start(instance, echo=echo)
        raise
    seconds["csv"] = round(time.perf_counter() - began, 3)
    stopper.join()
    if "error" in stopping:
        raise stopping["error"]
    return csvs


def _apply_schema(instance: str) -> None:
    graph = Graph(provision.resolve(instance))
    try:
        graph.init_schema()
    finally:
        graph.close()
