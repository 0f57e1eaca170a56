"""Dates and numbers as the reader's language writes them (Babel); the data itself stays as
entered.

Dates in the graph are partial on purpose (``2021``, ``2021-06``, ``2021-06-14``): each is shown
at its own precision ("June 2021", "junio de 2021"), never padded to a day it does not name.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from babel.dates import format_skeleton
from flask_babel import format_date, format_decimal, format_percent, get_locale
from markupsafe import Markup

PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def local_date(value: Any) -> str:
    """A full or partial ISO date in the reader's language; anything else as it is."""
    if value is None or value == "":
        return ""
    text = str(value)[:10]
    m = PARTIAL_DATE.match(text)
    if not m:
        return str(value)
    year, month, day = m.groups()
    try:
        if day:
            return format_date(dt.date(int(year), int(month), int(day)), "medium")
        if month:
            return format_skeleton("yMMMM", dt.date(int(year), int(month), 1),
                                   locale=get_locale() or "en")
    except ValueError:
        return str(value)
    return year


def local_number(value: Any, digits: int = 4) -> str:
    """A count or a measure with the reader's separators (1,234.5 / 1.234,5 / 1 234,5)."""
    if value is None:
        return ""
    if isinstance(value, int):
        return format_decimal(value)
    return format_decimal(value, format=f"#,##0.{'#' * digits}")


def local_pct(value: Any, digits: int = 4) -> str:
    """A percentage figure (60, 13.61) with the reader's separators and sign (60 %, 13,61 %)."""
    if value is None:
        return ""
    return format_percent(float(value) / 100, format=f"#,##0.{'#' * digits}%")


# Scripts whose language a page can name from the letters alone (BCP 47): Burmese is written in
# Myanmar script; Ethiopic letters say the script, not which language (Amharic, Tigrinya...).
SCRIPT_LANGS = ((0x1000, 0x109F, "my"), (0x1200, 0x139F, "und-Ethi"), (0x2D80, 0x2DDF, "und-Ethi"))


def lang_of(text: Any) -> str | None:
    """The language tag for data written in a script the page's language does not use."""
    for ch in str(text or ""):
        code = ord(ch)
        for low, high, tag in SCRIPT_LANGS:
            if low <= code <= high:
                return tag
    return None


def lang_attr(text: Any) -> Markup:
    """`` lang="my"`` for an element holding ``text`` in Myanmar script (screen readers and
    fonts then treat it as Burmese), else nothing. Data stays as entered; this only marks it."""
    tag = lang_of(text)
    return Markup(f' lang="{tag}"') if tag else Markup("")


def register(app) -> None:
    app.jinja_env.filters.update(local_date=local_date, num=local_number, local_pct=local_pct,
                                 lang_attr=lang_attr)
