"""What every board spider shares: one spider per family, crawling each of its boards and
recording one outcome per board for the run manifest.

A board's outcome is data, never a crash: a 404 is "missing", a 403 or a robots.txt that
disallows it "refused", a 429 that outlived its retries "throttled", a request the crawler's
own policy refused (a redirect off the registered site, a private address: `spiders.guards`)
"blocked", a crawl stopped by a page or posting cap "capped" (partial, so it closes
nothing), anything else "error" with the reason.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from typing import Any, TypeVar

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure
from w3lib.url import add_or_replace_parameters

from spiders.items import PostingItem
from spiders.registry import Source

RETRYABLE_OUTCOMES = ("throttled", "error")
T = TypeVar("T")


def outcome_for_status(status: int) -> str:
    if status == 404 or status == 410:
        return "missing"
    if status in (401, 403):
        return "refused"
    if status == 429:
        return "throttled"
    return "error"


class BoardOutcome:
    """The running tally of one board in one crawl."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.requests = 0
        self.pages = 0
        self.postings = 0
        self.dropped = 0
        self.outcome: str | None = None
        self.error: str | None = None
        self.http_status: int | None = None
        self.capped = False

    def fail(self, outcome: str, error: str, status: int | None = None) -> None:
        # the first failure explains the board; later ones are consequences
        if self.outcome is None:
            self.outcome, self.error, self.http_status = outcome, error, status

    def as_dict(self) -> dict[str, Any]:
        outcome, error = self.outcome, self.error
        if outcome is None and self.capped:
            # a capped crawl saw only part of the board: it must not close what it missed
            outcome = "capped"
            error = (
                f"stopped by a cap after {self.pages} page(s) and {self.postings} posting(s) "
                "(UNHEARD_MAX_PAGES_PER_BOARD / UNHEARD_MAX_POSTINGS_PER_BOARD)"
            )
        outcome = outcome or ("ok" if self.postings else "empty")
        return {
            "source": self.source.family,
            "board": self.source.token,
            "company": self.source.company,
            "homepage": self.source.homepage,
            "sector": self.source.sector,
            "prominence": self.source.prominence,
            "outcome": outcome,
            "retryable": outcome in RETRYABLE_OUTCOMES,
            "complete": outcome in ("ok", "empty"),
            "error": error,
            "http_status": self.http_status,
            "requests": self.requests,
            "pages": self.pages,
            "postings": self.postings,
            "dropped": self.dropped,
            "capped": self.capped,
        }


class BoardSpider(scrapy.Spider):
    """Base class: subclasses set `name`, build the first request and parse pages."""

    family: str = ""

    def __init__(
        self, sources: Iterable[Source] = (), run_id: str = "", crawled_at: str = "", **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.sources = [s for s in sources if s.family == self.family]
        self.run_id = run_id
        self.crawled_at = crawled_at
        self.outcomes: dict[str, BoardOutcome] = {s.token: BoardOutcome(s) for s in self.sources}

    # -- subclass API -------------------------------------------------------------
    def first_request(self, source: Source) -> scrapy.Request:
        raise NotImplementedError

    # -- shared machinery ---------------------------------------------------------
    async def start(self) -> AsyncIterator[scrapy.Request]:
        for source in self.sources:
            yield self.board_request(source, self.first_request(source))

    def board_request(self, source: Source, request: scrapy.Request) -> scrapy.Request:
        """Tag a request with its board so callbacks and errbacks can account for it."""
        self.outcomes[source.token].requests += 1
        request.meta["source"] = source
        request.meta.setdefault("handle_httpstatus_list", [])
        return request.replace(errback=self.on_error)

    def within_page_cap(self, source: Source) -> bool:
        outcome = self.outcomes[source.token]
        if outcome.pages >= self.settings.getint("UNHEARD_MAX_PAGES_PER_BOARD"):
            outcome.capped = True
            return False
        return True

    def take(self, source: Source, items: list[PostingItem]) -> Iterator[PostingItem]:
        """Yield a page's items up to the per-board posting cap."""
        outcome = self.outcomes[source.token]
        cap = self.settings.getint("UNHEARD_MAX_POSTINGS_PER_BOARD")
        outcome.pages += 1
        for item in items:
            if outcome.postings >= cap:
                outcome.capped = True
                return
            outcome.postings += 1
            yield item

    def load_json(self, response: Response) -> Any:
        """Parse the body as JSON whatever the Content-Type claims; record a failure if not."""
        source: Source = response.meta["source"]
        try:
            return json.loads(response.body)
        except (ValueError, UnicodeDecodeError) as error:
            self.outcomes[source.token].fail(
                "error", f"malformed JSON from {response.url}: {error}", response.status
            )
            return None

    def read_answer(self, response: Response, read: Callable[[Any], T]) -> T | None:
        """`read` applied to the answer's JSON; None, with the board's failure recorded, when
        the answer is not JSON or `read` finds it is not the shape it expects (ValueError)."""
        payload = self.load_json(response)
        if payload is None:
            return None
        try:
            return read(payload)
        except ValueError as error:
            source: Source = response.meta["source"]
            self.outcomes[source.token].fail("error", f"{error} ({response.url})", response.status)
            return None

    def on_error(self, failure: Failure) -> None:
        request = failure.request
        source: Source = request.meta["source"]
        if failure.check(HttpError):
            response = failure.value.response
            status = response.status
            self.outcomes[source.token].fail(
                outcome_for_status(status), f"HTTP {status} from {response.url}", status
            )
        elif outcome := getattr(failure.value, "board_outcome", None):
            # refused by the crawler's own policy (spiders.guards): the reason says why
            self.outcomes[source.token].fail(outcome, failure.getErrorMessage())
        elif failure.check(IgnoreRequest) and "robots.txt" in failure.getErrorMessage():
            # the site opted out: as `unheard sources check` says, the board is refused
            self.outcomes[source.token].fail(
                "refused", f"{failure.getErrorMessage()} ({request.url})"
            )
        else:
            reason = f"{failure.type.__name__}: {failure.getErrorMessage()}"
            self.outcomes[source.token].fail("error", f"{reason} ({request.url})")
        self.logger.warning("board %s failed: %s", source.key, self.outcomes[source.token].error)

    def item_dropped(self, source_token: str) -> None:
        if source_token in self.outcomes:
            self.outcomes[source_token].dropped += 1


class OneAnswerBoardSpider(BoardSpider):
    """A family whose boards each answer one JSON request with every posting: subclasses
    name the endpoint (`api`, with `{token}`; a registry `url` replaces it whole), the query
    parameters it needs and the family's extractor."""

    api: str = ""
    query: dict[str, str] = {}
    # the family's extractor (spiders.extract.<family>), set as a static method: the answer's
    # postings; ValueError when the answer is not the shape the family sends
    extract: Callable[[Any, Source], list[PostingItem]]

    def first_request(self, source: Source) -> scrapy.Request:
        url = source.url or self.api.format(token=source.token)
        if self.query:
            url = add_or_replace_parameters(url, self.query)
        return scrapy.Request(url, callback=self.parse_board)

    def board_items(self, response: Response) -> list[PostingItem] | None:
        source: Source = response.meta["source"]
        return self.read_answer(response, lambda payload: self.extract(payload, source))

    def parse_board(self, response: Response) -> Iterator[PostingItem | scrapy.Request]:
        items = self.board_items(response)
        if items is not None:
            yield from self.take(response.meta["source"], items)
