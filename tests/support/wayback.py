"""A fixture Wayback Machine served over real HTTP on 127.0.0.1: the CDX API subset and raw snapshots.

Routes:

* ``/cdx/search/cdx``: ``url``, ``matchType`` (exact, prefix, domain), ``from``/``to`` (1-14
  digits, inclusive), ``filter`` (repeatable ``[!]field:regex``), ``collapse`` (a field, e.g.
  ``urlkey``: the first row of each run of equal values), ``output=json`` (a header row, then rows;
  anything else gives space-separated lines), ``fl``, ``limit`` and ``showResumeKey``/``resumeKey``
  paging (an empty row and a one-element row holding the key, when rows remain). Rows are sorted by
  urlkey, then timestamp, as the real index is.
* ``/web/<timestamp>id_/<original>``: the captured bytes of that capture; a timestamp with no
  capture redirects (302) to the nearest one of the same URL, as the archive does; 404 when the
  URL was never captured.
* ``/robots.txt``: 404 (everything allowed).

:meth:`WaybackFixture.rate_limit` makes the next N requests of a route answer 429 with
``Retry-After``. Every request is logged (:attr:`requests`), with its time.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.support.fixture_site import FixtureSite, LocalServer, RequestRecord

_SNAPSHOT = re.compile(r"^/web/(\d{1,14})id_/(.+)$")


@dataclass(frozen=True)
class Capture:
    """One capture the fixture archive holds."""

    original: str
    timestamp: str  # 14 digits
    body: bytes = b""
    status: int = 200
    mimetype: str = "text/html"

    @property
    def urlkey(self) -> str:
        return urlkey(self.original)


def urlkey(url: str) -> str:
    """A SURT-like key: reversed host without ``www.``, port, ``)``, lower-case path and query."""
    if "://" not in url:
        url = "http://" + url
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    key = ",".join(reversed(host.split(".")))
    if parts.port:
        key += f":{parts.port}"
    path = (parts.path or "/").lower() + (f"?{parts.query.lower()}" if parts.query else "")
    return f"{key}){path}"


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%d%H%M%S")


def captures_of_site(
    site: FixtureSite, origin: str, when: Iterable[tuple[str, datetime]], status: int = 200
) -> list[Capture]:
    """Captures of a fixture site's pages (path, capture time), as served from *origin*.

    The pages' ``{{BASE}}`` links point at *origin*, so the captured site may be one that is
    gone (a server answering 404) while the fixture site serves the same files elsewhere.
    """
    out = []
    for path, moment in when:
        file = site.resolve_file(path)
        if file is None:
            raise KeyError(f"{site.name} has no page at {path}")
        body = file.read_bytes().replace(b"{{BASE}}", origin.encode())
        out.append(Capture(origin + path, stamp(moment), body, status))
    return out


class WaybackFixture(LocalServer):
    """The fixture archive on its own ThreadingHTTPServer (127.0.0.1, random port)."""

    def __init__(self, captures: Iterable[Capture]) -> None:
        super().__init__(_Handler, "fixture-wayback")
        self.captures = sorted(captures, key=lambda c: (c.urlkey, c.timestamp))
        self._limits: dict[str, tuple[int, int]] = {}  # route -> (429s left, Retry-After)

    def requests_to(self, route: str) -> list[RequestRecord]:
        """Requests whose path starts with *route* (``/cdx/search/cdx``, ``/web/``)."""
        return [r for r in self.requests if r.url_path.startswith(route)]

    def rate_limit(self, route: str, times: int = 1, retry_after: int = 1) -> None:
        """Answer the next *times* requests of *route* with 429 and ``Retry-After``."""
        with self._lock:
            self._limits[route] = (times, retry_after)

    # -- internals ----------------------------------------------------------------------------

    def _limited(self, path: str) -> int | None:
        with self._lock:
            for route, (left, retry_after) in self._limits.items():
                if path.startswith(route) and left > 0:
                    self._limits[route] = (left - 1, retry_after)
                    return retry_after
        return None

    def cdx(self, query: str) -> tuple[bytes, str]:
        """The CDX API's answer to *query* (a query string): body and content type."""
        params = parse_qsl(query, keep_blank_values=True)
        args = dict(params)
        rows = self._matching(args.get("url", ""), args.get("matchType", "exact"))
        low = args.get("from", "")
        high = args.get("to", "")
        low, high = low + "00000101000000"[len(low) :], high + "99991231235959"[len(high) :]
        rows = [c for c in rows if low <= c.timestamp <= high]
        for _, spec in (p for p in params if p[0] == "filter"):
            rows = [c for c in rows if _passes(c, spec)]
        resume = args.get("resumeKey")
        if resume:
            key, ts = resume.rsplit(" ", 1)
            rows = [c for c in rows if (c.urlkey, c.timestamp) > (key, ts)]
        collapse = args.get("collapse")
        if collapse:
            # a page resumed after a key carries on the collapse of the page before it
            last = resume.rsplit(" ", 1)[0] if resume and collapse == "urlkey" else None
            kept = []
            for c in rows:
                value = _field(c, collapse)
                if value != last:
                    kept.append(c)
                last = value
            rows = kept
        limit = int(args["limit"]) if args.get("limit") else len(rows)
        page, more = rows[:limit], len(rows) > limit
        fields = (args.get("fl") or "urlkey,timestamp,original,mimetype,statuscode").split(",")
        if args.get("output") != "json":
            lines = [" ".join(_field(c, f) for f in fields) for c in page]
            return ("\n".join(lines) + "\n").encode(), "text/plain"
        table: list[list[str]] = [fields, *([_field(c, f) for f in fields] for c in page)]
        if more and args.get("showResumeKey") == "true" and page:
            table += [[], [f"{page[-1].urlkey} {page[-1].timestamp}"]]
        return json.dumps(table).encode(), "application/json"

    def snapshot(self, timestamp: str, original: str) -> tuple[int, bytes, dict[str, str]]:
        """A raw snapshot: (status, body, headers)."""
        same = [c for c in self.captures if c.urlkey == urlkey(original) and c.status == 200]
        if not same:
            return 404, b"<html><body>Not in the archive</body></html>", {}
        exact = [c for c in same if c.timestamp == timestamp]
        if exact:
            return 200, exact[0].body, {"Content-Type": f"{exact[0].mimetype}; charset=utf-8"}
        nearest = min(same, key=lambda c: abs(int(c.timestamp) - int(timestamp.ljust(14, "0"))))
        return 302, b"", {"Location": f"{self.base_url}/web/{nearest.timestamp}id_/{nearest.original}"}

    def _matching(self, url: str, match: str) -> list[Capture]:
        if match == "domain":
            host = urlkey(url).split(")")[0]
            return [c for c in self.captures if c.urlkey.split(")")[0].split(":")[0].startswith(host)]
        key = urlkey(url)
        if match == "prefix":
            return [c for c in self.captures if c.urlkey.startswith(key)]
        return [c for c in self.captures if c.urlkey == key]


def _field(capture: Capture, name: str) -> str:
    values = {
        "urlkey": capture.urlkey,
        "timestamp": capture.timestamp,
        "original": capture.original,
        "mimetype": capture.mimetype,
        "statuscode": str(capture.status),
        "digest": str(abs(hash(capture.body))),
        "length": str(len(capture.body)),
    }
    return values[name]


def _passes(capture: Capture, spec: str) -> bool:
    negate = spec.startswith("!")
    name, _, pattern = spec.lstrip("!").partition(":")
    matched = re.fullmatch(pattern, _field(capture, name)) is not None
    return matched != negate


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 10
    server: Any  # a LocalServer's server; server.owner is the WaybackFixture

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        archive: WaybackFixture = self.server.owner
        parts = urlsplit(self.path)
        status, body, headers = self._answer(archive, parts.path, parts.query)
        archive._record(RequestRecord("GET", self.path, dict(self.headers.items()), status, time.time()))
        self.send_response(status)
        headers.setdefault("Content-Type", "text/html; charset=utf-8")
        headers["Content-Length"] = str(len(body))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def _answer(self, archive: WaybackFixture, path: str, query: str) -> tuple[int, bytes, dict[str, str]]:
        retry_after = archive._limited(path)
        if retry_after is not None:
            return 429, b"Too Many Requests", {"Retry-After": str(retry_after)}
        if path == "/cdx/search/cdx":
            body, content_type = archive.cdx(query)
            return 200, body, {"Content-Type": content_type}
        snapshot = _SNAPSHOT.match(path)
        if snapshot:
            original = snapshot.group(2) + (f"?{query}" if query else "")
            return archive.snapshot(snapshot.group(1), original)
        return 404, b"Not Found", {}
