"""Shared test set-up: a real PostgreSQL, a throwaway Airflow home, fixture news sites.

PostgreSQL, in order of preference:
1. ``WAREHOUSE_TEST_URL`` (a server URL; each test gets its own fresh database on it);
2. a server answering on 127.0.0.1:5432 as user postgres (this machine's);
3. the embedded server (pgserver binaries), started in a temporary directory.
Set ``NEWSPIPE_TEST_EMBEDDED=1`` to force the embedded server.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_STATE: dict[str, object] = {}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _system_server() -> str | None:
    if os.environ.get("NEWSPIPE_TEST_EMBEDDED"):
        return None
    if os.environ.get("WAREHOUSE_TEST_URL"):
        return os.environ["WAREHOUSE_TEST_URL"]
    try:
        import psycopg

        with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", connect_timeout=2):
            return "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    except Exception:
        return None


def pytest_configure(config: pytest.Config) -> None:
    if hasattr(config, "workerinput"):  # pragma: no cover - xdist workers inherit the env
        return
    tmp = Path(tempfile.mkdtemp(prefix="newspipe-test-"))
    _STATE["tmp"] = tmp
    # Airflow puts its plugins folder on sys.path at start-up (the DAG files import the shared
    # defaults from it); do the same once for the whole session, so no test's sys.path
    # bookkeeping can take it away from the tests that run after it.
    sys.path.insert(0, str(ROOT / "plugins"))
    server = _system_server()
    if server is None:
        from pipeline import embedded

        port = _free_port()
        server = embedded.start(tmp / "pgdata", port)
        _STATE["embedded"] = tmp / "pgdata"
    _STATE["server"] = server
    # Airflow reads its configuration at import: set it before anything imports airflow.
    airflow_home = tmp / "airflow"
    airflow_home.mkdir()
    airflow_db = f"newspipe_airflow_{uuid.uuid4().hex[:8]}"
    from pipeline.warehouse import database_url, ensure_database

    ensure_database(server, airflow_db)
    _STATE["dbs"] = [airflow_db]
    os.environ.update(
        {
            "AIRFLOW_HOME": str(airflow_home),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
            # the project's DAGs, plus a bundle of small DAGs that only tests run (failure alerts)
            "AIRFLOW__DAG_PROCESSOR__DAG_BUNDLE_CONFIG_LIST": json.dumps(
                [
                    {
                        "name": "dags-folder",
                        "classpath": "airflow.dag_processing.bundles.local.LocalDagBundle",
                        "kwargs": {"path": str(ROOT / "dags")},
                    },
                    {
                        "name": "test-dags",
                        "classpath": "airflow.dag_processing.bundles.local.LocalDagBundle",
                        "kwargs": {"path": str(ROOT / "tests" / "airflow_dags")},
                    },
                ]
            ),
            "AIRFLOW__CORE__PLUGINS_FOLDER": str(ROOT / "plugins"),
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": database_url(server, airflow_db).replace(
                "+psycopg:", "+psycopg2:"
            ),
            "AIRFLOW__LOGGING__LOGGING_LEVEL": "WARNING",
            "PIPELINE_STATE_DIR": str(tmp / "state"),
            "PIPELINE_FETCH_BACKOFF": "0.05",
            "PIPELINE_USER_AGENT": "newspipe-tests/0.1 (+https://github.com/newspipe/newspipe)",
        }
    )
    os.environ.pop("WAREHOUSE_URL", None)


def pytest_unconfigure(config: pytest.Config) -> None:
    if hasattr(config, "workerinput") or "server" not in _STATE:
        return
    import sqlalchemy as sa

    from pipeline import warehouse
    from pipeline.warehouse import _with_driver

    warehouse.dispose_engines()
    if "airflow.settings" in sys.modules:  # close Airflow's pool before its database is dropped
        sys.modules["airflow.settings"].dispose_orm()
    admin = sa.create_engine(_with_driver(str(_STATE["server"])), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for name in _STATE.get("dbs", []):  # type: ignore[union-attr]
            conn.execute(sa.text(f'drop database if exists "{name}" with (force)'))
    admin.dispose()
    from pipeline import embedded

    if "embedded" in _STATE:
        embedded.stop(Path(str(_STATE["embedded"])))
    # code under test that finds WAREHOUSE_URL unset starts the embedded server in the test state dir
    embedded.stop(Path(str(_STATE["tmp"])) / "state" / "pgdata")


@pytest.fixture(scope="session")
def pg_server() -> str:
    """Admin URL of the PostgreSQL server the tests use."""
    return str(_STATE["server"])


def _create_db(server: str, name: str, template: str | None = None) -> str:
    import sqlalchemy as sa

    from pipeline.warehouse import _with_driver, database_url

    admin = sa.create_engine(_with_driver(server), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        tpl = f' template "{template}"' if template else ""
        conn.execute(sa.text(f'create database "{name}"{tpl}'))
    admin.dispose()
    _STATE["dbs"].append(name)  # type: ignore[union-attr]
    return database_url(server, name)


@pytest.fixture(scope="session")
def warehouse_template(pg_server: str) -> str:
    """A migrated database that fresh test databases are copied from."""
    from pipeline import warehouse

    name = f"newspipe_tpl_{uuid.uuid4().hex[:8]}"
    url = _create_db(pg_server, name)
    eng = warehouse.engine(url)
    warehouse.migrate(eng)
    eng.dispose()
    return name


@pytest.fixture
def warehouse_url(pg_server: str, warehouse_template: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh, migrated warehouse database for one test; ``WAREHOUSE_URL`` points at it."""
    url = _create_db(pg_server, f"newspipe_t_{uuid.uuid4().hex[:10]}", template=warehouse_template)
    monkeypatch.setenv("WAREHOUSE_URL", url)
    monkeypatch.setenv("AIRFLOW_CONN_NEWSPIPE_WAREHOUSE", url.replace("+psycopg", ""))
    yield url
    from pipeline import warehouse

    warehouse.dispose_engines()


@pytest.fixture
def engine(warehouse_url: str):
    from pipeline import warehouse

    return warehouse.engine(warehouse_url)


@pytest.fixture(scope="session")
def airflow_db() -> None:
    """Airflow's metadata database, migrated once per session."""
    result = subprocess.run(
        [sys.executable, "-m", "airflow", "db", "migrate"],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


# -- fixture news sites -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def sites():
    """Every fixture site, served on 127.0.0.1 for the whole session."""
    from tests.support.fixture_site import serve_sites

    served = serve_sites()
    yield served
    for site in served.values():
        site.stop()


@pytest.fixture
def registry(sites, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A sources.yml for the fixture sites (fresh site state), set as PIPELINE_SOURCES_FILE."""
    import yaml

    from tests.support.registry import registry_entry

    for site in sites.values():
        site.reset()
    path = tmp_path / "sources.yml"
    path.write_text(
        yaml.safe_dump({"sources": [registry_entry(s) for s in sites.values()]}, allow_unicode=True)
    )
    monkeypatch.setenv("PIPELINE_SOURCES_FILE", str(path))
    return path
