"""Score body extraction on the article-extraction benchmark (shared/benchmarks/article-extraction).

The benchmark's published method: 4-token shingles of ``\\w+`` tokens; per page TP, FP, FN
normalised by their sum; precision and recall averaged over pages; F1 of the averages.

The pipeline is always scored next to trafilatura (``trafilatura.extract(html)``, its defaults, as
the benchmark's README measures it) in the same run, so the margin does not depend on the machine.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TypedDict

from pipeline.config import PROJECT_ROOT
from pipeline.decoding import decode

BENCHMARK_DIR = PROJECT_ROOT.parent / "shared" / "benchmarks" / "article-extraction"
_TOKEN = re.compile(r"\w+", re.UNICODE)

Page = tuple[str, str, str]  # key, html, true body
Scores = dict[str, float]


class Comparison(TypedDict):
    """The pipeline and trafilatura scored in one run, and the pipeline's F1 lead."""

    pipeline: Scores
    trafilatura: Scores
    f1_margin: float


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


def is_benchmark_dir(path: Path) -> bool:
    """Whether *path* is laid out like the benchmark: ``ground-truth.json`` and ``html/``."""
    return (path / "ground-truth.json").is_file() and (path / "html").is_dir()


def load_benchmark(directory: Path = BENCHMARK_DIR) -> list[Page]:
    """(key, html, true body) for every page of the benchmark in *directory*.

    Raises:
        FileNotFoundError: *directory* is not a benchmark, or a page named in the truth is missing.
    """
    if not is_benchmark_dir(directory):
        raise FileNotFoundError(f"{directory}: no ground-truth.json and html/ (not an extraction benchmark)")
    truth = json.loads((directory / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key, item in sorted(truth.items()):
        raw = (directory / "html" / f"{key}.html.gz").read_bytes()
        html, _ = decode(gzip.decompress(raw))
        pages.append((key, html, item["articleBody"]))
    return pages


def evaluate(extract: Callable[[str], str], pages: list[Page]) -> Scores:
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
    """The body ``pipeline.parse`` finds (no source selectors: the benchmark's pages are unknown)."""
    from pipeline.parse import parse_article

    return parse_article(html, "https://example.org/article").body


def trafilatura_extractor(html: str) -> str:
    """trafilatura with its defaults, as the benchmark's README measures it."""
    import trafilatura

    return trafilatura.extract(html) or ""


def compare(pages: list[Page]) -> Comparison:
    """The pipeline's and trafilatura's scores over *pages*, and the pipeline's F1 margin."""
    ours = evaluate(pipeline_extractor, pages)
    reference = evaluate(trafilatura_extractor, pages)
    return Comparison(pipeline=ours, trafilatura=reference, f1_margin=ours["f1"] - reference["f1"])


def report(result: Comparison, directory: Path) -> str:
    """*result* of :func:`compare` as the lines a person reads."""
    lines = [
        f"article-extraction benchmark: {directory}",
        f"  {int(result['pipeline']['pages'])} pages, 4-token shingles, scores averaged over pages",
    ]
    for name, scores in (("pipeline", result["pipeline"]), ("trafilatura", result["trafilatura"])):
        lines.append(
            f"  {name:12} precision {scores['precision']:.3f}  recall {scores['recall']:.3f}"
            f"  F1 {scores['f1']:.3f}"
        )
    lines.append(f"  F1 margin over trafilatura: {result['f1_margin']:+.3f}")
    return "\n".join(lines)
