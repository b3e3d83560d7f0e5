"""Plain-text HTTP answers: every refusal and error of the server is one line of UTF-8
text ending with a newline, as a Starlette response (:func:`text_response`) or, for a
connection the HTTP parser has no request of, written straight to the socket
(:func:`raw_text_reply`).

>>> response = text_response(403, "refused")
>>> response.status_code, response.body, response.headers["content-type"]
(403, b'refused\\n', 'text/plain; charset=utf-8')
"""

from __future__ import annotations

import asyncio

from starlette.responses import Response

__all__ = ["PLAIN", "raw_text_reply", "text_response"]

PLAIN = "text/plain; charset=utf-8"


def _line(message: str) -> bytes:
    return (message.rstrip("\n") + "\n").encode()


def text_response(status: int, message: str,
                  headers: dict[str, str] | None = None) -> Response:
    """``message`` as a plain-text response with ``status`` (and extra ``headers``)."""
    return Response(_line(message), status, headers=headers, media_type=PLAIN)


def raw_text_reply(transport: asyncio.BaseTransport, status: int, reason: str,
                   message: str) -> None:
    """Write a whole plain-text response straight to the socket, then close it (for
    answers given outside any request: the HTTP parser has not seen one)."""
    body = _line(message)
    head = (f"HTTP/1.1 {status} {reason}\r\ncontent-type: {PLAIN}\r\n"
            f"content-length: {len(body)}\r\nconnection: close\r\n\r\n").encode()
    if isinstance(transport, asyncio.WriteTransport):
        transport.write(head + body)
    transport.close()
