"""Workable accounts: one widget request per board answers every job with its description."""

from __future__ import annotations

from spiders.boards.base import OneAnswerBoardSpider
from spiders.extract.workable import extract_jobs


class WorkableSpider(OneAnswerBoardSpider):
    name = "workable"
    family = "workable"
    api = "https://apply.workable.com/api/v1/widget/accounts/{token}"
    query = {"details": "true"}
    extract = staticmethod(extract_jobs)
