"""Connections: uvicorn's h11 protocol with a header timeout (:func:`guarded_protocol`),
and the caps on open connections, in total and per client, that evict the connection
waiting longest for a request so a fresh client always gets in
(:class:`ConnectionLimits`). Together they keep slowloris clients, which trickle
header bytes over many connections, from holding the server.

>>> limits = ConnectionLimits(total=8, per_client=2)
>>> limits.total, limits.per_client, len(limits)
(8, 2, 0)
"""

from __future__ import annotations

import asyncio
import typing

from kg.web.addresses import client_key
from kg.web.plain import raw_text_reply
from kg.web.settings import (
    DEFAULT_HEADER_TIMEOUT,
    DEFAULT_MAX_CONNECTIONS,
    DEFAULT_MAX_PER_CLIENT,
)

__all__ = ["ConnectionLimits", "guarded_protocol"]

class _Tracked(typing.Protocol):
    """What :class:`ConnectionLimits` needs of a connection."""

    client_key: str
    #: Event-loop time since which it waits for a request (None: a request is being
    #: handled, so it is not evictable).
    waiting_since: float | None

    def evict(self) -> None: ...


class ConnectionLimits:
    """Open connections, counted in total and per client, with eviction.

    A new connection is always let in when a slot can be freed: when its client is at
    ``per_client`` (or the server at ``total``), the connection of that client (or of
    the client holding the most) that has waited longest for a request is closed to make
    room. Only connections waiting for a request (reading headers, or idle between
    requests) are ever evicted, never one whose request is being answered; a new
    connection is refused only when every candidate is busy. So a client trickling
    header bytes over many connections loses its oldest ones to any fresh connection,
    even one from the same address, and a well-behaved request goes through at once.

    >>> class Conn:
    ...     def __init__(self, key, since):
    ...         self.client_key, self.waiting_since, self.evicted = key, since, False
    ...     def evict(self):
    ...         self.evicted = True
    >>> limits = ConnectionLimits(total=3, per_client=2)
    >>> a, b, c = Conn("1.1.1.1", 1.0), Conn("1.1.1.1", 2.0), Conn("1.1.1.1", 3.0)
    >>> limits.admit(a), limits.admit(b), limits.admit(c), a.evicted, len(limits)
    (True, True, True, True, 2)
    >>> b.waiting_since = c.waiting_since = None  # both are being answered
    >>> limits.admit(Conn("1.1.1.1", 4.0)), limits.refused
    (False, 1)
    """

    def __init__(self, total: int = DEFAULT_MAX_CONNECTIONS,
                 per_client: int = DEFAULT_MAX_PER_CLIENT):
        self.total = max(1, total)
        self.per_client = max(1, min(per_client, self.total))
        self._open: dict[_Tracked, None] = {}
        self._clients: dict[str, dict[_Tracked, None]] = {}
        self.evicted = 0
        self.refused = 0
        self.timed_out = 0

    def __len__(self) -> int:
        return len(self._open)

    def admit(self, conn: _Tracked) -> bool:
        """Count ``conn`` in, evicting another if need be; False when it must be refused."""
        mine = self._clients.get(conn.client_key, {})
        if len(mine) >= self.per_client:
            pool: dict[_Tracked, None] | None = mine
        elif len(self._open) >= self.total:
            pool = max(self._clients.values(), key=len)
        else:
            pool = None
        if pool is not None:
            victim = self._longest_waiting(pool) or self._longest_waiting(self._open)
            if victim is None or (pool is mine and victim.client_key != conn.client_key):
                self.refused += 1
                return False
            self.release(victim)
            self.evicted += 1
            victim.evict()
        self._open[conn] = None
        self._clients.setdefault(conn.client_key, {})[conn] = None
        return True

    def release(self, conn: _Tracked) -> None:
        """Count ``conn`` out (it closed); safe to call twice."""
        self._open.pop(conn, None)
        mine = self._clients.get(conn.client_key)
        if mine is not None:
            mine.pop(conn, None)
            if not mine:
                del self._clients[conn.client_key]

    @staticmethod
    def _longest_waiting(pool: dict[_Tracked, None]) -> _Tracked | None:
        waiting = [(c.waiting_since, i, c) for i, c in enumerate(pool)
                   if c.waiting_since is not None]
        return min(waiting, key=lambda item: (item[0], item[1]))[2] if waiting else None


def guarded_protocol(limits: ConnectionLimits,
                     header_timeout: float = DEFAULT_HEADER_TIMEOUT) -> type[asyncio.Protocol]:
    """uvicorn's h11 protocol with a header timeout and :class:`ConnectionLimits`.

    uvicorn has no header timeout: a connection that sends one header byte at a time
    is held for as long as it likes, and once ``limit_concurrency`` connections are
    held every other client gets 503 (slowloris). Here each connection must deliver a
    complete request line and headers within ``header_timeout`` seconds of connecting
    (or of the end of its previous response), else it is closed (with 408 when part
    of a request had come); and it is counted by ``limits``, which may close it early
    to let a new connection in while it waits for a request.

    >>> limits = ConnectionLimits()
    >>> guarded_protocol(limits).__name__
    'GuardedH11Protocol'
    """
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class GuardedH11Protocol(H11Protocol):
        client_key = ""
        waiting_since: float | None = None
        _deadline: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self.client_key = client_key(self.client[0] if self.client else None)
            self.waiting_since = self.loop.time()
            if not limits.admit(self):
                self.waiting_since = None
                raw_text_reply(transport, 503, "Service Unavailable",
                               f"every connection from your address ({limits.per_client} "
                               "at most) is busy with a request: try again when one is "
                               "answered")
                return
            self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            limits.release(self)
            self._disarm()
            self.waiting_since = None
            super().connection_lost(exc)

        def handle_events(self) -> None:
            super().handle_events()
            self._track()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._track()

        def _track(self) -> None:
            """Waiting for a request (deadline running, evictable) unless one is being
            answered; the deadline starts when the previous response ended."""
            if self.transport.is_closing():
                return
            busy = self.cycle is not None and not self.cycle.response_complete
            if busy and self.waiting_since is not None:
                self.waiting_since = None
                self._disarm()
            elif not busy and self.waiting_since is None:
                self.waiting_since = self.loop.time()
                self._arm()

        def evict(self) -> None:
            self._disarm()
            self.waiting_since = None
            self.transport.close()

        def _arm(self) -> None:
            self._disarm()
            self._deadline = self.loop.call_later(header_timeout, self._expire)

        def _disarm(self) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None

        def _expire(self) -> None:
            self._deadline = None
            if self.waiting_since is None or self.transport.is_closing():
                return
            limits.timed_out += 1
            limits.release(self)
            self.waiting_since = None
            if self.conn.their_state is h11.IDLE and self.conn.trailing_data[0]:
                raw_text_reply(self.transport, 408, "Request Timeout",
                               "the request headers did not arrive within "
                               f"{header_timeout:g} s")
            else:
                self.transport.close()

    return GuardedH11Protocol
