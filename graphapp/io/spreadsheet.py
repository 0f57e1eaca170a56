"""Spreadsheets in: CSV and XLSX (pandas, openpyxl), graphapp templates or Kumu-style sheets.

What a sheet holds is told by its name (a CSV file by its file name): ``Company``, ``OWNS``... as
in the templates; or by its columns: ``label`` + ``id`` (nodes of several kinds), ``type`` +
``from`` + ``to`` (relationships of several types); Kumu's ``Label, Type, Description, Tags``
(Elements) and ``From, To, Type`` (Connections). Rows are numbered as the spreadsheet shows them
(the header is row 1), so the error report points at the cell to fix.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from graphapp.io import limits
from graphapp.io.common import Batch, Location, drop_empty, slug
from graphapp.io.templates import GUIDE_SHEET, Column, columns_for
from graphapp.store import model
from graphapp.store.schemas import ID_PATTERN

# A Kumu connection without a confidence column is the weakest kind of claim until checked.
KUMU_DEFAULT_CONFIDENCE = "alleged"
LABEL_WORDS = {label.lower(): label for label in model.LABELS} | {
    "organisation": "Organization", "people": "Person", "companies": "Company",
    "corporation": "Company", "individual": "Person",
}
REL_WORDS = {t.lower(): t for t in model.REL_TYPES}


def header_key(text: Any) -> str:
    """``"Start date"`` -> ``start_date``: how a column header is matched to a field."""
    return re.sub(r"[\s\-]+", "_", str(text).strip()).lower()


def cell_text(value: Any) -> Any:
    """A cell as the schemas take it: text, a number, a yes/no, or None when empty."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dt.datetime):
        if (value.hour, value.minute, value.second) == (0, 0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return str(value)
    text = str(value).strip()
    return text or None


def split_list(value: Any, separators: str = ";\n") -> list[str]:
    if value is None:
        return []
    parts = re.split("[" + re.escape(separators) + "]", str(value))
    return [p.strip() for p in parts if p.strip()]


def convert(column: Column | None, value: Any) -> Any:
    """One cell, converted for its column (lists split, ``%`` dropped from numbers)."""
    value = cell_text(value)
    if value is None or column is None:
        return value
    if column.is_list:
        return split_list(value)
    if column.kind == "number" and isinstance(value, str) and value.endswith("%"):
        return value[:-1].strip()
    return value


def _converted_column(column: Column | None, cells: list[Any]) -> list[Any]:
    """``convert`` over one column, each distinct cell value converted once (big sheets repeat
    their confidences, dates and sources on every row); lists are copied, never shared."""
    try:
        once = {value: convert(column, value) for value in set(cells)}
    except TypeError:  # an unhashable cell
        return [convert(column, value) for value in cells]
    if column is not None and column.is_list:
        return [list(once[value]) if once[value] is not None else None for value in cells]
    return [once[value] for value in cells]


# --- reading the file ------------------------------------------------------------------------


class UnreadableFile(Exception):
    """The file is not a spreadsheet graphapp can read (the message says why)."""


def read_sheets(path: Path) -> list[tuple[str | None, list[str], list[list[Any]]]]:
    """(sheet name or None for CSV, header, rows) for every sheet of the file."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            sheets = _read_xlsx(path)
        else:
            sheets = [(None, _read_csv(path).values.tolist())]
    except UnreadableFile:
        raise
    except limits.Refused as exc:
        raise UnreadableFile(str(exc)) from None
    except Exception as exc:  # pandas and openpyxl raise many kinds for a broken file
        kind = "XLSX workbook" if suffix in (".xlsx", ".xlsm") else "CSV file"
        raise UnreadableFile(f"not a readable {kind}: {exc}") from None
    out = []
    for name, values in sheets:
        while values and all(cell_text(v) is None for v in values[-1]):
            values.pop()
        if not values:
            out.append((name, [], []))
            continue
        header = [cell_text(v) or "" for v in values[0]]
        while header and header[-1] == "":
            header.pop()
        rows = [[None] * len(header) if _is_comment(row) else row[:len(header)]
                for row in values[1:]]
        out.append((name, header, rows))
    return out


def open_sheets(path: Path, display_name: str, batch: Batch
                ) -> list[tuple[str | None, list[str], list[list[Any]]]] | None:
    """The file's sheets (:func:`read_sheets`), or None when the file cannot be read: the
    reason is then the batch's problem, named after the file as the user gave it."""
    try:
        return read_sheets(path)
    except UnreadableFile as exc:
        batch.problem(Location(display_name), str(exc))
        return None


def filled_rows(keys: list[str], rows: list[list[Any]]) -> Iterator[tuple[int, dict[str, Any]]]:
    """(row number in the sheet, {column key: cell}) for every row with a filled cell; the
    header is row 1, so the numbers are the ones a spreadsheet shows."""
    for i, values in enumerate(rows, start=2):
        cells = {k: cell_text(v) for k, v in zip(keys, values, strict=False)}
        if any(v is not None for v in cells.values()):
            yield i, cells


def _is_comment(row: list[Any]) -> bool:
    """A row whose first filled cell begins with "# ": a note (the templates' column guide),
    read as a blank row so that row numbers in reports still match the sheet."""
    for cell in row:
        text = cell_text(cell)
        if text is not None:
            return text.startswith("# ")
    return False


def _read_xlsx(path: Path) -> list[tuple[str, list[list[Any]]]]:
    """Every worksheet's rows, after ``limits`` checked the workbook; only the rectangle that
    holds values is visited (a stray empty cell at column XFD costs nothing)."""
    from openpyxl import load_workbook

    strings = limits.check_xlsx_parts(path)
    workbook = load_workbook(path, read_only=True, data_only=True, keep_links=False)
    try:
        sheets = [ws for ws in workbook.worksheets if hasattr(ws, "_worksheet_path")]
        shapes = limits.sheet_shapes(path, {ws.title: ws._worksheet_path for ws in sheets},
                                     strings)
        out = []
        for ws in sheets:
            shape = shapes.get(ws.title)
            if shape is None or not shape.rows or not shape.columns:
                out.append((ws.title, []))
                continue
            out.append((ws.title, [list(row) for row in ws.iter_rows(
                min_row=1, max_row=shape.rows, min_col=1, max_col=shape.columns,
                values_only=True)]))
        return out
    finally:
        workbook.close()


def _read_csv(path: Path):
    import pandas as pd

    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return pd.read_csv(path, dtype=str, keep_default_na=False, header=None,
                               encoding=encoding, skip_blank_lines=False)
        except UnicodeDecodeError:
            continue
        except pd.errors.EmptyDataError:
            return pd.DataFrame()
    raise UnreadableFile("not text in UTF-8 or Windows-1252 encoding")


# --- what a sheet holds --------------------------------------------------------------------


def classify(name: str, header: list[str]) -> tuple[str, str | None]:
    """("nodes"|"relationships"|"kumu-elements"|"kumu-connections"|"unknown", label or type)."""
    keys = {header_key(h) for h in header}
    raw = set(header)
    lowered = name.strip().lower()
    words = set(re.split(r"[^a-z0-9_]+", lowered))
    if lowered == "elements" or "elements" in words:
        return "kumu-elements", None
    if lowered == "connections" or "connections" in words:
        return "kumu-connections", None
    first_word = re.split(r"[\s.\-]+", name.strip())[0]
    for word in dict.fromkeys((name.strip(), first_word)):
        for candidate in (word, word.upper(), word.capitalize()):
            if candidate in model.RELATIONSHIPS:
                return "relationships", candidate
            if candidate in model.LABELS:
                return "nodes", candidate
        if word.lower() in LABEL_WORDS:
            return "nodes", LABEL_WORDS[word.lower()]
    if {"label", "type"} <= keys and "id" not in keys and "name" not in keys:
        return "kumu-elements", None
    if {"From", "To"} <= raw and "confidence" not in keys:
        return "kumu-connections", None
    if {"label", "id"} <= keys:
        return "nodes", None
    if {"type", "from", "to"} <= keys:
        return "relationships", None
    return "unknown", None


def read(path: Path, display_name: str) -> Batch:
    """A CSV or XLSX file as a Batch; problems with the file or its headers are in the batch."""
    batch = Batch()
    sheets = open_sheets(path, display_name, batch)
    if sheets is None:
        return batch
    kumu_ids = batch.kumu_ids
    ordered = sorted(sheets, key=lambda s: classify(s[0] or Path(display_name).stem, s[1])[0]
                     != "kumu-elements")
    for sheet, header, rows in ordered:
        if sheet is not None and (sheet == GUIDE_SHEET or sheet.startswith("_")):
            continue
        if not rows:
            continue
        name = sheet if sheet is not None else Path(display_name).stem
        kind, what = classify(name, header)
        reader = _SheetReader(batch, display_name, sheet, header)
        if kind == "nodes":
            reader.native(rows, what, nodes=True)
        elif kind == "relationships":
            reader.native(rows, what, nodes=False)
        elif kind == "kumu-elements":
            reader.kumu_elements(rows, kumu_ids)
        elif kind == "kumu-connections":
            reader.kumu_connections(rows, kumu_ids)
        else:
            batch.problem(Location(display_name, sheet, 1),
                          "cannot tell what this sheet holds: name it after a node label or "
                          "relationship type (Company, Person, OWNS, HOLDS_ROLE...), give it "
                          "label and id columns (nodes) or type, from and to columns "
                          "(relationships), or use Kumu's Elements and Connections columns.")
    return batch


class _SheetReader:
    def __init__(self, batch: Batch, file: str, sheet: str | None, header: list[str]):
        self.batch = batch
        self.file = file
        self.sheet = sheet
        self.header = header
        self.keys = [header_key(h) for h in header]
        self.columns = {k: h for k, h in zip(self.keys, header, strict=True)}

    def loc(self, row: int) -> Location:
        return Location(self.file, self.sheet, row, "row", self.columns)

    def header_problem(self, column: str | None, message: str) -> None:
        self.batch.problem(Location(self.file, self.sheet, 1), message, column)

    def check_header(self, allowed: dict[str, Column], required: list[str], what: str) -> bool:
        ok = True
        for key, original in zip(self.keys, self.header, strict=True):
            if key and key not in allowed:
                ok = False
                self.header_problem(original, f"unknown column for {what}; the columns are: "
                                              f"{', '.join(allowed)}.")
            if not key:
                ok = False
                self.header_problem(None, "a column has no name in the header row.")
        for name in required:
            if name not in self.keys:
                ok = False
                self.header_problem(name, f"missing column {name!r}, which {what} require.")
        seen = set()
        for key, original in zip(self.keys, self.header, strict=True):
            if key in seen:
                ok = False
                self.header_problem(original, "this column appears twice.")
            seen.add(key)
        return ok

    def native(self, rows: list[list[Any]], what: str | None, nodes: bool) -> None:
        """A sheet in graphapp's template layout (one label or type, or a label/type column)."""
        if what is not None:
            columns = {c.name: c for c in columns_for(what)}
            noun = f"{what} sheets"
            required = [c.name for c in columns.values() if c.required]
        else:
            columns = {}
            for name in (model.LABELS if nodes else model.REL_TYPES):
                for c in columns_for(name):
                    columns.setdefault(c.name, c)
            marker = "label" if nodes else "type"
            columns = {marker: Column(marker, True, "text"), **columns}
            noun = "node sheets" if nodes else "relationship sheets"
            required = ["label", "id", "name"] if nodes else ["type", "from", "to", "confidence"]
        if not self.check_header(columns, required, noun):
            return
        converted = [_converted_column(columns.get(k), [r[j] if j < len(r) else None
                                                        for r in rows])
                     for j, k in enumerate(self.keys)]
        for i, values in enumerate(zip(*converted, strict=True), start=2):
            cells = dict(zip(self.keys, values, strict=True))
            if all(v is None or v == [] for v in cells.values()):
                continue
            record = drop_empty(cells)
            if what is not None:
                record["label" if nodes else "type"] = what
            elif not nodes and isinstance(record.get("type"), str):
                record["type"] = REL_WORDS.get(header_key(record["type"]), record["type"])
            if nodes:
                self.batch.add_node(self.loc(i), record)
            else:
                self.batch.add_relationship(self.loc(i), record)

    def kumu_elements(self, rows: list[list[Any]], ids: dict[str, str]) -> None:
        """Kumu's Elements: Label, Type, Description, Tags (and graphapp fields if present)."""
        if "label" not in self.keys:
            self.header_problem("Label", "missing column 'Label', which Kumu Elements require.")
            return
        extra = [k for k in self.keys if k not in ("label", "type", "description", "tags", "id")]
        for i, cells in filled_rows(self.keys, rows):
            loc = self.loc(i)
            name = cells.get("label")
            kind = cells.get("type")
            label = LABEL_WORDS.get(str(kind).strip().lower()) if kind else None
            if not name:
                self.batch.problem(loc, "give the element's name.", self.columns["label"])
                continue
            if label is None:
                self.batch.problem(
                    loc, f"{kind!r} is not a kind graphapp knows; use one of: "
                         f"{', '.join(model.LABELS)}." if kind else
                         f"give the element's kind, one of: {', '.join(model.LABELS)}.",
                    self.columns.get("type", "Type"))
                continue
            node_id = cells.get("id") or slug(str(name))
            ids[str(name)] = node_id
            ids[str(node_id)] = node_id
            record: dict[str, Any] = {"label": label, "id": node_id, "name": name}
            description = cells.get("description")
            tags = split_list(cells.get("tags"), "|;,")
            other_tags = []
            for tag in tags:
                if tag.lower() == "investor" and label in model.EXTRA_LABELS["Investor"]:
                    record["extra_labels"] = ["Investor"]
                elif tag.lower() == "sensitive":
                    record["sensitive"] = True
                else:
                    other_tags.append(tag)
            if other_tags:
                suffix = "Tags: " + ", ".join(other_tags)
                description = f"{description}\n\n{suffix}" if description else suffix
            record["description"] = description
            columns = {c.name: c for c in columns_for(label)}
            for key in extra:
                if key in columns and key not in ("label",):
                    record[key] = convert(columns[key], cells.get(key))
            self.batch.add_node(loc, drop_empty(record))
        self._note_ignored(extra, model.LABELS)

    def kumu_connections(self, rows: list[list[Any]], ids: dict[str, str]) -> None:
        """Kumu's Connections: From, To, Type (element names or ids; graphapp fields if present)."""
        missing = [c for c in ("from", "to") if c not in self.keys]
        for c in missing:
            self.header_problem(c.capitalize(), f"missing column {c.capitalize()!r}, which "
                                                "Kumu Connections require.")
        if missing:
            return
        extra = [k for k in self.keys if k not in ("from", "to", "type", "description")]
        defaulted = 0
        for i, cells in filled_rows(self.keys, rows):
            loc = self.loc(i)
            kind = cells.get("type")
            rel_type = REL_WORDS.get(header_key(kind)) if kind else None
            if rel_type is None:
                self.batch.problem(
                    loc, (f"{kind!r} is not a relationship type graphapp knows; use one of: "
                          if kind else "give the connection's type, one of: ")
                    + ", ".join(model.REL_TYPES) + ".", self.columns.get("type", "Type"))
                continue
            start, end = cells.get("from"), cells.get("to")
            record: dict[str, Any] = {
                "type": rel_type,
                "from": str(start) if start else None,  # resolved by resolve_kumu_ends
                "to": str(end) if end else None,
                "note": cells.get("description"),
            }
            columns = {c.name: c for c in columns_for(rel_type)}
            for key in extra:
                if key in columns:
                    record[key] = convert(columns[key], cells.get(key))
            if not record.get("confidence"):
                record["confidence"] = KUMU_DEFAULT_CONFIDENCE
                defaulted += 1
            where = self.batch.add_relationship(loc, drop_empty(record))
            self.batch.kumu_ends += [(where, end) for end in ("from", "to")]
        if defaulted:
            self.batch.notes.append(
                f"{Location(self.file, self.sheet).where()}: {defaulted} connection(s) without "
                f"a confidence were imported as {KUMU_DEFAULT_CONFIDENCE!r}.")
        self._note_ignored(extra, model.REL_TYPES)

    def _note_ignored(self, keys: list[str], kinds: tuple[str, ...]) -> None:
        known = {c.name for k in kinds for c in columns_for(k)}
        ignored = [self.columns[k] for k in keys if k not in known and k != "id"]
        if ignored:
            self.batch.notes.append(
                f"{Location(self.file, self.sheet).where()}: column(s) {', '.join(ignored)} "
                "are not part of graphapp's model and were not imported.")


def resolve_kumu_ends(batch: Batch) -> None:
    """Kumu connections name their ends by element label or ID, maybe in another file: now
    that every file is read, turn them into node ids (an unknown name: its slug, or itself when
    it is a valid id, so that it may name a node already in the graph)."""
    records = dict(batch.relationships)
    for where, end in batch.kumu_ends:
        record = records.get(where)
        value = record.get(end) if record else None
        if value is None:
            continue
        if value in batch.kumu_ids:
            record[end] = batch.kumu_ids[value]
        elif not ID_PATTERN.match(value):
            record[end] = slug(value)
