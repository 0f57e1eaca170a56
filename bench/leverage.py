"""Benchmark: look-through ownership by linear algebra vs by enumerating chains.

A generated ownership network at the scale of Vitali, Glattfelder & Battiston (2011: 600,508
nodes, 1,006,987 ownership ties), with its shape: a strongly connected core of financial
institutions that cross-hold each other and hold minority stakes in most listed companies
(with skewed, Zipf-like popularity: a few asset managers are everywhere); ultimate holders
(families, states, dispersed funds) above; listed parents; corporate groups of subsidiaries
below them (trees of wholly or majority owned companies, a few joint ventures). Deterministic
for a given --seed. Everything is timed in the same run:

1. **whole network, scipy**: build ``A`` from the edge arrays and solve ``(I - A) x = A v`` with
   graphapp.leverage.lookthrough's solver (strongly connected components, then block
   back-substitution level by level, a sparse LU only for the cycles): the network value (Vitali's
   ``Ĩ v``) of all 600k nodes, i.e. what every holder holds through every chain, cross-holdings
   included, exactly. (A general sparse LU of ``I - A``, scipy's splu, fills in ~41M entries and
   takes ~20 s on this network; this needs no fill outside the cycles.)
2. **one company, in memory**: the company's upstream subgraph (breadth-first on ``A^T``) and one
   sparse solve on it (graphapp.leverage.lookthrough.integrated_columns), for a uniform sample of
   companies.
3. **one company, through Neo4j**: ``graphapp.leverage.company_leverage`` end to end (the
   hop-by-hop bounded fetch, the solve, controller, chains, evidence), on the same network
   bulk-loaded into a dedicated Neo4j instance (``--neo4j-scale`` of it; 1.0 = all of it).
   **Whole network, through Neo4j**: ``graphapp.leverage.network_holders`` end to end (every
   active stake read in one query, the network value of every node, the top 50 with reach,
   control and caveats), checked against the in-memory solve; ``--fetch-comparison`` also
   times reading the stakes one record per stake (iterated, and as dicts).
4. **path enumeration (baseline)**: depth-first enumeration of every chain up to ``--depths`` hops
   (simple paths; the product of stakes summed per holder), for the same sample, each company
   capped at ``--cap`` seconds. Its whole-network figure is an EXTRAPOLATION: the sample's mean
   time per company times the number of companies (capped companies count at the cap, so it is
   a lower bound). Enumeration also gets the numbers wrong: it misses chains longer than the
   depth and every chain that loops through a cross-holding; the table shows by how much.

    GRAPHAPP_NEO4J_HEAP=2g GRAPHAPP_NEO4J_PAGECACHE=1g \\
      .venv/bin/python bench/leverage.py --instance levbench > /tmp/leverage-bench.txt 2>&1

The Neo4j instance is wiped first (refused for the "dev" and "test" instances).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import breadth_first_order

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graphapp import leverage  # noqa: E402
from graphapp.leverage import lookthrough  # noqa: E402
from graphapp.server import provision  # noqa: E402
from graphapp.store.cypher import Queries, load, parse  # noqa: E402
from graphapp.store.db import Graph, Tx  # noqa: E402

SOURCE = ["https://example.org/bench"]


# --- generation --------------------------------------------------------------------------------


@dataclass
class Network:
    n: int
    roots: int  # nodes [0, roots) are ultimate holders (never held)
    core: tuple[int, int]  # [start, end) of the financial core
    parents: tuple[int, int]  # listed parents
    holder: np.ndarray
    company: np.ndarray
    stake: np.ndarray  # fractions

    @property
    def edges(self) -> int:
        return len(self.holder)

    def kind(self, i: int) -> str:
        if i < self.roots:
            return "root"
        if i < self.core[1]:
            return "core"
        return "parent" if i < self.parents[1] else "subsidiary"


def _zipf_pick(rng: np.random.Generator, size: int, n: int, a: float = 1.2) -> np.ndarray:
    """Indices in [0, n) with a Zipf-like skew (index 0 the most popular)."""
    u = rng.random(size)
    return np.minimum((n * u ** (1 + 4 * (a - 1))).astype(np.int64), n - 1)


def generate(scale: float = 1.0, seed: int = 7) -> Network:
    rng = np.random.default_rng(seed)
    roots, core, parents = int(150_000 * scale), max(int(1_300 * scale), 50), int(60_000 * scale)
    subs = int(600_000 * scale) - roots - core - parents
    c0, p0, s0 = roots, roots + core, roots + core + parents
    n = s0 + subs
    h, c, w = [], [], []

    def add(hold, comp, stake):
        h.append(np.asarray(hold, dtype=np.int64))
        c.append(np.asarray(comp, dtype=np.int64))
        w.append(np.asarray(stake, dtype=float))

    # the core: cross-holdings (cycles) and dispersed ultimate holders
    k = rng.poisson(3.5, core)
    comp = np.repeat(np.arange(c0, p0), k)
    add(c0 + rng.integers(0, core, len(comp)), comp, rng.uniform(0.005, 0.04, len(comp)))
    k = 1 + rng.poisson(10, core)
    comp = np.repeat(np.arange(c0, p0), k)
    add(_zipf_pick(rng, len(comp), roots), comp, rng.uniform(0.001, 0.03, len(comp)))

    # listed parents: institutions from the core (skewed), ultimate holders, a few other parents
    k = 1 + rng.poisson(4.4, parents)
    comp = np.repeat(np.arange(p0, s0), k)
    add(c0 + _zipf_pick(rng, len(comp), core, 1.35), comp,
        np.minimum(rng.pareto(2.5, len(comp)) * 0.02 + 0.002, 0.15))
    k = rng.poisson(3.5, parents)
    comp = np.repeat(np.arange(p0, s0), k)
    block = rng.random(len(comp)) < 0.12
    add(_zipf_pick(rng, len(comp), roots), comp,
        np.where(block, rng.uniform(0.10, 0.60, len(comp)), rng.uniform(0.005, 0.05, len(comp))))
    comp = np.arange(p0 + 1, s0)[rng.random(parents - 1) < 0.15]
    add(p0 + (rng.random(len(comp)) * (comp - p0)).astype(np.int64), comp,
        rng.uniform(0.05, 0.30, len(comp)))

    # subsidiaries: groups under parents (Zipf sizes), each a tree; some joint ventures
    group = np.sort(_zipf_pick(rng, subs, parents, 1.25))
    sub_ids = np.arange(s0, n)
    starts = np.searchsorted(group, group, side="left")  # first subsidiary of my group
    pos = np.arange(subs) - starts  # my position within the group
    to_parent = (pos == 0) | (rng.random(subs) < 0.5)
    earlier = s0 + starts + (rng.random(subs) * np.maximum(pos, 1)).astype(np.int64)
    main_holder = np.where(to_parent, p0 + group, earlier)
    whole = rng.random(subs) < 0.6
    main_stake = np.where(whole, 1.0, rng.uniform(0.51, 0.99, subs))
    add(main_holder, sub_ids, main_stake)
    jv = (~whole) & (rng.random(subs) < 0.35)
    partner_root = rng.random(jv.sum()) < 0.5
    partner = np.where(partner_root, _zipf_pick(rng, jv.sum(), roots),
                       p0 + rng.integers(0, parents, jv.sum()))
    add(partner, sub_ids[jv], (1 - main_stake[jv]) * rng.uniform(0.3, 1.0, jv.sum()))

    holder, company, stake = np.concatenate(h), np.concatenate(c), np.concatenate(w)
    keep = holder != company
    holder, company, stake = holder[keep], company[keep], stake[keep]
    # one tie per (holder, company)
    key = holder * n + company
    _, first = np.unique(key, return_index=True)
    holder, company, stake = holder[first], company[first], stake[first]
    # no company may be more than 95% held by outside... except wholly owned subsidiaries
    sums = np.bincount(company, weights=stake, minlength=n)
    cap = np.where(np.arange(n) >= s0, 1.0, 0.95)
    factor = np.where(sums > cap, cap / np.maximum(sums, 1e-12), 1.0)
    stake = stake * factor[company]
    return Network(n, roots, (c0, p0), (p0, s0), holder, company, stake)


def matrix(net: Network) -> sp.csr_matrix:
    return sp.csr_matrix((net.stake, (net.holder, net.company)), shape=(net.n, net.n))


# --- the linear model ----------------------------------------------------------------------------


def whole_network(net: Network, value: np.ndarray) -> dict:
    """Ĩv for every node with graphapp.leverage.lookthrough's solver, phase by phase."""
    t0 = time.perf_counter()
    a = matrix(net)
    t1 = time.perf_counter()
    solver = lookthrough._Solver(a)  # cycles, levels, the cycles' LU
    t2 = time.perf_counter()
    nv = solver.solve(np.asarray(a @ value).ravel())
    t3 = time.perf_counter()
    residual = float(np.abs(nv - a @ nv - a @ value).max())
    return {"build_s": t1 - t0, "prepare_s": t2 - t1, "solve_s": t3 - t2, "total_s": t3 - t0,
            "levels": len(solver.levels), "residual": residual,
            "cycle_nodes": int(sum(len(b) for _, _, cycles in solver.levels for b, _ in cycles)),
            "network_value": nv}


def upstream_lookthrough(a: sp.csr_matrix, at: sp.csr_matrix, company: int) -> dict[int, float]:
    """One company's exact look-through: its upstream subgraph, then one sparse solve."""
    nodes = breadth_first_order(at, company, directed=True, return_predecessors=False)
    sub = a[nodes][:, nodes]
    col = lookthrough.integrated_columns(sub.tocsr(), [0])[:, 0]  # nodes[0] is the company
    return {int(nodes[i]): float(col[i]) for i in np.flatnonzero(col > 0)}


# --- the baseline: enumerate chains ---------------------------------------------------------------


def enumerate_chains(at: sp.csr_matrix, company: int, depth: int, cap_s: float
                     ) -> tuple[dict[int, float], int, bool]:
    """Every simple chain holder -> ... -> company of at most ``depth`` hops, products summed.
    Returns (stake per holder, chains enumerated, capped)."""
    indptr, indices, data = at.indptr, at.indices, at.data
    totals: dict[int, float] = {}
    chains = 0
    deadline = time.perf_counter() + cap_s
    on_path = {company}
    stack = [(company, 1.0, 0, indptr[company])]  # node, product, depth, next edge position
    while stack:
        node, product, d, k = stack[-1]
        if k >= indptr[node + 1] or d >= depth:
            stack.pop()
            on_path.discard(node)
            continue
        stack[-1] = (node, product, d, k + 1)
        holder = int(indices[k])
        if holder in on_path:
            continue
        p = product * data[k]
        totals[holder] = totals.get(holder, 0.0) + p
        chains += 1
        if chains % 4096 == 0 and time.perf_counter() > deadline:
            return totals, chains, True
        on_path.add(holder)
        stack.append((holder, p, d + 1, indptr[holder]))
    return totals, chains, False


# --- Neo4j ---------------------------------------------------------------------------------------


def node_id(net: Network, i: int) -> str:
    return f"{net.kind(i)[0]}{i}"


def load_neo4j(graph: Graph, net: Network, scale: float, batch: int = 20_000
               ) -> tuple[Network, float]:
    """Wipe, then bulk-create the first ``scale`` of the nodes and the ties among them
    (bench/leverage_load.cypher: CREATE with static labels; MERGE-based records.upsert_* is
    the app's idempotent path and far slower for a million ties)."""
    if scale < 1.0:
        limit = int(net.n * scale)
        keep = (net.company < limit) & (net.holder < limit)
        net = Network(limit, min(net.roots, limit), net.core, net.parents, net.holder[keep],
                      net.company[keep], net.stake[keep])
    t0 = time.perf_counter()
    graph.write_autocommit("records.delete_all")
    graph.init_schema()
    groups = (("leverage_load.create_people", 0, net.roots // 2),
              ("leverage_load.create_investor_companies", net.roots // 2, net.core[1]),
              ("leverage_load.create_companies", net.core[1], net.n))
    for query, lo, hi in groups:
        for start in range(lo, min(hi, net.n), batch):
            rows = [{"id": node_id(net, i), "name": node_id(net, i)}
                    for i in range(start, min(hi, net.n, start + batch))]
            graph.write(query, rows=rows)
    for start in range(0, net.edges, batch):
        end = min(net.edges, start + batch)
        rows = [{"from": node_id(net, int(h)), "to": node_id(net, int(c)),
                 "pct": round(float(w) * 100, 9)}
                for h, c, w in zip(net.holder[start:end], net.company[start:end],
                                   net.stake[start:end], strict=True)]
        graph.write("leverage_load.create_stakes", rows=rows, sources=SOURCE)
    return net, time.perf_counter() - t0


def whole_network_through_neo4j(graph: Graph, top: int = 50) -> dict:
    """``leverage.network_holders`` end to end on whatever ``graph`` holds (for bench/run.py):
    seconds, nodes and stakes read, the capability's own phases, and the result."""
    t0 = time.perf_counter()
    result = leverage.network_holders(graph, top=top, include_sensitive=True)
    return {"seconds": time.perf_counter() - t0, "nodes": result["nodes"],
            "stakes": result["stakes"], "phases": result["timings"], "result": result}


def fetch_as_rows(graph: Graph, as_dicts: bool) -> float:
    """Seconds to read every active stake one record per stake (bench/leverage_fetch.cypher),
    iterated (``as_dicts`` False) or as Tx.run's list of dicts."""
    def work(tx: Tx) -> int:
        if as_dicts:
            return len(tx.run("leverage_fetch.stakes_as_rows", as_of=None))
        rows = tx.tx.run(tx.queries["leverage_fetch.stakes_as_rows"].text, as_of=None)
        return sum(1 for _ in rows)

    t0 = time.perf_counter()
    graph.read_tx(work)
    return time.perf_counter() - t0


# --- the run -------------------------------------------------------------------------------------


def fmt_s(seconds: float) -> str:
    if seconds >= 3600:
        return f"{seconds / 3600:,.1f} h"
    if seconds >= 60:
        return f"{seconds / 60:.1f} min"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    return f"{seconds * 1000:.2f} ms"


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scale", type=float, default=1.0, help="1.0 = 600k nodes, ~1M ties")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--sample", type=int, default=60, help="companies sampled for rows 2 and 4")
    ap.add_argument("--depths", default="8,10,12", help="path enumeration depth bounds")
    ap.add_argument("--cap", type=float, default=10.0, help="seconds per company, enumeration")
    ap.add_argument("--instance", default=None, help="Neo4j instance for row 3 (wiped!)")
    ap.add_argument("--neo4j-scale", type=float, default=1.0)
    ap.add_argument("--neo4j-sample", type=int, default=20)
    ap.add_argument("--fetch-comparison", action="store_true",
                    help="also time reading the stakes one record per stake (~1 min more)")
    ap.add_argument("--json", default=None, help="also write the figures to this file")
    args = ap.parse_args()
    depths = [int(d) for d in args.depths.split(",")]
    out: dict = {"args": vars(args)}

    t = time.perf_counter()
    net = generate(args.scale, args.seed)
    companies = net.n - net.roots
    print(f"generated {net.n:,} nodes ({companies:,} companies, {net.roots:,} ultimate "
          f"holders, core of {net.core[1] - net.core[0]:,}), {net.edges:,} ownership ties "
          f"in {fmt_s(time.perf_counter() - t)}", flush=True)
    indeg = np.bincount(net.company, minlength=net.n)[net.roots:]
    outdeg = np.bincount(net.holder, minlength=net.n)
    print(f"  holders per company: median {np.median(indeg):.0f}, max {indeg.max():,}; "
          f"holdings per holder: median {np.median(outdeg[outdeg > 0]):.0f}, "
          f"max {outdeg.max():,}", flush=True)

    rng = np.random.default_rng(args.seed + 1)
    value = rng.lognormal(3, 2, net.n)
    value[: net.roots] = 0
    whole = whole_network(net, value)
    print(f"whole network (scipy): build {fmt_s(whole['build_s'])}, cycles and levels "
          f"{fmt_s(whole['prepare_s'])}, solve {fmt_s(whole['solve_s'])}, residual "
          f"{whole['residual']:.2g}", flush=True)

    a = matrix(net)
    at = a.T.tocsr()
    sample = rng.choice(np.arange(net.roots, net.n), size=args.sample, replace=False)
    lin_t, upstream = [], []
    enum = {d: {"t": [], "chains": [], "capped": 0, "errors": []} for d in depths}
    for i, comp in enumerate(sample):
        t0 = time.perf_counter()
        exact = upstream_lookthrough(a, at, int(comp))
        lin_t.append(time.perf_counter() - t0)
        upstream.append(len(exact))
        line = (f"  sample {i + 1}/{len(sample)}: {net.kind(int(comp))} {comp}: upstream "
                f"{len(exact):,} holders, linear {fmt_s(lin_t[-1])}")
        for d in depths:
            t0 = time.perf_counter()
            approx, chains, was_capped = enumerate_chains(at, int(comp), d, args.cap)
            e = enum[d]
            e["t"].append(time.perf_counter() - t0)
            e["chains"].append(chains)
            e["capped"] += was_capped
            e["errors"].append(max((abs(exact.get(h, 0.0) - approx.get(h, 0.0))
                                    for h in set(exact) | set(approx)), default=0.0))
            line += (f"; depth {d}: {fmt_s(e['t'][-1])}, {chains:,} chains"
                     f"{' CAPPED' if was_capped else ''}, error {e['errors'][-1] * 100:.2g} pts")
        print(line, flush=True)

    neo = None
    if args.instance:
        if args.instance in ("dev", "test"):
            sys.exit("refusing to wipe the dev or test instance")
        queries = Queries({**load(), **parse(Path(__file__).with_name("leverage_load.cypher")),
                           **parse(Path(__file__).with_name("leverage_fetch.cypher"))})
        graph = Graph(provision.start(args.instance, echo=lambda m: print(m, flush=True)),
                      queries=queries, retry_seconds=60)
        loaded, load_s = load_neo4j(graph, net, args.neo4j_scale)
        print(f"loaded {loaded.n:,} nodes and {loaded.edges:,} ties into Neo4j "
              f"({args.instance}) in {fmt_s(load_s)}", flush=True)
        la = sp.csr_matrix((loaded.stake, (loaded.holder, loaded.company)),
                           shape=(loaded.n, loaded.n))
        lat = la.T.tocsr()
        whole_neo = whole_network_through_neo4j(graph)
        exact_nv = lookthrough.network_value(la, np.ones(loaded.n))
        whole_neo["max_err"] = max(
            abs(h["economic_value"] - exact_nv[int(h["holder"]["id"][1:])])
            for h in whole_neo.pop("result")["holders"])
        print(f"whole network through Neo4j: {fmt_s(whole_neo['seconds'])} for "
              f"{whole_neo['nodes']:,} nodes and {whole_neo['stakes']:,} stakes ("
              + ", ".join(f"{k[:-2]} {fmt_s(v)}" for k, v in whole_neo["phases"].items())
              + f"); top 50 differ from the in-memory solve by at most "
              f"{whole_neo['max_err']:.2g} companies", flush=True)
        if args.fetch_comparison:
            whole_neo["fetch_rows_s"] = fetch_as_rows(graph, as_dicts=False)
            whole_neo["fetch_dicts_s"] = fetch_as_rows(graph, as_dicts=True)
            print(f"  reading the stakes one record per stake: iterated "
                  f"{fmt_s(whole_neo['fetch_rows_s'])}, as dicts "
                  f"{fmt_s(whole_neo['fetch_dicts_s'])} (one record of lists: "
                  f"{fmt_s(whole_neo['phases']['read_s'])})", flush=True)
        neo_sample = rng.choice(np.arange(loaded.roots, loaded.n), size=args.neo4j_sample,
                                replace=False)
        neo_t, neo_err, neo_up = [], [], []
        for comp in neo_sample:
            t0 = time.perf_counter()
            result = leverage.company_leverage(graph, node_id(loaded, int(comp)), max_depth=12,
                                               include_sensitive=True)
            neo_t.append(time.perf_counter() - t0)
            exact = upstream_lookthrough(la, lat, int(comp))
            got = {r["holder"]["id"]: (r["economic_pct"] or r["economic_min_pct"]) / 100
                   for r in result["look_through"]}
            neo_up.append(len(got))
            neo_err.append(max((abs(got.get(node_id(loaded, h), 0.0) - x)
                                for h, x in exact.items()), default=0.0))
            print(f"  neo4j {node_id(loaded, int(comp))}: {len(got):,} holders in "
                  f"{fmt_s(neo_t[-1])}, max diff from exact {neo_err[-1] * 100:.3g} points"
                  f"{' (truncated at 12 hops)' if result['truncated'] else ''}", flush=True)
        graph.close()
        neo = {"nodes": loaded.n, "edges": loaded.edges, "load_s": load_s, "times": neo_t,
               "max_err": max(neo_err), "median_upstream": statistics.median(neo_up),
               "whole": whole_neo}

    # --- the table ---
    lin_all = whole["total_s"]
    mean_lin = statistics.fmean(lin_t)
    rows = []
    for d in depths:
        e = enum[d]
        extrapolated = statistics.fmean(e["t"]) * companies
        e["extrapolated_s"] = extrapolated
        bound = "≥" if e["capped"] else "≈"
        rows.append((f"Whole network (Ĩv, all {net.n:,} nodes); enumeration to depth {d}",
                     fmt_s(lin_all), f"{bound} {fmt_s(extrapolated)} (extrapolated*)",
                     f"{bound} {extrapolated / lin_all:,.0f}x"))
    rows.append((f"Every company's table one by one ({companies:,}); enumeration to depth "
                 f"{depths[-1]}", f"≈ {fmt_s(mean_lin * companies)} (extrapolated*)",
                 f"{'≥' if enum[depths[-1]]['capped'] else '≈'} "
                 f"{fmt_s(enum[depths[-1]]['extrapolated_s'])} (extrapolated*)",
                 f"{'≥' if enum[depths[-1]]['capped'] else '≈'} "
                 f"{enum[depths[-1]]['extrapolated_s'] / (mean_lin * companies):,.1f}x"))
    for d in depths:
        e = enum[d]
        for q in (50, 95):
            rows.append((f"One company, in memory, p{q} of {len(sample)}; enumeration to "
                         f"depth {d}", fmt_s(pct(lin_t, q)), fmt_s(pct(e["t"], q)),
                         f"{pct(e['t'], q) / pct(lin_t, q):,.1f}x"))
    if neo:
        rows.append((f"Whole network through Neo4j (network_holders: read {neo['edges']:,} "
                     "ties, network value of all, top 50)", fmt_s(neo["whole"]["seconds"]),
                     "-", "-"))
        rows.append((f"One company through Neo4j ({neo['nodes']:,} nodes, {neo['edges']:,} "
                     f"ties), p50 / p95 of {len(neo['times'])}",
                     f"{fmt_s(pct(neo['times'], 50))} / {fmt_s(pct(neo['times'], 95))}",
                     "-", "-"))
    width = max(len(r[0]) for r in rows)
    w2 = max(22, *(len(r[1]) for r in rows))
    w3 = max(30, *(len(r[2]) for r in rows))
    print()
    print(f"Look-through ownership at Vitali scale: {net.n:,} nodes, {net.edges:,} ties "
          f"(seed {args.seed})")
    print(f"| {'what':<{width}} | {'linear model (scipy)':>{w2}} | "
          f"{'path enumeration (Python DFS)':>{w3}} | {'ratio':>11} |")
    print(f"|{'-' * (width + 2)}|{'-' * (w2 + 2)}|{'-' * (w3 + 2)}|{'-' * 13}|")
    for r in rows:
        print(f"| {r[0]:<{width}} | {r[1]:>{w2}} | {r[2]:>{w3}} | {r[3]:>11} |")
    print()
    print(f"Whole network, linear: build A {fmt_s(whole['build_s'])} + strongly connected "
          f"components, {whole['levels']} levels and the sparse LU of the cycles "
          f"({whole['cycle_nodes']:,} nodes) {fmt_s(whole['prepare_s'])} + block "
          f"back-substitution {fmt_s(whole['solve_s'])}; exact, cycles included (max residual "
          f"|x - A x - A v| = {whole['residual']:.2g}).")
    print(f"* Extrapolated, not run: the mean time per company over {len(sample)} uniformly "
          f"sampled companies x {companies:,} companies. A company that hit the {args.cap:g} s "
          "enumeration cap counts at the cap, so those figures (≥) are lower bounds.")
    print(f"Upstream holders per company: median {statistics.median(upstream):,.0f}, "
          f"max {max(upstream):,}.")
    for d in depths:
        e = enum[d]
        print(f"Enumeration to depth {d}: chains per company median "
              f"{statistics.median(e['chains']):,.0f}, max {max(e['chains']):,}; "
              f"{e['capped']} of {len(sample)} capped; error vs the exact solve (simple paths, "
              f"cycles cut, depth bound) max {max(e['errors']) * 100:.3g} percentage points, "
              f"median {statistics.median(e['errors']) * 100:.3g}.")
    if neo:
        print(f"Neo4j: bulk-loaded (bench/leverage_load.cypher) in {fmt_s(neo['load_s'])}; "
              "graphapp.leverage.company_leverage end to end (hop-by-hop bounded upstream "
              "fetch, max_depth 12, + solve + controller + chains with evidence); median "
              f"{neo['median_upstream']:,.0f} holders per company; max difference from the "
              f"exact in-memory answer {neo['max_err'] * 100:.3g} percentage points.")
    out.update({"nodes": net.n, "edges": net.edges, "whole": {k: v for k, v in whole.items()
                                                              if k != "network_value"},
                "linear_s": lin_t, "enumeration": {str(d): e for d, e in enum.items()},
                "neo4j": neo})
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2, default=float))


if __name__ == "__main__":
    main()
