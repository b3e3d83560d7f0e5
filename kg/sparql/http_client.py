"""HTTP to a remote store: the client, its time limits, and failures in words.

Every request waits at most ``timeout`` seconds to connect and for each read; a server
that accepts and never answers is one :class:`~kg.errors.RemoteError`, not a hang.
Redirects are not followed. A failure names what went wrong (:func:`reason`) or the
status and the first line of the server's answer (:func:`status`), never a password.

>>> with session(None, DEFAULT_TIMEOUT) as http:
...     http.timeout.read
60.0
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import httpx

from kg.errors import KGError
from kg.sparql.http_auth import Credentials, redact

__all__ = ["DEFAULT_TIMEOUT", "check_url", "first_line", "reason", "session", "status"]

DEFAULT_TIMEOUT = 60.0


def check_url(url: str, what: str) -> None:
    """Raise KGError unless ``url`` is an http(s) URL with a host; ``what`` names it.

    >>> check_url("ftp://example.org/x", "endpoint")
    Traceback (most recent call last):
    ...
    kg.errors.KGError: endpoint 'ftp://example.org/x' is not an http(s) URL
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise KGError(f"{what} {redact(url)!r} is not an http(s) URL")


@contextmanager
def session(client: httpx.Client | None, timeout: float) -> Iterator[httpx.Client]:
    """``client`` when given (left open), else a new client closed on leaving."""
    if client is not None:
        yield client
        return
    with httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=False) as own:
        yield own


def reason(exc: httpx.HTTPError, timeout: float = DEFAULT_TIMEOUT) -> str:
    """Why a request failed, in words.

    >>> reason(httpx.ConnectError("[Errno 111] Connection refused"))
    'connection refused or host unreachable (is the server running?)'
    """
    if isinstance(exc, httpx.ConnectTimeout):
        return f"no connection within {timeout:g} s (is the host reachable?)"
    if isinstance(exc, httpx.ReadTimeout):
        return (f"no answer within {timeout:g} s (the server accepted the connection but "
                "did not answer; give --timeout SECONDS to wait longer)")
    if isinstance(exc, httpx.WriteTimeout):
        return f"could not send the request within {timeout:g} s"
    if isinstance(exc, httpx.ConnectError):
        return "connection refused or host unreachable (is the server running?)"
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out after {timeout:g} s"
    return " ".join(str(exc).split()) or type(exc).__name__


def first_line(response: httpx.Response) -> str:
    """The first line of an answer's text; of an HTML page, its text without markup.

    >>> first_line(httpx.Response(403, html="<!DOCTYPE HTML>\\n<html><head><title>Request "
    ...     "failed</title></head><body><h1>Forbidden</h1></body></html>"))
    'Request failed Forbidden'
    """
    text = response.text
    if "html" in response.headers.get("content-type", "") or \
            text.lstrip()[:15].lower().startswith(("<!doctype html", "<html")):
        text = re.sub(r"(?is)<!doctype[^>]*>|<(script|style)\b.*?</\1>|<[^>]+>", " ", text)
        text = " ".join(text.split())
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def status(response: httpx.Response, credentials: Credentials | None = None) -> str:
    """A refusal in words: the status, a hint when credentials are wanted or were refused,
    and the first line of the answer (the password, if it shows, masked).

    >>> status(httpx.Response(401, text="Unauthorized"))  # doctest: +ELLIPSIS
    '401 Unauthorized (the server asks for credentials: give --user NAME, ...): Unauthorized'
    """
    first = first_line(response)
    detail = f": {first[:300]}" if first else ""
    hint = ""
    if response.status_code == 401:
        hint = (f" (user {credentials.user!r} and its password were refused)"
                if credentials is not None else
                " (the server asks for credentials: give --user NAME, user:password@ in "
                "the URL, or a ~/.netrc entry)")
    message = f"{response.status_code} {response.reason_phrase}{hint}{detail}"
    if credentials is not None and credentials.password:
        message = message.replace(credentials.password, "***")
    return message
