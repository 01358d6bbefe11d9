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

# failures: retry what is transient, give up quickly on what is not
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
DOWNLOAD_TIMEOUT = int(os.environ.get("UNHEARD_DOWNLOAD_TIMEOUT", "30"))
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024  # a job board answer over 32 MiB is not a job board
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024
REDIRECT_MAX_TIMES = 5

# caps per board so no loop against someone else's server runs unbounded
UNHEARD_MAX_PAGES_PER_BOARD = int(os.environ.get("UNHEARD_MAX_PAGES_PER_BOARD", "50"))
UNHEARD_MAX_POSTINGS_PER_BOARD = int(os.environ.get("UNHEARD_MAX_POSTINGS_PER_BOARD", "5000"))

# non-2xx answers reach the errbacks, which record the board's outcome
HTTPERROR_ALLOW_ALL = False

ITEM_PIPELINES = {
    "spiders.pipelines.ValidatePostingPipeline": 100,
    "spiders.pipelines.RawLakePipeline": 800,
}

LOG_LEVEL = os.environ.get("UNHEARD_CRAWL_LOG_LEVEL", "WARNING")
TELNETCONSOLE_ENABLED = False
FEED_EXPORT_ENCODING = "utf-8"
