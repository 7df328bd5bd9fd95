"""The probe spider behind `raqib check --sources`: fetch each source once, read it, judge it; no Redis."""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass, field
from typing import Any

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from config.settings import Source
from crawler.feeds.workers import DocumentReader, ReadFailed
from crawler.fetch.spiders.feed import describe

_ARABIC = re.compile(r"[\u0600-\u06ff]")
_LETTERS = re.compile(r"[^\W\d_]")


@dataclass
class ProbeResult:
    name: str
    url: str
    ok: bool = False
    status: int = 0
    final_url: str = ""
    content_type: str = ""
    encoding: str = ""
    entries: int = 0
    newest: str = ""  # ISO date of the newest entry
    arabic_share: float = 0.0  # of the letters in titles and texts
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def arabic_share(texts: list[str]) -> float:
    joined = " ".join(texts)
    letters = len(_LETTERS.findall(joined))
    return len(_ARABIC.findall(joined)) / letters if letters else 0.0


class ProbeSpider(scrapy.Spider):
    name = "raqib-probe"

    def __init__(self, sources: list[Source], results: dict[str, ProbeResult],
                 reader: DocumentReader, **kwargs: Any):  # fmt: skip
        super().__init__(**kwargs)
        self.sources = sources
        self.results = results
        self.reader = reader

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for source in self.sources:
            self.results[source.name] = ProbeResult(source.name, source.url)
            yield scrapy.Request(
                source.url, callback=self.parse, errback=self.failed, dont_filter=True,
                meta={"source": source, "started": time.monotonic()},
            )  # fmt: skip

    async def parse(self, response: Response) -> None:
        source: Source = response.meta["source"]
        result = self.results[source.name]
        result.seconds = time.monotonic() - response.meta["started"]
        result.status = response.status
        result.final_url = response.url
        content_type = response.headers.get(b"Content-Type") or b""
        result.content_type = content_type.decode("latin-1")
        page = source.selectors if source.kind == "page" else None
        try:
            reading = await self.reader.source(
                response.body, response.url, content_type, source.name, page, False
            )
        except ReadFailed as exc:
            result.problems.append(f"could not read the document: {exc}")
            return
        if reading.failure:
            result.problems.append(reading.failure)
            return
        result.encoding = reading.encoding
        entries = [entry for _, entry, _ in reading.entries]
        result.entries = len(entries)
        if page is not None:
            texts = [entry.title for entry in entries]
        else:
            texts = [f"{e.title} {e.text[:300]}" for e in entries]
            dates = [d for d in (e.published for e in entries) if d is not None]
            if dates:
                result.newest = max(dates).date().isoformat()
            if not entries:
                result.problems.append("the feed has no entries")
        if reading.problem:
            result.problems.append(reading.problem)
        result.arabic_share = round(arabic_share(texts), 2)
        if source.language == "ar" and texts and result.arabic_share < 0.5:
            result.problems.append(
                f"only {result.arabic_share:.0%} of the text is Arabic (language: ar)"
            )
        result.ok = result.entries > 0 and not any(
            p.startswith(("only", "the `links`")) for p in result.problems
        )

    def failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        source: Source = request.meta["source"]
        result = self.results[source.name]
        result.seconds = time.monotonic() - request.meta["started"]
        response = getattr(failure.value, "response", None)
        if response is not None:
            result.status = response.status
        result.problems.append(describe(failure))
