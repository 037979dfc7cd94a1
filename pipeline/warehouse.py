"""The PostgreSQL warehouse: connecting, migrating, and the SQL the pipeline writes and reads.

Only this module (and :mod:`pipeline.load`) speaks SQL. ``WAREHOUSE_URL`` selects a server; when
it is unset the embedded server (:mod:`pipeline.embedded`) is started on demand.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url

from pipeline import embedded
from pipeline.config import PROJECT_ROOT, settings

MIGRATIONS_DIR = PROJECT_ROOT / "sql" / "migrations"
_MIGRATION_LOCK = 72_410_001  # pg_advisory_lock key for migrations
_NAME_RE = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


class MigrationError(RuntimeError):
    """The database's migration history disagrees with ``sql/migrations``."""


def warehouse_url() -> str:
    """The warehouse URL: ``WAREHOUSE_URL``, or the embedded server (started if needed)."""
    cfg = settings()
    if cfg.warehouse_url:
        return _with_driver(cfg.warehouse_url)
    url = embedded.url(cfg.embedded_pg_port, "warehouse")
    if url not in _ENGINES or not embedded.is_running(cfg.embedded_pg_port):
        server = embedded.start(cfg.state_dir / "pgdata", cfg.embedded_pg_port)
        ensure_database(server, "warehouse")
    return url


def _with_driver(url: str) -> str:
    """Use psycopg 3 for plain ``postgresql://`` URLs."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


_ENGINES: dict[str, Engine] = {}


def engine(url: str | None = None) -> Engine:
    """A pooled engine for *url* (default: :func:`warehouse_url`), one per URL per process."""
    key = _with_driver(url) if url else warehouse_url()
    if key not in _ENGINES:
        _ENGINES[key] = sa.create_engine(
            key, pool_pre_ping=True, pool_size=5, max_overflow=5, connect_args={"connect_timeout": 10}
        )
    return _ENGINES[key]


def dispose_engines() -> None:
    """Close every pooled connection (tests, forked workers)."""
    for eng in _ENGINES.values():
        eng.dispose()
    _ENGINES.clear()


def ensure_database(server_url: str, name: str) -> None:
    """Create database *name* on the server of *server_url* if it does not exist."""
    admin = sa.create_engine(_with_driver(server_url), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.execute(
                sa.text("select 1 from pg_database where datname = :n"), {"n": name}
            ).scalar()
            if not exists:
                conn.execute(sa.text(f'create database "{name}"'))
    finally:
        admin.dispose()


def database_url(url: str, database: str) -> str:
    """*url* pointing at another database on the same server."""
    return make_url(_with_driver(url)).set(database=database).render_as_string(hide_password=False)


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


def migrations(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """The migration files, in version order (``NNNN_name.sql``)."""
    found = []
    for path in sorted(directory.glob("*.sql")):
        match = _NAME_RE.match(path.name)
        if not match:
            raise MigrationError(f"{path.name}: migration files are named NNNN_name.sql")
        found.append(Migration(int(match.group(1)), match.group(2), path.read_text(encoding="utf-8")))
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise MigrationError("two migrations share a version number")
    return found


def migrate(eng: Engine | None = None, directory: Path = MIGRATIONS_DIR) -> list[str]:
    """Apply pending migrations once each, in order, under an advisory lock.

    Returns the names applied (empty when up to date). Raises :class:`MigrationError` when an
    applied migration's file changed since.
    """
    eng = eng or engine()
    applied_now: list[str] = []
    with eng.connect() as conn:
        conn.execute(sa.text("select pg_advisory_lock(:k)"), {"k": _MIGRATION_LOCK})
        try:
            conn.execute(sa.text("create schema if not exists meta"))
            conn.execute(
                sa.text(
                    "create table if not exists meta.schema_migrations ("
                    " version integer primary key, name text not null, checksum text not null,"
                    " applied_at timestamptz not null default now())"
                )
            )
            conn.commit()
            done = {
                row.version: row.checksum
                for row in conn.execute(sa.text("select version, checksum from meta.schema_migrations"))
            }
            conn.commit()
            for m in migrations(directory):
                if m.version in done:
                    if done[m.version] != m.checksum:
                        raise MigrationError(
                            f"migration {m.version:04d}_{m.name} changed after it was applied; "
                            "add a new migration instead of editing an applied one"
                        )
                    continue
                with conn.begin():
                    conn.exec_driver_sql(m.sql)
                    conn.execute(
                        sa.text(
                            "insert into meta.schema_migrations (version, name, checksum) values (:v, :n, :c)"
                        ),
                        {"v": m.version, "n": m.name, "c": m.checksum},
                    )
                applied_now.append(f"{m.version:04d}_{m.name}")
        finally:
            conn.execute(sa.text("select pg_advisory_unlock(:k)"), {"k": _MIGRATION_LOCK})
            conn.commit()
    return applied_now
