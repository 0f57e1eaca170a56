"""How relevant a regulator or a forum is to one harm: jurisdiction × mandate.

Escalation used to give every regulator that oversees a company the same authority, whatever
the harm: a competition authority on another continent ranked above the mechanism that
investigates the atrocity. Relevance says what makes a body worth an advocate's letter for *this*
harm: where its jurisdiction lies (the harm's country, the company's establishment for that
market, the headquarters, somewhere else) and whether its mandate covers the harm type.

The numbers and the mandate table live in ``graphapp/relevance.yaml`` so that an advocate can
read and correct them without touching code; this module only applies them. It works on small
lookups the escalation query already returns (the body's jurisdiction countries, the overseen
company's seat and markets), never on extra graph traversals.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import yaml

from graphapp.store import model

TABLE_PATH = Path(__file__).with_name("relevance.yaml")
JURISDICTION_CASES = ("seized", "harm_country", "establishment", "headquarters", "unrecorded",
                      "market", "elsewhere")
STRENGTHS = ("full", "partial", "none")
TEAM_PLACES = ("names_harm_country", "global", "unnamed")


class RelevanceTableError(ValueError):
    """relevance.yaml is wrong; the message names the entry."""


@functools.cache
def table(path: Path = TABLE_PATH) -> dict[str, Any]:
    """The table, checked: every harm type, kind and mandate it names must exist."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    problems: list[str] = []
    for case in JURISDICTION_CASES:
        if not isinstance((data.get("jurisdiction", {}).get(case) or {}).get("weight"),
                          int | float):
            problems.append(f"jurisdiction.{case}.weight: a number is required")
    for strength in STRENGTHS:
        if not isinstance(data.get("strength", {}).get(strength), int | float):
            problems.append(f"strength.{strength}: a number is required")
    mandates = data.get("mandates") or {}
    for name, mandate in mandates.items():
        if not (mandate or {}).get("says"):
            problems.append(f"mandates.{name}.says: a phrase is required")
        for level in ("full", "partial"):
            for harm in (mandate or {}).get(level) or []:
                if harm != "any" and harm not in model.HARM_TYPES:
                    problems.append(f"mandates.{name}.{level}: unknown harm type {harm!r}")
    known_kinds = {"Regulator": model.REGULATOR_KINDS, "Forum": model.FORUM_KINDS,
                   "Team": model.TEAM_FUNCTIONS}
    for case in TEAM_PLACES:
        if not isinstance((data.get("team_place") or {}).get(case), int | float):
            problems.append(f"team_place.{case}: a number is required")
    for label, kinds in (data.get("kinds") or {}).items():
        if label not in known_kinds:
            problems.append(f"kinds.{label}: only Regulator, Forum and Team have kinds here")
            continue
        for kind, names in kinds.items():
            if kind not in known_kinds[label]:
                problems.append(f"kinds.{label}.{kind}: unknown {label} kind")
            problems += [f"kinds.{label}.{kind}: unknown mandate {n!r}"
                         for n in names if n not in mandates]
    for name in data.get("instruments") or {}:
        if name not in mandates:
            problems.append(f"instruments.{name}: unknown mandate")
    if problems:
        raise RelevanceTableError(f"{path.name}: " + "; ".join(problems))
    data["_instrument_patterns"] = {
        name: re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b",
                         re.IGNORECASE)
        for name, words in (data.get("instruments") or {}).items()}
    return data


def harm_words(harm_type: str | None) -> str:
    """The harm type in a sentence's words ("shutdowns"); "this harm" when it is unknown."""
    if not harm_type:
        return "this harm"
    return (table().get("harm_words") or {}).get(harm_type) or harm_type.replace("_", " ")


def mandate_names() -> tuple[str, ...]:
    """The mandates a Regulator or Forum may name in its ``mandates`` property (a team's remit,
    such as product_decisions, is no body's mandate)."""
    kinds = table().get("kinds") or {}
    of_bodies = {m for label in ("Regulator", "Forum") for ms in (kinds.get(label) or {}).values()
                 for m in ms}
    of_teams = {m for ms in (kinds.get("Team") or {}).values() for m in ms}
    return tuple(m for m in table()["mandates"] if m in of_bodies or m not in of_teams)


def strength_of(mandate: str, harm_type: str | None) -> str:
    """full, partial or none: how squarely ``mandate`` covers ``harm_type``."""
    entry = table()["mandates"][mandate]
    for level in ("full", "partial"):
        listed = entry.get(level) or []
        if "any" in listed or harm_type in listed:
            return level
    return "none"


def mandates_of(label: str, kind: str | None, own: list[str] | None,
                instrument: str | None) -> list[tuple[str, str]]:
    """Every mandate the body has, with where it comes from: its own ``mandates`` property
    (``own``), the instrument named on OVERSEES, its kind (the table's default)."""
    t = table()
    found: list[tuple[str, str]] = [(m, "own") for m in own or [] if m in t["mandates"]]
    if instrument:
        found += [(m, "instrument") for m, pattern in t["_instrument_patterns"].items()
                  if pattern.search(instrument)]
    found += [(m, "kind") for m in (t.get("kinds", {}).get(label, {}).get(kind) or [])]
    return found


def jurisdiction_case(reach: set[str], harm_isos: set[str], hq_isos: set[str],
                      markets: set[str], seat: set[str] = frozenset(),
                      seat_markets: set[str] = frozenset(), overseen_is_parent: bool = True,
                      seized: bool = False) -> str:
    """Which jurisdiction case applies (the first of relevance.yaml's order).

    ``reach``: countries the body has jurisdiction over; ``harm_isos``: where the harm occurred;
    ``hq_isos``: the ultimate parents' headquarters; ``markets``: where the product is
    available; ``seat`` and ``seat_markets``: where the company it oversees is seated and
    operates (``overseen_is_parent``: that company is the ultimate parent itself); ``seized``: a
    complaint, petition or case about this very harm was sent to it.
    """
    if seized:
        return "seized"
    if not reach:
        return "unrecorded"
    if reach & harm_isos:
        return "harm_country"
    if not overseen_is_parent and reach & seat and seat_markets & harm_isos:
        return "establishment"
    if reach & hq_isos:
        return "headquarters"
    if reach & markets:
        return "market"
    return "elsewhere"


def assess(label: str, kind: str | None, own: list[str] | None, instrument: str | None,
           harm_type: str | None, case: str | None) -> dict[str, Any]:
    """The relevance of one body: its value (jurisdiction × mandate, 0 to 1) and what makes
    it so (the case, the best mandate, its strength and its words).

    ``case`` None (a forum) leaves jurisdiction out: a forum's relevance is its mandate.
    Without a harm type (escalating from a product or company), every mandate is partial.
    """
    t = table()
    best: tuple[float, str | None, str | None, str] = (t["strength"]["none"], None, None, "none")
    for mandate, origin in mandates_of(label, kind, own, instrument):
        level = strength_of(mandate, harm_type) if harm_type else "partial"
        value = t["strength"][level]
        if value > best[0] or (best[1] is None and value == best[0]):
            best = (value, mandate, origin, level)
    mandate_value, mandate, origin, level = best
    where = 1.0 if case is None else t["jurisdiction"][case]["weight"]
    return {"value": round(where * mandate_value, 3), "jurisdiction": case,
            "mandate": mandate, "mandate_from": origin, "strength": level,
            "says": t["mandates"][mandate]["says"] if mandate else None}


def team_place(texts: list[str | None], harm_countries: dict[str, str], scope: str | None
               ) -> tuple[str, list[str]]:
    """Where a team works, for this harm, and the harm's countries it names:
    ``names_harm_country`` when its name, description or area of responsibility names a
    country where the harm occurred (whole words, any case), ``global`` for a global team,
    else ``unnamed``."""
    named = [name for _, name in sorted(harm_countries.items())
             if name and any(re.search(r"\b" + re.escape(name) + r"\b", t, re.IGNORECASE)
                             for t in texts if t)]
    if named:
        return "names_harm_country", named
    return ("global" if scope == "global" else "unnamed"), []


def assess_team(function: str | None, harm_type: str | None, place: str) -> dict[str, Any]:
    """A team's relevance to this harm: its remit's strength (by function) × where it works.
    Same shape as :func:`assess` (``jurisdiction`` holds the place)."""
    fit = assess("Team", function, None, None, harm_type, None)
    where = table()["team_place"][place]
    return {**fit, "value": round(where * fit["value"], 3), "jurisdiction": place}
