"""What one imported file may cost, checked before a reader loads it (docs/security.md).

A small file can cost a naive reader gigabytes: an XLSX is a ZIP of XML, so 7 KB of rows that
each hold one cell at column XFD make a reader visit twenty million cells; a 500 KB shared-
strings part inflates to 500 MB; JSON nested 10,000 deep overflows the parser's stack. The
upload limit counts compressed bytes only, and the command line has none. So, before loading:

- **XLSX**: the parts' uncompressed sizes, as the ZIP directory declares them (Python's zipfile
  never inflates a part past its declared size, so this bounds what is inflated); the shared
  strings, streamed: how many and how long; every worksheet, streamed row by row with expat (no
  tree is built): the last row and column holding a value, the cells and the text. The reader
  then visits only that rectangle, so empty cells styled out to XFD cost nothing.
- **JSON**: the nesting depth, from one pass over the brackets outside strings.

Each refusal is a ``Refused`` whose message names the file, sheet, row or cell, the limit and
what to do.
"""

from __future__ import annotations

import re
import zipfile
from array import array
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

MB = 1024 * 1024
MAX_XLSX_UNCOMPRESSED = 100 * MB  # all parts of a workbook, uncompressed
MAX_XLSX_PARTS = 10_000
MAX_COLUMNS = 1_000               # a value beyond column ALL is refused
MAX_CELLS = 2_000_000             # rows x columns the reader visits, per workbook
MAX_CELL_TEXT = 32_767            # characters in one cell: Excel's own limit
MAX_TEXT = 50_000_000             # characters in all the cells of a workbook
MAX_JSON_DEPTH = 64               # BODS and FollowTheMoney need fewer than 10 levels

SHARED_STRINGS_TYPE = ("application/vnd.openxmlformats-officedocument.spreadsheetml."
                       "sharedStrings+xml")


class Refused(Exception):
    """The file would cost more than graphapp spends on one import (the message says why;
    ``line`` is the line of a text file where the limit was passed)."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


def column_letters(number: int) -> str:
    """1 -> A, 16384 -> XFD."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_number(letters: str) -> int:
    number = 0
    for char in letters:
        number = number * 26 + (ord(char) & 0x1F)
    return number


_REF = re.compile(r"([A-Za-z]{1,3})(\d+)$")


@dataclass(frozen=True)
class Shape:
    """The part of a worksheet that holds values: rows 1..rows, columns 1..columns."""

    rows: int
    columns: int


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _parse(zf: zipfile.ZipFile, member: str, start, end, chars=None) -> None:
    """Stream one part through expat (no DTDs: an entity declaration is refused)."""
    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    if chars is not None:
        parser.CharacterDataHandler = chars
        parser.buffer_text = True

    def no_entities(*_):
        raise Refused("it declares XML entities, which no spreadsheet program writes.")

    parser.EntityDeclHandler = no_entities
    with zf.open(member) as source:
        parser.ParseFile(source)


def _part_types(zf: zipfile.ZipFile) -> dict[str, str]:
    """Part name -> content type, from ``[Content_Types].xml``."""
    types: dict[str, str] = {}

    def start(name, attrs):
        if _local(name) == "Override" and "PartName" in attrs:
            types[attrs["PartName"].lstrip("/")] = attrs.get("ContentType", "")

    if "[Content_Types].xml" in zf.NameToInfo:
        _parse(zf, "[Content_Types].xml", start, lambda name: None)
    return types


def _shared_string_lengths(zf: zipfile.ZipFile, member: str) -> array:
    """The length of every shared string, streamed; Refused when one is longer than a cell
    may hold or when there are more than cells a workbook may have."""
    lengths = array("L")
    state = {"in_t": 0, "length": 0}

    def start(name, attrs):
        local = _local(name)
        if local == "si":
            state["length"] = 0
        elif local == "t":
            state["in_t"] += 1

    def end(name):
        local = _local(name)
        if local == "t":
            state["in_t"] -= 1
        elif local == "si":
            if len(lengths) >= MAX_CELLS:
                raise Refused(f"it has more than {MAX_CELLS:,} shared strings; graphapp reads "
                              f"at most {MAX_CELLS:,} cells from a workbook. Split it.")
            lengths.append(state["length"])

    def chars(data):
        if state["in_t"]:
            state["length"] += len(data)
            if state["length"] > MAX_CELL_TEXT:
                raise Refused(f"shared string {len(lengths) + 1} is longer than "
                              f"{MAX_CELL_TEXT:,} characters, which a cell holds at most "
                              "(Excel's own limit).")

    _parse(zf, member, start, end, chars)
    return lengths


class _SheetScan:
    """One worksheet streamed: the rectangle of values, the number of cells and the text."""

    def __init__(self, sheet: str, strings: array, budget: dict[str, int]):
        self.sheet = sheet
        self.strings = strings
        self.budget = budget  # cells and text left for the whole workbook
        self.row = 0
        self.column = 0
        self.rows = 0
        self.columns = 0
        self.cell: dict | None = None
        self.text: list[str] = []

    def start(self, name, attrs):
        local = _local(name)
        if local == "row":
            r = attrs.get("r")
            self.row = int(r) if r and r.isdigit() else self.row + 1
            self.column = 0
        elif local == "c":
            m = _REF.match(attrs.get("r", ""))
            self.column = _column_number(m.group(1).upper()) if m else self.column + 1
            if m and not self.row:
                self.row = int(m.group(2))
            self.cell = {"t": attrs.get("t"), "value": False, "length": 0}
            self.text = []
        elif self.cell is not None and local in ("v", "t"):
            self.cell["capture"] = local

    def chars(self, data):
        cell = self.cell
        if cell is None or not cell.get("capture"):
            return
        if cell["capture"] == "v" and cell["t"] == "s":
            self.text.append(data)
        elif cell["capture"] in ("v", "t"):
            cell["length"] += len(data)
            if cell["length"] > MAX_CELL_TEXT:
                self.refuse(f"cell {self.ref()} holds more than {MAX_CELL_TEXT:,} characters "
                            "(Excel's own limit).")
        cell["value"] = True

    def end(self, name):
        local = _local(name)
        cell = self.cell
        if cell is None:
            return
        if local in ("v", "t"):
            cell["capture"] = None
            return
        if local != "c":
            return
        self.cell = None
        if not cell["value"]:
            return  # an empty (styled) cell: the reader will not visit it
        length = cell["length"]
        if cell["t"] == "s":
            index = "".join(self.text).strip()
            if not index.isdigit() or int(index) >= len(self.strings):
                self.refuse(f"cell {self.ref()} points at shared string {index or '?'}, "
                            "which the workbook does not have.")
            length = self.strings[int(index)]
        if self.column > MAX_COLUMNS:
            self.refuse(f"cell {self.ref()} holds a value in column {column_letters(self.column)}"
                        f" (column {self.column:,}); graphapp reads at most {MAX_COLUMNS:,} "
                        f"columns (up to {column_letters(MAX_COLUMNS)}). Delete the columns "
                        "after the last one you use.")
        self.rows = max(self.rows, self.row)
        self.columns = max(self.columns, self.column)
        if self.rows * self.columns > self.budget["cells"]:
            self.refuse(f"its values reach row {self.rows:,} and column "
                        f"{column_letters(self.columns)}, more than the {MAX_CELLS:,} cells "
                        "graphapp reads from a workbook. Split it, or delete the empty rows "
                        "and columns between the values.")
        self.budget["text"] -= length
        if self.budget["text"] < 0:
            self.refuse(f"its cells hold more than {MAX_TEXT:,} characters of text in all "
                        f"(reached at cell {self.ref()}). Split it.")

    def ref(self) -> str:
        return f"{column_letters(self.column)}{self.row}"

    def refuse(self, message: str):
        raise Refused(f"sheet {self.sheet}, row {self.row}: {message}")


def check_xlsx_parts(path: Path) -> array:
    """The parts' declared sizes, then the shared strings, streamed: before openpyxl opens the
    workbook (it reads the shared strings whole). Returns the shared strings' lengths."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise Refused(f"not a readable XLSX workbook: {exc}") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_XLSX_PARTS:
            raise Refused(f"it holds {len(infos):,} parts; a workbook has a few dozen "
                          f"(graphapp reads at most {MAX_XLSX_PARTS:,}).")
        total = sum(i.file_size for i in infos)
        if total > MAX_XLSX_UNCOMPRESSED:
            biggest = max(infos, key=lambda i: i.file_size)
            raise Refused(f"it inflates to {total / MB:,.0f} MB ({biggest.filename}: "
                          f"{biggest.file_size / MB:,.0f} MB); graphapp reads workbooks of up "
                          f"to {MAX_XLSX_UNCOMPRESSED // MB} MB uncompressed. Split it, or "
                          "save it as CSV files.")
        try:
            strings = array("L")
            for member, kind in _part_types(zf).items():
                if kind == SHARED_STRINGS_TYPE and member in zf.NameToInfo:
                    strings = _shared_string_lengths(zf, member)
        except expat.ExpatError as exc:
            raise Refused(f"not a readable XLSX workbook: broken XML ({exc})") from None
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise Refused(f"not a readable XLSX workbook: {exc}") from None
    return strings


def sheet_shapes(path: Path, sheets: dict[str, str], strings: array) -> dict[str, Shape]:
    """Each worksheet's rectangle of values, streamed (``sheets``: sheet name -> part name,
    e.g. ``xl/worksheets/sheet1.xml``; ``strings``: from ``check_xlsx_parts``). Refused names
    the sheet, row and cell that break a limit."""
    shapes: dict[str, Shape] = {}
    budget = {"cells": MAX_CELLS, "text": MAX_TEXT}
    try:
        with zipfile.ZipFile(path) as zf:
            for sheet, member in sheets.items():
                if member not in zf.NameToInfo:
                    continue
                scan = _SheetScan(sheet, strings, budget)
                _parse(zf, member, scan.start, scan.end, scan.chars)
                shapes[sheet] = Shape(scan.rows, scan.columns)
                budget["cells"] -= scan.rows * scan.columns
    except expat.ExpatError as exc:
        raise Refused(f"not a readable XLSX workbook: broken XML ({exc})") from None
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise Refused(f"not a readable XLSX workbook: {exc}") from None
    return shapes


# --- JSON --------------------------------------------------------------------------------------

_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


def check_json_depth(text: str, max_depth: int = MAX_JSON_DEPTH) -> None:
    """Refused when arrays and objects nest deeper than ``max_depth`` (the message gives the
    line); one pass, so a file nested 10,000 deep costs what reading it costs."""
    if text.count("[") + text.count("{") <= max_depth:
        return
    depth = 0
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if depth > max_depth:
                line = text.count("\n", 0, match.start()) + 1
                raise Refused(f"the JSON nests arrays and objects more than {max_depth} "
                              "levels deep here; BODS and FollowTheMoney need fewer than ten.",
                              line)
        elif token in ("]", "}"):
            depth -= 1
