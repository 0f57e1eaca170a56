"""The import capability: files in, one validated, matched, all-or-nothing write out.

1. Read every file (format told or detected) into (where, record) pairs.
2. Validate everything with ``records.validate`` before anything is written. Any problem, and
   nothing is written (``skip_invalid`` writes the valid records and reports the rest).
3. Match records to the graph and to each other (``matching.resolve``); ``dry_run`` stops here
   and returns the plan: the creates, updates and merges.
4. Write with ``records.write``: one transaction, batched ``UNWIND``, idempotent ``MERGE``.

GLEIF files larger than ``STREAM_BYTES`` are read twice as a stream, in chunks: a first pass
validates every chunk (nothing is written if any record is invalid), a second writes each chunk
in its own transaction, matching on identifiers only. See docs/import.md for what that means
for atomicity.
"""

from __future__ import annotations

import contextlib
import gc
import json
import multiprocessing as mp
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphapp.io import bods_import, ftm, gleif, matching, rdr, spreadsheet
from graphapp.io.common import Batch, Location, Problem, problem_from_line, slug
from graphapp.io.matching import Plan
from graphapp.store import records
from graphapp.store.db import DatabaseUnavailable, Graph, Tx

# The importers: a format and the reader that turns a file of it into a Batch.
READERS: dict[str, Callable[[Path, str], Batch]] = {
    "csv": spreadsheet.read, "xlsx": spreadsheet.read, "rdr": rdr.read,
    "bods": bods_import.read, "ftm": ftm.read, "gleif": gleif.read,
}
FORMATS = tuple(READERS)
EXTENSIONS = (".csv", ".xlsx", ".xlsm", ".json", ".jsonl", ".ndjson", ".xml")
STREAM_BYTES = 50 * 1024 * 1024
# From this many bytes in all, the files are read in worker processes, several at once (a worker
# takes about a second to start; below this, reading in this process is as quick).
PARALLEL_BYTES = 8 * 1024 * 1024

Progress = Callable[[str, int, int], None]  # (stage, done, total)


class WrongFileType(Exception):
    """The file is not one graphapp imports; the message says what it takes."""


def reader_for(fmt: str) -> Callable[[Path, str], Batch]:
    """The reader of ``fmt`` (``READERS``, the registry of importers)."""
    if fmt not in READERS:
        raise ValueError(f"unknown format {fmt!r}")
    return READERS[fmt]


def detect_format(path: Path, display_name: str | None = None) -> str:
    """The format of a file, from its extension and its first bytes; WrongFileType if none."""
    name = display_name or path.name
    suffix = Path(name).suffix.lower()
    with open(path, "rb") as f:
        head = f.read(64 * 1024)
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    takes = ("graphapp imports CSV or XLSX spreadsheets (.csv, .xlsx), BODS or FollowTheMoney "
             "JSON (.json, .jsonl) and GLEIF XML (.xml)")
    if head.startswith(b"PK\x03\x04"):
        if suffix in (".xlsx", ".xlsm", ""):
            return "xlsx"
        raise WrongFileType(f"{name} is a ZIP archive, not a file graphapp can import: {takes}.")
    if suffix in (".xlsx", ".xlsm"):
        raise WrongFileType(f"{name} is not a real XLSX workbook (it does not start like one).")
    if b"\x00" in head[:4096]:
        raise WrongFileType(f"{name} is a binary file graphapp cannot import: {takes}.")
    if stripped.startswith(b"<"):
        if gleif.kind_of(head):
            return "gleif"
        raise WrongFileType(f"{name} is XML but not GLEIF LEI-CDF, RR-CDF or reporting "
                            "exceptions: graphapp imports GLEIF Level 1 (LEIData) and Level 2 "
                            "(RelationshipData, ReportingExceptionData) XML.")
    if suffix == ".xml":
        raise WrongFileType(f"{name} does not start like an XML document.")
    if stripped[:1] in (b"[", b"{"):
        text = head.decode("utf-8", "replace")
        if '"statementId"' in text or '"statementID"' in text or '"statementType"' in text:
            return "bods"
        if '"schema"' in text and '"properties"' in text:
            return "ftm"
        raise WrongFileType(f"{name} is JSON but neither BODS statements (statementId) nor "
                            "FollowTheMoney entities (schema, properties).")
    if suffix in (".json", ".jsonl", ".ndjson"):
        raise WrongFileType(f"{name} does not start like JSON ([ or {{).")
    if suffix in (".csv", ".txt", ".tsv", ""):
        first = head.decode("utf-8", "replace").splitlines()[:1]
        header = [h.strip().strip('"') for h in (first[0].split(",") if first else [])]
        return "rdr" if rdr.looks_like(header) else "csv"
    kind = f"{suffix} files" if suffix else "this kind of file"
    raise WrongFileType(f"{name}: graphapp cannot import {kind}; {takes}.")


# --- the report ------------------------------------------------------------------------------


@dataclass
class ImportReport:
    files: list[tuple[str, str]] = field(default_factory=list)  # (name, format)
    problems: list[Problem] = field(default_factory=list)  # any of these: nothing written
    skipped: list[Problem] = field(default_factory=list)  # left out under skip_invalid
    notes: list[str] = field(default_factory=list)
    plan: Plan = field(default_factory=Plan)
    dry_run: bool = False
    skip_invalid: bool = False
    nodes_written: int = 0
    relationships_written: int = 0
    scores_written: int = 0
    transactions: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def written(self) -> bool:
        return self.transactions > 0

    def summary(self, web: bool = False) -> str:
        """One sentence on the outcome; ``web``: in the import page's words (a box to tick,
        not a command-line flag)."""
        if self.problems:
            how = ("tick “Import the valid rows” and upload again" if web else
                   "skip invalid records (--skip-invalid)")
            return (f"{len(self.problems)} problem(s): nothing was written. Fix them, or {how} "
                    "to write the valid ones only.")
        plan = self.plan
        counts = (f"{plan.count('create')} node(s) to create, {plan.count('update')} to update, "
                  f"{plan.count('merge')} to merge into another; "
                  f"{plan.relationships_created} relationship(s) to create, "
                  f"{plan.relationships_updated} to update")
        if self.scores_written:
            counts += f"; {self.scores_written} score(s)"
        if self.dry_run:
            return f"Dry run, nothing written: {counts}."
        skipped = f" {len(self.skipped)} problem(s) left out." if self.skipped else ""
        return (f"Imported: {self.nodes_written} node(s) and {self.relationships_written} "
                f"relationship(s) written in {self.transactions} transaction(s) ({counts})."
                + skipped)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok, "dry_run": self.dry_run, "summary": self.summary(),
            "files": [{"name": n, "format": f} for n, f in self.files],
            "problems": [p.as_dict() for p in self.problems],
            "skipped": [p.as_dict() for p in self.skipped],
            "notes": self.notes,
            "plan": {"counts": dict(self.plan.counts),
                     "relationships_created": self.plan.relationships_created,
                     "relationships_updated": self.plan.relationships_updated,
                     "actions": [a.as_dict() for a in self.plan.actions],
                     "possible_same_person": self.plan.possible},
            "written": {"nodes": self.nodes_written,
                        "relationships": self.relationships_written,
                        "scores": self.scores_written, "transactions": self.transactions},
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), indent=2)


# --- the run -----------------------------------------------------------------------------------


def import_files(graph: Graph, files: Sequence[tuple[Path, str]], fmt: str | None = None,
                 skip_invalid: bool = False, dry_run: bool = False,
                 progress: Progress | None = None,
                 stream_bytes: int = STREAM_BYTES,
                 before_write: Callable[[Plan], None] | None = None,
                 people_by_name: bool = False) -> ImportReport:
    """Import ``files`` ((path, name shown in messages) pairs) into the graph.

    ``before_write(plan)`` runs just before the write (the audit trail snapshots the nodes).
    """
    with no_cycle_collection():
        return _import_files(graph, files, fmt, skip_invalid, dry_run, progress, stream_bytes,
                             before_write, people_by_name)


@contextlib.contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused while the import runs (process-wide; another import
    running meanwhile leaves it to the first to turn it back on).

    An import holds a few dicts per row (the cells, the record, the validated record, the row
    for Neo4j) until it ends; the collector, seeing them pile up, walked them all again and
    again: a quarter of the import's CPU (bench/import_online.py). They hold no cycles, and the
    few cycles made meanwhile are collected once it runs again.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _import_files(graph: Graph, files: Sequence[tuple[Path, str]], fmt: str | None,
                  skip_invalid: bool, dry_run: bool, progress: Progress | None,
                  stream_bytes: int, before_write: Callable[[Plan], None] | None,
                  people_by_name: bool) -> ImportReport:
    report = ImportReport(dry_run=dry_run, skip_invalid=skip_invalid)
    combined = Batch()
    streams: list[tuple[Path, str]] = []
    readable: list[tuple[Path, str, str]] = []
    for path, name in files:
        file_format = format_of(path, name, fmt, report)
        if file_format is None:
            continue
        if file_format == "gleif" and path.stat().st_size > stream_bytes:
            streams.append((path, name))
            continue
        readable.append((path, name, file_format))
    for i, batch in enumerate(read_files(readable), start=1):
        combined.extend(batch)
        if progress:
            progress("read", i, len(readable))
    streams.sort(key=lambda f: gleif_level(f[0]))  # Level 1 before Level 2

    report.notes += combined.notes
    spreadsheet.resolve_kumu_ends(combined)
    drop_redundant_placeholders(combined)
    _resolve_scores(graph, combined)
    report.problems += combined.problems
    nodes = records.validate(combined.nodes, [], graph=graph, skip_invalid=True)
    report.problems += [problem_from_line(line, combined.locations) for line in nodes.skipped]
    for path, name in streams:
        _check_stream(path, name, report, progress)
    written = _import_batch(graph, combined, nodes.nodes, report, dry_run, progress,
                            before_write, people_by_name)
    report.problems.sort(key=problem_order)
    if report.problems and not skip_invalid:
        return report
    report.skipped += report.problems
    report.problems = []
    if written is not None:
        report.nodes_written += written.nodes
        report.relationships_written += written.relationships
        report.transactions += 1
    try:
        for path, name in streams:
            _write_stream(graph, path, name, report, progress, dry_run)
    except DatabaseUnavailable as exc:
        if report.transactions:  # the chunks before stay written: say so, and how to finish
            exc.written = (f"{report.transactions} transaction(s) of this import were written "
                           "before; importing the same files again completes it (imports are "
                           "idempotent)")
        raise
    return report


def read_files(files: Sequence[tuple[Path, str, str]]) -> Iterator[Batch]:
    """Each (path, name, format) read into a Batch, in the order given.

    From ``PARALLEL_BYTES`` in all, several files are read at once, in worker processes (one a
    core, at most one a file): reading and converting cells is Python's work, one file does not
    need another, and the results come back in the files' order, so the import is the same
    and every problem still names its file and row. A process with one thread (the command,
    a script) forks its workers; one with more (a web server) has them forked from a clean
    server process (``forkserver``), never from itself while another thread may hold a lock.
    """
    workers = min(len(files), os.cpu_count() or 1)
    if workers < 2 or sum(path.stat().st_size for path, _, _ in files) < PARALLEL_BYTES:
        for path, name, file_format in files:
            yield reader_for(file_format)(path, name)
        return
    if threading.active_count() == 1:
        context = mp.get_context("fork")  # no __main__ to import again (a script's may run)
    else:
        context = mp.get_context("forkserver")
        context.set_forkserver_preload([__name__])
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        yield from pool.map(_read_one, files)


def _read_one(file: tuple[Path, str, str]) -> Batch:
    """One file read in a worker process (``read_files``)."""
    gc.disable()  # as in no_cycle_collection: many small dicts, no cycles
    path, name, file_format = file
    return reader_for(file_format)(path, name)


def format_of(path: Path, name: str, fmt: str | None, report: ImportReport) -> str | None:
    """The file's format (told, or detected), listed in ``report.files``; None, with the
    problem in ``report.problems``, when the file is not one graphapp reads."""
    try:
        file_format = fmt if fmt and fmt != "auto" else detect_format(path, name)
    except WrongFileType as exc:
        report.problems.append(Problem(name, None, None, None, str(exc)))
        return None
    except OSError as exc:
        report.problems.append(Problem(name, None, None, None, f"cannot read: {exc}"))
        return None
    report.files.append((name, file_format))
    return file_format

CHUNK_ROWS = 20_000  # relationships checked and matched at a time, while earlier ones are written


def _import_batch(graph: Graph, batch: Batch, nodes: list[dict[str, Any]], report: ImportReport,
                  dry_run: bool, progress: Progress | None,
                  before_write: Callable[[Plan], None] | None,
                  people_by_name: bool) -> records.WriteResult | None:
    """Match and write the batch's valid ``nodes`` and its relationships, in one transaction;
    what was written (None: nothing).

    The relationships are checked (``records.RelationshipCheck``) and moved onto the matched
    nodes ``CHUNK_ROWS`` at a time, and each chunk is fed to the transaction
    (``records.StreamWrite``) while the next is checked: Neo4j's writing and Python's checking
    overlap. Once a problem is found (and ``skip_invalid`` is off, which is when problems are
    still in ``report.problems`` at the end) the transaction is rolled back and the rest is only
    checked, so that every problem is reported and nothing is written.
    """

    def stop() -> bool:
        return bool(report.problems) and not report.skip_invalid

    check = records.RelationshipCheck(records.node_labels(nodes), graph)
    plan = Plan()
    onto = None
    if not stop():
        wheres = {rec.get("id"): where for where, rec in batch.nodes}
        nodes, plan = matching.resolve_nodes(graph, nodes, wheres, batch.placeholders,
                                             people_by_name=people_by_name)
        onto = matching.OntoNodes(plan)
    total = len(nodes) + len(batch.relationships)
    done = [0]

    def advance(n: int) -> None:
        done[0] += n
        if progress:
            progress("write", done[0], total)

    writer: records.StreamWrite | None = None
    planned: list[dict[str, Any]] = []  # a dry run's relationships, to count the existing ones

    def feed(relationships: list[dict[str, Any]], new: bool = True) -> None:
        nonlocal writer
        if dry_run:
            planned.extend(relationships)
            return
        if writer is None:
            if before_write:
                before_write(plan)
            writer = records.StreamWrite(graph, progress=advance)
            writer.nodes(nodes)
        writer.relationships(relationships, new)
        writer.report()

    if nodes and onto is not None:
        feed([])
    rels = batch.relationships
    for start in range(0, len(rels), CHUNK_ROWS):
        valid, lines = check.check(rels[start:start + CHUNK_ROWS])
        report.problems += [problem_from_line(line, batch.locations) for line in lines]
        if onto is None:
            continue
        if stop():  # nothing is to be written: roll back what was fed, check the rest
            if writer is not None:
                writer.abandon()
                writer = None
            onto = None
            continue
        feed(onto.add(valid))
    if onto is None:
        return None
    new, again = onto.finish()
    if again:
        feed(again, new=False)
    if new:
        feed(new)
    report.notes += plan.notes
    scores = _score_rows(batch, plan.id_map, {n["id"] for n in nodes}, graph)
    report.scores_written = sum(len(r["props"]) // 2 for r in scores)
    if dry_run:
        if planned:
            plan.relationships_updated = matching.count_existing(graph, planned)
        plan.relationships_created = len(planned) - plan.relationships_updated
        report.plan.extend(plan)
        return None
    if writer is None and scores:
        feed([])
    if writer is None:
        report.plan.extend(plan)
        return None

    def write_scores(tx: Tx) -> None:
        if scores:
            tx.run("imports.set_scores", rows=scores)

    result = writer.commit(write_scores)
    plan.relationships_created = result.relationships_created
    plan.relationships_updated = result.relationships - result.relationships_created
    report.plan.extend(plan)
    return result


def problem_order(p: Problem) -> tuple:
    """Problems in the order of the files, sheets, rows and columns they name."""
    return (p.file, p.sheet or "", p.row if p.row is not None else -1, p.column or "")


def gleif_level(path: Path) -> int:
    """Level 1 first, then relationships, then reporting exceptions (their ends exist by then)."""
    with open(path, "rb") as f:
        return {"lei": 0, "rr": 1}.get(gleif.kind_of(f.read(4096)) or "", 2)


def drop_redundant_placeholders(batch: Batch) -> None:
    """A placeholder is not needed where the batch has the real node, nor twice."""
    real = {rec.get("id") for where, rec in batch.nodes if where not in batch.placeholder_wheres}
    kept, placeholders = [], set()
    for where, rec in batch.nodes:
        if where in batch.placeholder_wheres:
            if rec.get("id") in real or rec.get("id") in placeholders:
                continue
            placeholders.add(rec.get("id"))
        kept.append((where, rec))
    batch.nodes = kept
    batch.placeholders = placeholders


def _resolve_scores(graph: Graph, batch: Batch) -> None:
    """Find each scored company by name (batch or graph); create it when there is none."""
    if not batch.scores:
        return
    names = sorted({s.company for s in batch.scores})
    nodes = [rec for _, rec in batch.nodes if isinstance(rec.get("id"), str)]
    found = matching.companies_by_name(graph, names, nodes)
    taken = {rec["id"] for rec in nodes}
    created: dict[str, str] = {}
    for score in batch.scores:
        ids = found[score.company]
        if len(ids) > 1:
            loc = batch.locations[score.where]
            batch.problem(loc, f"{score.company!r} matches several companies ("
                          f"{', '.join(sorted(ids))}); give the right one this name as an alias.",
                          loc.columns.get("company", "Company"))
            continue
        if ids:
            score.company_id = ids[0]
            continue
        if score.company not in created:
            new_id = slug(score.company)
            existing = graph.read("entities.get", id=new_id, include_sensitive=True)
            if new_id in taken or existing:
                new_id = f"{new_id}-company"
            created[score.company] = new_id
            taken.add(new_id)
            batch.nodes.append((score.where, {"label": "Company", "id": new_id,
                                              "name": score.company}))
        score.company_id = created[score.company]


def _score_rows(batch: Batch, id_map: dict[str, str], written: set[str],
                graph: Graph) -> list[dict[str, Any]]:
    """One row per company: its scores and sources by year, for ``imports.set_scores``
    (``written``: the ids of the nodes this import writes)."""
    props: dict[str, dict[str, Any]] = {}
    for score in batch.scores:
        if score.company_id is None:
            continue
        node_id = id_map.get(score.company_id, score.company_id)
        if node_id not in written and not graph.read("entities.get", id=node_id,
                                                     include_sensitive=True):
            continue  # its company was left out (skip_invalid)
        value: float | int = int(score.score) if score.score.is_integer() else score.score
        props.setdefault(node_id, {})[f"rdr_score_{score.year}"] = value
        props[node_id][f"rdr_source_{score.year}"] = score.source
    return [{"id": k, "props": v} for k, v in sorted(props.items())]


def validate_batch(graph: Graph | None, batch: Batch, report: ImportReport,
                   skip_invalid: bool) -> records.Records:
    """records.validate over the whole batch; every problem becomes a row-level Problem."""
    report.problems += batch.problems
    try:
        validated = records.validate(batch.nodes, batch.relationships, graph=graph,
                                     skip_invalid=True)
    except records.RecordErrors as exc:  # pragma: no cover - skip_invalid never raises
        validated = records.Records(skipped=exc.lines)
    report.problems += [problem_from_line(line, batch.locations) for line in validated.skipped]
    if report.problems and not skip_invalid:
        validated.nodes, validated.relationships = [], []
    return validated


def _check_stream(path: Path, name: str, report: ImportReport,
                  progress: Progress | None) -> None:
    """First pass over a large GLEIF file: validate every chunk, write nothing."""
    size = path.stat().st_size
    position = [0]
    for chunk in gleif.chunks(path, name, gleif.CHUNK_RECORDS, position):
        report.problems += chunk.problems
        validated = records.validate(chunk.nodes, chunk.relationships, skip_invalid=True)
        report.problems += [problem_from_line(line, chunk.locations)
                            for line in validated.skipped]
        report.notes += chunk.notes
        if progress:
            progress(f"check {name}", position[0], size)


def _write_stream(graph: Graph, path: Path, name: str, report: ImportReport,
                  progress: Progress | None, dry_run: bool) -> None:
    """Second pass over a large GLEIF file: match and write each chunk in its own transaction."""
    size = path.stat().st_size
    position = [0]
    for chunk in gleif.chunks(path, name, gleif.CHUNK_RECORDS, position):
        validated = records.validate(chunk.nodes, chunk.relationships, skip_invalid=True)
        wheres = {rec.get("id"): where for where, rec in chunk.nodes}
        resolved, plan = matching.resolve(graph, validated, wheres, chunk.placeholders,
                                          match_names=False)
        report.plan.extend(plan)
        if not dry_run and (resolved.nodes or resolved.relationships):
            result = records.write(graph, resolved)
            report.nodes_written += result.nodes
            report.relationships_written += result.relationships
            report.transactions += 1
        if progress:
            progress(f"write {name}", position[0], size)


def location_of(problem: Problem) -> Location:
    return Location(problem.file, problem.sheet, problem.row, problem.unit)
