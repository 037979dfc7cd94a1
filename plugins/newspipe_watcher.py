"""The feed watcher: an Airflow event trigger that fires when a source publishes new articles.

``FeedWatcherTrigger`` runs in the triggerer. Every watcher on the same host shares one poll
loop (``shared_stream_key`` = host and interval): the loop polls the feeds and news sitemaps of
every registry source on that host with conditional GETs, through :func:`pipeline.stream.poll_host`
(in a worker thread: the poll is blocking I/O), and broadcasts what it found; each watcher fires
for its own source with ``{"source_id", "urls", "seen_at"}``, which Airflow stores on the Asset
event that schedules the source's ``stream_<id>`` DAG.

State (validators, URLs seen) lives in the warehouse, so a triggerer restart resumes where it
stopped. Interval default: 60 s (``PIPELINE_WATCH_INTERVAL``), never faster than the source's
politeness delay allows.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncIterator, Hashable
from typing import Any

from airflow.triggers.base import BaseEventTrigger, TriggerEvent

log = logging.getLogger(__name__)
CLASSPATH = "newspipe_watcher.FeedWatcherTrigger"


def default_interval() -> float:
    return float(os.environ.get("PIPELINE_WATCH_INTERVAL") or 60)


class FeedWatcherTrigger(BaseEventTrigger):
    """Fires with the new article URLs of one source, polling its host's listings."""

    def __init__(self, *, source_id: str, host: str, poll_interval: float = 60.0) -> None:
        super().__init__()
        self.source_id = source_id
        self.host = host
        self.poll_interval = poll_interval

    def serialize(self) -> tuple[str, dict[str, Any]]:
        return CLASSPATH, {
            "source_id": self.source_id,
            "host": self.host,
            "poll_interval": self.poll_interval,
        }

    def shared_stream_key(self) -> Hashable | None:
        """One poll per host and cadence, shared by every watcher of a source on that host."""
        return ("newspipe-feed-poll", self.host, self.poll_interval)

    @classmethod
    async def open_shared_stream(cls, kwargs: dict[str, Any]) -> AsyncIterator[Any]:
        """Poll the host's listings forever; yield each poll's new URLs (possibly none)."""
        host, configured = kwargs["host"], float(kwargs["poll_interval"])
        while True:
            try:
                found, interval = await asyncio.to_thread(_poll_once, host, configured)
            except Exception:  # a bad poll (warehouse down, ...) must not kill the watcher
                log.exception("feed watcher: poll of %s failed; retrying", host)
                found, interval = [], configured
            yield found
            await asyncio.sleep(interval)

    async def filter_shared_stream(self, shared_stream: AsyncIterator[Any]) -> AsyncIterator[TriggerEvent]:
        async for found in shared_stream:
            for item in found:
                if item["source_id"] == self.source_id and item["urls"]:
                    yield TriggerEvent(item)
                    return

    async def run(self) -> AsyncIterator[TriggerEvent]:
        """Stand-alone fallback (no shared-stream manager): the same poll, for this trigger alone."""
        async for event in self.filter_shared_stream(type(self).open_shared_stream(self.serialize()[1])):
            yield event
            return


def _poll_once(host: str, configured: float) -> tuple[list[dict[str, Any]], float]:
    from pipeline import stream, warehouse
    from pipeline.config import settings
    from pipeline.sources import load_sources

    sources = stream.sources_on_host(load_sources(settings().sources_file), host)
    found = stream.poll_host(warehouse.engine(), sources)
    interval = max([configured, *(stream.poll_interval(s, configured) for s in sources)])
    return [
        {"source_id": f.source_id, "urls": list(f.urls), "seen_at": f.seen_at.isoformat()} for f in found
    ], interval
