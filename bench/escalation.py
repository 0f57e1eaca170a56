"""Benchmark: the escalation query against a naive baseline on generated graphs.

For each size (10k, 100k, 1M nodes by default) it empties a dedicated Neo4j instance, writes a
generated power graph through the project's write path (the named ``records.upsert_nodes`` and
``records.upsert_<type>`` queries, batched UNWIND), then times, harm by harm and side by
side in the same run:

- **bounded**: ``graphapp.escalation.escalate`` end to end (its four named queries in one read
  transaction, plus the scoring in Python);
- **cypher**: the bounded capability's two named queries alone (what Neo4j does, without the
  paths, scores and sentences Python builds);
- **naive-set** and **naive-paths**: the same question asked with unbounded variable-length
  patterns and filters applied after the match (``bench/escalation_naive.cypher``), returning
  the distinct targets only (Neo4j can then prune the expansion to distinct nodes), or every
  target with every path and its evidence (what the capability has to return; the shortest
  path per target is kept in Python). A query that times out counts as the timeout.

It prints p50 and p95 of each, and naive/bounded ratios, as a table.

    GRAPHAPP_NEO4J_HEAP=4g GRAPHAPP_NEO4J_PAGECACHE=4g \\
      .venv/bin/python bench/escalation.py --sizes 10k,100k,1M --queries 50 > /tmp/bench.txt

The graph: corporate groups (an ultimate parent above one to three levels of subsidiaries, two
products, policy / trust and safety / human rights / product / board / executive teams, local
offices, people with turnover, three harms each), a pool of funds that hold minority stakes in
parents and subsidiaries and in each other (listed asset managers do), a few cross-holdings
between parents, countries with regulators, forums. Confidence and dates vary. Deterministic
for a given --seed.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from neo4j import Query, RoutingControl
from neo4j.exceptions import ClientError, TransientError

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graphapp import escalation  # noqa: E402
from graphapp.server import provision  # noqa: E402
from graphapp.store import model, records  # noqa: E402
from graphapp.store.cypher import Queries, load, parse  # noqa: E402
from graphapp.store.db import Graph  # noqa: E402

NAIVE = parse(Path(__file__).with_name("escalation_naive.cypher"))
SOURCE = ["https://example.org/bench"]
CONFIDENCE_WEIGHTS = (("confirmed", 0.7), ("reported", 0.2), ("alleged", 0.1))
PER_GROUP = 47  # nodes in one corporate group, on average (see group())


# --- generation ------------------------------------------------------------------------------


class Generator:
    """Rows for records.upsert_nodes / records.upsert_<type>, deterministic by seed."""

    def __init__(self, size: int, seed: int = 7):
        self.rng = random.Random(seed)
        self.size = size
        self.nodes: list[dict[str, Any]] = []
        self.rels: list[dict[str, Any]] = []
        self.harms: list[str] = []

    def node(self, id_: str, labels: list[str], **props: Any) -> str:
        self.nodes.append({"id": id_, "labels": labels, "props": {"name": id_, **props}})
        return id_

    def rel(self, type_: str, start: str, end: str, **props: Any) -> None:
        rng = self.rng
        props.setdefault("confidence", rng.choices(
            [c for c, _ in CONFIDENCE_WEIGHTS], [w for _, w in CONFIDENCE_WEIGHTS])[0])
        props.setdefault("start_date", str(rng.randint(2005, 2023)))
        props["sources"] = SOURCE
        row = {"type": type_, "from": start, "to": end,
               "props": {k: v for k, v in props.items() if v is not None}}
        row["key"] = records.relationship_key(row["props"])
        self.rels.append(row)

    def generate(self) -> Generator:
        rng = self.rng
        countries = [self.node(f"country-{i}", ["Country"], iso2="XX") for i in range(200)]
        for i, c in enumerate(countries):
            for j in range(3):
                reg = self.node(f"reg-{i}-{j}", ["Regulator"], kind="data_protection")
                self.rel("HAS_JURISDICTION_OVER", reg, c)
        regulators = [n["id"] for n in self.nodes if "Regulator" in n["labels"]]
        forums = [self.node(f"forum-{i}", ["Forum"], kind="industry_association")
                  for i in range(50)]
        funds = [self.node(f"fund-{i}", ["Company", "Investor"], investor_type="asset_manager")
                 for i in range(max(20, self.size // 100))]
        for f in funds:  # listed fund managers hold each other: a web with cycles
            for other in rng.sample(funds, 2):
                if other != f and rng.random() < 0.6:
                    self.rel("OWNS", other, f, economic_pct=round(rng.uniform(0.5, 8), 2),
                             voting_pct=round(rng.uniform(0.5, 8), 2))
        tops: list[str] = []
        g = 0
        while len(self.nodes) < self.size:
            tops.append(self.group(g, countries, regulators, forums, funds))
            g += 1
        for top in tops:  # a few cross-holdings between groups
            if rng.random() < 0.1:
                other = rng.choice(tops)
                if other != top:
                    self.rel("OWNS", top, other, economic_pct=round(rng.uniform(1, 5), 2))
        return self

    def group(self, g: int, countries, regulators, forums, funds) -> str:
        rng, p = self.rng, f"g{g}"
        top = self.node(f"{p}-top", ["Company"], jurisdiction="XX")
        self.rel("HEADQUARTERED_IN", top, rng.choice(countries))
        for f in rng.sample(forums, 2):
            self.rel("MEMBER_OF", top, f)
        for r in rng.sample(regulators, 2):
            self.rel("OVERSEES", r, top)
        for f in rng.sample(funds, 5):
            self.rel("OWNS", f, top, economic_pct=round(rng.uniform(0.5, 8), 2),
                     voting_pct=round(rng.uniform(0.5, 8), 2))
        companies, level = [top], [top]
        for depth in range(rng.randint(1, 3)):
            nxt = []
            for parent in level:
                for k in range(rng.randint(1, 2) if depth else 1):
                    sub = self.node(f"{p}-sub{depth}{len(nxt)}{k}", ["Company"])
                    self.rel("OWNS", parent, sub, economic_pct=100.0, voting_pct=100.0)
                    self.rel("INCORPORATED_IN", sub, rng.choice(countries))
                    if rng.random() < 0.3:
                        self.rel("OWNS", rng.choice(funds), sub,
                                 economic_pct=round(rng.uniform(1, 20), 2))
                    nxt.append(sub)
            companies += nxt
            level = nxt
        people = 0

        def person(target: str, kind: str, title: str) -> None:
            nonlocal people
            who = self.node(f"{p}-person{people}", ["Person"])
            people += 1
            if rng.random() < 0.2:  # turnover: this one left, a successor holds the role now
                self.rel("HOLDS_ROLE", who, target, kind=kind, title=title,
                         start_date="2010", end_date=str(rng.randint(2015, 2023)))
                who = self.node(f"{p}-person{people}", ["Person"])
                people += 1
                self.rel("HOLDS_ROLE", who, target, kind=kind, title=title, start_date="2024")
            else:
                self.rel("HOLDS_ROLE", who, target, kind=kind, title=title)

        for i in range(4):
            person(top, "board", f"Director {i}")
        for title in ("CEO", "COO", "CFO"):
            person(top, "executive", title)
        hq_teams = {}
        for function in ("policy", "trust_and_safety", "human_rights", "product", "board",
                         "executive"):
            t = self.node(f"{p}-{function}", ["Team"], function=function, scope="global")
            self.rel("PART_OF", t, top)
            hq_teams[function] = t
            person(t, "manager", f"Head of {function}")
        for c in companies[1:]:
            office = self.node(f"{c}-office", ["Team"], function="local_office", scope="country")
            self.rel("PART_OF", office, c)
            person(office, "staff", "Country lead")
            person(c, "representative", "Representative")
        for k in range(2):
            product = self.node(f"{p}-product{k}", ["Product"])
            self.rel("OPERATES", rng.choice(companies[-2:]), product)
            for function in ("trust_and_safety", "policy"):
                t = self.node(f"{p}-product{k}-{function}", ["Team"], function=function,
                              scope="regional")
                self.rel("PART_OF", t, top)
                self.rel("RESPONSIBLE_FOR", t, product)
                self.rel("REPORTS_TO", t, hq_teams[function])
                person(t, "manager", "Lead")
            for h in range(2 if k else 1):
                harm = self.node(f"{p}-product{k}-harm{h}", ["Harm"], harm_type="hate_speech")
                self.rel("INVOLVES", harm, product)
                self.rel("OCCURRED_IN", harm, rng.choice(countries))
                self.harms.append(harm)
        return top


def batches(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def write(graph: Graph, gen: Generator, batch: int = 10_000) -> tuple[int, int, float]:
    """Write through the records path's named bulk queries (one per relationship type, as
    records.write does), one transaction per batch."""
    started = time.perf_counter()
    for rows in batches(gen.nodes, batch):
        graph.write("records.upsert_nodes", rows=rows)
    by_type: dict[str, list[dict[str, Any]]] = {}
    for rel in gen.rels:
        by_type.setdefault(rel["type"], []).append(rel)
    for rel_type, rels in by_type.items():
        for rows in batches(rels, batch):
            graph.write(f"records.upsert_{rel_type.lower()}", rows=rows)
    return len(gen.nodes), len(gen.rels), time.perf_counter() - started


def wipe(graph: Graph) -> None:
    with graph.driver.session() as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
                    ).consume()


# --- timing ------------------------------------------------------------------------------------


def time_bounded(graph: Graph, harm: str) -> tuple[float, int]:
    started = time.perf_counter()
    result = escalation.escalate(graph, harm)
    return time.perf_counter() - started, result["total"]


def time_queries(graph: Graph, harm: str) -> float:
    """The bounded capability's two named queries alone (no paths, scores or sentences)."""
    params = {"as_of": time.strftime("%Y-%m-%d"), "min_rank": 1, "ranks": model.CONFIDENCE_RANK,
              "include_sensitive": False, "max_hops": escalation.DEFAULT_MAX_HOPS,
              "undated_start": ""}

    def work(tx):
        origin = tx.run("escalation.start", id=harm, org=None, **params)[0]
        tops, _ = escalation._ultimate_parents(origin["chain"])
        countries = origin["countries"]
        return tx.run("escalation.targets", products=[p["id"] for p in origin["products"]],
                      tops=sorted(tops), companies=sorted({r["id"] for r in origin["chain"]}),
                      countries=[c["id"] for c in countries],
                      harm_isos=sorted({c["iso2"] for c in countries if c.get("iso2")}),
                      harm_regions=sorted({c["region"] for c in countries if c.get("region")}),
                      start=harm, **params)

    started = time.perf_counter()
    graph.read_tx(work)
    return time.perf_counter() - started


def time_naive(graph: Graph, harm: str, timeout: float,
               paths: bool = False) -> tuple[float, int | None]:
    """The naive query: distinct targets only, or (``paths``) every target with every path,
    the shortest kept per target in Python. A timeout counts as the timeout."""
    params = {"id": harm, "ranks": model.CONFIDENCE_RANK, "min_rank": 1,
              "as_of": time.strftime("%Y-%m-%d")}
    name = "escalation_naive.escalation_paths" if paths else "escalation_naive.escalation"
    started = time.perf_counter()
    try:
        records_, _, _ = graph.driver.execute_query(
            Query(NAIVE[name].text, timeout=timeout), params, routing_=RoutingControl.READ)
        if not paths:
            return time.perf_counter() - started, len(records_[0]["targets"])
        shortest: dict[str, list] = {}
        for record in records_:
            if record["id"] not in shortest or len(record["path"]) < len(shortest[record["id"]]):
                shortest[record["id"]] = record["path"]
        return time.perf_counter() - started, len(shortest)
    except (ClientError, TransientError) as exc:
        if any(w in str(exc).lower() for w in ("timeout", "timed out", "terminated")):
            return timeout, None
        raise


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run_size(graph: Graph, size: int, queries: int, timeout: float, seed: int) -> dict:
    wipe(graph)
    gen = Generator(size, seed).generate()
    nodes, rels, seconds = write(graph, gen)
    print(f"# {size:>9,}: wrote {nodes:,} nodes and {rels:,} relationships in {seconds:.1f}s",
          file=sys.stderr, flush=True)
    rng = random.Random(seed)
    sample = rng.sample(gen.harms, min(queries, len(gen.harms)))
    for i, harm in enumerate(sample[:10]):  # warm the page cache and the plan cache
        time_bounded(graph, harm)
        time_queries(graph, harm)
        if i < 3:
            time_naive(graph, harm, timeout)
            time_naive(graph, harm, timeout, paths=True)
    bounded, queries_only, naive, naive_paths, timeouts, targets = [], [], [], [], 0, []
    for harm in sample:
        b, count = time_bounded(graph, harm)
        q = time_queries(graph, harm)
        n, naive_count = time_naive(graph, harm, timeout)
        np_, paths_count = time_naive(graph, harm, timeout, paths=True)
        bounded.append(b * 1000)
        queries_only.append(q * 1000)
        naive.append(n * 1000)
        naive_paths.append(np_ * 1000)
        targets.append(count)
        timeouts += (naive_count is None) + (paths_count is None)
    return {"size": size, "nodes": nodes, "rels": rels, "write_s": seconds, "queries": len(sample),
            "b50": pct(bounded, .5), "b95": pct(bounded, .95),
            "q50": pct(queries_only, .5), "q95": pct(queries_only, .95),
            "n50": pct(naive, .5), "n95": pct(naive, .95),
            "p50": pct(naive_paths, .5), "p95": pct(naive_paths, .95), "timeouts": timeouts,
            "targets": statistics.mean(targets)}


def table(rows: list[dict]) -> str:
    """One row per size; ratios are naive / bounded (above 1: the bounded query is faster)."""
    cols = ["nodes", "rels", "harms", "targets", "bounded p50", "bounded p95", "cypher p50",
            "cypher p95", "naive-set p50", "naive-set p95", "naive-paths p50", "naive-paths p95",
            "set/bounded p50", "set/bounded p95", "paths/bounded p50", "paths/bounded p95",
            "naive timeouts"]
    lines = ["| " + " | ".join(cols) + " |", "|" + "|".join("---:" for _ in cols) + "|"]
    for r in rows:
        cells = [f"{r['nodes']:,}", f"{r['rels']:,}", str(r["queries"]), f"{r['targets']:.1f}",
                 *(f"{r[k]:.1f} ms" for k in ("b50", "b95", "q50", "q95", "n50", "n95", "p50",
                                              "p95")),
                 f"{r['n50'] / r['b50']:.2f}x", f"{r['n95'] / r['b95']:.2f}x",
                 f"{r['p50'] / r['b50']:.2f}x", f"{r['p95'] / r['b95']:.2f}x",
                 str(r["timeouts"])]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def parse_size(text: str) -> int:
    text = text.strip().lower()
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1], 1)
    return int(float(text.rstrip("km")) * factor)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k,1M")
    parser.add_argument("--queries", type=int, default=50, help="harms timed per size")
    parser.add_argument("--naive-timeout", type=float, default=60.0, help="seconds per query")
    parser.add_argument("--instance", default="bench")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="leave the instance running")
    args = parser.parse_args()

    target = provision.start(args.instance, echo=lambda m: print(m, file=sys.stderr))
    graph = Graph(target, queries=Queries({**load(), **NAIVE}), retry_seconds=0)
    graph.init_schema()
    rows = []
    try:
        for size in [parse_size(s) for s in args.sizes.split(",")]:
            rows.append(run_size(graph, size, args.queries, args.naive_timeout, args.seed))
            print(table(rows[-1:]), file=sys.stderr, flush=True)
    finally:
        graph.close()
        if not args.keep:
            provision.stop(args.instance)
    print("Escalation: bounded = graphapp.escalation.escalate end to end; cypher = its two named "
          "queries alone; naive-set / naive-paths = unbounded variable-length Cypher returning "
          "distinct targets / every target with every path (bench/escalation_naive.cypher); "
          "ratios = naive / bounded, above 1 means the bounded query is faster")
    print(table(rows))


if __name__ == "__main__":
    main()
