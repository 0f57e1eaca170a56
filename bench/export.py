"""Export benchmark: time and file size per format for 100, 1,000 and 5,000-node views.

The views are generated in memory (a seeded random graph shaped like graphapp's: every label,
ownership trees plus cross links, evidence and sources on every relationship), so this times
rendering alone; building a view from Neo4j is one or two bounded queries on top
(``exports.relationships_among`` over the view's ids).

    .venv/bin/python bench/export.py                  # 100, 1000, 5000 nodes, every format
    .venv/bin/python bench/export.py --sizes 100 1000 --formats html png
    .venv/bin/python bench/export.py --sizes 5000 --formats html --ladder 100  # the targets
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graphapp import exports
from graphapp.exports import formats as export_formats

REL_TYPES = ("OWNS", "CONTROLS", "HOLDS_ROLE", "MEMBER_OF", "OPERATES", "INVOLVES")


def generated_view(n: int, seed: int = 7) -> exports.View:
    """``n`` nodes and about 1.5 ``n`` relationships, with properties and evidence."""
    rng = random.Random(seed)
    labels = list(export_formats.STYLES)
    view = exports.View("graph", f"Generated graph, {n:,} nodes", "Benchmark view")
    for i in range(n):
        label = labels[i % len(labels)]
        name = f"{label} {i} " + rng.choice(["Holdings", "Ltd", "Team", "Forum", "Watch"])
        view.nodes[f"n{i}"] = {
            "id": f"n{i}", "labels": [label], "label": label, "name": name,
            "props": {"name": name, "description": f"Generated {label.lower()} number {i}.",
                      "aliases": [f"N{i}", f"Node {i}"], "jurisdiction": "US",
                      "sources": [f"https://example.org/{i}"]},
            "extra": {}, "redacted": False,
        }
    edges = [(rng.randrange(i), i) for i in range(1, n)]
    edges += [tuple(rng.sample(range(n), 2)) for _ in range(n // 2)]
    for a, b in edges:
        view.edges.append({"from": f"n{a}", "to": f"n{b}", "type": rng.choice(REL_TYPES),
                           "props": {"confidence": rng.choice(("confirmed", "reported",
                                                               "alleged")),
                                     "sources": [f"https://example.org/r/{a}-{b}"],
                                     "start_date": "2019", "economic_pct": 12.5},
                           "redacted": False})
    return view


LADDER_RUNGS = (("local", "Team"), ("subsidiary", "Company"), ("team", "Team"),
                ("person", "Person"), ("leadership", "Person"), ("investor", "Company"),
                ("regulator", "Regulator"), ("forum", "Forum"))


def generated_ladder(n: int, seed: int = 7) -> exports.View:
    """An escalation view of ``n`` nodes: a harm, its product, one headquarters, and targets
    spread over every rung (each tied to the headquarters or the product), ranked."""
    rng = random.Random(seed)
    view = exports.View("escalation", f"Generated ladder, {n} nodes", "Benchmark ladder",
                        filters={"harm": "harm"})

    def add(node_id, label, name, rung, rank=None):
        view.nodes[node_id] = {"id": node_id, "labels": [label], "label": label, "name": name,
                               "props": {"name": name,
                                         "sources": [f"https://example.org/{node_id}"]},
                               "extra": {"rung": rung, "rank": rank}, "redacted": False}

    add("harm", "Harm", "Generated harm in a far country", "start")
    add("app", "Product", "Generated app", "on the way")
    add("hq", "Company", "Generated Platforms, Inc.", "headquarters", 1)
    view.edges += [{"from": "harm", "to": "app", "type": "INVOLVES", "props": {},
                    "redacted": False},
                   {"from": "hq", "to": "app", "type": "OPERATES", "props": {}, "redacted": False}]
    types = {"local": "PART_OF", "subsidiary": "OWNS", "team": "RESPONSIBLE_FOR",
             "person": "HOLDS_ROLE", "leadership": "HOLDS_ROLE", "investor": "OWNS",
             "regulator": "OVERSEES", "forum": "MEMBER_OF"}
    for i in range(n - 3):
        rung, label = LADDER_RUNGS[i % len(LADDER_RUNGS)]
        node_id = f"t{i}"
        add(node_id, label, f"{label} {i} " + rng.choice(["Holdings", "Office", "Board",
                                                          "Authority", "Forum"]), rung, i + 2)
        kind = types[rung]
        a, b = (node_id, "app") if rung == "team" else (node_id, "hq")
        if rung == "subsidiary":
            a, b = "hq", node_id
        if rung == "forum":
            a, b = "hq", node_id
        view.edges.append({"from": a, "to": b, "type": kind,
                           "props": {"confidence": "reported", "economic_pct": 5.0,
                                     "sources": [f"https://example.org/r/{i}"]},
                           "redacted": False})
    return view


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--formats", nargs="+", default=list(exports.FORMATS))
    parser.add_argument("--image-size", default="slide", choices=list(export_formats.SIZES))
    parser.add_argument("--ladder", type=int, nargs="*", default=[100],
                        help="also draw generated escalation ladders of these many nodes")
    args = parser.parse_args()

    rows = []
    views = [(f"{n}", generated_view(n)) for n in args.sizes]
    views += [(f"{n} ladder", generated_ladder(n)) for n in args.ladder]
    for n, view in views:
        for fmt in args.formats:
            started, cpu = time.perf_counter(), time.process_time()
            content = export_formats.render(view, fmt, size=args.image_size)
            seconds = time.perf_counter() - started
            cpu = time.process_time() - cpu
            rows.append((n, len(view.edges), fmt, seconds, cpu, len(content)))
            print(f"  {n:>10} nodes {fmt:<8} {seconds:8.2f} s {len(content) / 1e6:9.2f} MB",
                  file=sys.stderr, flush=True)

    print(f"\nExport rendering, image size {args.image_size} "
          f"({export_formats.SIZES[args.image_size]['what']}); one run each; wall-clock and "
          "CPU seconds of this process (CPU is steadier on a busy machine)")
    print(f"| {'nodes':>10} | {'edges':>6} | {'format':<8} | {'wall s':>7} | {'CPU s':>6} "
          f"| {'size':>9} |")
    print(f"|{'-' * 11}:|{'-' * 7}:|{'-' * 9}-|{'-' * 8}:|{'-' * 7}:|{'-' * 10}:|")
    for n, m, fmt, seconds, cpu, size in rows:
        shown = f"{size / 1e6:.2f} MB" if size >= 1e5 else f"{size / 1e3:.1f} kB"
        print(f"| {n:>10} | {m:>6} | {fmt:<8} | {seconds:>7.2f} | {cpu:>6.2f} | {shown:>9} |")


if __name__ == "__main__":
    main()
