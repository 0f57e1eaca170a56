"""Online ``graphapp import`` of a generated graph: this checkout against another, side by side.

    .venv/bin/python bench/import_online.py --instance bench_imp --scale 100000 \
        [--against /path/to/other/checkout] [--rounds 2]

Generates the graph of ``bench/generate.py --scale N`` as CSV files in the template layout, as
``bench/run.py`` does, and imports the node parts once (``graphapp.io.pipeline.import_files``,
one transaction a part). Then the relationship parts are imported again and again, each part in
one transaction, by each checkout's own pipeline in a process of its own, every relationship
deleted before each import: first an untimed warm-up with each checkout (the server's first
writes after the nodes are slower), then ``--rounds`` rounds of this checkout and
``--against``'s in turn, so that a busy machine slows both alike. The table gives
relationships per second, the importing process's CPU (Python: reading, validating, matching,
sending), the Neo4j server's CPU over the same import (from /proc: a local instance) and each
round's ratio to the median of the last checkout's rounds. The database is
wiped: point ``--instance`` at a throwaway local instance (not ``dev`` or ``test``).
"""

from __future__ import annotations

import argparse
import json
import pickle
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def child(checkout: Path, instance: str, parts_file: Path, which: str) -> None:
    """Import the node or relationship parts with ``checkout``'s pipeline; print JSON."""
    sys.path.insert(0, str(checkout))
    from graphapp.io import pipeline
    from graphapp.server import provision
    from graphapp.store.db import Graph

    assert Path(pipeline.__file__).is_relative_to(checkout), pipeline.__file__
    graph = Graph(provision.start(instance), retry_seconds=0)
    parts = pickle.loads(parts_file.read_bytes())[which]
    started, cpu = time.perf_counter(), time.process_time()
    nodes = rels = 0
    for files in parts:
        report = pipeline.import_files(graph, files)
        if not report.ok:
            sys.exit(f"{report.summary()} {[str(p) for p in report.problems[:3]]}")
        nodes += report.nodes_written
        rels += report.relationships_written
    print(json.dumps({"seconds": time.perf_counter() - started,
                      "cpu": time.process_time() - cpu, "nodes": nodes, "relationships": rels,
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
    graph.close()


def server_cpu(instance: str) -> float:
    """CPU-seconds the local Neo4j server of ``instance`` has used so far (user + system):
    the write's cost shows in the server, not in the importing process."""
    from graphapp.server import localserver

    seconds = localserver.server_cpu_seconds(instance)
    return float("nan") if seconds is None else seconds


def run_child(checkout: Path, instance: str, parts_file: Path, which: str) -> dict:
    before = server_cpu(instance)
    out = subprocess.run([sys.executable, __file__, "--child", str(checkout), "--instance",
                          instance, "--parts", str(parts_file), "--which", which],
                         check=True, stdout=subprocess.PIPE, text=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["server_cpu"] = server_cpu(instance) - before
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--instance", required=True, help="local Neo4j instance (wiped)")
    parser.add_argument("--wipe", action="store_true", help="allow wiping a non-empty database")
    parser.add_argument("--scale", type=int, default=100_000, help="nodes (about)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--against", type=Path, action="append", default=[],
                        help="another checkout of graphapp to measure beside this one "
                             "(e.g. `git worktree add /tmp/main-before <commit>`); repeatable")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--no-warm-up", dest="warm_up", action="store_false",
                        help="leave out the first, untimed import of the relationships (the "
                             "server's first writes after the nodes' import are slower)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--parts", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--which", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.instance, args.parts, args.which)
        return
    if args.instance in ("dev", "test"):
        sys.exit(f"refusing to wipe the {args.instance} instance")

    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    import generate

    from graphapp.server import provision
    from graphapp.store.db import Graph

    def echo(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    checkouts = [ROOT, *(p.resolve() for p in args.against)]
    g = generate.generate(args.scale, args.seed)
    graph = Graph(provision.start(args.instance, echo=echo), retry_seconds=0)
    present = graph.driver.execute_query("MATCH (n) RETURN count(n) AS c").records[0]["c"]
    if present and not args.wipe:
        sys.exit(f"the {args.instance} database holds {present:,} nodes: pass --wipe")
    graph.write_autocommit("records.delete_all")
    graph.init_schema()
    results: list[tuple[Path, int, dict]] = []
    with tempfile.TemporaryDirectory() as tmp:
        parts = generate.write_files(g, Path(tmp))
        nodes = [p for p in parts if "nodes-" in str(p[0][0])]
        rels = [p for p in parts if "rels-" in str(p[0][0])]
        parts_file = Path(tmp) / "parts.pickle"
        parts_file.write_bytes(pickle.dumps({"nodes": nodes, "relationships": rels}))
        echo(f"{g.node_count:,} nodes, {g.rel_count:,} relationships; importing the nodes")
        loaded = run_child(ROOT, args.instance, parts_file, "nodes")
        echo(f"  nodes: {loaded['nodes']:,} in {loaded['seconds']:.0f} s")
        for round_ in range(0 if args.warm_up else 1, args.rounds + 1):
            for checkout in checkouts:  # the warm-up too: each checkout its own queries
                with graph.driver.session(database=graph.database) as session:
                    session.run("MATCH ()-[r]->() CALL (r) { DELETE r } "
                                "IN TRANSACTIONS OF 20000 ROWS").consume()
                result = run_child(checkout, args.instance, parts_file, "relationships")
                echo(f"  round {round_ or 'warm-up'}, {checkout}: "
                     f"{result['relationships']:,} relationships in {result['seconds']:.1f} s")
                if round_:
                    results.append((checkout, round_, result))
    graph.close()

    def rate(r: dict) -> float:
        return r["relationships"] / r["seconds"]

    other = statistics.median(rate(r) for c, _, r in results if c == checkouts[-1])
    print(f"\nOnline import of the relationship parts of `bench/generate.py --scale "
          f"{args.scale}` ({g.rel_count:,} relationships, {len(rels)} part(s), one "
          f"transaction each) into {g.node_count:,} nodes imported before; Neo4j "
          f"{provision.resolve(args.instance).uri}\n")
    print("| checkout | round | relationships | seconds | rels/s | importer CPU s | "
          "CPU µs/rel | Neo4j CPU s | Neo4j CPU µs/rel | peak RSS MB | "
          "rels/s vs the last checkout (median) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for checkout, round_, r in results:
        n = r["relationships"]
        print(f"| {checkout} | {round_} | {n:,} | {r['seconds']:.1f} | "
              f"{rate(r):,.0f} | {r['cpu']:.1f} | {r['cpu'] / n * 1e6:.0f} | "
              f"{r['server_cpu']:.1f} | {r['server_cpu'] / n * 1e6:.0f} | "
              f"{r['peak_rss_mb']:,.0f} | {rate(r) / other:.2f}x |")

if __name__ == "__main__":
    main()
