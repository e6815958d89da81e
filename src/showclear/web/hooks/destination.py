"""Where a webhook may send: one parser for its URL, used when it is added and at every
delivery, and which network addresses a delivery may reach.

**One parser.** A URL is read by :func:`parse` and nothing else, both by ``webhook add`` (the
API and the CLI) and by the sender, so a URL that was accepted can always be sent to: a URL
with ``user:password@`` and no port was once accepted by one parser and crashed every delivery
round in another. A URL carries no user name or password (a receiver checks the signature
instead), no fragment, no spaces or control characters, and is ASCII (a non-ASCII host name in
its ``xn--`` form).

**Public addresses only, unless allowed.** A webhook is an outbound request made by the server
on behalf of whoever added it: pointed at ``127.0.0.1``, the router, a metadata service at
``169.254.169.254`` or a machine of the studio's LAN, it would let them probe and poke what
only the server can reach. So a delivery goes only to public addresses: the host is resolved
*at delivery time* (a name that resolved to a public address when the hook was added may
resolve to a private one later: DNS rebinding), every address it resolves to must be public,
and the connection is made to the address that was checked, never resolved again. A studio
whose safety office is on its own LAN names those hosts (or networks) in
``SHOWCLEAR_WEBHOOK_ALLOW_HOSTS`` (``docs/operations.md``).
"""

from __future__ import annotations

import ipaddress
import os
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

LONGEST_URL = 500
ALLOW_SETTING = "SHOWCLEAR_WEBHOOK_ALLOW_HOSTS"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class Unusable(ValueError):
    """A URL or an address a webhook may not use; the message says why, in words of our own
    (never what a remote host answered)."""


@dataclass(frozen=True)
class Destination:
    """A webhook URL, read: where to connect and what to ask for."""

    scheme: str
    host: str
    """The host name (lower case, ASCII) or IP address (without brackets)."""
    port: int
    target: str
    """The path and query sent in the request line."""

    @property
    def literal(self) -> IPAddress | None:
        """The host as an IP address, when it is one."""
        try:
            return ipaddress.ip_address(self.host)
        except ValueError:
            return None


def parse(url: str) -> Destination:
    """``url`` read as a webhook's destination, or :class:`Unusable` saying why not."""
    if len(url) > LONGEST_URL:
        raise Unusable(f"a webhook URL is at most {LONGEST_URL} characters")
    if not url.isascii() or any(c.isspace() or not c.isprintable() for c in url):
        raise Unusable(
            "a webhook URL is ASCII with no spaces or control characters "
            "(percent-encode the rest; a host name in its xn-- form)"
        )
    try:
        parts = urlsplit(url)
    except ValueError as error:  # "Invalid IPv6 URL": a bracket without its pair
        raise Unusable(f"{url!r} is not an http:// or https:// URL") from error
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise Unusable(f"{url!r} is not an http:// or https:// URL")
    if "@" in parts.netloc:
        raise Unusable(
            "a webhook URL carries no user name or password (user:password@): the receiver "
            "checks each delivery's signature instead"
        )
    if parts.fragment or url.endswith("#"):
        raise Unusable("a webhook URL has no #fragment (it is never sent)")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise Unusable(f"{url!r} names no host")
    try:
        port = parts.port
    except ValueError as error:
        raise Unusable("a webhook URL's port is a number from 1 to 65535") from error
    if port == 0:
        raise Unusable("a webhook URL's port is a number from 1 to 65535")
    if ":" in host:
        try:
            ipaddress.IPv6Address(host)
        except ValueError as error:
            raise Unusable(f"{host!r} is not an IPv6 address") from error
    elif not all(label and len(label) <= 63 for label in host.split(".")) or any(
        not (c.isalnum() or c in "-_.") for c in host
    ):
        raise Unusable(f"{host!r} is not a host name")
    scheme = parts.scheme.lower()
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Destination(scheme, host, port or (443 if scheme == "https" else 80), target)


def is_public(address: IPAddress) -> bool:
    """Whether ``address`` is on the public internet (not loopback, private, link-local,
    shared, reserved, multicast or unspecified; an IPv4 address inside IPv6 is judged as IPv4)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


@dataclass(frozen=True)
class Allowed:
    """The hosts and networks a webhook may reach although they are not public."""

    names: frozenset[str] = frozenset()
    networks: tuple[Network, ...] = ()

    @classmethod
    def from_environment(cls) -> Allowed:
        """``SHOWCLEAR_WEBHOOK_ALLOW_HOSTS``: host names, IP addresses and networks (CIDR),
        separated by commas or spaces. Empty (the default): public addresses only."""
        names: set[str] = set()
        networks: list[Network] = []
        for item in os.environ.get(ALLOW_SETTING, "").replace(",", " ").split():
            try:
                networks.append(ipaddress.ip_network(item.strip("[]"), strict=False))
            except ValueError:
                names.add(item.lower().rstrip("."))
        return cls(frozenset(names), tuple(networks))

    def permits(self, host: str, address: IPAddress) -> bool:
        """Whether a delivery to ``host`` may connect to ``address``."""
        return is_public(address) or host in self.names or any(address in n for n in self.networks)


NOT_PUBLIC = (
    "its address is not public (loopback, private or link-local); a studio's own hosts are "
    f"allowed by name in {ALLOW_SETTING}"
)


def check_named(destination: Destination, allowed: Allowed) -> None:
    """When a hook is added: refuse a host that is plainly not public (an IP address outside
    the public internet, ``localhost``) unless allowed. A name is resolved at each delivery."""
    literal = destination.literal
    host = destination.host
    if literal is not None:
        if not allowed.permits(host, literal):
            raise Unusable(f"{host} cannot receive webhooks: {NOT_PUBLIC}")
    elif (host == "localhost" or host.endswith(".localhost")) and host not in allowed.names:
        raise Unusable(f"{host} cannot receive webhooks: {NOT_PUBLIC}")


def resolve(destination: Destination, allowed: Allowed) -> list[str]:
    """The addresses to connect to for ``destination``, now, every one checked; or
    :class:`Unusable` (any address not permitted refuses them all) or ``socket.gaierror``."""
    found = socket.getaddrinfo(
        destination.host, destination.port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
    )
    addresses = list(dict.fromkeys(str(sockaddr[0]) for *_, sockaddr in found))
    if not addresses:
        raise socket.gaierror("no address")
    for address in addresses:
        if not allowed.permits(destination.host, ipaddress.ip_address(address.split("%")[0])):
            raise Unusable(f"not sent: {NOT_PUBLIC}")
    return addresses
