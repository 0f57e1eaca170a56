"""What every importer shares: a batch of (where, record) pairs, and problems that say where.

An importer turns a file into a ``Batch``: nodes and relationships in the shape that
``graphapp.store.records.validate`` takes, each under a ``where`` key that names its place in
the file (``people.xlsx, sheet Person, row 4``). ``locations`` maps every ``where`` back to
(file, sheet, row, columns), so that a validation message becomes a row-level ``Problem``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# A "where" must not contain ": ", which separates it from the field in validation messages.
_COLON = re.compile(r":\s")


@dataclass(frozen=True)
class Location:
    """Where a record came from: the file, the sheet (spreadsheets), the row or line."""

    file: str
    sheet: str | None = None
    row: int | None = None
    unit: str = "row"  # "row" in a sheet, "line" in JSON lines, "record" in XML or JSON
    columns: Mapping[str, str] = field(default_factory=dict)  # record field -> column name

    def where(self) -> str:
        parts = [_COLON.sub(" ", self.file)]
        if self.sheet:
            parts.append(f"sheet {self.sheet}")
        if self.row is not None:
            parts.append(f"{self.unit} {self.row}")
        return ", ".join(parts)


@dataclass(frozen=True)
class Problem:
    """One problem, as the row-level error report shows it."""

    file: str
    sheet: str | None
    row: int | None
    column: str | None
    message: str
    unit: str = "row"

    def __str__(self) -> str:
        place = Location(self.file, self.sheet, self.row, self.unit).where()
        if self.column:
            place += f", column {self.column}"
        return f"{place}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "sheet": self.sheet, "row": self.row, "column": self.column,
                "message": self.message}


@dataclass
class Score:
    """A Ranking Digital Rights total for one company and year (written beside the records)."""

    where: str
    company: str  # the company's name as the scorecard spells it
    year: int
    score: float
    source: str
    company_id: str | None = None  # resolved by the pipeline


@dataclass
class Batch:
    """What one file gave: records to validate, and problems found while reading it."""

    nodes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    relationships: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    locations: dict[str, Location] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # Node ids that only have to exist (GLEIF relationship ends): never overwrite a real node.
    placeholders: set[str] = field(default_factory=set)
    placeholder_wheres: set[str] = field(default_factory=set)
    scores: list[Score] = field(default_factory=list)
    # Records left out on purpose (e.g. inactive GLEIF relationships), for the report.
    notes: list[str] = field(default_factory=list)
    # Kumu: element labels and ids -> node ids, and the connection ends still to resolve with
    # them once every file is read ((where, "from"|"to") pairs).
    kumu_ids: dict[str, str] = field(default_factory=dict)
    kumu_ends: list[tuple[str, str]] = field(default_factory=list)

    def add_node(self, location: Location, record: dict[str, Any],
                 placeholder: bool = False) -> str:
        where = self._where(location)
        self.nodes.append((where, record))
        if placeholder:
            self.placeholders.add(record["id"])
            self.placeholder_wheres.add(where)
        return where

    def add_relationship(self, location: Location, record: dict[str, Any]) -> str:
        where = self._where(location)
        self.relationships.append((where, record))
        return where

    def problem(self, location: Location, message: str, column: str | None = None) -> None:
        self.problems.append(Problem(location.file, location.sheet, location.row, column,
                                     message, location.unit))

    def _where(self, location: Location) -> str:
        where = location.where()
        if where in self.locations and self.locations[where] != location:
            # Two records from one place (a BODS statement with two interests): number them.
            i = 2
            while f"{where} ({i})" in self.locations:
                i += 1
            where = f"{where} ({i})"
        self.locations.setdefault(where, location)
        return where

    def extend(self, other: Batch) -> None:
        self.nodes += other.nodes
        self.relationships += other.relationships
        self.locations.update(other.locations)
        self.problems += other.problems
        self.placeholders |= other.placeholders
        self.placeholder_wheres |= other.placeholder_wheres
        self.scores += other.scores
        self.notes += other.notes
        self.kumu_ids.update(other.kumu_ids)
        self.kumu_ends += other.kumu_ends


# A where (file, sheet, row) is never longer than this; a message quoting a long cell full of
# ": " is not searched past it.
MAX_WHERE = 4096
FIELD_PREFIX = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)(?:\.[A-Za-z0-9_.]+)?: (.*)$", re.DOTALL)


def problem_from_line(line: str, locations: Mapping[str, Location]) -> Problem:
    """Turn a ``where: field: message`` line from records.validate into a Problem.

    The where is the longest prefix ending before a ": " that names a location: a dictionary
    look-up at each ": " of the line, so that mapping n problems costs n look-ups, not n times
    the number of locations (16,000 invalid rows took minutes when every line scanned them all).
    """
    where = None
    at = line.find(": ", 0, MAX_WHERE)
    while at != -1:
        if line[:at] in locations:
            where = line[:at]
        at = line.find(": ", at + 2, MAX_WHERE)
    if where is None:
        return Problem("", None, None, None, line)
    loc = locations[where]
    rest = line[len(where) + 2:]
    m = FIELD_PREFIX.match(rest)
    column = None
    if m:
        field_name, rest = m.group(1), m.group(2)
        column = loc.columns.get(field_name, field_name)
    return Problem(loc.file, loc.sheet, loc.row, column, rest, loc.unit)


# --- small conversions shared by the readers -----------------------------------------------------


def slug(text: str, max_length: int = 80) -> str:
    """A readable id from a name: ``"Meta Platforms, Inc."`` -> ``meta-platforms-inc``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    value = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return value[:max_length].strip("-") or "x"


def safe_id(prefix: str, value: str) -> str:
    """An id made from an external identifier, kept to the characters ids allow."""
    cleaned = re.sub(r"[^A-Za-z0-9._:-]+", "-", value.strip()).strip("-")
    return f"{prefix}{cleaned}"[:200]


def date_part(value: Any) -> str | None:
    """``2017-11-01T00:00:00Z`` -> ``2017-11-01``; partial dates stay partial; None stays None."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    m = re.match(r"^(\d{4}(?:-\d{2}(?:-\d{2})?)?)(?:[T ].*)?$", text)
    return m.group(1) if m else text


def country_code(value: Any) -> str | None:
    """``us`` or ``US-MA`` -> ``US`` (ISO 3166-1 alpha-2); other text is returned as given."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    m = re.match(r"^([A-Za-z]{2})(?:-[A-Za-z0-9]{1,3})?$", text)
    return m.group(1).upper() if m else text


def drop_empty(record: dict[str, Any]) -> dict[str, Any]:
    """Leave out keys whose value is None, an empty string or an empty list."""
    return {k: v for k, v in record.items() if v is not None and v != "" and v != []}
