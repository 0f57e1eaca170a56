"""Look-through ownership and control, as linear algebra: pure functions, no database.

The model is the one of Vitali, Glattfelder & Battiston, "The Network of Global Corporate
Control" (PLoS ONE 6(10): e25995, 2011, and its Supporting Information). ``A[i, j]`` is the
fraction of company ``j`` held directly by ``i``. The *integrated* (look-through) ownership of
``i`` in ``j`` sums, over every chain ``i -> k1 -> ... -> j``, the product of the stakes along it:

    Ĩ = A + A² + A³ + ... = (I - A)^-1 A

Cross-holdings make chains loop; the series still converges whenever the stakes around every
cycle leave something to outsiders (spectral radius of A below 1), and the solve gives the
exact sum of the infinite series. Nothing here enumerates paths: ``I - A`` is solved by block
back-substitution over the cycles' DAG (see ``_Solver``), one pass for every column asked for.

Economic and voting interest are separate matrices. A stake known only as a range
(``pct_min``/``pct_max``) enters a *lower* and an *upper* matrix; because every term of the
series is a product of non-negative stakes, Ĩ grows with A, so ``Ĩ(lower) <= Ĩ <= Ĩ(upper)``
bounds the look-through of every holder. An exact stake has lower == upper.

Conventions (also in docs/leverage.md):

- Percentages in the graph (0-100) become fractions (0-1) here, and go back to % on output.
- Several OWNS relationships between the same two nodes (e.g. share classes) add up.
- ``voting_pct`` missing: the voting interest is taken equal to the economic one (one share,
  one vote) and the result says ``voting_assumed``.
- No exact ``economic_pct``: ``[pct_min or 0, pct_max or 100]``. An upper bound is tightened
  to what the other holders' lower bounds leave: ``hi_ij <= 1 - sum_{k != i} lo_kj``.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import splu

EPS = 1e-9
MAJORITY = 0.5


@dataclass(frozen=True)
class Stake:
    """One direct stake, in percent as the graph stores it (None: not stated)."""

    holder: str
    company: str
    economic_pct: float | None = None
    voting_pct: float | None = None
    pct_min: float | None = None
    pct_max: float | None = None


@dataclass(frozen=True)
class Bounds:
    """A stake as fractions: economic and voting, each as [lo, hi]."""

    econ_lo: float
    econ_hi: float
    vote_lo: float
    vote_hi: float
    voting_assumed: bool


def stake_bounds(stake: Stake) -> Bounds:
    """The [lo, hi] fractions of one direct stake (see the module's conventions)."""
    if stake.economic_pct is not None:
        e_lo = e_hi = stake.economic_pct / 100
    else:
        e_lo = (stake.pct_min if stake.pct_min is not None else 0.0) / 100
        e_hi = (stake.pct_max if stake.pct_max is not None else 100.0) / 100
    if stake.voting_pct is not None:
        return Bounds(e_lo, e_hi, stake.voting_pct / 100, stake.voting_pct / 100, False)
    return Bounds(e_lo, e_hi, e_lo, e_hi, True)


@dataclass
class Network:
    """Nodes and the stake matrices (``[holder, company]``, fractions) of an ownership graph."""

    ids: list[str]
    index: dict[str, int]
    econ_lo: sp.csr_matrix
    econ_hi: sp.csr_matrix
    vote_lo: sp.csr_matrix
    vote_hi: sp.csr_matrix
    links: sp.csr_matrix  # 1 wherever a stake exists, whatever its size (for reachability)
    voting_assumed: set[tuple[str, str]] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)
    _columns: dict[tuple[str, int], np.ndarray | None] = field(default_factory=dict, repr=False)

    def column(self, matrix: str, target: int, strict: bool = True) -> np.ndarray | None:
        """Column ``target`` of Ĩ for one of the four matrices (``econ_lo``, ...), computed once.
        ``strict``: raise NotConvergent; else None when the series has no finite sum."""
        key = (matrix, target)
        if key not in self._columns:
            try:
                self._columns[key] = integrated_columns(getattr(self, matrix), [target])[:, 0]
            except NotConvergent:
                self._columns[key] = None
        col = self._columns[key]
        if col is None and strict:
            raise NotConvergent("cross-holdings leave nothing outside a cycle; "
                                "no finite look-through")
        return col

    @property
    def size(self) -> int:
        return len(self.ids)


def _tighten(lo: sp.csr_matrix, hi: sp.csr_matrix) -> sp.csr_matrix:
    """``hi_ij = clip(hi_ij, lo_ij, 1 - (column sum of lo - lo_ij))``: others' minimums cap it."""
    hi = hi.tocoo()
    if hi.nnz == 0:  # no stakes at all (a company nobody holds): nothing to cap
        return hi.tocsr()
    lo_coo = lo.tocsr()
    col_lo = np.asarray(lo_coo.sum(axis=0)).ravel()
    lo_vals = np.asarray(lo_coo[hi.row, hi.col], dtype=float).ravel()
    room = 1.0 - (col_lo[hi.col] - lo_vals)
    data = np.maximum(np.minimum(hi.data, room), lo_vals)
    return sp.csr_matrix((data, (hi.row, hi.col)), shape=hi.shape)


def build_network(stakes: Iterable[Stake], nodes: Sequence[str] = ()) -> Network:
    """The matrices of a set of direct stakes (plus any isolated ``nodes`` to index)."""
    stakes = list(stakes)

    def column(name: str) -> np.ndarray:
        return np.array([np.nan if getattr(s, name) is None else getattr(s, name)
                         for s in stakes], dtype=float)

    return network_from_columns([s.holder for s in stakes], [s.company for s in stakes],
                                column("economic_pct"), column("voting_pct"),
                                column("pct_min"), column("pct_max"), nodes)


def network_from_columns(holders: Sequence[str], companies: Sequence[str],
                         economic_pct: np.ndarray, voting_pct: np.ndarray,
                         pct_min: np.ndarray, pct_max: np.ndarray,
                         nodes: Sequence[str] = ()) -> Network:
    """:func:`build_network` for stakes as parallel columns (percentages; NaN: not stated),
    with no Python object per stake: a fund's 300,000 stakes or the whole network's 1.9M are
    turned into matrices at numpy's speed. The bounds are :func:`stake_bounds`'."""
    ids = list(dict.fromkeys([*nodes, *chain.from_iterable(zip(holders, companies,
                                                               strict=True))]))
    index = {x: i for i, x in enumerate(ids)}
    n = len(ids)
    rows = np.fromiter(map(index.__getitem__, holders), dtype=np.int64, count=len(holders))
    cols = np.fromiter(map(index.__getitem__, companies), dtype=np.int64, count=len(companies))
    warnings = [f"{holders[i]} holds itself directly; that stake is left out."
                for i in np.flatnonzero(rows == cols)]
    kept = np.flatnonzero(rows != cols)
    rows, cols = rows[kept], cols[kept]
    econ, vote, lo, hi = (np.asarray(x, dtype=float)[kept]
                          for x in (economic_pct, voting_pct, pct_min, pct_max))
    stated = ~np.isnan(econ)
    el = np.where(stated, econ, np.where(np.isnan(lo), 0.0, lo)) / 100
    eh = np.where(stated, econ, np.where(np.isnan(hi), 100.0, hi)) / 100
    voted = ~np.isnan(vote)
    vl, vh = np.where(voted, vote / 100, el), np.where(voted, vote / 100, eh)
    assumed = {(holders[i], companies[i]) for i in kept[~voted].tolist()}

    def matrix(values: np.ndarray) -> sp.csr_matrix:  # duplicates (share classes) are summed
        return sp.csr_matrix((values, (rows, cols)), shape=(n, n))

    econ_lo, vote_lo = matrix(el), matrix(vl)
    for name, m in (("economic", econ_lo), ("voting", vote_lo)):
        sums = np.asarray(m.sum(axis=0)).ravel()
        for j in np.flatnonzero(sums > 1 + 1e-6):
            warnings.append(f"{ids[j]}: stated {name} stakes add up to {sums[j] * 100:.4g}% "
                            "(more than 100%).")
    links = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    links.data[:] = 1.0
    return Network(ids, index, econ_lo, _tighten(econ_lo, matrix(eh)), vote_lo,
                   _tighten(vote_lo, matrix(vh)), links, assumed, warnings)


class NotConvergent(ValueError):
    """The stakes around a cycle leave nothing to outsiders: the series has no finite sum."""


def _solve(factor, rhs: np.ndarray) -> np.ndarray:
    """The series' sum; ``inf`` where it has none (a node in, or holding into, a closed cycle:
    one whose members hold 100% of each other). A negative value means stakes stated over
    100% around a cycle: no meaningful sum anywhere, NotConvergent."""
    x = factor.solve(rhs)
    finite = np.isfinite(x)
    if np.isnan(x).any() or x[finite].min(initial=0.0) < -1e-9:
        raise NotConvergent("cross-holdings leave nothing outside a cycle; no finite look-through")
    return np.where(finite, np.maximum(x, 0.0), np.inf)


def condensation_levels(a: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """(component of every node, level of every component) for the graph of ``a``.

    Components are the strongly connected ones (cross-holding cycles; a node on no cycle is
    its own); a component's level is its depth in their DAG: a holder's component comes at a
    lower level than a company it holds, unless both sit in the same cycle. Kahn's algorithm,
    one vectorised step per level.
    """
    from scipy.sparse.csgraph import connected_components

    count, labels = connected_components(a, directed=True, connection="strong")
    coo = a.tocoo()
    src, dst = labels[coo.row], labels[coo.col]
    keep = src != dst
    cond = sp.csr_matrix((np.ones(int(keep.sum())), (src[keep], dst[keep])),
                         shape=(count, count))
    cond.sum_duplicates()
    indegree = np.bincount(cond.indices, minlength=count)
    level = np.full(count, -1, dtype=np.int64)
    frontier = np.flatnonzero(indegree == 0)
    depth = 0
    while frontier.size:
        level[frontier] = depth
        successors = cond[frontier].indices
        indegree -= np.bincount(successors, minlength=count)
        candidates = np.unique(successors)
        frontier = candidates[indegree[candidates] == 0]
        depth += 1
    return labels, level


def block_triangular_order(a: sp.csr_matrix) -> np.ndarray:
    """An order of the nodes in which every holder comes before what it holds, except inside
    cross-holding cycles (kept together): ``I - A`` permuted this way is block upper triangular."""
    if a.shape[0] == 0:
        return np.zeros(0, dtype=np.int64)
    labels, level = condensation_levels(a)
    return np.lexsort((labels, level[labels]))


class _Solver:
    """Solves ``(I - M) x = b`` by block back-substitution, level by level.

    ``x_i = b_i + sum_j M_ij x_j`` and every ``j`` with ``M_ij > 0`` is at a higher level than
    ``i`` (a company its holder holds) or in the same cycle. So the levels are solved from the
    last to the first, each with one sparse product, and only the cycles need a (small) sparse
    LU of their own block. Exact, and linear in the number of ties outside the cycles: a general
    sparse LU of a million ties fills in tens of millions of entries, this needs none.
    """

    def __init__(self, m: sp.csr_matrix):
        m = m.tocsr()
        self.n = m.shape[0]
        labels, level = condensation_levels(m)
        node_level = level[labels]
        order = np.argsort(node_level, kind="stable")
        bounds = np.searchsorted(node_level[order], np.arange(level.max() + 2))
        self.levels = []  # from the last level to the first: (nodes, their rows of M, cycles)
        sizes = np.bincount(labels)
        by_comp = np.argsort(labels, kind="stable")
        comp_bounds = np.searchsorted(labels[by_comp], np.arange(len(sizes) + 1))
        for lv in range(level.max(), -1, -1):
            nodes = order[bounds[lv]:bounds[lv + 1]]
            cycles = []
            for comp in np.unique(labels[nodes][sizes[labels[nodes]] > 1]):
                block = by_comp[comp_bounds[comp]:comp_bounds[comp + 1]]
                sub = m[block][:, block]
                system = (sp.identity(len(block), format="csc") - sub.tocsc()).tocsc()
                try:
                    cycles.append((block, splu(system)))
                except RuntimeError:  # "Factor is exactly singular": a closed cycle
                    cycles.append((block, None))
            self.levels.append((nodes, m[nodes], cycles))

    def solve(self, rhs: np.ndarray) -> np.ndarray:
        rhs = np.asarray(rhs, dtype=float)
        x = np.zeros_like(rhs)
        for nodes, rows, cycles in self.levels:
            r = rhs[nodes] + rows @ x  # x is still 0 on this level: only later levels count
            x[nodes] = r
            for block, lu in cycles:
                if lu is not None and np.isfinite(x[block]).all():
                    x[block] = lu.solve(np.ascontiguousarray(x[block]))
                elif lu is not None:  # fed by a closed cycle: infinite wherever it flows
                    x[block] = np.where(np.isfinite(x[block]).all(axis=0), x[block], np.inf)
                    x[block] = np.where(np.isinf(x[block]).any(axis=0), np.inf, x[block])
                else:  # a closed cycle: what enters it goes round for ever
                    x[block] = np.where(np.any(x[block] > EPS, axis=0), np.inf, 0.0)
        return x


def _factor(a: sp.csr_matrix, transpose: bool = False) -> _Solver:
    return _Solver(a.T.tocsr() if transpose else a)


def integrated_columns(a: sp.csr_matrix, targets: Sequence[int]) -> np.ndarray:
    """Columns ``targets`` of Ĩ = (I - A)^-1 A: everyone's look-through stake in each target.

    Solves ``(I - A) X = A[:, targets]`` (block back-substitution, all targets at once).
    Shape (n, k).
    """
    if a.shape[0] == 0:
        return np.zeros((0, len(targets)))
    rhs = a[:, list(targets)].toarray()
    return _solve(_factor(a), rhs)


def integrated_rows(a: sp.csr_matrix, holders: Sequence[int]) -> np.ndarray:
    """Rows ``holders`` of Ĩ: each holder's look-through stake in every company. Shape (k, n).

    Ĩ[i, :] = e_i^T (I - A)^-1 A, so solve ``(I - A)^T Y = E`` and multiply by A.
    """
    n = a.shape[0]
    if n == 0:
        return np.zeros((len(holders), 0))
    e = np.zeros((n, len(holders)))
    e[list(holders), range(len(holders))] = 1.0
    y = _solve(_factor(a, transpose=True), e)
    return np.asarray((a.T @ y).T)


def network_value(a: sp.csr_matrix, value: np.ndarray) -> np.ndarray:
    """Vitali's network value of every node, Ĩ v: the value each one holds through all chains."""
    return _solve(_factor(a), np.asarray(a @ value).ravel())


@dataclass(frozen=True)
class LookThrough:
    """One holder's integrated stake in one company, as fractions with bounds."""

    holder: str
    economic_lo: float
    economic_hi: float | None  # None: unbounded (ranges around a cycle allow any value)
    voting_lo: float
    voting_hi: float | None

    @property
    def economic(self) -> float | None:
        """The exact value when the bounds meet, else None."""
        return _point(self.economic_lo, self.economic_hi)

    @property
    def voting(self) -> float | None:
        return _point(self.voting_lo, self.voting_hi)


def _point(lo: float, hi: float | None) -> float | None:
    return lo if hi is not None and hi - lo < EPS else None


def look_through(net: Network, target: str) -> list[LookThrough]:
    """Every holder's integrated economic and voting stake in ``target``, with bounds.

    The lower-bound matrices must converge (they do whenever the stated minimums leave
    anything to outsiders); an upper bound that does not is reported as None (unbounded).
    """
    t = net.index[target]
    e_lo, v_lo = net.column("econ_lo", t), net.column("vote_lo", t)
    e_hi = net.column("econ_hi", t, strict=False)
    v_hi = net.column("vote_hi", t, strict=False)
    out = []
    for i, holder in enumerate(net.ids):
        his = [_finite(x, i) for x in (e_hi, v_hi)]
        if i == t or not np.isfinite(e_lo[i]) or not np.isfinite(v_lo[i]):
            continue  # in a closed cycle with the target: see closed_cycles
        if max(e_lo[i], v_lo[i], *(h if h is not None else 1.0 for h in his)) <= 0:
            continue
        out.append(LookThrough(holder, float(e_lo[i]), his[0], float(v_lo[i]), his[1]))
    return out


def exposure(net: Network, holder: str) -> list[LookThrough]:
    """``holder``'s integrated stake in every company it reaches (rows of Ĩ), with bounds.

    ``LookThrough.holder`` names the *company* here.
    """
    e_lo, e_hi, v_lo, v_hi, held = exposure_columns(net, holder)
    return [LookThrough(net.ids[j], float(e_lo[j]), _finite(e_hi, j), float(v_lo[j]),
                        _finite(v_hi, j)) for j in np.flatnonzero(held).tolist()]


def exposure_columns(net: Network, holder: str) -> tuple[np.ndarray, ...]:
    """:func:`exposure` as arrays over ``net.ids``: the economic lower and upper bound, the
    voting ones (an upper bound is NaN where the series has no finite sum) and ``held``: the
    companies the holder reaches with a finite lower bound and a stake that can be above 0
    (one reached through a closed cycle is not: see closed_cycles)."""
    h = net.index[holder]

    def row(a: sp.csr_matrix) -> np.ndarray:
        try:
            x = integrated_rows(a, [h])[0]
        except NotConvergent:
            return np.full(net.size, np.nan)
        return np.where(np.isfinite(x), x, np.nan)

    e_lo, v_lo = integrated_rows(net.econ_lo, [h])[0], integrated_rows(net.vote_lo, [h])[0]
    e_hi, v_hi = row(net.econ_hi), row(net.vote_hi)
    held = np.isfinite(e_lo) & np.isfinite(v_lo)
    held[h] = False
    most = np.maximum.reduce([np.where(held, e_lo, 0.0), np.where(held, v_lo, 0.0),
                              np.nan_to_num(e_hi, nan=1.0), np.nan_to_num(v_hi, nan=1.0)])
    return e_lo, e_hi, v_lo, v_hi, held & (most > 0)


def _finite(column: np.ndarray | None, i: int) -> float | None:
    """Entry ``i`` of a solved column; None when absent or infinite (no finite sum)."""
    return None if column is None or not np.isfinite(column[i]) else float(column[i])


def self_held(net: Network, target: str) -> tuple[float | None, float | None]:
    """Ĩ[t, t] (economic, voting lower bounds): the part of ``target`` it holds in itself
    through cross-holdings. Zero when no cycle passes through it; None in a closed cycle."""
    t = net.index[target]
    return _finite(net.column("econ_lo", t), t), _finite(net.column("vote_lo", t), t)


def closed_cycles(net: Network) -> list[list[str]]:
    """Cross-holding cycles whose members hold 100% of each other (economic lower bounds):
    nobody outside holds any of them, and no look-through through them is finite. Each cycle's
    ids sorted; cycles sorted."""
    from scipy.sparse.csgraph import connected_components

    if net.size == 0:
        return []
    m = net.econ_lo.tocsr()
    count, labels = connected_components(m, directed=True, connection="strong")
    found = []
    for k in np.flatnonzero(np.bincount(labels, minlength=count) > 1):
        block = np.flatnonzero(labels == k)
        held_inside = np.asarray(m[block][:, block].sum(axis=0)).ravel()
        if np.all(held_inside >= 1 - 1e-9):
            found.append(sorted(net.ids[i] for i in block))
    return sorted(found)


# --- control (BODS: who ultimately controls, through a chain of majority votes) -----------------


def control_matrix(votes: sp.csr_matrix, majority: float = MAJORITY) -> sp.csr_matrix:
    """Boolean C[h, x]: h controls x, i.e. h's own votes in x plus those of the companies h
    controls add up to more than ``majority``. Found as the fixpoint of
    ``C = (V + C V) > majority``, so control passes up chains and adds across branches
    (a parent that controls two holders of 30% each controls 60%)."""
    v = votes.tocsr()
    c = (v > majority).astype(float).tocsr()
    for _ in range(v.shape[0] + 1):
        power = v + c @ v
        nxt = (power > majority + EPS).astype(float).tocsr()
        nxt.setdiag(0)
        nxt.eliminate_zeros()
        if (nxt != c).nnz == 0:
            return nxt
        c = nxt
    return c


@dataclass(frozen=True)
class ControlChain:
    """The ultimate controller of a company and the chain of majority votes up to it.

    ``path`` runs from the company up to the ultimate controller; ``controlled_votes[k]`` is
    the fraction of ``path[k]``'s votes that the ultimate controller commands (directly or
    through the companies it controls). ``circular`` lists nodes that control each other with
    no one above them (then there is no single ultimate controller).
    """

    ultimate: str | None
    path: list[str]
    controlled_votes: list[float]
    circular: list[str]


def controller(net: Network, target: str, upper: bool = False,
               majority: float = MAJORITY) -> ControlChain:
    """Who ultimately controls ``target`` by majority votes (lower bounds; ``upper`` to ask
    who *could*, given the ranges)."""
    v = (net.vote_hi if upper else net.vote_lo).tocsr()
    c = control_matrix(v, majority)
    cc = c.tocsc()
    t = net.index[target]
    ctrl_t = set(cc[:, t].nonzero()[0]) - {t}
    tops = []
    for h in ctrl_t:
        above = set(cc[:, h].nonzero()[0]) - {h}
        if above <= set(c[h, :].nonzero()[1]):  # nobody outside h's own group controls h
            tops.append(h)
    if len(tops) != 1:
        return ControlChain(None, [], [], sorted(net.ids[h] for h in tops))
    u = tops[0]
    group = set(c[u, :].nonzero()[1]) | {u}
    power = (v[u, :] + c[u, :] @ v).toarray().ravel()  # votes u commands, per company
    vt = v.T.tocsr()  # rows: companies, columns: their holders
    path, votes, current = [target], [], t
    while current != u:
        votes.append(float(power[current]))
        row = vt[current]
        options = [(w, h) for h, w in zip(row.indices, row.data, strict=True)
                   if h in group and net.ids[h] not in path]
        if not options:  # the fixpoint leaves a holder in the group; a loop could hide it
            break
        current = max(options)[1]
        path.append(net.ids[current])
    return ControlChain(net.ids[u], path, votes, [])


# --- the chain to show: the strongest one --------------------------------------------------------


def strongest_chains(net: Network, source: str, downstream: bool,
                     targets: Iterable[str] | None = None) -> dict[str, list[str]]:
    """For every node reached from ``source``, the chain with the largest product of stakes
    (the larger of the economic and voting upper bounds, so unknown stakes still connect).
    Dijkstra on -log(stake).

    ``downstream``: chains source -> ... -> company; else holder -> ... -> source, listed from
    the holder. Only for showing *a* route: the look-through sums all of them.

    ``targets``: only the chains to these, and the search stops once they are all settled (a
    page of an exposure names fifty companies among 150,000: the strongest chains are found
    first). Dijkstra's steps up to that point are the same, so each chain is the one the whole
    search would give.
    """
    w = net.econ_hi.maximum(net.vote_hi)
    m = w.tocsr() if downstream else w.T.tocsr()
    s = net.index[source]
    dist = {s: 0.0}
    prev: dict[int, int] = {}
    heap = [(0.0, s)]
    ends = None if targets is None else {net.index[t] for t in targets if t in net.index}
    wanted = None if ends is None else set(ends)
    while heap:
        d, x = heapq.heappop(heap)
        if d > dist.get(x, math.inf):
            continue
        if wanted is not None:
            wanted.discard(x)
            if not wanted:
                break
        lo, hi = m.indptr[x], m.indptr[x + 1]
        for y, w in zip(m.indices[lo:hi].tolist(), m.data[lo:hi].tolist(), strict=True):
            if w <= 0:
                continue
            nd = d - math.log(min(w, 1.0))
            if nd < dist.get(y, math.inf) - 1e-15:
                dist[y], prev[y] = nd, x
                heapq.heappush(heap, (nd, y))
    chains: dict[str, list[str]] = {}
    for y in dist if ends is None else ends - wanted:
        if y == s:
            continue
        route = [y]
        while route[-1] != s:
            route.append(prev[route[-1]])
        ids = [net.ids[i] for i in reversed(route)]  # source first
        chains[net.ids[y]] = ids if downstream else list(reversed(ids))
    return chains


def pct(x: float | None, digits: int = 6) -> float | None:
    """A fraction as a percentage, rounded so that 0.6 * 0.5 shows as 30.0."""
    return None if x is None else round(x * 100, digits)


def as_dict(lt: LookThrough) -> dict[str, Any]:
    return {
        "economic_pct": pct(lt.economic), "economic_min_pct": pct(lt.economic_lo),
        "economic_max_pct": pct(lt.economic_hi),
        "voting_pct": pct(lt.voting), "voting_min_pct": pct(lt.voting_lo),
        "voting_max_pct": pct(lt.voting_hi),
    }


# --- reachability helpers (which holders a fact touches) ----------------------------------------


def _bfs(m: sp.csr_matrix, starts: Iterable[int]) -> set[int]:
    seen = set(starts)
    frontier = list(seen)
    while frontier:
        nxt = []
        for x in frontier:
            for y in m.indices[m.indptr[x]:m.indptr[x + 1]]:
                if y not in seen:
                    seen.add(int(y))
                    nxt.append(int(y))
        frontier = nxt
    return seen


def ancestors(net: Network, nodes: Iterable[str]) -> set[str]:
    """The nodes themselves and everyone who holds them through any chain."""
    found = _bfs(net.links.T.tocsr(), (net.index[x] for x in nodes))
    return {net.ids[i] for i in found}


def descendants(net: Network, nodes: Iterable[str]) -> set[str]:
    """The nodes themselves and every company they hold through any chain."""
    found = _bfs(net.links.tocsr(), (net.index[x] for x in nodes))
    return {net.ids[i] for i in found}


def cycle_mates(net: Network, node: str) -> set[str]:
    """The other nodes on a cross-holding cycle with ``node`` (its strongly connected component)."""
    from scipy.sparse.csgraph import connected_components

    if net.size == 0:
        return set()
    _, labels = connected_components(net.links, directed=True, connection="strong")
    k = labels[net.index[node]]
    return {net.ids[i] for i in np.flatnonzero(labels == k)} - {node}
