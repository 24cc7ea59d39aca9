"""Fetching articles for the service without becoming a way into the newsroom's network.

A URL is fetched only when its host is on the allow-list (a listed domain or
one of its subdomains), and only from an address on the public internet: the
host name is resolved once, every address it resolves to is checked (no
private, loopback, link-local, multicast or reserved address), and the
connection goes to the checked address itself, so a second DNS answer cannot
swap in another one. Redirects are followed only to hosts that pass the same
checks, and only over http and https.

``install(policy)`` makes this the way every ``urllib`` fetch of the process
goes (``briefing.ingest`` reads URLs with urllib): a worker process fetches
nothing else.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

_MAX_REDIRECTS = 5


class BlockedURL(urllib.error.URLError):
    """A URL the policy refuses; a job that meets one fails at once, without retries."""


@dataclass(frozen=True)
class FetchPolicy:
    """Which hosts may be fetched. ``allow_loopback`` exists for tests, whose
    article servers all listen on 127.0.0.1; a newsroom never sets it."""

    domains: frozenset[str]
    allow_loopback: bool = False

    def check_url(self, url: str) -> str:
        """The URL's host if its scheme and host are allowed; BlockedURL otherwise."""
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".").lower()
        if parts.scheme not in ("http", "https") or not host:
            raise BlockedURL(f"{url} is not an http or https address")
        if not self.allows_host(host):
            raise BlockedURL(f"{host} is not on the service's list of article domains")
        return host

    def allows_host(self, host: str) -> bool:
        return any(host == domain or host.endswith(f".{domain}") for domain in self.domains)

    def check_address(self, host: str, address: str) -> None:
        ip = ipaddress.ip_address(address.split("%")[0])
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        if ip.is_loopback and self.allow_loopback:
            return
        if not ip.is_global or ip.is_multicast:
            raise BlockedURL(f"{host} resolves to {ip}, which is not a public address")

    def resolve(self, host: str, port: int) -> list[tuple[Any, ...]]:
        """Every address of ``host``, all checked: one bad address refuses the host
        (a name that also points inside the network is not an article site)."""
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise urllib.error.URLError(f"{host} cannot be resolved ({exc.strerror})") from exc
        for info in infos:
            self.check_address(host, str(info[4][0]))
        return infos


def canonical_url(url: str) -> str:
    """One spelling per article: scheme and host in lower case, no default port, no
    ``#fragment`` (the server never sees it), so ``/listen`` calls from the same page
    find the same briefing."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").rstrip(".").lower()
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    port = f":{parts.port}" if parts.port and parts.port != default else ""
    userinfo = parts.netloc.rpartition("@")[0]
    netloc = f"{userinfo}@{host}{port}" if userinfo else f"{host}{port}"
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, ""))


def normalise_domain(domain: str) -> str:
    """``https://News.Example.com/`` or ``news.example.com`` → ``news.example.com``."""
    text = domain.strip().lower()
    host = urlsplit(text).hostname if "://" in text else text.split("/")[0]
    return (host or "").rstrip(".")


def _pinned_connection(policy: FetchPolicy) -> Any:
    """socket.create_connection, but only to the addresses the policy checked."""

    def create_connection(
        address: tuple[str, int], timeout: Any = None, source_address: Any = None
    ) -> socket.socket:
        host, port = address
        last_error: OSError | None = None
        for family, kind, proto, _name, sockaddr in policy.resolve(host, port):
            sock = socket.socket(family, kind, proto)
            try:
                if timeout is not None and timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:  # type: ignore[attr-defined]
                    sock.settimeout(timeout)
                sock.connect(sockaddr)
                return sock
            except OSError as exc:
                sock.close()
                last_error = exc
        raise last_error or OSError(f"cannot connect to {host}")

    return create_connection


def _connection_class(base: type[http.client.HTTPConnection], policy: FetchPolicy) -> Any:
    class Guarded(base):  # type: ignore[valid-type, misc]
        def __init__(self, host: str, *args: Any, **kwargs: Any) -> None:
            super().__init__(host, *args, **kwargs)
            self._create_connection = _pinned_connection(policy)

    return Guarded


class _GuardedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, policy: FetchPolicy) -> None:
        super().__init__()
        self.policy = policy

    def http_open(self, req: urllib.request.Request) -> Any:
        self.policy.check_url(req.full_url)
        return self.do_open(_connection_class(http.client.HTTPConnection, self.policy), req)


class _GuardedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, policy: FetchPolicy) -> None:
        super().__init__()
        self.policy = policy

    def https_open(self, req: urllib.request.Request) -> Any:
        self.policy.check_url(req.full_url)
        return self.do_open(
            _connection_class(http.client.HTTPSConnection, self.policy),
            req,
            context=self._context,  # type: ignore[attr-defined]
        )


class _GuardedRedirectHandler(urllib.request.HTTPRedirectHandler):
    max_redirections = _MAX_REDIRECTS

    def __init__(self, policy: FetchPolicy) -> None:
        super().__init__()
        self.policy = policy

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        try:
            self.policy.check_url(newurl)
        except BlockedURL as exc:
            raise BlockedURL(f"{req.full_url} redirects to {newurl}: {exc.reason}") from exc
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def opener(policy: FetchPolicy) -> urllib.request.OpenerDirector:
    """An opener with only guarded http(s), redirects and error handling: no
    file:, ftp: or data: handlers, no proxy taken from the environment."""
    director = urllib.request.OpenerDirector()
    for handler in (
        _GuardedHTTPHandler(policy),
        _GuardedHTTPSHandler(policy),
        _GuardedRedirectHandler(policy),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        director.add_handler(handler)
    return director


def install(policy: FetchPolicy) -> None:
    """Every urllib fetch of this process goes through ``policy`` from now on."""
    urllib.request.install_opener(opener(policy))
