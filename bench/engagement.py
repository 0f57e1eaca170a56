"""Engagement reads at scale: overdue list, a company's responsiveness, a harm's ladder.

    .venv/bin/python bench/engagement.py --instance eng --wipe [--engagements 10000 100000]

For each size N it wipes the database and writes a generated graph: 50 companies (each with
4 teams and 20 people holding roles), 200 harms, 20 organisations, and N engagements, each BY
one organisation, TO one company, team or person, ABOUT one harm, with random dates and
statuses (a fifth of them answered with a response date). Then it times, warm (best of 3):
``engagement.overdue_page`` (the dashboard's first and 60th page of 50 overdue engagements,
with the count), the whole overdue CSV as the download streams it (and the most Python memory
it held, by tracemalloc), the ``/engagements`` page through the Flask test client of a new app
(first request and warm), ``engagement.responsiveness``
of one company (about N/50 engagements), ``engagement.standing.ladder`` of one harm (escalation plus
the engagements about it), and ``engagement.turnover``. The database is wiped: point
``--instance`` at a throwaway local instance.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graphapp import engagement
from graphapp.engagement import standing
from graphapp.server import provision
from graphapp.store import records
from graphapp.store.db import Graph

SRC = ["https://example.org/bench"]


def generate(n: int, seed: int = 7) -> records.Records:
    rng = random.Random(seed)
    nodes, rels = [], []

    def rel(t, a, b, **extra):
        rels.append({"type": t, "from_": a, "to": b, "confidence": "confirmed",
                     "sources": SRC, **extra})

    for c in range(50):
        nodes.append({"label": "Company", "id": f"c{c}", "name": f"Company {c}"})
        nodes.append({"label": "Product", "id": f"p{c}", "name": f"Product {c}"})
        rel("OPERATES", f"c{c}", f"p{c}")
        for t in range(4):
            tid = f"c{c}t{t}"
            nodes.append({"label": "Team", "id": tid, "name": f"Team {tid}",
                          "function": ["policy", "product", "local_office", "board"][t],
                          "scope": ["regional", "global", "country", None][t]})
            rel("PART_OF", tid, f"c{c}")
        for p in range(20):
            pid = f"c{c}p{p}"
            nodes.append({"label": "Person", "id": pid, "name": f"Person {pid}"})
            ended = p % 10 == 0
            rel("HOLDS_ROLE", pid, f"c{c}t{p % 4}", title=f"Role {p % 5}", kind="manager",
                start_date="2020", **({"end_date": "2024-06"} if ended else {}))
    for h in range(200):
        nodes.append({"label": "Harm", "id": f"h{h}", "name": f"Harm {h}",
                      "harm_type": "hate_speech"})
        rel("INVOLVES", f"h{h}", f"p{h % 50}")
    for o in range(20):
        nodes.append({"label": "Organization", "id": f"o{o}", "name": f"Org {o}"})
    targets = ([f"c{c}" for c in range(50)] + [f"c{c}t{t}" for c in range(50) for t in range(4)]
               + [f"c{c}p{p}" for c in range(50) for p in range(20)])
    for i in range(n):
        y, m, d = rng.randint(2019, 2026), rng.randint(1, 12), rng.randint(1, 28)
        status = rng.choice(["sent", "sent", "responded", "no_response", "declined"])
        node = {"label": "Engagement", "id": f"e{i}", "name": f"Letter {i}", "kind": "letter",
                "date": f"{y}-{m:02d}-{d:02d}", "status": status, "sources": SRC}
        if status in ("responded", "declined"):
            node["response_date"] = f"{y + rng.randint(0, 1)}-{m:02d}"
        nodes.append(node)
        rel("BY", f"e{i}", f"o{i % 20}")
        rel("TO", f"e{i}", rng.choice(targets))
        rel("ABOUT", f"e{i}", f"h{i % 200}")
    for n_ in nodes:
        n_.setdefault("extra_labels", [])
        n_.setdefault("sensitive", False)
        if n_.get("scope") is None:
            n_.pop("scope", None)
    return records.Records(nodes=nodes, relationships=rels)


def best(fn, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def once(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def csv_all(graph) -> int:
    """The whole overdue CSV, as the download streams it; its size in characters."""
    return sum(map(len, engagement.overdue_csv(engagement.overdue_rows(graph, as_of=AS_OF))))


def csv_peak(graph) -> float:
    """The most Python memory (MB, tracemalloc) the whole overdue CSV held at once."""
    tracemalloc.start()
    csv_all(graph)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1e6


def dashboard(target) -> tuple[float, float]:
    """``/engagements`` read anonymously (a viewer) through the Flask test client of a new
    app: the first request, and warm (best of 3)."""
    from graphapp import create_app

    app = create_app({"NEO4J_TARGET": target, "SECRET_KEY": "bench",
                      "GRAPHAPP_PUBLIC_READ": True})
    client = app.test_client()

    def get():
        response = client.get(f"/engagements?as_of={AS_OF}")
        assert response.status_code == 200, response.status_code

    return once(get), best(get)


AS_OF = "2026-11-29"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--instance", default="eng")
    ap.add_argument("--wipe", action="store_true", help="required: the database is wiped")
    ap.add_argument("--engagements", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--reuse", action="store_true",
                    help="measure the graph an earlier run wrote (one size: the last it wrote)")
    args = ap.parse_args()
    if not args.wipe and not args.reuse:
        sys.exit("This benchmark wipes the database: pass --wipe (and a throwaway --instance).")
    target = provision.start(args.instance)
    graph = Graph(target)
    graph.init_schema()
    print("| engagements | overdue rows | overdue page 1 (50 rows and the count) | page 60 "
          "| CSV, all rows (streamed) | CSV peak Python memory | `/engagements` first, warm "
          "| responsiveness (1 company) | ladder (1 harm) | turnover |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in args.engagements:
        if not args.reuse:
            graph.write_autocommit("records.delete_all")
            records.write(graph, generate(n))
        graph.read("engagement.engagements", ids=None, harm=None, org=None, target=None,
                   as_of=None, versions=True, include_sensitive=False, limit=10)  # warm
        rows = engagement.overdue_page(graph, as_of=AS_OF)["total"]
        t_page = best(lambda: engagement.overdue_page(graph, as_of=AS_OF))
        t_page60 = best(lambda: engagement.overdue_page(graph, page=60, as_of=AS_OF))
        t_csv = best(lambda: csv_all(graph))
        peak = csv_peak(graph)
        first, warm = dashboard(target)
        t_resp = best(lambda: engagement.responsiveness(graph, "c7", as_of=AS_OF))
        t_lad = best(lambda: standing.ladder(graph, "h7", as_of=AS_OF))
        t_turn = best(lambda: engagement.turnover(graph, as_of=AS_OF))
        print(f"| {n:,} | {rows:,} | {t_page * 1000:,.0f} ms | {t_page60 * 1000:,.0f} ms "
              f"| {t_csv * 1000:,.0f} ms | {peak:,.1f} MB "
              f"| {first * 1000:,.0f} ms, {warm * 1000:,.0f} ms "
              f"| {t_resp * 1000:,.0f} ms | {t_lad * 1000:,.0f} ms | {t_turn * 1000:,.0f} ms |",
              flush=True)
    graph.close()


if __name__ == "__main__":
    main()
