"""The package's shape: a pure core, Airflow only in dags/ and plugins/."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PURE = [
    "parse",
    "normalize",
    "discovery",
    "decoding",
    "records",
    "sources",
    "dates",
    "bylines",
    "language",
    "extract_body",
    "urls",
    "stories",
]
WORLD = {"requests", "sqlalchemy", "psycopg", "socket", "urllib.request", "subprocess", "airflow", "time"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_pipeline_never_imports_airflow() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "pipeline").rglob("*.py")
        if any(n == "airflow" or n.startswith("airflow.") for n in _imports(p))
    ]
    assert offenders == []


def test_pure_core_does_no_io_and_reads_no_clock() -> None:
    for name in PURE:
        path = ROOT / "pipeline" / f"{name}.py"
        imported = _imports(path)
        assert not {n for n in imported if n.split(".")[0] in WORLD or n in WORLD}, name
        source = path.read_text()
        assert "datetime.now(" not in source and "time.time(" not in source, name


def test_dags_keep_heavy_imports_inside_tasks() -> None:
    for path in (ROOT / "dags").glob("*.py"):
        top_level = _imports_top_level(path)
        assert not {"spacy", "sqlalchemy", "requests", "pipeline.ingest", "pipeline.warehouse"} & top_level, (
            path
        )


def _imports_top_level(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names
