"""Engagement tracking: letters, responses and commitments, and what they say about a target.

Writes: ``create_engagement``, ``update_engagement``, ``create_commitment`` validate their input
with marshmallow (every error names its field) and write in one managed write transaction.
Reads: ``list_engagements``, ``list_commitments``, ``timeline`` (per harm or company),
``responsiveness`` (per company, its teams and people), ``overdue``, ``commitments_past_due``,
``turnover`` (contacts and engagements to re-establish) and ``ladder`` (where engagement on a
harm stands, and the next rung when a target is silent). The rules for partial dates, response
rates and medians are documented in ``docs/engagement.md``.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import statistics
import uuid
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from graphapp import audit
from graphapp.errors import BadRequest, GraphappError, NotFound
from graphapp.store import model
from graphapp.store.db import Graph, Tx
from graphapp.store.schemas import ID_PATTERN, PARTIAL_DATE, PartialDate, check_partial_date

DEFAULT_OVERDUE_DAYS = 30
MAX_OVERDUE_DAYS = 3650
DEFAULT_LIMIT = 500
ANSWERED = ("acknowledged", "responded", "declined")
OPEN = ("sent", "no_response")
TARGET_LABELS = ("Person", "Team", "Company", "Investor", "Regulator", "Forum")
OPEN_COMMITMENTS = ("pending", "partial")

# --- partial dates ---------------------------------------------------------------------------


def first_day(text: str) -> dt.date:
    """The earliest day a partial date can mean: 2019 -> 2019-01-01, 2019-04 -> 2019-04-01."""
    year, month, day = PARTIAL_DATE.match(text).groups()
    return dt.date(int(year), int(month or 1), int(day or 1))


def last_day(text: str) -> dt.date:
    """The latest day a partial date can mean: 2019 -> 2019-12-31, 2019-02 -> 2019-02-28."""
    year, month, day = PARTIAL_DATE.match(text).groups()
    y, m = int(year), int(month or 12)
    return dt.date(y, m, int(day) if day else calendar.monthrange(y, m)[1])


def middle_day(text: str) -> dt.date | None:
    """A date for arithmetic: a full date as is, a month as its 15th, a year: None (unknown)."""
    year, month, day = PARTIAL_DATE.match(text).groups()
    if month is None:
        return None
    return dt.date(int(year), int(month), int(day or 15))


def response_days(sent: str | None, answered: str | None) -> int | None:
    """Days from sending to the response, when both dates name at least a month (a month-only
    date counts as its 15th); None otherwise. Never negative (same month: 0 at least)."""
    if not sent or not answered:
        return None
    a, b = middle_day(sent), middle_day(answered)
    if a is None or b is None:
        return None
    return max((b - a).days, 0)


def days_waiting(sent: str, today: dt.date) -> int:
    """Whole days since the latest day ``sent`` can mean (so a partial date is never late early)."""
    return (today - last_day(sent)).days


def evaluation_day(as_of: str | None) -> dt.date:
    """The day answers are computed for: ``as_of`` (a partial one: its last day) or today."""
    return last_day(as_of) if as_of else dt.date.today()


# --- one engagement's state ------------------------------------------------------------------


def is_answered(e: dict[str, Any]) -> bool:
    return e.get("status") in ANSWERED or bool(e.get("response_date"))


def state(e: dict[str, Any], days: int, today: dt.date) -> str:
    """``answered``, ``declined``, ``no_response`` (recorded silence), ``overdue`` (sent, no
    answer after more than ``days`` days) or ``awaiting`` (sent, still within ``days``), on the
    day ``today``: an answer dated after it (its first possible day) has not come yet."""
    answer = e.get("response_date")
    if not (answer and first_day(answer) > today):
        if e.get("status") == "declined":
            return "declined"
        if is_answered(e):
            return "answered"
    if e.get("status") == "no_response":
        return "no_response"
    if e.get("date") and days_waiting(e["date"], today) > days:
        return "overdue"
    return "awaiting"


SILENT = ("no_response", "overdue", "declined")


def stats(engagements: list[dict[str, Any]], days: int, today: dt.date) -> dict[str, Any]:
    """Response rate and median response time over some engagements.

    ``due``: answered, declined, recorded silences and overdue ones (awaiting ones are not due
    yet); ``response_rate`` = answered (declined counts as an answer) / due, None when nothing is
    due; ``median_response_days`` over the answers whose two dates name at least a month.
    """
    states = [state(e, days, today) for e in engagements]
    answered = sum(s in ("answered", "declined") for s in states)
    due = sum(s != "awaiting" for s in states)
    times = [response_days(e.get("date"), e.get("response_date"))
             for e, s in zip(engagements, states, strict=True) if s in ("answered", "declined")]
    known = sorted(t for t in times if t is not None)
    return {
        "engagements": len(engagements), "due": due, "answered": answered,
        "awaiting": states.count("awaiting"), "overdue": states.count("overdue"),
        "no_response": states.count("no_response"), "declined": states.count("declined"),
        "response_rate": round(answered / due, 3) if due else None,
        "median_response_days": statistics.median(known) if known else None,
        "response_times_known": len(known), "response_times_unknown": len(times) - len(known),
    }


# --- input validation --------------------------------------------------------------------------


class InvalidInput(GraphappError):
    """A write's input is invalid; ``errors`` names every field (422)."""

    status = 422
    title = "Invalid input"


def _invalid(messages: dict[str, list[str]]) -> InvalidInput:
    return InvalidInput(f"Invalid field(s): {', '.join(sorted(messages))}.",
                        errors={"json": messages})


Url = fields.Url(schemes={"http", "https"})


def _ids(required: bool = False, min_one: bool = False) -> fields.List:
    item = fields.String(validate=validate.Regexp(
        ID_PATTERN, error="Not an id (letters, digits and . _ : -)."))
    check = validate.Length(min=1, error="Give at least one id.") if min_one else None
    if required:
        return fields.List(item, required=True, validate=check)
    return fields.List(item, load_default=list, validate=check)


def _not_before(data: dict[str, Any], early: str, late: str, errors: dict) -> None:
    a, b = data.get(early), data.get(late)
    if a and b and last_day(b) < first_day(a):
        errors.setdefault(late, []).append(f"{late} {b} is before {early} {a}.")


class EngagementFields(Schema):
    """An engagement's own fields, as the API and the forms take them."""

    class Meta:
        unknown = RAISE

    name = fields.String(required=True, validate=validate.Length(1, 500))
    kind = fields.String(required=True, validate=validate.OneOf(
        model.ENGAGEMENT_KINDS, error="Must be one of: {choices}."))
    date = PartialDate(required=True)
    status = fields.String(load_default="sent", validate=validate.OneOf(
        model.ENGAGEMENT_STATUSES, error="Must be one of: {choices}."))
    subject = fields.String(allow_none=True, validate=validate.Length(max=5000))
    response_date = PartialDate(allow_none=True)
    outcome = fields.String(allow_none=True, validate=validate.Length(max=5000))
    description = fields.String(allow_none=True, validate=validate.Length(max=5000))
    sources = fields.List(Url, load_default=list)
    sensitive = fields.Boolean(load_default=False)

    @validates_schema
    def _dates(self, data, **kwargs):
        errors: dict[str, list[str]] = {}
        _not_before(data, "date", "response_date", errors)
        if data.get("response_date") and data.get("status") in OPEN:
            errors.setdefault("status", []).append(
                "A response date needs status acknowledged, responded or declined.")
        if errors:
            raise ValidationError(errors)


class EngagementInput(EngagementFields):
    """A new engagement: its fields, who sent it, to whom, about which harms."""

    id = fields.String(load_default=None, validate=validate.Regexp(
        ID_PATTERN, error="Use letters, digits and . _ : - (at most 200)."))
    by = _ids(required=True, min_one=True)
    to = _ids(required=True, min_one=True)
    about = _ids()
    confidence = fields.String(load_default="confirmed", validate=validate.OneOf(
        model.CONFIDENCE, error="Must be one of: {choices}."))


class EngagementUpdate(Schema):
    """What an update may change (status, response, outcome, documents); all optional."""

    class Meta:
        unknown = RAISE

    name = fields.String(validate=validate.Length(1, 500))
    status = fields.String(validate=validate.OneOf(
        model.ENGAGEMENT_STATUSES, error="Must be one of: {choices}."))
    subject = fields.String(allow_none=True, validate=validate.Length(max=5000))
    response_date = PartialDate(allow_none=True)
    outcome = fields.String(allow_none=True, validate=validate.Length(max=5000))
    description = fields.String(allow_none=True, validate=validate.Length(max=5000))
    sources = fields.List(Url)


class CommitmentInput(Schema):
    class Meta:
        unknown = RAISE

    id = EngagementInput._declared_fields["id"]
    name = fields.String(required=True, validate=validate.Length(1, 500))
    text = fields.String(required=True, validate=validate.Length(1, 5000))
    date_made = PartialDate(allow_none=True)
    due_date = PartialDate(allow_none=True)
    status = fields.String(load_default="pending", validate=validate.OneOf(
        model.COMMITMENT_STATUSES, error="Must be one of: {choices}."))
    description = fields.String(allow_none=True, validate=validate.Length(max=5000))
    sources = fields.List(Url, load_default=list)
    sensitive = fields.Boolean(load_default=False)
    made_by = fields.String(required=True, validate=validate.Regexp(
        ID_PATTERN, error="Not an id (letters, digits and . _ : -)."))
    in_response_to = _ids()
    about = _ids()
    confidence = EngagementInput._declared_fields["confidence"]

    @validates_schema
    def _dates(self, data, **kwargs):
        errors: dict[str, list[str]] = {}
        _not_before(data, "date_made", "due_date", errors)
        if errors:
            raise ValidationError(errors)


def _load(schema: Schema, data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise _invalid({"_schema": ["Send a JSON object."]})
    # Forms send empty strings for empty fields: treat them as absent.
    clean = {k: v for k, v in data.items() if v not in ("", None) or k in ("response_date",)}
    if clean.get("response_date") == "":
        clean["response_date"] = None
    try:
        return schema.load(clean)
    except ValidationError as exc:
        raise _invalid(exc.messages) from None


def _new_id(prefix: str, date: str | None) -> str:
    return f"{prefix}-{(date or '').replace('-', '')}-{uuid.uuid4().hex[:8]}".replace("--", "-")


def _check_ends(tx: Tx, wanted: dict[str, tuple[list[str], tuple[str, ...]]]
                ) -> dict[str, dict[str, Any]]:
    """Check that each field's ids exist with one of the allowed labels; raise naming fields."""
    ids = sorted({i for ids, _ in wanted.values() for i in ids})
    found = {r["id"]: r for r in tx.run("engagement.labels_of", ids=ids)}
    errors: dict[str, list[str]] = {}
    for name, (values, labels) in wanted.items():
        for value in values:
            row = found.get(value)
            if row is None:
                errors.setdefault(name, []).append(f"No entity with id {value!r}.")
            elif not set(row["labels"]) & set(labels):
                errors.setdefault(name, []).append(
                    f"{value!r} is a {'/'.join(sorted(set(row['labels']) - {'Entity'}))}, "
                    f"not a {' or '.join(labels)}.")
    if errors:
        raise _invalid(errors)
    return found


def _rel(rel_type: str, start: str, end: str, data: dict[str, Any], as_of: str | None
         ) -> dict[str, Any]:
    props = {"confidence": data["confidence"], "sources": data.get("sources") or [],
             "as_of": as_of or dt.date.today().isoformat(), "key": "|"}
    return {"type": rel_type, "from": start, "to": end, "key": "|", "props": props}


def _node_row(node_id: str, label: str, data: dict[str, Any], keys: tuple[str, ...]
              ) -> dict[str, Any]:
    props = {k: data[k] for k in keys if data.get(k) is not None}
    return {"id": node_id, "labels": [label], "props": props}


ENGAGEMENT_KEYS = ("name", "kind", "date", "status", "subject", "response_date", "outcome",
                   "description", "sources", "sensitive")
COMMITMENT_KEYS = ("name", "text", "date_made", "due_date", "status", "description", "sources",
                   "sensitive")


# --- writes ----------------------------------------------------------------------------------


def create_engagement(graph: Graph, data: Any, user: str = "system") -> dict[str, Any]:
    """Validate and write a new engagement with its BY, TO and ABOUT ties (and an audit event
    naming ``user``, in the same transaction); return it."""
    e = _load(EngagementInput(), data)
    engagement_id = e["id"] or _new_id("eng", e["date"])

    def work(tx: Tx) -> None:
        if tx.run("engagement.labels_of", ids=[engagement_id]):
            raise _invalid({"id": [f"{engagement_id!r} exists already."]})
        _check_ends(tx, {"by": (e["by"], ("Organization",)), "to": (e["to"], TARGET_LABELS),
                         "about": (e["about"], ("Harm",))})
        rels = ([_rel("BY", engagement_id, o, e, e["date"]) for o in e["by"]]
                + [_rel("TO", engagement_id, t, e, e["date"]) for t in e["to"]]
                + [_rel("ABOUT", engagement_id, h, e, e["date"]) for h in e["about"]])
        row = _node_row(engagement_id, "Engagement", e, ENGAGEMENT_KEYS)
        tx.run("records.upsert_nodes", rows=[row])
        tx.run("records.upsert_relationships", rows=rels)
        tx.run("audit.record", events=[audit.event(
            user, "create_engagement", engagement_id, None,
            {**row["props"], "by": e["by"], "to": e["to"], "about": e["about"]})])

    graph.write_tx(work)
    return get_engagement(graph, engagement_id, include_sensitive=True)


def update_engagement(graph: Graph, engagement_id: str, data: Any, user: str = "system"
                      ) -> dict[str, Any]:
    """Change an engagement's status, response date, outcome or documents (validated against
    what it already holds, in the same write transaction); return it."""
    change = _load(EngagementUpdate(), data)
    if not change:
        raise _invalid({"_schema": ["Nothing to change: give status, response_date, outcome, "
                                    "subject, description, name or sources."]})

    def work(tx: Tx) -> None:
        rows = tx.run("engagement.get_engagement", id=engagement_id)
        if not rows:
            raise NotFound(f"No engagement with id {engagement_id!r}.")
        current = {k: v for k, v in rows[0]["engagement"].items()
                   if k in ENGAGEMENT_KEYS and v is not None}
        merged = {**current, **change}
        if "status" in change and change["status"] in OPEN and "response_date" not in change:
            merged.pop("response_date", None)
        try:
            checked = EngagementFields().load(
                {k: v for k, v in merged.items() if v is not None})
        except ValidationError as exc:
            raise _invalid(exc.messages) from None
        props = {k: checked[k] for k in ENGAGEMENT_KEYS if checked.get(k) is not None}
        tx.run("engagement.set_engagement", id=engagement_id, props=props)
        tx.run("audit.record", events=[audit.event(user, "update_engagement", engagement_id,
                                                   current, props)])

    graph.write_tx(work)
    return get_engagement(graph, engagement_id, include_sensitive=True)


def create_commitment(graph: Graph, data: Any, user: str = "system") -> dict[str, Any]:
    """Validate and write a commitment with its MADE_BY, IN_RESPONSE_TO and ABOUT ties."""
    c = _load(CommitmentInput(), data)
    commitment_id = c["id"] or _new_id("commit", c.get("date_made"))

    def work(tx: Tx) -> None:
        if tx.run("engagement.labels_of", ids=[commitment_id]):
            raise _invalid({"id": [f"{commitment_id!r} exists already."]})
        _check_ends(tx, {"made_by": ([c["made_by"]], ("Company",)),
                         "in_response_to": (c["in_response_to"], ("Engagement",)),
                         "about": (c["about"], ("Harm",))})
        when = c.get("date_made")
        rels = ([_rel("MADE_BY", commitment_id, c["made_by"], c, when)]
                + [_rel("IN_RESPONSE_TO", commitment_id, e, c, when)
                   for e in c["in_response_to"]]
                + [_rel("ABOUT", commitment_id, h, c, when) for h in c["about"]])
        row = _node_row(commitment_id, "Commitment", c, COMMITMENT_KEYS)
        tx.run("records.upsert_nodes", rows=[row])
        tx.run("records.upsert_relationships", rows=rels)
        tx.run("audit.record", events=[audit.event(
            user, "create_commitment", commitment_id, None,
            {**row["props"], "made_by": c["made_by"], "in_response_to": c["in_response_to"],
             "about": c["about"]})])

    graph.write_tx(work)
    return list_commitments(graph, commitment_id=commitment_id, include_sensitive=True)[0]


# --- reads -----------------------------------------------------------------------------------


def _shape_engagement(row: dict[str, Any], days: int, today: dt.date) -> dict[str, Any]:
    e = {k: v for k, v in row["engagement"].items() if v is not None}
    e["sources"] = e.get("sources") or []
    e["state"] = state(e, days, today)
    e["days_waiting"] = (days_waiting(e["date"], today)
                         if e["state"] in ("awaiting", "overdue", "no_response") else None)
    e["response_days"] = response_days(e.get("date"), e.get("response_date"))
    for key in ("by", "to", "about", "commitments"):
        e[key] = [{k: v for k, v in x.items() if v is not None or k == "sources"}
                  for x in row.get(key, [])]
        for x in e[key]:
            x["labels"] = [label for label in x.get("labels", []) if label != model.BASE_LABEL]
            if not x["labels"]:
                x.pop("labels")
    return e


def check_days(days: Any) -> int:
    if days is None:
        return DEFAULT_OVERDUE_DAYS
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_OVERDUE_DAYS:
        raise BadRequest("Invalid parameter(s): days.", errors={"query": {"days": [
            f"Must be a whole number from 1 to {MAX_OVERDUE_DAYS}."]}})
    return days


def _check_as_of(as_of: str | None) -> None:
    if as_of:
        try:
            check_partial_date(as_of)
        except ValidationError as exc:
            raise BadRequest("Invalid parameter(s): as_of.",
                             errors={"query": {"as_of": exc.messages}}) from None


def get_engagement(graph: Graph, engagement_id: str, days: int | None = None,
                   as_of: str | None = None, include_sensitive: bool = False) -> dict[str, Any]:
    rows = graph.read("engagement.engagements", id=engagement_id, harm=None, org=None,
                      target=None, as_of=None, include_sensitive=include_sensitive, limit=1)
    if rows:
        return _shape_engagement(rows[0], check_days(days), evaluation_day(as_of))
    raise NotFound(f"No engagement with id {engagement_id!r}.")


def list_engagements(graph: Graph, *, harm: str | None = None, org: str | None = None,
                     target: str | None = None, days: int | None = None,
                     as_of: str | None = None, limit: int = DEFAULT_LIMIT,
                     include_sensitive: bool = False) -> list[dict[str, Any]]:
    """Engagements (newest first), each with its state on ``as_of`` (default today)."""
    days = check_days(days)
    _check_as_of(as_of)
    rows = graph.read("engagement.engagements", id=None, harm=harm, org=org, target=target,
                      as_of=as_of,
                      include_sensitive=include_sensitive, limit=limit)
    today = evaluation_day(as_of)
    return [_shape_engagement(r, days, today) for r in rows]


def _shape_commitment(row: dict[str, Any], today: dt.date) -> dict[str, Any]:
    c = {k: v for k, v in row["commitment"].items() if v is not None}
    c["sources"] = c.get("sources") or []
    c["past_due"] = bool(c.get("due_date") and c.get("status") in OPEN_COMMITMENTS
                         and last_day(c["due_date"]) < today)
    for key in ("made_by", "about", "in_response_to"):
        c[key] = [{k: v for k, v in x.items() if v is not None} for x in row[key]]
    return c


def list_commitments(graph: Graph, *, harm: str | None = None, company: str | None = None,
                     commitment_id: str | None = None, as_of: str | None = None,
                     limit: int = DEFAULT_LIMIT,
                     include_sensitive: bool = False) -> list[dict[str, Any]]:
    _check_as_of(as_of)
    rows = graph.read("engagement.commitments", id=commitment_id, harm=harm, company=company,
                      as_of=as_of,
                      include_sensitive=include_sensitive, limit=limit)
    today = evaluation_day(as_of)
    return [_shape_commitment(r, today) for r in rows]


def commitments_past_due(graph: Graph, as_of: str | None = None,
                         include_sensitive: bool = False) -> list[dict[str, Any]]:
    """Pending or partial commitments whose due date (its last possible day) has passed."""
    found = [c for c in list_commitments(graph, as_of=as_of, limit=100000,
                                         include_sensitive=include_sensitive) if c["past_due"]]
    return sorted(found, key=lambda c: (c["due_date"], c["id"]))


def overdue(graph: Graph, days: int | None = None, as_of: str | None = None,
            include_sensitive: bool = False) -> list[dict[str, Any]]:
    """Engagements with no answer: overdue (sent more than ``days`` days ago) or recorded as
    ``no_response``; the longest-waiting first."""
    found = [e for e in list_engagements(graph, days=days, as_of=as_of, limit=100000,
                                         include_sensitive=include_sensitive)
             if e["state"] in ("overdue", "no_response")]
    return sorted(found, key=lambda e: (-e["days_waiting"], e["id"]))


OVERDUE_COLUMNS = ("id", "name", "kind", "date", "status", "state", "days_waiting", "by", "to",
                   "about", "sources")


def overdue_csv(rows: list[dict[str, Any]]) -> str:
    """The overdue list as CSV (lists joined with ``; ``; cells that a spreadsheet would run as
    a formula are prefixed with ``'``)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(OVERDUE_COLUMNS)
    for e in rows:
        cells = []
        for col in OVERDUE_COLUMNS:
            value = e.get(col)
            if isinstance(value, list):
                value = "; ".join(x if isinstance(x, str) else f"{x.get('name')} ({x['id']})"
                                  for x in value)
            text = "" if value is None else str(value)
            cells.append("'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text)
        writer.writerow(cells)
    return out.getvalue()


def timeline(graph: Graph, *, harm: str | None = None, company: str | None = None,
             days: int | None = None, as_of: str | None = None,
             include_sensitive: bool = False,
             engagements: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Engagements and commitments about a harm (or to and by a company), oldest first: each
    event has ``date``, ``type`` (engagement, response, commitment, due) and the record.

    ``engagements``: the list already read (a company's ``responsiveness()["engagement_list"]``
    with the same filters), so that it is not read twice."""
    if (harm is None) == (company is None):
        raise BadRequest("Give a harm or a company.")
    if engagements is None and company is not None:
        engagements = responsiveness(graph, company, days=days, as_of=as_of,
                                     include_sensitive=include_sensitive)["engagement_list"]
    elif engagements is None:
        engagements = list_engagements(graph, harm=harm, days=days, as_of=as_of, limit=100000,
                                       include_sensitive=include_sensitive)
    commitments = list_commitments(graph, harm=harm, company=company, as_of=as_of, limit=100000,
                                   include_sensitive=include_sensitive)
    events = []
    for e in engagements:
        events.append({"date": e["date"], "type": "engagement", "record": e})
        if e.get("response_date") and e["state"] in ("answered", "declined"):
            events.append({"date": e["response_date"], "type": "response", "record": e})
    for c in commitments:
        if c.get("date_made"):
            events.append({"date": c["date_made"], "type": "commitment", "record": c})
        if c.get("due_date"):
            events.append({"date": c["due_date"], "type": "due", "record": c})
    order = {"engagement": 0, "response": 1, "commitment": 2, "due": 3}
    return sorted(events, key=lambda ev: (ev["date"], order[ev["type"]], ev["record"]["id"]))


def responsiveness(graph: Graph, company_id: str, days: int | None = None,
                   as_of: str | None = None, include_sensitive: bool = False) -> dict[str, Any]:
    """Response rate and median response time of a company overall (everything sent to it, its
    teams or the people holding a role there on the day), and of each team and person."""
    days = check_days(days)
    _check_as_of(as_of)
    rows = graph.read("engagement.company_engagements", company=company_id,
                      include_sensitive=include_sensitive)
    if not rows:
        raise NotFound(f"No company with id {company_id!r}.")
    today = evaluation_day(as_of)
    cutoff = as_of or today.isoformat()
    items = [r for r in rows[0]["rows"] if r["engagement"]["date"] <= cutoff]
    unique: dict[str, dict[str, Any]] = {}
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for r in items:
        e = r["engagement"]
        unique[e["id"]] = e
        key = (r["level"], r["target"]["id"])
        group = groups.setdefault(key, {**r["target"], "level": r["level"], "list": {}})
        group["list"][e["id"]] = e

    def section(level: str) -> list[dict[str, Any]]:
        out = [{"id": g["id"], "name": g["name"], **stats(list(g["list"].values()), days, today)}
               for (lv, _), g in groups.items() if lv == level]
        return sorted(out, key=lambda x: (x["name"].casefold(), x["id"]))

    shaped = [_shape_engagement({"engagement": e}, days, today) for e in unique.values()]
    shaped.sort(key=lambda e: (e["date"], e["id"]))
    return {"company": rows[0]["company"], "days": days, "evaluated_on": today.isoformat(),
            "overall": stats(list(unique.values()), days, today),
            "direct": stats([g for (lv, _), grp in groups.items() if lv == "company"
                             for g in grp["list"].values()], days, today),
            "teams": section("team"), "people": section("person"),
            "engagement_list": shaped}


def turnover(graph: Graph, as_of: str | None = None, include_sensitive: bool = False
             ) -> list[dict[str, Any]]:
    """People whose role ended (by ``as_of``) while engagements or contacts depended on them:
    each is flagged ``re-establish``, with whoever holds that role now, where known."""
    _check_as_of(as_of)
    when = as_of or dt.date.today().isoformat()
    rows = graph.read("engagement.turnover", as_of=when, include_sensitive=include_sensitive)
    flags = []
    for r in rows:
        place = {**r["place"], "labels": [x for x in r["place"]["labels"]
                                          if x != model.BASE_LABEL]}
        successors = r["successors"]
        with_whom = (", ".join(s["name"] for s in successors) if successors
                     else "whoever holds the role now (not known)")
        role = r["role"]
        title = role.get("title") or role.get("kind") or "a role"
        flags.append({
            "flag": "re-establish", "person": r["person"], "role": role, "place": place,
            "engagements": r["engagements"], "contacts": r["contacts"],
            "successors": successors,
            "message": (f"{r['person']['name']} left {title} at {place['name']} "
                        f"({role['end_date']}): re-establish with {with_whom}."),
        })
    return flags


# --- the ladder of engagement on a harm ---------------------------------------------------------

STEPS = ("local", "regional", "hq_product", "board", "investors_regulators")
STEP_TITLES = {
    "local": "Local representative or office",
    "regional": "Regional policy lead",
    "hq_product": "Headquarters product and policy teams",
    "board": "Board and executives",
    "investors_regulators": "Investors and regulators",
}


def step_of_target(target: dict[str, Any]) -> str | None:
    """Where an escalation target stands on the engagement ladder (forums stand beside it)."""
    rung = target["rung"]
    scope = (target.get("details") or {}).get("scope") or target.get("scope")
    if rung == "local":
        return "local"
    if rung == "subsidiary":
        return "regional"
    if rung in ("team", "person"):
        return {"regional": "regional", "country": "local"}.get(scope or "", "hq_product")
    if rung == "headquarters":
        return "hq_product"
    if rung == "leadership":
        return "board"
    if rung in ("investor", "regulator"):
        return "investors_regulators"
    return None


def step_of_node(node: dict[str, Any]) -> str | None:
    """A fallback for addressees escalation did not list, from their labels and roles."""
    labels = set(node.get("labels") or [])
    if labels & {"Investor", "Regulator"}:
        return "investors_regulators"
    if "Forum" in labels:
        return None
    if "Company" in labels:
        return "hq_product"
    places = [node] if "Team" in labels else node.get("roles") or []
    for p in places:
        if p.get("kind") in ("board", "executive") or p.get("function") in ("board",
                                                                             "executive"):
            return "board"
    for p in places:
        if p.get("kind") == "representative" or p.get("function") == "local_office" \
                or p.get("scope") == "country":
            return "local"
    for p in places:
        if p.get("scope") == "regional":
            return "regional"
    return "hq_product" if places else None


def ladder(graph: Graph, harm_id: str, days: int | None = None, as_of: str | None = None,
           org: str | None = None, include_sensitive: bool = False,
           suggestions: int = 3) -> dict[str, Any]:
    """Where engagement on a harm stands on each rung (local representative, regional policy
    lead, headquarters product team, board, investors and regulators), per target, and for
    each silent target (no response, overdue, declined) the next rung up and who to write to
    there: the best-scoring escalation targets of that rung not yet written to about it."""
    from graphapp import escalation

    days = check_days(days)
    _check_as_of(as_of)
    result = escalation.escalate(graph, harm_id, as_of=as_of, org=org,
                                 include_sensitive=include_sensitive, limit=500,
                                 overdue_days=days)
    today = evaluation_day(as_of)
    when = as_of or today.isoformat()
    engagements = [e for e in list_engagements(graph, harm=harm_id, days=days, as_of=as_of,
                                               limit=100000,
                                               include_sensitive=include_sensitive)
                   if e["date"] <= when]
    targets = [t for rung in result["rungs"] for t in rung["targets"]]
    # A node on two rungs (a chief executive who holds shares) stands on the lower step.
    step_by_id: dict[str, str] = {}
    for t in sorted((t for t in targets if t["step"]), key=lambda t: STEPS.index(t["step"])):
        step_by_id.setdefault(t["id"], t["step"])
    nodes = {r["id"]: r for r in graph.read("engagement.harm_targets", harm=harm_id, as_of=when,
                                            include_sensitive=include_sensitive)}
    engaged: dict[str, dict[str, Any]] = {}
    for e in sorted(engagements, key=lambda e: (e["date"], e["id"])):
        for to in e["to"]:
            step = step_by_id.get(to["id"]) or step_of_node(nodes.get(to["id"], to))
            entry = engaged.setdefault(to["id"], {"id": to["id"], "name": to.get("name"),
                                                  "step": step, "engagements": []})
            entry["engagements"].append({k: e[k] for k in (
                "id", "name", "kind", "date", "status", "state", "response_date",
                "days_waiting") if k in e})
    for entry in engaged.values():
        latest = entry["engagements"][-1]
        entry["state"] = latest["state"]
        entry["latest"] = latest
    by_step: dict[str, list[dict[str, Any]]] = {s: [] for s in STEPS}
    for t in targets:
        step = t["step"]
        if step and t["id"] not in engaged and step_by_id.get(t["id"]) == step \
                and t["id"] not in {x["id"] for x in by_step[step]}:
            by_step[step].append({"id": t["id"], "name": t["name"], "rung": t["rung"],
                                  "score": t["score"], "why": t["why"]})
    for step in STEPS:
        by_step[step].sort(key=lambda x: (-x["score"], x["name"].casefold(), x["id"]))

    def next_rung(step: str | None) -> tuple[str | None, list[dict[str, Any]]]:
        start = STEPS.index(step) + 1 if step in STEPS else 0
        for s in STEPS[start:]:
            if by_step[s]:
                return s, by_step[s][:suggestions]
        return None, []

    silent = []
    for entry in sorted(engaged.values(), key=lambda x: (
            STEPS.index(x["step"]) if x["step"] in STEPS else -1, x["name"] or "", x["id"])):
        if entry["state"] in SILENT:
            step, who = next_rung(entry["step"])
            entry["next_step"] = step
            entry["next_targets"] = who
            silent.append(entry["id"])
    reached = [e["step"] for e in engaged.values() if e["step"] in STEPS]
    highest = max(reached, key=STEPS.index) if reached else None
    return {
        "harm": result["start"], "days": days, "evaluated_on": today.isoformat(),
        "no_path": result["no_path"], "message": result["message"],
        "highest_step": highest,
        "steps": [{"step": s, "title": STEP_TITLES[s],
                   "engaged": sorted((e for e in engaged.values() if e["step"] == s),
                                     key=lambda x: (x["name"] or "", x["id"])),
                   "not_yet_engaged": by_step[s][:suggestions]} for s in STEPS],
        "unplaced": sorted((e for e in engaged.values() if e["step"] not in STEPS),
                           key=lambda x: (x["name"] or "", x["id"])),
        "silent": silent,
        "suggestions": [{"after": e["id"], "name": e["name"], "state": e["state"],
                         "next_step": e["next_step"], "targets": e["next_targets"]}
                        for e in (engaged[i] for i in silent)],
    }
