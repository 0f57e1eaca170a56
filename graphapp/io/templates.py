"""Spreadsheet templates, generated from the model and its schemas, so they never drift.

One sheet (or CSV file) per node label and per relationship type; its columns are the schema's
fields. ``graphapp templates DIR`` writes them, the /import page offers them for download, and
the spreadsheet importer reads its columns from the same place.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from marshmallow import fields, validate

from graphapp.store import model, schemas

LIST_SEPARATOR = ";"
GUIDE_SHEET = "Guide"


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    kind: str  # text, list, number, integer, yes/no, date, country, url, list of urls
    allowed: tuple[str, ...] = ()
    note: str = ""

    @property
    def is_list(self) -> bool:
        return self.kind.startswith("list")

    def describe(self) -> str:
        parts = [self.kind]
        if self.allowed:
            parts.append("one of: " + ", ".join(self.allowed))
        if self.note:
            parts.append(self.note)
        return "; ".join(parts)


def _kind(field: fields.Field) -> str:
    if isinstance(field, fields.List):
        inner = field.inner
        return "list of URLs" if isinstance(inner, fields.Url) else "list"
    if isinstance(field, schemas.PartialDate):
        return "date (YYYY, YYYY-MM or YYYY-MM-DD)"
    if isinstance(field, schemas.CountryCode):
        return "country (ISO 3166-1 alpha-2, e.g. MM)"
    if isinstance(field, fields.Url):
        return "URL"
    if isinstance(field, fields.Boolean):
        return "yes/no"
    if isinstance(field, fields.Integer):
        return "whole number"
    if isinstance(field, fields.Float):
        return "number"
    return "text"


def _column(name: str, field: fields.Field, note: str = "") -> Column:
    allowed: tuple[str, ...] = ()
    validators = list(field.validators)
    if isinstance(field, fields.List):
        validators += list(field.inner.validators)
    for v in validators:
        if isinstance(v, validate.OneOf):
            allowed = tuple(str(c) for c in v.choices)
        elif isinstance(v, validate.Range):
            note = f"from {v.min:g} to {v.max:g}"
        elif isinstance(v, validate.Regexp) and name == "lei":
            note = "20 characters"
        elif isinstance(v, validate.Regexp) and name == "wikidata_id":
            note = "like Q380"
    if name == "mandates":  # checked by a function against graphapp/relevance.yaml
        from graphapp import relevance

        allowed = tuple(relevance.mandate_names())
        note = "what the body can act on beyond what its kind already covers"
    return Column(name, bool(field.required), _kind(field), allowed, note)


ID_NOTE = "a stable id: letters, digits and . _ : - (e.g. meta-platforms)"


def node_columns(label: str) -> list[Column]:
    """The columns of a node sheet: the schema's fields, ``label`` left out (the sheet says it)."""
    schema = schemas.NODE_SCHEMAS[label]()
    columns = []
    for name, field in schema.fields.items():
        if name == "label":
            continue
        if name == "extra_labels" and label not in model.EXTRA_LABELS["Investor"]:
            continue
        if name == "investor_type" and label not in model.EXTRA_LABELS["Investor"]:
            continue
        note = ID_NOTE if name == "id" else ""
        if name == "sensitive":
            note = "yes hides it from viewers without the right"
        columns.append(_column(name, field, note))
    return _ordered(columns, first=("id", "name", "aliases", "description"),
                    last=("sources", "sensitive", "extra_labels", "investor_type"))


def _ordered(columns: list[Column], first: tuple[str, ...], last: tuple[str, ...]) -> list[Column]:
    """Columns in a reading order: identity first, the kind's own fields, evidence last."""
    by_name = {c.name: c for c in columns}
    head = [by_name[n] for n in first if n in by_name]
    tail = [by_name[n] for n in last if n in by_name]
    middle = [c for c in columns if c.name not in first and c.name not in last]
    return head + middle + tail


def relationship_columns(rel_type: str) -> list[Column]:
    """The columns of a relationship sheet: ends, evidence, dates and the type's own fields."""
    schema = schemas.RelationshipSchema()
    starts, ends = model.RELATIONSHIPS[rel_type]
    columns = []
    for name, field in schema.fields.items():
        if name == "type":
            continue
        owner = schemas.RelationshipSchema.TYPE_ONLY.get(name)
        if owner is not None and rel_type not in owner:
            continue
        key = field.data_key or name
        note = ""
        if key == "from":
            note = f"id of a {' or '.join(starts)}"
        elif key == "to":
            note = f"id of a {' or '.join(ends)}"
        elif key == "sources":
            note = "the evidence: no claim without a source"
        columns.append(_column(key, field, note))
    return _ordered(columns, first=("from", "to"),
                    last=("confidence", "sources", "start_date", "end_date", "as_of", "note",
                          "sensitive"))


def sheet_names() -> list[str]:
    return [*model.LABELS, *model.REL_TYPES]


def columns_for(sheet: str) -> list[Column]:
    """Columns of the sheet named after a label or relationship type."""
    if sheet in model.RELATIONSHIPS:
        return relationship_columns(sheet)
    return node_columns(sheet)


def csv_bytes(sheet: str) -> bytes:
    """A CSV template (UTF-8 with BOM, so spreadsheet apps read accents): the header, a comment
    row saying what each column takes (its first cell begins with "# ": the importer skips such
    rows), and two example rows to replace with your own."""
    columns = columns_for(sheet)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.name for c in columns])
    comments = [("required: " if c.required else "optional: ") + c.describe() for c in columns]
    comments[0] = f"# {comments[0]} (rows beginning with # are skipped; replace the examples)"
    writer.writerow(comments)
    for n in (1, 2):
        writer.writerow([_example(sheet, c, n) for c in columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# Optional columns the example rows fill in (the others stay empty, as they mostly are).
EXAMPLE_OPTIONAL = frozenset({"description", "jurisdiction", "sources", "start_date", "as_of",
                              "economic_pct", "voting_pct", "kind", "title", "started",
                              "severity", "function", "scope", "date", "due_date"})


def _example(sheet: str, column: Column, n: int) -> str:
    """A plausible value for an example row (``n`` is 1 or 2)."""
    name = column.name
    if sheet in model.RELATIONSHIPS and name in ("from", "to"):
        starts, ends = model.RELATIONSHIPS[sheet]
        label = (starts if name == "from" else ends)[0]
        return f"example-{label.lower()}-{n if name == 'from' else n + 1}"
    if name == "id":
        return f"example-{sheet.lower()}-{n}"
    if name == "name":
        return f"Example {sheet.lower()} {n}"
    if name == "confidence":
        return ("confirmed", "reported")[n - 1]
    if not column.required and name not in EXAMPLE_OPTIONAL:
        return ""
    if name == "as_of":
        return "2024"
    if column.allowed:
        return column.allowed[(n - 1) % len(column.allowed)]
    if name == "description":
        return f"What example {n} is, in one sentence."
    kind = column.kind
    if kind.startswith("list of URLs") or kind == "URL":
        return f"https://example.org/evidence-{n}"
    if kind.startswith("date"):
        return ("2021-06", "2023")[n - 1]
    if kind.startswith("country"):
        return ("CL", "SN")[n - 1]
    if kind == "yes/no":
        return "no"
    if kind == "whole number":
        return str(n + 2)
    if kind == "number":
        if column.note.startswith("from "):
            low, high = column.note.removeprefix("from ").split(" to ")
            return f"{float(low) + (float(high) - float(low)) / (n * 4):g}"
        return str(10 * n)
    if column.required:
        return f"example {name.replace('_', ' ')} {n}"
    return ""


def guide_rows() -> list[list[str]]:
    """Sheet, column, required, what it takes: the template's own documentation."""
    rows = [["sheet", "column", "required", "what it takes"]]
    for sheet in sheet_names():
        for c in columns_for(sheet):
            rows.append([sheet, c.name, "yes" if c.required else "no", c.describe()])
    return rows


def workbook_bytes() -> bytes:
    """The XLSX template: a Guide sheet, then one sheet per label and relationship type."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    guide = wb.active
    guide.title = GUIDE_SHEET
    guide.append(["graphapp import template. Fill the sheets you need and delete or leave the "
                  "others empty. One row per node or relationship; the Guide sheet is ignored. "
                  f"Several values in one cell: separate them with {LIST_SEPARATOR}"])
    for row in guide_rows():
        guide.append(row)
    guide["A2"].font = guide["B2"].font = guide["C2"].font = guide["D2"].font = Font(bold=True)
    for sheet in sheet_names():
        ws = wb.create_sheet(sheet)
        ws.append([c.name for c in columns_for(sheet)])
        for cell, column in zip(ws[1], columns_for(sheet), strict=True):
            cell.font = Font(bold=column.required)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def kumu_workbook_bytes() -> bytes:
    """A Kumu-style template: Elements (Label, Type, Description, Tags), Connections."""
    from openpyxl import Workbook

    wb = Workbook()
    elements = wb.active
    elements.title = "Elements"
    elements.append(["Label", "Type", "Description", "Tags"])
    connections = wb.create_sheet("Connections")
    connections.append(["From", "To", "Type"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def guide_markdown() -> str:
    """The column reference, as docs/import.md and the templates folder show it."""
    lines = ["| sheet | column | required | what it takes |", "|---|---|---|---|"]
    for sheet, column, required, what in guide_rows()[1:]:
        lines.append(f"| {sheet} | `{column}` | {required} | {what} |")
    return "\n".join(lines) + "\n"


TEMPLATE_FILES = ("graphapp-template.xlsx", "kumu-template.xlsx")


def template_bytes(name: str) -> bytes | None:
    """One downloadable template by file name, or None when there is no such template."""
    if name == "graphapp-template.xlsx":
        return workbook_bytes()
    if name == "kumu-template.xlsx":
        return kumu_workbook_bytes()
    if name.endswith(".csv") and name[:-4] in sheet_names():
        return csv_bytes(name[:-4])
    return None


def all_template_names() -> list[str]:
    return [*TEMPLATE_FILES, *(f"{s}.csv" for s in sheet_names())]


def write_templates(directory: Path) -> list[Path]:
    """Write every template and a README with the column reference into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name in all_template_names():
        path = directory / name
        path.write_bytes(template_bytes(name) or b"")
        written.append(path)
    readme = directory / "README.md"
    readme.write_text(
        "# graphapp import templates\n\n"
        "Import with `graphapp import FILE...` or on the /import page. CSV files are named after "
        "the node label or relationship type they hold (`Company.csv`, `OWNS.csv`); in the XLSX "
        "template each sheet is. Several values in one cell are separated by `;`.\n\n"
        + guide_markdown(), encoding="utf-8")
    written.append(readme)
    return written
