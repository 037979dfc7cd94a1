"""The source registry: the shipped file validates; bad entries name entry and field."""

from __future__ import annotations

import json

import pytest

from pipeline.config import PROJECT_ROOT
from pipeline.sources import SourceConfigError, get_source, load_sources, parse_sources
from tests.support.fixture_site import available_sites, site_root

GOOD = {
    "id": "example-news",
    "name": "Example News",
    "homepage": "https://example.org/",
    "language": "en",
    "timezone": "Europe/Istanbul",
    "feeds": ["https://example.org/rss"],
    "article_url_pattern": r"-\d+$",
}


def test_shipped_registry_is_valid_and_has_duvar_and_peers() -> None:
    sources = load_sources(PROJECT_ROOT / "sources.yml")
    ids = [s.id for s in sources]
    assert ids[0] == "duvar-english"
    assert len(ids) >= 3
    duvar = get_source(sources, "duvar-english")
    assert duvar.dag_id == "ingest_duvar_english"
    assert duvar.feeds == ("https://www.duvarenglish.com/rss",)
    assert duvar.is_article_url("https://www.duvarenglish.com/some-story-news-48920")
    assert not duvar.is_article_url("https://www.duvarenglish.com/tag/chp")
    assert all(not s.allow_private_network for s in sources)


TURKISH_POLITICS_IN_ENGLISH = {
    "duvar-english",
    "bianet-english",
    "turkish-minute",
    "hurriyet-daily-news",
    "daily-sabah",
    "anadolu-agency",
    "trt-world",
}


def test_shipped_registry_covers_turkish_politics_in_english() -> None:
    sources = {s.id: s for s in load_sources(PROJECT_ROOT / "sources.yml")}
    assert set(sources) >= TURKISH_POLITICS_IN_ENGLISH
    for source_id in TURKISH_POLITICS_IN_ENGLISH:
        s = sources[source_id]
        assert s.language == "en" and s.timezone == "Europe/Istanbul", source_id
        assert s.feeds or s.sitemaps, source_id
        assert s.politeness_delay >= 1.0, source_id


@pytest.mark.parametrize("site_name", [n for n in available_sites() if n != "unseen"])
def test_shipped_patterns_accept_the_fixture_copies_articles(site_name: str) -> None:
    """Each fixture site copies an outlet's URL scheme: the shipped entry must accept its
    article URLs and reject its section and listing pages."""
    manifest = json.loads((site_root(site_name) / "manifest.json").read_text(encoding="utf-8"))
    source = get_source(load_sources(PROJECT_ROOT / "sources.yml"), manifest["source"]["id"])
    for entry in manifest["articles"]:
        url = "https://example.org" + entry["path"]
        if entry["kind"] == "not_article":
            assert not source.is_article_url(url), entry["path"]
        elif entry["kind"] != "redirect":  # an old article URL: it matches too, and is followed
            assert source.is_article_url(url), entry["path"]


def test_defaults() -> None:
    (source,) = parse_sources({"sources": [GOOD]})
    assert source.schedule == "@hourly"
    assert source.politeness_delay == 1.0
    assert source.sitemaps == ()
    assert source.pool == "source_example_news"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"id": "Bad Id"}, "id"),
        ({"timezone": "Europe/Istanbull"}, "timezone"),
        ({"feeds": ["ftp://example.org/rss"]}, "feeds"),
        ({"feeds": "not a url"}, "feeds"),
        ({"article_url_pattern": "(unclosed"}, "article_url_pattern"),
        ({"politeness_delay": -1}, "politeness_delay"),
        ({"allow_private_network": "yes"}, "allow_private_network"),
        ({"selectors": {"title": "h1["}}, "selectors.title"),
        ({"selectors": {"headline": "h1"}}, "selectors.headline"),
        ({"language": "English"}, "language"),
        ({"schedule": "*/5 * * * *"}, "schedule"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_invalid_entries_name_entry_and_field(change: dict, field: str) -> None:
    entry = {**GOOD, **change}
    with pytest.raises(SourceConfigError) as err:
        parse_sources({"sources": [GOOD | {"id": "first-one"}, entry]}, origin="my.yml")
    message = str(err.value)
    assert message.startswith("my.yml: sources[1]")
    assert f": {field}:" in message


def test_missing_required_field() -> None:
    entry = {k: v for k, v in GOOD.items() if k != "timezone"}
    with pytest.raises(SourceConfigError, match=r"sources\[0\] \(id 'example-news'\): timezone: required"):
        parse_sources({"sources": [entry]})


def test_duplicate_ids_rejected() -> None:
    with pytest.raises(SourceConfigError, match="duplicate id"):
        parse_sources({"sources": [GOOD, GOOD]})


def test_not_a_registry(tmp_path) -> None:
    path = tmp_path / "s.yml"
    path.write_text("- just a list\n")
    with pytest.raises(SourceConfigError, match="top-level 'sources:' list"):
        load_sources(path)
    with pytest.raises(SourceConfigError, match="no such sources file"):
        load_sources(tmp_path / "missing.yml")
    path.write_text("sources: [\n")
    with pytest.raises(SourceConfigError, match="not valid YAML"):
        load_sources(path)


def test_unknown_source_lists_known() -> None:
    sources = parse_sources({"sources": [GOOD]})
    with pytest.raises(SourceConfigError, match="known: example-news"):
        get_source(sources, "nope")
