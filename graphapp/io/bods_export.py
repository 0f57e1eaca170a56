"""The graph back out as BODS 0.4 statements, checked against the BODS JSON schema.

Companies become entity statements, people person statements; ``OWNS`` becomes a relationship
with ``shareholding`` (economic %, exact or a range) and ``votingRights`` (voting %) interests;
``CONTROLS`` an ``appointmentOfBoard`` interest when its ``means`` speaks of the board, else
``otherInfluenceOrControl`` (the means in ``details``); ``HOLDS_ROLE`` in a company a
``boardMember`` / ``boardChair`` (kind board) or ``seniorManagingOfficial`` (kind executive)
interest. Evidence goes into each statement's ``source``: the first source URL as ``url``,
and confidence, every source, the as-of date and the note in ``description``. BODS dates are
full dates: a partial date is rounded to the first day (``2019`` -> ``2019-01-01``) and the
interest's ``details`` say so. Sensitive nodes and relationships are left out by default.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import json
import re
import uuid
from collections import defaultdict
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import pycountry

from graphapp.store.db import Graph, for_reader

# The BODS JSON schema as Open Ownership's data review library ships it (libcovebods/data).
SCHEMA_DIR = Path(importlib.util.find_spec("libcovebods").origin).parent / "data"
# The interests that are a share of the company's value (BODS 0.4 codelist interestType).
ECONOMIC_INTERESTS = ("shareholding", "rightsToSurplusAssetsOnDissolution",
                      "rightsToProfitOrIncome", "rightToProfitOrIncomeFromAssets",
                      "enjoymentAndUseOfAssets")
PUBLISHER = {"name": "graphapp"}
REGISTER_SCHEME = re.compile(r"^([A-Z]{2}-[A-Z0-9]+):(.+)$")
CONTROL_CODES = ("appointmentOfBoard", "otherInfluenceOrControl", "rightsGrantedByContract",
                 "conditionalRightsGrantedByContract", "controlViaCompanyRulesOrArticles",
                 "controlByLegalFramework", "boardMember", "boardChair",
                 "seniorManagingOfficial")  # an entity's post is CONTROLS (bods_import)
NAMESPACE = uuid.UUID("6f1d3c1e-8e0a-4c47-9a55-2f4c7d1b9e10")  # graphapp's statement ids
ROLE_INTERESTS = {"beneficiary": "beneficiaryOfLegalArrangement"}  # else the role is the type
BODS_REASONS = ("noBeneficialOwners", "subjectUnableToConfirmOrIdentifyBeneficialOwner",
                "interestedPartyHasNotProvidedInformation", "subjectExemptFromDisclosure",
                "interestedPartyExemptFromDisclosure", "unknown", "informationUnknownToPublisher")
# GLEIF's reporting-exception reasons in BODS terms; the GLEIF code stays in the description.
GLEIF_REASONS = {"NATURAL_PERSONS": "interestedPartyExemptFromDisclosure",
                 "NON_CONSOLIDATING": "interestedPartyExemptFromDisclosure",
                 "NO_KNOWN_PERSON": "noBeneficialOwners"}
EXPORT_LABELS = ["Company", "Person", "Arrangement", "State", "Undisclosed"]
EXPORT_TYPES = ["OWNS", "CONTROLS", "HOLDS_ROLE", "PARTY_TO", "HOLDS_INDIRECTLY"]


@lru_cache(maxsize=1)
def validator():
    """A JSON-schema validator over BODS 0.4 (row-level messages for the importer)."""
    from jsonschema import Draft202012Validator
    from libcovebods.schema_dir import schema_registry

    registry = schema_registry(SCHEMA_DIR / "schema-0-4-0")
    return Draft202012Validator(registry.contents("urn:statement"), registry=registry,
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


class _Statements:
    """libcovebods reads statements through a DataReader; this one holds them in memory."""

    def __init__(self, statements: list[dict[str, Any]]):
        self._statements = statements

    def get_all_data(self) -> list[dict[str, Any]]:
        return self._statements


def _review_tasks() -> list[type]:
    """libcovebods' checks, less the two that download the org-id.guide register list (graphapp
    runs offline) and the statistics (not problems)."""
    from libcovebods.run_tasks import TASK_CLASSES
    from libcovebods.tasks.checks import legacy_checks, record_based_checks

    online = (legacy_checks.LegacyChecks,
              record_based_checks.CheckStatementEntityIdentifiersHaveKnownScheme)
    return [t for t in TASK_CLASSES if t not in online and ".statistics" not in t.__module__]


# Findings of libcovebods' additional checks that are advice, not breaches of the standard.
ADVICE = {"person_identifiers_not_passport_taxid_idcard"}


def schema_problems(statements: list[dict[str, Any]]) -> list[str]:
    """Every way ``statements`` break BODS ([] when they are valid), as libcovebods (Open
    Ownership's data review library) finds them: its JSON-schema validation, then its
    additional checks of what the schema cannot say (component records listed, statements in
    order, record ids that resolve, interests that fit their parties...)."""
    from libcovebods.config import LibCoveBODSConfig
    from libcovebods.jsonschemavalidate import JSONSchemaValidator
    from libcovebods.run_tasks import process_additional_checks
    from libcovebods.schema import SchemaBODS

    reader = _Statements(statements)
    config = LibCoveBODSConfig()
    schema = SchemaBODS(reader, config)
    problems = []
    for error in JSONSchemaValidator(schema).validate(reader):
        found = error.json()
        path = "/".join(str(p) for p in found["path"])
        problems.append(f"{path or '(top)'}: {found['message']}")
    checks = process_additional_checks(reader, config, schema, _review_tasks())
    for check in checks.get("additional_checks") or []:
        if check.get("type") in ADVICE:
            continue
        detail = {k: v for k, v in check.items() if k not in ("type", "statement_type")}
        problems.append(f"{check.get('type')}: {detail}")
    return problems


def full_date(value: str | None) -> tuple[str | None, bool]:
    """(YYYY-MM-DD, rounded?) from a partial date; (None, False) when there is none."""
    if not value:
        return None, False
    parts = str(value).split("-")
    if len(parts) == 3:
        return str(value), False
    if len(parts) == 2:
        return f"{parts[0]}-{parts[1]}-01", True
    return f"{parts[0]}-01-01", True


def _country(code: str | None) -> dict[str, str] | None:
    if not code:
        return None
    country = pycountry.countries.get(alpha_2=code)
    return {"name": country.name if country else code, "code": code}


def _statement_id(record_id: str, details: dict[str, Any]) -> str:
    return str(uuid.uuid5(NAMESPACE, record_id + json.dumps(details, sort_keys=True)))


def _statement(record_id: str, record_type: str, details: dict[str, Any], subject: str,
               today: str, source: dict[str, Any] | None = None,
               statement_date: str | None = None) -> dict[str, Any]:
    statement = {
        "statementId": _statement_id(record_id, details),
        "declarationSubject": subject,
        "statementDate": statement_date or today,
        "publicationDetails": {"publicationDate": today, "bodsVersion": "0.4",
                               "publisher": PUBLISHER},
        "recordId": record_id,
        "recordType": record_type,
        "recordStatus": "new",
        "recordDetails": details,
    }
    if source:
        statement["source"] = source
    return statement


def _source(props: dict[str, Any]) -> dict[str, Any]:
    sources = list(props.get("sources") or [])
    parts = []
    if props.get("confidence"):
        parts.append(f"confidence: {props['confidence']}")
    if props.get("as_of"):
        parts.append(f"as of {props['as_of']}")
    if sources:
        parts.append("sources: " + " ".join(sources))
    if props.get("note"):
        parts.append(f"note: {props['note']}")
    source: dict[str, Any] = {"type": ["thirdParty"]}
    if props.get("confidence") == "confirmed":
        source["type"].append("verified")
    if sources:
        source["url"] = sources[0]
    if parts:
        source["description"] = "; ".join(parts)
    return source


def entity_details(props: dict[str, Any], label: str = "Company") -> dict[str, Any]:
    """The recordDetails of an entity statement: a Company, an Arrangement (trust, nomination),
    a State or state body, or an Undisclosed entity (anonymous or unknown)."""
    identifiers = []
    if props.get("lei"):
        identifiers.append({"scheme": "XI-LEI", "id": props["lei"]})
    number = props.get("registration_number")
    if number:
        m = REGISTER_SCHEME.match(str(number))
        if m:
            identifiers.append({"scheme": m.group(1), "id": m.group(2)})
        else:
            where = props.get("jurisdiction") or "unknown jurisdiction"
            identifiers.append({"schemeName": f"company register ({where})", "id": str(number)})
    if props.get("wikidata_id"):
        identifiers.append({"schemeName": "Wikidata", "id": props["wikidata_id"],
                            "uri": f"https://www.wikidata.org/wiki/{props['wikidata_id']}"})
    if label == "Arrangement":
        kind = props.get("arrangement_type")
        entity_type = {"type": "arrangement",
                       **({"subtype": kind} if kind in ("trust", "nomination") else {})}
    elif label == "State":
        entity_type = {"type": props.get("state_kind") or "state"}
        if entity_type["type"] == "stateBody" and props.get("body_type"):
            entity_type["subtype"] = props["body_type"]
    elif label == "Undisclosed":
        reason = props.get("reason")
        entity_type = {"type": reason if reason in ("anonymousEntity", "unknownEntity")
                       else "unknownEntity"}
    else:
        entity_type = {"type": "registeredEntity" if identifiers else "legalEntity"}
    details: dict[str, Any] = {"isComponent": False, "entityType": entity_type,
                               "name": props.get("name")}
    if label == "Undisclosed":
        details["unspecifiedEntityDetails"] = _unspecified(props)
    if props.get("aliases"):
        details["alternateNames"] = list(props["aliases"])
    jurisdiction = _country(props.get("jurisdiction"))
    if jurisdiction:
        details["jurisdiction"] = jurisdiction
    if identifiers:
        details["identifiers"] = identifiers
    if props.get("website"):
        details["uri"] = props["website"]
    return details


def _unspecified(props: dict[str, Any]) -> dict[str, str]:
    """An Undisclosed node's reason as a BODS unspecified record (GLEIF codes, which BODS does
    not list, are named in the description, where the importer finds them again)."""
    reason = props.get("reason") or "unknown"
    code = reason if reason in BODS_REASONS else GLEIF_REASONS.get(reason, "unknown")
    text = props.get("reason_text") or ""
    if reason != code and reason not in ("anonymousPerson", "unknownPerson", "anonymousEntity",
                                         "unknownEntity"):
        text = f"[GLEIF {reason}] {text}".strip()
    return {"reason": code, **({"description": text} if text else {})}


def person_details(props: dict[str, Any], label: str = "Person",
                   include_sensitive: bool = False) -> dict[str, Any]:
    if label == "Undisclosed":
        reason = props.get("reason")
        return {"isComponent": False,
                "personType": reason if reason in ("anonymousPerson", "unknownPerson")
                else "unknownPerson",
                "unspecifiedPersonDetails": _unspecified(props)}
    names = [{"type": "legal", "fullName": props.get("name")}]
    names += [{"type": "alternative", "fullName": a} for a in props.get("aliases") or []]
    details: dict[str, Any] = {"isComponent": False, "personType": "knownPerson",
                               "names": names}
    nationality = _country(props.get("nationality"))
    if nationality:
        details["nationalities"] = [nationality]
    if props.get("wikidata_id"):
        details["identifiers"] = [{"schemeName": "Wikidata", "id": props["wikidata_id"]}]
    if include_sensitive and props.get("birth_date"):
        details["birthDate"] = str(props["birth_date"])
    return details


def _dated(interest: dict[str, Any], props: dict[str, Any]) -> dict[str, Any]:
    notes = []
    for key, name in (("start_date", "startDate"), ("end_date", "endDate")):
        value, rounded = full_date(props.get(key))
        if value:
            interest[name] = value
            if rounded:
                notes.append(f"{name} rounded from {props[key]}")
    if notes:
        interest["details"] = "; ".join([*([interest["details"]] if interest.get("details")
                                            else []), *notes])
    return interest


def _share(props: dict[str, Any]) -> dict[str, float]:
    if props.get("economic_pct") is not None:
        return {"exact": props["economic_pct"]}
    share = {}
    if props.get("pct_min") is not None:
        share["minimum"] = props["pct_min"]
    if props.get("pct_max") is not None:
        share["maximum"] = props["pct_max"]
    return share


def _base(props: dict[str, Any], level: str | None = None) -> dict[str, Any]:
    """What the relationship records of the interest's level and beneficial ownership; what it
    does not record is left out (both are optional in BODS), so an import gives it back as
    unknown (a GLEIF parent link says neither)."""
    out: dict[str, Any] = {}
    if props.get("direct_or_indirect") or level:
        out["directOrIndirect"] = props.get("direct_or_indirect") or level
    if props.get("beneficial_ownership") is not None:
        out["beneficialOwnershipOrControl"] = bool(props["beneficial_ownership"])
    return out


# A means graphapp recorded in its own words (a GLEIF relationship type, a note by hand) goes out
# as a BODS control type with these words in front, so that the importer gives it back as it was.
RECORDED = "as recorded: "
RECORDED_MEANS = re.compile(r"\b(?:appointmentOfBoard|otherInfluenceOrControl): " + RECORDED)


def _means_interests(means: str | None, base: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for item in [m for m in (means or "").split(", ") if m] or [""]:
        code, _, details = item.partition(": ")
        if code not in CONTROL_CODES:  # written by hand: told from its words
            code = ("appointmentOfBoard" if re.search(r"board|appoint", item, re.I)
                    else "otherInfluenceOrControl")
            details = RECORDED + item if item else ""
        interest = {"type": code, **base}
        if details:
            interest["details"] = details
        out.append(interest)
    return out


def _stake_interests(props: dict[str, Any], base: dict[str, Any]) -> list[dict[str, Any]]:
    """OWNS (or HOLDS_INDIRECTLY) as the interests the importer reads back to the same figures:
    the economic share on the shareholding (else the first economic right), the voting share on
    the voting rights."""

    kinds = [k for k in props.get("interests") or [] if k not in ("unstated",)]
    kinds = [k for k in kinds if k not in CONTROL_CODES]
    if props.get("voting_pct") is not None and "votingRights" not in kinds:
        kinds.append("votingRights")
    share = _share(props)
    if not kinds or (share and not any(k in ECONOMIC_INTERESTS for k in kinds)):
        kinds.insert(0, "shareholding")
    economic = "shareholding" if "shareholding" in kinds else next(
        (k for k in kinds if k in ECONOMIC_INTERESTS), None)
    out = []
    for kind in dict.fromkeys(kinds):
        interest = {"type": kind, **base}
        if kind == economic and share:
            interest["share"] = share
        if kind == "votingRights" and props.get("voting_pct") is not None:
            interest["share"] = {"exact": props["voting_pct"]}
        if kind == "shareholding" and props.get("share_class"):
            interest["details"] = f"share class {props['share_class']}"
        out.append(interest)
    return out


def interests(rel_type: str, props: dict[str, Any], end_labels: list[str]) -> list[dict]:
    """The BODS interests of one graphapp relationship ([] when BODS has none for it)."""
    base = _base(props)
    if rel_type == "OWNS":
        if props.get("interests") == [] and not _share(props):
            return []  # a holding of unknown size, as an unspecified record with no interest
        return [_dated(i, props) for i in _stake_interests(props, base)]
    if rel_type == "HOLDS_INDIRECTLY":
        base = _base(props, "indirect")
        out = []
        if props.get("means"):
            out += _means_interests(props["means"], base)
        if _share(props) or props.get("voting_pct") is not None or not out:
            out = _stake_interests(props, base) + out
        return [_dated(i, props) for i in out]
    if rel_type == "PARTY_TO":
        interest = {"type": ROLE_INTERESTS.get(props.get("role"), props.get("role")), **base}
        if _share(props):
            interest["share"] = _share(props)
        if props.get("note"):
            interest["details"] = props["note"]
        return [_dated(interest, props)]
    if rel_type == "CONTROLS":
        return [_dated(i, props) for i in _means_interests(props.get("means"), base)]
    if rel_type == "HOLDS_ROLE" and set(end_labels) & {"Company", "Arrangement", "State"}:
        title = props.get("title") or ""
        if props.get("kind") == "board":
            kind = "boardChair" if "chair" in title.lower() else "boardMember"
        elif props.get("kind") == "executive":
            kind = "seniorManagingOfficial"
        else:
            return []
        interest = {"type": kind, **base}
        if title and kind == "seniorManagingOfficial":
            interest["details"] = title
        return [_dated(interest, props)]
    return []


@for_reader
def export_statements(graph: Graph, include_sensitive: bool = False,
                      today: str | None = None) -> list[dict[str, Any]]:
    """Entity and person statements first, then the relationships between them (the
    components of a declared indirect interest before it, as BODS asks).

    The publisher is ``graphapp`` and record ids are graphapp's node ids: importing the export
    (graphapp reads its own record ids as node ids) gives back the same nodes.
    """
    today = today or dt.date.today().isoformat()
    statements = []
    kinds: dict[str, str] = {}
    inline: dict[str, dict[str, Any]] = {}  # Undisclosed owners with no record of their own
    for row in graph.read("imports.export_nodes", labels=EXPORT_LABELS,
                          include_sensitive=include_sensitive):
        props, labels = row["props"], row["labels"]
        label = next(x for x in EXPORT_LABELS if x in labels)
        if label == "Undisclosed" and props.get("party_kind") not in ("person", "entity"):
            inline[row["id"]] = _unspecified(props)
            continue
        if label == "Person" or (label == "Undisclosed" and props.get("party_kind") == "person"):
            details, kind = person_details(props, label, include_sensitive), "person"
        else:
            details, kind = entity_details(props, label), "entity"
        kinds[row["id"]] = kind
        source = {"type": ["thirdParty"], "url": props["sources"][0]} \
            if props.get("sources") else None
        statements.append(_statement(row["id"], kind, details, row["id"], today,
                                     source))
    rows = [r for r in graph.read("imports.export_relationships", types=EXPORT_TYPES,
                                  include_sensitive=include_sensitive)
            if kinds.get(r["to"]) == "entity" and (r["from"] in kinds or r["from"] in inline)]
    by_inline = defaultdict(int)
    for r in rows:
        if r["from"] in inline:
            by_inline[r["from"]] += 1
    record_of: dict[tuple[str, str], str] = {}
    relationships = []
    for row in rows:
        found = interests(row["type"], row["props"], row["to_labels"])
        if not found and row["from"] not in inline:
            continue
        party: Any = row["from"]
        if row["from"] in inline:
            party = inline[row["from"]]
            # one relationship per marker: its record id gives the marker's id back
            record_id = (row["from"].removesuffix("-undisclosed")
                         if by_inline[row["from"]] == 1 and row["from"].endswith("-undisclosed")
                         else None)
        else:
            record_id = None
        digest = hashlib.sha1(f"{row['from']}|{row['type']}|{row['to']}|"
                              f"{row['props'].get('key', '')}".encode()).hexdigest()[:20]
        record_id = record_id or f"rel-{digest}"
        details = {"isComponent": False, "subject": row["to"], "interestedParty": party,
                   "interests": found}
        if row["type"] == "OWNS":
            record_of.setdefault((row["from"], row["to"]), record_id)
        relationships.append((row, record_id, details))
    components: set[str] = set()
    for row, _, details in relationships:
        if row["type"] == "HOLDS_INDIRECTLY" and row["props"].get("via"):
            chain = [row["from"], *row["props"]["via"], row["to"]]
            hops = [record_of.get(pair) for pair in pairwise(chain)]
            listed = [x for x in row["props"]["via"] if x in kinds]
            details["componentRecords"] = [*listed, *[h for h in hops if h]]
            components.update(h for h in hops if h)
    out_rel = []
    for row, record_id, details in relationships:
        if record_id in components:
            details["isComponent"] = True
        when = full_date(row["props"].get("as_of"))[0] or today
        out_rel.append((row["type"] == "HOLDS_INDIRECTLY",
                        _statement(record_id, "relationship", details, row["to"], today,
                                   _source(row["props"]), when)))
    statements += [s for last, s in out_rel if not last] + [s for last, s in out_rel if last]
    return statements
