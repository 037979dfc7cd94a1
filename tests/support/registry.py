"""Registry entries for the fixture sites, and their gold expectations."""

from __future__ import annotations

from typing import Any

from tests.support.fixture_site import FixtureSite


def registry_entry(site: FixtureSite, **overrides: Any) -> dict[str, Any]:
    """The site's ``sources.yml`` entry: its manifest's source block, allowed on 127.0.0.1."""
    entry = dict(site.manifest()["source"])
    entry.setdefault("homepage", site.base_url + "/")
    entry.update(allow_private_network=True, politeness_delay=0.0)
    entry.update(overrides)
    return entry


def articles_in(site: FixtureSite, start: str, end: str) -> list[dict[str, Any]]:
    """Manifest entries of pages that are articles published in [start, end) (ISO UTC strings)."""
    return [
        e
        for e in site.manifest()["articles"]
        if e["kind"] in ("article", "changing", "flaky") and start <= e["published_at"] < end
    ]
