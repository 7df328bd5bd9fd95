"""Incident clustering: MinHash cost, decisions per second, and the Redis store against a per-URL baseline."""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import redis

from alerts.spine.connections import EmbeddedRedis
from alerts.spine.keyspace import Keyspace
from crawler.detect import Detection, Gazetteer, normalise
from crawler.incidents import Article
from crawler.incidents.book import IncidentBook
from crawler.incidents.minhash import text_signature
from crawler.incidents.store import IncidentStore

EVENTS = 150
REPORTS = 900
WORDS = 300  # a typical article
COPY_SHARE = 0.3  # reports that are an outlet's copy of an earlier story
OUTLETS = [f"outlet-{i}" for i in range(25)]
TYPES = ["attack", "bombing", "ambush", "kidnapping", "arrest"]
START = datetime(2024, 1, 1, tzinfo=UTC)


def _vocabulary() -> list[str]:
    # Words of our own Arabic text (the challenge sets, read as data): the right shape for shingles.
    from benchmarks.bench_detect import our_sentences

    return sorted(set(normalise(" ".join(our_sentences())).split()))


def _stream(seed: int = 7) -> list[tuple[Article, Detection, datetime]]:
    rng = random.Random(seed)
    vocabulary = _vocabulary()
    places = [p for p in Gazetteer.load().places if p.specificity >= 4]
    events = [
        (rng.choice(places), rng.choice(TYPES), START + timedelta(days=rng.randrange(365)))
        for _ in range(EVENTS)
    ]
    stream: list[tuple[Article, Detection, datetime]] = []
    for n in range(REPORTS):
        if stream and rng.random() < COPY_SHARE:
            article, detection, seen = rng.choice(stream[-50:])
            copy = replace(article, source=rng.choice(OUTLETS), url=f"https://copy.example/{n}")
            stream.append((copy, detection, seen + timedelta(minutes=30)))
            continue
        place, kind, day = rng.choice(events)
        text = " ".join(rng.choice(vocabulary) for _ in range(WORDS))
        seen = day + timedelta(hours=rng.randrange(48))
        article = Article(rng.choice(OUTLETS), f"https://news.example/{n}", f"{kind} {place.name}",
                          text, published=seen)  # fmt: skip
        detection = Detection(
            is_incident=True, score=1.0, places=[place], incident_type=kind,
            killed=rng.choice([None, 1, 2, 3, 5, 8]), event_date=day.date(), text=normalise(text),
        )  # fmt: skip
        stream.append((article, detection, seen))
    stream.sort(key=lambda item: item[2])
    return stream


def _rate(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}/s"


def main() -> None:
    stream = _stream()
    texts = [d.text for _, d, _ in stream[:200]]
    started = time.perf_counter()
    for text in texts:
        text_signature(text)
    per = (time.perf_counter() - started) / len(texts)
    print(f"MinHash signature of a {WORDS}-word article: {per * 1000:.2f} ms")

    # Baseline: what feed readers do, one alert per new URL (a set lookup).
    started = time.perf_counter()
    urls: set[str] = set()
    for article, _, _ in stream:
        urls.add(article.url)
    baseline = time.perf_counter() - started
    book = IncidentBook()
    started = time.perf_counter()
    for article, detection, seen in stream:
        book.observe(article, detection, seen)
    clustered = time.perf_counter() - started
    print(f"decisions in memory: {_rate(len(stream), clustered)} "
          f"({len(book.incidents)} incidents from {len(stream)} reports of {EVENTS} events; "
          f"baseline one-per-URL: {_rate(len(stream), baseline)}, {len(urls)} 'incidents')")  # fmt: skip

    with tempfile.TemporaryDirectory() as tmp, EmbeddedRedis(Path(tmp)) as server:
        client = redis.Redis.from_url(server.url, decode_responses=True)
        keys = Keyspace("bench:")
        latencies = []
        store = IncidentStore(client, keys)
        for article, detection, seen in stream:
            began = time.perf_counter()
            store.record(article, detection, seen)
            latencies.append(time.perf_counter() - began)
        total = sum(latencies)
        cuts = statistics.quantiles(latencies, n=100)
        print(f"IncidentStore.record on Redis: {_rate(len(stream), total)}, "
              f"p50 {cuts[49] * 1000:.1f} ms, p99 {cuts[98] * 1000:.1f} ms, "
              f"{client.xlen(keys.matches)} alerts")  # fmt: skip
        # Baseline in the same run: the first cut's one incident per URL (HSETNX, ZADD, XADD).
        base = Keyspace("bench-base:")
        started = time.perf_counter()
        for article, _, seen in stream:
            if client.hsetnx(base.incident(article.url), "alert", article.title):
                client.zadd(base.incidents, {article.url: seen.timestamp()})
                client.xadd(base.matches, {"url": article.url})
        elapsed = time.perf_counter() - started
        print(f"baseline one incident per URL on Redis: {_rate(len(stream), elapsed)}, "
              f"{client.xlen(base.matches)} alerts")  # fmt: skip
        memory = client.info("memory")["used_memory"]
        print(f"Redis memory after both: {memory / 1e6:.1f} MB")
        client.close()
