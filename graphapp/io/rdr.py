"""Ranking Digital Rights scorecard totals (``Index,Company,Score``) as scores by year.

Each row becomes ``rdr_score_<year>`` (0-100) on the company's node, with ``rdr_source_<year>``
pointing at that year's index; the pipeline finds the company by its name or an alias (and
creates it when the graph has no such company). See docs/model.md and docs/import.md.
"""

from __future__ import annotations

from pathlib import Path

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from graphapp.io.common import Batch, Location, Score
from graphapp.io.spreadsheet import filled_rows, header_key, open_sheets
from graphapp.store import schemas

COLUMNS = ("index", "company", "score")
SOURCE = "https://rankingdigitalrights.org/index{year}/"


class ScoreRow(Schema):
    class Meta:
        unknown = RAISE

    index = fields.Integer(required=True, strict=False, validate=validate.Range(
        1990, 2100, error="Give the scorecard's year, e.g. 2022."))
    company = fields.String(required=True, validate=validate.Length(1, 500))
    score = fields.Float(required=True, validate=validate.Range(0, 100))


def looks_like(header: list[str]) -> bool:
    return [header_key(h) for h in header][:3] == list(COLUMNS)


def read(path: Path, display_name: str) -> Batch:
    batch = Batch()
    sheets = open_sheets(path, display_name, batch)
    if sheets is None:
        return batch
    for sheet, header, rows in sheets:
        keys = [header_key(h) for h in header]
        columns = dict(zip(keys, header, strict=True))
        if set(keys) != set(COLUMNS):
            batch.problem(Location(display_name, sheet, 1),
                          "an RDR scorecard has the columns Index, Company, Score; this one has "
                          f"{', '.join(header) or 'none'}.")
            continue
        for i, cells in filled_rows(keys, rows):
            loc = Location(display_name, sheet, i, "row", columns)
            try:
                row = ScoreRow().load({k: v for k, v in cells.items() if v is not None})
            except ValidationError as exc:
                for line in schemas.error_lines(exc):
                    column, _, message = line.partition(": ")
                    batch.problem(loc, message, columns.get(column, column))
                continue
            batch.scores.append(Score(batch._where(loc), row["company"].strip(), row["index"],
                                      row["score"], SOURCE.format(year=row["index"])))
    return batch
