"""Hostile import files, built byte by byte, and a subprocess that reads one and measures it.

Each file is small on disk and costly to a naive reader: an XLSX whose rows each hold one cell
at column XFD (the last), a shared-strings bomb, a worksheet that inflates to hundreds of MB, a
BODS file nested 10,000 levels deep, 16,000 invalid CSV rows. ``measure(path)`` reads the file
with the import pipeline's reader in a fresh Python (no database: reading and validating is
what the files attack) and returns the seconds taken (wall clock, and CPU: on a machine shared
by many, the CPU seconds are what the file costs), the peak RSS growth in MB and the problems
reported, so that tests can bound time and memory per file.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Company" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
_SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>'
               '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               '<sheetData>')
_SHEET_TAIL = "</sheetData></worksheet>"
_HEADER_ROW = ('<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c>'
               '<c r="B1" t="inlineStr"><is><t>name</t></is></c></row>')


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _workbook(path: Path, sheet_parts, shared_parts=("<sst/>",), extra=None) -> Path:
    """An XLSX (one sheet, "Company") whose sheet and shared strings are streamed from parts."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr("xl/workbook.xml", _WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        for name, parts in (("xl/worksheets/sheet1.xml", sheet_parts),
                            ("xl/sharedStrings.xml", shared_parts)):
            with zf.open(name, "w", force_zip64=True) as member:
                for part in parts:
                    member.write(part.encode("utf-8") if isinstance(part, str) else part)
        for name, parts in (extra or {}).items():
            with zf.open(name, "w", force_zip64=True) as member:
                for part in parts:
                    member.write(part)
    return path


def xfd_rows(path: Path, rows: int = 1200) -> Path:
    """About 7 KB: a header, then rows that each hold one cell at column XFD (16,384)."""
    body = (f'<row r="{i}">{_inline(f"XFD{i}", "x")}</row>' for i in range(2, rows + 2))
    return _workbook(path, [_SHEET_HEAD, _HEADER_ROW, *body, _SHEET_TAIL])


def shared_strings_bomb(path: Path, strings: int = 500, length: int = 1_000_000) -> Path:
    """About 500 KB: ``strings`` shared strings of ``length`` characters each, every one used."""
    big = "A" * length

    def shared():
        yield f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' \
              f'count="{strings}" uniqueCount="{strings}">'
        for _ in range(strings):
            yield f"<si><t>{big}</t></si>"
        yield "</sst>"

    body = (f'<row r="{i + 2}"><c r="A{i + 2}" t="s"><v>{i}</v></c>'
            f'<c r="B{i + 2}" t="s"><v>{i}</v></c></row>' for i in range(strings))
    return _workbook(path, [_SHEET_HEAD, _HEADER_ROW, *body, _SHEET_TAIL], shared())


def shared_string_references(path: Path, cells: int = 1600) -> Path:
    """One shared string as long as a cell may be (32,767 characters), used by ``cells`` cells:
    small, and under the inflated-size limit, but 52 million characters once read."""
    shared = ['<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
              f"<si><t>{'A' * 32_767}</t></si>", "</sst>"]
    body = (f'<row r="{i}"><c r="A{i}" t="s"><v>0</v></c><c r="B{i}" t="s"><v>0</v></c></row>'
            for i in range(2, cells // 2 + 2))
    return _workbook(path, [_SHEET_HEAD, _HEADER_ROW, *body, _SHEET_TAIL], shared)


def zip_bomb_member(path: Path, megabytes: int = 400) -> Path:
    """About 400 KB: a well-formed workbook whose sheet inflates to ``megabytes`` MB (spaces
    between the rows, which XML allows)."""
    chunk = " " * (1024 * 1024)
    return _workbook(path, [_SHEET_HEAD, _HEADER_ROW, *(chunk for _ in range(megabytes)),
                            '<row r="2">' + _inline("A2", "acme") + _inline("B2", "Acme")
                            + "</row>", _SHEET_TAIL])


def deep_json(path: Path, depth: int = 10_000) -> Path:
    """A BODS statement whose address is nested ``depth`` arrays deep."""
    head = '[{"statementId": "s1", "statementType": "entityStatement", "addresses": '
    path.write_text(head + "[" * depth + "]" * depth + "}]\n", encoding="utf-8")
    return path


def invalid_csv_rows(path: Path, rows: int = 16_000) -> Path:
    """About 50 KB: a Company sheet whose every row lacks the required name."""
    lines = ["id,name"] + [f"c{i}," for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


CASES = {
    "xfd-rows.xlsx": xfd_rows,
    "shared-strings-bomb.xlsx": shared_strings_bomb,
    "long-shared-string.xlsx": lambda path: shared_strings_bomb(path, strings=60),
    "shared-string-references.xlsx": shared_string_references,
    "zip-bomb-member.xlsx": zip_bomb_member,
    "deep.json": deep_json,
    "Company.csv": invalid_csv_rows,
}

_MEASURE = r"""
import json, os, resource, signal, sys, time
from pathlib import Path
from graphapp.io import pipeline
import graphapp.store.records, graphapp.store.schemas, openpyxl, pandas  # before any baseline

def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime

def one(path):
    base = rss_mb()
    start, cpu_start = time.perf_counter(), cpu()
    report = pipeline.ImportReport()
    fmt = pipeline.format_of(path, path.name, None, report)
    if fmt is not None:
        batch = pipeline.reader_for(fmt)(path, path.name)
        pipeline.validate_batch(None, batch, report, skip_invalid=False)
    report.problems.sort(key=pipeline.problem_order)
    return {"seconds": time.perf_counter() - start, "cpu_seconds": cpu() - cpu_start,
            "rss_growth_mb": rss_mb() - base,
            "problems": [str(p) for p in report.problems[:3]],
            "problem_count": len(report.problems)}

timeout = float(sys.argv[1])
results = {}
for name in sys.argv[2:]:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # a child per file: its peak RSS is its own
        os.close(read)
        try:
            out = one(Path(name))
        except BaseException as exc:
            out = {"error": [f"{type(exc).__name__}: {exc}"[:500]]}
        os.write(write, json.dumps(out).encode())
        os._exit(0)
    os.close(write)
    deadline = time.monotonic() + timeout
    while os.waitpid(pid, os.WNOHANG) == (0, 0):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            break
        time.sleep(0.02)
    data = b""
    while chunk := os.read(read, 65536):
        data += chunk
    os.close(read)
    results[name] = json.loads(data) if data else {"error": [f"killed after {timeout} s"]}
print(json.dumps(results))
"""

_EMPTY = {"seconds": None, "cpu_seconds": None, "rss_growth_mb": None, "problems": [],
          "problem_count": 0}


def measure_many(paths: list[Path], timeout: float = 120) -> dict[Path, dict]:
    """Read and validate each file in a child of one fresh Python (imports paid once): the
    seconds, peak RSS growth (MB) and problems of each."""
    out = subprocess.run([sys.executable, "-c", _MEASURE, str(timeout), *map(str, paths)],
                         capture_output=True, text=True, check=True)
    results = json.loads(out.stdout)
    return {p: {**_EMPTY, **results[str(p)]} for p in paths}


def measure(path: Path, timeout: float = 120) -> dict:
    """``measure_many`` for one file."""
    return measure_many([path], timeout)[path]


if __name__ == "__main__":  # python -m tests.hostile_files DIR: build every case and measure it
    directory = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/hostile")
    directory.mkdir(parents=True, exist_ok=True)
    files = [build(directory / name) for name, build in CASES.items()]
    for file, result in measure_many(files).items():
        name = file.name
        wall, cpu, rss = (result[k] for k in ("seconds", "cpu_seconds", "rss_growth_mb"))
        print(f"{name:<30} {file.stat().st_size / 1024:>7.1f} KB  "
              f"{'-' if wall is None else f'{wall:.2f}'} s wall  "
              f"{'-' if cpu is None else f'{cpu:.2f}'} s CPU  "
              f"{'-' if rss is None else f'{rss:.0f}'} MB  "
              f"{result.get('error') or (result['problems'][:1], result['problem_count'])}")
