"""Story signatures: which articles tell the same story (near-duplicate detection).

Pure functions. Wire copy is syndicated by several outlets, each lightly editing it (its own
intro line and headline, a paragraph dropped). Such copies share most of their word sequences,
while two different stories on one topic share words but few word *sequences*. So:

* :func:`shingles`: the body's normalized words (case-folded, NFKC, accents kept), as
  overlapping :data:`SHINGLE_WORDS`-word sequences;
* :func:`signature`: a MinHash of the shingle set (datasketch, :data:`NUM_PERM` permutations,
  fixed seed: the same text always gives the same signature);
* :func:`similarity`: the estimated Jaccard similarity of two signatures (the share of equal
  minimums; standard error about 0.045 at 0.5);
* :func:`band_keys`: locality-sensitive hashing bands. Two signatures sharing any band key are
  candidates; :data:`BANDS` x :data:`ROWS` are datasketch's optimum for :data:`LSH_THRESHOLD`,
  set below :data:`THRESHOLD` so that pairs near the threshold are still found (recall), the
  exact check being :func:`similarity` >= :data:`THRESHOLD`;
* :func:`choose_cluster`: the clustering rule for one article given its candidates.

Thresholds were measured on lightly edited copies (see tests/unit/test_stories.py and
bench/bench_stories.py): copies with a new intro, a new headline and one paragraph dropped score
0.6-0.9; different stories on the same topic score below 0.1.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
from datasketch import MinHash, MinHashLSH

SHINGLE_WORDS = 3  # words per shingle: long enough that shared vocabulary alone does not match
NUM_PERM = 128
SEED = 1
SCHEME = "affine32"  # datasketch's hashing scheme, pinned: a library default change must not move signatures
THRESHOLD = 0.5  # estimated Jaccard at or above which two articles tell one story
LSH_THRESHOLD = 0.4  # banding threshold: below THRESHOLD so near-threshold pairs become candidates
# false positives only cost one signature comparison, a false negative loses a match
LSH_WEIGHTS = (0.2, 0.8)  # (false positive, false negative) weights of datasketch's optimum
WINDOW_DAYS = 7  # candidates are published within this many days of each other
_WORD = re.compile(r"\w+")


@cache
def lsh_params(threshold: float = LSH_THRESHOLD, num_perm: int = NUM_PERM) -> tuple[int, int]:
    """(bands, rows per band) minimizing weighted false positives + negatives around *threshold*.

    datasketch computes the optimum by integrating the banding S-curve. With the defaults this
    gives 31 bands of 3 rows: a pair at similarity 0.5 becomes a candidate with probability
    0.98, at 0.6 with 0.999, at 0.1 with 0.03.
    """
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=LSH_WEIGHTS)
    return int(lsh.b), int(lsh.r)


BANDS, ROWS = lsh_params()
# Stored with every signature: a change of any parameter makes the clustering recompute them.
METHOD = f"minhash{NUM_PERM}-{SCHEME}-s{SEED}-w{SHINGLE_WORDS}-b{BANDS}r{ROWS}-v1"


@dataclass(frozen=True)
class Signature:
    """A MinHash signature of one text, and the number of distinct shingles behind it."""

    hashvalues: np.ndarray  # NUM_PERM uint32 minimums
    shingles: int

    def to_bytes(self) -> bytes:
        """Little-endian uint32s, for a bytea column."""
        return self.hashvalues.astype("<u4").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes, shingles: int) -> Signature:
        return cls(np.frombuffer(data, dtype="<u4").astype(np.uint32), shingles)


@dataclass(frozen=True)
class Candidate:
    """An already clustered article that shares a band key with the one being clustered."""

    article_id: str
    cluster_id: str
    similarity: float
    sort_time: float  # publication time (epoch seconds), for tie-breaks


@dataclass(frozen=True)
class Assignment:
    """Where one article belongs: its cluster, and the article it matched (None: it founds)."""

    cluster_id: str
    similarity: float
    matched_article_id: str | None


def words(text: str) -> list[str]:
    """The text's words, case-folded and NFKC-normalized (so 'İmamoğlu' and 'imamoğlu' agree)."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def shingles(text: str, k: int = SHINGLE_WORDS) -> set[str]:
    """The set of *k*-word sequences of *text*; a text shorter than *k* words is one shingle."""
    tokens = words(text)
    if len(tokens) < k:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i : i + k]) for i in range(len(tokens) - k + 1)}


def signature(text: str) -> Signature:
    """The MinHash signature of *text*'s shingles (deterministic: fixed seed and hash)."""
    grams = shingles(text)
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, permutations=_permutations())
    if grams:
        minhash.update_batch([g.encode("utf-8") for g in grams])
    return Signature(minhash.hashvalues.astype(np.uint32), len(grams))


@cache
def _permutations() -> Any:
    """The seeded permutations, drawn once: drawing them is a third of a signature's cost."""
    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations


def similarity(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity of the two shingle sets; 0 when either text is empty."""
    if a.shingles == 0 or b.shingles == 0:
        return 0.0
    return float(np.count_nonzero(a.hashvalues == b.hashvalues)) / len(a.hashvalues)


def band_keys(sig: Signature, bands: int = BANDS, rows: int = ROWS) -> list[int]:
    """One signed 64-bit key per band (a bigint column); an empty text has no bands.

    The band number is part of the hash, so keys of different bands never collide by design.
    """
    if sig.shingles == 0:
        return []
    data = sig.hashvalues.astype("<u4")
    keys = []
    for band in range(bands):
        chunk = data[band * rows : (band + 1) * rows].tobytes()
        digest = hashlib.blake2b(chunk, digest_size=8, person=band.to_bytes(2, "little")).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys


def choose_cluster(
    article_id: str, candidates: Sequence[Candidate], threshold: float = THRESHOLD
) -> Assignment:
    """The clustering rule: join the cluster of the most similar candidate, else found one.

    Candidates at or above *threshold* qualify; the most similar wins, ties going to the earliest
    published, then the smallest id, so the result never depends on the order candidates come
    in. An article that matches none founds a cluster named after itself (similarity 1).
    """
    qualified = [c for c in candidates if c.similarity >= threshold and c.article_id != article_id]
    if not qualified:
        return Assignment(article_id, 1.0, None)
    best = min(qualified, key=lambda c: (-c.similarity, c.sort_time, c.article_id))
    return Assignment(best.cluster_id, best.similarity, best.article_id)
