"""Initial load throughput: the offline bulk load against the online write, same run.

    GRAPHAPP_NEO4J_HEAP=1g GRAPHAPP_NEO4J_PAGECACHE=512m \\
      .venv/bin/python bench/bulkload.py --instance bulk [--companies 100000] \\
      [--relationships 1000000] [--online-relationships 100000]

Generates COMPANIES companies and RELATIONSHIPS distinct OWNS between them (each with a
percentage, a confidence, a source and a date, as a register gives them), validates them with
``records.validate``, then loads them two ways into the same throwaway local instance (its
database is replaced, so never point it at "dev" or "test"):

1. ``bulkload.bulk_load``: every company and relationship, end to end (CSVs, server stop,
   neo4j-admin import, server start, schema and indexes online), and the importer alone;
2. ``records.write`` (what ``graphapp import`` does: batched UNWIND MERGE in one transaction):
   the companies, then the first ONLINE_RELATIONSHIPS relationships, on an emptied database
   with the schema applied.

It prints rows per second and the ratio of each to the online write of relationships.
``measure(instance, companies, relationships)`` returns the figures for bench/run.py.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graphapp.io import bulkload
from graphapp.io.common import Batch
from graphapp.server import localserver, provision
from graphapp.store import records
from graphapp.store.db import Graph

SOURCE = "https://example.org/register"
STAGES = {  # bulk_load's stages, in order, as the table names them
    "check": "check the database is empty",
    "csv": "read, validate and write the CSVs (workers)",
    "stop": "  server stop, beside the CSVs",
    "csv_and_stop": "CSVs and stop, the longer of the two",
    "import": "neo4j-admin database import full",
    "start": "server start (until Bolt answers)",
    "empty_lists": "empty lists set online",
    "schema": "schema, indexes online",
    "fixes": "values no CSV cell carries",
}


def company_id(i: int) -> str:
    return f"c{i:07d}"


def _companies(companies: int) -> Iterator[tuple[str, dict]]:
    for i in range(companies):
        yield (f"c{i}", {"label": "Company", "id": company_id(i), "name": f"Company {i} Ltd",
                         "jurisdiction": "GB", "registration_number": f"{i:08d}",
                         "sources": [SOURCE]})


def _owns(companies: int, relationships: int, seed: int) -> Iterator[tuple[str, dict]]:
    rng = random.Random(seed)
    per = -(-relationships // companies)
    if per >= companies:
        raise ValueError("too many relationships for so few companies")
    n = 0
    for k in range(1, per + 1):  # offsets 1..per: distinct pairs, never a company to itself
        for i in range(companies):
            if n == relationships:
                return
            yield (f"r{n}", {
                "type": "OWNS", "from": company_id(i), "to": company_id((i + k) % companies),
                "economic_pct": round(rng.uniform(0.1, 60), 2), "confidence": "reported",
                "sources": [SOURCE], "as_of": "2024", "start_date": "2020-01-01"})
            n += 1


def generate(companies: int, relationships: int, seed: int = 42) -> tuple[list, list]:
    """(where, record) pairs: companies, and distinct OWNS between them (none to itself)."""
    return list(_companies(companies)), list(_owns(companies, relationships, seed))


def batches(companies: int, relationships: int, seed: int = 42,
            size: int = bulkload.CHUNK_ROWS) -> Iterator[Batch]:
    """The same records as raw reader Batches of ``size`` rows, generated as they are asked
    for: what a streamed register file gives ``bulkload.bulk_load`` (never held whole)."""
    for kind, pairs in (("nodes", _companies(companies)),
                        ("relationships", _owns(companies, relationships, seed))):
        while chunk := list(itertools.islice(pairs, size)):
            yield Batch(**{kind: chunk})


def _fresh(instance: str) -> None:
    """An empty database on a running server: its store files removed (quicker than DELETE)."""
    localserver.stop(instance)
    bulkload._empty_store(instance)
    localserver.start(instance, echo=lambda m: None)


def _count(graph: Graph) -> tuple[int, int]:
    row = graph.driver.execute_query(
        "MATCH (n:Entity) WITH count(n) AS n MATCH ()-[r]->() RETURN n, count(r) AS r"
    ).records[0]  # not the graph's version (one node outside the power graph)
    return row["n"], row["r"]


def measure(instance: str, companies: int = 100_000, relationships: int = 1_000_000,
            online_relationships: int = 100_000, echo=print, workers: int | None = None,
            bars: bool = False) -> dict[str, Any]:
    """Bulk load (streamed, end to end: validation included) and online write of generated
    companies and OWNS; the figures as a dict."""
    if instance in ("dev", "test"):
        raise ValueError(f"bench/bulkload.py replaces the database: not {instance!r}")
    if provision.resolve(instance).source != "local":
        raise ValueError("bench/bulkload.py needs a local instance (NEO4J_URI is set, or Docker)")
    _fresh(instance)
    load_before = os.getloadavg()
    cpu = time.process_time()
    stats = bulkload.bulk_load(instance, echo=lambda m: echo(f"  bulk: {m}"),
                               batches=batches(companies, relationships), bars=bars,
                               workers=workers)
    cpu = time.process_time() - cpu
    load_after = os.getloadavg()
    echo("  bulk stages (s): " + ", ".join(f"{k} {v:.1f}" for k, v in stats["seconds"].items())
         + f"; main process CPU {cpu:.0f} s")
    graph = Graph(provision.resolve(instance))
    try:
        assert _count(graph) == (companies, relationships), _count(graph)
    finally:
        graph.close()

    m = min(online_relationships, relationships)
    if not m:  # the bulk load alone
        _fresh(instance)
        return _result(companies, relationships, stats, cpu, (load_before, load_after), None)
    node_pairs, rel_pairs = generate(companies, m)
    recs = records.validate(node_pairs, rel_pairs)
    del node_pairs, rel_pairs
    _fresh(instance)
    graph = Graph(provision.resolve(instance))
    try:
        graph.init_schema()
        start = time.perf_counter()
        records.write(graph, records.Records(nodes=recs.nodes))
        online_nodes_seconds = time.perf_counter() - start
        echo(f"  online: {companies:,} companies in {online_nodes_seconds:.1f} s")
        start = time.perf_counter()
        records.write(graph, records.Records(relationships=recs.relationships[:m]))
        online_rels_seconds = time.perf_counter() - start
        echo(f"  online: {m:,} OWNS in {online_rels_seconds:.1f} s")
        assert _count(graph) == (companies, m), _count(graph)
    finally:
        graph.close()
    _fresh(instance)  # leave the throwaway database empty
    online = {"companies_seconds": round(online_nodes_seconds, 3),
              "relationships": m, "relationships_seconds": round(online_rels_seconds, 3),
              "relationships_per_second": m / online_rels_seconds,
              "companies_per_second": companies / online_nodes_seconds}
    return _result(companies, relationships, stats, cpu, (load_before, load_after), online)


def _result(companies: int, relationships: int, stats: dict[str, Any], cpu: float,
            load: tuple[tuple[float, ...], tuple[float, ...]], online: dict | None
            ) -> dict[str, Any]:
    s = stats["seconds"]
    return {
        "companies": companies, "relationships": relationships,
        "workers": stats["workers"], "main_cpu_seconds": round(cpu, 1),
        "peak_rss_mb": stats["peak_rss_mb"], "peak_child_rss_mb": stats["peak_child_rss_mb"],
        "load_average": [round(x, 1) for x in (*load[0], *load[1])],
        "bulk": {"seconds": s, "cpu_seconds": stats["cpu_seconds"],
                 "rows_per_second": (companies + relationships) / s["total"],
                 "relationships_per_second": relationships / s["total"],
                 "import_rows_per_second": (companies + relationships) / s["import"]},
        "online": online,
    }


def stage_table(result: dict[str, Any]) -> list[str]:
    """Each stage of the bulk load: wall seconds, and CPU seconds of the processes doing it
    (this one and its workers; neo4j-admin; the server), with the machine's load average."""
    s, cpu = result["bulk"]["seconds"], result["bulk"]["cpu_seconds"]
    load = result["load_average"]
    lines = [f"| {'bulk_load stage':<46} | {'wall s':>7} | {'CPU s':>7} |",
             f"|{'-' * 48}|{'-' * 8}:|{'-' * 8}:|"]
    for key, label in STAGES.items():
        if key in s:
            used = cpu.get(key)
            lines.append(f"| {label:<46} | {s[key]:>7.1f} | "
                         f"{'' if used is None else f'{used:.1f}':>7} |")
    lines.append(f"| {'total':<46} | {s['total']:>7.1f} | "
                 f"{sum(cpu.values()):>7.1f} |")
    lines += ["", f"Load average (1, 5, 15 min) before {load[0]}, {load[1]}, {load[2]}; after "
                  f"{load[3]}, {load[4]}, {load[5]} ({os.cpu_count()} cores). CPU of the CSV "
                  f"stage: this process and its {result['workers']} worker(s); of the stop: "
                  "not counted; of the import: neo4j-admin's JVM; then the server's JVM."]
    return lines


def table(result: dict[str, Any]) -> str:
    n, r = result["companies"], result["relationships"]
    bulk, online = result["bulk"], result["online"]
    s = bulk["seconds"]
    if online is None:
        return "\n".join([
            f"{n:,} companies and {r:,} OWNS between them, bulk loaded end to end (validation "
            f"included): {s['total']:.1f} s, {r / s['total']:,.0f} relationships/s, "
            f"{(n + r) / s['total']:,.0f} rows/s; neo4j-admin alone "
            f"{bulk['import_rows_per_second']:,.0f} rows/s.", "", *stage_table(result), "",
            f"Peak memory: {result['peak_rss_mb']:,.0f} MB RSS in the loading process, "
            f"{result['peak_child_rss_mb']:,.0f} MB in its largest child."])
    base = online["relationships_per_second"]
    lines = [
        f"{n:,} companies and {r:,} OWNS between them; ratio to the online write of "
        "relationships (records.write, batched UNWIND MERGE, one transaction)",
        "",
        f"| {'method':<62} | {'rows':>9} | {'seconds':>7} | {'rows/s':>8} | {'ratio':>6} |",
        f"|{'-' * 64}|{'-' * 10}:|{'-' * 8}:|{'-' * 9}:|{'-' * 7}:|",
    ]

    def line(label: str, rows: int, seconds: float) -> None:
        rate = rows / seconds
        lines.append(f"| {label:<62} | {rows:>9,} | {seconds:>7.1f} | {rate:>8,.0f} | "
                     f"{rate / base:>5.1f}x |")

    line("bulk_load streamed, end to end with validation (all rows)", n + r, s["total"])
    line("bulk_load streamed, end to end, OWNS only counted", r, s["total"])
    line("  of which neo4j-admin import alone (companies + OWNS)", n + r, s["import"])
    line("online records.write, companies", n, online["companies_seconds"])
    line("online records.write, OWNS", online["relationships"], online["relationships_seconds"])
    lines += ["", *stage_table(result), "",
              f"Peak memory: {result['peak_rss_mb']:,.0f} MB RSS in the loading process, "
              f"{result['peak_child_rss_mb']:,.0f} MB in its largest child (a worker or "
              f"neo4j-admin's JVM); {result['main_cpu_seconds']:.0f} s of CPU in the loading "
              "process."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--instance", required=True, help="throwaway local instance (replaced)")
    parser.add_argument("--companies", type=int, default=100_000)
    parser.add_argument("--relationships", type=int, default=1_000_000)
    parser.add_argument("--online-relationships", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=None,
                        help="validation and CSV processes (default: one per core; 0: none)")
    args = parser.parse_args()
    result = measure(args.instance, args.companies, args.relationships,
                     args.online_relationships, echo=lambda m: print(m, file=sys.stderr,
                                                                      flush=True),
                     workers=args.workers, bars=sys.stderr.isatty())
    print(table(result))


if __name__ == "__main__":
    main()
