"""A reader for Beneficial Ownership Data Standard statements (0.4; 0.2 and 0.3 upgraded).

Nothing a disclosure says is lost (issue 15; the full mapping table is in docs/import.md):

- entities: ``registeredEntity``/``legalEntity`` -> ``Company``; ``arrangement`` (trust,
  nomination...) -> ``Arrangement``; ``state``/``stateBody`` -> ``State``; anonymous or unknown
  entities and persons -> ``Undisclosed`` with the reason. Known persons -> ``Person``
  (``sensitive`` by default: private individuals), with ``birth_date`` and one-way digests of
  their identifiers (so two records of one person can merge without storing the number).
  Node ids are ``bods:<recordId>``; the latest statement of a record gives its details.
- relationships: every interest is kept. Direct (or unknown) stakes -> one ``OWNS``
  (``shareholding`` -> ``economic_pct`` or ``pct_min``/``pct_max``, ``votingRights`` ->
  ``voting_pct``; economic rights and unknown or unpublished interests too); control types ->
  ``CONTROLS {means}``; a person's board or executive post -> ``HOLDS_ROLE``; an entity's board
  seat or post (and an unnamed party's) -> ``CONTROLS {means: boardMember}`` (or
  ``seniorManagingOfficial``); arrangement roles (settlor, trustee, protector,
  beneficiary, nominee, nominator) -> ``PARTY_TO {role}``. Each keeps ``interests``,
  ``direct_or_indirect`` and ``beneficial_ownership``.
- indirect interests: one ``HOLDS_INDIRECTLY`` per statement, the register's own figures with
  ``via`` (the intermediaries its ``componentRecords`` name). The components are written as they
  are and the look-through adds them up; the declared figure is never added to them (that would
  count the chain twice). When exactly one hop of the chain states no share, that hop's share is
  derived from the declared one (stated / product of the others, an interval when the others
  are ranges) and the ``note`` says so.
- unspecified interested parties (``unspecifiedRecord``): an ``Undisclosed`` node
  ``bods:<recordId>-undisclosed`` with the reason, holding what the interests say (an ``OWNS``
  of unknown size when they say nothing): opacity is data.
- versions: statements of one ``recordId`` are read in ``statementDate`` order; a new interest
  ``startDate`` ends the previous stake (its ``end_date``), the same start date updates it, an
  interest a later statement no longer lists ends then, and ``recordStatus: closed`` ends it.
- evidence: ``sources`` is the statement's ``source.url`` if any, else ``source_url`` (by
  default the standard's documentation URL); ``confidence`` is ``confirmed`` when the source
  type says ``verified``, else ``reported``; ``as_of`` is the ``statementDate``.
- identifiers: ``XI-LEI`` -> ``lei``; the first register -> ``registration_number``
  (``<scheme>:<id>``) and, when the entity states no jurisdiction, the register's country;
  a Wikidata id -> ``wikidata_id``; other entity identifiers are listed in the description.
- graphapp's own export (publisher ``graphapp``): record ids are graphapp node ids and are kept
  as they are, so an export imports back to the same graph.
- BODS 0.2 (and 0.3) statements are upgraded to the 0.4 shape (``statementID`` and
  ``replacesStatements`` -> ``recordId`` versions, kebab-case interest types -> camelCase,
  ``interestLevel`` -> ``directOrIndirect``) and read the same way. Input is first checked
  against the BODS JSON schema of its version, as ``libcovebods`` ships it.
- :func:`read` gives the pipeline a Batch whose problems name the statement and the field.

Everything is written through :func:`graphapp.store.records.validate` and :func:`records.write`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marshmallow import ValidationError

from graphapp.io import bods_export
from graphapp.store import records
from graphapp.store.db import Graph
from graphapp.store.schemas import PARTIAL_DATE, check_country

STANDARD_URL = "https://standard.openownership.org/en/0.4.0/"
ID_PREFIX = "bods:"
BOARD_INTERESTS = {"boardMember": "Board member", "boardChair": "Board chair"}
EXECUTIVE_INTERESTS = {"seniorManagingOfficial": "Senior managing official"}
CONTROL_INTERESTS = ("appointmentOfBoard", "otherInfluenceOrControl", "rightsGrantedByContract",
                     "conditionalRightsGrantedByContract", "controlViaCompanyRulesOrArticles",
                     "controlByLegalFramework")
# Economic rights: a stake (OWNS); the shareholding's share is the economic share.
ECONOMIC_INTERESTS = bods_export.ECONOMIC_INTERESTS
# Interests of unknown or unpublished nature are kept as stakes of unknown size.
STAKE_INTERESTS = (*ECONOMIC_INTERESTS, "votingRights", "unknownInterest", "unpublishedInterest")
ARRANGEMENT_ROLES = {"settlor": "settlor", "trustee": "trustee", "protector": "protector",
                     "beneficiaryOfLegalArrangement": "beneficiary", "nominee": "nominee",
                     "nominator": "nominator"}


@dataclass
class BodsRecords:
    """(where, record) pairs for ``records.validate``, and what could not be mapped."""

    nodes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    relationships: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    markers: set[str] = field(default_factory=set)  # Undisclosed nodes already added


def node_id(record_id: str) -> str:
    return f"{ID_PREFIX}{record_id}"


def _date(value: Any) -> str | None:
    return str(value)[:10] if value else None


def _sources(statement: dict[str, Any], source_url: str) -> list[str]:
    url = (statement.get("source") or {}).get("url")
    return [url] if isinstance(url, str) and url.startswith(("http://", "https://")) \
        else [source_url]


def _confidence(statement: dict[str, Any]) -> str:
    types = (statement.get("source") or {}).get("type") or []
    return "confirmed" if "verified" in types else "reported"


def share_bounds(share: dict[str, Any] | None) -> tuple[float | None, float | None, float | None]:
    """(exact, minimum, maximum) of a BODS ``share`` object; exclusive bounds count as closed."""
    if not share:
        return None, None, None
    exact = share.get("exact")
    if exact is not None:
        return float(exact), None, None
    lo = share.get("minimum", share.get("exclusiveMinimum"))
    hi = share.get("maximum", share.get("exclusiveMaximum"))
    return None, None if lo is None else float(lo), None if hi is None else float(hi)


def _country(value: Any) -> str | None:
    code = (value or {}).get("code") if isinstance(value, dict) else None
    if not code:
        return None
    code = str(code).split("-")[0].upper()  # US-DE -> US
    try:
        check_country(code)
    except ValidationError:
        return None
    return code


def _identifiers(d: dict[str, Any]) -> dict[str, Any]:
    """lei, registration_number (and the register's country) and wikidata_id of an entity."""
    ids = [i for i in d.get("identifiers") or [] if i.get("id")]
    out: dict[str, Any] = {}
    lei = next((i["id"] for i in ids if i.get("scheme") == "XI-LEI"), None)
    if lei:
        out["lei"] = lei
    register = next((i for i in ids if i.get("scheme") != "XI-LEI"
                     and not _is_wikidata(i)), None)
    if register:
        scheme = register.get("scheme")
        out["registration_number"] = f"{scheme}:{register['id']}" if scheme else register["id"]
        if scheme:
            out["_register_country"] = _country({"code": scheme.split("-")[0]})
    wikidata = next((str(i["id"]) for i in ids if _is_wikidata(i)), None)
    if wikidata:
        out["wikidata_id"] = wikidata
    others = [i for i in ids if i is not register and i.get("scheme") != "XI-LEI"
              and not _is_wikidata(i)]
    if others:
        out["_others"] = ". Other identifiers: " + ", ".join(
            f"{i.get('scheme') or i.get('schemeName')} {i['id']}" for i in others)
    return out


# BODS entity types -> graphapp labels (docs/import.md, "BODS 0.4").
UNDISCLOSED_ENTITY_TYPES = ("anonymousEntity", "unknownEntity")
UNDISCLOSED_PERSON_TYPES = ("anonymousPerson", "unknownPerson")
REASON_TEXT = {
    "noBeneficialOwners": "no beneficial owners (none meets the threshold)",
    "subjectUnableToConfirmOrIdentifyBeneficialOwner":
        "the company cannot confirm or identify its beneficial owner",
    "interestedPartyHasNotProvidedInformation": "the owner has not provided the information",
    "subjectExemptFromDisclosure": "the company is exempt from disclosure (e.g. a listed company)",
    "interestedPartyExemptFromDisclosure": "the owner is exempt from disclosure",
    "unknown": "reason unknown",
    "informationUnknownToPublisher": "unknown to the register",
    "anonymousPerson": "a person the register keeps anonymous",
    "unknownPerson": "a person the register does not know",
    "anonymousEntity": "an entity the register keeps anonymous",
    "unknownEntity": "an entity the register does not know",
}


def undisclosed_name(reason: str, party_kind: str) -> str:
    """The marker's name as an advocate reads it: ``Owners undisclosed: ...``."""
    who = {"person": "Person undisclosed", "entity": "Entity undisclosed"}.get(
        party_kind, "Owners undisclosed")
    return f"{who}: {REASON_TEXT.get(reason, reason)}"


def _undisclosed(node_id_: str, reason: str | None, party_kind: str, text: str | None,
                 sources: list[str], fallback: str = "unknown") -> dict[str, Any]:
    from graphapp.store import model

    m = re.match(r"^\[GLEIF ([A-Z_]+)\]\s*(.*)$", text or "", re.DOTALL)
    if m and m.group(1) in model.UNDISCLOSED_REASONS:  # graphapp's export of a GLEIF exception
        reason, text = m.group(1), m.group(2)
    code = reason if reason in model.UNDISCLOSED_REASONS else fallback
    return {"label": "Undisclosed", "id": node_id_,
            "name": _gleif_name(text) or undisclosed_name(code, party_kind),
            "reason": code, "reason_text": text or None, "party_kind": party_kind,
            "sources": sources}


def _gleif_name(text: str | None) -> str | None:
    """A GLEIF reporting exception's own name, from the reason text graphapp's GLEIF reader
    wrote ("GLEIF reporting exception (DIRECT_...): NATURAL_PERSONS"), so its BODS export
    imports back to the same marker."""
    from graphapp.io import gleif

    m = re.match(r"^GLEIF reporting exception \(([A-Z_]+)\): ([A-Z_, ]+?)(?:\. Reference: |$)",
                 text or "")
    if not m or m.group(1) not in gleif.EXCEPTION_CATEGORIES:
        return None
    reasons = m.group(2).split(", ")
    if not all(r in gleif.EXCEPTION_REASONS for r in reasons):
        return None
    return gleif.exception_name(m.group(1), reasons)


def _entity_node(rid: str, st: dict[str, Any], sources: list[str]) -> dict[str, Any]:
    """An entity statement as a Company, Arrangement (trust, nomination), State (a state or a
    state body) or Undisclosed (anonymous or unknown entity) node."""
    d = st.get("recordDetails") or {}
    etype = d.get("entityType") or {}
    kind = etype.get("type") or "entity"
    if kind in UNDISCLOSED_ENTITY_TYPES:
        why = d.get("unspecifiedEntityDetails") or {}
        return _undisclosed(node_id(rid), why.get("reason"), "entity", why.get("description")
                            or d.get("name"), sources, fallback=kind)
    found = _identifiers(d)
    jurisdiction = _country(d.get("jurisdiction")) or found.pop("_register_country", None)
    found.pop("_register_country", None)
    subtype = etype.get("subtype")
    node: dict[str, Any] = {
        "id": node_id(rid),
        "name": d.get("name") or f"Unnamed {subtype or kind} ({rid})",
        "description": f"BODS {kind}" + (f" ({subtype})" if subtype else "")
                       + (f", founded {d['foundingDate']}" if d.get("foundingDate") else "")
                       + (f". {etype['details']}" if etype.get("details") else "")
                       + found.pop("_others", ""),
        "sources": sources,
        "jurisdiction": jurisdiction,
    }
    if kind == "arrangement":
        found.pop("lei", None)
        found.pop("wikidata_id", None)
        return {"label": "Arrangement", **node, **found,
                "arrangement_type": subtype if subtype in ("trust", "nomination") else "other"}
    if kind in ("state", "stateBody"):
        return {"label": "State", **node, **found, "state_kind": kind,
                "body_type": subtype if kind == "stateBody" and subtype else None}
    return {"label": "Company", **node, **found}


def _is_wikidata(identifier: dict[str, Any]) -> bool:
    scheme = f"{identifier.get('scheme') or ''} {identifier.get('schemeName') or ''}".lower()
    return "wikidata" in scheme and str(identifier.get("id", "")).startswith("Q")


def _person_node(rid: str, st: dict[str, Any], sources: list[str],
                 sensitive: bool) -> dict[str, Any]:
    """A person statement as a Person node, or an Undisclosed one for an anonymous or unknown
    person. Personal identifiers (tax, passport numbers) are kept only as one-way digests,
    which let two records of one person merge without storing the number."""
    d = st.get("recordDetails") or {}
    if d.get("personType") in UNDISCLOSED_PERSON_TYPES:
        why = d.get("unspecifiedPersonDetails") or {}
        return _undisclosed(node_id(rid), why.get("reason"), "person", why.get("description"),
                            sources, fallback=d["personType"])
    names = [n.get("fullName") for n in d.get("names") or [] if n.get("fullName")]
    legal = next((n.get("fullName") for n in d.get("names") or []
                  if n.get("type") == "legal" and n.get("fullName")), None)
    name = legal or (names[0] if names else f"Unknown person ({d.get('personType', rid)})")
    nationality = next((c for c in (_country(n) for n in d.get("nationalities") or []) if c),
                       None)
    return {"label": "Person", "id": node_id(rid), "name": name,
            "aliases": [n for n in dict.fromkeys(names) if n != name],
            "nationality": nationality, "sources": sources, "sensitive": sensitive,
            "birth_date": _birth_date(d.get("birthDate")),
            "identifiers": person_identifier_digests(d.get("identifiers") or [])}


def _birth_date(value: Any) -> str | None:
    text = str(value or "")[:10]
    return text if text and PARTIAL_DATE.match(text) else None


def person_identifier_digests(identifiers: list[dict[str, Any]]) -> list[str]:
    """``id-sha256:<hex>`` of each (scheme, id): equal for equal identifiers, not reversible."""
    out = []
    for i in identifiers:
        if not i.get("id"):
            continue
        scheme = str(i.get("scheme") or i.get("schemeName") or "").strip().upper()
        value = re.sub(r"\s+", "", str(i["id"])).upper()
        out.append("id-sha256:" + hashlib.sha256(f"{scheme}|{value}".encode()).hexdigest()[:32])
    return sorted(set(out))


def _by_record(statements: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for st in statements:
        groups[st["recordId"]].append(st)
    for versions in groups.values():
        versions.sort(key=lambda s: str(s.get("statementDate") or ""))  # stable
    return groups


def _interest(interests: list[dict[str, Any]], kind: str) -> dict[str, Any] | None:
    return next((i for i in interests if i.get("type") == kind), None)


def _chain(rel_id: str, groups: dict[str, list[dict[str, Any]]]) -> list[str] | None:
    """The component relationship record ids of an indirect relationship, interested party first
    (None when they do not form one simple chain)."""
    latest = groups[rel_id][-1]["recordDetails"]
    comps = {c: groups[c][-1]["recordDetails"] for c in latest.get("componentRecords") or []
             if c in groups and groups[c][-1].get("recordType") == "relationship"}
    by_party = {d.get("interestedParty"): c for c, d in comps.items()}
    chain, node = [], latest.get("interestedParty")
    while node != latest.get("subject"):
        c = by_party.get(node)
        if c is None or c in chain:
            return None
        chain.append(c)
        node = comps[c].get("subject")
    return chain if len(chain) == len(comps) else None


def _derive(groups: dict[str, list[dict[str, Any]]],
            warnings: list[str]) -> dict[str, dict[str, Any]]:
    """Shares of chain hops that state none, derived from the indirect interest they make up.

    Returns {component record id: {economic_pct | pct_min, pct_max, note}}.
    """
    derived: dict[str, dict[str, Any]] = {}
    for rid, versions in groups.items():
        st = versions[-1]
        d = st.get("recordDetails") or {}
        if st.get("recordType") != "relationship" or d.get("isComponent"):
            continue
        held = _interest(d.get("interests") or [], "shareholding")
        if not held or held.get("directOrIndirect") != "indirect" or not d.get("componentRecords"):
            continue
        exact, lo, hi = share_bounds(held.get("share"))
        s_lo, s_hi = (exact, exact) if exact is not None else (lo, hi)
        chain = _chain(rid, groups)
        if chain is None or s_lo is None or s_hi is None:
            warnings.append(f"relationship {rid}: indirect interest whose components do not form "
                            "one chain with a stated share; nothing derived.")
            continue
        unknown, k_lo, k_hi = [], 1.0, 1.0
        for c in chain:
            c_int = _interest(groups[c][-1]["recordDetails"].get("interests") or [],
                              "shareholding")
            ce, cl, ch = share_bounds((c_int or {}).get("share"))
            if ce is None and cl is None and ch is None:
                unknown.append(c)
                continue
            k_lo *= (ce if ce is not None else (cl or 0.0)) / 100
            k_hi *= (ce if ce is not None else (ch if ch is not None else 100.0)) / 100
        if len(unknown) != 1 or k_lo <= 0:
            continue
        x_lo = min(100.0, s_lo / k_hi)
        x_hi = min(100.0, s_hi / k_lo)
        values = ({"economic_pct": round(x_lo, 9)} if abs(x_hi - x_lo) < 1e-9
                  else {"pct_min": round(x_lo, 9), "pct_max": round(x_hi, 9)})
        derived[unknown[0]] = {**values, "note": (
            f"Share derived by graphapp: the statement gives none; the indirect interest of "
            f"relationship {rid} ({_fmt(s_lo, s_hi)}) divided by the other hop(s) of its chain "
            f"({_fmt(k_lo * 100, k_hi * 100)})."
        )}
    return derived


def _fmt(lo: float, hi: float) -> str:
    return f"{lo:g}%" if abs(hi - lo) < 1e-9 else f"{lo:g}-{hi:g}%"


def read_statements(statements: list[dict[str, Any]], source_url: str = STANDARD_URL,
                    name: str = "bods", persons_sensitive: bool = True) -> BodsRecords:
    """Map BODS 0.4 statements to node and relationship records (see the module docstring)."""
    out = BodsRecords()
    groups = _by_record(statements)
    derived = _derive(groups, out.warnings)
    kinds = {rid: v[-1].get("recordType") for rid, v in groups.items()}

    for rid, versions in groups.items():
        st = versions[-1]
        where = f"{name} record {rid}"
        sources = _sources(st, source_url)
        if kinds[rid] == "entity":
            out.nodes.append((where, _entity_node(rid, st, sources)))
        elif kinds[rid] == "person":
            out.nodes.append((where, _person_node(rid, st, sources, persons_sensitive)))

    for rid, versions in groups.items():
        if kinds[rid] == "relationship":
            _relationship(rid, versions, kinds, groups, derived.get(rid), source_url, name, out)
    if statements and all(((s.get("publicationDetails") or {}).get("publisher") or {}).get("name")
                          == bods_export.PUBLISHER["name"] for s in statements):
        _own_ids(out)
    return out


def _own_ids(out: BodsRecords) -> None:
    """graphapp's own export: its record ids are graphapp node ids, kept as they are (so an
    export imports back to the same nodes)."""
    def own(value: str) -> str:
        return value.removeprefix(ID_PREFIX)

    for _, node in out.nodes:
        node["id"] = own(node["id"])
    for _, rel in out.relationships:
        rel["from"], rel["to"] = own(rel["from"]), own(rel["to"])
        if rel.get("via"):
            rel["via"] = [own(x) for x in rel["via"]]
        if rel.get("means"):  # means graphapp recorded in its own words, as they were
            rel["means"] = bods_export.RECORDED_MEANS.sub("", rel["means"])


def _intermediaries(rid: str, groups: dict[str, list[dict[str, Any]]],
                    kinds: dict[str, str]) -> list[str]:
    """The node ids between the interested party and the subject of an indirect relationship,
    in chain order when its components form one chain, else in the order the record lists them.
    """
    d = groups[rid][-1]["recordDetails"]
    ends = {d.get("interestedParty"), d.get("subject")}
    chain = _chain(rid, groups)
    found: list[str] = []
    if chain is not None:
        found = [groups[c][-1]["recordDetails"].get("subject") for c in chain]
    else:
        for c in d.get("componentRecords") or []:
            if kinds.get(c) == "relationship":
                cd = groups[c][-1]["recordDetails"]
                found += [cd.get("interestedParty"), cd.get("subject")]
            else:
                found.append(c)
    return [node_id(x) for x in dict.fromkeys(found)
            if isinstance(x, str) and x not in ends and kinds.get(x) in ("entity", "person")]


def _share_fields(interest: dict[str, Any] | None) -> dict[str, Any]:
    exact, lo, hi = share_bounds((interest or {}).get("share"))
    if exact is not None:
        return {"economic_pct": exact}
    if lo is not None or hi is not None:
        return {"pct_min": lo, "pct_max": hi}
    return {}


def _disclosed(interests: list[dict[str, Any]]) -> dict[str, Any]:
    """What the disclosure said of these interests, kept on the relationship."""
    levels = [i.get("directOrIndirect") for i in interests if i.get("directOrIndirect")]
    level = levels[0] if levels and len(set(levels)) == 1 else ("unknown" if levels else None)
    bo = [i["beneficialOwnershipOrControl"] for i in interests
          if isinstance(i.get("beneficialOwnershipOrControl"), bool)]
    return {"interests": [i.get("type") or "unstated" for i in interests],
            "direct_or_indirect": level, "beneficial_ownership": any(bo) if bo else None}


def _dates(interests: list[dict[str, Any]]) -> dict[str, Any]:
    first = next((i for i in interests if i.get("startDate") or i.get("endDate")),
                 interests[0] if interests else {})
    return {"start_date": _date(first.get("startDate")), "end_date": _date(first.get("endDate"))}


def _relationship(rid: str, versions: list[dict[str, Any]], kinds: dict[str, str],
                  groups: dict[str, list[dict[str, Any]]], derived: dict[str, Any] | None,
                  source_url: str, name: str, out: BodsRecords) -> None:
    """One relationship record (all its versions): every interest it states is kept.

    Direct (or unknown) stakes -> one OWNS; control -> CONTROLS (means); a person's board or
    executive post -> HOLDS_ROLE; arrangement roles -> PARTY_TO (role); every indirect interest
    -> one HOLDS_INDIRECTLY, the register's own figure with the intermediaries it names (its
    component relationships are written as they are, so the look-through never counts a chain
    twice). An interested party the statement does not name (``unspecifiedRecord``) becomes an
    Undisclosed node with the reason.
    """
    histories: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for n, st in enumerate(versions):
        d = st.get("recordDetails") or {}
        party, subject = d.get("interestedParty"), d.get("subject")
        if isinstance(party, dict):
            party_id = _unspecified_party(rid, party, st, source_url, name, out)
        elif isinstance(party, str) and party in kinds and kinds[party] != "relationship":
            party_id = node_id(party)
        else:
            out.warnings.append(f"relationship {rid}: interested party not stated as a record "
                                f"({party!r}); left out.")
            return
        if kinds.get(subject) != "entity":
            out.warnings.append(f"relationship {rid}: subject {subject!r} is not an entity.")
            return
        # a known person: an anonymous or unknown one is an Undisclosed node, whose post is
        # control by its means (HOLDS_ROLE is a Person's)
        is_person = (isinstance(party, str) and kinds.get(party) == "person"
                     and (groups[party][-1].get("recordDetails") or {}).get("personType")
                     not in UNDISCLOSED_PERSON_TYPES)
        interests = [i for i in d.get("interests") or [] if isinstance(i, dict)]
        base = {"from": party_id, "to": node_id(subject),
                "sources": _sources(st, source_url), "confidence": _confidence(st),
                "as_of": _date(st.get("statementDate"))}
        closed = st.get("recordStatus") == "closed"
        when = _date(st.get("statementDate"))
        latest = n == len(versions) - 1
        before = {k: id(v[-1]) for k, v in histories.items() if v}

        indirect = [i for i in interests if i.get("directOrIndirect") == "indirect"
                    and i.get("type") not in ARRANGEMENT_ROLES]
        direct = [i for i in interests if i not in indirect]
        stakes = [i for i in direct if i.get("type") in STAKE_INTERESTS or not i.get("type")]
        if stakes or (not interests and (d.get("isComponent") or isinstance(party, dict))):
            stake = _stake(stakes, derived)
            note = stake.pop("note", None)
            if not interests:
                note = "The statement gives no interest: a holding of unknown size."
            _version(histories["owns"], {**base, "type": "OWNS", **stake, **_dates(stakes),
                                         **_disclosed(stakes), "note": note}, closed, when)
        elif not interests and latest:
            out.warnings.append(f"relationship {rid}: the statement gives no interest; "
                                "nothing written.")
        if indirect:
            _version(histories["indirect"], {
                **base, "type": "HOLDS_INDIRECTLY", **_indirect(indirect),
                **_dates(indirect), **_disclosed(indirect),
                "via": _intermediaries(rid, groups, kinds) or None,
                "note": None if d.get("componentRecords") else
                "Indirect interest; the register names no intermediaries."}, closed, when)
        for i in direct:
            kind = i.get("type")
            dates = {"start_date": _date(i.get("startDate")), "end_date": _date(i.get("endDate"))}
            said = _disclosed([i])
            if kind in BOARD_INTERESTS and is_person:
                _version(histories[kind], {**base, "type": "HOLDS_ROLE", "kind": "board",
                                           "title": BOARD_INTERESTS[kind], **dates, **said},
                         closed, when)
            elif kind in EXECUTIVE_INTERESTS and is_person:
                _version(histories[kind], {**base, "type": "HOLDS_ROLE", "kind": "executive",
                                           "title": i.get("details") or EXECUTIVE_INTERESTS[kind],
                                           **dates, **said},
                         closed, when)
            elif kind in CONTROL_INTERESTS or kind in BOARD_INTERESTS \
                    or kind in EXECUTIVE_INTERESTS:
                # an entity's (or an unnamed party's) seat or post: control, by its means
                means = f"{kind}: {i['details']}" if i.get("details") else kind
                _version(histories[f"control:{kind}"], {**base, "type": "CONTROLS",
                                                        "means": means, **dates, **said},
                         closed, when)
        for i in interests:
            role = ARRANGEMENT_ROLES.get(i.get("type"))
            if role:
                _version(histories[f"party:{role}"], {
                    **base, "type": "PARTY_TO", "role": role, **_share_fields(i),
                    "start_date": _date(i.get("startDate")),
                    "end_date": _date(i.get("endDate")), **_disclosed([i]),
                    "note": i.get("details")}, closed, when)
        for key, last in before.items():
            # A role or control that a later statement no longer lists has ended by then.
            if id(histories[key][-1]) == last and histories[key][-1].get("end_date") is None:
                histories[key][-1]["end_date"] = when
    controls = _one_control_per_start([r for k, v in histories.items()
                                       if k.startswith("control:") for r in v])
    others = [r for k, v in histories.items() if not k.startswith("control:") for r in v]
    for k, rel in enumerate([*others, *controls]):
        out.relationships.append((f"{name} record {rid} [{k}]", rel))


def _unspecified_party(rid: str, party: dict[str, Any], st: dict[str, Any], source_url: str,
                       name: str, out: BodsRecords) -> str:
    """The Undisclosed node standing for an ``unspecifiedRecord`` interested party."""
    marker = node_id(f"{rid}-undisclosed")
    if marker not in out.markers:
        out.markers.add(marker)
        out.nodes.append((f"{name} record {rid}", _undisclosed(
            marker, party.get("reason"), "unknown", party.get("description"),
            _sources(st, source_url))))
    return marker


def _indirect(interests: list[dict[str, Any]]) -> dict[str, Any]:
    """The register's figures for an indirect interest: economic and voting share, means."""
    economic = next((i for i in interests if i.get("type") == "shareholding"
                     and i.get("share")), None) or next(
        (i for i in interests if i.get("type") in ECONOMIC_INTERESTS and i.get("share")), None)
    out = _share_fields(economic)
    votes = next((i for i in interests if i.get("type") == "votingRights"), None)
    v_exact, _, _ = share_bounds((votes or {}).get("share"))
    if v_exact is not None:
        out["voting_pct"] = v_exact
    means = [f"{i['type']}: {i['details']}" if i.get("details") else i["type"]
             for i in interests if i.get("type") in (*CONTROL_INTERESTS, *BOARD_INTERESTS)]
    if means:
        out["means"] = ", ".join(dict.fromkeys(means))
    return out


def _one_control_per_start(controls: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """CONTROLS of one party over one subject from one date are one relationship (means joined),
    as graphapp keys relationships on (start, type, end, start date)."""
    by_start: dict[Any, dict[str, Any]] = {}
    for rel in controls:
        first = by_start.get(rel.get("start_date"))
        if first is None:
            by_start[rel.get("start_date")] = dict(rel)
            continue
        means = [m for m in (first.get("means") or "").split(", ") if m]
        if rel.get("means") and rel["means"] not in means:
            means.append(rel["means"])
        first["means"] = ", ".join(means)
        first["interests"] = list(dict.fromkeys([*(first.get("interests") or []),
                                                 *(rel.get("interests") or [])]))
        if rel.get("beneficial_ownership"):
            first["beneficial_ownership"] = True
        if first.get("end_date") and not rel.get("end_date"):
            first["end_date"] = None
    return list(by_start.values())


def _stake(stakes: list[dict[str, Any]], derived: dict[str, Any] | None) -> dict[str, Any]:
    """OWNS fields from a statement's direct stake interests: the economic share from the
    shareholding (else the share a derived chain hop gets, else the first economic right that
    states one), the voting share from the voting rights."""
    held = next((i for i in stakes if i.get("type") == "shareholding"), None)
    stake = _share_fields(held)
    if not stake and derived:
        stake.update(derived)
    if not stake:
        other = next((i for i in stakes if i.get("type") in ECONOMIC_INTERESTS
                      and i.get("share")), None)
        stake = _share_fields(other)
    votes = next((i for i in stakes if i.get("type") == "votingRights"), None)
    v_exact, _, _ = share_bounds((votes or {}).get("share"))
    if v_exact is not None:
        stake["voting_pct"] = v_exact
    return stake


VALUE_KEYS = ("economic_pct", "voting_pct", "pct_min", "pct_max", "title", "means", "role",
              "interests", "via")


def _version(versions: list[dict[str, Any]], rel: dict[str, Any], closed: bool,
             statement_date: str | None) -> None:
    """Add one statement's version of a relationship to its history.

    Same start date and same values: an update of the evidence. Same start date, new values
    (a share changed, the interest's startDate kept): the old values end on the statement date
    and the new ones start then. A new start date ends the previous version there.
    """
    prev = versions[-1] if versions else None
    same_values = prev is not None and all(prev.get(k) == rel.get(k) for k in VALUE_KEYS)
    if prev is not None and prev.get("start_date") == rel.get("start_date") and same_values:
        versions[-1] = {**rel, "end_date": rel.get("end_date") or prev.get("end_date")}
    else:
        if prev is not None and prev.get("start_date") == rel.get("start_date"):
            rel = {**rel, "start_date": statement_date,
                   "note": rel.get("note") or f"As stated on {statement_date}; the interest "
                                              f"began {prev.get('start_date') or 'earlier'}."}
        if prev is not None and prev.get("end_date") is None:
            prev["end_date"] = rel.get("start_date") or statement_date
        versions.append(rel)
    last = versions[-1]
    if closed and last.get("end_date") is None:
        last["end_date"] = statement_date
    for v in versions[-2:]:
        if v.get("end_date") and v.get("start_date") and v["end_date"] < v["start_date"]:
            v["end_date"] = v["start_date"]


def read_file(path: Path, source_url: str = STANDARD_URL,
              persons_sensitive: bool = True) -> BodsRecords:
    """Read a BODS 0.4 JSON file (an array of statements)."""
    from graphapp.io import limits

    text = Path(path).read_text(encoding="utf-8")
    try:
        limits.check_json_depth(text)
    except limits.Refused as exc:
        raise ValueError(f"{path}, line {exc.line}: {exc}") from None
    statements = json.loads(text)
    if not isinstance(statements, list):
        raise ValueError(f"{path}: a BODS file is a JSON array of statements")
    return read_statements(upgrade(statements), source_url, Path(path).name, persons_sensitive)


def load(graph: Graph, path: Path, source_url: str = STANDARD_URL,
         persons_sensitive: bool = True) -> tuple[records.WriteResult, list[str]]:
    """Read, validate and write a BODS file in one transaction; return counts and warnings."""
    found = read_file(path, source_url, persons_sensitive)
    validated = records.validate(found.nodes, found.relationships, graph=graph)
    return records.write(graph, validated), found.warnings


# --- BODS 0.2 and 0.3: upgraded to the 0.4 shape ------------------------------------------------

INTEREST_TYPES_02 = {
    "voting-rights": "votingRights", "appointment-of-board": "appointmentOfBoard",
    "other-influence-or-control": "otherInfluenceOrControl",
    "senior-managing-official": "seniorManagingOfficial", "settlor-of-trust": "settlor",
    "trustee-of-trust": "trustee", "protector-of-trust": "protector",
    "beneficiary-of-trust": "beneficiaryOfLegalArrangement",
    "other-influence-or-control-of-trust": "otherInfluenceOrControl",
    "rights-to-surplus-assets-on-dissolution": "rightsToSurplusAssetsOnDissolution",
    "rights-to-profit-or-income": "rightsToProfitOrIncome",
    "rights-granted-by-contract": "rightsGrantedByContract",
    "conditional-rights-granted-by-contract": "conditionalRightsGrantedByContract",
}
RECORD_TYPES_02 = {"entityStatement": "entity", "personStatement": "person",
                   "ownershipOrControlStatement": "relationship"}


def version_of(statements: list[Any]) -> str:
    """``0.4`` (records) or ``0.2`` (statementType: 0.2 and 0.3) from the statements' shape."""
    first = next((s for s in statements if isinstance(s, dict)), {})
    if "statementType" in first or "statementID" in first:
        return "0.2"
    return "0.4"


def upgrade(statements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """0.2/0.3 statements in the 0.4 shape (0.4 statements are returned as they are).

    A statement that ``replacesStatements`` takes the record id of the one it replaces, so
    versions of one entity, person or relationship are one record, as in 0.4.
    """
    if version_of(statements) != "0.2":
        return statements
    record_of: dict[str, str] = {}
    out = []
    for st in statements:
        sid = st.get("statementID")
        replaced = [record_of[r] for r in st.get("replacesStatements") or [] if r in record_of]
        rid = replaced[0] if replaced else sid
        record_of[sid] = rid
        kind = RECORD_TYPES_02.get(st.get("statementType"), st.get("statementType"))
        upgraded = {
            "statementId": sid, "statementDate": st.get("statementDate"),
            "publicationDetails": st.get("publicationDetails"), "source": st.get("source"),
            "recordId": rid, "recordType": kind,
            "recordStatus": "updated" if replaced else "new",
        }
        if kind == "entity":
            details = {k: st[k] for k in ("name", "alternateNames", "identifiers",
                                          "foundingDate", "dissolutionDate", "addresses", "uri")
                       if k in st}
            details["entityType"] = {"type": st.get("entityType")}
            if st.get("incorporatedInJurisdiction"):
                details["jurisdiction"] = st["incorporatedInJurisdiction"]
        elif kind == "person":
            details = {k: st[k] for k in ("personType", "names", "nationalities", "birthDate")
                       if k in st}
            details["names"] = [{**n, "type": "legal" if n.get("type") == "individual"
                                 else n.get("type")} for n in st.get("names") or []]
        else:
            party = st.get("interestedParty") or {}
            details = {
                "subject": record_of.get((st.get("subject") or {}).get(
                    "describedByEntityStatement"), (st.get("subject") or {}).get(
                    "describedByEntityStatement")),
                "interestedParty": _party_02(party, record_of),
                "interests": [_interest_02(i) for i in st.get("interests") or []],
                "componentRecords": [record_of.get(c, c)
                                     for c in st.get("componentStatementIDs") or []],
            }
        details["isComponent"] = bool(st.get("isComponent"))
        upgraded["recordDetails"] = details
        out.append(upgraded)
    return out


def _party_02(party: dict[str, Any], record_of: dict[str, str]) -> Any:
    for key in ("describedByPersonStatement", "describedByEntityStatement"):
        if party.get(key):
            return record_of.get(party[key], party[key])
    return party.get("unspecified") or {"reason": "unknown"}


def _interest_02(interest: dict[str, Any]) -> dict[str, Any]:
    out = dict(interest)
    out["type"] = INTEREST_TYPES_02.get(interest.get("type"), interest.get("type"))
    if "interestLevel" in out:
        out["directOrIndirect"] = out.pop("interestLevel")
    share = {k: v for k, v in (interest.get("share") or {}).items()
             if k in ("exact", "minimum", "maximum")}
    if share:
        out["share"] = share
    else:
        out.pop("share", None)
    return out


# --- the import pipeline's reader ----------------------------------------------------------------


def schema_errors(statements: list[Any], version: str) -> list[tuple[int, str, str]]:
    """(statement index or -1, field path, message) for every way the input breaks its schema."""
    from jsonschema.exceptions import best_match

    validator = (_validator_02(bods_export.SCHEMA_DIR) if version == "0.2"
                 else bods_export.validator())
    out = []
    for error in validator.iter_errors(statements):
        if error.validator == "oneOf" and error.context:
            # 0.2: a statement matched none of its three kinds; say what the closest one lacks.
            error = best_match(error.context)
        path = list(error.absolute_path)
        index = path[0] if path and isinstance(path[0], int) else -1
        out.append((index, "/".join(str(p) for p in path[1:]), error.message))
    return sorted(out, key=lambda e: (e[0], e[1]))


def _validator_02(schema_dir: Path):
    from jsonschema import Draft4Validator

    schema = json.loads((schema_dir / "schema-0-2-0.json").read_text(encoding="utf-8"))
    return Draft4Validator(schema, format_checker=Draft4Validator.FORMAT_CHECKER)


def read(path: Path, display_name: str):
    """A BODS file (JSON array or JSON lines, 0.4 or 0.2) as a Batch for the import pipeline."""
    from graphapp.io import limits
    from graphapp.io.common import Batch, Location

    batch = Batch()
    text = Path(path).read_text(encoding="utf-8-sig")
    try:
        limits.check_json_depth(text)
    except limits.Refused as exc:
        batch.problem(Location(display_name, None, exc.line, "line"), str(exc))
        return batch
    try:
        if text.lstrip().startswith("["):
            statements = json.loads(text)
        else:
            statements = [json.loads(line) for line in text.splitlines() if line.strip()]
    except json.JSONDecodeError as exc:
        batch.problem(Location(display_name, None, exc.lineno, "line"),
                      f"not valid JSON: {exc.msg} (column {exc.colno}).")
        return batch
    if not isinstance(statements, list) or not all(isinstance(s, dict) for s in statements):
        batch.problem(Location(display_name),
                      "a BODS file is a JSON array (or JSON lines) of statement objects.")
        return batch
    version = version_of(statements)
    bad: set[int] = set()
    for index, field_path, message in schema_errors(statements, version):
        batch.problem(Location(display_name, None, index + 1 if index >= 0 else None,
                               "statement"),
                      f"{message} (BODS {version} schema)", field_path or None)
        bad.add(index)
    good = [s for i, s in enumerate(statements) if i not in bad]
    upgraded = upgrade(good)
    position = {}
    for i, st in enumerate(statements):
        rid = st.get("recordId") or st.get("statementID")
        if i not in bad:
            position.setdefault(rid, i + 1)
    found = read_statements(upgraded, STANDARD_URL, display_name)
    for where, _record in [*found.nodes, *found.relationships]:
        rid = where.removeprefix(f"{display_name} record ").split(" [")[0]
        batch.locations[where] = Location(display_name, None, position.get(rid), "statement")
    batch.nodes += found.nodes
    batch.relationships += found.relationships
    batch.notes += [f"{display_name}: {w}" for w in found.warnings]
    return batch
