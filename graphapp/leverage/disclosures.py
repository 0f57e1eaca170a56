"""What a beneficial-ownership disclosure says beside the stakes, for the leverage page.

The look-through (graphapp.leverage.lookthrough) multiplies out recorded stakes. A register says
more, and an advocate needs it next to the arithmetic (issue 15):

- **declared**: the register's own figure for an indirect interest (``HOLDS_INDIRECTLY``), next
  to what graphapp computes from the chain: "declared 60% (register); computed from the chain:
  unknown, 0–100%". A computed range the declared figure falls outside is flagged. When the
  chain cannot give a figure, control detection uses the declared one.
- **undisclosed**: owners the disclosure does not name (``Undisclosed`` markers), with the
  reason: "owners undisclosed: the company is exempt from disclosure (e.g. a listed company)".
- **arrangements**: the people behind a trust or nomination that holds the company: its
  trustees, protectors and nominators are people to approach ("trustee of X, which holds Y%").
- **nominees**: a holder that holds as nominee, and its principal where the disclosure names one.
- **above**: who controls the ultimate controller without shares (a state over its ministry).

Names of sensitive nodes are withheld as everywhere else (``include_sensitive``).
"""

from __future__ import annotations

from typing import Any

from graphapp.i18n import gettext as _
from graphapp.i18n import lazy_gettext as _l
from graphapp.store.db import Graph, for_reader

EPS = 1e-6
MAJORITY = 50.0
# Parties to an arrangement an advocate can approach, and what each can do.
# (In the reader's language on a page and in the API, in English at the terminal.)
ROLE_LEVERAGE = {
    "trustee": _l("holds and votes the arrangement's shares"),
    "protector": _l("can veto the trustees' decisions or replace them"),
    "nominator": _l("instructs the nominee"),
    "settlor": _l("set it up, and may keep powers over it"),
}
# What an arrangement's party is, as a noun in a sentence ("trustee of X").
ROLE_WORDS = {"trustee": _l("trustee"), "protector": _l("protector"),
              "nominator": _l("nominator"), "settlor": _l("settlor"), "nominee": _l("nominee"),
              "beneficiary": _l("beneficiary")}
ROLE_ORDER = ("trustee", "protector", "nominator", "settlor", "nominee", "beneficiary")
WITHHELD = "(withheld: sensitive)"


def _node(node_id: str | None, name: str | None, labels: list[str], sensitive: bool,
          include_sensitive: bool) -> dict[str, Any]:
    if sensitive and not include_sensitive:
        return {"id": None, "name": WITHHELD, "labels": [], "withheld": True}
    return {"id": node_id, "name": name, "labels": labels}


def _range_text(lo: float | None, hi: float | None) -> str:
    if lo is None and hi is None:
        return _("not stated")
    lo, hi = lo or 0.0, 100.0 if hi is None else hi
    return f"{lo:g}%" if abs(hi - lo) < EPS else f"{lo:g}–{hi:g}%"


def _declared_bounds(props: dict[str, Any], kind: str) -> tuple[float | None, float | None]:
    if kind == "voting":
        v = props.get("voting_pct")
        return (v, v) if v is not None else (None, None)
    if props.get("economic_pct") is not None:
        return props["economic_pct"], props["economic_pct"]
    return props.get("pct_min"), props.get("pct_max")


def _computed(row: dict[str, Any] | None, kind: str,
              direct: dict[str, tuple[float, float]]) -> tuple[float, float | None] | None:
    """The holder's look-through less its direct stake: what the chains give indirectly."""
    if row is None:
        return None
    lo, hi = row[f"{kind}_min_pct"], row[f"{kind}_max_pct"]
    d_lo, d_hi = direct.get(kind, (0.0, 0.0))
    return max(0.0, lo - d_hi), None if hi is None else max(0.0, hi - d_lo)


def compare(props: dict[str, Any], row: dict[str, Any] | None,
            direct: dict[str, tuple[float, float]] | None = None) -> dict[str, Any]:
    """The declared figure beside the computed one, and whether they disagree.

    The computed figure is the holder's look-through less its direct stake (``direct``, by
    kind: economic and voting bounds), as the declaration is of the indirect interest only.
    ``chain_gives`` is False when the recorded chain leaves the figure open (0–100%, or the
    holder is not reached through recorded stakes): then the declared figure is the best there
    is. ``disagrees`` when the declared range and the computed range do not overlap.
    """
    out: dict[str, Any] = {"disagrees": False, "chain_gives": False, "parts": []}
    for kind in ("economic", "voting"):
        d_lo, d_hi = _declared_bounds(props, kind)
        if d_lo is None and d_hi is None:
            continue
        computed = _computed(row, kind, direct or {})
        if computed is None:
            text = _("not reached through recorded stakes")
            gives = False
        else:
            c_lo, c_hi = computed
            gives = not (c_lo < EPS and (c_hi is None or c_hi > 100 - EPS))
            text = (_range_text(c_lo, c_hi) if gives
                    else _("unknown, %(range)s", range=_range_text(c_lo, c_hi)))
            d_lo_, d_hi_ = d_lo if d_lo is not None else 0.0, d_hi if d_hi is not None else 100.0
            if gives and (d_lo_ > (c_hi if c_hi is not None else 100.0) + EPS
                          or d_hi_ < c_lo - EPS):
                out["disagrees"] = True
        out["chain_gives"] = out["chain_gives"] or gives
        said = {"declared": _range_text(d_lo, d_hi), "computed": text}
        out["parts"].append({
            "kind": kind, **said,
            "text": _("economic: declared %(declared)s (register); computed from the chain: "
                      "%(computed)s", **said) if kind == "economic" else
                    _("voting: declared %(declared)s (register); computed from the chain: "
                      "%(computed)s", **said)})
    if props.get("means"):
        out["parts"].append({"kind": "control", "declared": props["means"], "computed": None,
                             "text": _("control: declared (%(means)s)", means=props["means"])})
    out["text"] = "; ".join(p["text"] for p in out["parts"]) or _("declared, no figure stated")
    return out


@for_reader
def declared(graph: Graph, company_id: str, look: list[dict[str, Any]], as_of: str | None,
             include_sensitive: bool) -> list[dict[str, Any]]:
    """The register's declared indirect interests in the company, each beside the look-through
    figure of the same holder."""
    out = []
    direct: dict[str, dict[str, tuple[float, float]]] = {}
    for s in graph.read("leverage.direct_stakes", id=company_id, as_of=as_of):
        p, mine = s["props"], direct.setdefault(s["holder_id"], {})
        for kind, lo, hi in (("economic", p.get("economic_pct", p.get("pct_min")),
                              p.get("economic_pct", p.get("pct_max"))),
                             ("voting", p.get("voting_pct"), p.get("voting_pct"))):
            if lo is not None or hi is not None:
                a, b = mine.get(kind, (0.0, 0.0))
                mine[kind] = (a + (lo or 0.0), b + (100.0 if hi is None else hi))
    for r in graph.read("leverage.declared_interests", id=company_id, as_of=as_of):
        hidden = r["sensitive"] and not include_sensitive
        props = r["props"]
        found = compare(props, _by_id(look, r["holder_id"]), direct.get(r["holder_id"]))
        out.append({
            "holder": _node(r["holder_id"], r["holder_name"], r["holder_labels"], r["sensitive"],
                            include_sensitive),
            "_holder_id": r["holder_id"],
            **{k: props.get(k) for k in ("economic_pct", "voting_pct", "pct_min", "pct_max",
                                         "means", "beneficial_ownership", "start_date",
                                         "end_date", "as_of", "confidence")},
            "sources": [] if hidden else list(props.get("sources") or []),
            "via": [_node(v["id"], v["name"], [], v["sensitive"], include_sensitive)
                    for v in r["via"] if v],
            **found,
        })
    return out


def _by_id(look: list[dict[str, Any]], holder_id: str) -> dict[str, Any] | None:
    return next((x for x in look if x.get("_id") == holder_id), None)


def declared_controller(found: list[dict[str, Any]]) -> dict[str, Any] | None:
    """A holder the register says has a majority of the votes (or, with no voting figure, of
    the shares: one share, one vote) where the chain cannot give a figure."""
    for d in found:
        if d["chain_gives"]:
            continue
        votes = d.get("voting_pct")
        lo = votes if votes is not None else (
            d["economic_pct"] if d.get("economic_pct") is not None else d.get("pct_min"))
        if lo is not None and lo > MAJORITY:
            basis = (_("declared by the register: %(pct)s%% of the votes indirectly; the "
                       "recorded chain cannot give a figure", pct=f"{lo:g}")
                     if votes is not None else
                     _("declared by the register: %(pct)s%% of the shares indirectly; the "
                       "recorded chain cannot give a figure", pct=f"{lo:g}"))
            return {"holder": d["holder"], "declared_pct": lo, "basis": basis}
    return None


@for_reader
def undisclosed(graph: Graph, ids: list[str], first: str, as_of: str | None,
                include_sensitive: bool) -> list[dict[str, Any]]:
    """Owners the disclosures do not name, on the company or on a holder upstream of it."""
    out = []
    for r in graph.read("leverage.undisclosed_owners", ids=ids, first=first, as_of=as_of):
        props = r["props"]
        share = _range_text(props.get("economic_pct", props.get("pct_min")),
                            props.get("economic_pct", props.get("pct_max")))
        out.append({
            "marker": {"id": r["id"], "name": r["name"], "labels": ["Undisclosed"]},
            "reason": r["reason"], "reason_text": r["reason_text"],
            "on": _node(r["on_id"], r["on_name"], [], r["on_sensitive"], include_sensitive),
            "direct": r["on_id"] == first,
            "type": r["type"], "means": props.get("means"),
            "share": None if share == _range_text(None, None) else share,
            "text": _undisclosed_text(r),
        })
    return out


def _undisclosed_text(r: dict[str, Any]) -> str:
    from graphapp.io.bods_import import REASON_TEXT
    from graphapp.io.gleif import EXCEPTION_REASONS

    reason = r["reason"]
    # The registers' reasons are the interface's words: the English of graphapp.io's tables is
    # the msgid, looked up here (tests/test_experience.py checks each one is translated).
    why = REASON_TEXT.get(reason) or EXCEPTION_REASONS.get(reason, reason).rstrip(".")
    why = _(why) if reason in REASON_TEXT or reason in EXCEPTION_REASONS else why
    role = (r["props"] or {}).get("role")
    if r["type"] == "CONTROLS" and reason in EXCEPTION_REASONS:
        return _("parent not reported: %(why)s", why=why)
    if role:
        return _("%(role)s undisclosed: %(why)s", role=ROLE_WORDS.get(role, role), why=why)
    return _("owners undisclosed: %(why)s", why=why)


@for_reader
def arrangements(graph: Graph, company: str, look: list[dict[str, Any]], as_of: str | None,
                 include_sensitive: bool, controls: list[dict[str, Any]] = ()
                 ) -> list[dict[str, Any]]:
    """For each arrangement among the holders, or controlling the company without shares (a
    nomination holding a board seat, as the standard's own nomination example has it): its
    parties, and who of them to approach."""
    held: dict[str, tuple[dict[str, Any], str]] = {
        x["_id"]: (x["holder"], _stake_text(x, company)) for x in look
        if x.get("_id") and "Arrangement" in (x.get("_labels") or [])}
    for r in controls:
        if "Arrangement" in (r["holder_labels"] or []) and r["holder_id"] not in held:
            held[r["holder_id"]] = (
                _node(r["holder_id"], r["holder_name"], r["holder_labels"], r["sensitive"],
                      include_sensitive), _control_text(r["props"].get("means"), company))
    if not held:
        return []
    by_arrangement: dict[str, dict[str, Any]] = {}
    for r in graph.read("leverage.arrangement_parties", ids=list(held), as_of=as_of):
        holder, stake = held[r["arrangement_id"]]
        entry = by_arrangement.setdefault(r["arrangement_id"], {
            "arrangement": holder, "arrangement_type": r["arrangement_type"],
            "stake": stake, "parties": []})
        role = r["props"].get("role")
        party = _node(r["party_id"], r["party_name"], r["party_labels"], r["sensitive"],
                      include_sensitive)
        name = entry["arrangement"]["name"]
        entry["parties"].append({
            "party": party, "role": role,
            "share": _range_text(r["props"].get("pct_min", r["props"].get("economic_pct")),
                                 r["props"].get("pct_max", r["props"].get("economic_pct")))
            if any(r["props"].get(k) is not None for k in ("economic_pct", "pct_min", "pct_max"))
            else None,
            "target": role in ROLE_LEVERAGE and role != "settlor",
            "can": str(ROLE_LEVERAGE[role]) if role in ROLE_LEVERAGE else None,
            "role_text": str(ROLE_WORDS.get(role, role or "")),
            "why": (_("%(role)s of %(name)s, which holds %(stake)s: a %(role)s %(can)s",
                      role=ROLE_WORDS[role], name=name, stake=entry["stake"],
                      can=ROLE_LEVERAGE[role]) if role in ROLE_LEVERAGE else
                    _("%(role)s of %(name)s, which holds %(stake)s",
                      role=ROLE_WORDS.get(role, role), name=name, stake=entry["stake"])),
        })
    for entry in by_arrangement.values():
        entry["parties"].sort(key=lambda p: (ROLE_ORDER.index(p["role"])
                                             if p["role"] in ROLE_ORDER else 99,
                                             str(p["party"]["name"])))
    return list(by_arrangement.values())


BOARD_SEATS = ("boardMember", "boardChair")


def _control_text(means: str | None, company: str) -> str:
    """What an arrangement's control without shares is: "a seat on the board of X", else
    "control of X (its means)"."""
    codes = [m.split(": ")[0] for m in (means or "").split(", ") if m]
    if codes and all(c in BOARD_SEATS for c in codes):
        return f"a seat on the board of {company}"
    return f"control of {company}" + (f" ({means})" if means else "")


def _stake_text(row: dict[str, Any], company: str) -> str:
    economic = _range_text(row["economic_min_pct"], row["economic_max_pct"])
    voting = _range_text(row["voting_min_pct"], row["voting_max_pct"])
    return (_("%(economic)s of %(company)s", economic=economic, company=company)
            if economic == voting else
            _("%(economic)s of %(company)s (%(voting)s of the votes)", economic=economic,
              company=company, voting=voting))


@for_reader
def nominees(graph: Graph, company: str, look: list[dict[str, Any]],
             include_sensitive: bool) -> list[dict[str, Any]]:
    """Holders that hold as nominees, with the principal the disclosure names."""
    rows = {x.get("_id"): x for x in look if x.get("_id")}
    out = []
    for r in graph.read("leverage.nominee_principals", ids=list(rows)):
        row = rows[r["nominee_id"]]
        principal = _node(r["principal_id"], r["principal_name"], r["principal_labels"],
                          r["principal_sensitive"], include_sensitive)
        nominee = row["holder"]
        out.append({"nominee": nominee, "principal": principal,
                    "arrangement": {"id": r["arrangement_id"], "name": r["arrangement_name"]},
                    "stake": _stake_text(row, company),
                    "text": _("%(nominee)s holds %(stake)s as nominee for %(principal)s "
                              "(%(arrangement)s)", nominee=nominee["name"],
                              stake=_stake_text(row, company), principal=principal["name"],
                              arrangement=r["arrangement_name"])})
    return out


@for_reader
def above(graph: Graph, node_id: str, as_of: str | None, include_sensitive: bool,
          limit: int = 5) -> list[dict[str, Any]]:
    """The chain of control without shares above ``node_id`` (a state above its ministry), while
    each step has exactly one controller."""
    out, seen, current = [], {node_id}, node_id
    for _step in range(limit):
        rows = graph.read("leverage.controlled_by", id=current, as_of=as_of)
        if len(rows) != 1 or rows[0]["id"] in seen:
            break
        r = rows[0]
        out.append({**_node(r["id"], r["name"], r["labels"], r["sensitive"], include_sensitive),
                    "means": r["means"]})
        seen.add(r["id"])
        current = r["id"]
    return out


def with_ids(look: list[dict[str, Any]], ids: list[str], labels: list[list[str]]) -> None:
    """Keep each look-through row's real id and labels (private keys, dropped before output),
    so that withheld holders still take part in the matching above."""
    for row, node_id, node_labels in zip(look, ids, labels, strict=True):
        row["_id"], row["_labels"] = node_id, node_labels


def strip(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        for key in [k for k in row if k.startswith("_")]:
            del row[key]


