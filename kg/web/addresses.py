"""Host names and IP addresses as the server reads them: a ``Host`` header or an
origin's authority (:func:`split_host`), an address with IPv4-mapped IPv6 unwrapped
(:func:`parse_ip`), the client a connection counts against (:func:`client_key`), and
whether a listening address is reachable from this machine only (:func:`is_loopback`).

>>> split_host("[::ffff:127.0.0.1]:8000"), parse_ip("::ffff:127.0.0.1")
(('::ffff:127.0.0.1', 8000), IPv4Address('127.0.0.1'))
"""

from __future__ import annotations

import ipaddress
import re

__all__ = ["client_key", "is_loopback", "parse_ip", "split_host"]

_LABEL = r"[a-z0-9_][a-z0-9_-]{0,62}"
_HOST_NAME = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(\.{_LABEL})*$")


def split_host(value: str) -> tuple[str, int | None] | None:
    """``host[:port]`` (a ``Host`` header, or an origin's authority) as (host, port);
    IPv6 addresses lose their brackets, names are lowercased. None when malformed.

    >>> split_host("LocalHost:8000"), split_host("[::1]:80"), split_host("10.0.0.1")
    (('localhost', 8000), ('::1', 80), ('10.0.0.1', None))
    >>> split_host("a b:1") is None, split_host("x:99999") is None, split_host("::1") is None
    (True, True, True)
    """
    value = value.strip().lower()
    if value.startswith("["):
        host, bracket, rest = value[1:].partition("]")
        if not bracket or parse_ip(host) is None or ":" not in host:
            return None
        if not rest:
            return host, None
        if not rest.startswith(":"):
            return None
        port_text = rest[1:]
    else:
        host, colon, port_text = value.partition(":")
        if not (_HOST_NAME.match(host) or parse_ip(host) is not None):
            return None
        if not colon:
            return host, None
    if not (port_text.isascii() and port_text.isdigit()) or not 0 < int(port_text) < 65536:
        return None
    return host, int(port_text)


def parse_ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """``text`` as an IP address (an IPv4-mapped IPv6 address as its IPv4 address);
    None when it is none.

    >>> parse_ip("10.0.0.1"), parse_ip("::1"), parse_ip("localhost")
    (IPv4Address('10.0.0.1'), IPv6Address('::1'), None)
    """
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def client_key(address: str | None) -> str:
    """Whose connection this is, for the per-client cap: an IPv4 address, or the /64
    network of an IPv6 address (one subscriber usually holds a whole /64).

    >>> client_key("10.0.0.7"), client_key("::ffff:10.0.0.7"), client_key("2001:db8::1:2")
    ('10.0.0.7', '10.0.0.7', '2001:db8::/64')
    """
    if address is None:
        return ""
    ip = parse_ip(address)
    if ip is None:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


def is_loopback(host: str) -> bool:
    """True when ``host`` is only reachable from this machine.

    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
