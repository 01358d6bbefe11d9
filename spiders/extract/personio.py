"""Personio XML feed: `{company}.jobs.personio.de/xml?language=en`.

`<workzag-jobs>` holds one `<position>` per job: flat elements (`id`, `name`, `office`,
`department`, `employmentType`, `schedule`, `createdAt`, ...), `<additionalOffices>` with
`<office>` children, and `<jobDescriptions>` whose `<jobDescription>` pairs a `<name>`
with a CDATA `<value>` of HTML. The feed is parsed without DTDs, entities or network
access: it is someone else's XML.
"""

from __future__ import annotations

from html import escape
from typing import Any

from lxml import etree

from spiders.extract.common import join_places
from spiders.items import PostingItem, text_or_none
from spiders.registry import Source

ROOT = "workzag-jobs"


def canonical_url(company: str, position_id: str) -> str:
    return f"https://{company}.jobs.personio.de/job/{position_id}?language=en"


def parse_feed(body: bytes) -> list[dict[str, Any]]:
    """Every `<position>` as a dict; raise ValueError when the body is not a Personio feed."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError as error:
        raise ValueError(f"not well-formed XML: {error}") from error
    if root is None or root.tag != ROOT:
        found = None if root is None else root.tag
        raise ValueError(f"expected a <{ROOT}> feed, got <{found}>")
    return [position_dict(position) for position in root.iterchildren("position")]


def position_dict(position: Any) -> dict[str, Any]:
    """A `<position>` element as plain data: text per element, lists for the nested ones."""
    data: dict[str, Any] = {}
    for child in position.iterchildren(tag=etree.Element):
        if child.tag == "additionalOffices":
            data[child.tag] = [_text(office) for office in child.iterchildren("office")]
        elif child.tag == "jobDescriptions":
            data[child.tag] = [
                {"name": _text(part.find("name")), "value": _text(part.find("value"))}
                for part in child.iterchildren("jobDescription")
            ]
        else:
            data[child.tag] = _text(child)
    return data


def extract_positions(positions: list[dict[str, Any]], source: Source) -> list[PostingItem]:
    return [item for position in positions if (item := extract_position(position, source))]


def extract_position(position: dict[str, Any], source: Source) -> PostingItem | None:
    position_id = text_or_none(position.get("id"))
    if position_id is None:
        return None
    offices = position.get("additionalOffices") or []
    return PostingItem(
        source="personio",
        board=source.token,
        company=source.company,
        source_job_id=position_id,
        url=canonical_url(source.token, position_id),
        title=text_or_none(position.get("name")),
        location_raw=join_places(position.get("office"), *offices),
        department=text_or_none(position.get("department")),
        employment_type_raw=", ".join(
            t for k in ("employmentType", "schedule") if (t := text_or_none(position.get(k)))
        )
        or None,
        seniority_raw=text_or_none(position.get("seniority")),
        description_html=description_html(position.get("jobDescriptions") or []),
        posted_at_raw=text_or_none(position.get("createdAt")),
        raw=position,
    )


def description_html(parts: list[dict[str, Any]]) -> str | None:
    """Every job description section under its name as an `<h3>`."""
    html: list[str] = []
    for part in parts:
        value = text_or_none(part.get("value"))
        if value:
            name = text_or_none(part.get("name"))
            html.extend([f"<h3>{escape(name, quote=False)}</h3>"] if name else [])
            html.append(value)
    return "\n".join(html) or None


def _text(element: Any) -> str | None:
    if element is None:
        return None
    return text_or_none("".join(element.itertext()))
