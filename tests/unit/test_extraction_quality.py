"""Quality gate: body extraction on the public article-extraction benchmark (181 real pages).

The pipeline and trafilatura (defaults, as the benchmark's README measures it) are scored in the
same run. The pipeline must reach the committed baseline (tests/data/extraction_baseline.json,
what it scored when committed) and must not fall behind trafilatura. A drop fails CI.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.config import PROJECT_ROOT
from pipeline.extraction_eval import BENCHMARK_DIR, Comparison, compare, load_benchmark, page_scores

BASELINE = json.loads((PROJECT_ROOT / "tests" / "data" / "extraction_baseline.json").read_text())


@pytest.fixture(scope="module")
def comparison() -> Comparison:
    assert BENCHMARK_DIR.is_dir(), f"benchmark missing at {BENCHMARK_DIR}"
    return compare(load_benchmark())


def test_metric_matches_the_benchmark_definition() -> None:
    assert page_scores("a b c d e", "a b c d e") == (1.0, 1.0)
    precision, recall = page_scores("one two three four five six", "one two three four")
    assert precision == 1.0 and recall == pytest.approx(1 / 3)
    assert page_scores("one two three four", "") == (None, 0.0)


def test_body_extraction_at_least_baseline(comparison: Comparison) -> None:
    scores = comparison["pipeline"]
    assert scores["pages"] == 181
    assert scores["f1"] >= BASELINE["f1"], scores
    assert scores["precision"] >= BASELINE["precision"], scores
    assert scores["recall"] >= BASELINE["recall"], scores


def test_body_extraction_beats_trafilatura_in_the_same_run(comparison: Comparison) -> None:
    assert comparison["trafilatura"]["pages"] == 181
    assert comparison["f1_margin"] > 0, comparison


def _tiny_benchmark(root: Path) -> Path:
    """Two pages laid out like the benchmark: ground-truth.json and html/<key>.html.gz."""
    body = (
        "The council approved the budget on Tuesday after a long debate about roads and schools. "
        "Opposition members said the villages in the north had been left out of the plan again."
    )
    (root / "html").mkdir(parents=True)
    truth = {}
    for key in ("page-a", "page-b"):
        html = (
            f"<html><head><title>{key}</title></head><body><nav><a href='/'>Home</a></nav>"
            f"<article><p>{body}</p><p>{body}</p></article></body></html>"
        )
        (root / "html" / f"{key}.html.gz").write_bytes(gzip.compress(html.encode()))
        truth[key] = {"articleBody": f"{body}\n{body}", "url": f"https://example.org/{key}"}
    (root / "ground-truth.json").write_text(json.dumps(truth))
    return root


def test_parse_on_a_benchmark_directory_prints_both_scores(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bench = _tiny_benchmark(tmp_path / "bench")
    assert main(["parse", str(bench), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["pipeline"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "pages": 2.0}
    assert result["trafilatura"]["pages"] == 2.0
    assert result["f1_margin"] == pytest.approx(1.0 - result["trafilatura"]["f1"])

    assert main(["evaluate-extraction", str(bench)]) == 0
    text = capsys.readouterr().out
    assert "pipeline     precision 1.000  recall 1.000  F1 1.000" in text
    assert "F1 margin over trafilatura" in text


def test_parse_on_a_directory_that_is_no_benchmark_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["parse", str(tmp_path)]) == 2
    assert "not an extraction benchmark" in capsys.readouterr().err
