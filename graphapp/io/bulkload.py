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
import math
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graphapp import config
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
                      ) -> tuple[records.Records, ImportReport]:
    """Read and validate ``files`` ((path, name shown) pairs) as ``graphapp import`` does, and
    match records to each other; return (records, the pipeline's ImportReport).

    Any problem in ``report.problems`` and the records are empty. RDR scorecards are refused:
    their scores go onto companies already in the graph (import them after the bulk load).
    """
    from graphapp.io import matching, pipeline, spreadsheet
    from graphapp.io.common import Batch, Problem

    report = pipeline.ImportReport()
    combined = Batch()
    for path, name in files:
        file_format = pipeline.format_of(path, name, fmt, report)
        if file_format is None:
            continue
        if file_format == "rdr":
            report.problems.append(Problem(
                name, None, None, None, "RDR scores are set on companies already in the graph: "
                "import this file with `graphapp import` after the bulk load."))
            continue
        combined.extend(pipeline.reader_for(file_format)(path, name))
    report.notes += combined.notes
    spreadsheet.resolve_kumu_ends(combined)
    pipeline.drop_redundant_placeholders(combined)
    validated = pipeline.validate_batch(None, combined, report, skip_invalid=False)
    report.problems.sort(key=pipeline.problem_order)
    if report.problems:
        return records.Records(), report
    wheres = {rec.get("id"): where for where, rec in combined.nodes}
    resolved, plan = matching.resolve(None, validated, wheres, combined.placeholders)
    report.plan.extend(plan)
    report.notes += plan.notes
    return resolved, report


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
    """One importer input: a header file and a data file, nodes of ``name`` (labels joined by
    ':') or relationships of type ``name``."""

    kind: str  # "nodes" or "relationships"
    name: str
    header: Path
    data: Path
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


@dataclass
class _Group:
    """Rows that go to one CSV file: its column types, and per key how many rows hold a list."""

    columns: dict[str, str]
    rows: list[dict[str, Any]]
    lists: dict[str, int]
    uncolumned: set[str]  # keys with no column (only empty lists, or values no cell carries)


def _groups(rows: list[dict[str, Any]]) -> list[_Group]:
    """Rows in groups whose columns have one type each. A key that is an integer in one row and
    a float in another makes two groups, as the online write stores two types."""
    kinds: dict[str, set[str]] = {}
    lists: dict[str, int] = {}
    for row in rows:
        for key, value in row["props"].items():
            kind = SCALARS.get(type(value))
            if kind is None:
                if type(value) not in (list, tuple):
                    raise BulkLoadError(f"property {key}: a {type(value).__name__} value "
                                        "cannot be bulk loaded")
                lists[key] = lists.get(key, 0) + 1
                kind = (SCALARS.get(type(value[0]), "?") + "[]") if value else EMPTY
            if key in kinds:
                kinds[key].add(kind)
            else:
                kinds[key] = {kind}
    for key in kinds:
        if not NAME.match(key):
            raise BulkLoadError(f"property name {key!r} cannot be a CSV column name")
        kinds[key].discard(EMPTY)
        if "?[]" in kinds[key]:
            raise BulkLoadError(f"property {key}: only lists of text, numbers or booleans "
                                "can be bulk loaded")
    mixed = sorted(k for k, s in kinds.items() if len(s) > 1)
    if mixed:
        split: dict[tuple, list[dict]] = {}
        for row in rows:
            signature = tuple(kind_of(row["props"][k]) if k in row["props"] else None
                              for k in mixed)
            split.setdefault(signature, []).append(row)
        return [group for part in split.values() for group in _groups(part)]
    columns = {k: next(iter(s)) for k, s in sorted(kinds.items()) if s}
    return [_Group(columns, rows, lists, set(kinds) - set(columns))]


@dataclass
class _Left:
    """What the CSVs left out, while they are written."""

    lists: dict[tuple[str, str], int] = field(default_factory=dict)  # (group, key) -> lists
    rows: dict[int, tuple[dict, dict[str, Any]]] = field(default_factory=dict)  # id(row) ->


def _write_file(csv: CsvFile, first: list[str], group: _Group,
                lead: Callable[[dict], list[str]], updated_at: str,
                names: Sequence[str], left: _Left) -> None:
    """The header file, then one line a row: ``lead(row)``, the columns, ``updated_at``.

    A value no cell can carry exactly is noted in ``left``, and so is how many rows of each of
    ``names`` (labels, or the type) hold a list under each key.
    """
    columns = group.columns
    header = [*first, *(f"{key}:{kind}" for key, kind in columns.items()), "updated_at:datetime"]
    csv.header.write_text(",".join(header) + "\n", encoding="utf-8")
    cells_of = [(key, _FORMAT[kind]) for key, kind in columns.items()]
    uncolumned = group.uncolumned
    multiline = False
    with open(csv.data, "w", encoding="utf-8", newline="") as out:
        write = out.write
        for row in group.rows:
            props = row["props"]
            cells = [cell(props.get(key)) for key, cell in cells_of]
            if None in cells:
                for i, (key, _) in enumerate(cells_of):
                    if cells[i] is None:
                        left.rows.setdefault(id(row), (row, {}))[1][key] = props[key]
                        cells[i] = ""
            if uncolumned:
                for key in uncolumned & props.keys():
                    left.rows.setdefault(id(row), (row, {}))[1][key] = props[key]
            line = ",".join([*lead(row), *cells, updated_at])
            if not multiline:
                multiline = "\n" in line or "\r" in line
            write(line + "\n")
    for name in names:
        for key, n in group.lists.items():
            left.lists[(name, key)] = left.lists.get((name, key), 0) + n
    csv.rows = len(group.rows)
    csv.multiline = multiline


def _plan_fixes(left: _Left, totals: dict[str, int], group_of: Callable[[dict], str],
                scans: list[tuple[str, str]], fix_of: Callable[[dict, dict], dict]
                ) -> list[dict[str, Any]]:
    """How to set what the CSVs left out: an empty list by a scan of its whole label (type)
    where every row of it has that list (the missing ones are then the empty ones), anything
    else by id."""
    fixes = []
    planned: set[tuple[str, str]] = set()
    for row, values in left.rows.values():
        group = group_of(row)
        props = {}
        for key, value in values.items():
            if kind_of(value) == EMPTY and left.lists.get((group, key)) == totals[group]:
                planned.add((group, key))
            else:
                props[key] = value
        if props:
            fixes.append(fix_of(row, props))
    scans += sorted(planned)
    return fixes


def write_csvs(recs: records.Records, directory: Path, updated_at: str) -> CsvSet:
    """Write ``recs`` as neo4j-admin CSVs into ``directory``, as ``records.write`` would store
    them; ``updated_at`` (an ISO datetime with its zone) is the same for every record."""
    collecting = gc.isenabled()
    gc.disable()  # millions of small dicts: the cyclic collector would rescan them again and again
    try:
        return _write_csvs(recs, directory, updated_at)
    finally:
        if collecting:
            gc.enable()


def _write_csvs(recs: records.Records, directory: Path, updated_at: str) -> CsvSet:
    out = CsvSet(nodes=len(recs.nodes), relationships=len(recs.relationships))
    by_labels: dict[tuple[str, ...], list[dict]] = {}
    for node in recs.nodes:
        row = records.node_row(node)
        row["props"].pop("updated_at", None)  # the online write sets it after the properties
        by_labels.setdefault(tuple(dict.fromkeys(row["labels"])), []).append(row)
    by_type: dict[str, list[dict]] = {}
    for rel in recs.relationships:
        row = records.relationship_row(rel)
        row["props"] = {"key": row["key"], **row["props"]}
        row["props"].pop("updated_at", None)
        by_type.setdefault(row["type"], []).append(row)
    _check_ends(by_labels, by_type)
    for name in {*(label for labels in by_labels for label in labels), *by_type}:
        if not NAME.match(name):
            raise BulkLoadError(f"label or relationship type {name!r} cannot be bulk loaded")

    def add(kind: str, name: str, first: list[str], group: _Group,
            lead: Callable[[dict], list[str]], names: Sequence[str], left: _Left) -> None:
        n = len(out.files)
        csv = CsvFile(kind, name, directory / f"{kind}-{n}.header.csv",
                      directory / f"{kind}-{n}.csv")
        _write_file(csv, first, group, lead, updated_at, names, left)
        out.files.append(csv)

    node_left, label_totals = _Left(), {}
    for labels, rows in sorted(by_labels.items()):
        for label in labels:
            label_totals[label] = label_totals.get(label, 0) + len(rows)
        for group in _groups(rows):
            add("nodes", ":".join((model.BASE_LABEL, *labels)), ["id:ID"], group,
                lambda r: [_string(r["id"])], labels, node_left)
    rel_left = _Left()
    for rel_type, rows in sorted(by_type.items()):
        for group in _groups(rows):
            add("relationships", rel_type, [":START_ID", ":END_ID"], group,
                lambda r: [_string(r["from"]), _string(r["to"])], [rel_type], rel_left)

    out.node_fixes = _plan_fixes(
        node_left, label_totals, lambda r: r["labels"][0], out.empty_lists_on_label,
        lambda r, props: {"id": r["id"], "props": props})
    out.relationship_fixes = _plan_fixes(
        rel_left, {t: len(rows) for t, rows in by_type.items()}, lambda r: r["type"],
        out.empty_lists_on_type,
        lambda r, props: {"from": r["from"], "type": r["type"], "to": r["to"], "key": r["key"],
                          "props": props})
    out.bytes = sum(f.header.stat().st_size + f.data.stat().st_size for f in out.files)
    return out


def _check_ends(by_labels: dict[tuple[str, ...], list[dict]],
                by_type: dict[str, list[dict]]) -> None:
    """Ids unique, relationship ends among the nodes, no relationship twice: the importer would
    load such input differently from the online MERGE (or not at all)."""
    ids: set[str] = set()
    count = 0
    for rows in by_labels.values():
        ids.update(row["id"] for row in rows)
        count += len(rows)
    if len(ids) != count:
        raise BulkLoadError("two nodes have the same id: validate the records first "
                            "(records.validate)")
    for rows in by_type.values():
        if any(row["from"] not in ids or row["to"] not in ids for row in rows):
            raise BulkLoadError(
                "a relationship ends at a node that is not among the records: a bulk load "
                "starts from an empty database, so every end must be loaded with it")
        if len({(row["from"], row["to"], row["key"]) for row in rows}) != len(rows):
            raise BulkLoadError("the same relationship (ends, type and key) appears twice: "
                                "validate the records first (records.validate)")


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
    multiline = [str(f.data) for f in csvs.files if f.multiline]
    if multiline:
        command += ["--multiline-fields-format=v2", f"--multiline-fields={','.join(multiline)}"]
    for f in csvs.files:
        option = "--nodes" if f.kind == "nodes" else "--relationships"
        command.append(f"{option}={f.name}={f.header},{f.data}")
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


def bulk_load(instance: str, recs: records.Records, echo: Echo = print) -> dict[str, Any]:
    """Load validated ``recs`` into the empty database of local ``instance`` with the offline
    importer; return counts and the seconds each stage took. See the module's docstring."""
    seconds: dict[str, float] = {}
    began = clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[stage] = round(now - clock, 3)
        clock = now

    check_loadable(instance, echo)
    lap("check")
    updated_at = datetime.now(UTC).isoformat(timespec="milliseconds")
    updated_at = updated_at.replace("+00:00", "Z")
    home = localserver.instance_dir(instance)
    work = Path(tempfile.mkdtemp(prefix="bulkload-", dir=home))  # mode 700: the data is private
    try:
        echo(f"Writing CSVs ({len(recs.nodes):,} nodes, {len(recs.relationships):,} "
             f"relationships) while Neo4j ({instance}) stops for the offline import...")
        csvs = _write_while_stopping(instance, recs, work, updated_at, seconds, echo)
        lap("csv_and_stop")
        echo(f"Importing {csvs.bytes / 1e6:,.1f} MB of CSV with neo4j-admin...")
        try:
            _run_importer(instance, csvs, work)
        except BaseException:
            _empty_store(instance)
            localserver.start(instance, echo=echo)
            _apply_schema(instance)
            raise
        lap("import")
        localserver.start(instance, echo=echo)
        lap("start")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    graph = Graph(provision.resolve(instance))
    try:
        for label, key in csvs.empty_lists_on_label:
            graph.write_autocommit("bulkload.empty_lists_on_label", label=label, key=key)
        for rel_type, key in csvs.empty_lists_on_type:
            graph.write_autocommit("bulkload.empty_lists_on_type", type=rel_type, key=key)
        lap("empty_lists")
        echo("Applying the schema and waiting for its indexes...")
        graph.init_schema()
        graph.read("bulkload.await_indexes", seconds=INDEX_TIMEOUT_SECONDS)
        lap("schema")
        for i in range(0, len(csvs.node_fixes), FIX_BATCH):
            graph.write("bulkload.set_node_props", rows=csvs.node_fixes[i:i + FIX_BATCH])
        for i in range(0, len(csvs.relationship_fixes), FIX_BATCH):
            graph.write("bulkload.set_relationship_props",
                        rows=csvs.relationship_fixes[i:i + FIX_BATCH])
        lap("fixes")
    finally:
        graph.close()
    seconds["total"] = round(time.perf_counter() - began, 3)
    echo(f"Loaded {csvs.nodes:,} nodes and {csvs.relationships:,} relationships in "
         f"{seconds['total']:.1f} s.")
    return {"nodes": csvs.nodes, "relationships": csvs.relationships, "csv_bytes": csvs.bytes,
            "fixes": len(csvs.node_fixes) + len(csvs.relationship_fixes),
            "seconds": seconds}


def _write_while_stopping(instance: str, recs: records.Records, work: Path, updated_at: str,
                          seconds: dict[str, float], echo: Echo) -> CsvSet:
    """Write the CSVs while the server shuts down (it mostly waits); if the CSVs cannot be
    written, start it again."""
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
        csvs = write_csvs(recs, work, updated_at)
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
