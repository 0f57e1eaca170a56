"""Engagement's rules, without the database: what a partial date means, when an engagement is
answered or overdue, response rates and medians (docs/engagement.md), the steps of the ladder,
and the options every reader takes (one marshmallow schema, ``EngagementOptions``)."""

from __future__ import annotations

import datetime as dt
import statistics
from typing import Any

from marshmallow import Schema, fields, validate

from graphapp import errors
from graphapp.store import model
from graphapp.store.schemas import ID_PATTERN, PARTIAL_DATE, PartialDate, first_day, last_day

DEFAULT_OVERDUE_DAYS = 30
MAX_OVERDUE_DAYS = 3650
DEFAULT_LIMIT = 500
ANSWERED = model.ENGAGEMENT_ANSWERED
OPEN = model.ENGAGEMENT_OPEN
TARGET_LABELS = ("Person", "Team", "Company", "Investor", "Regulator", "Forum")
OPEN_COMMITMENTS = ("pending", "partial")

# --- partial dates ---------------------------------------------------------------------------


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


LISTED = ("overdue", "no_response")  # the overdue list: engagements no one answered


def overdue_window(days: int, today: dt.date) -> dict[str, Any]:
    """The parameters with which ``cypher/engagement.cypher``'s ``overdue`` decides, in the
    database, what :func:`state` calls overdue or no_response (so that 100,000 engagements are
    not read to keep a few thousand): no answer by ``today`` (no response date and a status
    not in ``answered``, or a response date whose first possible day is after ``today``), and
    either a recorded silence or sent before ``cutoff`` (its last possible day more than
    ``days`` days before ``today``). ``tests/test_engagement.py`` checks, over every status and
    kind of partial date, that the two agree."""
    return {"today": today.isoformat(), "cutoff": (today - dt.timedelta(days=days)).isoformat(),
            "answered": list(ANSWERED)}


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


# --- options -----------------------------------------------------------------------------------


def _id(description: str) -> fields.String:
    return fields.String(load_default=None, validate=validate.Regexp(ID_PATTERN),
                         metadata={"description": description})


class EngagementOptions(Schema):
    """What the engagement readers take, validated the same way from the API, the pages, the
    CLI and Python (``only=`` picks a reader's own)."""

    days = fields.Integer(load_default=None, validate=validate.Range(1, MAX_OVERDUE_DAYS),
                          metadata={"description": "An engagement with no answer after more "
                                                   "than this many days is overdue (default: "
                                                   "the app's ENGAGEMENT_OVERDUE_DAYS, 30)."})
    as_of = PartialDate(load_default=None, metadata={
        "description": "Answer for this day (YYYY, YYYY-MM or YYYY-MM-DD: its last day); "
                       "default: today."})
    harm = _id("Only engagements (or commitments) about this harm.")
    org = _id("Only engagements by this organisation.")
    target = _id("Only engagements to this person, team, company, investor, regulator or forum.")
    company = _id("Only commitments made by this company.")
    past_due = fields.Boolean(load_default=False, metadata={
        "description": "Only pending or partial commitments whose due date has passed."})
    limit = fields.Integer(load_default=DEFAULT_LIMIT, validate=validate.Range(1, 5000))


OVERDUE_OPTIONS = ("days", "as_of")
LIST_OPTIONS = ("days", "as_of", "harm", "org", "target", "limit")
COMMITMENT_OPTIONS = ("harm", "company", "past_due", "as_of", "limit")
_DAYS = EngagementOptions(only=("days",))
_AS_OF = EngagementOptions(only=("as_of",))


def check_days(days: Any) -> int:
    """``days`` when it is a valid threshold (the default when None); else the 400 naming it."""
    if days is None:
        return DEFAULT_OVERDUE_DAYS
    if isinstance(days, bool) or not isinstance(days, int):
        raise errors.invalid({"days": ["Not a valid integer."]})
    return errors.load(_DAYS, {"days": days})["days"]


def check_as_of(as_of: str | None) -> None:
    """Nothing when ``as_of`` is None or a partial date; else the 400 naming it."""
    if as_of:
        errors.load(_AS_OF, {"as_of": as_of})
