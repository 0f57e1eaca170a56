"""Campaign exports: any graph view as a diagram (HTML, PNG, SVG) or as data for other tools.

A *view* is a small graph model (:class:`View`): nodes and relationships with all their
properties, evidence on the relationships, a title, a caption and notes. It is built from

- ``escalation``: an escalation result (:func:`graphapp.escalation.escalate`, same filters);
- ``entity``: an entity's neighbourhood, up to ``depth`` hops (1 to 3);
- ``investor``: an investor's holdings down the chains and the harms linked to them
  (:func:`graphapp.leverage.investor_exposure`);
- ``company``: who holds a company, up the chains (:func:`graphapp.leverage.company_leverage`);
- ``graph``: the whole graph, filtered by labels, countries, confidence and date.

Sensitive nodes (``sensitive: true``) and relationships (``sensitive: true``, and HAS_CONTACT
by nature: :data:`graphapp.store.model.SENSITIVE_REL_TYPES`) are redacted unless the caller may and
does ask for them (:func:`may_include_sensitive`): a sensitive node becomes a placeholder
("a contact in Meta's policy team") with no properties and an opaque id; its relationships
keep their type only; a sensitive relationship between two public nodes is left out and
counted. Rendering lives in :mod:`graphapp.exports.formats`; docs/exports.md says it all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from graphapp import escalation, evidence, leverage
from graphapp.auth import Forbidden, may_see_sensitive
from graphapp.errors import NotFound, invalid
from graphapp.exports import formats as export_formats
from graphapp.i18n import gettext as _
from graphapp.i18n import ngettext
from graphapp.store import model
from graphapp.store.db import Graph, for_reader, plain
from graphapp.store.schemas import check_partial_date

VIEWS = ("escalation", "entity", "investor", "company", "graph")
FORMATS = tuple(export_formats.REGISTRY)  # the registry is graphapp.exports.formats.REGISTRY
SIZES = ("a4", "slide", "square", "social")
MAX_DEPTH = 3
DEFAULT_DEPTH = 1
DEFAULT_GRAPH_LIMIT = 5000
MAX_GRAPH_LIMIT = 20000
MAX_NEIGHBOURHOOD = 5000  # nodes an entity view holds at most (a hub at depth 3 is cut here)

# The label a node is drawn as, when it has several (an Investor is a Company too).
LABEL_PRIORITY = ("Harm", "Investor", "Regulator", "Forum", "Team", "Person", "Product",
                  "Company", "Country", "Organization", "Engagement", "Commitment")
HIDDEN_PROPS = {"key"}  # bookkeeping, not facts


@dataclass
class View:
    """A graph view, ready to render: nodes by id and relationships, all properties kept."""

    kind: str
    title: str
    caption: str
    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    edges: list[dict[str, Any]] = field(default_factory=list)
    filters: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    exported_on: str = field(default_factory=lambda: dt.date.today().isoformat())
    redacted: bool = False
    withheld_relationships: int = 0

    def sources(self) -> list[str]:
        """Every source cited by the nodes and relationships shown, most cited first."""
        counts: dict[str, int] = {}
        for item in [*self.nodes.values(), *self.edges]:
            for s in item["props"].get("sources") or []:
                counts[str(s)] = counts.get(str(s), 0) + 1
        return sorted(counts, key=lambda s: (-counts[s], s))


def primary_label(labels: list[str]) -> str:
    """The label a node is drawn as (colour, shape, legend)."""
    for label in LABEL_PRIORITY:
        if label in labels:
            return label
    return labels[0] if labels else "Entity"


def _node(row: dict[str, Any]) -> dict[str, Any]:
    props = {k: plain(v) for k, v in sorted(row["props"].items())
             if k not in HIDDEN_PROPS and v is not None}
    labels = [label for label in row["labels"] if label != model.BASE_LABEL]
    return {"id": row["id"], "labels": labels, "label": primary_label(labels),
            "name": str(props.get("name") or row["id"]), "props": props, "extra": {},
            "redacted": False}


def _edge(row: dict[str, Any]) -> dict[str, Any]:
    props = {k: plain(v) for k, v in sorted(row["props"].items())
             if k not in HIDDEN_PROPS and v is not None}
    return {"from": row["from"], "to": row["to"], "type": row["type"], "props": props,
            "redacted": False}


def is_sensitive_edge(edge: dict[str, Any]) -> bool:
    return bool(edge["props"].get("sensitive")) or edge["type"] in model.SENSITIVE_REL_TYPES


# --- who may see sensitive data ------------------------------------------------------------------


def may_include_sensitive(requested: bool, user: Any = None) -> bool:
    """Whether this export shows sensitive nodes and relationships unredacted.

    THE one place where the right to see sensitive data is checked for exports. ``user`` None
    is the terminal (``--include-sensitive``: whoever runs the CLI holds the database
    credentials). A web user who asks without the right (editor or admin,
    :func:`graphapp.auth.may_see_sensitive`) gets 403.
    """
    if not requested:
        return False
    if user is None:
        return True
    if not may_see_sensitive(user):
        raise Forbidden("Exporting sensitive people and relationships needs the editor role; "
                        "export without include_sensitive for the redacted view.")
    return True


# --- options -------------------------------------------------------------------------------------


def _list(value: Any) -> list[str]:
    if value is None:
        return []
    items = [value] if isinstance(value, str) else list(value)
    return [p.strip() for item in items for p in str(item).split(",") if p.strip()]


def check_graph_filters(labels: Any = None, countries: Any = None,
                        min_confidence: str | None = None, as_of: str | None = None,
                        limit: int | None = None) -> dict[str, Any]:
    """Validate the whole-graph filters; raise BadRequest naming every bad field."""
    errors: dict[str, list[str]] = {}
    wanted = _list(labels)
    unknown = [label for label in wanted if label not in model.ALL_LABELS]
    if unknown:
        errors["labels"] = [f"Unknown label(s) {', '.join(unknown)}; use: "
                            f"{', '.join(model.ALL_LABELS)}."]
    codes = [c.upper() for c in _list(countries)]
    bad = [c for c in codes if not (len(c) == 2 and c.isalpha())]
    if bad:
        errors["countries"] = [f"{', '.join(bad)}: use ISO 3166-1 alpha-2 codes (MM, CL)."]
    if min_confidence is not None and min_confidence not in model.CONFIDENCE_RANK:
        errors["min_confidence"] = [f"Must be one of: {', '.join(model.CONFIDENCE)}."]
    if as_of is not None:
        try:
            check_partial_date(str(as_of))
        except Exception as exc:
            errors["as_of"] = [getattr(exc, "messages", [str(exc)])[0]]
    cap = DEFAULT_GRAPH_LIMIT if limit is None else limit
    if not isinstance(cap, int) or isinstance(cap, bool) or not 1 <= cap <= MAX_GRAPH_LIMIT:
        errors["limit"] = [f"Must be a whole number from 1 to {MAX_GRAPH_LIMIT}."]
    if errors:
        raise invalid(errors)
    return {"labels": wanted or None, "countries": codes or None,
            "min_confidence": min_confidence, "as_of": as_of, "limit": cap}


def _rank(min_confidence: str | None) -> int:
    return model.CONFIDENCE_RANK.get(min_confidence or "", 0)


# --- hydration -----------------------------------------------------------------------------------


def _nodes(graph: Graph, ids: list[str]) -> dict[str, dict[str, Any]]:
    rows = graph.read("exports.nodes", ids=ids) if ids else []
    found = {r["id"]: _node(r) for r in rows}
    return {i: found[i] for i in ids if i in found}


def _relationships(graph: Graph, ids: list[str], *, types: list[str] | None = None,
                   min_confidence: str | None = None, as_of: str | None = None,
                   current: bool = False) -> list[dict[str, Any]]:
    if not ids:
        return []
    rows = graph.read("exports.relationships_among", ids=ids, types=types,
                      ranks=model.CONFIDENCE_RANK, min_rank=_rank(min_confidence),
                      as_of=as_of, current=current)
    edges = [_edge(r) for r in rows]
    for edge in edges:  # what the claim rests on, and whether it is stale on the view's day
        found = evidence.annotate(edge["props"], on=as_of, rel_type=edge["type"])
        edge["props"].update(evidence=found["evidence"], stale=found["stale"])
    return edges


def _root(graph: Graph, entity_id: str, include_sensitive: bool,
          what: str = "entity") -> dict[str, Any]:
    """The view's starting node; NotFound when it is unknown or sensitive and not shown."""
    nodes = _nodes(graph, [entity_id])
    root = nodes.get(entity_id)
    if root is None or (root["props"].get("sensitive") and not include_sensitive):
        raise NotFound(f"No {what} with id {entity_id!r}.")
    return root


# --- the views -----------------------------------------------------------------------------------


@for_reader
def escalation_view(graph: Graph, harm_id: str, *, as_of: str | None = None,
                    min_confidence: str | None = None, kinds: Any = None,
                    max_hops: int | None = None, limit: int | None = None,
                    org: str | None = None, include_sensitive: bool = False,
                    **more: Any) -> View:
    """The paths of an escalation result: every target's path, each node and hop once.
    ``more``: escalate's other options (the harm page passes all of its filters)."""
    _root(graph, harm_id, include_sensitive)
    # Sensitive people take part (they are redacted below, not dropped): the diagram shows
    # that there is a contact in a team without saying who.
    result = escalation.escalate(graph, harm_id, as_of=as_of, min_confidence=min_confidence,
                                 kinds=kinds, max_hops=max_hops, limit=limit, org=org,
                                 include_sensitive=True, **more)
    sub_nodes, sub_edges = escalation.subgraph(result)
    filters = result["filters"]
    nodes = _nodes(graph, [n["id"] for n in sub_nodes])
    targets = {(t["id"]): t for r in result["rungs"] for t in r["targets"]}
    for n in sub_nodes:
        if n["id"] in nodes:
            extra = {"rung": n.get("rung") or "on the way"}
            t = targets.get(n["id"])
            if t is not None:
                # rank: among all targets (the drawing keeps the best first); rung_rank: the
                # place within its rung, as on the harm page.
                extra.update(rank=t["overall"], rung_rank=t["rank"], score=t["score"],
                             why=t["why"])
                if t.get("flags"):  # opacity is data: owners a register does not name
                    extra["flags"] = list(t["flags"])
            nodes[n["id"]]["extra"] = extra
    wanted = {(e["from"], e["type"], e["to"]) for e in sub_edges}
    edges = [e for e in _relationships(graph, list(nodes), types=sorted({t for _, t, _ in wanted}),
                                       min_confidence=filters["min_confidence"],
                                       as_of=filters["evaluated_on"])
             if (e["from"], e["type"], e["to"]) in wanted]
    start = result["start"]["name"]
    when = (_("as of today (%(date)s)", date=filters["evaluated_on"]) if filters["current"]
            else _("as of %(date)s", date=filters["as_of"]))
    caption = ngettext(
        "Who to pressure about %(harm)s: %(num)d target from the local office up to those who "
        "decide and fund, %(when)s, evidence at least %(confidence)s.",
        "Who to pressure about %(harm)s: %(num)d targets from the local office up to those who "
        "decide and fund, %(when)s, evidence at least %(confidence)s.",
        result["count"], harm=start, when=when, confidence=_word(filters["min_confidence"]))
    view = View("escalation", _("Escalation: %(harm)s", harm=start), caption, nodes, edges,
                filters={"harm": harm_id, **filters})
    if result.get("message"):
        view.notes.append(result["message"])
    view.notes += opacity_flags(
        (t["details"].get("company"), flag) for r in result["rungs"] for t in r["targets"]
        if t["id"] in nodes for flag in t.get("flags") or [])
    return finish(graph, view, include_sensitive)


def opacity_flags(found: Any) -> list[str]:
    """Notes for what a register does not say ("Company 4: owners undisclosed: ..."), each
    once, in order: an export carries the gap as the page does (issue 15)."""
    notes = [f"{on}: {text}" if on else text[:1].upper() + text[1:] for on, text in found]
    return list(dict.fromkeys(notes))


@for_reader
def entity_view(graph: Graph, entity_id: str, *, depth: int = DEFAULT_DEPTH,
                min_confidence: str | None = None, as_of: str | None = None,
                include_sensitive: bool = False, max_nodes: int = MAX_NEIGHBOURHOOD) -> View:
    """An entity and everything within ``depth`` hops (1 to 3), with the ties among them.

    The walk does not go on through sensitive nodes or relationships unless they are shown
    (a placeholder ends the walk), and stops at ``max_nodes`` nodes (noted in the view).
    """
    if not isinstance(depth, int) or isinstance(depth, bool) or not 1 <= depth <= MAX_DEPTH:
        raise invalid({"depth": [f"Must be a whole number from 1 to {MAX_DEPTH}."]})
    opts = check_graph_filters(min_confidence=min_confidence, as_of=as_of)
    root = _root(graph, entity_id, include_sensitive)
    hops = {entity_id: 0}
    frontier, truncated = [entity_id], False
    for d in range(1, depth + 1):
        if not frontier:
            break
        rows = graph.read("exports.neighbours", ids=frontier, ranks=model.CONFIDENCE_RANK,
                          min_rank=_rank(opts["min_confidence"]), as_of=opts["as_of"],
                          current=False, sensitive_types=list(model.SENSITIVE_REL_TYPES),
                          limit=max_nodes * 4)
        truncated = truncated or len(rows) >= max_nodes * 4
        expand: dict[str, bool] = {}
        for r in rows:
            # A public node reached only through a sensitive relationship stays out: it would
            # show the link that is withheld. A sensitive node shows as a placeholder, unwalked.
            if not include_sensitive and r["via_sensitive"] and not r["sensitive"]:
                continue
            walk = include_sensitive or not (r["sensitive"] or r["via_sensitive"])
            expand[r["id"]] = expand.get(r["id"], False) or walk
        frontier = []
        for node_id, walk in expand.items():
            if node_id in hops:
                continue
            if len(hops) >= max_nodes:
                truncated = True
                break
            hops[node_id] = d
            if walk:
                frontier.append(node_id)
    nodes = _nodes(graph, list(hops))
    for node_id, node in nodes.items():
        node["extra"] = {"depth": hops[node_id]}
    edges = _relationships(graph, list(nodes), min_confidence=opts["min_confidence"],
                           as_of=opts["as_of"])
    name = root["name"]
    caption = ngettext("%(name)s and what is connected to it, up to %(num)d hop",
                       "%(name)s and what is connected to it, up to %(num)d hops", depth,
                       name=name)
    if opts["as_of"]:
        caption += _(", as of %(date)s", date=opts["as_of"])
    if opts["min_confidence"]:
        caption += _(", evidence at least %(confidence)s",
                     confidence=_word(opts["min_confidence"]))
    view = View("entity", _("%(name)s: connections", name=name), caption + ".", nodes, edges,
                filters={"id": entity_id, "depth": depth, "min_confidence":
                         opts["min_confidence"], "as_of": opts["as_of"]})
    if truncated:
        view.notes.append(_("The neighbourhood is larger than %(num)d nodes and was cut; "
                            "export a smaller depth or filter by evidence.", num=max_nodes))
    return finish(graph, view, include_sensitive)


@for_reader
def investor_view(graph: Graph, investor_id: str, *, as_of: str | None = None,
                  max_depth: int | None = None, include_sensitive: bool = False) -> View:
    """What an investor holds down the ownership chains, and the harms linked to those
    holdings (leverage's exposure), with every stake between them."""
    root = _root(graph, investor_id, include_sensitive, "investor (a Company or Person)")
    result = leverage.investor_exposure(
        graph, investor_id, as_of=as_of,
        max_depth=leverage.DEFAULT_MAX_DEPTH if max_depth is None else max_depth,
        include_sensitive=True)
    extra: dict[str, dict[str, Any]] = {investor_id: {"role": "investor"}}
    for h in result["holdings"]:
        extra[h["company"]["id"]] = {
            "role": "holding", "depth": h["depth"], "leverage_pct": h["leverage_pct"],
            **{k: h.get(k) for k in ("economic_pct", "voting_pct") if h.get(k) is not None}}
    for h in result["harms"]:
        e = extra.setdefault(h["harm"]["id"], {"role": "harm", "rank": h["rank"],
                                               "score": h["score"]})
        e["rank"] = min(e.get("rank", h["rank"]), h["rank"])
        if h["product"]:
            extra.setdefault(h["product"]["id"], {"role": "product"})
    nodes = _nodes(graph, list(extra))
    for node_id, node in nodes.items():
        node["extra"] = {k: v for k, v in extra[node_id].items() if v is not None}
    edges = _relationships(graph, list(nodes), types=["OWNS", "INVOLVES", "OPERATES"],
                           as_of=as_of, current=as_of is None)
    held = ngettext("%(num)d company", "%(num)d companies", len(result["holdings"]))
    links = ngettext("%(num)d harm link", "%(num)d harm links", len(result["harms"]))
    caption = (_("What %(name)s holds directly and through ownership chains (%(held)s), and "
                 "the %(links)s to those holdings, as of %(date)s.", name=root["name"],
                 held=held, links=links, date=as_of) if as_of else
               _("What %(name)s holds directly and through ownership chains (%(held)s), and "
                 "the %(links)s to those holdings, current stakes.", name=root["name"],
                 held=held, links=links)) + " " + _("Harms ranked by stake x severity.")
    view = View("investor", _("%(name)s: holdings and harms", name=root["name"]), caption,
                nodes, edges,
                filters={"id": investor_id, "as_of": as_of, "max_depth": result["max_depth"]})
    if result["truncated"]:
        view.notes.append(_chains_cut(result["max_depth"]))
    view.notes += result["warnings"]
    return finish(graph, view, include_sensitive)


@for_reader
def company_view(graph: Graph, company_id: str, *, as_of: str | None = None,
                 max_depth: int | None = None, include_sensitive: bool = False) -> View:
    """Who holds a company up the ownership chains (leverage's look-through), with every
    stake and control link between them."""
    root = _root(graph, company_id, include_sensitive, "company")
    result = leverage.company_leverage(
        graph, company_id, as_of=as_of,
        max_depth=leverage.DEFAULT_MAX_DEPTH if max_depth is None else max_depth,
        include_sensitive=True)
    extra: dict[str, dict[str, Any]] = {company_id: {"role": "company"}}
    for r in result["look_through"]:
        extra[r["holder"]["id"]] = {
            "role": "holder", "depth": r["depth"],
            **{k: r.get(k) for k in ("economic_pct", "voting_pct") if r.get(k) is not None}}
    for s in result["other_control"]:
        extra.setdefault(s["holder"]["id"], {"role": "controller"})
    nodes = _nodes(graph, list(extra))
    for node_id, node in nodes.items():
        node["extra"] = extra[node_id]
    edges = _relationships(graph, list(nodes), types=["OWNS", "CONTROLS"], as_of=as_of,
                           current=as_of is None)
    count = len(result["look_through"])
    caption = (ngettext("Who holds %(name)s: %(num)d holder directly and through ownership "
                        "chains, as of %(date)s.", "Who holds %(name)s: %(num)d holders "
                        "directly and through ownership chains, as of %(date)s.", count,
                        name=root["name"], date=as_of) if as_of else
               ngettext("Who holds %(name)s: %(num)d holder directly and through ownership "
                        "chains, current stakes.", "Who holds %(name)s: %(num)d holders "
                        "directly and through ownership chains, current stakes.", count,
                        name=root["name"]))
    view = View("company", _("Who holds %(name)s", name=root["name"]), caption, nodes, edges,
                filters={"id": company_id, "as_of": as_of, "max_depth": result["max_depth"]})
    if result["truncated"]:
        view.notes.append(_chains_cut(result["max_depth"]))
    view.notes += result["warnings"]
    if (result["undisclosed"] or result["declared"]) and not include_sensitive:
        # the notes name holders: as the viewer may see them (names withheld)
        result = leverage.company_leverage(graph, company_id, as_of=as_of,
                                           max_depth=result["max_depth"])
    view.notes += opacity_flags(
        [(None if m["direct"] else m["on"]["name"], m["text"]) for m in result["undisclosed"]]
        + [(d["holder"]["name"], d["text"] + (" (the register's figure and the recorded chain "
                                              "disagree)" if d["disagrees"] else ""))
           for d in result["declared"]])
    return finish(graph, view, include_sensitive)


def _word(value: str | None) -> str:
    """An option's value ("reported") in the reader's words (the catalogues have them)."""
    return _(value) if value else ""


def _chains_cut(depth: int) -> str:
    return ngettext("Chains longer than %(num)d hop were cut.",
                    "Chains longer than %(num)d hops were cut.", depth)


@for_reader
def graph_view(graph: Graph, *, labels: Any = None, countries: Any = None,
               min_confidence: str | None = None, as_of: str | None = None,
               limit: int | None = None, include_sensitive: bool = False) -> View:
    """The whole graph, or the part with these labels, in these countries; relationships
    with at least this evidence, active on ``as_of`` (default: all, ended ones marked)."""
    opts = check_graph_filters(labels, countries, min_confidence, as_of, limit)
    params = {"labels": opts["labels"], "countries": opts["countries"],
              "include_sensitive": include_sensitive}
    ids = [r["id"] for r in graph.read("exports.graph_nodes", limit=opts["limit"], **params)]
    truncated = len(ids) > opts["limit"]
    total = graph.read("exports.graph_count", **params)[0]["count"] if truncated else len(ids)
    ids = ids[:opts["limit"]]
    nodes = _nodes(graph, ids)
    edges = _relationships(graph, ids, min_confidence=opts["min_confidence"],
                           as_of=opts["as_of"])
    parts = []
    if opts["labels"]:
        parts.append(_("labels %(labels)s", labels=", ".join(opts["labels"])))
    if opts["countries"]:
        parts.append(_("in %(countries)s", countries=", ".join(opts["countries"])))
    if opts["min_confidence"]:
        parts.append(_("evidence at least %(confidence)s",
                       confidence=_word(opts["min_confidence"])))
    if opts["as_of"]:
        parts.append(_("as of %(date)s", date=opts["as_of"]))
    counts = _("%(nodes)s, %(edges)s",
               nodes=ngettext("%(num)d node", "%(num)d nodes", len(nodes)),
               edges=ngettext("%(num)d relationship", "%(num)d relationships", len(edges)))
    caption = (_("The graph (%(filters)s): %(counts)s.", filters="; ".join(parts),
                 counts=counts) if parts else _("The graph: %(counts)s.", counts=counts))
    view = View("graph", _("The power map"), caption, nodes, edges, filters=opts)
    if truncated:
        view.notes.append(_("The first %(limit)s of %(total)s nodes (by id); narrow the view "
                            "with labels or countries, or raise the limit.",
                            limit=opts["limit"], total=total))
    return finish(graph, view, include_sensitive)


@for_reader
def build_view(graph: Graph, view: str, *, include_sensitive: bool = False,
               **options: Any) -> View:
    """Dispatch on ``view`` (one of VIEWS) with that view's options (docs/exports.md)."""
    options = {k: v for k, v in options.items() if v is not None}
    if view == "escalation":
        harm = options.pop("harm", None) or options.pop("id", None)
        if not harm:
            raise invalid({"harm": ["view=escalation needs harm (the harm's id)."]})
        keep = ("as_of", "min_confidence", "kinds", "max_hops", "limit", "org")
        return escalation_view(graph, harm, include_sensitive=include_sensitive,
                               **{k: options[k] for k in keep if k in options})
    if view in ("entity", "investor", "company"):
        entity_id = options.get("id")
        if not entity_id:
            raise invalid({"id": [f"view={view} needs id (the entity's id)."]})
        if view == "entity":
            keep = ("depth", "min_confidence", "as_of")
            return entity_view(graph, entity_id, include_sensitive=include_sensitive,
                               **{k: options[k] for k in keep if k in options})
        builder = investor_view if view == "investor" else company_view
        return builder(graph, entity_id, include_sensitive=include_sensitive,
                       **{k: options[k] for k in ("as_of", "max_depth") if k in options})
    if view == "graph":
        keep = ("labels", "countries", "min_confidence", "as_of", "limit")
        return graph_view(graph, include_sensitive=include_sensitive,
                          **{k: options[k] for k in keep if k in options})
    raise invalid({"view": [f"Must be one of: {', '.join(VIEWS)}."]})


# --- redaction -----------------------------------------------------------------------------------


def _words(text: str | None) -> str:
    return str(text or "").replace("_", " ")


def placeholder(label: str, context: dict[str, Any] | None) -> str:
    """What a redacted node is called: where it sits, never who it is."""
    context = context or {}
    contact = bool(context.get("is_contact"))
    teams = context.get("teams") or []
    if teams:
        team = teams[0]
        if team.get("company") and team.get("function"):
            words = {"company": team["company"], "function": _(_words(team["function"]))}
            return (_("a contact in %(company)s's %(function)s team", **words) if contact else
                    _("a person in %(company)s's %(function)s team", **words)
                    if label == "Person" else
                    _("a sensitive entity in %(company)s's %(function)s team", **words))
        return (_("a contact in %(team)s", team=team["team"]) if contact else
                _("a person in %(team)s", team=team["team"]) if label == "Person" else
                _("a sensitive entity in %(team)s", team=team["team"]))
    if context.get("companies"):
        company = context["companies"][0]
        return (_("a contact at %(company)s", company=company) if contact else
                _("a person at %(company)s", company=company) if label == "Person" else
                _("a sensitive entity at %(company)s", company=company))
    if label == "Person" and not contact:
        return _("a sensitive person")
    return _("a contact") if contact else _("a sensitive entity")


def _unnamed(value: Any, names: dict[str, str]) -> Any:
    """A text with every hidden node's name replaced by its placeholder."""
    if isinstance(value, str):
        for name, stand_in in names.items():
            value = value.replace(name, stand_in)
    return value


# The view's facts about a node that say only where the drawing puts it; a placeholder keeps them.
PLACE_KEYS = ("rung", "role", "depth")


def redact(view: View, contexts: dict[str, dict[str, Any]]) -> View:
    """Replace sensitive nodes by placeholders and strip sensitive relationships (in place).

    ``contexts``: for each sensitive node id, what its placeholder may say
    (``exports.redaction_context``). Pure: the tests call it on views made in memory.
    """
    hidden = [i for i, n in view.nodes.items() if n["props"].get("sensitive")]
    alias = {real: f"redacted-{k}" for k, real in enumerate(hidden, 1)}
    names = {view.nodes[i]["name"]: placeholder(view.nodes[i]["label"], contexts.get(i))
             for i in hidden if view.nodes[i].get("name")}
    nodes: dict[str, dict[str, Any]] = {}
    for node_id, node in view.nodes.items():
        if node_id in alias:
            name = placeholder(node["label"], contexts.get(node_id))
            # where it is drawn (its rung, its role, how deep it is held) and nothing else: a
            # placeholder without them fell into the drawing's default row, the harms'
            where = {k: v for k, v in node.get("extra", {}).items() if k in PLACE_KEYS}
            nodes[alias[node_id]] = {"id": alias[node_id], "labels": [node["label"]],
                                     "label": node["label"], "name": name,
                                     "props": {"name": name}, "extra": where, "redacted": True}
        else:  # texts built from a hidden node ("why": "... has a contact inside: X") too
            node["extra"] = {k: _unnamed(v, names) for k, v in node.get("extra", {}).items()}
            nodes[node_id] = node
    edges, seen, withheld = [], set(), 0
    for edge in view.edges:
        ends = (edge["from"] in alias, edge["to"] in alias)
        if is_sensitive_edge(edge) and not any(ends):
            withheld += 1  # both ends public: showing it at all would tell the secret
            continue
        if is_sensitive_edge(edge) or any(ends):
            key = (alias.get(edge["from"], edge["from"]), edge["type"],
                   alias.get(edge["to"], edge["to"]))
            if key in seen:
                continue
            seen.add(key)
            edges.append({"from": key[0], "to": key[2], "type": edge["type"], "props": {},
                          "redacted": True})
        else:
            edges.append(edge)
    view.nodes, view.edges = nodes, edges
    view.redacted = True
    view.withheld_relationships = withheld
    if hidden:
        shown = ngettext("Sensitive data redacted: %(num)d node shown as a placeholder without "
                         "name or sources", "Sensitive data redacted: %(num)d nodes shown as "
                         "placeholders without names or sources", len(hidden))
        if withheld:
            shown += ngettext(", %(num)d relationship left out", ", %(num)d relationships left "
                              "out", withheld)
        view.notes.append(shown + ".")
    elif withheld:  # not "0 nodes shown as placeholders, 1 relationship left out"
        view.notes.append(ngettext("Sensitive data redacted: %(num)d relationship left out.",
                                   "Sensitive data redacted: %(num)d relationships left out.",
                                   withheld))
    return view


@for_reader
def finish(graph: Graph, view: View, include_sensitive: bool) -> View:
    """Redact the view unless sensitive data is to be shown."""
    if include_sensitive:
        view.notes.append(_("This export includes sensitive people and relationships: share "
                            "it only with people who may see them."))
        return view
    hidden = [i for i, n in view.nodes.items() if n["props"].get("sensitive")]
    contexts = {r["id"]: r for r in graph.read("exports.redaction_context", ids=hidden)} \
        if hidden else {}
    return redact(view, contexts)


# --- the whole export ----------------------------------------------------------------------------


@for_reader
def export(graph: Graph, view: str, fmt: str, *, size: str = "slide",
           include_sensitive: bool = False, title: str | None = None,
           caption: str | None = None, href: Any = None,
           **options: Any) -> tuple[bytes, str, str]:
    """Build the view and render it: ``(content, mimetype, file name)``. ``href(id)``: a
    node's link in the HTML page (the web app passes its entity pages)."""
    if fmt not in FORMATS:
        raise invalid({"format": [f"Must be one of: {', '.join(FORMATS)}."]})
    if size not in SIZES:
        raise invalid({"size": [f"Must be one of: {', '.join(SIZES)}."]})
    result = build_view(graph, view, include_sensitive=include_sensitive, **options)
    if title:
        result.title = title
    if caption:
        result.caption = caption
    content = export_formats.render(result, fmt, size=size, href=href)
    kind = export_formats.REGISTRY[fmt]
    subject = options.get("harm") or options.get("id") or "graph"
    name = f"graphapp-{view}-{subject}-{result.exported_on}.{kind.extension}"
    return content, kind.mimetype, name
