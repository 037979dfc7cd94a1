"""The whole stack as a user runs it (``python -m pipeline run``), for smoke tests and bench-stream.

Starts the fixture news sites, writes a registry pointing at them, runs ``python -m pipeline
run`` (embedded PostgreSQL + Airflow standalone) in a temporary state directory on free ports,
waits until the UI answers, and stops everything (SIGINT, as Ctrl-C) on exit.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from pipeline import embedded
from tests.support.fixture_site import FixtureSite, serve_sites
from tests.support.registry import registry_entry

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Stack:
    def __init__(self, site_names: list[str], *, schedule: str = "@daily", watch_interval: int = 5) -> None:
        self.site_names = site_names
        self.schedule = schedule
        self.watch_interval = watch_interval
        self.tmp = Path(tempfile.mkdtemp(prefix="newspipe-stack-"))
        self.port = free_port()
        self.pg_port = free_port()
        self.sites: dict[str, FixtureSite] = {}
        self.proc: subprocess.Popen[str] | None = None
        self.output: list[str] = []

    # -- lifecycle ------------------------------------------------------------------------------
    def __enter__(self) -> Stack:
        self.sites = serve_sites(self.site_names)
        registry = self.tmp / "sources.yml"
        registry.write_text(
            yaml.safe_dump(
                {
                    "sources": [
                        registry_entry(s, schedule=self.schedule, start_date="2020-01-01")
                        for s in self.sites.values()
                    ]
                },
                allow_unicode=True,
            )
        )
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "WAREHOUSE_URL"))}
        env.update(
            PIPELINE_SOURCES_FILE=str(registry),
            PIPELINE_STATE_DIR=str(self.tmp / "state"),
            EMBEDDED_PG_PORT=str(self.pg_port),
            PIPELINE_WATCH_INTERVAL=str(self.watch_interval),
            PIPELINE_FETCH_BACKOFF="0.2",
            PYTHONUNBUFFERED="1",
        )
        self.env = env
        self.log = (self.tmp / "run.log").open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "pipeline", "run", "--port", str(self.port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        deadline = time.monotonic() + 420
        assert self.proc.stdout is not None
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line and self.proc.poll() is not None:
                raise RuntimeError("pipeline run exited:\n" + "".join(self.output[-40:]))
            self.output.append(line)
            self.log.write(line)
            if line.startswith("Press Ctrl-C"):
                return self
        raise TimeoutError("the stack did not come up:\n" + "".join(self.output[-40:]))

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                out, _ = self.proc.communicate(timeout=120)
                self.output.append(out or "")
            except subprocess.TimeoutExpired:
                self.proc.kill()
        # the run stops its embedded server on Ctrl-C; if it was killed first, do it here
        embedded.stop(self.tmp / "state" / "pgdata")
        for site in self.sites.values():
            site.stop()
        if exc[0] is None:  # a failed run keeps its logs and state for a look
            shutil.rmtree(self.tmp, ignore_errors=True)

    # -- helpers --------------------------------------------------------------------------------
    @property
    def airflow_env(self) -> dict[str, str]:
        env = dict(self.env)
        for line in (self.tmp / "state" / "airflow" / "env.sh").read_text().splitlines():
            if line.startswith("export "):
                key, _, value = line[len("export ") :].partition("=")
                env[key] = value.strip("'")
        return env

    @property
    def password(self) -> str:
        return json.loads((self.tmp / "state" / "airflow" / "passwords.json").read_text())["admin"]

    def airflow(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "airflow", *args],
            env=self.airflow_env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    @property
    def warehouse_url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.pg_port}/warehouse"

    def query(self, sql: str, **params: Any) -> list[dict[str, Any]]:
        import sqlalchemy as sa

        eng = sa.create_engine(self.warehouse_url)
        try:
            with eng.connect() as conn:
                return [dict(r) for r in conn.execute(sa.text(sql), params).mappings()]
        finally:
            eng.dispose()

    def wait_for(self, sql: str, predicate, timeout: float = 600, every: float = 3, **params: Any):
        deadline = time.monotonic() + timeout
        rows: list[dict[str, Any]] = []
        while time.monotonic() < deadline:
            try:
                rows = self.query(sql, **params)
                if predicate(rows):
                    return rows
            except Exception:
                pass
            time.sleep(every)
        raise TimeoutError(f"condition not met within {timeout}s; last rows: {rows[:5]}")
