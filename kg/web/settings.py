"""The limits of the SPARQL endpoint, and who may talk to it: :class:`ServerSettings`
and the defaults of ``kg serve``.

>>> settings = ServerSettings(workers=4, cors=("http://localhost:5173",))
>>> settings.workers, settings.timeout, settings.max_connections_per_client
(4, 5.0, 64)
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.web.protocol import DEFAULT_MAX_ROWS

__all__ = [
    "DEFAULT_HEADER_TIMEOUT",
    "DEFAULT_HOST",
    "DEFAULT_IDLE_TIMEOUT",
    "DEFAULT_MAX_CONNECTIONS",
    "DEFAULT_MAX_PER_CLIENT",
    "DEFAULT_PORT",
    "DEFAULT_TIMEOUT",
    "DEFAULT_WORKERS",
    "MAX_BODY",
    "ServerSettings",
]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_TIMEOUT = 5.0
DEFAULT_WORKERS = 2
MAX_BODY = 1 << 20  # bytes of a POSTed query or form
DEFAULT_HEADER_TIMEOUT = 10.0  # seconds to send a request's headers (and, apart, its body)
DEFAULT_IDLE_TIMEOUT = 5  # seconds an idle keep-alive connection is kept
DEFAULT_MAX_CONNECTIONS = 256
DEFAULT_MAX_PER_CLIENT = 64


@dataclass(frozen=True)
class ServerSettings:
    """Limits of the endpoint, and who may talk to it.

    ``cors``: origins (``http://localhost:3000``) whose web pages may read answers, ``*``
    for any page; none by default. ``allow_hosts``: names accepted in the ``Host`` header
    besides the address served (``NAME`` any port, ``NAME:PORT`` that port; ``*`` turns
    the check off). ``header_timeout``: seconds a client has to send a whole request line
    and headers (from connecting, or from the end of the previous response);
    ``body_timeout`` likewise for a POST body; ``idle_timeout``: seconds an idle
    keep-alive connection stays open. ``max_connections`` and
    ``max_connections_per_client`` cap open connections; a client is an IPv4 address or
    an IPv6 /64. ``isolate_workers``: run the query workers without network access
    where the system allows it.

    >>> ServerSettings().timeout, ServerSettings().header_timeout, ServerSettings().cors
    (5.0, 10.0, ())
    """

    timeout: float = DEFAULT_TIMEOUT
    max_rows: int = DEFAULT_MAX_ROWS
    workers: int = DEFAULT_WORKERS
    max_body: int = MAX_BODY
    cors: tuple[str, ...] = ()
    allow_hosts: tuple[str, ...] = ()
    header_timeout: float = DEFAULT_HEADER_TIMEOUT
    body_timeout: float = DEFAULT_HEADER_TIMEOUT
    idle_timeout: int = DEFAULT_IDLE_TIMEOUT
    max_connections: int = DEFAULT_MAX_CONNECTIONS
    max_connections_per_client: int = DEFAULT_MAX_PER_CLIENT
    isolate_workers: bool = True

