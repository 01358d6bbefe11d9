"""What the families that list postings in pages, then request each posting's detail for
its description, share (SmartRecruiters, Workday): reading a list page, when to stop
paging, and the detail's callbacks. A posting whose detail fails is still yielded from its
list data, with the reason in `raw.detail_error` and a named stat: never dropped silently.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from spiders.boards.base import BoardSpider
from spiders.items import PostingItem
from spiders.registry import Source


class ListThenDetailSpider(BoardSpider):
    """Subclasses set the family's extractors (spiders.extract.<family>) as static methods."""

    # a list page's entries; ValueError when the answer is not a list page
    list_entries: Callable[[Any], list[dict[str, Any]]]
    # (entry, source, detail=None, detail_error=None): the posting from its list entry,
    # completed by its detail answer or by the reason the detail is missing
    extract_posting: Callable[..., PostingItem | None]

    def list_page(
        self, response: Response
    ) -> tuple[Any, list[dict[str, Any]], list[PostingItem]] | None:
        """A list page's answer, its entries and their postings from the list data alone;
        None when the page is unreadable (the board's failure recorded)."""
        source: Source = response.meta["source"]

        def read(payload: Any) -> tuple[Any, list[dict[str, Any]], list[PostingItem]]:
            entries = self.list_entries(payload)
            items = [item for entry in entries if (item := self.extract_posting(entry, source))]
            return payload, entries, items

        return self.read_answer(response, read)

    def more_to_fetch(self, source: Source, next_offset: int, board_total: int) -> bool:
        """True while the board has more postings and no per-board cap is reached."""
        if next_offset >= board_total:
            return False
        outcome = self.outcomes[source.token]
        if outcome.postings >= self.settings.getint("UNHEARD_MAX_POSTINGS_PER_BOARD"):
            outcome.capped = True
            return False
        return self.within_page_cap(source)

    def parse_detail(self, response: Response, entry: dict[str, Any]) -> Iterator[PostingItem]:
        source: Source = response.meta["source"]
        try:
            detail = json.loads(response.body)
        except (ValueError, UnicodeDecodeError) as error:
            reason = f"malformed JSON from {response.url}: {error}"
            yield from self.without_detail(source, entry, reason)
            return
        if not isinstance(detail, dict):
            reason = f"detail is not an object ({response.url})"
            yield from self.without_detail(source, entry, reason)
            return
        if item := self.extract_posting(entry, source, detail):
            yield item

    def detail_failed(self, failure: Failure) -> Iterator[PostingItem]:
        request = failure.request
        if failure.check(HttpError):
            response = failure.value.response
            reason = f"HTTP {response.status} from {response.url}"
        else:
            reason = f"{failure.type.__name__}: {failure.getErrorMessage()} ({request.url})"
        yield from self.without_detail(request.meta["source"], request.cb_kwargs["entry"], reason)

    def without_detail(
        self, source: Source, entry: dict[str, Any], reason: str, stat: str = "detail_failed"
    ) -> Iterator[PostingItem]:
        """The posting from its list data alone, counted under a named stat, never dropped."""
        self.crawler.stats.inc_value(f"{stat}/{self.family}")
        self.logger.warning("posting detail missing on %s: %s", source.key, reason)
        if item := self.extract_posting(entry, source, detail_error=reason):
            yield item
