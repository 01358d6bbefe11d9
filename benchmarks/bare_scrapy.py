"""Scrapy on its own, for the crawl benchmark's reference: download a list of URLs, no more.

The issue's reference (Scrapy on loopback, ~520 responses/s per core) was measured on small
answers; the crawl benchmark's answers are whole board pages of 50-500 postings (up to
~6 MB). This spider asks the local server for the very requests the real crawl made, with
the same concurrency, and only downloads them: what Scrapy itself costs on those answers.

    python -m benchmarks.bare_scrapy URLS_FILE   # one URL a line; prints responses, bytes
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import scrapy
from scrapy.crawler import CrawlerProcess

# as the crawl benchmark sets for the real crawl (bench_pipeline.CRAWL_SETTINGS), and the
# real crawl's 32 MiB answer limit; everything else is Scrapy's default
SETTINGS = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    "DOWNLOAD_MAXSIZE": 32 * 1024 * 1024,
    "ROBOTSTXT_OBEY": False,
    "LOG_LEVEL": "WARNING",
    "TELNETCONSOLE_ENABLED": False,
}


class DownloadOnlySpider(scrapy.Spider):
    name = "download_only"

    def __init__(self, urls: list[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.urls = urls
        self.responses = 0
        self.bytes = 0

    async def start(self) -> Any:
        for url in self.urls:
            # the same URL may be asked again (a board's pages): never filtered as a duplicate
            yield scrapy.Request(url, callback=self.parse, dont_filter=True)

    def parse(self, response: scrapy.http.Response) -> None:
        self.responses += 1
        self.bytes += len(response.body)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    urls = Path(args[0]).read_text().split()
    process = CrawlerProcess(settings=SETTINGS, install_root_handler=False)
    crawler = process.create_crawler(DownloadOnlySpider)
    process.crawl(crawler, urls=urls)
    process.start()
    spider = crawler.spider
    print(f"{spider.responses} responses, {spider.bytes} bytes")
    return 0 if spider.responses == len(urls) else 1


if __name__ == "__main__":
    sys.exit(main())
