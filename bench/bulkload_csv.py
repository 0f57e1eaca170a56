"""The bulk load's validation and CSV stage alone, without Neo4j: wall, CPU and peak memory.

    .venv/bin/python bench/bulkload_csv.py --mode 2 [--companies 30000 --relationships 300000]
    git worktree add /tmp/old 87390ae   # main before the streamed bulk load (issue 19)
    .venv/bin/python bench/bulkload_csv.py --root /tmp/old --mode old   # run both at once

``--mode old``: the path before issue 19 (``records.validate`` of every record, then
``bulkload.write_csvs`` in this process), which ``--root`` must point at a checkout of.
``--mode N``: the streamed path (``bulkload.CsvWriter`` over bench/bulkload.py's raw chunks,
validated and formatted by N worker processes; 0: in this process). Prints one JSON line.
Running two modes side by side at the same time gives a ratio on a shared machine.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import resource
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", default=str(Path(__file__).resolve().parent.parent),
                        help="the graphapp checkout to measure (default: this one)")
    parser.add_argument("--mode", default="2", help="old, or a number of workers")
    parser.add_argument("--companies", type=int, default=30_000)
    parser.add_argument("--relationships", type=int, default=300_000)
    args = parser.parse_args()
    sys.path.insert(0, args.root)
    spec = importlib.util.spec_from_file_location("bench_bulkload",
                                                  f"{args.root}/bench/bulkload.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    from graphapp.io import bulkload
    from graphapp.store import records

    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        if args.mode == "old":
            nodes, rels = bench.generate(args.companies, args.relationships)
            recs = records.validate(nodes, rels)
            del nodes, rels
            csvs = bulkload.write_csvs(recs, Path(tmp), "2026-01-01T00:00:00.000Z")
        else:
            writer = bulkload.CsvWriter(Path(tmp), "2026-01-01T00:00:00.000Z", int(args.mode))
            for batch in bench.batches(args.companies, args.relationships):
                writer.add_batch(batch)
            csvs = writer.finish()
            assert not writer.problems, writer.problems[:3]
        wall = time.perf_counter() - started
    me = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({
        "mode": args.mode, "rows": csvs.nodes + csvs.relationships, "wall_s": round(wall, 1),
        "cpu_main_s": round(me.ru_utime + me.ru_stime, 1),
        "cpu_workers_s": round(children.ru_utime + children.ru_stime, 1),
        "peak_rss_main_mb": me.ru_maxrss // 1024, "peak_rss_worker_mb": children.ru_maxrss // 1024,
        "csv_bytes": csvs.bytes}))


if __name__ == "__main__":
    main()
