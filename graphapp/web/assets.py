"""Static assets sent compressed and cacheable: a browser fetches the style sheet, the script and
the fonts once, not on every page.

- ``url_for('static', ...)`` adds ``v=<hash of the file>``, so a URL names one content: it is
  cached for a year (``immutable``) and a changed file gets a new URL. Files fetched by a
  relative URL (the fonts named in fonts.css) are cached for a day.
- Flask-Compress compresses text assets (brotli or gzip, as the browser accepts). Pages are not
  compressed: they carry CSRF tokens and echo what was searched, which compression would let an
  attacker guess byte by byte (BREACH). Fonts (woff2) are compressed already.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask, Response, request
from flask_compress import Compress

YEAR = 365 * 24 * 3600
DAY = 24 * 3600
COMPRESSED = ["text/css", "text/javascript", "application/javascript", "image/svg+xml",
              "text/plain"]


def init_app(app: Flask) -> None:
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_STREAMS", False)
    Compress(app)
    static = Path(app.static_folder)

    @lru_cache(maxsize=256)
    def digest(filename: str) -> str | None:
        path = (static / filename).resolve()
        if static.resolve() not in path.parents or not path.is_file():
            return None
        return hashlib.sha256(path.read_bytes()).hexdigest()[:12]

    @app.url_defaults
    def _versioned(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "v" not in values and "filename" in values:
            v = digest(values["filename"])
            if v:
                values["v"] = v

    @app.after_request  # registered after Compress: runs before it
    def _cacheable(response: Response) -> Response:
        if request.endpoint == "static" and response.status_code in (200, 304):
            response.headers["Cache-Control"] = (
                f"public, max-age={YEAR}, immutable" if request.args.get("v")
                else f"public, max-age={DAY}")
            if response.status_code == 200 and response.mimetype in COMPRESSED:
                response.direct_passthrough = False  # a small text file, read whole: then
                response.make_sequence()  # Flask-Compress gzips it (it streams no gzip)
        return response
