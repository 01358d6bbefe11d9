"""Scrapy settings, few and named for what they protect.

Scrapy's defaults are not polite (AutoThrottle off, 1 GiB size cap, 180 s timeout), so
every politeness setting is explicit here. Environment variables let an operator adjust
them without code changes; `unheard demo` and the tests lower the delays for loopback.
"""

from __future__ import annotations

import os

BOT_NAME = "unheard"
SPIDER_MODULES = ["spiders.boards"]
NEWSPIDER_MODULE = "spiders.boards"

CONTACT_URL = os.environ.get(
    "UNHEARD_CONTACT_URL", "https://github.com/unheard-jobs/unheard#crawler"
)
# identify ourselves and say where to complain or opt out
USER_AGENT = f"unheard-bot/0.1 (+{CONTACT_URL})"
ROBOTSTXT_OBEY = True

# pace: AutoThrottle adapts to each server's latency; a hard per-domain cap on top
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = float(os.environ.get("UNHEARD_START_DELAY", "1.0"))
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = float(os.environ.get("UNHEARD_DOWNLOAD_DELAY", "0.5"))

# failures: retry what is transient, give up quickly on what is not. Retries wait first:
# exponential backoff from UNHEARD_RETRY_BACKOFF_BASE seconds, or the server's Retry-After
# (a Retry-After beyond UNHEARD_RETRY_MAX_DELAY gives the request up: the board is throttled)
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
UNHEARD_RETRY_BACKOFF_BASE = float(os.environ.get("UNHEARD_RETRY_BACKOFF_BASE", "2.0"))
UNHEARD_RETRY_MAX_DELAY = float(os.environ.get("UNHEARD_RETRY_MAX_DELAY", "60"))
DOWNLOAD_TIMEOUT = int(os.environ.get("UNHEARD_DOWNLOAD_TIMEOUT", "30"))
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024  # a job board answer over 32 MiB is not a job board
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024
REDIRECT_MAX_TIMES = 5

# caps per board so no loop against someone else's server runs unbounded
UNHEARD_MAX_PAGES_PER_BOARD = int(os.environ.get("UNHEARD_MAX_PAGES_PER_BOARD", "50"))
UNHEARD_MAX_POSTINGS_PER_BOARD = int(os.environ.get("UNHEARD_MAX_POSTINGS_PER_BOARD", "5000"))
# Greenhouse lists carry no pay: at most this many single-job calls per board, only for
# postings whose title or department looks like ML / data work
UNHEARD_GREENHOUSE_MAX_PAY_LOOKUPS = int(os.environ.get("UNHEARD_GREENHOUSE_MAX_PAY_LOOKUPS", "50"))

# conditional requests: with a folder here, answers are stored and revalidated next run
# (If-None-Match / If-Modified-Since), so an unchanged board costs a 304. Unset: no cache.
UNHEARD_HTTP_CACHE_DIR = os.environ.get("UNHEARD_HTTP_CACHE_DIR") or None
HTTPCACHE_POLICY = "spiders.middlewares.RevalidatingPolicy"  # RFC 2616, always revalidating
HTTPCACHE_STORAGE = "scrapy.extensions.httpcache.FilesystemCacheStorage"
HTTPCACHE_GZIP = True

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "spiders.middlewares.RetryAfterMiddleware": 550,
    "scrapy.downloadermiddlewares.httpcache.HttpCacheMiddleware": None,
    "spiders.middlewares.ConditionalHttpCacheMiddleware": 900,
    # where a board may lead the crawler (docs/security.md): a public source never reaches a
    # private address (checked before robots.txt is fetched), a redirect never leaves the
    # registered site, and a JSON body that is not UTF-8 is read, not lost
    "spiders.guards.AddressGuardMiddleware": 60,
    "spiders.guards.JsonCharsetMiddleware": 585,
    "spiders.guards.RedirectGuardMiddleware": 650,
}
# a page whose parsing raised fails its board (never an "empty", complete crawl)
SPIDER_MIDDLEWARES = {"spiders.guards.CallbackErrorMiddleware": 950}
# fixed DNS answers for the address guard, `host=ip[|ip],...` (tests; pinning a host)
UNHEARD_GUARD_RESOLVE = os.environ.get("UNHEARD_GUARD_RESOLVE", "")

# non-2xx answers reach the errbacks, which record the board's outcome
HTTPERROR_ALLOW_ALL = False

ITEM_PIPELINES = {
    "spiders.pipelines.ValidatePostingPipeline": 100,
    "spiders.pipelines.RawLakePipeline": 800,
}
# items of one response in the pipelines at once. Ours are synchronous (validate, append to
# a file), so more buys nothing; Scrapy starts this many tasks per response (its default of
# 100 cost ~0.05 ms of CPU per posting on 50-posting pages)
CONCURRENT_ITEMS = 16

LOG_LEVEL = os.environ.get("UNHEARD_CRAWL_LOG_LEVEL", "WARNING")
# drops the per-item DEBUG line unless LOG_LEVEL is DEBUG (see the class)
LOG_FORMATTER = "spiders.pipelines.ItemLogFormatter"
TELNETCONSOLE_ENABLED = False
FEED_EXPORT_ENCODING = "utf-8"
