"""The import pages: upload files, see the row-level report or the plan; download templates."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import Blueprint, Response, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.utils import secure_filename

from graphapp import audit, auth
from graphapp.errors import NotFound
from graphapp.io import pipeline, templates
from graphapp.web.errors import render_error
from graphapp.web.graph import get_graph

bp = Blueprint("imports", __name__)

FORMAT_LABELS = {
    "auto": _l("Tell from the file"), "csv": _l("CSV spreadsheet (template or Kumu)"),
    "xlsx": _l("XLSX workbook (template or Kumu)"), "bods": _l("BODS JSON (0.4 or 0.2)"),
    "gleif": _l("GLEIF XML (LEI-CDF or RR-CDF)"), "ftm": _l("FollowTheMoney JSON lines"),
    "rdr": _l("Ranking Digital Rights scorecard CSV"),
}


def _limit_text() -> str:
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    if limit >= 1024 * 1024:
        return f"{round(limit / (1024 * 1024), 1):g} MB"
    return f"{round(limit / 1024, 1):g} KB" if limit >= 1024 else f"{limit} bytes"


def _form(error: str | None = None, status: int = 200):
    return render_template("import.html", formats=FORMAT_LABELS, limit=_limit_text(),
                           extensions=pipeline.EXTENSIONS, error=error,
                           template_names=templates.all_template_names()), status


@bp.route("/import", methods=["GET"])
@auth.requires("editor")
def import_form():
    """The upload form and the templates."""
    return _form()


@bp.route("/import", methods=["POST"])
@auth.requires("editor")
def import_upload():
    """Import the uploaded files (validate all, then write all or nothing) and show the report."""
    uploads = [f for f in request.files.getlist("files") if f and f.filename]
    fmt = request.form.get("format", "auto")
    if fmt not in FORMAT_LABELS:
        return _form(f"Unknown format {fmt!r}: choose one from the list.", 400)
    if not uploads:
        return _form("Choose at least one file to import.", 400)
    for upload in uploads:
        suffix = Path(upload.filename).suffix.lower()
        if suffix not in pipeline.EXTENSIONS:
            return _form(f"{upload.filename!r} is not a file type graphapp imports. Upload "
                         f"{', '.join(pipeline.EXTENSIONS)} files: spreadsheets, BODS or "
                         "FollowTheMoney JSON, GLEIF XML.", 400)
    with tempfile.TemporaryDirectory(prefix="graphapp-import-") as tmp:
        files = []
        for i, upload in enumerate(uploads):
            name = secure_filename(upload.filename) or f"upload-{i}"
            path = Path(tmp) / f"{i}-{name}"
            upload.save(path)
            files.append((path, upload.filename))
        trail = audit.ImportAudit(get_graph(), auth.actor())
        report = pipeline.import_files(
            get_graph(), files, fmt=fmt, skip_invalid=bool(request.form.get("skip_invalid")),
            dry_run=bool(request.form.get("dry_run")), before_write=trail.before_write)
        trail.finish(report)
    status = 200 if report.ok else 400
    return render_template("import_result.html", report=report), status


@bp.route("/import/templates/<string:name>")
def template_download(name: str):
    """One template file (XLSX workbook or a CSV header)."""
    data = templates.template_bytes(name)
    if data is None:
        raise NotFound(f"No template named {name!r}.")
    mimetype = ("text/csv" if name.endswith(".csv") else
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return Response(data, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.app_template_filter("rdr_scores")
def rdr_scores(properties: dict) -> list[dict]:
    """``rdr_score_<year>`` properties as [{year, score, source}], newest first."""
    out = []
    for key, value in properties.items():
        year = key.removeprefix("rdr_score_")
        if key.startswith("rdr_score_") and year.isdigit():
            out.append({"year": int(year), "score": value,
                        "source": properties.get(f"rdr_source_{year}")})
    return sorted(out, key=lambda s: -s["year"])


@bp.app_errorhandler(RequestEntityTooLarge)
def too_large(exc: RequestEntityTooLarge):
    """A clear page (or JSON) for an upload over the size limit; nothing was imported."""
    return render_error(
        413, "File too large",
        f"The upload is larger than the limit of {_limit_text()}, so nothing was imported. "
        "Split it into smaller files, or import it from a terminal with "
        "`graphapp import FILE`, which has no size limit.")
