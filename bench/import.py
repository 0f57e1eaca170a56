"""Import throughput: batched UNWIND writes against one MERGE per transaction, same run.

    .venv/bin/python bench/import.py --instance imp --wipe [--relationships 100000]

Writes N OWNS relationships between 10,000 companies three ways, wiping the relationships
between runs so that each run creates them all:

1. ``graphapp import OWNS.csv``: the whole import pipeline from a CSV file (read with pandas,
   validate, match, one transaction of batched UNWIND ``MERGE``);
2. ``records.write`` (what imports and seeds use: ``records.upsert_owns``..., one query a
   relationship type): the batched write alone, one transaction, UNWIND batches of each of
   ``--batch-sizes`` (and ``records.BATCH_SIZE``, what the pipeline uses), side by side;
3. one relationship per transaction: a plain ``MERGE (a)-[r:OWNS {key}]->(b)`` with one row
   (``bench/import_baseline.cypher``), in its own transaction, for the first
   ``--baseline-relationships`` of them;
4. for comparison, the shared ``records.upsert_relationships`` (``MERGE ... $(row.type)``,
   mixed types in one batch), on ``--dynamic-relationships`` of them (it is slow).

It prints relationships per second and the ratio to (3) as a table. The database is wiped:
point ``--instance`` at a throwaway local instance.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graphapp.io import pipeline
from graphapp.server import provision
from graphapp.store import records
from graphapp.store.cypher import Queries, load, parse
from graphapp.store.db import Graph

BASELINE = parse(Path(__file__).with_name("import_baseline.cypher"))

COMPANIES = 10_000


def company_id(i: int) -> str:
    return f"c{i:05d}"


def stakes(n: int) -> list[dict]:
    """n distinct OWNS between the companies, with evidence, as an import row has them."""
    rng = random.Random(42)
    per = -(-n // COMPANIES)
    rows = []
    for i in range(COMPANIES):
        for k in range(1, per + 1):
            if len(rows) == n:
                return rows
            rows.append({"type": "OWNS", "from": company_id(i),
                         "to": company_id((i + k * 97) % COMPANIES),
                         "economic_pct": round(rng.uniform(0.1, 60), 2),
                         "confidence": "reported", "sources": ["https://example.org/filing"],
                         "as_of": "2024"})
    return rows


def delete_relationships(graph: Graph) -> None:
    with graph.driver.session(database=graph.database) as session:  # an implicit transaction
        session.run("MATCH ()-[r:OWNS]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 20000 ROWS"
                    ).consume()


def count_relationships(graph: Graph) -> int:
    return graph.driver.execute_query(
        "MATCH ()-[r:OWNS]->() RETURN count(r) AS c").records[0]["c"]


def timed(label: str, graph: Graph, n: int, work) -> tuple[str, float]:
    delete_relationships(graph)
    start = time.perf_counter()
    work()
    seconds = time.perf_counter() - start
    written = count_relationships(graph)
    assert written == n, f"{label}: {written} relationships written, expected {n}"
    print(f"  {label}: {n:,} in {seconds:.1f} s ({n / seconds:,.0f}/s)", file=sys.stderr,
          flush=True)
    return label, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--instance", required=True, help="local Neo4j instance (wiped)")
    parser.add_argument("--wipe", action="store_true", help="allow wiping a non-empty database")
    parser.add_argument("--relationships", type=int, default=100_000)
    parser.add_argument("--baseline-relationships", type=int, default=2_000,
                        help="one MERGE per transaction on this many (slow: ~4 ms each)")
    parser.add_argument("--batch-sizes", default=str(records.BATCH_SIZE),
                        help="comma-separated UNWIND batch sizes for records.write, side by side "
                             "(records.BATCH_SIZE, the pipeline's, is always added)")
    parser.add_argument("--dynamic-relationships", type=int, default=2_000,
                        help="also time records.upsert_relationships ($(row.type)) on this many "
                             "(slow: ~1 ms a row; 0 to skip)")
    args = parser.parse_args()
    n = args.relationships

    graph = Graph(provision.start(args.instance), queries=Queries({**load(), **BASELINE}))
    nodes_now = graph.driver.execute_query("MATCH (n) RETURN count(n) AS c").records[0]["c"]
    if nodes_now and not args.wipe:
        sys.exit(f"the {args.instance} database holds {nodes_now} nodes: pass --wipe")
    graph.write_autocommit("records.delete_all")
    graph.init_schema()
    nodes = [(f"c{i}", {"label": "Company", "id": company_id(i), "name": f"Company {i}"})
             for i in range(COMPANIES)]
    records.write(graph, records.validate(nodes, []))
    rows = stakes(n)

    with tempfile.TemporaryDirectory() as tmp:
        sheet = Path(tmp) / "OWNS.csv"
        with open(sheet, "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(["from", "to", "economic_pct", "confidence", "sources", "as_of"])
            for r in rows:
                writer.writerow([r["from"], r["to"], r["economic_pct"], r["confidence"],
                                 r["sources"][0], r["as_of"]])

        def import_csv() -> None:
            report = pipeline.import_files(graph, [(sheet, sheet.name)])
            assert report.ok, report.problems[:3]

        results = [timed("graphapp import OWNS.csv (pipeline, 1 tx)", graph, n, import_csv)]

    validated = records.validate([], [(f"r{i}", r) for i, r in enumerate(rows)], graph=graph)
    row_dicts = [records.relationship_row(r) for r in validated.relationships]
    k = min(args.baseline_relationships, n)

    def one_by_one() -> None:
        for row in row_dicts[:k]:
            graph.write("import_baseline.merge_one_owns", rows=[row])

    baseline_result = timed("one MERGE per transaction (MERGE ...[:OWNS]...)", graph, k,
                            one_by_one)
    sizes = [n]
    for size in sorted({int(b) for b in args.batch_sizes.split(",")} | {records.BATCH_SIZE}):
        results.append(timed(f"records.write, static types (UNWIND x{size:,}, 1 tx)", graph, n,
                             lambda size=size: records.write(graph, validated, size)))
        sizes.append(n)
    results.append(baseline_result)
    sizes.append(k)

    m = args.dynamic_relationships
    if m:
        dynamic = row_dicts[:m]

        def write_dynamic(tx) -> None:
            for i in range(0, m, records.BATCH_SIZE):
                tx.run("records.upsert_relationships", rows=dynamic[i:i + records.BATCH_SIZE])

        results.append(timed(f"$(row.type) MERGE (UNWIND x{records.BATCH_SIZE}, 1 tx)",
                             graph, m, lambda: graph.write_tx(write_dynamic)))
        sizes.append(m)
    graph.close()

    baseline = k / baseline_result[1]
    print(f"\nOWNS relationships between {COMPANIES:,} companies, Neo4j "
          f"{provision.resolve(args.instance).uri}; ratio to one MERGE per transaction\n")
    print(f"| {'method':<52} | {'rels':>7} | {'seconds':>7} | {'rels/s':>7} | {'ratio':>6} |")
    print(f"|{'-' * 54}|{'-' * 8}:|{'-' * 8}:|{'-' * 8}:|{'-' * 7}:|")
    for (label, seconds), size in zip(results, sizes, strict=True):
        rate = size / seconds
        print(f"| {label:<52} | {size:>7,} | {seconds:>7.1f} | {rate:>7,.0f} | "
              f"{rate / baseline:>5.1f}x |")


if __name__ == "__main__":
    main()
