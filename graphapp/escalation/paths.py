"""A path of the escalation, hop by hop, in words: each hop names both nodes, the direction
in which its relationship points, its dates and evidence, and an edge label in the advocates'
words ("owns 13%", "oversees under Digital Services Act"). The bottom of the escalation: the
ladder (:mod:`.core`), its score (:mod:`.scoring`) and its sentences (:mod:`.sentences`) all
read paths as these hops."""

from __future__ import annotations

import re
from typing import Any

from graphapp.i18n import gettext as _
from graphapp.i18n import lazy_gettext as _l
from graphapp.store import model
from graphapp.store.db import plain as _plain

HOP_FIELDS = ("start_date", "end_date", "as_of", "confidence", "sources", "source_tiers", "note")
HIDDEN_REL_PROPS = {"type", "from", "to", "key", "updated_at", "sensitive"}


def node(raw: dict[str, Any]) -> dict[str, Any]:
    """A node as a path shows it: id, name (else the id) and its labels but the base one."""
    return {"id": raw["id"], "name": raw.get("name") or raw["id"],
            "labels": [label for label in raw.get("labels", []) if label != model.BASE_LABEL]}


def hops_of(nodes: list[dict[str, Any]], rels: list[dict[str, Any]],
            memo: dict[tuple, dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Ordered hops from the start: each names both nodes, the type, the direction in which the
    relationship points (``out``: from the earlier node to the later), its dates and evidence.

    ``memo`` shares hops between the paths of one answer (they share their beginnings: the
    harm's product and company chain, and each query row brings its own copy of a
    relationship); the hops are read, never changed, but for their evidence, written once.
    """
    hops = []
    for i, rel in enumerate(rels):
        # one relationship is one hop, whichever row of the answer brought it
        key = ((rel["type"], rel["from"], rel["to"], rel.get("key"), nodes[i]["id"])
               if "from" in rel else (id(rel), nodes[i]["id"], nodes[i + 1]["id"]))
        hop = memo.get(key) if memo is not None else None
        if hop is None:
            hop = _hop(nodes[i], nodes[i + 1], rel)
            if memo is not None:
                memo[key] = hop
        hops.append(hop)
    return hops


def _hop(start: dict[str, Any], end: dict[str, Any], rel: dict[str, Any]) -> dict[str, Any]:
    here, there = node(start), node(end)
    hop = {"from": here, "to": there, "type": rel["type"],
           "direction": "out" if rel["from"] == here["id"] else "in"}
    for key in HOP_FIELDS:
        hop[key] = _plain(rel.get(key))
    hop["sources"] = hop["sources"] or []
    hop["start_unknown"] = hop["start_date"] is None
    hop["details"] = {k: _plain(v) for k, v in sorted(rel.items())
                      if k not in HIDDEN_REL_PROPS and k not in HOP_FIELDS and v is not None}
    hop["edge_label"] = edge_label(rel["type"], hop["details"])
    return hop


# Human words for each relationship, read in the direction it points ("owns 13%"): in the
# reader's language in a request (the harm page's paths, the web's exports), English elsewhere.
EDGE_WORDS = {
    "OWNS": _l("owns"), "CONTROLS": _l("controls"),
    "INCORPORATED_IN": _l("is incorporated in"), "HEADQUARTERED_IN": _l("has its headquarters in"),
    "OPERATES_IN": _l("operates in"), "PART_OF": _l("is part of"),
    "REPORTS_TO": _l("reports to"), "HOLDS_ROLE": _l("holds a role in"),
    "OPERATES": _l("operates"), "RESPONSIBLE_FOR": _l("is responsible for"),
    "AVAILABLE_IN": _l("is available in"), "INVOLVES": _l("involves"),
    "OCCURRED_IN": _l("occurred in"), "HAS_JURISDICTION_OVER": _l("has jurisdiction over"),
    "OVERSEES": _l("oversees"), "MEMBER_OF": _l("is a member of"),
    "DOCUMENTED": _l("documented"), "TO": _l("was sent to"), "BY": _l("sent by"),
    "ABOUT": _l("about"), "MADE_BY": _l("made by"), "IN_RESPONSE_TO": _l("in response to"),
    "HAS_CONTACT": _l("has a contact"), "HOLDS_INDIRECTLY": _l("holds indirectly"),
    "PARTY_TO": _l("is a party to"),
}


def short_instrument(instrument: str) -> str:
    """The instrument's name without its commentary: "Digital Services Act (very large online
    platform, designated April 2023)" -> "Digital Services Act"."""
    short = re.split(r" \(|; ", instrument, maxsplit=1)[0].strip()
    return short if len(short) <= 60 else short[:59].rstrip() + "…"


def edge_label(rel_type: str, details: dict[str, Any]) -> str:
    """A relationship in an advocate's words, for diagrams and paths: "owns 13%", "controls",
    "oversees under Digital Services Act", "CEO" — never a relationship type name."""
    words = EDGE_WORDS.get(rel_type)
    if rel_type == "OWNS":
        economic = details.get("economic_pct", details.get("pct_min"))
        voting = details.get("voting_pct")
        if economic is not None and voting not in (None, economic):
            return _("owns %(economic)s%% (%(voting)s%% of the votes)", economic=f"{economic:g}",
                     voting=f"{voting:g}")
        share = economic if economic is not None else voting
        if share is not None:
            return _("owns %(share)s%%", share=f"{share:g}")
    if rel_type == "HOLDS_ROLE" and details.get("title"):
        return str(details["title"])
    if rel_type == "OVERSEES" and details.get("instrument"):
        return _("oversees under %(instrument)s",
                 instrument=short_instrument(str(details["instrument"])))
    if rel_type == "RESPONSIBLE_FOR" and details.get("area"):
        return _("is responsible for (%(area)s)", area=details["area"])
    return str(words) if words is not None else rel_type.lower().replace("_", " ")
