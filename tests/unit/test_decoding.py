"""Character decoding: BOM, header, meta, detection; Turkish pages decode right."""

from __future__ import annotations

import codecs

from hypothesis import given
from hypothesis import strategies as st

from pipeline.decoding import charset_from_content_type, decode

TURKISH = "Cumhurbaşkanı Erdoğan, İmamoğlu ve Kılıçdaroğlu görüştü; ÇĞİÖŞÜ çğıöşü"


def page(charset_meta: str | None, text: str = TURKISH) -> str:
    meta = (
        f'<meta http-equiv="Content-Type" content="text/html; charset={charset_meta}">'
        if charset_meta
        else ""
    )
    return f"<html><head>{meta}<title>t</title></head><body><p>{text}</p></body></html>"


def test_windows_1254_declared_in_meta_only() -> None:
    body = page("windows-1254").encode("cp1254")
    text, enc = decode(body, "text/html")
    assert TURKISH in text
    assert codecs.lookup(enc).name == "cp1254"


def test_meta_beats_a_default_latin1_header() -> None:
    body = page("windows-1254").encode("cp1254")
    text, _ = decode(body, "text/html; charset=ISO-8859-1")
    assert TURKISH in text


def test_header_charset_wins_over_meta_when_not_weak() -> None:
    body = page("windows-1254").encode("utf-8")
    text, enc = decode(body, "text/html; charset=utf-8")
    assert TURKISH in text and enc == "utf-8"


def test_iso_8859_9_label_is_turkish() -> None:
    body = page("iso-8859-9").encode("cp1254")
    assert TURKISH in decode(body, None)[0]


def test_bom_wins() -> None:
    body = codecs.BOM_UTF8 + page(None).encode("utf-8")
    text, enc = decode(body, "text/html; charset=windows-1252")
    assert TURKISH in text and enc == "utf-8"


def test_undeclared_turkish_is_detected() -> None:
    body = page(None, TURKISH * 5).encode("cp1254")
    assert TURKISH in decode(body, "text/html")[0]


def test_charset_parameter() -> None:
    assert charset_from_content_type('text/html; charset="UTF-8"') == "utf-8"
    assert charset_from_content_type("text/html") is None
    assert charset_from_content_type(None) is None


@given(st.binary(max_size=2000), st.sampled_from([None, "text/html", "text/html; charset=bogus-99"]))
def test_never_raises_on_hostile_bytes(data: bytes, content_type: str | None) -> None:
    text, enc = decode(data, content_type)
    assert isinstance(text, str)
    assert codecs.lookup(enc)
