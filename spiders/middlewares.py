"""Downloader middlewares for good manners: patient retries and conditional requests.

`RetryAfterMiddleware` replaces Scrapy's RetryMiddleware: it retries the same answers
(429, 5xx, timeouts, dropped connections) but waits before each retry — exponential
backoff, or the server's own `Retry-After` when it sends one — without blocking the
reactor, so other boards keep crawling while one waits.

`ConditionalHttpCacheMiddleware` is Scrapy's HttpCacheMiddleware switched on by a single
setting, `UNHEARD_HTTP_CACHE_DIR`, with a policy that revalidates every cached answer
(If-None-Match / If-Modified-Since) instead of trusting it, so an unchanged board costs a
304 and a changed or failing board is never hidden behind yesterday's copy.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.httpcache import HttpCacheMiddleware
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import NotConfigured
from scrapy.extensions.httpcache import RFC2616Policy
from scrapy.http import Response
from scrapy.utils.misc import load_object
from scrapy.utils.response import response_status_message

try:  # Scrapy >= 2.18: asyncio.sleep or deferLater, whichever reactor runs
    from scrapy.utils.asyncio import sleep as _sleep
except ImportError:  # pragma: no cover - older Scrapy runs the asyncio reactor here
    _sleep = asyncio.sleep

logger = logging.getLogger(__name__)


def backoff_delay(retry_number: int, base: float, cap: float) -> float:
    """Exponential backoff: base, 2*base, 4*base, ... never more than `cap` seconds."""
    return min(cap, base * (2 ** max(0, retry_number - 1)))


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """A `Retry-After` header as seconds from now: delta-seconds or an HTTP date; else None."""
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if not text:
        return None
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware:
    """Retry transient failures after a pause that respects the server.

    Settings: RETRY_ENABLED, RETRY_TIMES, RETRY_HTTP_CODES, RETRY_EXCEPTIONS (Scrapy's own),
    UNHEARD_RETRY_BACKOFF_BASE (seconds before the first retry, doubling after each one) and
    UNHEARD_RETRY_MAX_DELAY (the longest single wait). A `Retry-After` longer than that cap
    means the server wants more patience than this crawl will spend: the request is given
    up at once (the board's outcome becomes `throttled`) rather than retried too early.
    """

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not settings.getbool("RETRY_ENABLED"):
            raise NotConfigured
        self.crawler = crawler
        self.max_retry_times = settings.getint("RETRY_TIMES")
        self.retry_http_codes = {int(code) for code in settings.getlist("RETRY_HTTP_CODES")}
        self.exceptions_to_retry = tuple(
            load_object(e) if isinstance(e, str) else e
            for e in settings.getlist("RETRY_EXCEPTIONS")
        )
        self.backoff_base = settings.getfloat("UNHEARD_RETRY_BACKOFF_BASE", 2.0)
        self.max_delay = settings.getfloat("UNHEARD_RETRY_MAX_DELAY", 60.0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        return cls(crawler)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        reason = response_status_message(response.status)
        retry_after = retry_after_seconds(response.headers.get(b"Retry-After"))
        if retry_after is not None and retry_after > self.max_delay:
            self._stats("retry/retry_after_too_long")
            logger.info(
                "Giving up %s: Retry-After %.0fs exceeds UNHEARD_RETRY_MAX_DELAY (%.0fs)",
                request,
                retry_after,
                self.max_delay,
            )
            return response
        return await self._retry_later(request, reason, retry_after) or response

    async def process_exception(self, request: Request, exception: Exception) -> Request | None:
        if request.meta.get("dont_retry", False) or not isinstance(
            exception, self.exceptions_to_retry
        ):
            return None
        return await self._retry_later(request, exception, None)

    async def _retry_later(
        self, request: Request, reason: str | Exception, retry_after: float | None
    ) -> Request | None:
        spider: Spider | None = self.crawler.spider
        assert spider is not None
        retry = get_retry_request(
            request,
            spider=spider,
            reason=reason,
            max_retry_times=request.meta.get("max_retry_times", self.max_retry_times),
        )
        if retry is None:
            return None
        if retry_after is not None:
            delay = retry_after
            self._stats("retry/honoured_retry_after")
        else:
            delay = backoff_delay(retry.meta["retry_times"], self.backoff_base, self.max_delay)
        if delay > 0:
            self._stats("retry/wait_seconds", delay)
            await _sleep(delay)
        return retry

    def _stats(self, key: str, value: float = 1) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(key, value)


class RevalidatingPolicy(RFC2616Policy):
    """RFC 2616 caching that always asks the server before reusing a stored answer.

    Scrapy's RFC2616Policy would reuse an answer it guesses is still fresh (10% of its
    Last-Modified age) and would hand back the stored copy when the server answers 5xx or
    the download fails. For a crawl that measures which postings exist *today* both are
    wrong: every stored answer is revalidated (If-None-Match / If-Modified-Since), and only
    a 304 brings the stored copy back.
    """

    def is_cached_response_fresh(self, cachedresponse: Response, request: Request) -> bool:
        self._set_conditional_validators(request, cachedresponse)
        return False

    def is_cached_response_valid(
        self, cachedresponse: Response, response: Response, request: Request
    ) -> bool:
        return response.status == 304


class ConditionalHttpCacheMiddleware(HttpCacheMiddleware):
    """Scrapy's HTTP cache, on exactly when UNHEARD_HTTP_CACHE_DIR names a folder."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalHttpCacheMiddleware:
        cache_dir = crawler.settings.get("UNHEARD_HTTP_CACHE_DIR")
        if not cache_dir:
            raise NotConfigured
        settings = crawler.settings.copy()
        settings.frozen = False
        settings.set("HTTPCACHE_ENABLED", True, priority="cmdline")
        settings.set("HTTPCACHE_DIR", str(cache_dir), priority="cmdline")
        middleware = cls(settings, crawler.stats)  # type: ignore[arg-type]
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        middleware.crawler = crawler
        return middleware

    def process_exception(self, request: Request, exception: Exception) -> None:  # type: ignore[override]
        # a failed download is a failed board, not a reason to replay the stored copy
        request.meta.pop("cached_response", None)
        return None
