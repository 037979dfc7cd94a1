"""URL identity: every URL of one article gives one identity; different articles stay apart."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.normalize import choose_canonical
from pipeline.sources import SourceConfigError, parse_sources
from pipeline.urls import article_identity, identity_url, is_variant, native_id, same_site

HOME = "https://www.duvarenglish.com/"
MAIN = "https://www.duvarenglish.com/politics/chp-seeks-inquiry-news-47011"

VARIANTS = [
    MAIN,
    "https://www.duvarenglish.com/amp/politics/chp-seeks-inquiry-news-47011",
    "https://www.duvarenglish.com/politics/chp-seeks-inquiry-news-47011/amp",
    "https://www.duvarenglish.com/politics/chp-seeks-inquiry-news-47011/amp/",
    "https://www.duvarenglish.com/politics/chp-seeks-inquiry-news-47011?amp=1",
    "https://www.duvarenglish.com/politics/chp-seeks-inquiry-news-47011?amp",
    "https://amp.duvarenglish.com/politics/chp-seeks-inquiry-news-47011",
    "https://www.duvarenglish.com/politics/chp-seeks-inquiry-news-47011?outputType=amp",
    "https://www.duvarenglish.com/print/politics/chp-seeks-inquiry-news-47011",
    "https://www.duvarenglish.com/politics/chp-seeks-inquiry-news-47011/print",
    "https://www.duvarenglish.com/politics/chp-seeks-inquiry-news-47011?print=1",
    "https://www.duvarenglish.com/politics/chp-seeks-inquiry-news-47011?view=print",
    "http://www.duvarenglish.com/politics/chp-seeks-inquiry-news-47011",
    "https://duvarenglish.com/politics/chp-seeks-inquiry-news-47011",
    "http://duvarenglish.com/politics/chp-seeks-inquiry-news-47011/",
    "https://WWW.DuvarEnglish.com:443/politics/chp-seeks-inquiry-news-47011#comments",
    "https://www.duvarenglish.com/politics/chp-seeks-inquiry-news-47011?utm_source=twitter&fbclid=x",
    "https://www.duvarenglish.com//politics//chp-seeks-inquiry-news-47011",
]


@pytest.mark.parametrize("url", VARIANTS)
def test_every_variant_has_the_main_pages_identity(url: str) -> None:
    assert identity_url(url, HOME) == MAIN


def test_variants_are_recognised_and_the_main_page_is_not() -> None:
    assert not is_variant(MAIN)
    assert not is_variant("http://duvarenglish.com/politics/chp-seeks-inquiry-news-47011/?page=2")
    amp_or_print = [u for u in VARIANTS if "amp" in u.lower() or "print" in u.lower()]
    assert len(amp_or_print) == 11
    assert all(is_variant(u) for u in amp_or_print)


def test_identifying_query_parameters_are_kept_and_sorted() -> None:
    a = identity_url("https://news.example.org/article.php?id=5&lang=en&utm_medium=x", None)
    b = identity_url("https://news.example.org/article.php?lang=en&id=5&amp=1", None)
    assert a == b == "https://news.example.org/article.php?id=5&lang=en"
    assert identity_url("https://news.example.org/article.php?id=6&lang=en") != a


def test_different_articles_and_sites_stay_apart() -> None:
    other = "https://www.duvarenglish.com/politics/another-story-news-47012"
    assert identity_url(other, HOME) != MAIN
    # another site keeps its own host and scheme, whatever the homepage
    assert (
        identity_url("http://bianet.org/english/politics/1-x", HOME)
        == "http://bianet.org/english/politics/1-x"
    )
    # a subdomain is another desk, not the same site
    assert not same_site("https://english.example.com/a", "https://example.com/a")
    assert same_site("https://amp.example.com/a", "http://www.example.com/b")


def test_homepage_scheme_and_host_decide() -> None:
    bare_home = "http://example.com/"
    assert identity_url("https://www.example.com/a-1/", bare_home) == "http://example.com/a-1"
    assert identity_url("https://www.example.com/a-1/", bare_home, keep_trailing_slash=True) == (
        "http://example.com/a-1/"
    )
    assert identity_url("https://example.com/", bare_home) == "http://example.com/"


def test_native_id_reads_the_outlets_id() -> None:
    pattern = r"-news-(\d+)$"
    assert native_id(MAIN, pattern) == "47011"
    assert native_id("https://www.duvarenglish.com/politics/renamed-story-news-47011", pattern) == "47011"
    assert native_id(MAIN, None) is None
    assert native_id("https://www.duvarenglish.com/about", pattern) is None
    bianet = r"^/(?:english/[a-z-]+/|haber/[a-z0-9-]+-)(\d+)(?:-|$)"
    assert native_id("https://bianet.org/english/politics/217890-parliament-rejects", bianet) == "217890"
    assert native_id("https://bianet.org/haber/secim-2023-yasasi-283001", bianet) == "283001"


def test_article_identity_of_an_amp_page_uses_its_same_site_canonical() -> None:
    amp = "https://www.duvarenglish.com/amp/politics/old-slug-news-47011"
    ident = article_identity(
        amp,
        "https://www.duvarenglish.com/politics/new-slug-news-47011",
        homepage=HOME,
        id_pattern=r"-news-(\d+)$",
        article_pattern=r"-news-\d+$",
    )
    assert ident.key == "https://www.duvarenglish.com/politics/new-slug-news-47011"
    assert ident.native_id == "47011"
    assert ident.variant
    assert amp in ident.aliases and ident.key in ident.aliases


def test_article_identity_distrusts_foreign_and_non_article_canonicals() -> None:
    page = "https://www.duvarenglish.com/politics/wire-story-news-47020"
    foreign = article_identity(page, "https://www.reuters.com/world/wire-story-idUS123", homepage=HOME)
    assert foreign.key == page and not foreign.variant
    section = article_identity(
        page, "https://www.duvarenglish.com/politics", homepage=HOME, article_pattern=r"-news-\d+$"
    )
    assert section.key == page and section.aliases == (page,)


def test_choose_canonical_ignores_other_sites_and_garbage() -> None:
    page = "https://www.duvarenglish.com/politics/wire-story-news-47020"
    assert choose_canonical(page, "https://www.reuters.com/world/wire-story-idUS123") == page
    assert choose_canonical(page, "http://[::1") == page
    assert choose_canonical(page, "http://h:99999/x") == page
    amp = "https://amp.duvarenglish.com/politics/wire-story-news-47020"
    assert choose_canonical(amp, page) == page


def test_article_id_pattern_is_validated() -> None:
    entry = {
        "id": "local-news",
        "name": "Local",
        "homepage": "https://local.example/",
        "language": "en",
        "timezone": "UTC",
        "article_url_pattern": "/a/",
    }
    assert parse_sources({"sources": [entry]})[0].article_id_pattern is None
    ok = parse_sources({"sources": [{**entry, "article_id_pattern": r"/a/(\d+)"}]})
    assert ok[0].article_id_pattern == r"/a/(\d+)"
    with pytest.raises(SourceConfigError, match="article_id_pattern: expected exactly one group"):
        parse_sources({"sources": [{**entry, "article_id_pattern": r"/a/\d+"}]})
    with pytest.raises(SourceConfigError, match="article_id_pattern: invalid regular expression"):
        parse_sources({"sources": [{**entry, "article_id_pattern": r"/a/(\d+"}]})


_segment = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12)
_paths = st.lists(_segment, min_size=1, max_size=4).map(lambda s: "/" + "/".join(s))
_params = st.lists(
    st.tuples(st.sampled_from(["id", "p", "lang", "amp", "utm_source", "print"]), _segment), max_size=4
)


@given(
    path=_paths,
    params=_params,
    scheme=st.sampled_from(["http", "https"]),
    host=st.sampled_from(["example.com", "www.example.com", "amp.example.com", "EXAMPLE.com"]),
    slash=st.booleans(),
    marker=st.sampled_from(["", "/amp", "/print", "amp/", "print/"]),
)
def test_identity_ignores_presentation(path, params, scheme, host, slash, marker) -> None:
    """Any scheme, host form, trailing slash, AMP/print marker and parameter order: one identity."""
    from urllib.parse import urlencode

    base = identity_url(f"https://example.com{path}?{urlencode(params)}", "https://example.com/")
    if marker.endswith("/"):
        varied_path = "/" + marker + path.lstrip("/")
    else:
        varied_path = path + marker
    url = f"{scheme}://{host}{varied_path}{'/' if slash else ''}?{urlencode(list(reversed(params)))}"
    assert identity_url(url, "https://example.com/") == base
    assert identity_url(base, "https://example.com/") == base  # idempotent


@given(st.text(max_size=80))
def test_identity_never_crashes_unexpectedly(text: str) -> None:
    """Hostile input: a string result or a ValueError, nothing else."""
    try:
        result = identity_url("http://example.com/" + text, "http://example.com/")
    except ValueError:
        return
    assert identity_url(result, "http://example.com/") == result
