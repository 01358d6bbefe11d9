"""Recruitee careers sites: one request per board answers every published offer.

The default endpoint carries the board slug in its host (`{slug}.recruitee.com`); a
registry `url` replaces it whole (companies on their own careers domain).
"""

from __future__ import annotations

from spiders.boards.base import OneAnswerBoardSpider
from spiders.extract.recruitee import extract_offers


class RecruiteeSpider(OneAnswerBoardSpider):
    name = "recruitee"
    family = "recruitee"
    api = "https://{token}.recruitee.com/api/offers/"
    extract = staticmethod(extract_offers)
