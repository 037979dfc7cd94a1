"""Score body extraction on the article-extraction benchmark (shared/benchmarks/article-extraction).

The benchmark's published method: 4-token shingles of ``\\w+`` tokens; per page TP, FP, FN
normalised by their sum; precision and recall averaged over pages; F1 of the averages.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from pipeline.config import PROJECT_ROOT
from pipeline.decoding import decode

BENCHMARK_DIR = PROJECT_ROOT.parent / "shared" / "benchmarks" / "article-extraction"
_TOKEN = re.compile(r"\w+", re.UNICODE)


def _shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text)
    return Counter(tuple(tokens[i : i + n]) for i in range(max(0, len(tokens) - n + 1)))


def page_scores(truth: str, predicted: str) -> tuple[float | None, float | None]:
    """(precision, recall) of one page; None where the benchmark leaves the page out."""
    t, p = _shingles(truth), _shingles(predicted)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    if fp == 0 and fn == 0:
        return 1.0, 1.0
    total = tp + fp + fn
    tp_n, fp_n, fn_n = tp / total, fp / total, fn / total
    precision = tp_n / (tp_n + fp_n) if tp_n + fp_n > 0 else None
    recall = tp_n / (tp_n + fn_n) if tp_n + fn_n > 0 else None
    return precision, recall


def load_benchmark(directory: Path = BENCHMARK_DIR) -> list[tuple[str, str, str]]:
    """(key, html, true body) for every page of the benchmark."""
    truth = json.loads((directory / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key, item in sorted(truth.items()):
        raw = gzip.decompress((directory / "html" / f"{key}.html.gz").read_bytes())
        html, _ = decode(raw)
        pages.append((key, html, item["articleBody"]))
    return pages


def evaluate(extract: Callable[[str], str], pages: list[tuple[str, str, str]]) -> dict[str, float]:
    """Precision, recall and F1 of *extract* (html -> body text) over *pages*."""
    precisions, recalls = [], []
    for _key, html, truth in pages:
        p, r = page_scores(truth, extract(html))
        if p is not None:
            precisions.append(p)
        if r is not None:
            recalls.append(r)
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "pages": float(len(pages))}


def pipeline_extractor(html: str) -> str:
    from pipeline.parse import parse_article

    return parse_article(html, "https://example.org/article").body
