"""Polite HTTP fetching: the only module that talks to news sites.

:class:`Fetcher` sends an identifying User-Agent, obeys robots.txt (protego), keeps a minimum
delay per host, retries 429 and 5xx with exponential backoff honouring ``Retry-After``, follows
redirects up to a limit (recording them), caps body size, revalidates with ``If-None-Match`` /
``If-Modified-Since``, decodes text correctly, and refuses private, loopback and link-local
addresses unless the source allows them. It never raises for an HTTP or network problem: the
:class:`~pipeline.records.FetchResult` carries ``error`` instead, so one bad URL never fails a
batch.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import requests
from protego import Protego

from pipeline.decoding import decode
from pipeline.records import FetchResult

_TEXT_TYPES = ("text/", "application/xml", "application/rss", "application/atom", "+xml", "json")


class FetchRefused(Exception):
    """A request the fetcher will not make (robots.txt, private address, bad scheme)."""


@dataclass(frozen=True)
class FetchPolicy:
    """How politely and how persistently to fetch."""

    user_agent: str
    min_delay: float = 1.0  # seconds between requests to one host
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    retries: int = 3
    backoff: float = 1.0  # first retry waits this long, doubling each time
    max_retry_after: float = 120.0
    max_redirects: int = 5
    max_bytes: int = 10 * 1024 * 1024
    allow_private_network: bool = False
    obey_robots: bool = True


@dataclass
class _HostState:
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_allowed: float = 0.0
    robots: Protego | None = None
    robots_loaded: bool = False
    robots_error: str | None = None


class Fetcher:
    """A polite HTTP client. One instance per process; thread-safe per host."""

    def __init__(
        self,
        policy: FetchPolicy,
        session: requests.Session | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.policy = policy
        self.session = session or requests.Session()
        self.session.headers.update(
            {
                "User-Agent": policy.user_agent,
                "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                "Accept-Encoding": "gzip, deflate",
                "Accept-Language": "en;q=1.0, tr;q=0.5",
            }
        )
        self._hosts: dict[str, _HostState] = {}
        self._hosts_lock = threading.Lock()
        self._clock = clock
        self._sleep = sleep

    # -- public -----------------------------------------------------------------------------

    def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        check_robots: bool = True,
    ) -> FetchResult:
        """GET *url* politely. Conditional when *etag* / *last_modified* are given.

        Returns a result with ``status`` 304 when the server says the page is unchanged, and
        with ``error`` set (status 0 or the last HTTP status) when it could not be fetched.
        """
        fetched_at = datetime.now(UTC)
        try:
            self._check_url(url)
            if check_robots and self.policy.obey_robots and not self.allowed(url):
                error = self._robots_for(url).robots_error
                if error:  # unreachable or 5xx robots.txt: treated as "closed for now", like Google does
                    raise FetchRefused(f"robots.txt unavailable ({error}): {url}")
                raise FetchRefused(f"disallowed by robots.txt: {url}")
        except FetchRefused as exc:
            return FetchResult(url, url, 0, {}, b"", fetched_at, error=f"refused: {exc}")

        conditional: dict[str, str] = {}
        if etag:
            conditional["If-None-Match"] = etag
        if last_modified:
            conditional["If-Modified-Since"] = last_modified

        attempt = 0
        while True:
            result = self._fetch_following_redirects(url, conditional, fetched_at)
            retryable = (
                result.status == 429
                or result.status >= 500
                or (
                    result.status == 0
                    and result.error is not None
                    and not result.error.startswith(("refused", "too large", "too many"))
                )
            )
            if not retryable or attempt >= self.policy.retries:
                return result
            wait = self.policy.backoff * (2**attempt)
            retry_after = _retry_after_seconds(result.headers.get("retry-after"))
            if retry_after is not None:
                wait = min(max(wait, retry_after), self.policy.max_retry_after)
            # the pause holds for the host, not just this request: other threads sharing the
            # fetcher wait too (a rate-limited archive must not see the next URL at once)
            for host_url in {url, result.final_url}:
                self._pause_host(host_url, wait)
            attempt += 1

    def allowed(self, url: str) -> bool:
        """Whether robots.txt of *url*'s host lets this User-Agent fetch it."""
        state = self._robots_for(url)
        if state.robots_error:
            return False
        if state.robots is None:
            return True
        return bool(state.robots.can_fetch(url, self.policy.user_agent))

    def robots_sitemaps(self, url: str) -> list[str]:
        """The ``Sitemap:`` URLs that *url*'s host lists in robots.txt."""
        state = self._robots_for(url)
        return list(state.robots.sitemaps) if state.robots is not None else []

    def crawl_delay(self, url: str) -> float:
        state = self._robots_for(url)
        if state.robots is None:
            return 0.0
        delay = state.robots.crawl_delay(self.policy.user_agent)
        return float(delay or 0.0)

    # -- internals --------------------------------------------------------------------------

    def _host(self, url: str) -> _HostState:
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}"
        with self._hosts_lock:
            return self._hosts.setdefault(key, _HostState())

    def _robots_for(self, url: str) -> _HostState:
        state = self._host(url)
        if state.robots_loaded:
            return state
        robots_url = urljoin(url, "/robots.txt")
        result = self._fetch_following_redirects(robots_url, {}, datetime.now(UTC))
        if result.ok and result.text is not None:
            state.robots = Protego.parse(result.text)
        elif 400 <= result.status < 500:
            state.robots = None  # no robots.txt: everything allowed
        else:
            # 5xx or unreachable: treat the site as closed for now (as Google does)
            state.robots_error = result.error or f"robots.txt answered {result.status}"
        state.robots_loaded = True
        return state

    def _pause_host(self, url: str, seconds: float) -> None:
        state = self._host(url)
        with state.lock:
            state.next_allowed = max(state.next_allowed, self._clock() + seconds)

    def _wait_turn(self, url: str) -> None:
        state = self._host(url)
        delay = max(self.policy.min_delay, self.crawl_delay(url) if state.robots_loaded else 0.0)
        with state.lock:
            now = self._clock()
            if state.next_allowed > now:
                self._sleep(state.next_allowed - now)
            state.next_allowed = self._clock() + delay

    def _check_url(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchRefused(f"not an http(s) URL: {url}")
        if self.policy.allow_private_network:
            return
        try:
            infos = socket.getaddrinfo(parts.hostname, parts.port or 80, proto=socket.IPPROTO_TCP)
        except socket.gaierror as exc:
            raise FetchRefused(f"cannot resolve {parts.hostname}: {exc}") from exc
        for info in infos:
            address = ipaddress.ip_address(info[4][0])
            if (
                address.is_private
                or address.is_loopback
                or address.is_link_local
                or address.is_reserved
                or address.is_multicast
                or address.is_unspecified
            ):
                raise FetchRefused(
                    f"{parts.hostname} resolves to non-public address {address}; "
                    "set allow_private_network: true on the source to allow it"
                )

    def _fetch_following_redirects(
        self, url: str, conditional: Mapping[str, str], fetched_at: datetime
    ) -> FetchResult:
        chain: list[str] = []
        current = url

        def failed(error: str, status: int = 0, headers: dict[str, str] | None = None) -> FetchResult:
            return FetchResult(
                url, current, status, headers or {}, b"", fetched_at, tuple(chain), error=error
            )

        for _ in range(self.policy.max_redirects + 1):
            try:
                self._check_url(current)
            except FetchRefused as exc:
                return failed(f"refused: {exc}")
            self._wait_turn(current)
            try:
                response = self.session.get(
                    current,
                    headers=dict(conditional),
                    timeout=(self.policy.connect_timeout, self.policy.read_timeout),
                    allow_redirects=False,
                    stream=True,
                )
            except requests.RequestException as exc:
                return failed(f"network: {type(exc).__name__}: {exc}")
            headers = {k.lower(): v for k, v in response.headers.items()}
            if response.is_redirect and "location" in headers:
                response.close()
                chain.append(current)
                current = urljoin(current, headers["location"])
                continue
            try:
                body = self._read_capped(response)
            except _TooLarge:
                return failed(
                    f"too large: body over {self.policy.max_bytes} bytes", response.status_code, headers
                )
            except requests.RequestException as exc:
                return failed(f"network: {type(exc).__name__}: {exc}", response.status_code, headers)
            text = encoding = None
            content_type = headers.get("content-type", "")
            if body and (not content_type or any(t in content_type for t in _TEXT_TYPES)):
                text, encoding = decode(body, content_type)
            error = f"http {response.status_code}" if response.status_code >= 400 else None
            return FetchResult(
                url,
                current,
                response.status_code,
                headers,
                body,
                fetched_at,
                tuple(chain),
                text,
                encoding,
                error,
            )
        return failed(f"too many redirects (over {self.policy.max_redirects})")

    def _read_capped(self, response: requests.Response) -> bytes:
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_content(64 * 1024):
                size += len(chunk)
                if size > self.policy.max_bytes:
                    raise _TooLarge
                chunks.append(chunk)
        finally:
            response.close()
        return b"".join(chunks)


class _TooLarge(Exception):
    pass


def _retry_after_seconds(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
