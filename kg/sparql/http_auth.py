"""Credentials for a remote store, sent only when it asks, and never printed.

Credentials (:func:`find_credentials`) come from ``--user NAME[:PASSWORD]`` (the
password else from ``$KG_PASSWORD``), the URL (``http://user:pass@host/...``) or a
netrc file (``$NETRC``, else ``~/.netrc``). They are sent only when the server asks
(HTTP 401, :class:`ChallengeAuth`): HTTP Digest if its challenge offers Digest, else
Basic. Messages show a URL through :func:`redact`.

>>> redact("http://dba:dba@localhost:8890/sparql-graph-crud-auth")
'http://dba:***@localhost:8890/sparql-graph-crud-auth'
"""

from __future__ import annotations

import netrc
import os
from collections.abc import Generator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

import httpx

from kg.errors import KGError

__all__ = ["PASSWORD_VARIABLE", "ChallengeAuth", "Credentials", "auth_for", "bare",
           "find_credentials", "redact"]

#: The environment variable holding the password of ``--user NAME``.
PASSWORD_VARIABLE = "KG_PASSWORD"

#: Query-string parameters that carry a secret (QLever takes its token as access-token=).
_SECRET_PARAMETERS = ("access-token", "access_token", "token", "password")


def redact(url: str) -> str:
    """``url`` without its password or access token, for messages.

    >>> redact("http://admin:secret@localhost:7200/repositories/kg")
    'http://admin:***@localhost:7200/repositories/kg'
    >>> redact("http://localhost:7001/?access-token=s3cret&graph=x")
    'http://localhost:7001/?access-token=***&graph=x'
    """
    parts = urlsplit(url)
    if parts.password is not None:
        host = parts.netloc.rpartition("@")[2]
        parts = parts._replace(netloc=f"{parts.username}:***@{host}")
    if parts.query:
        fields = [field.partition("=") for field in parts.query.split("&")]
        parts = parts._replace(query="&".join(
            f"{name}{eq}{'***' if eq and unquote(name).lower() in _SECRET_PARAMETERS else value}"
            for name, eq, value in fields))
    return urlunsplit(parts)


def bare(url: str) -> str:
    """``url`` without user and password (they are sent only when the server asks).

    >>> bare("http://dba:dba@127.0.0.1:8890/sparql?x=1")
    'http://127.0.0.1:8890/sparql?x=1'
    """
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


@dataclass(frozen=True)
class Credentials:
    """A user name and password for a store, and where they came from (never the password).

    >>> Credentials("dba", "secret", "the URL")
    Credentials(user='dba', origin='the URL')
    """

    user: str
    password: str = field(repr=False)
    origin: str


def find_credentials(url: str, user: str | None = None, *,
                     environ: Mapping[str, str] | None = None) -> Credentials | None:
    """The credentials for ``url``: from ``user`` (``NAME[:PASSWORD]``, the password
    else from ``$KG_PASSWORD``), else the URL's ``user:password@``, else the netrc file
    (``$NETRC``, else ``~/.netrc``) entry of the URL's host; None when there are none.

    >>> find_credentials("http://dba:s%40cret@localhost:8890/sparql-graph-crud-auth")
    Credentials(user='dba', origin='the URL')
    >>> find_credentials("http://localhost:8890/sparql", "dba:dba").password
    'dba'
    >>> find_credentials("http://localhost/sparql", "dba", environ={"KG_PASSWORD": "x"})
    Credentials(user='dba', origin='--user and $KG_PASSWORD')
    >>> find_credentials("http://localhost/sparql", "dba", environ={})
    Traceback (most recent call last):
    ...
    kg.errors.KGError: no password for user 'dba': give --user dba:PASSWORD or set KG_PASSWORD
    """
    env = os.environ if environ is None else environ
    if user is not None:
        name, colon, password = user.partition(":")
        if not name:
            raise KGError("--user needs a user name: --user NAME[:PASSWORD]")
        if colon:
            return Credentials(name, password, "--user")
        if PASSWORD_VARIABLE in env:
            return Credentials(name, env[PASSWORD_VARIABLE], f"--user and ${PASSWORD_VARIABLE}")
        raise KGError(f"no password for user {name!r}: give --user {name}:PASSWORD or set "
                      f"{PASSWORD_VARIABLE}")
    parts = urlsplit(url)
    if parts.username is not None:
        return Credentials(unquote(parts.username), unquote(parts.password or ""), "the URL")
    return _netrc_credentials(parts.hostname or "", env)


def _netrc_credentials(host: str, env: Mapping[str, str]) -> Credentials | None:
    path = Path(env["NETRC"]) if env.get("NETRC") else Path.home() / ".netrc"
    if not path.is_file():
        return None
    try:
        entry = netrc.netrc(str(path)).authenticators(host)
    except netrc.NetrcParseError as exc:
        raise KGError(f"{path}:{exc.lineno}: {exc.msg}") from None
    except OSError as exc:
        raise KGError(f"cannot read the netrc file {path}: {exc.strerror}") from None
    if entry is None:
        return None
    login, _account, password = entry
    return Credentials(login, password or "", str(path))


class ChallengeAuth(httpx.Auth):
    """Send credentials only when the server asks (401): Digest when its challenge offers
    Digest, else Basic (also when a 401 names no scheme). Once a scheme is known, later
    requests carry it at once (Digest from the cached challenge, answering a stale nonce
    by itself).

    >>> ChallengeAuth(Credentials("dba", "dba", "--user")).scheme is None
    True
    """

    def __init__(self, credentials: Credentials):
        self.credentials = credentials
        self.scheme: str | None = None  # "digest" or "basic" once a challenge was seen
        self._digest = httpx.DigestAuth(credentials.user, credentials.password)
        self._basic = httpx.BasicAuth(credentials.user, credentials.password)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response,
                                                             None]:
        if self.scheme == "digest":
            yield from self._digest.auth_flow(request)
            return
        if self.scheme == "basic":
            yield from self._basic.auth_flow(request)
            return
        response = yield request
        offered = {h.split(None, 1)[0].lower() for h in
                   response.headers.get_list("www-authenticate") if h.strip()}
        if response.status_code != 401 or (offered and not {"digest", "basic"} & offered):
            return  # not asked, or asked for a scheme kg does not speak (Bearer, Negotiate)
        # A 401 with no challenge at all (some servers send none) gets Basic.
        self.scheme = "digest" if "digest" in offered else "basic"
        if self.scheme == "basic":
            yield from self._basic.auth_flow(request)
            return
        flow = self._digest.auth_flow(request)
        next(flow)  # the request as first sent: answered by the 401 in hand
        try:
            retry = flow.send(response)
        except StopIteration:  # pragma: no cover - the 401 offered Digest
            return
        yield retry


def auth_for(credentials: Credentials | None) -> httpx.Auth:
    """The ``auth`` of every request: answers a challenge when there are credentials.

    >>> type(auth_for(None)).__name__, type(auth_for(Credentials("a", "b", "--user"))).__name__
    ('Auth', 'ChallengeAuth')
    """
    return ChallengeAuth(credentials) if credentials is not None else httpx.Auth()
