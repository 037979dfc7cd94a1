"""``make run``: the whole stack on one machine (warehouse + Airflow standalone + the DAGs).

Starts the embedded PostgreSQL unless ``WAREHOUSE_URL`` is set (Airflow's metadata database then
lives on the same embedded server, in its own database), migrates the warehouse, prepares
Airflow's home under ``.state/airflow`` (login, pools, configuration), runs ``airflow
standalone`` and prints how to log in and how to reach the warehouse with ``psql``. Ctrl-C stops
Airflow, then the embedded server; the data stays for the next run.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy.engine import make_url

from pipeline import embedded, warehouse
from pipeline.config import PROJECT_ROOT, settings
from pipeline.sources import load_sources


def airflow_env(state_dir: Path, metadata_url: str, port: int = 8080) -> dict[str, str]:
    """The environment Airflow runs with under ``make run``."""
    home = state_dir / "airflow"
    return {
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT_ROOT / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(PROJECT_ROOT / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        "AIRFLOW__CORE__PARALLELISM": "8",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "admin:admin",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(home / "passwords.json"),
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": metadata_url,
        "AIRFLOW__API__PORT": str(port),
        "AIRFLOW__API__BASE_URL": f"http://localhost:{port}",
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://localhost:{port}/execution/",
        "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "30",
        "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK": "True",
    }


def _password(home: Path) -> str:
    path = home / "passwords.json"
    if path.exists():
        return str(json.loads(path.read_text())["admin"])
    password = secrets.token_urlsafe(12)
    home.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"admin": password}))
    path.chmod(0o600)
    return password


def _write_env_script(home: Path, env: dict[str, str]) -> None:
    """``source .state/airflow/env.sh`` gives a shell the stack's Airflow (for `airflow backfill ...`)."""
    import shlex

    keys = sorted(
        k for k in env if k.startswith(("AIRFLOW", "PIPELINE_", "WAREHOUSE_", "NLP_")) or k == "PATH"
    )
    lines = [f"export {k}={shlex.quote(env[k])}" for k in keys]
    home.mkdir(parents=True, exist_ok=True)
    (home / "env.sh").write_text("# written by `make run`\n" + "\n".join(lines) + "\n")


def _psql_line(url: str) -> str:
    u = make_url(url)
    return f"psql 'postgresql://{u.username or 'postgres'}@{u.host}:{u.port or 5432}/{u.database}'"


def _airflow(args: list[str], env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "-m", "airflow", *args],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def main(port: int = 8080) -> int:
    cfg = settings()
    cfg.state_dir.mkdir(parents=True, exist_ok=True)
    pgdata = cfg.state_dir / "pgdata"
    print("newspipe: starting ...", flush=True)
    wh_url = warehouse.warehouse_url()  # starts the embedded server when WAREHOUSE_URL is unset
    metadata_url = os.environ.get("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN")
    uses_embedded = not cfg.warehouse_url or not metadata_url
    if not metadata_url:
        server = embedded.start(pgdata, cfg.embedded_pg_port)
        warehouse.ensure_database(server, "airflow")
        metadata_url = embedded.url(cfg.embedded_pg_port, "airflow").replace("+psycopg:", "+psycopg2:")
    applied = warehouse.migrate(warehouse.engine(wh_url))
    if applied:
        print(f"newspipe: warehouse migrations applied: {', '.join(applied)}", flush=True)

    env = {**os.environ, **airflow_env(cfg.state_dir, metadata_url, port)}
    env["AIRFLOW_CONN_NEWSPIPE_WAREHOUSE"] = wh_url.replace("+psycopg", "")
    # `airflow standalone` starts its components as `airflow ...`: put this venv first on PATH
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    home = Path(env["AIRFLOW_HOME"])
    password = _password(home)
    _write_env_script(home, env)
    print("newspipe: preparing Airflow (db migrate, pools) ...", flush=True)
    _airflow(["db", "migrate"], env)
    pools = {
        s.pool: {
            "slots": 1,
            "description": f"politeness: one fetching task at a time for {s.name}",
            "include_deferred": False,
        }
        for s in load_sources(cfg.sources_file)
    }
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(pools, f)
    _airflow(["pools", "import", f.name], env)
    os.unlink(f.name)

    log_path = home / "standalone.log"
    log = log_path.open("ab")
    proc = subprocess.Popen(
        [sys.executable, "-m", "airflow", "standalone"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    ready = False
    try:
        while not stopping and proc.poll() is None:
            if not ready and _api_up(port):
                ready = True
                sources = ", ".join(s.dag_id for s in load_sources(cfg.sources_file))
                print(
                    f"\nnewspipe is running.\n"
                    f"  Airflow UI : http://localhost:{port}   login: admin / {password}\n"
                    f"  Warehouse  : {_psql_line(wh_url)}\n"
                    f"  DAGs       : {sources}, stream_*, enrich_articles, cluster_stories, reprocess\n"
                    f"  Logs       : {log_path}\n"
                    f"  Airflow CLI: source {home / 'env.sh'}   (then e.g. airflow backfill create ...)\n"
                    f"Press Ctrl-C to stop (data is kept in {cfg.state_dir}).\n",
                    flush=True,
                )
            time.sleep(1)
    finally:
        print("\nnewspipe: stopping Airflow ...", flush=True)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        warehouse.dispose_engines()
        if uses_embedded:
            print("newspipe: stopping the embedded PostgreSQL ...", flush=True)
            embedded.stop(pgdata)
        print("newspipe: stopped.", flush=True)
    if proc.returncode not in (0, -signal.SIGTERM, None) and not stopping:
        print(f"airflow standalone exited with {proc.returncode}; see {log_path}", file=sys.stderr)
        return 1
    return 0


def _api_up(port: int) -> bool:
    import urllib.request

    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/version", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False
