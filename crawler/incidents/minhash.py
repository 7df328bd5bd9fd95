"""Near-duplicate text: MinHash signatures over word shingles of normalised Arabic, and LSH bands."""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Iterable

PERMUTATIONS = 128
BANDS = 32  # 32 bands of 4 rows: a pair with Jaccard 0.5 shares a band 87% of the time, 0.6: 99%
ROWS = PERMUTATIONS // BANDS
SHINGLE_WORDS = 3
_PRIME = (1 << 61) - 1  # a Mersenne prime above every 64-bit shingle hash folded below it
# Fixed coefficients: a signature must mean the same in every process and after every restart,
# since signatures are stored in Redis and compared across crawler processes.
_RANDOM = random.Random(0x5261716962)  # "Raqib"
_COEFFICIENTS = tuple(
    (_RANDOM.randrange(1, _PRIME), _RANDOM.randrange(0, _PRIME)) for _ in range(PERMUTATIONS)
)
_WORD = re.compile(r"\w+")

Signature = tuple[int, ...]


def words(normalised: str) -> list[str]:
    """The words of a normalised text, punctuation dropped (copies differ in quotes and commas)."""
    return _WORD.findall(normalised)


def shingles(normalised: str, size: int = SHINGLE_WORDS) -> set[int]:
    """Hashed runs of `size` consecutive words; a text shorter than that is one shingle."""
    tokens = words(normalised)
    if not tokens:
        return set()
    runs = (" ".join(tokens[i : i + size]) for i in range(max(1, len(tokens) - size + 1)))
    # blake2b, not hash(): Python salts str hashes per process.
    return {
        int.from_bytes(hashlib.blake2b(run.encode(), digest_size=8).digest(), "big") % _PRIME
        for run in runs
    }


def signature(hashed: Iterable[int]) -> Signature:
    """The MinHash signature of a set of hashed shingles; empty for an empty set."""
    values = list(hashed)
    if not values:
        return ()
    return tuple(min([(a * x + b) % _PRIME for x in values]) for a, b in _COEFFICIENTS)


def text_signature(normalised: str) -> Signature:
    return signature(shingles(normalised))


# Words every report uses whatever it tells (normalised: ى→ي, ة→ه, أ→ا); short words are
# dropped anyway. What is left says what this report is about: the target, the weapon, the
# names, the toll's words.
_COMMON_WORDS = (
    "علي الي الذي التي الذين وقال قال قالت واضاف واضافت اضاف بعد قبل كما هذا هذه ذلك تلك بين "
    "حيث منذ خلال وفي كان كانت بحسب وفق وفقا اليوم امس صباح مساء عند عليه عليها انه انها "
    "ليبيا الليبي الليبيه مدينه منطقه تنظيم داعش الدوله الاسلاميه مصدر مصادر"
)
COMMON_WORDS = frozenset(_COMMON_WORDS.split())


def term_signature(normalised: str) -> Signature:
    """MinHash over the report's words (not runs of words): reworded reports of one event share
    their distinctive words though hardly a three-word run."""
    return signature(
        int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "big") % _PRIME
        for word in set(words(normalised))
        if len(word) >= 3 and word not in COMMON_WORDS
    )


def similarity(first: Signature, second: Signature) -> float:
    """Estimated Jaccard similarity of the two shingle sets (0 when either is empty)."""
    if not first or not second or len(first) != len(second):
        return 0.0
    return sum(a == b for a, b in zip(first, second, strict=True)) / len(first)


def bands(sig: Signature) -> list[str]:
    """One bucket name per band: texts that share a bucket are near-duplicate candidates."""
    if not sig:
        return []
    buckets = []
    for band in range(BANDS):
        rows = sig[band * ROWS : (band + 1) * ROWS]
        digest = hashlib.blake2b(
            ",".join(map(str, rows)).encode(), digest_size=8, person=band.to_bytes(2, "big")
        ).hexdigest()
        buckets.append(f"{band}:{digest}")
    return buckets
