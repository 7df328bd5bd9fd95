"""Downloader middlewares: the network guard, and conditional GET with validators kept in Redis."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from typing import Self
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured

log = logging.getLogger(__name__)

ALLOWED_SCHEMES = ("http", "https")


class BlockedAddress(IgnoreRequest):
    """A request refused by the network guard; the message says why."""


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast
        or ip.is_reserved or ip.is_unspecified
    )  # fmt: skip


async def resolve(host: str) -> list[str]:
    try:
        ipaddress.ip_address(host)
        return [host]
    except ValueError:
        pass
    infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


class NetworkGuardMiddleware:
    """Refuses other schemes always, and private, loopback and link-local addresses unless allowed.

    Every request passes here, redirects included, so a feed cannot lead the crawler inside.
    """

    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler.settings.getbool("RAQIB_ALLOW_PRIVATE_NETWORKS"))

    async def process_request(self, request: Request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme not in ALLOWED_SCHEMES:
            raise BlockedAddress(f"refused {request.url}: scheme {parts.scheme!r} is not allowed")
        if self.allow_private:
            return
        host = parts.hostname or ""
        try:
            addresses = await resolve(host)
        except OSError as exc:
            raise IgnoreRequest(f"cannot resolve {host!r}: {exc}") from exc
        blocked = [a for a in addresses if not is_public(a)]
        if blocked:
            raise BlockedAddress(
                f"refused {request.url}: {host} resolves to a private, loopback or link-local "
                f"address ({', '.join(blocked)}); set crawler.allow_private_networks to allow it"
            )


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
        spider = self.crawler.spider
        source = request.meta["source"]
        etag, modified = spider.context.feeds.validators(source.name)  # type: ignore[union-attr]
        if etag:
            request.headers.setdefault(b"If-None-Match", etag.encode("latin-1"))
        if modified:
            request.headers.setdefault(b"If-Modified-Since", modified.encode("latin-1"))
