"""Smoke checks in a real browser against a real ``airflow api-server``.

Not part of ``make test`` (the Makefile passes ``--ignore=tests/smoke``); ``make smoke`` runs them.
Needs Debian's ``chromium`` and ``chromium-driver`` (``/usr/bin/chromium``,
``/usr/bin/chromedriver``) and the ``selenium`` package; nothing is skipped: a missing browser
fails the run with a message saying what to install.

Fixtures here: ``api_server`` (an ``airflow api-server`` subprocess on a free port, with the test
environment of tests/conftest.py, SimpleAuthManager user admin, the warehouse of the test) and
``browser`` (headless Chromium through selenium, with a throwaway profile). Screenshots go to
``tests/smoke/screenshots/``.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ADMIN_PASSWORD = "smoke-admin-password"
START_TIMEOUT = 180  # seconds for the API server to answer


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class ApiServer:
    base_url: str
    username: str
    password: str
    log: Path


def _wait_until_up(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(
                f"airflow api-server exited with {proc.returncode}:\n{log.read_text()[-4000:]}"
            )
        try:
            with urllib.request.urlopen(f"{url}/api/v2/monitor/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(1)
    raise AssertionError(f"airflow api-server not up after {START_TIMEOUT} s:\n{log.read_text()[-4000:]}")


@pytest.fixture
def api_server(airflow_db, warehouse_url: str, tmp_path: Path) -> Iterator[ApiServer]:
    """``airflow api-server`` on 127.0.0.1 and a free port, logged-in user admin."""
    port = _free_port()
    passwords = tmp_path / "passwords.json"
    passwords.write_text(json.dumps({"admin": ADMIN_PASSWORD}))
    log = tmp_path / "api-server.log"
    base_url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,  # tests/conftest.py's Airflow home, metadata DB, dags and plugins folders
        "WAREHOUSE_URL": warehouse_url,
        "AIRFLOW__CORE__AUTH_MANAGER": "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "admin:admin",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(passwords),
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "False",
        "AIRFLOW__API__BASE_URL": base_url,
        "AIRFLOW__API__PORT": str(port),
        "AIRFLOW__API_AUTH__JWT_SECRET": "smoke-" + "x" * 64,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "airflow",
                "api-server",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                "1",
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_until_up(base_url, proc, log)
        yield ApiServer(base_url, "admin", ADMIN_PASSWORD, log)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)  # the server and its worker: our own process group
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def browser(request: pytest.FixtureRequest, tmp_path: Path):
    """Headless Debian Chromium driven by selenium; never downloads a browser or a driver.

    When the test fails, its last page is kept as ``screenshots/failed-<test>.png`` and ``.html``.
    """
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        raise AssertionError(f"{', '.join(missing)} missing: apt-get install -y chromium chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
        f"--user-data-dir={tmp_path / 'chromium'}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            stem = SCREENSHOTS / f"failed-{request.node.name}"
            driver.save_screenshot(f"{stem}.png")
            stem.with_suffix(".html").write_text(f"<!-- {driver.current_url} -->\n{driver.page_source}")
    finally:
        driver.quit()
        shutil.rmtree(tmp_path / "chromium", ignore_errors=True)


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
