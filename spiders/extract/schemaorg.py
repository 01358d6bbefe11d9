"""schema.org JobPosting markup on any careers site: JSON-LD and microdata, read with extruct.

What sites really do, and what this extractor therefore accepts:
- JSON-LD as one object, a list, or an `@graph`; a JobPosting nested in a WebPage's
  `mainEntity`; `@type` as "JobPosting", "schema:JobPosting", a full IRI or a list; one
  broken `<script>` block beside good ones (only the broken block is skipped);
- `description` as HTML, as entity-escaped HTML, or as plain text;
- `employmentType` as a string or a list; `jobLocation` as one Place or a list, its address a
  PostalAddress or plain text, `addressCountry` a code, a name or `{name}`;
- `baseSalary` as a MonetaryAmount whose `value` is a QuantitativeValue (min/max/value,
  unitText HOUR/DAY/WEEK/MONTH/YEAR) or a bare number; numbers as numbers or strings;
- `identifier` as a PropertyValue, a bare value or missing (then the id is a hash of the
  page URL, so the same page keeps the same key from run to run).

`validThrough`, `hiringOrganization` and every other property stay in `raw` untouched.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import jstyleson
import lxml.etree
import lxml.html

from spiders.extract.common import join_places
from spiders.items import PostingItem, StatedSalary, text_or_none
from spiders.registry import Source

JOB_PATH = re.compile(r"/job|/careers/|/positions/|/vacancies/", re.IGNORECASE)
_JSONLD_SCRIPTS = lxml.etree.XPath(
    "//script[contains(translate(@type, 'APLICTONDJS+', 'aplictondjs+'), 'application/ld+json')]"
)
_LEADING_COMMENT = re.compile(r"^\s*(//.*|<!--.*-->)")


def canonical_url(page_url: str) -> str:
    """The page URL without query or fragment: the posting's public address."""
    parts = urlsplit(page_url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def stable_id(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def looks_like_job_path(url: str) -> bool:
    return bool(JOB_PATH.search(urlsplit(url).path))


def is_sitemap(body: bytes) -> bool:
    """An XML sitemap or sitemap index (with or without the XML declaration)."""
    head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<?xml", b"<urlset", b"<sitemapindex")) and (
        b"<urlset" in head or b"<sitemapindex" in head
    )


def html_is_escaped(text: str | None) -> bool:
    """HTML sent entity-escaped (`&lt;p&gt;`) rather than as markup."""
    return bool(text) and "&lt;" in text and not re.search(r"<[a-zA-Z/]", text)


# -- finding the markup ------------------------------------------------------------------
def find_job_postings(
    body: bytes | str, page_url: str, encoding: str = "utf-8"
) -> list[tuple[str, dict[str, Any]]]:
    """Every JobPosting on a page as (syntax, node): JSON-LD first, then microdata."""
    # imported here: extruct pulls in rdflib and friends, ~0.5 s every crawl would pay
    from extruct.utils import parse_html
    from extruct.w3cmicrodata import MicrodataExtractor

    if isinstance(body, str):
        body = body.encode(encoding or "utf-8")
    if not body.strip():
        return []
    try:
        tree = parse_html(body, encoding=encoding or "utf-8")
    except (lxml.etree.ParserError, ValueError):
        return []
    found = [("json-ld", node) for node in _job_nodes(_jsonld_documents(tree))]
    microdata = MicrodataExtractor(add_html_node=True).extract_items(tree, page_url)
    for item in microdata:
        node = _flatten_microdata(item)
        for posting in _job_nodes([node]):
            found.append(("microdata", posting))
    return found


def _jsonld_documents(tree: Any) -> Iterator[Any]:
    for script in _JSONLD_SCRIPTS(tree):
        text = script.xpath("string()")
        try:
            yield json.loads(text, strict=False)
        except ValueError:
            try:  # leading HTML / JS comments are common; a broken block is skipped alone
                yield jstyleson.loads(_LEADING_COMMENT.sub("", text), strict=False)
            except ValueError:
                continue


def _is_job_posting(node: dict[str, Any]) -> bool:
    types = node.get("@type")
    types = types if isinstance(types, list) else [types]
    return any(isinstance(t, str) and re.split(r"[/:#]", t)[-1] == "JobPosting" for t in types)


def _job_nodes(documents: Any) -> Iterator[dict[str, Any]]:
    stack = list(documents)[::-1]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
        elif isinstance(node, dict):
            if _is_job_posting(node):
                yield node
            else:
                stack.extend(reversed(list(node.values())))


def _flatten_microdata(item: Any) -> Any:
    """extruct's {type, properties} items as JSON-LD-like dicts; the description kept as HTML."""
    if isinstance(item, list):
        return [_flatten_microdata(v) for v in item]
    if not isinstance(item, dict) or "properties" not in item:
        return item
    types = item.get("type")
    flat: dict[str, Any] = {"@type": types}
    for name, value in item["properties"].items():
        flat[name] = _flatten_microdata(value)
    node = item.get("htmlNode")
    if node is not None and "description" in flat:
        flat["description"] = _microdata_description_html(node) or flat["description"]
    return flat


def _microdata_description_html(item_node: Any) -> str | None:
    for element in item_node.iter():
        if "description" not in (element.get("itemprop") or "").split():
            continue
        if _owner_scope(element) is not item_node:
            continue
        if element.tag == "meta":
            return text_or_none(element.get("content"))
        inner = (element.text or "") + "".join(
            lxml.html.tostring(child, encoding="unicode") for child in element
        )
        return text_or_none(inner)
    return None


def _owner_scope(element: Any) -> Any:
    parent = element.getparent()
    while parent is not None and parent.get("itemscope") is None:
        parent = parent.getparent()
    return parent


# -- mapping a JobPosting onto the item -------------------------------------------------
def extract_postings(
    body: bytes | str, page_url: str, source: Source, encoding: str = "utf-8"
) -> list[PostingItem]:
    postings = find_job_postings(body, page_url, encoding)
    return [
        posting_item(node, syntax, source, page_url, index)
        for index, (syntax, node) in enumerate(postings)
    ]


def posting_item(
    node: dict[str, Any], syntax: str, source: Source, page_url: str, index: int = 0
) -> PostingItem:
    url = canonical_url(page_url)
    job_id = _identifier(node.get("identifier")) or stable_id(
        url if index == 0 else f"{url}#{index}"
    )
    description = text_or_none(_text(node.get("description")))
    places = [_place_text(p) for p in _as_list(node.get("jobLocation"))]
    countries = [_country(p) for p in _as_list(node.get("jobLocation"))]
    applicant_places = [_name(p) for p in _as_list(node.get("applicantLocationRequirements"))]
    location_types = [str(t).upper() for t in _as_list(node.get("jobLocationType")) if t]
    return PostingItem(
        source="schemaorg",
        board=source.token,
        company=source.company,
        source_job_id=job_id,
        url=url,
        title=text_or_none(_text(node.get("title"))) or text_or_none(_text(node.get("name"))),
        apply_url=_http_url(node.get("url")),
        location_raw=join_places(*places) or join_places(*applicant_places),
        country_raw=join_places(*countries) or join_places(*applicant_places),
        remote_raw="remote" if any("TELECOMMUTE" in t for t in location_types) else None,
        employment_type_raw=join_places(*(_text(t) for t in _as_list(node.get("employmentType")))),
        description_html=description,
        description_is_escaped=html_is_escaped(description),
        posted_at_raw=text_or_none(_text(node.get("datePosted"))),
        updated_at_raw=text_or_none(_text(node.get("dateModified"))),
        salary_stated=stated_salary(node.get("baseSalary")),
        raw={"page_url": page_url, "syntax": syntax, "job_posting": _jsonable(node)},
    )


def stated_salary(value: Any) -> StatedSalary | None:
    """MonetaryAmount {currency, value: QuantitativeValue | number} as stated."""
    amount = _as_list(value)[0] if _as_list(value) else None
    if amount is None:
        return None
    if not isinstance(amount, dict):
        number = _number(amount)
        return StatedSalary(min=number, max=number) if number is not None else None
    quantity = amount.get("value")
    if isinstance(quantity, list):
        quantity = quantity[0] if quantity else None
    currency = text_or_none(_text(amount.get("currency")))
    unit = text_or_none(_text(amount.get("unitText")))
    if isinstance(quantity, dict):
        single = _number(quantity.get("value"))
        low = _number(quantity.get("minValue"))
        high = _number(quantity.get("maxValue"))
        low, high = (low if low is not None else single), (high if high is not None else single)
        unit = text_or_none(_text(quantity.get("unitText"))) or unit
        currency = currency or text_or_none(_text(quantity.get("currency")))
    else:
        low = high = _number(quantity)
    if low is None and high is None:
        return None
    return StatedSalary(min=low, max=high, currency=currency, interval=unit)


def _identifier(value: Any) -> str | None:
    for entry in _as_list(value):
        text = text_or_none(_text(entry.get("value") if isinstance(entry, dict) else entry))
        if text:
            return text
    return None


def _place_text(place: Any) -> str | None:
    if not isinstance(place, dict):
        return text_or_none(_text(place))
    address = place.get("address")
    if isinstance(address, dict):
        parts = [
            _name(address.get("addressLocality")),
            _name(address.get("addressRegion")),
            _name(address.get("addressCountry")),
        ]
        return ", ".join(p for p in parts if p) or _name(place)
    return text_or_none(_text(address)) or _name(place)


def _country(place: Any) -> str | None:
    if isinstance(place, dict) and isinstance(place.get("address"), dict):
        return _name(place["address"].get("addressCountry"))
    return None


def _name(value: Any) -> str | None:
    """A schema.org Thing's name, or the value itself when it is plain text."""
    if isinstance(value, dict):
        return text_or_none(_text(value.get("name")))
    return text_or_none(_text(value))


def _text(value: Any) -> Any:
    # JSON-LD values may come as {"@value": ...} or a one-element list
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict) and "@value" in value:
        value = value["@value"]
    return value if not isinstance(value, dict | list) else None


def _number(value: Any) -> float | str | None:
    value = _text(value)
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().replace(",", "")
    try:
        return float(text)
    except ValueError:
        return text_or_none(value)  # kept as stated; the salary parser reads text


def _http_url(value: Any) -> str | None:
    text = text_or_none(_text(value))
    return text if text and re.match(r"https?://", text) else None


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _jsonable(node: Any) -> Any:
    """The node as found, minus the parser objects extruct attaches to microdata."""
    if isinstance(node, dict):
        return {k: _jsonable(v) for k, v in node.items() if k != "htmlNode"}
    if isinstance(node, list):
        return [_jsonable(v) for v in node]
    return node
