"""graphapp at scale: one table, every figure next to a baseline measured in the same run.

    make bench-tools                 # once: wrk, the load generator
    GRAPHAPP_NEO4J_HEAP=4g GRAPHAPP_NEO4J_PAGECACHE=4g \\
      .venv/bin/python bench/run.py --scale 10000 [--instance bench] > bench-10k.md

It wipes a dedicated local Neo4j instance (never "dev" or "test"), generates a power graph of
about N nodes (bench/generate.py) and imports it through the import pipeline, then measures:

- **import**: rows per second through ``graphapp.io.pipeline`` (read CSV, validate,
  match, one transaction a part), nodes and relationships apart, and the same files as an
  initial bulk load (``graphapp db bulk-load``: the same reading and validation, then Neo4j's
  offline importer) into an empty instance of its own (``<instance>-bulk``); baseline: one
  MERGE per transaction for a sample of the same relationships (bench/import_baseline.cypher);
  with ``--bulk-relationships 3000000``, also the register-scale row: bench/bulkload.py's
  streamed bulk load of 3M generated OWNS (validation included), against the online write;
- **escalation**: ``graphapp.escalation.escalate`` end to end for a sample of harms, warm, p50 and
  p95; baseline: the same question as unbounded variable-length Cypher returning every path
  (bench/escalation_naive.cypher), each query capped at --naive-timeout (a capped query counts
  as the cap, so the ratio is then a lower bound);
- **leverage, one company**: ``leverage.company_leverage`` for a sample of companies (parents
  and subsidiaries); baseline: enumerating every ownership chain in Cypher and multiplying the
  stakes (bench/leverage_naive.cypher), capped the same way;
- **leverage, whole network**: ``leverage.network_holders`` (every company's look-through in one
  solve); baseline: one ``company_leverage`` per company, extrapolated from the sample's mean;
- **export**: ``exports.export`` of a harm's escalation diagram as GraphML and as the offline
  HTML page; baseline: the same export with the view's nodes and relationships read one query
  per node (what a first version does);
- **web**: gunicorn on loopback under the load generator (bench/web.py: wrk, or a threaded
  Python client where wrk is not installed; the table says which), 8 clients, bounded by
  --web-seconds and --web-requests; baseline: the Flask development server under the same load;
- **pages**: each page of issue 19 on its own under the same load through gunicorn (harm page,
  entity page, company leverage page, the exposure page of the largest fund, search, home, and
  the escalation API), p50, p95 and requests/s, with the page cache on and off (its baseline),
  against the budget (100 ms p95, 50 ms for the home page).

``--scale 10000`` finishes within five minutes on the 2-core development machine.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import logging
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from neo4j import Query
from neo4j.exceptions import ClientError, TransientError

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

from graphapp import escalation, exports, leverage  # noqa: E402
from graphapp.server import provision  # noqa: E402
from graphapp.store import model  # noqa: E402
from graphapp.store.cypher import Queries, load, parse  # noqa: E402
from graphapp.store.db import Graph  # noqa: E402


def _bench_module(name: str):
    """A sibling script as a module (bench/ is not a package; escalation.py would shadow)."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


generate = _bench_module("generate")
web = _bench_module("web")
bulk_bench = _bench_module("bulkload")
NAIVE = {**parse(BENCH / "escalation_naive.cypher"), **parse(BENCH / "leverage_naive.cypher"),
         **parse(BENCH / "import_baseline.cypher"), **parse(BENCH / "export_naive.cypher")}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(work: Callable[[], Any]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def capped(graph: Graph, name: str, params: dict[str, Any], timeout: float) -> float:
    """Seconds for a baseline query to run and be read to the end, or ``timeout`` when it takes
    longer: Neo4j stops the transaction at the cap, and reading a result that is still
    streaming stops at the cap too (a naive query can return millions of paths)."""
    started = time.perf_counter()
    logging.getLogger("neo4j").setLevel(logging.ERROR)  # not "failed to consume" when cut short
    try:
        with graph.driver.session(default_access_mode="READ") as session:
            result = session.run(Query(NAIVE[name].text, timeout=timeout), params)
            for _ in result:
                if time.perf_counter() - started > timeout:
                    return timeout  # leaving the session discards the rest
    except (ClientError, TransientError) as exc:
        if not any(w in str(exc).lower() for w in ("timeout", "timed out", "terminated")):
            raise
        return timeout
    return min(time.perf_counter() - started, timeout)


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str, str]] = []

    def add(self, what: str, ours: float, base: float, unit: str, baseline: str,
            higher_is_better: bool = False, note: str = "") -> None:
        ratio = (ours / base if higher_is_better else base / ours) if ours and base else 0
        self.rows.append((what, _fmt(ours, unit), _fmt(base, unit), f"{ratio:,.1f}x",
                          baseline + (f" ({note})" if note else "")))
        print(f"  {what}: {_fmt(ours, unit)} vs {_fmt(base, unit)} ({ratio:,.1f}x)",
              file=sys.stderr, flush=True)

    def add_latencies(self, what: str, ours: list[float], base: list[float], baseline: str,
                      sample: str, timeout: float) -> None:
        """p50 and p95 rows; the note says how many baseline queries hit the cap."""
        capped_count = sum(b >= timeout for b in base)
        note = sample + (f", {capped_count} capped at {timeout:.0f} s" if capped_count else "")
        self.add(f"{what} p50", pct(ours, .5), pct(base, .5), "ms", baseline, note=note)
        self.add(f"{what} p95", pct(ours, .95), pct(base, .95), "ms", "the same")

    def markdown(self) -> str:
        lines = ["| measure | graphapp | baseline | better by | baseline is |",
                 "|---|---:|---:|---:|---|"]
        lines += [f"| {' | '.join(r)} |" for r in self.rows]
        return "\n".join(lines)


def _fmt(value: float, unit: str) -> str:
    if unit == "ms":
        return f"{value * 1000:,.1f} ms"
    if unit == "s":
        return f"{value:,.1f} s" if value >= 1 else f"{value * 1000:,.0f} ms"
    return f"{value:,.0f} {unit}"


# --- the measures -------------------------------------------------------------------------------


def measure_import(graph: Graph, g, table: Table, sample: int, echo) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        parts = generate.write_files(g, Path(tmp))
        result = generate.import_parts(graph, parts, echo)
    rows = result["nodes"] + result["relationships"]
    rng = random.Random(1)
    owns = rng.sample(g.rels["OWNS"], min(sample, len(g.rels["OWNS"])))
    baseline_rows = [{"from": r["from"], "to": r["to"], "key": "baseline|",
                      "props": {"confidence": r["confidence"], "sources": [r["sources"]],
                                "economic_pct": r.get("economic_pct")}} for r in owns]

    def one_by_one() -> None:
        for row in baseline_rows:
            graph.write("import_baseline.merge_one_owns", rows=[row])

    seconds = timed(one_by_one)
    graph.write("import_baseline.delete_baseline")
    base = len(baseline_rows) / seconds
    table.add("import, all rows (rows/s)", rows / result["seconds"], base, "rows/s",
              f"one MERGE per transaction, {len(baseline_rows):,} OWNS", higher_is_better=True,
              note=f"{result['nodes']:,} nodes + {result['relationships']:,} relationships "
                   f"in {result['seconds']:.0f} s")
    table.add("import, relationships (rels/s)",
              result["relationships"] / result["relationship_seconds"], base, "rows/s",
              "the same", higher_is_better=True)
    return base


def measure_bulk_load(g, table: Table, instance: str, base: float, echo) -> None:
    """The same graph as an initial load into an empty instance of its own (graphapp db
    bulk-load: read and validate the same files, then neo4j-admin's importer)."""
    from graphapp.io import bulkload

    with tempfile.TemporaryDirectory() as tmp:
        files = [f for part in generate.write_files(g, Path(tmp)) for f in part]
        bulk_bench._fresh(instance)
        started = time.perf_counter()
        recs, report, _ = bulkload.read_and_validate(files)  # CSVs: nothing streamed
        if report.problems:
            raise SystemExit(f"bulk load: {report.summary()}")
        validated = time.perf_counter() - started
        result = bulkload.bulk_load(instance, recs, echo=lambda m: None)
        seconds = time.perf_counter() - started
    rows = result["nodes"] + result["relationships"]
    table.add("import, initial bulk load (rows/s)", rows / seconds, base, "rows/s",
              "the same", higher_is_better=True,
              note=f"{seconds:.0f} s end to end: reading and validating {validated:.0f} s, "
                   f"neo4j-admin import and schema {seconds - validated:.0f} s")
    provision.stop(instance)


def measure_bulk_load_at(instance: str, relationships: int, table: Table, echo) -> None:
    """The register-scale row: bench/bulkload.py's streamed bulk load (validation included) of
    RELATIONSHIPS generated OWNS between a tenth as many companies, against the online write
    of 100,000 of them in the same run."""
    result = bulk_bench.measure(instance, relationships // 10, relationships,
                                min(100_000, relationships), echo=lambda m: echo(m))
    s, online = result["bulk"]["seconds"], result["online"]
    table.add(f"import, bulk load of {relationships / 1e6:g}M OWNS end to end (rels/s)",
              result["bulk"]["relationships_per_second"],
              online["relationships_per_second"], "rows/s",
              f"online records.write of {online['relationships']:,} of them",
              higher_is_better=True,
              note=f"{s['total']:.0f} s with validation in {result['workers']} worker(s): CSVs "
                   f"{s['csv']:.0f}, importer {s['import']:.0f}, start {s['start']:.0f}, "
                   f"empty lists {s['empty_lists']:.0f}, schema {s['schema']:.0f} s; load "
                   f"average {result['load_average'][0]}-{result['load_average'][3]}; peak RSS "
                   f"{result['peak_rss_mb']:,.0f} MB")
    for line in bulk_bench.stage_table(result):  # the stages, wall and CPU, on stderr
        echo(line)
    provision.stop(instance)


def measure_escalation(graph: Graph, harms: list[str], table: Table, timeout: float) -> None:
    params = {"ranks": model.CONFIDENCE_RANK, "min_rank": 1, "as_of": time.strftime("%Y-%m-%d")}
    for harm in harms[:10]:  # warm: page cache, plan cache, JIT
        escalation.escalate(graph, harm)
    ours = [timed(lambda h=harm: escalation.escalate(graph, h)) for harm in harms]
    base = [capped(graph, "escalation_naive.escalation_paths", {"id": h, **params}, timeout)
            for h in harms]
    table.add_latencies("escalation", ours, base, "unbounded variable-length Cypher, every path",
                        f"{len(harms)} harms", timeout)


def measure_leverage(graph: Graph, companies: list[str], company_count: int, table: Table,
                     timeout: float) -> None:
    for c in companies[:5]:
        leverage.company_leverage(graph, c)
    ours = [timed(lambda c=c: leverage.company_leverage(graph, c)) for c in companies]
    base = [capped(graph, "leverage_naive.look_through", {"id": c}, timeout) for c in companies]
    table.add_latencies("leverage, one company", ours, base,
                        "every ownership chain enumerated in Cypher",
                        f"{len(companies)} companies", timeout)
    whole = timed(lambda: leverage.network_holders(graph, include_sensitive=True))
    per_company = statistics.mean(ours) * company_count
    table.add("leverage, whole network", whole, per_company, "s",
              f"company_leverage for each of {company_count:,} companies",
              note="extrapolated from the sample's mean")


def measure_export(graph: Graph, harms: list[str], table: Table) -> None:
    def export_all(fmt: str) -> list[float]:
        exports.export(graph, "escalation", fmt, harm=harms[0])  # warm
        return [timed(lambda h=h: exports.export(graph, "escalation", fmt, harm=h))
                for h in harms]

    for fmt in ("graphml", "html"):
        ours = export_all(fmt)
        with one_query_per_node(graph):
            base = export_all(fmt)
        table.add(f"export {fmt}, one harm's diagram p50", pct(ours, .5), pct(base, .5), "ms",
                  "nodes and relationships read one query per node",
                  note=f"{len(harms)} harms")


class one_query_per_node:
    """During the baseline, exports reads its view's nodes and relationships node by node."""

    def __init__(self, graph: Graph):
        self.graph = graph

    def __enter__(self) -> None:
        self.saved = exports._nodes, exports._relationships
        graph = self.graph

        def nodes(_graph: Graph, ids: list[str]) -> dict[str, dict[str, Any]]:
            found = {}
            for i in ids:
                for r in graph.read("export_naive.node", id=i):
                    found[r["id"]] = exports._node(r)
            return found

        def relationships(_graph: Graph, ids: list[str], *, types: list[str] | None = None,
                          min_confidence: str | None = None, as_of: str | None = None,
                          current: bool = False) -> list[dict]:
            rank = model.CONFIDENCE_RANK.get(min_confidence or "alleged", 1)

            def kept(r: dict[str, Any]) -> bool:  # the filters exports.relationships_among has
                p = r["props"]
                if types is not None and r["type"] not in types:
                    return False
                if model.CONFIDENCE_RANK.get(p.get("confidence"), 0) < rank:
                    return False
                if as_of is not None:
                    return p.get("start_date", "") <= as_of < p.get("end_date", "9999")
                return not current or p.get("end_date") is None

            return [exports._edge(r) for i in ids
                    for r in graph.read("export_naive.relationships_of", id=i, ids=ids)
                    if kept(r)]

        exports._nodes, exports._relationships = nodes, relationships

    def __exit__(self, *exc: object) -> None:
        exports._nodes, exports._relationships = self.saved


def measure_web(target: provision.Neo4jTarget, graph: Graph, table: Table, seconds: float,
                requests: int) -> None:
    paths = web.default_paths(web.graph_for(target))
    rows = web.measure(target, paths, seconds=seconds, max_requests=requests)
    ours, base = rows[0], rows[1]
    errors = ours["errors"] + base["errors"]
    note = f"{ours['requests']:,} and {base['requests']:,} requests over {len(paths)} pages" + (
        f", {errors} errors" if errors else "")
    table.add("web p95", ours["p95_ms"] / 1000, base["p95_ms"] / 1000, "ms",
              f"Flask development server, same load ({web.load_generator()})", note=note)
    table.add("web throughput (requests/s)", ours["rps"], base["rps"], "req/s",
              "the same", higher_is_better=True)


BUDGET_MS = {"home page": 50}  # every other page: 100 ms at p95 (issue 19)


def measure_pages(target: provision.Neo4jTarget, seconds: float, requests: int) -> str:
    """Each page under 8 clients, page cache on and off: a markdown table of its own."""
    graph = web.graph_for(target)
    try:
        pages = web.default_pages(graph)
    finally:
        graph.close()
    rows = web.measure_pages(target, pages, seconds=seconds, max_requests=requests)
    print(json.dumps(rows), file=sys.stderr, flush=True)  # the raw rows, whatever comes next
    lines = [f"Pages under load ({web.load_generator()}, 8 clients, gunicorn 2 workers x 4 "
             f"threads, at most {seconds:g} s or {requests:,} requests a page):", "",
             "| page | p50 | p95 | req/s | cache off: p50 | p95 | req/s | p95 better by | "
             "budget (p95) | errors |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|"]
    for page, path in pages.items():
        on, off = rows["cached"][page], rows["uncached"][page]
        budget = BUDGET_MS.get(page, 100) if "API" not in page else None
        met = ("—" if budget is None else
               f"{budget} ms: {'met' if on['p95_ms'] <= budget else '**not met**'}")
        if "p95_ms" in off:
            ratio = f"{off['p95_ms'] / on['p95_ms']:,.1f}x" if on["p95_ms"] else "—"
            uncached = (f"{off['p50_ms']:,.1f} ms | {off['p95_ms']:,.1f} ms | "
                        f"{off['rps']:,.1f}")
        else:  # slower than wrk's timeout: one request, timed alone
            ratio = f"{off['first_ms'] / on['p95_ms']:,.0f}x" if on["p95_ms"] else "—"
            uncached = f"one request: {off['first_ms'] / 1000:,.1f} s | — | —"
        lines.append(f"| {page} (`{path}`) | {on['p50_ms']:,.1f} ms | "
                     f"{on['p95_ms']:,.1f} ms | {on['rps']:,.0f} | {uncached} | {ratio} | "
                     f"{met} | {on['errors'] + off.get('errors', 0)} |")
        slowest = off["p95_ms"] if "p95_ms" in off else off["first_ms"]
        print(f"  {page}: p95 {on['p95_ms']:.1f} ms cached, uncached {slowest:.1f} ms",
              file=sys.stderr, flush=True)
    lines += ["", "Cache off, \"one request\": a page slower than wrk's timeout is timed once "
              "(every request under load would time out)."]
    return "\n".join(lines)


# --- the run ------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=10_000, help="nodes (about)")
    parser.add_argument("--instance", default="bench", help="local Neo4j instance (wiped)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--queries", type=int, default=40, help="harms and companies sampled")
    parser.add_argument("--naive-timeout", type=float, default=10.0, help="seconds per query")
    parser.add_argument("--web-seconds", type=float, default=15)
    parser.add_argument("--web-requests", type=int, default=3000)
    parser.add_argument("--page-seconds", type=float, default=10, help="per page and mode")
    parser.add_argument("--page-requests", type=int, default=2000, help="per page and mode")
    parser.add_argument("--skip", default="",
                        help="comma-separated: bulk,escalation,leverage,export,web,pages")
    parser.add_argument("--keep", action="store_true", help="leave the instance running")
    parser.add_argument("--bulk-relationships", type=int, default=0,
                        help="also the register-scale row: a streamed bulk load of this many "
                             "generated OWNS (3000000 for issue 19's row; 0: none)")
    parser.add_argument("--reuse", action="store_true",
                        help="measure the graph a --keep run left (same --scale and --seed): "
                             "no wipe, no import")
    args = parser.parse_args()
    if args.instance in ("dev", "test"):
        sys.exit("bench/run.py wipes its instance: give it one of its own (--instance bench)")
    skip = set(filter(None, args.skip.split(",")))

    def echo(m: str) -> None:
        print(m, file=sys.stderr, flush=True)

    started = time.perf_counter()
    target = provision.start(args.instance, echo=echo)
    graph = Graph(target, queries=Queries({**load(), **NAIVE}), retry_seconds=0)
    table = Table()
    pages_table = ""
    try:
        g = generate.generate(args.scale, args.seed)
        echo(f"# generated {g.node_count:,} nodes, {g.rel_count:,} relationships")
        if not args.reuse:
            generate.wipe(graph)
            graph.init_schema()
            base = measure_import(graph, g, table, sample=min(2000, args.scale // 5), echo=echo)
            if "bulk" not in skip:
                measure_bulk_load(g, table, f"{args.instance}-bulk", base, echo)
        if args.bulk_relationships and "bulk" not in skip:
            measure_bulk_load_at(f"{args.instance}-bulk", args.bulk_relationships, table, echo)
        rng = random.Random(args.seed)
        harms = rng.sample(g.harms, min(args.queries, len(g.harms)))
        if "escalation" not in skip:
            measure_escalation(graph, harms, table, args.naive_timeout)
        if "leverage" not in skip:
            companies = rng.sample(g.companies, min(args.queries, len(g.companies)))
            measure_leverage(graph, companies, len(g.companies), table, args.naive_timeout)
        if "export" not in skip:
            measure_export(graph, harms[:10], table)
        if "web" not in skip:
            measure_web(target, graph, table, args.web_seconds, args.web_requests)
        if "pages" not in skip:
            pages_table = measure_pages(target, args.page_seconds, args.page_requests)
    finally:
        graph.close()
        if not args.keep:
            provision.stop(args.instance)
    print(f"graphapp at {g.node_count:,} nodes and {g.rel_count:,} relationships "
          f"(bench/run.py --scale {args.scale}, seed {args.seed}; Neo4j "
          f"{target.uri}; {time.strftime('%Y-%m-%d')}; run took "
          f"{time.perf_counter() - started:.0f} s). Latencies are warm; ratios are measured "
          "side by side in this run.\n")
    print(table.markdown())
    if pages_table:
        print("\n" + pages_table)


if __name__ == "__main__":
    main()
