"""Fixture news websites served over real HTTP on 127.0.0.1.

Each site lives in ``tests/fixtures/sites/<name>/``::

    site.json       special behaviours by URL path (see below)
    manifest.json   gold expectations (``source`` registry block + one entry per listed URL)
    public/         served files, stored under their URL path
    variants/       alternative versions of pages that change between fetches

Routing (URL path -> file), first match wins; the query string is ignored for lookup
(but kept in the request log):

1. a file published at run time with :meth:`FixtureSite.add_file` (exact path);
2. ``variants`` in site.json (the currently selected version, see :meth:`set_variant`);
3. ``public/<path>`` if it is a file;
   a path ending in ``/`` -> ``public/<path>index.html``, then ``public/<path>index.xml``;
   otherwise ``public/<path>.html``, then ``public/<path>.xml``
   (so ``/rss`` -> ``public/rss.xml``, ``/tag/chp`` -> ``public/tag/chp.html``,
   ``/feed/`` -> ``public/feed/index.xml``, ``/`` -> ``public/index.html``);
4. ``X.gz`` when ``X`` resolves by rules 1-3: the rendered ``X`` gzipped
   (Content-Type ``application/x-gzip``, no Content-Encoding).

Templating: in every served text file (.html .xml .txt .atom .json ...) and every
added file, the bytes ``{{BASE}}`` are replaced by :attr:`FixtureSite.base_url`
(e.g. ``http://127.0.0.1:43123``). Replacement works on bytes, so non-UTF-8 pages
(windows-1254) are served otherwise byte for byte.

Order of checks for a request: ``redirects`` (301, absolute Location) -> ``broken`` (500)
-> ``flaky`` (429 + ``Retry-After: 1`` for the first N requests of the path, counted per path
and for every method) -> resolve (404 if nothing) -> conditional GET -> 200.

Every 200 carries ``ETag`` (quoted sha256 prefix of the served bytes) and ``Last-Modified``
(``last_modified`` of site.json, or of the variant / added file). ``If-None-Match`` (takes
precedence) matching the ETag, or ``If-Modified-Since`` >= Last-Modified, gives 304, no body.

site.json keys (all optional except ``last_modified``)::

    {"last_modified": "2020-01-23T15:00:00Z",
     "content_type": {"/path": "text/html"},             # overrides the extension's type
     "headers": {"/path": {"X-Robots-Tag": "noarchive"}},
     "variants": {"/path": [{"file": "variants/a.v0.html", "last_modified": "..."}, ...]},
     "flaky": {"/path": 1},                               # N 429 answers before the 200
     "broken": ["/path"],                                 # always 500
     "redirects": {"/old-path": "/new-path"}}             # 301

Default content types: .html ``text/html; charset=utf-8``, .xml ``application/xml;
charset=utf-8``, .atom ``application/atom+xml; charset=utf-8``, .txt ``text/plain;
charset=utf-8``. Nothing is logged to stderr.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Self
from urllib.parse import urlsplit

SITES_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "sites"
BASE_PLACEHOLDER = b"{{BASE}}"

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
    ".css": "text/css; charset=utf-8",
    ".js": "application/javascript; charset=utf-8",
    ".gz": "application/x-gzip",
    ".jpg": "image/jpeg",
    ".png": "image/png",
}
BINARY_SUFFIXES = {".gz", ".jpg", ".png", ".gif", ".webp", ".ico"}
DEFAULT_CONTENT_TYPE = "text/html; charset=utf-8"


@dataclass(frozen=True)
class RequestRecord:
    """One request as the server saw it. Header names are normalised to Title-Case
    (``User-Agent``, ``If-None-Match``), whatever the client sent."""

    method: str
    path: str  # path with query string, as requested
    headers: dict[str, str]
    status: int
    timestamp: float = field(default=0.0)

    @property
    def url_path(self) -> str:
        """The path without its query string."""
        return urlsplit(self.path).path

    @property
    def user_agent(self) -> str | None:
        return self.headers.get("User-Agent")


# (status, body or None for 304, extra headers, content type)
_Answer = tuple[int, bytes | None, dict[str, str], str]


@dataclass
class _Payload:
    body: bytes
    content_type: str
    last_modified: datetime
    source: Path | None = None


def _parse_time(value: str) -> datetime:
    dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).replace(microsecond=0)


def _title_case(name: str) -> str:
    return "-".join(part.capitalize() for part in name.split("-"))


class LocalServer:
    """A fixture served over real HTTP: its own ThreadingHTTPServer on 127.0.0.1 (random port),
    in a daemon thread, with a log of every request it answered.

    Subclasses give their request handler class, which reaches them as ``self.server.owner``.
    """

    def __init__(self, handler: type[BaseHTTPRequestHandler], thread_name: str) -> None:
        self.handler = handler
        self.thread_name = thread_name
        self.base_url = ""
        self._lock = threading.Lock()
        self._requests: list[RequestRecord] = []
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> Self:
        if self._server is not None:
            raise RuntimeError(f"{self.thread_name} already started")
        server = _QuietServer(("127.0.0.1", 0), self.handler)
        server.owner = self
        self._server = server
        self.base_url = f"http://127.0.0.1:{server.server_address[1]}"
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=self.thread_name, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Self:
        return self.start() if self._server is None else self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def requests(self) -> list[RequestRecord]:
        """Snapshot of every request served so far (thread-safe copy)."""
        with self._lock:
            return list(self._requests)

    def _record(self, record: RequestRecord) -> None:
        with self._lock:
            self._requests.append(record)


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    owner: Any  # the LocalServer it serves

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Client disconnects etc. are not test failures; stay silent."""


class FixtureSite(LocalServer):
    """One fixture website on its own ThreadingHTTPServer (127.0.0.1, random port)."""

    def __init__(self, root: Path | str):
        self.root = Path(root).resolve()
        super().__init__(_Handler, f"fixture-site-{self.root.name}")
        self.name = self.root.name
        self.public = self.root / "public"
        config_path = self.root / "site.json"
        self.config: dict[str, Any] = (
            json.loads(config_path.read_text(encoding="utf-8")) if config_path.exists() else {}
        )
        self.last_modified = _parse_time(self.config.get("last_modified", "2020-01-01T00:00:00Z"))
        self._variant_index: dict[str, int] = {}
        self._flaky_counts: dict[str, int] = {}
        self._added: dict[str, _Payload] = {}

    # ------------------------------------------------------------------ test API
    def requests_for(self, path: str) -> list[RequestRecord]:
        """Requests whose path (query string ignored) equals ``path``."""
        return [r for r in self.requests if r.url_path == urlsplit(path).path]

    def url(self, path: str) -> str:
        return self.base_url + path

    def set_variant(self, path: str, index: int) -> None:
        variants = self.config.get("variants", {})
        if path not in variants:
            raise KeyError(f"{path!r} has no variants in {self.name}/site.json")
        if not 0 <= index < len(variants[path]):
            raise IndexError(f"{path!r} has {len(variants[path])} variants, not {index + 1}")
        with self._lock:
            self._variant_index[path] = index

    def add_file(
        self,
        path: str,
        content: bytes | str,
        content_type: str | None = None,
        last_modified: datetime | str | None = None,
    ) -> None:
        """Publish (or replace) a page/feed at run time; ``{{BASE}}`` is templated.
        Last-Modified defaults to now."""
        body = content.encode("utf-8") if isinstance(content, str) else bytes(content)
        if content_type is None:
            content_type = CONTENT_TYPES.get(Path(urlsplit(path).path).suffix, DEFAULT_CONTENT_TYPE)
        if last_modified is None:
            lm = datetime.now(UTC).replace(microsecond=0)
        elif isinstance(last_modified, str):
            lm = _parse_time(last_modified)
        else:
            lm = last_modified.astimezone(UTC).replace(microsecond=0)
        with self._lock:
            self._added[path] = _Payload(body, content_type, lm)

    def remove_file(self, path: str) -> None:
        with self._lock:
            self._added.pop(path, None)

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    def reset(self) -> None:
        """Back to the on-disk state: clears the request log, selected variants,
        flaky counters and files added with :meth:`add_file`."""
        with self._lock:
            self._requests.clear()
            self._variant_index.clear()
            self._flaky_counts.clear()
            self._added.clear()

    def manifest(self) -> dict[str, Any]:
        """manifest.json with ``{{BASE}}`` replaced (needs a started site)."""
        raw = (self.root / "manifest.json").read_text(encoding="utf-8")
        return json.loads(raw.replace("{{BASE}}", self.base_url))

    def resolve_file(self, path: str) -> Path | None:
        """The on-disk file that would be served for ``path`` now (variants honoured),
        or None. Ignores added files, redirects, broken and flaky settings."""
        payload = self._resolve(urlsplit(path).path, render=False)
        return payload.source if payload else None

    def fetch_local(self, path: str) -> bytes | None:
        """The bytes that a 200 for ``path`` would carry, without HTTP."""
        payload = self._resolve(urlsplit(path).path)
        return payload.body if payload else None

    # ------------------------------------------------------------------ internals
    def _render(self, data: bytes) -> bytes:
        return data.replace(BASE_PLACEHOLDER, self.base_url.encode("ascii"))

    def _file_payload(self, file: Path, last_modified: datetime, render: bool) -> _Payload:
        body = file.read_bytes() if render else b""
        if render and file.suffix not in BINARY_SUFFIXES:
            body = self._render(body)
        ctype = CONTENT_TYPES.get(file.suffix, "application/octet-stream")
        return _Payload(body, ctype, last_modified, file)

    def _disk_candidates(self, path: str) -> list[Path]:
        rel = path.lstrip("/")
        if any(part in {"..", "."} for part in rel.split("/")) or "\\" in rel or "\x00" in rel:
            return []
        if path.endswith("/"):
            return [self.public / rel / "index.html", self.public / rel / "index.xml"]
        base = self.public / rel
        return [base, base.with_name(base.name + ".html"), base.with_name(base.name + ".xml")]

    def _resolve(self, path: str, render: bool = True) -> _Payload | None:
        with self._lock:
            added = self._added.get(path)
            variant_index = self._variant_index.get(path, 0)
        if added is not None:
            body = self._render(added.body) if render else added.body
            return _Payload(body, added.content_type, added.last_modified)
        variants = self.config.get("variants", {})
        if path in variants:
            spec = variants[path][variant_index]
            if isinstance(spec, str):
                spec = {"file": spec}
            lm = _parse_time(spec["last_modified"]) if "last_modified" in spec else self.last_modified
            return self._file_payload(self.root / spec["file"], lm, render)
        for candidate in self._disk_candidates(path):
            if candidate.is_file():
                return self._file_payload(candidate, self.last_modified, render)
        if path.endswith(".gz") and len(path) > 3:
            inner = self._resolve(path[:-3], render)
            if inner is not None:
                body = gzip.compress(inner.body, mtime=0) if render else b""
                return _Payload(body, "application/x-gzip", inner.last_modified, inner.source)
        return None

    def _flaky_hit(self, path: str) -> bool:
        limit = int(self.config.get("flaky", {}).get(path, 0))
        if limit <= 0:
            return False
        with self._lock:
            count = self._flaky_counts.get(path, 0)
            self._flaky_counts[path] = count + 1
        return count < limit


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "nginx"
    sys_version = ""
    timeout = 10
    server: _QuietServer  # server.owner is the FixtureSite

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._handle(head=False)

    def do_HEAD(self) -> None:
        self._handle(head=True)

    # ------------------------------------------------------------------
    def _handle(self, head: bool) -> None:
        site: FixtureSite = self.server.owner
        headers = {_title_case(k): v for k, v in self.headers.items()}
        path = urlsplit(self.path).path or "/"
        status, body, extra, content_type = self._decide(site, path, headers)
        # logged before answering, so a client that got its response always finds it in the log
        site._record(RequestRecord(self.command, self.path, headers, status, time.time()))
        self.send_response(status)
        if body is not None:
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
        for key, value in extra.items():
            self.send_header(key, value)
        self.end_headers()
        if body is not None and not head:
            self.wfile.write(body)

    @staticmethod
    def _error(status: int, text: str, extra: dict[str, str] | None = None) -> _Answer:
        body = f"<html><body><h1>{status} {text}</h1></body></html>".encode()
        return status, body, extra or {}, "text/html; charset=utf-8"

    def _decide(self, site: FixtureSite, path: str, req: dict[str, str]) -> _Answer:
        cfg = site.config
        redirects = cfg.get("redirects", {})
        if path in redirects:
            target = redirects[path]
            location = target if "://" in target else site.base_url + target
            return self._error(301, "Moved Permanently", {"Location": location})
        if path in cfg.get("broken", []):
            return self._error(500, "Internal Server Error")
        if site._flaky_hit(path):
            return self._error(429, "Too Many Requests", {"Retry-After": "1"})
        payload = site._resolve(path)
        if payload is None:
            return self._error(404, "Not Found")

        content_type = cfg.get("content_type", {}).get(path, payload.content_type)
        etag = '"' + hashlib.sha256(payload.body).hexdigest()[:24] + '"'
        extra = {
            "ETag": etag,
            "Last-Modified": format_datetime(payload.last_modified, usegmt=True),
            "Cache-Control": "max-age=0, must-revalidate",
        }
        extra.update(cfg.get("headers", {}).get(path, {}))
        if self._not_modified(req, etag, payload.last_modified):
            return 304, None, extra, content_type
        return 200, payload.body, extra, content_type

    @staticmethod
    def _not_modified(req: dict[str, str], etag: str, last_modified: datetime) -> bool:
        inm = req.get("If-None-Match")
        if inm is not None:
            tags = [t.strip().removeprefix("W/") for t in inm.split(",")]
            return "*" in tags or etag in tags
        ims = req.get("If-Modified-Since")
        if ims:
            try:
                since = parsedate_to_datetime(ims)
            except (TypeError, ValueError, IndexError):
                return False
            if since.tzinfo is None:
                since = since.replace(tzinfo=UTC)
            return since >= last_modified
        return False


def site_root(name: str) -> Path:
    return SITES_DIR / name


def available_sites() -> list[str]:
    return sorted(p.name for p in SITES_DIR.iterdir() if (p / "site.json").is_file())


def serve_sites(names: list[str] | None = None) -> dict[str, FixtureSite]:
    """Start the named sites (all of them if None); the caller stops them."""
    sites: dict[str, FixtureSite] = {}
    try:
        for name in names if names is not None else available_sites():
            sites[name] = FixtureSite(site_root(name)).start()
    except Exception:
        for site in sites.values():
            site.stop()
        raise
    return sites
