"""Translated words for the capabilities: the ladder's sentences, the quality checks.

Inside a request they come in the reader's language, through Flask-Babel. Elsewhere (the CLI,
``--json``, a benchmark) they are the English source text. Flask-Babel says the same there, but
builds an empty catalogue on every call to do it: a tenth of the time of a ladder at a million
nodes, which writes thousands of sentences.
"""

from typing import Any

import flask_babel
from flask import has_app_context
from flask_babel.speaklater import LazyString


def lazy_gettext(string: str, **variables: Any) -> LazyString:
    """Words of a table, translated when they are shown (by :func:`gettext`)."""
    return LazyString(gettext, string, **variables)


def gettext(string: str, **variables: Any) -> str:
    if has_app_context():  # Flask-Babel knows the reader's language
        return flask_babel.gettext(string, **variables)
    return string % variables if variables else string


def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    if has_app_context():
        return flask_babel.ngettext(singular, plural, num, **variables)
    variables.setdefault("num", num)
    return (singular if num == 1 else plural) % variables


def language() -> str:
    """The reader's language code ("es") for a file's ``lang``; "en" outside a request."""
    locale = flask_babel.get_locale() if has_app_context() else None
    return getattr(locale, "language", None) or "en"
