"""Bylines: people split and cleaned, organisations kept apart (pipeline.bylines, via parse)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.bylines import Bylines, is_organization, parse_bylines
from pipeline.normalize import normalize_article
from pipeline.parse import parse_article


@pytest.mark.parametrize(
    ("raw", "people", "organizations"),
    [
        (["By Nazlı Ergün and Deniz Arslan | Istanbul"], ["Nazlı Ergün", "Deniz Arslan"], []),
        (["Reporter: Mert Yılmaz, Ayşe Kaya & Can Dündar"], ["Mert Yılmaz", "Ayşe Kaya", "Can Dündar"], []),
        (["Evrim Kaya - Istanbul Correspondent"], ["Evrim Kaya"], []),
        (["By JOHN SMITH, Staff Writer"], ["John Smith"], []),
        (["Serkan Demir | Ankara Bureau"], ["Serkan Demir"], []),
        (["Serkan Demir | Kocaeli"], ["Serkan Demir"], []),  # a lone word after "|" is a place
        (["Ali Veli (ali.veli@example.org) @aliveli"], ["Ali Veli"], []),
        (["Reporting by Ece Toksabay; Editing by Jon Boyle"], ["Ece Toksabay"], []),
        (["Nilay Aksoy | Evrim Kaya"], ["Nilay Aksoy", "Evrim Kaya"], []),
        (["Mert Yılmaz with AFP"], ["Mert Yılmaz"], ["AFP"]),
        (["By Daily Sabah with AA"], [], ["Daily Sabah", "AA"]),
        (["Nazlı Ergün, Duvar English"], ["Nazlı Ergün"], ["Duvar English"]),
        (["BIA News Desk"], [], ["BIA News Desk"]),
        (["TRT World and agencies"], [], ["TRT World"]),  # "agencies" names nobody
        (["Anadolu Agency"], [], ["Anadolu Agency"]),
        (["DHA"], [], ["DHA"]),
        (["Staff"], [], ["Staff"]),
        (["Reuters Staff"], [], ["Reuters Staff"]),
        (["Hürriyet Daily News", "Hürriyet Daily News"], [], ["Hürriyet Daily News"]),
        (["Nazlı Ergün", "nazlı ergün", "NAZLI ERGÜN"], ["Nazlı Ergün"], []),
        (["Admin"], [], []),
        (["20 January 2020"], [], []),
    ],
)
def test_split_and_classify(raw: list[str], people: list[str], organizations: list[str]) -> None:
    assert parse_bylines(raw) == Bylines(people=tuple(people), organizations=tuple(organizations))


@pytest.mark.parametrize(
    ("raw", "name"),
    [("NAZLI ERGÜN", "Nazlı Ergün"), ("İSMAİL SAYMAZ", "İsmail Saymaz"), ("ahmet şık", "Ahmet Şık")],
)
def test_recasing_keeps_turkish_letters(raw: str, name: str) -> None:
    assert parse_bylines([raw]).people == (name,)


def test_mixed_case_names_are_kept_as_written() -> None:
    assert parse_bylines(["Jamie McDonald, Leyla de Vries"]).people == ("Jamie McDonald", "Leyla de Vries")


def test_the_outlets_own_name_is_an_organization() -> None:
    assert parse_bylines(["The Ankara Ledger"], organization_names=["The Ankara Ledger"]).organizations == (
        "The Ankara Ledger",
    )
    # a site name with a tagline names the outlet by its first part too
    got = parse_bylines(["Bianet", "Evrim Kaya"], organization_names=["Bianet - Bağımsız İletişim Ağı"])
    assert got == Bylines(people=("Evrim Kaya",), organizations=("Bianet",))


def test_is_organization() -> None:
    assert is_organization("Associated Press") and is_organization("IHA") and is_organization("Kyiv Post")
    assert not is_organization("Nazlı Ergün") and not is_organization("Deniz Arslan")


def _page(head: str, byline: str = "") -> str:
    return (
        f'<html lang="en"><head><title>T</title>{head}</head><body><article><h1>Budget talks</h1>{byline}'
        "<p>Lawmakers began debating the budget on Monday, with opposition parties promising to vote"
        " against it and the ruling party saying it expected a vote before the end of the month.</p>"
        "</article></body></html>"
    )


def test_json_ld_organization_authors_and_publisher_go_to_organizations() -> None:
    html = _page(
        '<meta property="og:site_name" content="Example Times">'
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Budget talks",'
        ' "author": [{"@type": "Person", "name": "Nazlı Ergün"},'
        ' {"@type": "Organization", "name": "Ankara Ledger Desk"}, {"@type": "Organization", "name": "Kemal"}],'
        ' "publisher": {"@type": "Organization", "name": "Example Times"}}</script>'
    )
    parsed = parse_article(html, "https://example.org/p/x")
    assert parsed.authors == ("Nazlı Ergün",)
    assert parsed.author_organizations == ("Ankara Ledger Desk", "Kemal")


def test_visible_byline_and_meta_authors() -> None:
    parsed = parse_article(
        _page("", '<div class="byline">By Deniz Arslan and Mert Yılmaz | Istanbul</div>'), "https://e.org/p/x"
    )
    assert (parsed.authors, parsed.author_organizations) == (("Deniz Arslan", "Mert Yılmaz"), ())
    parsed = parse_article(
        _page('<meta name="author" content="Nilay Aksoy"><meta name="author" content="BIA News Desk">'),
        "https://e.org/p/x",
    )
    assert (parsed.authors, parsed.author_organizations) == (("Nilay Aksoy",), ("BIA News Desk",))


def test_normalize_keeps_the_two_lists_apart() -> None:
    parsed = parse_article(
        _page('<meta name="author" content="Nazlı Ergün, Duvar English">'), "https://e.org/p/x"
    )
    art = normalize_article(parsed, source_id="s", timezone="UTC")
    assert art.authors == ("Nazlı Ergün",) and art.author_organizations == ("Duvar English",)


@given(st.lists(st.text(max_size=80), max_size=4))
def test_parse_bylines_never_crashes_and_never_overlaps(raw: list[str]) -> None:
    got = parse_bylines(raw)
    assert not {p.casefold() for p in got.people} & {o.casefold() for o in got.organizations}
    assert all(name and name == name.strip() for name in got.people + got.organizations)
