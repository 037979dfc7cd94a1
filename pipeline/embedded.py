"""An embedded PostgreSQL for machines without a server: ``pgserver``'s binaries, our own lifecycle.

The server's data lives in a project-local directory (``.state/pgdata`` by default) and it listens
on 127.0.0.1 at ``EMBEDDED_PG_PORT`` (55432) plus a Unix socket in the data directory, so
``psql``, Airflow and the pipeline all reach it with an ordinary URL. It keeps running until
:func:`stop` (``make run`` stops it on Ctrl-C); starting it again reuses the data.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
import warnings
from pathlib import Path
from typing import Any

# pgserver's modules look up a runtime directory on import and warn when XDG_RUNTIME_DIR is unset;
# we never use that directory.
warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")

_USER = "pgserver"  # system user the server runs as when we are root (postgres refuses root)


class EmbeddedError(RuntimeError):
    """The embedded server could not be started."""


def _bin(name: str) -> Path:
    from pgserver._commands import POSTGRES_BIN_PATH

    return Path(POSTGRES_BIN_PATH) / name


def _as_server_user() -> dict[str, Any]:
    if os.geteuid() != 0:
        return {}
    import pwd

    from pgserver.utils import ensure_user_exists

    ensure_user_exists(_USER)
    entry = pwd.getpwnam(_USER)
    return {"user": entry.pw_uid, "group": entry.pw_gid}


def _prepare_dirs(pgdata: Path) -> None:
    pgdata.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        return
    import pwd
    import stat

    from pgserver.utils import ensure_folder_permissions, ensure_prefix_permissions, ensure_user_exists

    entry = ensure_user_exists(_USER) or pwd.getpwnam(_USER)
    ensure_prefix_permissions(pgdata)
    ensure_prefix_permissions(_bin("postgres"))
    ensure_folder_permissions(
        _bin("postgres").parent, stat.S_IRGRP | stat.S_IROTH | stat.S_IXGRP | stat.S_IXOTH
    )
    ensure_folder_permissions(_bin("postgres").parent.parent / "lib", stat.S_IRGRP | stat.S_IROTH)
    for path in [pgdata, *pgdata.rglob("*")]:
        os.chown(path, entry.pw_uid, entry.pw_gid)
    pgdata.chmod(0o700)


def url(port: int, database: str = "postgres") -> str:
    return f"postgresql+psycopg://postgres@127.0.0.1:{port}/{database}"


def is_running(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def start(pgdata: Path, port: int) -> str:
    """Start (or reuse) the embedded server; return its SQLAlchemy URL (database ``postgres``)."""
    pgdata = pgdata.resolve()
    if is_running(port):
        return url(port)
    _prepare_dirs(pgdata)
    run_as = _as_server_user()
    if not (pgdata / "PG_VERSION").exists():
        subprocess.run(
            [
                str(_bin("initdb")),
                "-D",
                str(pgdata),
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "-U",
                "postgres",
            ],
            check=True,
            capture_output=True,
            **run_as,
        )
    stale = pgdata / "postmaster.pid"
    if stale.exists() and not is_running(port):
        stale.unlink()
    log = pgdata / "server.log"
    opts = f"-h 127.0.0.1 -p {port} -k {pgdata} -c max_connections=200 -c shared_buffers=128MB"
    result = subprocess.run(
        [str(_bin("pg_ctl")), "-D", str(pgdata), "-l", str(log), "-o", opts, "-w", "-t", "60", "start"],
        capture_output=True,
        text=True,
        check=False,
        **run_as,
    )
    if result.returncode != 0:
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else result.stderr
        raise EmbeddedError(f"embedded PostgreSQL failed to start on port {port}:\n{tail}")
    for _ in range(100):
        if is_running(port):
            return url(port)
        time.sleep(0.1)
    raise EmbeddedError(f"embedded PostgreSQL did not open port {port}")


def stop(pgdata: Path) -> None:
    """Stop the embedded server (fast shutdown: running transactions roll back, data is kept)."""
    pgdata = pgdata.resolve()
    if not (pgdata / "postmaster.pid").exists():
        return
    subprocess.run(
        [str(_bin("pg_ctl")), "-D", str(pgdata), "-m", "fast", "-w", "stop"],
        capture_output=True,
        check=False,
        **_as_server_user(),
    )
