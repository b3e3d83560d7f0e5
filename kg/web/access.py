"""Who may ask: the ``Host`` check against DNS rebinding and the ``Origin`` / CORS policy
(:class:`AccessPolicy`), applied to every request by the ASGI middleware
:class:`AccessGate`.

>>> policy = AccessPolicy.from_options(cors=["https://tool.example"])
>>> policy.origin_listed("https://tool.example"), policy.host_allowed("evil.example:80", None)
(True, False)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kg.errors import KGError
from kg.web.addresses import parse_ip, split_host
from kg.web.plain import text_response

__all__ = ["AccessGate", "AccessPolicy", "normalize_origin"]

_DEFAULT_PORTS = {"http": 80, "https": 443}


def normalize_origin(text: str) -> str:
    """A web origin as browsers send it in ``Origin`` (``scheme://host[:port]``,
    lowercase, no default port); ``*`` stays ``*``. KGError when it is no origin.

    >>> normalize_origin("HTTP://LocalHost:80/"), normalize_origin("https://x.example:8443")
    ('http://localhost', 'https://x.example:8443')
    >>> normalize_origin("localhost:3000")
    Traceback (most recent call last):
    ...
    kg.errors.KGError: --cors 'localhost:3000' is not an origin: give scheme, host and \
optional port, as http://localhost:3000 (no path)
    """
    if text.strip() == "*":
        return "*"
    scheme, sep, rest = text.strip().partition("://")
    scheme = scheme.lower()
    authority = rest[:-1] if rest.endswith("/") else rest
    parts = split_host(authority) if sep and scheme in _DEFAULT_PORTS else None
    if parts is None or any(c in authority for c in "/?#@"):
        raise KGError(f"--cors {text!r} is not an origin: give scheme, host and optional "
                      "port, as http://localhost:3000 (no path)")
    host, port = parts
    shown = f"[{host}]" if ":" in host else host
    if port is None or port == _DEFAULT_PORTS[scheme]:
        return f"{scheme}://{shown}"
    return f"{scheme}://{shown}:{port}"


@dataclass(frozen=True)
class AccessPolicy:
    """Which ``Host`` headers and which web pages (``Origin``) the server answers.

    Host (against DNS rebinding: a page whose name starts resolving to this machine
    sends its own name as Host): accepted are the address the connection arrived on
    with the served port (for a loopback address also ``localhost``, ``127.0.0.1`` and
    ``[::1]``), and the ``--allow-host`` names (``NAME``: any port; ``NAME:PORT``:
    that port; ``*``: any Host at all). Origin: a request from a web page of another
    origin is refused unless ``--cors`` lists that origin (or ``*``); a listed origin
    gets CORS headers, and its preflights are answered.

    >>> policy = AccessPolicy.from_options(cors=["http://localhost:5173"],
    ...                                    allow_hosts=["kg.example", "box.lan:8080"])
    >>> arrived = ("127.0.0.1", 8000)
    >>> [policy.host_allowed(h, arrived) for h in ("localhost:8000", "[::1]:8000",
    ...     "127.0.0.1:9000", "evil.example:8000", "kg.example", "box.lan:8080", "box.lan")]
    [True, True, False, False, True, True, False]
    >>> policy.host_allowed("192.168.1.5:8000", ("192.168.1.5", 8000))
    True
    >>> policy.host_allowed("localhost:8000", ("192.168.1.5", 8000))
    False
    >>> [policy.origin_allowed(o, "127.0.0.1:8000") for o in ("http://127.0.0.1:8000",
    ...     "http://localhost:5173", "http://127.0.0.1:9000", "null")]
    [True, True, False, False]
    """

    origins: frozenset[str] = frozenset()
    any_origin: bool = False
    host_names: frozenset[str] = frozenset()  # any port
    host_ports: frozenset[tuple[str, int]] = frozenset()
    any_host: bool = False

    @classmethod
    def from_options(cls, cors: Sequence[str] = (),
                     allow_hosts: Sequence[str] = ()) -> AccessPolicy:
        """The policy of ``--cors`` and ``--allow-host`` values; KGError on a bad one."""
        origins = {normalize_origin(origin) for origin in cors}
        names: set[str] = set()
        ports: set[tuple[str, int]] = set()
        any_host = False
        for value in allow_hosts:
            if value.strip() == "*":
                any_host = True
                continue
            parts = split_host(value)
            if parts is None:
                raise KGError(f"--allow-host {value!r} is not a host name: give NAME or "
                              "NAME:PORT, as kg.example.org or kg.example.org:8080 "
                              "(no scheme, no path)")
            host, port = parts
            if port is None:
                names.add(host)
            else:
                ports.add((host, port))
        return cls(frozenset(origins - {"*"}), "*" in origins, frozenset(names),
                   frozenset(ports), any_host)

    def host_allowed(self, host: str | None, arrived: tuple[str, int] | None) -> bool:
        """Whether a request with this ``Host`` header, arrived on the local address
        ``arrived`` (address, port), is meant for this server."""
        if self.any_host:
            return True
        parts = split_host(host) if host is not None else None
        if parts is None:
            return False
        name, port = parts
        if name in self.host_names or (name, port) in self.host_ports:
            return True
        if arrived is None:
            return False
        local = parse_ip(arrived[0])
        if (port or 80) != arrived[1] or local is None:
            return False
        if local.is_loopback and (name == "localhost" or ((ip := parse_ip(name)) is not None
                                                          and ip.is_loopback)):
            return True
        return parse_ip(name) == local

    def origin_listed(self, origin: str) -> bool:
        """Whether ``--cors`` lets pages of ``origin`` read answers."""
        return self.any_origin or origin in self.origins

    def origin_allowed(self, origin: str, host: str | None) -> bool:
        """Whether a request sent by a page of ``origin`` to ``host`` is answered: the
        page is this server's own (same host and port) or its origin is listed."""
        if self.origin_listed(origin):
            return True
        scheme, sep, authority = origin.partition("://")
        if not sep or scheme not in _DEFAULT_PORTS or host is None:
            return False
        mine, theirs = split_host(host), split_host(authority)
        if mine is None or theirs is None or mine[0] != theirs[0]:
            return False
        # A Host without a port means the default port of the client's scheme (a TLS
        # proxy in front gives "https://name" and "Host: name").
        theirs_port = theirs[1] or _DEFAULT_PORTS[scheme]
        return theirs_port == _DEFAULT_PORTS[scheme] if mine[1] is None else \
            theirs_port == mine[1]


_CORS_METHODS = "GET, POST"
_CORS_HEADERS = "Accept, Content-Type"


class AccessGate:
    """ASGI middleware in front of every route: refuse a request whose ``Host`` is not
    this server (421) or that a web page of another origin sent (403), unless
    ``--cors`` lists that origin; add CORS headers and answer preflights for listed
    origins only. Fetch Metadata (``Sec-Fetch-Site``) also catches cross-site requests
    that carry no ``Origin`` (an ``<img src>``), except plain link navigations."""

    def __init__(self, app: ASGIApp, policy: AccessPolicy) -> None:
        self.app = app
        self.policy = policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        host = headers.get("host")
        if not self.policy.host_allowed(host, scope.get("server")):
            shown = "none" if host is None else repr(host[:100])
            await text_response(421, f"the Host header ({shown}) does not name this server, "
                                     "which refuses other names against DNS rebinding: start "
                                     "kg serve with --allow-host NAME to serve under that "
                                     "name")(scope, receive, send)
            return
        origin = headers.get("origin")
        listed = origin is not None and self.policy.origin_listed(origin)
        refusal = self._refusal(scope["method"], headers, origin, host, listed)
        if refusal is not None:
            await text_response(403, refusal)(scope, receive, send)
            return
        if origin is not None and listed:
            allow = "*" if self.policy.any_origin else origin
            if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
                preflight = {"Access-Control-Allow-Origin": allow,
                             "Access-Control-Allow-Methods": _CORS_METHODS,
                             "Access-Control-Allow-Headers": _CORS_HEADERS,
                             "Access-Control-Max-Age": "600", "Vary": "Origin"}
                if headers.get("access-control-request-private-network") == "true":
                    preflight["Access-Control-Allow-Private-Network"] = "true"
                await Response(status_code=204, headers=preflight)(scope, receive, send)
                return

            async def with_cors(message: Message) -> None:
                if message["type"] == "http.response.start":
                    response_headers = MutableHeaders(scope=message)
                    response_headers["Access-Control-Allow-Origin"] = allow
                    response_headers.add_vary_header("Origin")
                await send(message)

            await self.app(scope, receive, with_cors)
            return
        await self.app(scope, receive, send)

    def _refusal(self, method: str, headers: Headers, origin: str | None, host: str | None,
                 listed: bool) -> str | None:
        if listed:
            return None
        if origin is not None and not self.policy.origin_allowed(origin, host):
            return (f"requests from web pages of {origin[:100]!r} are refused: start kg "
                    f"serve with --cors ORIGIN to let pages of ORIGIN use this endpoint")
        site = headers.get("sec-fetch-site")
        navigation = headers.get("sec-fetch-mode") == "navigate" and method in ("GET", "HEAD")
        if site in ("cross-site", "same-site") and not navigation:
            return ("requests from web pages of other sites are refused: start kg serve "
                    "with --cors ORIGIN to let pages of ORIGIN use this endpoint")
        return None
