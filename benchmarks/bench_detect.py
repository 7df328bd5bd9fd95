"""Detection throughput (MB/s of Arabic text, articles/s, one core) against a bare normalise-and-scan."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path

from crawler.detect import Detector, Document
from crawler.detect.normalise import normalise

ROOT = Path(__file__).resolve().parent.parent
WATCHLIST = ROOT / "config/watchlists/isis-libya.yaml"
SEED = ROOT / "seeds/articles/seed-article-000.txt"
TARGET_MB = 6.0


def corpus(target_mb: float = TARGET_MB) -> list[Document]:
    """Articles of 6 to 30 sentences drawn (seeded) from the seed article and our test sentences.

    Every sentence is about violence, ISIS or Libya, so the text is far denser in hits than a
    real feed (where most articles match nothing): a pessimistic load for the detector.
    """
    from tests.detect_cases import CASES

    seed = SEED.read_text(encoding="utf-8")
    sentences = [c.text for c in CASES] + [s.strip() + "." for s in seed.split(".") if s.strip()]
    rng = random.Random(20220127)
    documents: list[Document] = []
    size = 0
    while size < target_mb * 1_000_000:
        body = " ".join(rng.choice(sentences) for _ in range(rng.randint(6, 30)))
        title = rng.choice(sentences)[:90]
        documents.append(Document(text=body, title=title, id=str(len(documents))))
        size += len(body.encode("utf-8")) + len(title.encode("utf-8"))
    return documents


def _timed(run: Callable[[Document], object], documents: list[Document]) -> float:
    started = time.perf_counter()
    for doc in documents:
        run(doc)
    return time.perf_counter() - started


def main() -> None:
    detector = Detector.from_files([WATCHLIST], None)
    documents = corpus()
    megabytes = sum(len(d.text.encode("utf-8")) + len((d.title or "").encode("utf-8")) for d in documents) / 1e6
    matcher = detector.matcher

    def baseline(doc: Document) -> object:
        return matcher.find(normalise(f"{doc.title}\n\n{doc.text}"))

    def prefilter(doc: Document) -> object:
        return detector.prefilter(doc.title or "")

    _timed(detector.detect, documents[:50])  # warm up
    rows = [
        ("baseline: normalise + Aho-Corasick scan", _timed(baseline, documents)),
        ("detect: end to end (Detector.detect)", _timed(detector.detect, documents)),
        ("prefilter on titles", _timed(prefilter, documents)),
    ]
    incidents = sum(detector.detect(d).is_incident for d in documents[:500])
    print(f"corpus: {len(documents)} articles, {megabytes:.1f} MB of UTF-8 Arabic, one process (one core)")
    print(f"        {incidents / min(500, len(documents)):.0%} of them read as incidents (a dense, pessimistic load)")
    base = rows[0][1]
    for name, seconds in rows:
        mb_per_s = megabytes / seconds
        print(
            f"{name:45s} {seconds:6.2f} s  {mb_per_s:6.2f} MB/s  {len(documents) / seconds:8.0f} articles/s"
            f"  ({seconds / base:4.1f}× the baseline's time)"
        )
    end_to_end = megabytes / rows[1][1]
    print(f"target ≥ 3 MB/s end to end: {'met' if end_to_end >= 3 else 'NOT met'} ({end_to_end:.2f} MB/s)")
