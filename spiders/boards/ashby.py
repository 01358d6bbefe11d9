"""Ashby boards: one request per board, compensation included."""

from __future__ import annotations

from spiders.boards.base import OneAnswerBoardSpider
from spiders.extract.ashby import extract_jobs


class AshbySpider(OneAnswerBoardSpider):
    name = "ashby"
    family = "ashby"
    api = "https://api.ashbyhq.com/posting-api/job-board/{token}"
    query = {"includeCompensation": "true"}
    extract = staticmethod(extract_jobs)
