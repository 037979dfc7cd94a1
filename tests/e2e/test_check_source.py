"""``python -m pipeline check-source``: an entry tried on a saved page or a URL, before it is added.

The fixture sites are served over real HTTP on 127.0.0.1; nothing touches the warehouse. One test
runs the command as a user does (a subprocess); the others call ``main`` in-process, which runs
the same code without paying the interpreter start-up each time.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from pipeline.cli import main
from tests.support.fixture_site import FixtureSite
from tests.support.registry import registry_entry

pytestmark = pytest.mark.e2e


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["check-source", *args])
    out, err = capsys.readouterr()
    return status, out, err


def gold(site: FixtureSite, path_part: str) -> dict[str, Any]:
    return next(e for e in site.manifest()["articles"] if path_part in e["path"])


def write_entry(tmp_path: Path, entry: dict[str, Any]) -> Path:
    path = tmp_path / "new.yml"
    path.write_text(yaml.safe_dump(entry, allow_unicode=True), encoding="utf-8")
    return path


def test_saved_page_checked_with_a_registry_entry(registry, sites, tmp_path, capsys) -> None:
    site = sites["dailysabah"]
    entry = gold(site, "parliament-adopts-judicial-package")
    page = site.fetch_local(entry["path"])
    assert page is not None
    saved = tmp_path / "page.html.gz"
    saved.write_bytes(gzip.compress(page))

    status, out, _ = run(
        capsys, "--source", "daily-sabah", str(saved), "--url", site.url(entry["path"]), "--json"
    )

    assert status == 0
    report = json.loads(out)
    got = report["page"]
    assert report["source"] == "daily-sabah" and "listings" not in report
    assert got["loads"] is True and got["status"] is None  # a saved file: nothing was fetched
    assert got["title"] == entry["title"]
    assert got["published_at"] == entry["published_at"]
    assert got["modified_at"] == entry["modified_at"]
    assert got["authors"] == entry["authors"]  # none: "Daily Sabah with AA" credits organisations
    assert got["author_organizations"] == entry["author_organizations"]
    assert got["section"] == entry["section"] and got["tags"] == entry["tags"]
    assert got["canonical_url"] == site.base_url + entry["canonical_path"]
    assert got["language"] == "en" and got["paragraphs"] == entry["paragraphs"]
    assert got["body_start"].startswith(entry["body_starts_with"])
    assert got["body_end"].endswith(entry["body_ends_with"])
    assert got["word_count"] > 80 and got["extractor"]
    assert got["warnings"] == []
    assert not site.requests  # a saved page is checked offline


def test_new_entry_against_a_url_as_a_user_runs_it(sites, tmp_path) -> None:
    """A subprocess, a YAML file holding only the new entry, a page fetched politely."""
    site = sites["dailysabah"]
    site.reset()
    entry = gold(site, "ak-party-mhp-near-final-draft")
    new = write_entry(tmp_path, registry_entry(site))

    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "check-source", "--entry", str(new), site.url(entry["path"])],
        capture_output=True,
        text=True,
        env={**os.environ, "PIPELINE_SOURCES_FILE": str(tmp_path / "no-registry-needed.yml")},
    )

    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert "source     daily-sabah (Daily Sabah): entry is valid" in lines
    assert f"title      {entry['title']}" in lines
    assert f"published  {entry['published_at']}" in lines
    assert f"authors    {', '.join(entry['authors'])}" in lines
    assert f"section    {entry['section']}" in lines
    assert "HTTP 200" in result.stdout and "warnings" not in lines
    assert lines[-1] == "result     OK: ingest would load this page"
    assert [r.url_path for r in site.requests] == ["/robots.txt", entry["path"]]
    assert all("newspipe" in (r.user_agent or "") for r in site.requests)


def test_discover_lists_feeds_and_sitemaps_then_checks_the_newest_article(sites, tmp_path, capsys) -> None:
    site = sites["anadolu"]
    site.reset()
    manifest = site.manifest()
    new = write_entry(tmp_path, registry_entry(site))

    status, out, _ = run(capsys, "--entry", str(new), "--discover", "--json")

    assert status == 0
    report = json.loads(out)
    by_url = {c["url"]: c for c in report["listings"]}
    feed, index = manifest["source"]["feeds"][0], manifest["source"]["sitemaps"][0]
    assert by_url[feed]["kind"] == "feed" and by_url[index]["kind"] == "sitemap index"
    assert by_url[index]["listed"] == 2  # both children followed, whatever their lastmod
    listed = {e["path"] for e in manifest["articles"] if "feed" in e["listed_in"]}
    assert by_url[feed]["articles"] == by_url[feed]["listed"] == len(listed)
    sitemaps = [c for c in report["listings"] if c["kind"] == "sitemap"]
    assert sum(c["articles"] for c in sitemaps) == len(manifest["articles"])
    newest = max(manifest["articles"], key=lambda e: e["published_at"])
    assert report["page"]["url"] == site.url(newest["path"])
    assert report["page"]["title"] == newest["title"] and report["page"]["loads"] is True
    assert by_url[feed]["newest"] == newest["published_at"]


def test_pages_that_would_not_load_exit_non_zero(registry, sites, tmp_path, capsys) -> None:
    site = sites["dailysabah"]
    missing = site.url("/politics/no-such-story/news")
    status, out, _ = run(capsys, "--source", "daily-sabah", missing)
    assert status == 1
    assert "FAIL (fetch): http 404" in out

    listing = next(e for e in site.manifest()["articles"] if e["kind"] == "not_article")
    status, out, _ = run(capsys, "--source", "daily-sabah", site.url(listing["path"]), "--json")
    page = json.loads(out)["page"]
    assert status == 1 and page["loads"] is False and page["stage"] == "discover"
    assert (
        page["error"]
        == f"URL does not match article_url_pattern {site.manifest()['source']['article_url_pattern']!r}"
    )
    assert page["title"] == listing["title"]  # still shown: a wrong pattern or no article?

    empty = tmp_path / "empty.html"
    empty.write_text("<html><head><title>Daily Sabah</title></head><body></body></html>")
    status, out, _ = run(capsys, "--source", "daily-sabah", str(empty), "--json")
    assert status == 1
    assert json.loads(out)["page"]["error"] == "no body text found"


def test_a_short_undated_page_loads_with_warnings(registry, tmp_path, capsys) -> None:
    words = "The committee met on Tuesday and adjourned without a vote on the proposal"
    page = tmp_path / "short.html"
    page.write_text(
        f"<html lang='en'><head><title>Committee adjourns</title></head><body><article>"
        f"<h1>Committee adjourns</h1><p>{words}.</p><p>{words} again.</p></article></body></html>"
    )
    status, out, _ = run(capsys, "--source", "turkish-minute", str(page))
    assert status == 0
    assert "! no publication date found" in out
    counted = re.search(r"^words +(\d+) in \d+ paragraphs$", out, re.MULTILINE)
    assert counted is not None and int(counted.group(1)) < 80
    assert f"! body under 80 words ({counted.group(1)})" in out
    assert "! no page URL given (--url)" in out
    assert out.splitlines()[-1] == "result     OK: ingest would load this page"


def test_invalid_entry_is_rejected_naming_entry_and_field(sites, tmp_path, capsys) -> None:
    bad = write_entry(tmp_path, {**registry_entry(sites["trtworld"]), "timezone": "Europe/Istanbull"})
    status, out, err = run(capsys, "--entry", str(bad), "--discover")
    assert status == 2 and out == ""
    assert f"{bad}: sources[0] (id 'trt-world'): timezone: unknown time zone 'Europe/Istanbull'" in err
    two = tmp_path / "two.yml"
    two.write_text(
        yaml.safe_dump({"sources": [registry_entry(s) for s in (sites["trtworld"], sites["anadolu"])]})
    )
    status, _, err = run(capsys, "--entry", str(two), "--discover")
    assert status == 2 and "holds 2 entries (trt-world, anadolu-agency); pick one with --source" in err


def test_a_redirected_url_is_followed_as_ingest_follows_it(registry, sites, capsys) -> None:
    site = sites["duvar"]
    moved = next(e for e in site.manifest()["articles"] if e["kind"] == "redirect")
    target = gold(site, moved["redirect_to"])
    status, out, _ = run(capsys, "--source", "duvar-english", site.url(moved["path"]), "--json")
    got = json.loads(out)["page"]
    assert status == 0 and got["loads"] is True and got["url"] == site.url(moved["path"])
    assert got["title"] == target["title"]
    assert got["canonical_url"] == site.base_url + target["canonical_path"]
    assert [r.status for r in site.requests if r.url_path != "/robots.txt"] == [301, 200]
