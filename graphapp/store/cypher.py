"""Named Cypher queries, kept in ``cypher/*.cypher`` (in the manner of aiosql).

A file holds blocks that start with a header line ``// name: escalation_targets``; the block runs
as is in cypher-shell or Neo4j Browser. A query is called as ``<file stem>.<name>``, always with
parameters: user input is never formatted into query text.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

CYPHER_DIR = Path(__file__).resolve().parents[2] / "cypher"
PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
RETURNS_VALUES = re.compile(r"^//\s*returns:\s*values\b", re.MULTILINE)
HEADER = re.compile(r"^//\s*name:\s*([a-z_][a-z0-9_]*)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Query:
    name: str
    text: str
    path: Path
    line: int

    def __str__(self) -> str:
        return self.text

    @functools.cached_property
    def returns_values(self) -> bool:
        """The query says ``// returns: values``: its rows hold maps, lists and scalars, never a
        node, relationship or path, so they are read as they come, without looking for any
        (:func:`graphapp.store.db.row` otherwise walks every value of every row)."""
        return bool(RETURNS_VALUES.search(self.text))

    @functools.cached_property
    def parameters(self) -> frozenset[str]:
        """The ``$names`` the query reads."""
        return frozenset(PARAMETER.findall(self.text))


class QueryNotFound(KeyError):
    pass


def parse(path: Path) -> dict[str, Query]:
    """The named queries in one file."""
    text = path.read_text(encoding="utf-8")
    headers = list(HEADER.finditer(text))
    queries: dict[str, Query] = {}
    for i, header in enumerate(headers):
        end = headers[i + 1].start() if i + 1 < len(headers) else len(text)
        body = text[header.end():end].strip().rstrip(";").strip()
        name = f"{path.stem}.{header.group(1)}"
        if name in queries:
            raise ValueError(f"{path}: query {header.group(1)!r} is defined twice")
        if not body:
            raise ValueError(f"{path}: query {header.group(1)!r} is empty")
        queries[name] = Query(name, body, path, text.count("\n", 0, header.start()) + 1)
    return queries


def load(directory: Path = CYPHER_DIR) -> dict[str, Query]:
    """All named queries under ``directory`` (schema.cypher is a script, loaded apart)."""
    queries: dict[str, Query] = {}
    for path in sorted(directory.glob("*.cypher")):
        if path.name != "schema.cypher":
            queries.update(parse(path))
    return queries


def schema_statements(path: Path = CYPHER_DIR / "schema.cypher") -> list[str]:
    """The statements of the schema script, split on ``;`` at line ends, comments dropped."""
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines()
             if not ln.strip().startswith("//")]
    return [s.strip() for s in "\n".join(lines).split(";\n") if s.strip().rstrip(";").strip()]


class Queries:
    """Look up queries by ``file.name``; a missing name says which ones exist."""

    def __init__(self, queries: dict[str, Query] | None = None):
        self._queries = queries if queries is not None else load()

    def __getitem__(self, name: str) -> Query:
        try:
            return self._queries[name]
        except KeyError:
            raise QueryNotFound(f"no Cypher query named {name!r} in {CYPHER_DIR}") from None

    def __contains__(self, name: str) -> bool:
        return name in self._queries

    def names(self) -> list[str]:
        return sorted(self._queries)
