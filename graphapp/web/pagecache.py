"""Pages and answers cached per process, keyed by the graph's version, so never stale.

Every write of the graph gives it a new version in the write's own transaction
(``Graph.version``, graphapp/store/db.py). A cached page is read once per request for the
version (one small query), and is used only under the version it was made with: the next
request after any write, in any process (gunicorn workers, other machines), makes it again.
The cache is in each process: the app keeps no state that another worker would need.

Who reads is part of every key: the reader's role and whether they may see sensitive data
(never an editor's page for a viewer: defenders' contacts stay with those allowed to see
them), and their language. The parts of a page that belong to one session (the signed-in
name, the CSRF tokens of the sign-out and language forms: templates/_session.html) are not
cached: the cached page holds a marker in their place, filled per request.
"""

from __future__ import annotations

import datetime
import functools
import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from cachetools import LRUCache, TTLCache
from flask import current_app, g, render_template, request, session
from flask_babel import get_locale
from flask_login import current_user

from graphapp.auth import may_see_sensitive
from graphapp.web.graph import reader_and_version

MARKER = "<!--graphapp:session-->"
EXTENSION = "graphapp.pagecache"
# A session's part of the page is kept this long (seconds): well inside the CSRF token's time
# limit (Flask-WTF's WTF_CSRF_TIME_LIMIT, an hour by default), so a kept form still posts.
SESSION_PART_SECONDS = 300
T = TypeVar("T")


class PageCache:
    """Rendered pages (bounded in bytes) and computed answers (bounded in number), both
    dropped whole when the graph's version changes."""

    def __init__(self, max_bytes: int, max_answers: int):
        self.lock = threading.Lock()
        self.version: str | None = None
        self.pages: LRUCache = LRUCache(maxsize=max_bytes, getsizeof=len)
        self.answers: LRUCache = LRUCache(maxsize=max_answers)
        self.session_parts: TTLCache = TTLCache(maxsize=4096, ttl=SESSION_PART_SECONDS)
        self.making: dict[Hashable, threading.Lock] = {}  # what a thread is making now

    def _at(self, version: str) -> None:
        if version != self.version:  # a write happened: nothing cached before is valid
            self.pages.clear()
            self.answers.clear()
            self.version = version

    def get(self, store: str, version: str, key: Hashable) -> Any:
        with self.lock:
            self._at(version)
            return getattr(self, store).get(key)

    def get_or_make(self, store: str, version: str, key: Hashable, make: Callable[[], Any],
                    keep: Callable[[Any], bool] = lambda value: True) -> Any:
        """The kept value, else ``make()``, kept when ``keep`` says so. One thread of the
        process makes it while the others asking for the same key wait for it: after a write,
        eight readers opening the largest fund's exposure cost one computation, not eight."""
        found = self.get(store, version, key)
        if found is not None:
            return found
        making = (store, version, key)
        with self.lock:
            flight = self.making.setdefault(making, threading.Lock())
        try:
            with flight:
                found = self.get(store, version, key)
                if found is None:
                    found = make()
                    if keep(found):
                        self.put(store, version, key, found)
        finally:
            with self.lock:
                self.making.pop(making, None)
        return found

    def put(self, store: str, version: str, key: Hashable, value: Any) -> None:
        with self.lock:
            self._at(version)
            cache = getattr(self, store)
            if store == "pages" and len(value) > cache.maxsize:
                return
            cache[key] = value


def init_app(app) -> None:
    """The process's cache; ``GRAPHAPP_PAGE_CACHE=0`` turns it off (bench/run.py measures both)."""
    mb = float(app.config.get("GRAPHAPP_PAGE_CACHE_MB", 64))
    app.extensions[EXTENSION] = PageCache(int(mb * 1024 * 1024), max_answers=32)


def enabled() -> bool:
    return bool(current_app.config.get("GRAPHAPP_PAGE_CACHE", True))


def reader() -> tuple[str | None, bool, str]:
    """Who reads, as every key holds it: role (None: anonymous), sensitive data allowed,
    language."""
    role = current_user.role if getattr(current_user, "is_authenticated", False) else None
    return role, may_see_sensitive(), str(get_locale() or "en")


def saw_version(version: str | None) -> None:
    """The graph's version as another query of this request read it (a signed-in reader's
    session lookup brings it along: graphapp/web/login.py), so it is not read again."""
    g.graph_version = version


def _version() -> str | None:
    """The graph's version, read once per request and before the page's own queries (read
    after them, a write in between would file the older page under the newer version)."""
    if "graph_version" not in g:
        g.graph_version = reader_and_version(None)[1]
    return g.graph_version


def cached_page(view: Callable[..., str]) -> Callable[..., Any]:
    """A page view whose HTML is kept under (graph version, path and query, reader, day).

    The day is in the key because pages without a date ask about today."""

    @functools.wraps(view)
    def page(*args: Any, **kwargs: Any) -> Any:
        version = _version() if enabled() else None
        if version is None:
            return view(*args, **kwargs)
        cache: PageCache = current_app.extensions[EXTENSION]
        key = (request.endpoint, request.path, tuple(sorted(request.args.items(multi=True))),
               *reader(), datetime.date.today().isoformat())

        def render() -> Any:
            g.page_cache_render = True  # base.html leaves MARKER for the session's part
            try:
                return view(*args, **kwargs)
            finally:
                g.page_cache_render = False

        html = cache.get_or_make("pages", version, key, render,
                                 keep=lambda made: isinstance(made, str))
        if not isinstance(html, str):  # a redirect or a response of its own: not kept
            return html
        return html.replace(MARKER, session_part(cache), 1)

    return page


def session_part(cache: PageCache) -> str:
    """templates/_session.html for this request: the signed-in name and role, the sign-out and
    language forms with their CSRF token, the page to come back to. It was a fifth of a cached
    page's CPU, so it is kept a few minutes per session, language and path.

    The key holds everything the part shows: the session (its id and CSRF secret: a session
    that has none yet gets one from rendering, so it is not kept), the user's id, name and
    role (a changed role shows at once), the language and the path with its query."""
    secret = session.get("csrf_token")
    if not secret:
        return render_template("_session.html")
    user = current_user if getattr(current_user, "is_authenticated", False) else None
    key = (secret, getattr(user, "session", None), getattr(user, "id", None),
           getattr(user, "name", None), getattr(user, "role", None), str(get_locale() or "en"),
           request.full_path)
    with cache.lock:
        part = cache.session_parts.get(key)
    if part is None:
        part = render_template("_session.html")
        with cache.lock:
            cache.session_parts[key] = part
    return part


def cached_answer(name: str, params: dict[str, Any], compute: Callable[[], T],
                  words: bool = True) -> T:
    """An answer (for example an investor's exposure ranked, which a page shows a slice of)
    computed once per graph version and reader. The caller must not change it.

    ``words=False``: the answer holds no words, only what the reader may see (an exposure's
    numbers), so it is kept per "may see sensitive data" alone, not per role and language: the
    largest fund's is made once, not once for each of twelve kinds of reader."""
    version = _version() if enabled() else None
    if version is None:
        return compute()
    cache: PageCache = current_app.extensions[EXTENSION]
    who = reader() if words else (may_see_sensitive(),)
    key = (name, tuple(sorted((k, repr(v)) for k, v in params.items())), *who,
           datetime.date.today().isoformat())
    return cache.get_or_make("answers", version, key, compute)
