"""Investor leverage: who really holds a company, what an investor's money touches, interlocks.

The ownership subgraph is fetched from Neo4j with bounded patterns (``cypher/leverage.cypher``)
and solved in memory by :mod:`graphapp.leverage.lookthrough` (the linear model of Vitali,
Glattfelder & Battiston 2011). See ``docs/leverage.md`` for the definitions, conventions and
the ranking.

Sensitive nodes and relationships take part in the arithmetic (leaving them out would change
everyone else's look-through) but, unless ``include_sensitive``, they are shown as withheld:
no id, no name, no sources.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import numpy as np
import scipy.sparse as sp
from babel.lists import format_list
from babel.numbers import format_decimal
from flask_babel import get_locale
from marshmallow import Schema, fields, validate
from scipy.sparse.csgraph import breadth_first_order

from graphapp import errors
from graphapp.errors import NotFound
from graphapp.i18n import LazyString
from graphapp.i18n import gettext as _
from graphapp.i18n import lazy_gettext as _l
from graphapp.leverage import disclosures
from graphapp.leverage import lookthrough as lt
from graphapp.store import model
from graphapp.store.db import Graph, Tx, for_reader
from graphapp.store.db import plain as _plain
from graphapp.store.schemas import PartialDate

DEFAULT_MAX_DEPTH = 8
MAX_DEPTH = 12  # the most hops a look-through follows (one bounded query per hop)
DEFAULT_THRESHOLD = 5.0
DEFAULT_TOP = 50
MAX_TOP = 1000  # rows of the whole-network ranking
WITHHELD = "(withheld: sensitive)"
UNKNOWN_SEVERITY = 1  # an unknown severity ranks as the lowest, never higher than stated

STAKE_KEYS = ("economic_pct", "voting_pct", "pct_min", "pct_max", "share_class")
EVIDENCE_KEYS = ("sources", "confidence", "start_date", "end_date", "as_of", "note")
ROLE_KEYS = ("title", "kind", *EVIDENCE_KEYS)

# The words below are in the reader's language on a page and in the API (its Accept-Language),
# in English at the terminal and in the CLI's --json (outside a request), as the ladder's are.
METHOD = _l(
    "Integrated ownership = (I - A)^-1 A over the ownership subgraph (Vitali, Glattfelder & "
    "Battiston 2011): every chain's product of stakes, summed, cross-holding cycles solved "
    "exactly. Economic and voting separately; ranges give lower and upper bounds."
)
RANKING = _l(
    "Harms are ranked by score = leverage stake (%%) x severity (1-5), where the leverage stake "
    "is the larger of the investor's integrated economic and voting stake in the company "
    "(lower bounds where a stake is only known as a range) and an unknown severity counts as "
    "%(unknown)s. Ties: higher severity, then larger stake, then harm name.",
    unknown=UNKNOWN_SEVERITY)
NOT_CONVERGENT = _l("The stated stakes around a cycle leave nothing to outside holders, so the "
                    "look-through has no finite value; check the cross-holdings.")
UNBOUNDED = _l("Some upper bounds are unbounded: ranges around a cross-holding cycle could add "
               "up to %(pct)s or more.", pct="100%")
CONTROL_BASIS = _l("more than %(pct)s of the votes, directly or through companies it controls, "
                   "on the voting lower bounds", pct="50%")


def and_list(names: list[str]) -> str:
    """"A, B and C" in the reader's language (Babel's list patterns; English outside a
    request)."""
    return format_list([str(n) for n in names], locale=get_locale() or "en") if names else ""


# --- parameters -------------------------------------------------------------------------------


class LeverageOptions(Schema):
    """The options of every leverage reader, validated the same way from the API, the pages,
    the CLI and Python (``only=`` picks a reader's own)."""

    as_of = PartialDate(load_default=None, metadata={
        "description": "Stakes held on this date (YYYY, YYYY-MM or YYYY-MM-DD); "
                       "default: the current ones."})
    max_depth = fields.Integer(load_default=DEFAULT_MAX_DEPTH,
                               validate=validate.Range(1, MAX_DEPTH), metadata={
        "description": "Longest ownership chain followed, in hops."})
    threshold = fields.Float(load_default=DEFAULT_THRESHOLD, validate=validate.Range(
        0, 100, min_inclusive=False), metadata={
        "description": "A major investor holds at least this % (economic or voting)."})
    top = fields.Integer(load_default=DEFAULT_TOP, validate=validate.Range(1, MAX_TOP), metadata={
        "description": "How many holders to list, by network value."})


LOOK_THROUGH_OPTIONS = ("as_of", "max_depth")
NETWORK_OPTIONS = ("as_of", "top")
INTERLOCK_OPTIONS = ("as_of", "threshold")


def check_params(as_of: str | None = None, max_depth: int = DEFAULT_MAX_DEPTH,
                 threshold: float | None = None, top: int | None = None) -> None:
    """Raise the 400 naming the field for a bad ``as_of``, ``max_depth``, ``threshold`` or
    ``top`` (None: not given)."""
    given = {k: v for k, v in {"as_of": as_of, "max_depth": max_depth, "threshold": threshold,
                               "top": top}.items() if v is not None}
    flags = [k for k, v in given.items() if isinstance(v, bool)]
    if flags:
        raise errors.invalid({k: ["Not a valid number."] for k in flags})
    errors.load(LeverageOptions(only=tuple(given)), given)


# --- shaping ----------------------------------------------------------------------------------


def _node(row: dict[str, Any], include_sensitive: bool, sensitive: bool | None = None
          ) -> dict[str, Any]:
    hidden = (row.get("sensitive") if sensitive is None else sensitive) and not include_sensitive
    if hidden:
        return {"id": None, "name": WITHHELD, "labels": [], "withheld": True}
    return {"id": row["id"], "name": row["name"], "labels": row.get("labels", [])}


def _pick(props: dict[str, Any], keys: tuple[str, ...], withheld: bool = False
          ) -> dict[str, Any]:
    out = {k: _plain(props.get(k)) for k in keys}
    if withheld and "sources" in out:
        out["sources"] = []
        out["note"] = None
    if "sources" in out and out["sources"] is None:
        out["sources"] = []
    return out


def _weakest(confidences: list[str | None]) -> str | None:
    known = [c for c in confidences if c in model.CONFIDENCE_RANK]
    return min(known, key=model.CONFIDENCE_RANK.__getitem__) if known else None


@dataclass
class Subgraph:
    """The nodes and active stakes around one company (upstream) or investor (downstream)."""

    nodes: dict[str, dict[str, Any]]
    stakes: list[dict[str, Any]]
    truncated: bool

    def network(self, root: str) -> lt.Network:
        return lt.build_network(
            (lt.Stake(s["holder"], s["company"], *(s["props"].get(k) for k in STAKE_KEYS[:4]))
             for s in self.stakes),
            nodes=[root],
        )

    def visible(self, root: str, upstream: bool) -> set[str]:
        """The nodes a reader who may not see sensitive data may be shown: those reached from
        ``root`` through stakes and nodes that are not sensitive. The others still count in
        the arithmetic (leaving them out would change everyone's look-through) but are shown
        withheld, with their stakes' evidence, as if a sensitive hop on the way were theirs."""
        near, far = ("company", "holder") if upstream else ("holder", "company")
        ties: dict[str, list[str]] = defaultdict(list)
        for st in self.stakes:
            if not st["sensitive"] and not self.nodes[st[far]].get("sensitive"):
                ties[st[near]].append(st[far])
        seen = {root}
        frontier = [root]
        while frontier:
            frontier = [y for x in frontier for y in ties[x] if y not in seen]
            seen.update(frontier)
        return seen

    def withhold_unseen(self, root: str, upstream: bool, include_sensitive: bool) -> None:
        """Mark the nodes reached only through something sensitive as sensitive (in place)."""
        if include_sensitive:
            return
        seen = self.visible(root, upstream)
        for node_id, node in self.nodes.items():
            if node_id not in seen:
                node["sensitive"] = True

    def by_pair(self) -> dict[tuple[str, str], list[dict[str, Any]]]:
        pairs: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for s in self.stakes:
            pairs[(s["holder"], s["company"])].append(s)
        return pairs


def _row(r: dict[str, Any], far: str) -> dict[str, Any]:
    """A flat row of stakes_into / stakes_out_of as {holder, company, sensitive, props, far}."""
    return {"holder": r["holder"], "company": r["company"], "sensitive": r["sensitive"],
            "props": {k: r[k] for k in (*STAKE_KEYS, *EVIDENCE_KEYS)},
            "far": {"id": r[far], "name": r["far_name"], "labels": r["far_labels"],
                    "sensitive": r["far_sensitive"]}}


def _subgraph(graph: Graph, root: dict[str, Any], as_of: str | None, max_depth: int,
              upstream: bool) -> Subgraph:
    """The active OWNS around ``root``, breadth first, ``max_depth`` hops at most.

    One read transaction; each hop is one bounded query on the frontier (see
    cypher/leverage.cypher). A last call on the final frontier keeps the ties among nodes
    already found and tells whether chains go on beyond the bound (``truncated``).
    """
    query = "leverage.stakes_into" if upstream else "leverage.stakes_out_of"
    far = "holder" if upstream else "company"

    def work(tx) -> Subgraph:
        sub = Subgraph({root["id"]: {**root, "depth": 0}}, [], truncated=False)
        frontier, depth = [root["id"]], 0
        while frontier and depth < max_depth:
            depth += 1
            rows = [_row(r, far) for r in tx.run(query, ids=frontier, as_of=as_of)]
            frontier = []
            for r in rows:
                if r[far] not in sub.nodes:
                    sub.nodes[r[far]] = {**r["far"], "depth": depth}
                    frontier.append(r[far])
            sub.stakes += rows
        if frontier:  # at the bound: keep the ties among nodes found, flag anything further
            rows = [_row(r, far) for r in tx.run(query, ids=frontier, as_of=as_of)]
            kept = [r for r in rows if r[far] in sub.nodes]
            sub.stakes += kept
            sub.truncated = len(kept) < len(rows)
        return sub

    return graph.read_tx(work)


class _Chains:
    """Chains of holdings (holder first) with the evidence of every hop. Each hop is shaped
    once: thousands of holders' chains share the same last hops."""

    def __init__(self, sub: Subgraph, include_sensitive: bool):
        self.sub, self.include_sensitive = sub, include_sensitive
        self.pairs = sub.by_pair()
        self.hops: dict[tuple[str, str], tuple[dict[str, Any], str | None]] = {}

    def hop(self, a: str, b: str) -> tuple[dict[str, Any], str | None]:
        if (a, b) not in self.hops:
            rels = self.pairs.get((a, b), [])
            hidden = not self.include_sensitive and (
                any(r["sensitive"] for r in rels) or bool(self.sub.nodes[a].get("sensitive"))
                or bool(self.sub.nodes[b].get("sensitive")))
            shaped = {
                "holder": _node(self.sub.nodes[a], self.include_sensitive),
                "company": _node(self.sub.nodes[b], self.include_sensitive),
                "stakes": [{**_pick(r["props"], STAKE_KEYS),
                            **_pick(r["props"], EVIDENCE_KEYS, withheld=hidden)}
                           for r in rels],
            }
            self.hops[(a, b)] = (shaped, _weakest([r["props"].get("confidence")
                                                   for r in rels]))
        return self.hops[(a, b)]

    def chain(self, ids: list[str]) -> dict[str, Any]:
        hops = [self.hop(a, b) for a, b in pairwise(ids)]
        return {"hops": [h for h, _ in hops], "confidence": _weakest([c for _, c in hops])}


def _lookup(graph: Graph, query: str, entity_id: str, what: str,
            include_sensitive: bool) -> dict[str, Any]:
    rows = graph.read(query, id=entity_id)
    if not rows or (rows[0]["sensitive"] and not include_sensitive):
        other = graph.read("leverage.labels_of_id", id=entity_id)
        if other and not rows:
            raise NotFound(f"{entity_id!r} is a {'/'.join(other[0]['labels'])}, not {what}.")
        raise NotFound(f"No {what} with id {entity_id!r}.")
    return rows[0]


# --- 1. a company: direct stakes, look-through, controller ---------------------------------------


@for_reader
def direct_stakes(graph: Graph, company_id: str, as_of: str | None = None,
                  include_sensitive: bool = False) -> list[dict[str, Any]]:
    """The company's holders now (or ``as_of``): stake, share class, dates and evidence."""
    rows = graph.read("leverage.direct_stakes", id=company_id, as_of=as_of)
    return [_stake_row(r, include_sensitive) for r in rows]


def _stake_row(r: dict[str, Any], include_sensitive: bool) -> dict[str, Any]:
    holder = {"id": r["holder_id"], "name": r["holder_name"], "labels": r["holder_labels"]}
    hidden = r["sensitive"] and not include_sensitive
    return {
        "holder": _node(holder, include_sensitive, sensitive=r["sensitive"]),
        **_pick(r["props"], (*STAKE_KEYS, "means")),
        **_pick(r["props"], EVIDENCE_KEYS, withheld=hidden),
    }


@for_reader
def company_leverage(graph: Graph, company_id: str, as_of: str | None = None,
                     max_depth: int = DEFAULT_MAX_DEPTH,
                     include_sensitive: bool = False) -> dict[str, Any]:
    """Direct stakes, look-through (economic and voting, with bounds) and the ultimate
    controller of a company. Raises NotFound for an unknown id, BadRequest for bad params."""
    check_params(as_of, max_depth)
    company = _lookup(graph, "leverage.company", company_id, "company", include_sensitive)
    direct = direct_stakes(graph, company_id, as_of, include_sensitive)
    controls = graph.read("leverage.other_control", id=company_id, as_of=as_of)
    other = [_stake_row(r, include_sensitive) for r in controls]
    sub = _subgraph(graph, company, as_of, max_depth, upstream=True)
    sub.withhold_unseen(company_id, True, include_sensitive)
    net = sub.network(company_id)
    warnings = list(net.warnings)
    try:
        rows = lt.look_through(net, company_id)
        self_e, self_v = lt.self_held(net, company_id)
    except lt.NotConvergent:
        rows, self_e, self_v = [], 0.0, 0.0
        warnings.append(str(NOT_CONVERGENT))
    if any(r.economic_hi is None or r.voting_hi is None for r in rows):
        warnings.append(str(UNBOUNDED))
    closed = _closed_cycles(net, sub, include_sensitive, warnings)
    shaper = _Chains(sub, include_sensitive)
    chains = lt.strongest_chains(net, company_id, downstream=False)
    cycle = lt.cycle_mates(net, company_id)
    assumed = lt.ancestors(net, {h for h, _ in net.voting_assumed})
    has_holders = {s["company"] for s in sub.stakes}
    direct_holders = {s["holder"] for s in sub.stakes if s["company"] == company_id}

    look = []
    for row in sorted(rows, key=lambda r: (-max(r.voting_lo, r.economic_lo),
                                           -(r.voting_hi if r.voting_hi is not None else 2),
                                           str(sub.nodes[r.holder].get("name")), r.holder)):
        node = sub.nodes[row.holder]
        look.append({
            "holder": _node(node, include_sensitive),
            "depth": node["depth"],
            "direct": row.holder in direct_holders,
            # at the depth bound of a truncated fetch, whether anyone holds it is unknown
            "ultimate": (None if sub.truncated and node["depth"] == max_depth
                         else row.holder not in has_holders),
            "in_cycle": row.holder in cycle,
            **lt.as_dict(row),
            "voting_assumed": row.holder in assumed,
            "chain": shaper.chain(chains.get(row.holder, [])),
            "_id": row.holder, "_labels": node.get("labels") or [],
        })
    said = _disclosed(graph, company, look, controls, as_of, include_sensitive)
    controller = _controller(net, sub, company_id, include_sensitive)
    _with_disclosures(graph, controller, said, as_of, include_sensitive)

    return {
        "company": _node(company, include_sensitive),
        "as_of": as_of,
        "max_depth": max_depth,
        "direct_stakes": direct,
        "other_control": other,
        "look_through": look,
        "self_held": {"economic_pct": lt.pct(self_e), "voting_pct": lt.pct(self_v)},
        "controller": controller,
        **said,
        "closed_cycles": closed,
        "truncated": sub.truncated,
        "warnings": warnings,
        "method": str(METHOD),
    }




def closed_cycle_warning(nodes: list[dict[str, Any]]) -> str:
    """The warning that names a closed cycle's members, in the reader's language."""
    return _("%(names)s hold 100%% of each other (a closed cross-holding cycle): nobody outside "
             "holds any of them, so no look-through stake through them is finite; their direct "
             "stakes are listed as recorded.", names=and_list([n["name"] for n in nodes]))


def _closed_cycles(net: lt.Network, sub: Subgraph, include_sensitive: bool,
                   warnings: list[str]) -> list[list[dict[str, Any]]]:
    """The closed cycles of the subgraph as nodes (withheld ones shaped so), each with a
    warning that names them: the clear answer where the look-through has no finite value."""
    cycles = [[_node(sub.nodes[x], include_sensitive) for x in ids]
              for ids in lt.closed_cycles(net)]
    warnings += [closed_cycle_warning(c) for c in cycles]
    return cycles


def _disclosed(graph: Graph, company: dict[str, Any], look: list[dict[str, Any]],
               controls: list[dict[str, Any]], as_of: str | None,
               include_sensitive: bool) -> dict[str, Any]:
    """What the disclosures say beside the stakes (graphapp.leverage.disclosures): declared
    indirect interests, undisclosed owners, the parties to arrangements that hold or control
    the company (``controls``: its control without shares), nominees' principals."""
    company_id = company["id"]
    name = _node(company, include_sensitive)["name"]
    said = {
        "declared": disclosures.declared(graph, company_id, look, as_of, include_sensitive),
        "undisclosed": disclosures.undisclosed(
            graph, [company_id, *(r["_id"] for r in look)], company_id, as_of,
            include_sensitive),
        "arrangements": disclosures.arrangements(graph, name, look, as_of, include_sensitive,
                                                 controls),
        "nominees": disclosures.nominees(graph, name, look, include_sensitive),
    }
    disclosures.strip(look)
    for d in said["declared"]:
        d.pop("_holder_id", None)
    return said


def _with_disclosures(graph: Graph, controller: dict[str, Any], said: dict[str, Any],
                      as_of: str | None, include_sensitive: bool) -> None:
    """The declared figure where the chain gives none; the control above the controller."""
    controller["declared"] = (disclosures.declared_controller(said["declared"])
                              if controller.get("ultimate") is None else None)
    top = controller.get("ultimate") or (controller["declared"] or {}).get("holder")
    controller["above"] = (disclosures.above(graph, top["id"], as_of, include_sensitive)
                           if top and top.get("id") else [])
    _state_above_its_body(controller)


def _state_above_its_body(controller: dict[str, Any]) -> None:
    """A state body (a ministry, an agency) answers to its state: when the ultimate controller
    by votes is a State controlled without shares by a State above it, that state is the
    ultimate controller, the body a step of the path (its ``means`` said)."""
    ultimate = controller.get("ultimate")
    if not ultimate or "State" not in (ultimate.get("labels") or []):
        return
    states = []
    for n in controller["above"]:
        if "State" not in (n.get("labels") or []):
            break
        states.append(n)
    if not states:
        return
    controller["path"] = [*controller["path"], *({**_public(n), "controlled_votes_pct": None,
                                                  "means": n.get("means")} for n in states)]
    controller["ultimate"] = _public(states[-1])
    controller["above"] = controller["above"][len(states):]
    controller["basis"] += ("; a state controls its state bodies (the control without shares "
                            "above the body is followed)")


def _public(n: dict[str, Any]) -> dict[str, Any]:
    return {k: n[k] for k in ("id", "name", "labels", "withheld") if k in n}


def _controller(net: lt.Network, sub: Subgraph, company_id: str,
                include_sensitive: bool) -> dict[str, Any]:
    def shape(c: lt.ControlChain) -> dict[str, Any]:
        votes = [*c.controlled_votes, None]
        return {
            "ultimate": _node(sub.nodes[c.ultimate], include_sensitive) if c.ultimate else None,
            "path": [{**_node(sub.nodes[x], include_sensitive),
                      "controlled_votes_pct": lt.pct(v)} for x, v in zip(c.path, votes,
                                                                          strict=False)],
            "circular": [_node(sub.nodes[x], include_sensitive) for x in c.circular],
        }

    sure = lt.controller(net, company_id)
    could = lt.controller(net, company_id, upper=True)
    out = shape(sure)
    out["basis"] = str(CONTROL_BASIS)
    out["possible_ultimate"] = (
        _node(sub.nodes[could.ultimate], include_sensitive)
        if could.ultimate and could.ultimate != sure.ultimate else None
    )
    return out


# --- 2. an investor: holdings through chains, and the harms they touch ---------------------------

PER_PAGE = 50  # holdings, and harms, on one page of an exposure
MAX_PER_PAGE = 1000
# The most companies one exposure follows. Above it the look-through is worked out on the
# companies found first (breadth first, by id within the last hop) and says so: its figures are
# then lower bounds. The largest fund of the 1M benchmark graph reaches 151,751 (docs/leverage.md).
MAX_EXPOSURE_COMPANIES = 250_000


def capped_warning(num: int) -> str:
    """What the page says when an exposure reached MAX_EXPOSURE_COMPANIES, in the reader's
    language."""
    return _("The look-through followed the first %(num)s companies it reached, breadth first, "
             "and stopped there: chains beyond them are not counted, so the stakes shown are "
             "lower bounds.", num=format_decimal(num, locale=get_locale() or "en"))


_KNOWN, _RANGE, _UNDISCLOSED = 0, 1, 2  # graphapp.leverage.chart.order's kinds, in its order


@dataclass(frozen=True)
class _HarmRoute:
    """One harm on the ranked list: its best-scored route (company, and product when the harm
    involves a product the company operates) and the other companies it is reached through."""

    harm: str
    company: str
    product: str | None
    severity: float | None
    score: float
    stake: float
    also: tuple[str, ...]


@dataclass(frozen=True)
class ExposureRanking:
    """An investor's whole exposure as numbers, ranked, without evidence: the companies in the
    order the page lists them and the harms in rank order. A page of it (:func:`exposure_page`)
    reads the evidence of its own rows only. The web keeps one per graph version and reader
    (graphapp/web/pagecache.py): a fund that reaches 150,000 companies is fetched and solved
    once, and every page after that is three small queries. Arrays are over ``net.ids``."""

    investor: dict[str, Any]
    as_of: str | None
    max_depth: int
    include_sensitive: bool
    net: lt.Network
    bounds: tuple[np.ndarray, ...]  # the investor's look-through: exposure_columns' four
    depth: np.ndarray  # hops on the shortest chain
    order: np.ndarray  # the companies the reader may see, in page order
    hidden: np.ndarray  # for a viewer: sensitive, or reached only through something that is
    assumed: frozenset[str]  # reached through a stake whose votes are assumed
    harms: list[_HarmRoute]
    truncated: bool
    capped: int | None  # MAX_EXPOSURE_COMPANIES when it was reached
    closed: list[list[str]]
    warnings: list[str | LazyString]  # words in the reader's language only once a page says them

    def holdings(self, start: int = 0, stop: int | None = None) -> list[str]:
        """The companies of the list from ``start`` to ``stop`` (an investor's interlocks are
        looked for in the first ones)."""
        return [self.net.ids[i] for i in self.order[start:stop].tolist()]

    def look(self, company: str) -> lt.LookThrough:
        """The investor's look-through in ``company``."""
        j = self.net.index[company]
        e_lo, e_hi, v_lo, v_hi = self.bounds
        return lt.LookThrough(company, float(e_lo[j]), _finite(e_hi[j]), float(v_lo[j]),
                              _finite(v_hi[j]))

    def withheld(self, node: str) -> bool:
        j = self.net.index.get(node)
        return j is not None and bool(self.hidden[j])


@dataclass
class _Downstream:
    """The downstream subgraph of an investor as columns (exposure_stakes'), with each node's
    depth and name."""

    cols: tuple[list, ...]
    depth: dict[str, int]
    names: dict[str, str]
    truncated: bool = False
    capped: bool = False

    def unseen(self, net: lt.Network, root: str) -> np.ndarray:
        """The nodes a reader who may not see sensitive data must not be shown: those not
        reached from ``root`` through stakes and companies that are not sensitive (as
        Subgraph.visible), as a mask over ``net.ids``."""
        holders, companies, sensitive, company_sensitive = (self.cols[i] for i in (0, 1, 6, 7))
        public = ~(np.asarray(sensitive, dtype=bool) | np.asarray(company_sensitive, dtype=bool))
        rows = np.fromiter(map(net.index.__getitem__, holders), dtype=np.int64,
                           count=len(holders))[public]
        cols = np.fromiter(map(net.index.__getitem__, companies), dtype=np.int64,
                           count=len(companies))[public]
        ties = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(net.size, net.size))
        hidden = np.ones(net.size, dtype=bool)
        hidden[breadth_first_order(ties, net.index[root], directed=True,
                                   return_predecessors=False)] = False
        return hidden


def _finite(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None


def _downstream(graph: Graph, investor: dict[str, Any], as_of: str | None,
                max_depth: int) -> _Downstream:
    """The active OWNS below the investor, breadth first, ``max_depth`` hops and
    MAX_EXPOSURE_COMPANIES companies at most, as _subgraph reads them but numbers only: one
    query per hop, one record of lists each. A last call on the final frontier keeps the ties
    among the nodes found and says whether chains go further."""
    root = investor["id"]

    def hop(tx: Tx, ids: list[str]) -> tuple[list, ...]:
        record = tx.tx.run(*tx.params("leverage.exposure_stakes", {"ids": ids, "as_of": as_of}))
        return tuple(record.single(strict=True))

    def keep(down: _Downstream, cols: tuple[list, ...]) -> bool:
        """Add the stakes of ``cols`` into nodes found; whether some led elsewhere."""
        kept = [i for i, c in enumerate(cols[1]) if c in down.depth]
        whole = len(kept) == len(cols[1])
        for mine, theirs in zip(down.cols, cols, strict=True):
            mine.extend(theirs if whole else [theirs[i] for i in kept])
        return not whole

    def work(tx: Tx) -> _Downstream:
        down = _Downstream(tuple([] for _ in range(9)), {root: 0},
                           {root: investor.get("name") or ""})
        frontier, depth = [root], 0
        while frontier and depth < max_depth and not down.capped:
            depth += 1
            cols = hop(tx, frontier)
            new = [c for c in dict.fromkeys(cols[1]) if c not in down.depth]
            room = MAX_EXPOSURE_COMPANIES + 1 - len(down.depth)  # the investor is not counted
            if len(new) > room:
                new, down.capped = sorted(new)[:room], True
            down.depth.update(dict.fromkeys(new, depth))
            down.names.update(zip(cols[1], cols[8], strict=True))
            keep(down, cols)
            frontier = new
        if frontier:  # at a bound: keep the ties among the nodes found, flag anything further
            down.truncated = keep(down, hop(tx, frontier)) and not down.capped
        return down

    return graph.read_tx(work)


def _pcts(x: np.ndarray) -> np.ndarray:
    """lt.pct of every entry (Python's rounding, as the rows show them)."""
    return np.array([round(v, 6) for v in (x * 100).tolist()], dtype=float)


def _page_order(ranking_bounds: tuple[np.ndarray, ...], shown: np.ndarray,
                names: list[str], ids: list[str], depth: np.ndarray) -> tuple[np.ndarray, ...]:
    """The companies ``shown`` (indices) in page order, and their leverage stakes (%).

    The order is graphapp.leverage.chart.order's (known stakes first, largest first, then
    ranges by their lower bound, then the undisclosed ones; then the name) over the leverage
    ranking's (depth), read from the arrays: 151,751 rows shaped as dicts first took 5 s."""
    e_lo, e_hi, v_lo, v_hi = (b[shown] for b in ranking_bounds)
    pe, pv = _pcts(e_lo), _pcts(v_lo)

    def kind(lo: np.ndarray, hi: np.ndarray, pct_lo: np.ndarray) -> np.ndarray:
        exact = np.isfinite(hi) & (hi - lo < lt.EPS)  # lt.LookThrough.economic is not None
        return np.where(exact, _KNOWN, np.where(pct_lo != 0, _RANGE, _UNDISCLOSED))

    best = np.minimum(kind(e_lo, e_hi, pe), kind(v_lo, v_hi, pv))
    stake = np.maximum(pe, pv)
    keys = (np.array(ids, dtype=str), depth[shown], np.array(names, dtype=str), -stake, best)
    at = np.lexsort(keys) if len(shown) else np.zeros(0, dtype=np.int64)
    return shown[at], stake[at]


def _rank_harms(graph: Graph, stakes: dict[str, float], names: dict[str, str],
                as_of: str | None) -> list[_HarmRoute]:
    """The harms linked to the companies of ``stakes`` (their leverage stake, %), one per
    harm, by RANKING (ties: the harm's name, the company's, then ids), each with its best route
    and the other companies it is reached through. One query (exposure_harm_links' lists); no
    evidence is read here."""
    def work(tx: Tx) -> tuple[list, ...]:
        record = tx.tx.run(*tx.params("leverage.exposure_harm_links",
                                      {"ids": sorted(stakes), "as_of": as_of}))
        return tuple(record.single(strict=True))

    cos, harms, products, severities, harm_names = graph.read_tx(work)
    routes = []
    for c, h, p, s, n in zip(cos, harms, products, severities, harm_names, strict=True):
        severity = None if s is None or s < 0 else s
        stake = stakes[c]
        score = round(stake * (severity if severity is not None else UNKNOWN_SEVERITY), 6)
        routes.append((-score, -(severity or 0), -stake, n, names.get(c, ""), c, h, p == "", p,
                       severity))
    routes.sort()
    best: dict[str, tuple] = {}
    also: dict[str, list[str]] = {}
    for route in routes:
        c, h = route[5], route[6]
        if h not in best:
            best[h], also[h] = route, []
        elif c != best[h][5] and c not in also[h]:
            also[h].append(c)
    return [_HarmRoute(h, r[5], r[8] or None, r[9], -r[0], -r[2], tuple(also[h]))
            for h, r in best.items()]


@for_reader
def exposure_ranking(graph: Graph, investor_id: str, as_of: str | None = None,
                     max_depth: int = DEFAULT_MAX_DEPTH,
                     include_sensitive: bool = False) -> ExposureRanking:
    """The investor's whole exposure as numbers (see ExposureRanking): every company it holds
    directly or through chains with its integrated stake, and the harms linked to them, ranked
    (see RANKING). A company a viewer may not see (sensitive, or reached only through something
    sensitive) counts in the arithmetic but is not on the list, nor in its count, nor are its
    harms. Raises NotFound for an unknown id, BadRequest for bad params."""
    check_params(as_of, max_depth)
    investor = _lookup(graph, "leverage.holder", investor_id, "investor (a Company or Person)",
                       include_sensitive)
    down = _downstream(graph, investor, as_of, max_depth)
    net = _network(down.cols, nodes=(investor_id,))
    hidden = (np.zeros(net.size, dtype=bool) if include_sensitive
              else down.unseen(net, investor_id))
    # (build_network's warnings start with the id they are about: none about what is withheld)
    warnings = [w for w in net.warnings
                if (j := net.index.get(w.split(" ")[0].rstrip(":"))) is None or not hidden[j]]
    try:
        *bounds, held = lt.exposure_columns(net, investor_id)
    except lt.NotConvergent:  # (said in the reader's words by exposure_page)
        bounds, held = [np.zeros(net.size)] * 4, np.zeros(net.size, dtype=bool)
        warnings.append(NOT_CONVERGENT)
    depth = np.fromiter(map(down.depth.__getitem__, net.ids), dtype=np.int64, count=net.size)
    shown = np.flatnonzero(held & ~hidden)
    ids = [net.ids[i] for i in shown.tolist()]
    order, stake = _page_order(tuple(bounds), shown, [down.names.get(c, "") for c in ids], ids,
                               depth)
    stakes = dict(zip((net.ids[i] for i in order.tolist()), stake.tolist(), strict=True))
    return ExposureRanking(
        investor=investor, as_of=as_of, max_depth=max_depth, include_sensitive=include_sensitive,
        net=net, bounds=tuple(bounds), depth=depth, order=order, hidden=hidden,
        assumed=frozenset(lt.descendants(net, {c for _, c in net.voting_assumed})),
        harms=_rank_harms(graph, stakes, down.names, as_of) if stakes else [],
        truncated=down.truncated, capped=MAX_EXPOSURE_COMPANIES if down.capped else None,
        closed=lt.closed_cycles(net), warnings=warnings)


def page_at(total: int, page: int, per_page: int | None) -> dict[str, int]:
    """Where one page of a ranked list of ``total`` rows is: the page (past the last: the
    last), how many there are, where its rows start (1-based) and end."""
    per = per_page or max(1, total)
    pages = max(1, -(-total // per))
    page = min(max(1, page), pages)
    start = (page - 1) * per
    return {"page": page, "pages": pages, "per_page": per, "total": total,
            "first": start + 1, "last": min(start + per, total)}


@for_reader
def exposure_page(graph: Graph, ranking: ExposureRanking, page: int = 1, harms_page: int = 1,
                  per_page: int | None = PER_PAGE,
                  include_sensitive: bool = False) -> dict[str, Any]:
    """One page of an investor's exposure (``per_page`` None: all of it): the holdings of
    page ``page`` with their look-through, depth and strongest chain with its evidence, and the
    harms of page ``harms_page`` with theirs; where each page is in its list
    (``holdings_page``, ``harms_page``). Only the rows shown are read from the graph: the
    chains' hops, the harms' routes and the names of what they mention."""
    if ranking.include_sensitive != include_sensitive:
        raise ValueError("an exposure ranking is shaped for the reader it was made for")
    asked = {k: v for k, v in {"page": page, "harms_page": harms_page,
                               "per_page": per_page}.items() if v is not None}
    errors.load(ExposurePages(only=tuple(asked)), asked)
    root = ranking.investor["id"]
    held_at = page_at(len(ranking.order), page, per_page)
    harms_at = page_at(len(ranking.harms), harms_page, per_page)
    held = ranking.holdings(held_at["first"] - 1, held_at["last"])
    harms = ranking.harms[harms_at["first"] - 1:harms_at["last"]]
    chains = lt.strongest_chains(ranking.net, root, downstream=True, targets=held)
    pairs = sorted({pair for c in held for pair in pairwise(chains.get(c, []))})
    ids = {*held, *(x for c in held for x in chains.get(c, [])),
           *(x for h in harms for x in (h.company, *h.also)),
           *(x for cycle in ranking.closed for x in cycle)} - {root}

    def work(tx: Tx) -> tuple[list, list, list]:
        return (tx.run("leverage.entities_by_ids", ids=sorted(ids)),
                tx.run("leverage.exposure_hops", as_of=ranking.as_of,
                       pairs=[{"holder": a, "company": b} for a, b in pairs]),
                tx.run("leverage.harm_routes", as_of=ranking.as_of,
                       routes=[{"harm": h.harm, "company": h.company, "product": h.product}
                               for h in harms]))

    found, hops, routes = graph.read_tx(work)
    # (a node or route gone since the ranking was made, by a write in between, is left out:
    # the next request makes the ranking again under the graph's new version)
    nodes = {x: {"id": x, "name": x, "labels": [], "sensitive": ranking.withheld(x)}
             for x in ids}
    nodes[root] = {**ranking.investor, "depth": 0}
    for n in found:
        nodes[n["id"]] = {**n, "sensitive": n["sensitive"] or ranking.withheld(n["id"])}
    shaper = _Chains(Subgraph(nodes, [_row(r, "company") for r in hops], ranking.truncated),
                     include_sensitive)
    holdings = []
    for c in held:
        look, depth = ranking.look(c), int(ranking.depth[ranking.net.index[c]])
        holdings.append({
            "company": _node(nodes[c], include_sensitive),
            "depth": depth,
            "direct": depth == 1,
            **lt.as_dict(look),
            "voting_assumed": c in ranking.assumed,
            "leverage_pct": lt.pct(max(look.economic_lo, look.voting_lo)),
            "chain": shaper.chain(chains.get(c, [])),
        })
    said = {(r["harm_id"], r["company"], r["product_id"]): r for r in routes}
    shown = [_harm_row(said[(h.harm, h.company, h.product)], h, nodes, include_sensitive,
                       ranking.look(h.company), rank)
             for rank, h in enumerate(harms, harms_at["first"])
             if (h.harm, h.company, h.product) in said]
    closed = [[_node(nodes[x], include_sensitive) for x in ids] for ids in ranking.closed]
    # the bound first: a page shows the first ten warnings, and this one is about every figure
    warnings = [*([capped_warning(ranking.capped)] if ranking.capped else []),
                *map(str, ranking.warnings), *(closed_cycle_warning(c) for c in closed)]
    return {
        "investor": _node(ranking.investor, include_sensitive),
        "as_of": ranking.as_of,
        "max_depth": ranking.max_depth,
        "holdings": holdings,
        "harms": shown,
        "holdings_page": held_at,
        "harms_page": harms_at,
        "ranking": str(RANKING),
        "closed_cycles": closed,
        "truncated": ranking.truncated,
        "capped": ranking.capped,
        "warnings": warnings,
        "method": str(METHOD),
    }


class ExposurePages(Schema):
    """Which page of an exposure, validated the same way from the API, the page and Python (a
    bad one is a 400 naming it)."""

    page = fields.Integer(load_default=1, validate=validate.Range(1, 100_000), metadata={
        "description": "Which page of the holdings (the order the page shows)."})
    harms_page = fields.Integer(load_default=1, validate=validate.Range(1, 100_000), metadata={
        "description": "Which page of the ranked harms."})
    per_page = fields.Integer(load_default=PER_PAGE, validate=validate.Range(1, MAX_PER_PAGE),
                              metadata={"description": "Holdings, and harms, a page."})


PAGE_OPTIONS = ("page", "harms_page", "per_page")


def _harm_row(r: dict[str, Any], route: _HarmRoute, nodes: dict[str, dict[str, Any]],
              include_sensitive: bool, stake: lt.LookThrough, rank: int) -> dict[str, Any]:
    """A harm of the list as the page, the API and the exports show it."""
    dims = lt.as_dict(stake)
    return {
        "harm": {"id": r["harm_id"], "name": r["harm_name"], "labels": ["Harm"],
                 "harm_type": r["harm_type"], "severity": r["severity"], "status": r["status"],
                 "started": _plain(r["started"]), "ended": _plain(r["ended"])},
        "company": _node(nodes[route.company], include_sensitive),
        "product": ({"id": r["product_id"], "name": r["product_name"]}
                    if r["product_id"] else None),
        "involves": _pick(r["involves"], ("mechanism", *EVIDENCE_KEYS)),
        "operates": (_pick(r["operates"], EVIDENCE_KEYS) if r["operates"] else None),
        "leverage_pct": route.stake,
        # The most the stake can be (None: no bound): a 0 lower bound with room above it is
        # an undisclosed stake, which the page must not show as "0%".
        "stake_max_pct": _most(dims["economic_max_pct"], dims["voting_max_pct"]),
        "severity_known": route.severity is not None,
        "score": route.score,
        "also": [_node(nodes[c], include_sensitive) for c in route.also],
        "rank": rank,
    }


@for_reader
def investor_exposure(graph: Graph, investor_id: str, as_of: str | None = None,
                      max_depth: int = DEFAULT_MAX_DEPTH,
                      include_sensitive: bool = False) -> dict[str, Any]:
    """Every company the investor holds directly or through chains, with its integrated stake,
    and the harms linked to those companies, ranked (see RANKING): the whole of
    :func:`exposure_page`, the holdings by leverage stake (then depth, then name), for the
    command line and the exports."""
    ranking = exposure_ranking(graph, investor_id, as_of, max_depth, include_sensitive)
    result = exposure_page(graph, ranking, per_page=None, include_sensitive=include_sensitive)
    result["holdings"].sort(key=lambda x: (-(x["leverage_pct"] or 0), x["depth"],
                                           str(x["company"]["name"])))
    return result


@for_reader
def holder_interlocks(graph: Graph, investor_id: str, company_ids: list[str],
                      as_of: str | None = None, limit: int = 50,
                      include_sensitive: bool = False) -> dict[str, Any]:
    """An investor's interlocks with what it holds (``company_ids``): people with a role at
    the investor who sit on those companies' boards, and the other holders of those companies
    (co-investors), most shared companies first. Sensitive ones are left out for viewers."""
    board = graph.read("leverage.holder_board_links", id=investor_id, ids=company_ids,
                       as_of=as_of, include_sensitive=include_sensitive)
    holders = graph.read("leverage.co_holders", id=investor_id, ids=company_ids, as_of=as_of,
                         limit=limit, include_sensitive=include_sensitive)
    return {
        "board_members": [{"person": {"id": r["person_id"], "name": r["person_name"],
                                      "labels": ["Person"]},
                           "title": r["title_here"], "boards": r["boards"]} for r in board],
        "co_holders": [{"holder": {"id": r["id"], "name": r["name"], "labels": r["labels"]},
                        "companies": sorted(r["companies"], key=lambda c: -c["pct"])}
                       for r in holders],
    }


# --- 3. interlocks: shared board members, shared major investors ---------------------------------


@for_reader
def interlocks(graph: Graph, company_id: str, as_of: str | None = None,
               threshold: float = DEFAULT_THRESHOLD,
               include_sensitive: bool = False) -> dict[str, Any]:
    """Companies that share board members or major investors (>= ``threshold`` %) with this
    one, and the board members with every board they sit on (as LittleSis shows them)."""
    check_params(as_of, DEFAULT_MAX_DEPTH, threshold)
    company = _lookup(graph, "leverage.company", company_id, "company", include_sensitive)

    members: dict[str, dict[str, Any]] = {}
    by_company: dict[str, dict[str, Any]] = {}
    for r in graph.read("leverage.board_interlocks", id=company_id, as_of=as_of):
        person = _node({"id": r["person_id"], "name": r["person_name"], "labels": ["Person"]},
                       include_sensitive, sensitive=r["sensitive"])
        key = r["person_id"]
        hidden = r["sensitive"] and not include_sensitive
        member = members.setdefault(key, {"person": person, "roles": [], "other_boards": [],
                                          "_ids": set()})
        role = _pick(r["role"], ROLE_KEYS, withheld=hidden)
        if role not in member["roles"]:
            member["roles"].append(role)
        if r["other_id"] is None:
            continue
        other = _node({"id": r["other_id"], "name": r["other_name"], "labels": ["Company"]},
                      include_sensitive, sensitive=r["other_sensitive"])
        other_role = _pick(r["other_role"], ROLE_KEYS,
                           withheld=r["other_sensitive"] and not include_sensitive)
        member["other_boards"].append({"company": other, "role": other_role})
        member["_ids"].add(r["other_id"])
        shared = by_company.setdefault(r["other_id"], {"company": other, "people": []})
        shared["people"].append({"person": person, "role_here": role, "role_there": other_role})

    for m in members.values():
        m["boards"] = 1 + len(m.pop("_ids"))
    board = sorted(members.values(), key=lambda m: (-m["boards"], str(m["person"]["name"])))

    investors: dict[str, dict[str, Any]] = {}
    shared_inv: dict[str, dict[str, Any]] = {}
    for r in graph.read("leverage.investor_interlocks", id=company_id, as_of=as_of,
                        threshold=float(threshold)):
        inv = _node({"id": r["investor_id"], "name": r["investor_name"],
                     "labels": r["investor_labels"]}, include_sensitive, sensitive=r["sensitive"])
        hidden = r["sensitive"] and not include_sensitive
        entry = investors.setdefault(r["investor_id"], {
            "investor": inv, "economic_pct": r["economic"], "voting_pct": r["voting"],
            "stakes": [_pick(s, (*STAKE_KEYS, *EVIDENCE_KEYS), withheld=hidden)
                       for s in r["stakes"]],
            "other_holdings": [],
        })
        other = _node({"id": r["other_id"], "name": r["other_name"], "labels": ["Company"]},
                      include_sensitive, sensitive=r["other_sensitive"])
        there = {"company": other, "economic_pct": r["other_economic"],
                 "voting_pct": r["other_voting"],
                 "stakes": [_pick(s, (*STAKE_KEYS, *EVIDENCE_KEYS),
                                  withheld=r["other_sensitive"] and not include_sensitive)
                            for s in r["other_stakes"]]}
        entry["other_holdings"].append(there)
        shared = shared_inv.setdefault(r["other_id"], {"company": other, "investors": []})
        shared["investors"].append({"investor": inv, "here_economic_pct": r["economic"],
                                    "here_voting_pct": r["voting"],
                                    "there_economic_pct": r["other_economic"],
                                    "there_voting_pct": r["other_voting"]})

    def by_count(items: dict[str, dict[str, Any]], key: str) -> list[dict[str, Any]]:
        return sorted(items.values(), key=lambda x: (-len(x[key]), str(x["company"]["name"])))

    return {
        "company": _node(company, include_sensitive),
        "as_of": as_of,
        "threshold_pct": float(threshold),
        "board_members": board,
        "shared_board_members": by_count(by_company, "people"),
        "major_investors": sorted(investors.values(),
                                  key=lambda x: (-max(x["economic_pct"], x["voting_pct"]),
                                                 str(x["investor"]["name"]))),
        "shared_major_investors": by_count(shared_inv, "investors"),
    }


# --- 4. the whole network: who holds the most, through every chain ------------------------------

NETWORK_VALUE = _l(
    "Network value (Vitali, Glattfelder & Battiston 2011: the vector Ĩv) with v = 1 for every "
    "company, since the graph records no company's size: the sum of a holder's look-through "
    "stakes in every company it reaches, i.e. how many whole companies' worth it holds through "
    "all chains (a %(pct)s stake in each of ten companies is 3.0). Economic and voting apart; "
    "ranges give lower and upper bounds. Ranked by the economic lower bound, then the voting one.",
    pct="30%")
_UNKNOWN_CONFIDENCE = 4  # above every CONFIDENCE_RANK: "no stated confidence" is never weakest
_CONFIDENCE_OF_RANK = {rank: name for name, rank in model.CONFIDENCE_RANK.items()}


def _network(cols: tuple[list, ...], nodes: tuple[str, ...] = ()) -> lt.Network:
    """The network of network_stakes' (or exposure_stakes') columns: holders, companies and the
    four percentages, -1 standing for an absent one."""
    holders, companies, *pcts = cols[:6]
    econ, vote, lo, hi = (np.where(a < 0, np.nan, a)
                          for a in (np.asarray(x, dtype=float) for x in pcts))
    return lt.network_from_columns(holders, companies, econ, vote, lo, hi, nodes)


def _network_values(net: lt.Network) -> dict[str, np.ndarray | None]:
    """Ĩv (v = 1) for the four stake matrices; a matrix equal to one already solved (no ranges,
    votes assumed) reuses its answer. Upper bounds: None when the series has no finite sum."""
    ones = np.ones(net.size)
    values: dict[str, np.ndarray | None] = {}
    for name in ("econ_lo", "vote_lo", "econ_hi", "vote_hi"):
        m = getattr(net, name)
        same = next((k for k in values if (getattr(net, k) != m).nnz == 0), None)
        if same is not None:
            values[name] = values[same]
            continue
        try:
            values[name] = lt.network_value(m, ones)
        except lt.NotConvergent:
            if name.endswith("_lo"):
                raise
            values[name] = None
    return values


def _value_fields(values: dict[str, np.ndarray | None], i: int) -> dict[str, float | None]:
    """Node ``i``'s network values, exact when the bounds meet (as lt.as_dict, not in %)."""
    def at(name: str) -> float | None:
        col = values[name]
        return None if col is None or not np.isfinite(col[i]) else float(col[i])

    def r(x: float | None) -> float | None:
        return None if x is None else round(x, 6)

    if at("econ_lo") is None or at("vote_lo") is None:  # in or above a closed cycle
        return dict.fromkeys(("economic_value", "economic_min_value", "economic_max_value",
                              "voting_value", "voting_min_value", "voting_max_value"))
    v = lt.LookThrough("", at("econ_lo"), at("econ_hi"), at("vote_lo"), at("vote_hi"))
    return {"economic_value": r(v.economic), "economic_min_value": r(v.economic_lo),
            "economic_max_value": r(v.economic_hi), "voting_value": r(v.voting),
            "voting_min_value": r(v.voting_lo), "voting_max_value": r(v.voting_hi)}


def _rank_network(cols: tuple[list, ...], top: int) -> dict[str, Any]:
    """The whole-network computation on network_stakes' columns (no database): the top
    holders by network value, with their reach, control and the caveats of their chains."""
    clock = time.perf_counter()
    econ, vote, lo, hi, conf = (np.asarray(c, dtype=float) for c in cols[2:7])
    no_pct = (econ < 0) & (lo < 0) & (hi < 0)  # no figure at all: counted as 0-100%
    ranged = (econ < 0) & ~no_pct
    summary = {"nodes": 0, "stakes": len(econ), "holder_count": 0, "closed_cycles": [],
               "stakes_without_pct": int(no_pct.sum()), "stakes_as_ranges": int(ranged.sum()),
               "voting_assumed_stakes": int((vote < 0).sum())}
    if not len(econ):  # (build_network needs a stake)
        return {**summary, "ranked": [], "warnings": [], "timings": {}}
    net = _network(cols)
    n = summary["nodes"] = net.size
    holder_idx = np.fromiter((net.index[h] for h in cols[0]), dtype=np.int64, count=len(econ))
    per_node = {k: np.bincount(holder_idx, weights=m, minlength=n)
                for k, m in (("no_pct", no_pct), ("ranged", ranged), ("assumed", vote < 0))}
    weakest = np.full(n, _UNKNOWN_CONFIDENCE, dtype=np.int64)
    np.minimum.at(weakest, holder_idx, np.where(conf > 0, conf, _UNKNOWN_CONFIDENCE).astype(int))
    timings = {"build_s": time.perf_counter() - clock}

    warnings = list(net.warnings)
    clock = time.perf_counter()
    try:
        values = _network_values(net)
    except lt.NotConvergent:
        warnings.append(str(NOT_CONVERGENT))
        return {**summary, "ranked": [], "warnings": warnings, "timings": timings}
    if values["econ_hi"] is None or values["vote_hi"] is None:
        warnings.append(str(UNBOUNDED))
    control = lt.control_matrix(net.vote_lo)
    timings["solve_s"] = time.perf_counter() - clock

    clock = time.perf_counter()
    links = net.links.tocsr()
    holders_of = links.tocsc()
    direct = np.diff(links.indptr)
    candidates = np.flatnonzero(direct > 0)
    summary["holder_count"] = len(candidates)
    econ_lo, vote_lo = values["econ_lo"], values["vote_lo"]
    # in or above a closed cycle: no finite network value, so not ranked but named
    candidates = candidates[np.isfinite(econ_lo[candidates]) & np.isfinite(vote_lo[candidates])]
    summary["closed_cycles"] = lt.closed_cycles(net)
    if len(candidates) > top:  # the top ones and everyone tied with the last, sorted exactly
        last = np.partition(econ_lo[candidates], len(candidates) - top)[len(candidates) - top]
        candidates = candidates[econ_lo[candidates] >= last]
    order = sorted(candidates.tolist(),
                   key=lambda i: (-econ_lo[i], -vote_lo[i], net.ids[i]))[:top]
    ranked = []
    for i in order:
        reach = breadth_first_order(links, i, directed=True, return_predecessors=False)
        held_by_i = holders_of.indices[holders_of.indptr[i]:holders_of.indptr[i + 1]]
        conf_rank = int(weakest[reach].min())
        ranked.append({
            "id": net.ids[i],
            **_value_fields(values, i),
            "direct_holdings": int(direct[i]),
            "companies_reached": len(reach) - 1,
            "controls": int(control.indptr[i + 1] - control.indptr[i]),
            "ultimate": len(held_by_i) == 0,
            "in_cycle": bool(np.isin(held_by_i, reach).any()),
            "stakes_without_pct": int(per_node["no_pct"][reach].sum()),
            "stakes_as_ranges": int(per_node["ranged"][reach].sum()),
            "voting_assumed": bool(per_node["assumed"][reach].any()),
            "confidence": _CONFIDENCE_OF_RANK.get(conf_rank),
        })
    timings["rank_s"] = time.perf_counter() - clock
    return {**summary, "ranked": ranked, "warnings": warnings, "timings": timings}


@for_reader
def network_holders(graph: Graph, as_of: str | None = None, top: int = DEFAULT_TOP,
                    include_sensitive: bool = False) -> dict[str, Any]:
    """Who holds the most across the whole network: every active stake read in one query,
    every node's network value (see NETWORK_VALUE) solved at once, the ``top`` holders ranked
    with what they hold directly and through chains, what they control, and the caveats of
    the evidence their figures rest on. One read transaction (a consistent snapshot)."""
    check_params(as_of, top=top)

    def work(tx: Tx) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
        clock = time.perf_counter()
        # one record of lists: run directly, Tx.run's record.data() would walk every element
        cols = tuple(tx.tx.run(*tx.params("leverage.network_stakes", {"as_of": as_of}))
                     .single(strict=True))
        read_s = time.perf_counter() - clock
        found = _rank_network(cols, top)
        found["timings"] = {"read_s": read_s, **found["timings"]}
        ids = [r["id"] for r in found["ranked"]] + [x for c in found["closed_cycles"] for x in c]
        return found, {r["id"]: r for r in tx.run("leverage.entities_by_ids", ids=ids)}

    found, nodes = graph.read_tx(work)
    found["closed_cycles"] = [
        [_node(nodes.get(x, {"id": x, "name": x, "labels": []}), include_sensitive) for x in c]
        for c in found["closed_cycles"]]
    found["warnings"] += [closed_cycle_warning(c) for c in found["closed_cycles"]]
    holders = []
    for rank, row in enumerate(found.pop("ranked"), 1):
        node = nodes.get(row["id"], {"id": row["id"], "name": row["id"], "labels": []})
        holders.append({"rank": rank, "holder": _node(node, include_sensitive),
                        **{k: v for k, v in row.items() if k != "id"}})
    warnings = found.pop("warnings")
    timings = found.pop("timings")
    return {
        "as_of": as_of,
        "top": top,
        "holders": holders,
        **found,
        "withheld": sum(1 for h in holders if h["holder"].get("withheld")),
        "warnings": warnings,
        "timings": {k: round(v, 3) for k, v in timings.items()},
        "value": str(NETWORK_VALUE),
        "method": str(METHOD),
    }


def _most(*bounds: float | None) -> float | None:
    """The largest of upper bounds, None when one of them is unbounded (unknown)."""
    return None if any(b is None for b in bounds) else max(bounds)
