"""Small helpers for the import tests: write files, run an import, read the graph back."""

from __future__ import annotations

import io
from pathlib import Path

from graphapp.io import pipeline


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    path.write_bytes(xlsx_bytes(sheets))
    return path


def xlsx_bytes(sheets: dict[str, list[list]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def run(graph, *paths: Path, **options) -> pipeline.ImportReport:
    return pipeline.import_files(graph, [(p, p.name) for p in paths], **options)


def counts(graph) -> tuple[int, int]:
    row = graph.driver.execute_query(
        "MATCH (n:Entity) OPTIONAL MATCH (n)-[r]->() RETURN count(DISTINCT n) AS n, count(r) AS r"
    ).records[0]
    return row["n"], row["r"]


def node(graph, node_id: str) -> dict:
    rows = graph.driver.execute_query(
        "MATCH (n:Entity {id: $id}) RETURN properties(n) AS p, labels(n) AS l", id=node_id
    ).records
    assert rows, f"no node {node_id!r}"
    props = dict(rows[0]["p"])
    props.pop("updated_at", None)
    props["labels"] = sorted(set(rows[0]["l"]) - {"Entity"})
    return props


def rels(graph, rel_type: str | None = None) -> list[dict]:
    """Every relationship (of one type) as {from, type, to, **props}, without bookkeeping."""
    rows = graph.driver.execute_query(
        "MATCH (a:Entity)-[r]->(b:Entity) WHERE $t IS NULL OR type(r) = $t "
        "RETURN a.id AS from, type(r) AS type, b.id AS to, properties(r) AS p "
        "ORDER BY from, type, to, r.key", t=rel_type).records
    out = []
    for r in rows:
        props = {k: v for k, v in r["p"].items() if k not in ("updated_at", "key")}
        out.append({"from": r["from"], "type": r["type"], "to": r["to"], **props})
    return out


def problems(report) -> list[tuple]:
    return [(p.file, p.sheet, p.row, p.column, p.message) for p in report.problems]
