"""Force layout with a fixed seed, for entity neighbourhoods and the whole graph (the same
seed gives the same picture on every export)."""

from __future__ import annotations


def positions(view) -> dict[str, tuple[float, float]]:
    """Node positions with a fixed seed: Kamada-Kawai up to 300 nodes (a spring layout seeds
    it; hubs' leaves spread evenly), above that :func:`force_layout`."""
    import networkx as nx

    n = len(view.nodes)
    if n == 0:
        return {}
    if n <= 300:
        g = nx.Graph()
        g.add_nodes_from(view.nodes)
        g.add_edges_from((e["from"], e["to"]) for e in view.edges)
        start = nx.spring_layout(g, seed=7, iterations=30)
        return nx.kamada_kawai_layout(g, pos=start)
    ids = list(view.nodes)
    index = {node_id: i for i, node_id in enumerate(ids)}
    pairs = [(index[e["from"]], index[e["to"]]) for e in view.edges
             if e["from"] in index and e["to"] in index and e["from"] != e["to"]]
    xy = force_layout(n, pairs)
    return {node_id: (float(xy[i, 0]), float(xy[i, 1])) for i, node_id in enumerate(ids)}


def force_layout(n: int, edges: list[tuple[int, int]], iterations: int = 60, seed: int = 7,
                 exact_up_to: int = 600, sample: int = 300):
    """Fruchterman-Reingold in numpy. Repulsion between all pairs up to ``exact_up_to``
    nodes; above, each iteration repels every node from a random sample of ``sample`` nodes,
    scaled up (an unbiased estimate): O(n x sample) instead of O(n^2), seconds for 5,000
    nodes where networkx's spring layout takes half a minute (bench/export.py)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2))
    k = (1.0 / n) ** 0.5
    src = np.array([a for a, _ in edges], dtype=int)
    dst = np.array([b for _, b in edges], dtype=int)
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        if n <= exact_up_to:
            others, scale = pos, 1.0
        else:
            others, scale = pos[rng.choice(n, sample, replace=False)], n / sample
        delta = pos[:, None, :] - others[None, :, :]
        dist2 = np.maximum((delta ** 2).sum(axis=2), 1e-6)
        disp = (delta * (k * k / dist2)[:, :, None]).sum(axis=1) * scale
        if len(src):
            d = pos[src] - pos[dst]
            dist = np.maximum(np.sqrt((d ** 2).sum(axis=1)), 1e-3)
            pull = d * (dist / k)[:, None]
            np.add.at(disp, src, -pull)
            np.add.at(disp, dst, pull)
        length = np.maximum(np.sqrt((disp ** 2).sum(axis=1)), 1e-9)
        pos += disp * (np.minimum(length, temperature) / length)[:, None]
        temperature -= cooling
    pos -= pos.mean(axis=0)
    return pos / max(np.abs(pos).max(), 1e-9)
