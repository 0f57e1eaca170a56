"""One read for the many request threads of a process that need the same kind of answer at once.

Every page a reader opens first asks Neo4j two things: who the session cookie belongs to, and
the graph's version (graphapp/web/pagecache.py serves a cached page only under the version read
for this request, so that it is never stale). That read is most of what a cached page costs
(a managed transaction: about 1.7 ms of the driver's Python and as much of Neo4j's CPU on the
two-core machine, issue 19), and under load many threads of a worker need it at the same time.

So the threads wait in line: while one read is in flight, the threads that arrive meanwhile
wait for it to end, then one of them reads for all of them in one transaction. A thread's
answer always comes from a transaction that *began after the thread arrived*: never older than
a read of its own would have been, so no page is served under a version that a write had
already replaced when its request came in, and a signed-out session is never seen as open. A
thread alone (no load) reads at once, as before.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Sequence
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class _Waiting(Generic[K, V]):
    __slots__ = ("done", "error", "key", "value")

    def __init__(self, key: K):
        self.key = key
        self.done = False
        self.value: V | None = None
        self.error: BaseException | None = None


class Coalesced(Generic[K, V]):
    """``get(key)`` answers through ``read(keys)`` (one answer a key, in order), reading once
    for every thread waiting at that moment. An error of the read reaches each of its threads
    (a Neo4j outage is a 503 for each of them, as it would have been)."""

    def __init__(self, read: Callable[[Sequence[K]], Sequence[V]]):
        self._read = read
        self._turn = threading.Condition()
        self._reading = False
        self._line: list[_Waiting[K, V]] = []

    def get(self, key: K) -> V:
        me: _Waiting[K, V] = _Waiting(key)
        with self._turn:
            self._line.append(me)
            while self._reading and not me.done:
                self._turn.wait()
            leads = not me.done  # nobody reads: read for everyone in line, who came before now
            if leads:
                batch, self._line = self._line, []
                self._reading = True
        if leads:
            self._read_for(batch)
        if me.error is not None:
            raise me.error
        return me.value  # type: ignore[return-value]

    def _read_for(self, batch: list[_Waiting[K, V]]) -> None:
        values: Sequence[V] = ()
        error: BaseException | None = None
        try:
            values = self._read([w.key for w in batch])
            if len(values) != len(batch):
                raise RuntimeError(f"{len(values)} answers for {len(batch)} keys")
        except BaseException as exc:
            error = exc
        with self._turn:
            for i, waiting in enumerate(batch):
                if error is None:
                    waiting.value = values[i]
                else:
                    waiting.error = error
                waiting.done = True
            self._reading = False
            self._turn.notify_all()
