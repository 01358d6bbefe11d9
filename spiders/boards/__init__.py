"""One spider per board family; each module here defines a BoardSpider subclass."""

from __future__ import annotations

import importlib
import pkgutil


def board_spiders() -> dict:
    """Every board spider in this package, by family (modules are discovered, not listed)."""
    from spiders.boards.base import BoardSpider

    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    found: dict = {}
    stack = list(BoardSpider.__subclasses__())
    while stack:
        spider = stack.pop()
        stack.extend(spider.__subclasses__())
        if spider.family:
            found[spider.family] = spider
    return dict(sorted(found.items()))
