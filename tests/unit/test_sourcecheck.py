"""check-source's core: reading a new entry, and judging a page against an entry, offline."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from pipeline.config import PROJECT_ROOT
from pipeline.records import FetchResult
from pipeline.sourcecheck import PageCheck, check_result, load_entry
from pipeline.sources import Source, SourceConfigError, get_source, load_sources, parse_sources
from tests.support.fixture_site import available_sites, site_root

SHIPPED = load_sources(PROJECT_ROOT / "sources.yml")
ENTRY = {
    "id": "example-news",
    "name": "Example News",
    "homepage": "https://example.org/",
    "language": "en",
    "timezone": "Europe/Istanbul",
    "feeds": ["https://example.org/rss"],
    "article_url_pattern": r"^/news/\d+$",
}


def page(html: str, url: str) -> FetchResult:
    return FetchResult(url, url, 200, {}, html.encode(), datetime(2020, 1, 21, tzinfo=UTC), text=html)


def check(source: Source, html: str, url: str | None) -> PageCheck:
    result = page(html, url or "file:///saved/page.html")
    return check_result(source, result, page=url or "page.html", url=url, status=200 if url else None)


def outlet_copy(site: str) -> tuple[Source, dict[str, Any], str, str]:
    """The shipped entry of a fixture site's outlet, its first article's gold, and the page as if
    served from the outlet's own host (the fixture's ``{{BASE}}`` replaced by the real origin)."""
    manifest = json.loads((site_root(site) / "manifest.json").read_text(encoding="utf-8"))
    source = get_source(SHIPPED, manifest["source"]["id"])
    entry = next(e for e in manifest["articles"] if e["kind"] == "article")
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(source.homepage))
    files = list((site_root(site) / "public").glob(entry["path"].strip("/") + "*"))
    html = (files[0] / "index.html" if files[0].is_dir() else files[0]).read_text(encoding="utf-8")
    return source, entry, html.replace("{{BASE}}", origin), origin + entry["path"]


@pytest.mark.parametrize("site", [s for s in available_sites() if s != "unseen"])
def test_shipped_entry_loads_a_copy_of_its_outlets_page(site: str) -> None:
    """No code per source: the YAML entry alone turns the outlet's markup into the gold fields."""
    source, entry, html, url = outlet_copy(site)
    got = check(source, html, url)
    assert got.loads, (got.stage, got.error)
    assert got.title == entry["title"]
    assert got.published_at == entry["published_at"]
    assert got.modified_at == entry["modified_at"]
    assert got.section == entry["section"] and list(got.tags) == entry["tags"]
    assert got.canonical_url == url.removesuffix(entry["path"]) + entry["canonical_path"]
    assert got.body_start.startswith(entry["body_starts_with"])
    assert got.warnings == (), got.warnings


def test_url_outside_the_pattern_would_not_load_but_fields_are_shown() -> None:
    source, entry, html, url = outlet_copy("dailysabah")
    got = check(source, html, url.removesuffix("/news"))
    assert not got.loads and got.stage == "discover"
    assert "article_url_pattern" in got.error and got.title == entry["title"]


def test_warnings_name_what_is_likely_wrong() -> None:
    (source,) = parse_sources({"sources": [ENTRY]})
    html = (
        "<html lang='tr'><head><title>Kısa haber</title>"
        "<link rel='canonical' href='https://example.org/story?id=7'></head><body><article>"
        "<h1>Kısa haber</h1><p>Meclis Genel Kurulu bugün toplandı ve teklifi görüştü.</p></article>"
        "</body></html>"
    )
    got = check(source, html, "https://example.org/news/7")
    assert got.loads
    text = "\n".join(got.warnings)
    assert "no publication date found" in text
    assert "no byline found" in text
    assert f"body under 80 words ({got.word_count})" in text
    assert "canonical URL https://example.org/story?id=7 does not match article_url_pattern" in text
    assert "language 'tr' differs from the entry's 'en'" in text
    assert "no section found" in text
    assert "no page URL given" not in text


def test_a_saved_page_without_url_is_not_checked_against_the_pattern() -> None:
    (source,) = parse_sources({"sources": [ENTRY]})
    got = check(source, "<html><head><title>x</title></head><body></body></html>", None)
    assert not got.loads and got.stage == "normalize" and got.error == "no body text found"
    assert got.warnings == ("no page URL given (--url): article_url_pattern not checked against it",)


def entry_file(path: Path, data: Any) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "shape",
    [ENTRY, [ENTRY], {"sources": [ENTRY]}],
    ids=["one mapping", "a list", "a registry"],
)
def test_an_entry_file_may_hold_the_entry_in_any_shape(shape: Any, tmp_path: Path) -> None:
    source = load_entry(entry_file(tmp_path / "new.yml", shape))
    assert source.id == "example-news" and source.feeds == ("https://example.org/rss",)


def test_entry_files_with_errors_are_named(tmp_path: Path) -> None:
    other = {**ENTRY, "id": "other-news"}
    two = entry_file(tmp_path / "two.yml", [ENTRY, other])
    with pytest.raises(SourceConfigError, match=r"holds 2 entries \(example-news, other-news\)"):
        load_entry(two)
    assert load_entry(two, "other-news").id == "other-news"
    bad = entry_file(tmp_path / "new.yml", {**ENTRY, "language": "English"})
    with pytest.raises(SourceConfigError, match=r"new.yml: sources\[0\] \(id 'example-news'\): language"):
        load_entry(bad)
    with pytest.raises(SourceConfigError, match="cannot read"):
        load_entry(tmp_path / "missing.yml")
    (tmp_path / "bad.yml").write_text("id: [\n")
    with pytest.raises(SourceConfigError, match="not valid YAML"):
        load_entry(tmp_path / "bad.yml")
