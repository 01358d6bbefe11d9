"""GX's Data Docs page views, with their Jinja templates compiled once a process.

GX gives every page it renders a new Jinja environment, so each page compiled its ~20
templates again: ~0.2 s CPU a page, and a run renders a page for each of its five
validations and the index (benchmarks/README.md, fourteenth pass). These are GX's own
views with one in-memory bytecode cache shared by their environments: Jinja's documented
`bytecode_cache` hook, which finds a template's code by its name and its source's checksum,
so a changed template is compiled again. The project's Data Docs site names them
(`gx_suites.docs_site`); GX imports this module when it builds the site.
"""

from __future__ import annotations

import jinja2
from great_expectations.render.view import DefaultJinjaIndexPageView, DefaultJinjaPageView


class ProcessBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory for the life of the process."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # a stale checksum leaves the bucket empty

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self._code.clear()

    def __len__(self) -> int:
        return len(self._code)


TEMPLATES = ProcessBytecodeCache()


def share_templates(view: object) -> None:
    """Give a view's Jinja environment the process's bytecode cache, before it loads any
    template. A GX whose views keep no `env` renders as before, compiling every page."""
    env = getattr(view, "env", None)
    if isinstance(env, jinja2.Environment):
        env.bytecode_cache = TEMPLATES


class SharedTemplates:
    """Mixed into GX's views before them. GX passes a view only the settings its constructor
    names (instantiate_class_from_config reads the signature), so this one names GX's own:
    without them the project's custom styles (plugins/custom_data_docs/styles) would be left
    out of every page."""

    def __init__(
        self, custom_styles_directory: str | None = None, custom_views_directory: str | None = None
    ) -> None:
        super().__init__(custom_styles_directory, custom_views_directory)  # type: ignore[call-arg]
        share_templates(self)


class CachedJinjaPageView(SharedTemplates, DefaultJinjaPageView):
    """The expectation suite and validation result pages."""


class CachedJinjaIndexPageView(SharedTemplates, DefaultJinjaIndexPageView):
    """The index page."""
