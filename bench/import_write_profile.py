"""Where the Neo4j server's CPU goes in the online import's one write transaction, per thread.

    .venv/bin/python bench/import_write_profile.py --instance bench_imp --scale 100000 \
        [--rounds 2] [--commit]

Run after ``bench/import_online.py`` on the same throwaway instance (it holds the generated
nodes). Relationships are deleted first. The import pipeline (``graphapp.io.pipeline``) reads,
validates and matches the relationship parts as ``graphapp import`` does, and the batches it
would write are kept instead of written. Those batches are then sent in one transaction with
each query (``match``: both ends only; ``upsert``: ``records.upsert_<type>``, MERGE;
``create``: ``records.create_<type>``), in turns, and rolled back (``--commit``: committed,
the commit timed apart, and the relationships deleted again). The server's CPU comes from
``/proc/<pid>/task``, by thread name: the query itself runs in a Bolt worker, beside garbage
collection, Bolt's decoding of the rows and the JIT compiler; that is what tells a cheaper
query from a cheaper collection (docs/benchmarks.md, "Online import, fifth session").
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import generate  # noqa: E402

from graphapp.io import pipeline  # noqa: E402
from graphapp.server import localserver, provision  # noqa: E402
from graphapp.store import records  # noqa: E402
from graphapp.store.cypher import Queries  # noqa: E402
from graphapp.store.db import Graph  # noqa: E402

MATCH_ONLY = ("UNWIND $rows AS row MATCH (a:Entity {id: row.from}) "
              "MATCH (b:Entity {id: row.to}) RETURN count(*) AS written")


def thread_cpu(pid: int) -> dict[str, float]:
    """CPU-seconds so far of each kind of thread of ``pid`` (digits in names folded)."""
    out: dict[str, float] = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            stat = (task / "stat").read_text()
        except OSError:
            continue  # the thread ended
        name = re.sub(r"\d+", "#", stat[stat.index("(") + 1:stat.rindex(")")])
        fields = stat.rsplit(")", 1)[1].split()
        out[name] = out.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / os.sysconf(
            "SC_CLK_TCK")
    return out


def spent(before: dict[str, float], after: dict[str, float]) -> str:
    rows = sorted(((after[k] - before.get(k, 0.0), k) for k in after), reverse=True)
    return ", ".join(f"{k} {v:.1f}" for v, k in rows[:6] if v >= 0.05)


def batches_of_the_import(graph: Graph, scale: int, seed: int) -> list[tuple[str, list[dict]]]:
    """The relationship batches ``graphapp import`` would write for the generated graph."""
    kept: list[tuple[str, list[dict]]] = []

    class Keep(records.StreamWrite):
        def commit(self, also=None):
            kept.extend(self._items)
            self.abandon()
            return records.WriteResult(0, 0, 0)

    records.StreamWrite = Keep  # type: ignore[misc]
    with tempfile.TemporaryDirectory() as tmp:
        parts = generate.write_files(generate.generate(scale, seed), Path(tmp))
        for files in (p for p in parts if "rels-" in str(p[0][0])):
            pipeline.import_files(graph, files)
    return [(name, rows) for name, rows in kept if name != "records.upsert_nodes"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--instance", required=True, help="the instance import_online.py used")
    parser.add_argument("--scale", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--commit", action="store_true", help="commit (and time the commit)")
    args = parser.parse_args()
    if args.instance in ("dev", "test"):
        sys.exit(f"refusing to delete the relationships of the {args.instance} instance")
    graph = Graph(provision.start(args.instance), retry_seconds=0)
    pid = localserver.status(args.instance).pid
    if pid is None:
        sys.exit("the server's CPU is read from /proc: use a local instance")

    def delete_relationships() -> None:
        with graph.driver.session(database=graph.database) as session:
            session.run("MATCH ()-[r]->() CALL (r) { DELETE r } "
                        "IN TRANSACTIONS OF 20000 ROWS").consume()

    delete_relationships()
    batches = batches_of_the_import(graph, args.scale, args.seed)
    total = sum(len(rows) for _, rows in batches)
    queries = Queries()

    def text(kind: str, name: str) -> str:
        rel_type = name.split("_", 1)[1]
        return MATCH_ONLY if kind == "match" else queries[f"records.{kind}_{rel_type}"].text

    print(f"{total:,} relationships in {len(batches)} batches, one transaction each time\n")
    print("| query | round | write s | server CPU, write | commit s | server CPU, commit | "
          "µs a relationship |")
    print("|---|--:|--:|---|--:|---|--:|")
    kinds = ["match", "upsert", "create"] if not args.commit else ["upsert", "create"]
    for round_ in range(1, args.rounds + 1):
        for kind in kinds:
            with graph.driver.session(database=graph.database) as session:
                tx = session.begin_transaction()
                cpu0, t0 = thread_cpu(pid), time.perf_counter()
                for name, rows in batches:
                    tx.run(text(kind, name), rows=rows).consume()
                cpu1, t1 = thread_cpu(pid), time.perf_counter()
                tx.commit() if args.commit and kind != "match" else tx.rollback()
                cpu2, t2 = thread_cpu(pid), time.perf_counter()
            used = sum(cpu2.values()) - sum(cpu0.values())
            print(f"| {kind} | {round_} | {t1 - t0:.1f} | {spent(cpu0, cpu1)} | {t2 - t1:.1f} | "
                  f"{spent(cpu1, cpu2)} | {used / total * 1e6:.0f} |", flush=True)
            if args.commit:
                delete_relationships()
    graph.close()


if __name__ == "__main__":
    main()
