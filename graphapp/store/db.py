"""The thin database layer: one routing driver per process, named queries in managed transactions.

Reads go to readers (``execute_read`` / routing READ) and writes to the leader, so the same code
serves a single server, a cluster or Aura. The Flask app keeps no other state.
"""

from __future__ import annotations

import copy
import functools
import inspect
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from neo4j import Driver, GraphDatabase, ManagedTransaction, Record, RoutingControl
from neo4j.exceptions import (
    AuthError,
    ServiceUnavailable,
    SessionExpired,
)
from neo4j.exceptions import DatabaseUnavailable as Neo4jDatabaseUnavailable
from neo4j.graph import Node, Path, Relationship

from graphapp.server.provision import Neo4jTarget
from graphapp.store.cypher import Queries, Query, schema_statements

T = TypeVar("T")


def plain(value: Any) -> Any:
    """Neo4j values as plain Python: temporal values as ISO strings, recursively."""
    if hasattr(value, "iso_format"):
        return value.iso_format()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


_SCALARS = (str, int, float, bool, type(None))


def _has_graph_values(value: Any) -> bool:
    kind = type(value)
    if kind in _SCALARS:
        return False
    if kind is list:
        return any(map(_has_graph_values, value))
    if kind is dict:
        return any(map(_has_graph_values, value.values()))
    return isinstance(value, Node | Relationship | Path)


def row(record: Record) -> dict[str, Any]:
    """A record as a dict: ``record.data()``, which converts nodes, relationships and paths,
    but without rebuilding every list and map when there are none (the named queries return
    projections), several times faster on large answers (an escalation's paths)."""
    values = record.values()
    if any(map(_has_graph_values, values)):
        return record.data()
    return dict(zip(record.keys(), values, strict=True))


def values_row(record: Record) -> dict[str, Any]:
    """A record of a query marked ``// returns: values`` as a dict, as it comes."""
    return dict(zip(record.keys(), record.values(), strict=True))


class DatabaseUnavailable(RuntimeError):
    """Neo4j does not answer; the app says so with a 503 and recovers when it returns, and a
    command prints one line (graphapp.commands.base.database_gone).

    ``uri`` is the server that went away; ``written`` says what stayed written when a command
    commits more than one transaction (None: the failed transaction rolled back, so nothing)."""

    def __init__(self, message: str, uri: str | None = None, written: str | None = None):
        super().__init__(message)
        self.uri = uri
        self.written = written


# The server gone, or saying its database is (Neo4j's own DatabaseUnavailable, while it stops).
UNAVAILABLE = (ServiceUnavailable, SessionExpired, Neo4jDatabaseUnavailable, ConnectionError,
               OSError)


SENSITIVE_PARAM = "include_sensitive"

# Writes of these query files change no page: accounts, sessions and the sign-in throttle (a
# reader's role is part of every cache key instead), and the version itself.
UNVERSIONED = ("auth.", "version.")


def changes_graph(name: str) -> bool:
    """Whether a write of the named query may change what a page shows (it bumps the version)."""
    return not name.startswith(UNVERSIONED)


def _always() -> bool:
    return True


class Graph:
    """A driver and the named queries: the one way graphapp talks to Neo4j.

    It is also the one place that decides what a reader sees. Every named query that filters
    sensitive data does so with ``$include_sensitive`` (``cypher/*.cypher``); the graph fills
    that parameter itself from ``may_see_sensitive`` (a request's graph: the signed-in user's
    role, see :func:`get_graph`; the CLI's: True, it is trusted). A caller may ask for less
    (an export redacted for an editor) but never for more, so no view, capability or new
    route can show a viewer what their role does not allow by passing the wrong flag.
    """

    def __init__(self, target: Neo4jTarget, database: str | None = None,
                 queries: Queries | None = None, connection_timeout: float = 5.0,
                 retry_seconds: float = 15.0):
        self.target = target
        self.database = database
        self.queries = queries or Queries()
        self.may_see_sensitive: Callable[[], bool] = _always
        self.driver: Driver = GraphDatabase.driver(
            target.uri,
            auth=(target.user, target.password),
            connection_timeout=connection_timeout,
            max_transaction_retry_time=retry_seconds,
            connection_acquisition_timeout=connection_timeout * 2,
            notifications_min_severity="OFF",
        )

    def _gone(self, exc: BaseException) -> DatabaseUnavailable:
        return DatabaseUnavailable(str(exc), uri=self.target.uri)

    def close(self) -> None:
        self.driver.close()

    def seen_by(self, may_see_sensitive: Callable[[], bool]) -> Graph:
        """This graph (same driver) as read by someone: ``may_see_sensitive()`` is asked when
        a query first needs it (not before: looking the user up is itself a query)."""
        scoped = copy.copy(self)
        decided: list[bool] = []

        def decide() -> bool:
            if not decided:
                decided.append(bool(may_see_sensitive()))
            return decided[0]

        scoped.may_see_sensitive = decide
        return scoped

    def sees_sensitive(self, requested: bool | None = None) -> bool:
        """Whether sensitive data may be shown: what the caller asked (None: all it may), never
        more than the reader's role allows. Capabilities shape their answers with this."""
        allowed = self.may_see_sensitive()
        return allowed if requested is None else bool(requested) and allowed

    def _scoped(self, query: Query, params: dict[str, Any]) -> dict[str, Any]:
        if SENSITIVE_PARAM in query.parameters:
            params = {**params, SENSITIVE_PARAM: self.sees_sensitive(params.get(SENSITIVE_PARAM))}
        return params

    # --- one named query in its own managed transaction ---

    def read(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """Run the named read query; return its records as dicts."""
        return self._execute(name, params, RoutingControl.READ)

    def write(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """Run the named write query; return its records as dicts. A write of the graph bumps
        its version in the same transaction (:meth:`version`)."""
        if not changes_graph(name):
            return self._execute(name, params, RoutingControl.WRITE)
        return self.write_tx(lambda tx: tx.run(name, **params))

    def version(self) -> str | None:
        """The graph's version: a value that every write of the graph replaces, in the write's
        own transaction, so an answer cached under it is never stale (graphapp/web/pagecache.py).
        None when there is none (an emptied or bulk-loaded database): then nothing is cached.

        The bump happens here, in the store layer, for every write path at once: ``write``,
        ``write_tx`` (records, imports, engagement, edits, the seed), ``write_autocommit``
        (deletes, a bulk load's last steps) and the schema (after a bulk load)."""
        rows = self._execute("version.read", {}, RoutingControl.READ)
        return rows[0]["value"] if rows else None

    def _execute(self, name: str, params: dict[str, Any], routing: RoutingControl):
        query = self.queries[name]
        params = self._scoped(query, params)
        try:
            records, _, _ = self.driver.execute_query(
                query.text, params, routing_=routing, database_=self.database,
            )
        except UNAVAILABLE as exc:
            raise self._gone(exc) from exc
        convert = values_row if query.returns_values else row  # as Tx.run converts
        return [convert(record) for record in records]

    # --- several named queries in one managed transaction ---

    def read_tx(self, work: Callable[[Tx], T]) -> T:
        return self._session_work(work, "execute_read")

    def write_tx(self, work: Callable[[Tx], T]) -> T:
        return self._session_work(work, "execute_write")

    def _session_work(self, work: Callable[[Tx], T], how: str) -> T:
        def run(tx: ManagedTransaction) -> T:
            scoped = Tx(tx, self.queries, self)
            result = work(scoped)
            if how == "execute_write" and scoped.changes_graph():
                tx.run(self.queries["version.bump"].text).consume()  # commits with the write
            return result

        try:
            with self.driver.session(database=self.database) as session:
                return getattr(session, how)(run)
        except UNAVAILABLE as exc:
            raise self._gone(exc) from exc

    def write_autocommit(self, name: str, **params: Any) -> None:
        """Run a named write that manages its own transactions (``CALL { } IN TRANSACTIONS``)."""
        try:
            with self.driver.session(database=self.database) as session:
                query = self.queries[name]
                session.run(query.text, self._scoped(query, params)).consume()
                if changes_graph(name):  # its transactions are committed: a new version
                    session.run(self.queries["version.bump_if_graph"].text).consume()
        except UNAVAILABLE as exc:
            raise self._gone(exc) from exc

    def run_script(self, statements: Iterable[str], together: bool = False) -> int:
        """Run schema statements, each its own auto-commit transaction, or with ``together``
        all in one (schema only: DDL mixes with no data write): on a loaded graph, Neo4j then
        fills the new indexes and constraints in one scan of the store instead of one each."""
        count = 0
        try:
            with self.driver.session(database=self.database) as session:
                if together:
                    with session.begin_transaction() as tx:
                        for statement in statements:
                            tx.run(statement).consume()
                            count += 1
                        tx.commit()
                else:
                    for statement in statements:
                        session.run(statement).consume()
                        count += 1
                if "version.bump_if_graph" in self.queries:  # a graph loaded offline gets one
                    session.run(self.queries["version.bump_if_graph"].text).consume()
        except UNAVAILABLE as exc:
            gone = self._gone(exc)
            if count and not together:  # one transaction: none of them stays
                gone.written = (f"the {count} statement(s) run before stay applied (each is "
                                "idempotent)")
            raise gone from exc
        return count

    def init_schema(self, together: bool = False) -> int:
        """Apply ``cypher/schema.cypher``; every statement is idempotent (IF NOT EXISTS).
        ``together``: in one transaction (see ``run_script``), for a graph loaded offline."""
        return self.run_script(schema_statements(), together)

    def answers(self) -> bool:
        try:
            self.driver.execute_query("RETURN 1", database_=self.database,
                                      routing_=RoutingControl.READ)
            return True
        except (*UNAVAILABLE, AuthError):
            return False


class Tx:
    """A managed transaction that runs named queries."""

    def __init__(self, tx: ManagedTransaction, queries: Queries, graph: Graph | None = None):
        self.tx = tx
        self.queries = queries
        self.graph = graph
        self.names: set[str] = set()

    def changes_graph(self) -> bool:
        """Whether this transaction, as a write, bumps the graph's version: unless every query
        it ran was of an unversioned file (accounts), it may have changed a page."""
        return not self.names or any(map(changes_graph, self.names))

    def params(self, name: str, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """The text of query ``name`` and its parameters, ``$include_sensitive`` decided by the
        graph (for callers that read the driver's records directly)."""
        query = self.queries[name]
        self.names.add(name)
        return query.text, (self.graph._scoped(query, params) if self.graph else params)

    def run(self, name: str, **params: Any) -> list[dict[str, Any]]:
        text, params = self.params(name, params)
        convert = values_row if self.queries[name].returns_values else row
        return [convert(record) for record in self.tx.run(text, params)]


def for_reader(capability: Callable[..., T]) -> Callable[..., T]:
    """A capability's ``include_sensitive`` as its graph allows (:meth:`Graph.sees_sensitive`):
    whatever a caller passes, the answer is shaped for the reader's role, so its Python
    (withheld names, "why" sentences, placeholders) and its Cypher agree."""
    signature = inspect.signature(capability)

    @functools.wraps(capability)
    def shaped(*args: Any, **kwargs: Any) -> T:
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        graph = bound.arguments["graph"]
        bound.arguments[SENSITIVE_PARAM] = graph.sees_sensitive(bound.arguments[SENSITIVE_PARAM])
        return capability(*bound.args, **bound.kwargs)

    return shaped


def connect(target: Neo4jTarget, settings: Mapping[str, Any]) -> Graph:
    """The graph at ``target`` with the settings of :func:`graphapp.config.settings`: the
    database (``NEO4J_DATABASE``; None is the server's home database) and the timeouts. The web
    app and the ``graphapp`` command both open their graph here."""
    return Graph(
        target,
        database=settings.get("NEO4J_DATABASE"),
        connection_timeout=settings["NEO4J_CONNECTION_TIMEOUT"],
        retry_seconds=settings["NEO4J_RETRY_SECONDS"],
    )
