"""The fixture news sites (tests/fixtures/sites) and their HTTP server behave as documented."""

from __future__ import annotations

import gzip
import html
import re
import sys
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import pytest
import requests

try:
    from tests.support.fixture_site import FixtureSite, available_sites, serve_sites
except ModuleNotFoundError:  # plain `pytest` run without the repo root on sys.path
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from tests.support.fixture_site import FixtureSite, available_sites, serve_sites

SITE_NAMES = available_sites()
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
    "atom": "http://www.w3.org/2005/Atom",
}
SERVED_KINDS = {"article", "changing", "flaky", "robots_disallowed", "not_article"}


@pytest.fixture(scope="module")
def sites() -> Iterator[dict[str, FixtureSite]]:
    running = serve_sites(SITE_NAMES)
    try:
        yield running
    finally:
        for site in running.values():
            site.stop()


@pytest.fixture(autouse=True)
def _fresh_sites(sites: dict[str, FixtureSite]) -> None:
    for site in sites.values():
        site.reset()


@pytest.fixture
def duvar(sites: dict[str, FixtureSite]) -> FixtureSite:
    return sites["duvar"]


def entries(site: FixtureSite, kind: str | None = None) -> list[dict]:
    return [e for e in site.manifest()["articles"] if kind is None or e["kind"] == kind]


def one(site: FixtureSite, kind: str) -> dict:
    found = entries(site, kind)
    assert len(found) >= 1, kind
    return found[0]


def encoding_of(entry: dict) -> str:
    return entry.get("encoding", "utf-8")


# ----------------------------------------------------------------------------- server basics
def test_expected_sites_exist() -> None:
    assert set(SITE_NAMES) == {
        "duvar",
        "bianet",
        "turkishminute",
        "hurriyet",
        "unseen",
        "dailysabah",
        "anadolu",
        "trtworld",
    }


def test_base_url_and_templating(duvar: FixtureSite) -> None:
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", duvar.base_url)
    robots = requests.get(duvar.url("/robots.txt"), timeout=5)
    assert robots.status_code == 200
    assert robots.headers["Content-Type"].startswith("text/plain")
    assert f"Sitemap: {duvar.base_url}/sitemap_index.xml" in robots.text
    assert "{{BASE}}" not in robots.text
    seed = next(e for e in entries(duvar) if e.get("seed"))
    page = requests.get(duvar.url(seed["path"]), timeout=5)
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert f'<link rel="canonical" href="{duvar.base_url}{seed["path"]}">' in page.text
    assert "{{BASE}}" not in page.text
    source = duvar.manifest()["source"]
    assert source["feeds"] == [f"{duvar.base_url}/rss"]


def test_gzip_sitemap_is_rendered_then_gzipped(duvar: FixtureSite) -> None:
    r = requests.get(duvar.url("/sitemaps/news-2020-01.xml.gz"), timeout=5)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "application/x-gzip"
    assert "Content-Encoding" not in r.headers
    xml = gzip.decompress(r.content)
    root = ET.fromstring(xml)
    assert root.tag == f"{{{NS['sm']}}}urlset"
    locs = [loc.text for loc in root.iterfind("sm:url/sm:loc", NS)]
    assert locs
    assert all(loc.startswith(duvar.base_url + "/") for loc in locs)
    assert root.find("sm:url/news:news/news:publication_date", NS) is not None
    plain = requests.get(duvar.url("/sitemaps/news-2020-01.xml"), timeout=5)
    assert plain.content == xml


def test_conditional_get(duvar: FixtureSite) -> None:
    path = "/rss"
    first = requests.get(duvar.url(path), timeout=5)
    etag, last_modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert etag.startswith('"')
    assert etag.endswith('"')
    assert last_modified == "Thu, 23 Jan 2020 15:00:00 GMT"
    assert first.headers["Content-Type"] == "application/rss+xml; charset=utf-8"

    again = requests.get(duvar.url(path), headers={"If-None-Match": etag}, timeout=5)
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["ETag"] == etag

    stale = requests.get(duvar.url(path), headers={"If-None-Match": '"other"'}, timeout=5)
    assert stale.status_code == 200
    ims = requests.get(duvar.url(path), headers={"If-Modified-Since": last_modified}, timeout=5)
    assert ims.status_code == 304
    older = requests.get(
        duvar.url(path), headers={"If-Modified-Since": "Wed, 22 Jan 2020 00:00:00 GMT"}, timeout=5
    )
    assert older.status_code == 200
    assert [r.status for r in duvar.requests] == [200, 304, 200, 304, 200]


def test_variants_change_content_and_etag(duvar: FixtureSite) -> None:
    entry = one(duvar, "changing")
    v0, v1 = entry["variants"]
    first = requests.get(duvar.url(entry["path"]), timeout=5)
    assert v0["contains"] in first.text
    assert v0["title"] in first.text
    duvar.set_variant(entry["path"], 1)
    second = requests.get(duvar.url(entry["path"]), timeout=5)
    assert v1["contains"] in second.text
    assert v1["title"] in second.text
    assert v0["contains"] not in second.text
    assert second.headers["ETag"] != first.headers["ETag"]
    assert second.headers["Last-Modified"] != first.headers["Last-Modified"]
    # the old ETag no longer validates
    cond = requests.get(duvar.url(entry["path"]), headers={"If-None-Match": first.headers["ETag"]}, timeout=5)
    assert cond.status_code == 200
    duvar.reset()
    assert requests.get(duvar.url(entry["path"]), timeout=5).headers["ETag"] == first.headers["ETag"]
    with pytest.raises(IndexError):
        duvar.set_variant(entry["path"], 2)
    with pytest.raises(KeyError):
        duvar.set_variant("/no-such-page", 0)


def test_flaky_answers_429_then_200(duvar: FixtureSite) -> None:
    entry = one(duvar, "flaky")
    url = duvar.url(entry["path"])
    first = requests.get(url, timeout=5)
    assert first.status_code == 429
    assert first.headers["Retry-After"] == "1"
    second = requests.get(url, timeout=5)
    assert second.status_code == 200
    assert entry["title"] in second.text
    duvar.reset()
    assert requests.get(url, timeout=5).status_code == 429


def test_broken_always_500(duvar: FixtureSite) -> None:
    entry = one(duvar, "broken")
    for _ in range(3):
        assert requests.get(duvar.url(entry["path"]), timeout=5).status_code == 500


def test_redirect_is_301_to_absolute_target(duvar: FixtureSite) -> None:
    entry = one(duvar, "redirect")
    r = requests.get(duvar.url(entry["path"]), allow_redirects=False, timeout=5)
    assert r.status_code == 301
    assert r.headers["Location"] == duvar.url(entry["redirect_to"])
    followed = requests.get(duvar.url(entry["path"]), timeout=5)
    assert followed.status_code == 200
    assert followed.url == duvar.url(entry["redirect_to"])


def test_windows_1254_page_served_byte_for_byte(duvar: FixtureSite) -> None:
    entry = next(e for e in entries(duvar) if e.get("encoding") == "windows-1254")
    file = duvar.resolve_file(entry["path"])
    assert file is not None
    expected = file.read_bytes().replace(b"{{BASE}}", duvar.base_url.encode())
    r = requests.get(duvar.url(entry["path"]), timeout=5)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "text/html"
    assert r.content == expected
    with pytest.raises(UnicodeDecodeError):
        r.content.decode("utf-8")
    text = r.content.decode("cp1254")
    assert 'charset=windows-1254"' in text
    assert entry["title"] in text
    assert entry["body_starts_with"] in text
    for ch in "ğşıİçöü":
        assert ch in text


def test_request_log_records_headers(duvar: FixtureSite) -> None:
    req = urllib.request.Request(duvar.url("/robots.txt?x=1"), headers={"User-Agent": "newspipe-test/1.0"})
    with urllib.request.urlopen(req, timeout=5) as resp:  # urllib sends "User-agent"
        assert resp.status == 200
    (record,) = duvar.requests
    assert record.method == "GET"
    assert record.path == "/robots.txt?x=1"
    assert record.url_path == "/robots.txt"
    assert record.status == 200
    assert record.headers["User-Agent"] == "newspipe-test/1.0"
    assert record.user_agent == "newspipe-test/1.0"
    assert duvar.requests_for("/robots.txt") == [record]


def test_head_404_and_query_strings(duvar: FixtureSite) -> None:
    head = requests.head(duvar.url("/rss"), timeout=5)
    get = requests.get(duvar.url("/rss"), timeout=5)
    assert head.status_code == 200
    assert head.content == b""
    assert int(head.headers["Content-Length"]) == len(get.content)
    assert head.headers["ETag"] == get.headers["ETag"]
    assert requests.get(duvar.url("/no/such/page"), timeout=5).status_code == 404
    assert requests.get(duvar.url("/../site.json"), timeout=5).status_code == 404
    assert requests.get(duvar.url("/rss?utm_source=x"), timeout=5).content == get.content
    assert [r.method for r in duvar.requests][:2] == ["HEAD", "GET"]


def test_add_file_publishes_at_run_time(duvar: FixtureSite) -> None:
    path = "/politics/breaking-new-story-news-49999"
    assert requests.get(duvar.url(path), timeout=5).status_code == 404
    duvar.add_file(path, '<html><link rel="canonical" href="{{BASE}}/x">İ</html>')
    r = requests.get(duvar.url(path), timeout=5)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "text/html; charset=utf-8"
    assert f'href="{duvar.base_url}/x"' in r.text
    assert "İ" in r.text
    duvar.add_file("/rss", "<rss version='2.0'><channel/></rss>", "application/rss+xml")
    assert requests.get(duvar.url("/rss"), timeout=5).text == "<rss version='2.0'><channel/></rss>"
    gz = requests.get(duvar.url("/extra.xml.gz"), timeout=5)
    assert gz.status_code == 404
    duvar.add_file("/extra.xml", "<a>{{BASE}}</a>")
    gz = requests.get(duvar.url("/extra.xml.gz"), timeout=5)
    assert gzip.decompress(gz.content).decode() == f"<a>{duvar.base_url}</a>"
    duvar.reset()
    assert requests.get(duvar.url(path), timeout=5).status_code == 404


def test_concurrent_requests_are_all_logged(duvar: FixtureSite) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda _: requests.get(duvar.url("/"), timeout=5).status_code, range(40)))
    assert statuses == [200] * 40
    assert len(duvar.requests) == 40


def test_context_manager_and_stop() -> None:
    with FixtureSite(Path(__file__).resolve().parents[1] / "fixtures" / "sites" / "unseen") as s:
        assert requests.get(s.url("/robots.txt"), timeout=5).status_code == 200
        url = s.url("/robots.txt")
    with pytest.raises(requests.ConnectionError):
        requests.get(url, timeout=2)


# ----------------------------------------------------------------------------- site content
def listed_urls(site: FixtureSite) -> dict[str, set[str]]:
    """All URLs found in the site's feeds and sitemaps (incl. robots.txt Sitemap lines and
    sitemap indexes), as paths relative to base_url; every document must parse as XML."""
    manifest = site.manifest()
    found: dict[str, set[str]] = {"feed": set(), "sitemap": set()}

    def fetch_xml(url: str) -> ET.Element:
        r = requests.get(url, timeout=5)
        assert r.status_code == 200, url
        data = gzip.decompress(r.content) if url.endswith(".gz") else r.content
        assert b"{{BASE}}" not in data
        return ET.fromstring(data)

    def rel(url: str) -> str:
        assert url.startswith(site.base_url + "/"), url
        return url[len(site.base_url) :]

    for feed in manifest["source"]["feeds"]:
        root = fetch_xml(feed)
        if root.tag == "rss":
            links = [el.text or "" for el in root.iterfind("channel/item/link")]
        else:
            assert root.tag == f"{{{NS['atom']}}}feed"
            links = [
                el.get("href", "")
                for el in root.iterfind("atom:entry/atom:link", NS)
                if el.get("rel", "alternate") == "alternate"
            ]
        assert links, feed
        found["feed"].update(rel(link) for link in links)

    robots = requests.get(site.url("/robots.txt"), timeout=5).text
    queue = list(manifest["source"]["sitemaps"])
    queue += [
        line.split(":", 1)[1].strip() for line in robots.splitlines() if line.lower().startswith("sitemap:")
    ]
    seen: set[str] = set()
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        root = fetch_xml(url)
        if root.tag == f"{{{NS['sm']}}}sitemapindex":
            queue += [loc.text or "" for loc in root.iterfind("sm:sitemap/sm:loc", NS)]
        else:
            assert root.tag == f"{{{NS['sm']}}}urlset", url
            found["sitemap"].update(rel(loc.text or "") for loc in root.iterfind("sm:url/sm:loc", NS))
    return found


@pytest.mark.parametrize("name", SITE_NAMES)
def test_feeds_and_sitemaps_match_manifest(sites: dict[str, FixtureSite], name: str) -> None:
    site = sites[name]
    found = listed_urls(site)
    for channel in ("feed", "sitemap"):
        expected = {
            e.get("feed_path", e["path"]) if channel == "feed" else e["path"]
            for e in entries(site)
            if channel in e["listed_in"]
        }
        assert found[channel] == expected, channel


@pytest.mark.parametrize("name", SITE_NAMES)
def test_manifest_entries_are_served(sites: dict[str, FixtureSite], name: str) -> None:
    site = sites[name]
    manifest = site.manifest()
    pattern = re.compile(manifest["source"]["article_url_pattern"])
    assert manifest["source"]["timezone"] == "Europe/Istanbul"
    for entry in manifest["articles"]:
        path, kind = entry["path"], entry["kind"]
        if kind == "redirect":
            assert site.resolve_file(entry["redirect_to"]) is not None, path
            assert requests.get(site.url(path), allow_redirects=False, timeout=5).status_code == 301
            continue
        assert site.resolve_file(path) is not None, path
        if kind == "not_article":
            assert not pattern.search(path), path
        else:
            assert pattern.search(path), path
        if kind == "broken":
            assert requests.get(site.url(path), timeout=5).status_code == 500
            continue
        r = requests.get(site.url(path), timeout=5)
        if kind == "flaky":
            assert r.status_code == 429
            r = requests.get(site.url(path), timeout=5)
        assert kind in SERVED_KINDS
        assert r.status_code == 200, path


ARTICLE_FIELDS = {
    "title",
    "published_at",
    "modified_at",
    "authors",
    "author_organizations",
    "section",
    "tags",
    "language",
    "canonical_path",
    "body_starts_with",
    "body_ends_with",
    "paragraphs",
    "must_not_contain",
    "listed_in",
}


@pytest.mark.parametrize("name", SITE_NAMES)
def test_manifest_expectations_are_consistent_with_pages(sites: dict[str, FixtureSite], name: str) -> None:
    site = sites[name]
    for entry in entries(site):
        if entry["kind"] in {"redirect", "not_article"}:
            continue
        assert entry.keys() >= ARTICLE_FIELDS, entry["path"]
        published = datetime.fromisoformat(entry["published_at"])
        assert entry["published_at"].endswith("+00:00")
        assert published == datetime.fromisoformat(entry["published_local"])
        assert 3 <= entry["paragraphs"] <= 10
        assert len(entry["body_starts_with"]) == 60 == len(entry["body_ends_with"])
        raw = site.fetch_local(entry["path"])
        assert raw is not None
        assert 3_000 <= len(raw) <= 15_000, (entry["path"], len(raw))
        text = html.unescape(raw.decode(encoding_of(entry)))
        assert entry["title"] in text
        assert entry["body_starts_with"] in text
        assert entry["body_ends_with"] in text
        # the boilerplate the parser must strip really is on the page
        for snippet in entry["must_not_contain"]:
            assert snippet in text, (entry["path"], snippet)
        # bylines: people and organisations apart, every credited name (and the credit as
        # printed, when it differs) on the page
        people, orgs = entry["authors"], entry["author_organizations"]
        assert people or orgs, entry["path"]
        assert not set(people) & set(orgs), entry["path"]
        for credit in [*people, *orgs, *([entry["byline"]] if "byline" in entry else [])]:
            assert credit in text, (entry["path"], credit)
