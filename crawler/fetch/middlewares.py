"""Downloader middlewares: the network guard, conditional GET, retries with back-off, shared robots.txt."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import random
import socket
import time
from collections.abc import Iterable, Sequence
from email.utils import parsedate_to_datetime
from typing import Any, ClassVar, Self
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import CannotResolveHostError, IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.resolver import CachingThreadedResolver
from scrapy.utils.misc import load_object
from twisted.internet.defer import Deferred
from twisted.internet.error import DNSLookupError

log = logging.getLogger(__name__)

ALLOWED_SCHEMES = ("http", "https")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_RESOLUTION_TTL = 300.0


class BlockedAddress(IgnoreRequest):
    """A request refused by the network guard; the message says why."""


class PrivateAddressError(DNSLookupError):
    """A host name that resolved to an address the guard refuses, caught at connection time."""


# IPv6 forms that carry an IPv4 address in their last 32 bits, which is where the packets go:
# IPv4-compatible (::a.b.c.d, deprecated), IPv4-translated (SIIT) and NAT64's well-known prefix.
_CARRIES_IPV4 = tuple(
    ipaddress.IPv6Network(n) for n in ("::/96", "::ffff:0:0:0/96", "64:ff9b::/96")
)
# NAT64 prefixes of a local network (RFC 8215): where its IPv4 sits is the operator's choice.
_LOCAL_NAT64 = ipaddress.IPv6Network("64:ff9b:1::/48")


def embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address leads to: IPv4-mapped, IPv4-compatible, IPv4-translated,
    NAT64, 6to4, and Teredo's server and client."""
    found = []
    if ip.ipv4_mapped is not None:
        found.append(ip.ipv4_mapped)
    if any(ip in network for network in _CARRIES_IPV4):
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    if ip.sixtofour is not None:
        found.append(ip.sixtofour)
    if ip.teredo is not None:
        found.extend(ip.teredo)
    return found


def is_public(address: str) -> bool:
    """A globally routable unicast address: not private, loopback, link-local, shared (CGNAT),
    reserved, documentation or multicast, nor an IPv6 address that leads to one of those."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:  # the IPv4 address itself, in IPv6 spelling
            return _routable(ip.ipv4_mapped)
        if ip in _LOCAL_NAT64:
            return False
        return _routable(ip) and all(_routable(inner) for inner in embedded_ipv4(ip))
    return _routable(ip)


def _routable(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return ip.is_global and not ip.is_multicast


_resolved: dict[str, tuple[float, list[str]]] = {}


async def resolve(host: str) -> list[str]:
    """The addresses of a host (an IP literal is its own), cached for a few minutes."""
    try:
        ipaddress.ip_address(host)
        return [host]
    except ValueError:
        pass
    cached = _resolved.get(host)
    now = time.monotonic()
    if cached and cached[0] > now:
        return cached[1]
    infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    addresses = sorted({str(info[4][0]) for info in infos})
    if len(_resolved) > 10_000:
        _resolved.clear()
    _resolved[host] = (now + _RESOLUTION_TTL, addresses)
    return addresses


class NetworkGuard:
    """The policy: web schemes only, and no private, loopback or link-local address unless allowed.

    `allowed_hosts` lists "host" or "host:port" entries trusted although they resolve privately
    (an RSS bridge on localhost, an intranet feed); any other private address stays refused.
    """

    def __init__(self, allow_private: bool, allowed_hosts: Iterable[str] = ()) -> None:
        self.allow_private = allow_private
        self.allowed = {h.strip().lower() for h in allowed_hosts if h.strip()}

    @classmethod
    def from_settings(cls, settings: Any) -> NetworkGuard:
        return cls(
            settings.getbool("RAQIB_ALLOW_PRIVATE_NETWORKS"),
            settings.getlist("RAQIB_ALLOW_PRIVATE_HOSTS"),
        )

    def trusts(self, host: str, port: int | None = None) -> bool:
        """Whether a private address is allowed for this host (and port, when given).

        Without a port (as the resolver asks), a host listed with any port is trusted: the
        middleware, which knows the port, has already refused the other ports.
        """
        host = host.lower().strip("[]")
        if self.allow_private or host in self.allowed:
            return True
        if port is not None:
            return f"{host}:{port}" in self.allowed
        return any(entry.rpartition(":")[0] == host for entry in self.allowed)

    def refusal(self, url: str, host: str, addresses: Sequence[str]) -> str | None:
        blocked = [a for a in addresses if not is_public(a)]
        if not blocked:
            return None
        return (
            f"refused {url}: {host} resolves to a private, loopback or link-local address "
            f"({', '.join(blocked)}); set crawler.allow_private_networks, or list the host in "
            f"crawler.allow_private_hosts, to allow it"
        )


class NetworkGuardMiddleware:
    """Refuses other schemes always, and private, loopback and link-local addresses unless allowed.

    Every request passes here, redirects and robots.txt included, so a feed cannot lead the
    crawler inside. The resolver below checks again when connecting, so a name that resolves
    to a public address here and a private one a moment later is still refused.
    """

    def __init__(self, guard: NetworkGuard) -> None:
        self.guard = guard

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(NetworkGuard.from_settings(crawler.settings))

    async def process_request(self, request: Request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme not in ALLOWED_SCHEMES:
            raise BlockedAddress(f"refused {request.url}: scheme {parts.scheme!r} is not allowed")
        host = parts.hostname or ""
        if not host:
            raise BlockedAddress(f"refused {request.url}: no host")
        port = parts.port or _DEFAULT_PORTS[parts.scheme]
        if self.guard.trusts(host, port):
            return
        try:
            addresses = await resolve(host)
        except OSError as exc:
            raise IgnoreRequest(f"cannot resolve {host!r}: {exc}") from exc
        refusal = self.guard.refusal(request.url, host, addresses)
        if refusal:
            raise BlockedAddress(refusal)


class GuardedResolver(CachingThreadedResolver):
    """Scrapy's caching resolver, refusing at connection time what the guard refuses.

    Installed on the reactor by `crawler.fetch.runner.install_resolver`.
    """

    guard = NetworkGuard(False)
    # Twisted reports any failed lookup as "no results": the reason is kept here for the health.
    refused: ClassVar[dict[str, str]] = {}

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> Deferred[str]:
        deferred = super().getHostByName(name, timeout)
        if self.guard.trusts(name):
            return deferred

        def vet(address: str) -> str:
            refusal = self.guard.refusal(f"a connection to {name}", name, [address])
            if refusal:
                if len(GuardedResolver.refused) > 1000:
                    GuardedResolver.refused.clear()
                GuardedResolver.refused[name.lower()] = refusal
                raise PrivateAddressError(refusal)
            return address

        return deferred.addCallback(vet)


def refusal_of(request: Request, error: BaseException) -> str | None:
    """The guard's reason, when it was the guard that stopped this request."""
    if isinstance(error, BlockedAddress):
        return str(error)
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, PrivateAddressError):
            return str(cause)
        cause = cause.__cause__ or cause.__context__
    if isinstance(error, CannotResolveHostError):
        return GuardedResolver.refused.get((urlsplit(request.url).hostname or "").lower())
    return None


class ConditionalGetMiddleware:
    """Adds If-None-Match / If-Modified-Since to feed requests from the validators in Redis."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("RAQIB_CONDITIONAL_GET", True):
            raise NotConfigured("conditional GET switched off")
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        if not request.meta.get("raqib_feed"):
            return
        validators = request.meta.get("raqib_validators")
        if validators is None:  # the spider loads a whole batch's at once; else ask Redis
            spider = self.crawler.spider
            source = request.meta["source"]
            validators = spider.context.feeds.validators(source.name)  # type: ignore[union-attr]
            request.meta["raqib_validators"] = validators
        etag, modified, _ = validators
        if etag:
            request.headers.setdefault(b"If-None-Match", etag.encode("latin-1"))
        if modified:
            request.headers.setdefault(b"If-Modified-Since", modified.encode("latin-1"))


def retry_after_seconds(value: bytes | str | None, now: float | None = None) -> float | None:
    """A Retry-After header (seconds, or an HTTP date) as seconds from now; None if absent or bad."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class BackoffRetryMiddleware:
    """Scrapy's retries, spaced out: exponential back-off with jitter, and Retry-After honoured.

    Takes Scrapy's RETRY_* settings. A Retry-After longer than RAQIB_RETRY_AFTER_MAX is not
    waited for within the crawl: the response goes on to the spider, which rests the whole
    source for that long. A refusal by the network guard is never retried.
    """

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not settings.getbool("RETRY_ENABLED"):
            raise NotConfigured("retries switched off")
        self.crawler = crawler
        self.max_retries = settings.getint("RETRY_TIMES")
        self.http_codes = {int(code) for code in settings.getlist("RETRY_HTTP_CODES")}
        self.exceptions = tuple(
            load_object(e) if isinstance(e, str) else e
            for e in settings.getlist("RETRY_EXCEPTIONS")
        )
        self.base = settings.getfloat("RAQIB_RETRY_BACKOFF", 1.0)
        self.retry_after_max = settings.getfloat("RAQIB_RETRY_AFTER_MAX", 30.0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        wait = request.meta.get("raqib_retry_at", 0.0) - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)

    def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry") or response.status not in self.http_codes:
            return response
        after = retry_after_seconds(response.headers.get(b"Retry-After"))
        if after is not None and after > self.retry_after_max:
            return response
        return self._retry(request, f"HTTP {response.status}", after) or response

    def process_exception(self, request: Request, exception: Exception) -> Request | None:
        if request.meta.get("dont_retry") or refusal_of(request, exception):
            return None
        if not isinstance(exception, self.exceptions):
            return None
        return self._retry(request, exception, None)

    def _retry(
        self, request: Request, reason: str | Exception, after: float | None
    ) -> Request | None:
        assert self.crawler.spider is not None
        retry = get_retry_request(
            request,
            spider=self.crawler.spider,
            reason=reason,
            max_retry_times=request.meta.get("max_retry_times", self.max_retries),
            give_up_log_level="INFO",  # the spider reports the failure where it belongs
        )
        if retry is None:
            return None
        attempt = int(retry.meta.get("retry_times", 1))
        wait = self.base * 2.0 ** (attempt - 1) * random.uniform(0.8, 1.2)
        if after is not None:
            wait = max(wait, after)
        retry.meta["raqib_retry_at"] = time.monotonic() + wait
        return retry


_robots: dict[str, tuple[float, Any]] = {}


class SharedRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware with the parsed files kept across crawls in this process.

    Each scheduled run is a fresh crawler; without this, every run would fetch every host's
    robots.txt again before its feed.
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.ttl = crawler.settings.getfloat("RAQIB_ROBOTS_CACHE_SECONDS", 6 * 3600)

    async def robot_parser(self, request: Request) -> Any:
        parts = urlsplit(request.url)
        key = f"{parts.scheme}://{parts.netloc}"
        cached = _robots.get(key)
        now = time.monotonic()
        if cached is not None and cached[0] > now:
            return cached[1]
        parser = await super().robot_parser(request)
        # An unreachable robots.txt means "allowed" for now; ask again sooner than for a real one.
        ttl = self.ttl if parser is not None else min(self.ttl, 600.0)
        if len(_robots) > 10_000:
            _robots.clear()
        _robots[key] = (now + ttl, parser)
        return parser
