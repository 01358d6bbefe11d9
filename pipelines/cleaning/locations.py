"""Free-text posting locations → places (city, region, ISO country), remote type and scope.

A location field names one or more places ("Fremont, California; Manteno, Illinois",
"London, UK or Remote", "Remote (United States | Canada)"). Each place is read from its
comma/dash components right to left: country, then state or province, then city, with
cities from warehouse/taxonomies/cities.csv filling what the text leaves out.

Remote type comes from the strongest evidence available: a structured field ("stated"),
the location or title words ("parsed"), or a sentence in the description about *this*
role ("inferred"); company boilerplate ("we are remote-first") is deliberately ignored.
A structured *boolean* (Ashby's isRemote) is weaker than a mode the location names: see
_STATED below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from pipelines.cleaning import gazetteer as gz
from pipelines.cleaning import remote_statements as rs
from pipelines.cleaning.types import LocationInfo, Place

_REMOTE_RANK = {"onsite": 1, "hybrid": 2, "remote": 3}  # an option to work remotely wins

_REMOTE_WORD_RE = re.compile(
    r"\b(?:fully[ -]remote|100% remote|remote(?:[ -](?:first|friendly|ok|eligible|only))?"
    r"|work(?:ing)? from home|wfh|home[ -]?office|t[ée]l[ée]travail|teletrabajo|remoto)\b"
    # Japanese, Chinese and Korean words, which have no word boundaries
    r"|フルリモート|リモート|在宅勤務|远程|遠程|원격|재택",
    re.IGNORECASE,
)
_HYBRID_WORD_RE = re.compile(r"\bhybride?\b", re.IGNORECASE)
_ONSITE_WORD_RE = re.compile(
    r"\b(?:on[- ]?site|in[- ]office|in[- ]person|office[- ]based|on[- ]premises|vor ort"
    r"|presencial|pr[ée]sentiel)\b",
    re.IGNORECASE,
)
_ANY_WORK_MODE_RE = re.compile(
    "|".join(p.pattern for p in (_REMOTE_WORD_RE, _HYBRID_WORD_RE, _ONSITE_WORD_RE)),
    re.IGNORECASE,
)

_PAREN_RE = re.compile(r"[(\[（]([^()\[\]（）]*)[)\]）]")  # and the full-width ones of CJK text
_INNER_SEPARATOR_RE = re.compile(r"\s*(?:\||/|;|\bor\b)\s*", re.IGNORECASE)
# A lone lower-case "l" stands in for "|" on some boards: "Amsterdam l Remote".
_SEGMENT_SPLIT_RE = re.compile(r"\s*(?:;|\||\n|\s/\s|\s+or\s+|(?-i:\sl\s))\s*", re.IGNORECASE)
_OR_RE = re.compile(r"\s+or\s+", re.IGNORECASE)
_COMPONENT_SPLIT_RE = re.compile(r"\s*(?:,|\s[-–—]+\s|[–—]|\s-|-\s)\s*|(?<=[a-z])(?=\()")
_LABEL_RE = re.compile(r"^\s*[A-Za-z][A-Za-z ]{0,20}:\s*(?=\S)")  # "HQ: ", "Flexible: "
_CONJUNCTION_SPLIT_RE = re.compile(r"\s*(?:\band\b|&|/|\+)\s*", re.IGNORECASE)
_HYPHEN_SPLIT_RE = re.compile(r"(?<=\w)-(?=\w)")
_EDGE_PUNCT = " \t-–—:,.;/|&+*()[]{}'\"•·"
_LEAD_WORD_RE = re.compile(
    r"^(?:and|or|in|the|based in|within|across|near|from|relocat(?:e|ion)(?: to)?)\s+",
    re.IGNORECASE,
)
_TIME_ZONE_RE = re.compile(r"\s(?:time|time ?zones?)$", re.IGNORECASE)
_FILLER_AFFIX_RE = re.compile(
    r"^(?:greater|downtown|central|metro|continental)\s+|\s+(?:office|offices|hq|headquarters"
    r"|campus|hub|metro(?:politan)? area|area|region|city center|city centre|based|only)$",
    re.IGNORECASE,
)
# fmt: off
_FILLERS = {
    "hq", "headquarters", "head office", "office", "offices", "main office", "corporate",
    "multiple locations", "various locations", "various", "multiple", "locations",
    "location", "flexible", "tbd", "n a", "na", "other", "any", "any location", "field",
    "field based", "travel", "home", "home based", "nationwide", "national", "in", "the",
    "and", "or", "east coast", "west coast", "midwest", "timezone", "time zone", "time zones",
    "country", "program country", "future opening", "eastern", "pacific", "central",
    "cet", "cest", "est", "edt", "pst", "pdt", "pt", "et", "ct", "mt", "gmt", "utc", "ist",
    "bst", "sgt", "jst", "aest", "preferred", "only", "opening", "relocate", "relocation",
    "required", "optional", "negotiable", "possible", "welcome", "considered", "ok", "tba",
}
# fmt: on
# US states whose codes are also time zones (fillers): read as states only in "Town, ST".
_STATES_NAMED_LIKE_TIMES = {"CT", "MT"}
# The last word of a building, not a town: "Eaton Centre", "Fairview Mall".
# fmt: off
_NOT_TOWN_WORDS = {
    "centre", "center", "mall", "plaza", "square", "collection", "outlet", "outlets", "tower",
    "building", "station", "airport", "floor", "suite", "street", "st", "avenue", "ave",
}
# fmt: on
# Words that join a town's name to a place name it contains.
_NAME_JOINERS = {"de", "del", "da", "do", "das", "dos", "of", "on", "upon", "am", "an", "sur"}
_NAME_RE = re.compile(r"^[^\W\d_][\w.' -]*$")
_INNER_CAPITAL_RE = re.compile(r"[a-z][A-Z]")  # "NerdWallet" is a company, not a town


@dataclass(frozen=True)
class _FieldReading:
    places: tuple[Place, ...] = ()
    remote_type: str | None = None
    scope: tuple[str, ...] = ()  # from segments that say remote
    area_scope: tuple[str, ...] = ()  # countries and regions named without a city


# --- components → one place ------------------------------------------------------------


def _country_of(component: str) -> str | None:
    return gz.country_by_name(component) or gz.country_by_code(component)


def _is_known(component: str) -> bool:
    return bool(
        gz.city_lookup(component)
        or _country_of(component)
        or gz.region_lookup(component)
        or gz.scope_region(component)
    )


def _clean_component(component: str) -> str | None:
    text = _LEAD_WORD_RE.sub("", component.strip(_EDGE_PUNCT)).strip(_EDGE_PUNCT)
    if len(text) < 2 or any(ch.isdigit() for ch in text) or gz.fold(text) in _FILLERS:
        return None
    if _TIME_ZONE_RE.search(text):
        return None  # "Pacific Time", "CT/MT Timezones": when, not where
    if not _is_known(text) and not _conjoined(text):  # "Central & South America" is whole
        stripped = _FILLER_AFFIX_RE.sub("", text).strip(_EDGE_PUNCT)
        if stripped != text:
            return _clean_component(stripped) if stripped else None
    return text


def _conjoined(component: str) -> list[str]:
    """The known names a component joins with "and", "&", "/" or "+", each a place of its
    own: "Germany and Switzerland", "US + Hawaii + Canada"; [] when it is not such a list."""
    parts = [p for p in (x.strip(_EDGE_PUNCT) for x in _CONJUNCTION_SPLIT_RE.split(component)) if p]
    if len(parts) < 2:
        return []
    if all(_is_known(p) for p in parts):
        return parts
    # a shared last word: "Central & South America", "North and South Carolina"
    head, _, last_word = parts[-1].rpartition(" ")
    if head and all(" " not in p for p in parts[:-1]):
        shared = [f"{p} {last_word}" for p in parts[:-1]] + [parts[-1]]
        if all(_is_known(p) for p in shared):
            return shared
    return []


def _expand(component: str) -> list[str]:
    """Split a component that is several known names: "Germany and Switzerland",
    "India-Karnataka", "Kampala Uganda", "New York NY"; otherwise keep it whole."""
    if _is_known(component):
        return [component]
    if parts := _conjoined(component):
        return parts
    parts = [p for p in (x.strip(_EDGE_PUNCT) for x in _HYPHEN_SPLIT_RE.split(component)) if p]
    if len(parts) > 1 and all(_is_known(p) for p in parts):
        return parts
    # Japanese, Chinese and Korean addresses go from the city down: "東京都渋谷区" is Tokyo's
    # Shibuya ward, "서울특별시 강남구" Seoul's Gangnam district.
    words = component.split()
    if all(gz.is_cjk(word) for word in words):
        for end in range(len(words[0]), 1, -1):
            if gz.city_lookup(words[0][:end]):
                return [words[0][:end]]
    for size in (1, 2, 3):  # a trailing country or state: "Kampala Uganda"
        # but not the end of a town's own name: "Ecatepec de Morelos", "Stratford upon Avon"
        if len(words) > size and words[-size - 1].lower() not in _NAME_JOINERS:
            tail = " ".join(words[-size:])
            if _country_of(tail) or gz.region_lookup(tail):
                return [" ".join(words[:-size]), tail]
    for size in (1, 2):  # a leading country: "US East Coast"
        if len(words) > size:
            head = " ".join(words[:size])
            # names only: a leading "CF" in "CF Polo Park" is a mall's brand, not a country
            if gz.country_by_name(head) or head in ("US", "USA", "UK"):
                return [head, " ".join(words[size:])]
    return [component]


def _looks_like_town(text: str) -> bool:
    folded = gz.fold(text)
    return (
        len(text.split()) <= 3
        and bool(_NAME_RE.match(text))
        and not _INNER_CAPITAL_RE.search(text)
        and folded not in _FILLERS
        and not folded.startswith("non ")  # "non-U.S."
        and folded.rsplit(" ", 1)[-1] not in _NOT_TOWN_WORDS
    )


def _last_is_country(components: list[str], country: str, hint: str | None) -> bool:
    """Decide "CA"/"DE"/"Georgia" in last position: country, or a US/AU state?"""
    last = components[-1]
    cities = gz.city_lookup(components[0]) if len(components) > 1 else ()
    # "Porto Alegre, RS", "Pune, MH": a state code of the city's own country, not Serbia
    if (
        hint != country
        and not any(city.country_code == country for city in cities)
        and any(gz.region_lookup(last, city.country_code) for city in cities)
    ):
        return False
    if not (gz.is_ambiguous_code(last) or gz.region_lookup(last)):
        return True
    if hint == country:
        return True
    if len(components) == 1:
        region = gz.region_lookup(last)
        return not (region and hint == region[0])
    if any(city.country_code == country for city in gz.city_lookup(components[0])):
        return True  # "Toronto, CA", "Darmstadt, DE"
    return len(components) > 2 and gz.region_lookup(components[-2], country) is not None


def _resolve_place(components: list[str], hint: str | None) -> Place | None:
    remaining = list(components)
    country: str | None = None
    region: str | None = None

    last_country = _country_of(remaining[-1])
    single_known_city = len(remaining) == 1 and gz.city_lookup(remaining[0])
    if last_country and not single_known_city and _last_is_country(remaining, last_country, hint):
        country = last_country
        remaining.pop()

    if remaining and not (len(remaining) == 1 and gz.city_lookup(remaining[0])):
        region_hints = (
            [country]
            if country
            else [
                *([hint] if hint else []),
                *(c.country_code for c in gz.city_lookup(remaining[0])),  # "Perth, WA" is Australia
                None,
            ]
        )
        for region_hint in region_hints:
            found = gz.region_lookup(remaining[-1], region_hint)
            if found:
                country, region = found
                remaining.pop()
                break

    city_text: str | None = None
    for component in remaining:  # the first component that is not itself a country/region
        state = gz.region_lookup(component, country) if gz.is_ambiguous_code(component) else None
        if city_text is None and gz.city_lookup(component):
            city_text = component
        elif state is not None and city_text is not None:  # "Boston, MA - Preferred"
            country, region = country or state[0], region or state[1]
        elif (code := _country_of(component)) is not None:
            country = country or code
        elif (found := gz.region_lookup(component, country)) is not None:
            country, region = country or found[0], region or found[1]
        elif city_text is None and _looks_like_town(component):
            city_text = component

    city_name = city_text
    if city_text:
        wanted_country = country or hint
        for city in gz.city_lookup(city_text):
            if (wanted_country in (None, city.country_code)) and (
                region is None or city.region in (None, region)
            ):
                city_name, region = city.name, region or city.region
                country = country or city.country_code
                break
        if not gz.city_lookup(city_text) and (country is None or (country, region) == ("US", None)):
            # a town the list lacks: the world's towns fill what the text and hint leave out
            town = gz.world_city(city_text, country or hint, region)
            if town is not None:
                city_name, region = town.name, region or town.region
                country = country or town.country_code
        country = country or hint
    if not (city_name or region or country):
        return None
    return Place(city_name, region, country)


# --- one location field --------------------------------------------------------------------


def _work_mode(text: str) -> str | None:
    if _REMOTE_WORD_RE.search(text):
        return "remote"
    if _HYBRID_WORD_RE.search(text):
        return "hybrid"
    if _ONSITE_WORD_RE.search(text):
        return "onsite"
    return None


def _split_segments(location_raw: str) -> list[tuple[str, bool]]:
    """The place descriptions of a field, each with whether an "or" joins it to the next
    ("Bauchi or Lafia, Nigeria": two towns of one country)."""
    # Separators inside parentheses list alternatives of one place: "Remote (US | Canada)".
    protected = _PAREN_RE.sub(
        lambda m: "(" + _INNER_SEPARATOR_RE.sub(", ", m.group(1)) + ")", location_raw
    )
    segments: list[tuple[str, bool]] = []
    position = 0
    for separator in [*_SEGMENT_SPLIT_RE.finditer(protected), None]:
        end = separator.start() if separator else len(protected)
        text = protected[position:end]
        if text and text.strip(_EDGE_PUNCT):
            joined = separator is not None and bool(_OR_RE.fullmatch(separator.group(0)))
            segments.append((text, joined))
        if separator is not None:
            position = separator.end()
    return segments


def _read_segment(segment: str, hint: str | None) -> tuple[list[Place], str | None, list[str]]:
    """One place description → (places, work mode, scope regions named in it)."""
    mode = _work_mode(segment)
    body = _ANY_WORK_MODE_RE.sub(",", segment)
    body = _LABEL_RE.sub("", body)
    body = _PAREN_RE.sub(lambda m: "," + m.group(1) + ",", body)
    components: list[str] = []
    cleaned_parts: list[str] = []
    parts = _COMPONENT_SPLIT_RE.split(body)
    for position, raw in enumerate(parts):
        if len(parts) == 2 and position == 1 and raw.strip() in _STATES_NAMED_LIKE_TIMES:
            components.append(raw.strip())  # "Bridgeport, CT": the state, not Central Time
            continue
        cleaned = _clean_component(raw) if raw else None
        if cleaned:
            cleaned_parts.append(cleaned)
            components.extend(p for p in _expand(cleaned) if p)
    regions = [r for c in components if (r := gz.scope_region(c))]
    if "Worldwide" in regions and mode is None:
        mode = "remote"  # "Anywhere" as a location means remote
    components = [c for c in components if not gz.scope_region(c)]
    if not components:
        return [], mode, regions
    if len(components) > 1 and all(_country_of(c) for c in components):
        countries = [_country_of(c) for c in components]  # "Kenya, Rwanda, Malawi"
        return [Place(country_code=c) for c in countries if c], mode, regions
    if len(cleaned_parts) == 1 and _conjoined(cleaned_parts[0]):
        # one list of places, not one place: "US + Hawaii + Canada" is three
        alone = [_resolve_place([c], hint) for c in components]
        return [p for p in alone if p], mode, regions
    towns = _conjoined(cleaned_parts[0]) if len(cleaned_parts) > 1 else []
    rest = components[len(towns) :]
    if towns and all(_country_of(c) or gz.region_lookup(c) for c in rest):
        # towns that share what follows them: "Austin and Dallas, TX" is two Texan cities
        shared = [_resolve_place([town, *rest], hint) for town in towns]
        return [p for p in shared if p], mode, regions
    place = _resolve_place(components, hint)
    return ([place] if place else []), mode, regions


def _unique(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


@lru_cache(maxsize=100_000)
def _read_field(location_raw: str, hint: str | None) -> _FieldReading:
    places: list[Place] = []
    modes: list[str] = []
    scope: list[str] = []
    area_scope: list[str] = []
    countryless: list[int] = []  # places whose segment is or-joined to the next, no country
    for segment, joined_by_or in _split_segments(location_raw):
        segment_places, mode, regions = _read_segment(segment, hint)
        country = next((p.country_code for p in segment_places if p.country_code), None)
        if country:
            # "Bauchi or Lafia, Nigeria": the country named after the alternatives is theirs
            for index in countryless:
                places[index] = replace(places[index], country_code=country)
            countryless = []
        places.extend(segment_places)
        if joined_by_or:
            countryless += [
                len(places) - len(segment_places) + i
                for i, p in enumerate(segment_places)
                if not p.country_code
            ]
        else:
            countryless = []
        if mode:
            modes.append(mode)
        countries = [p.country_code for p in segment_places if p.country_code]
        if mode == "remote":
            scope.extend(countries + regions)
        area_scope.extend(
            [p.country_code for p in segment_places if p.country_code and not p.city] + regions
        )
    remote_type = max(modes, key=_REMOTE_RANK.__getitem__) if modes else None
    return _FieldReading(
        tuple(dict.fromkeys(places)), remote_type, _unique(scope), _unique(area_scope)
    )


_TITLE_PART_RE = re.compile(r"[(\[]([^()\[\]]*)[)\]]|\s[-–—|]\s(.*)$|,\s([^,]*)$")


@lru_cache(maxsize=100_000)
def _read_title(title: str) -> tuple[str | None, tuple[str, ...]]:
    """Work mode and scope from a title's decorations: "Engineer (Remote, US)",
    "Analyst - Hybrid". The title's head is ignored: "Remote Sensing Scientist"."""
    best: str | None = None
    scope: list[str] = []
    for match in _TITLE_PART_RE.finditer(title):
        part = next(g for g in match.groups() if g is not None)
        mode = _work_mode(part)
        if mode is None:
            continue
        if best is None or _REMOTE_RANK[mode] > _REMOTE_RANK[best]:
            best = mode
        if mode == "remote":
            reading = _read_field(part, None)
            scope.extend(reading.scope)
    return best, _unique(scope)


_DECORATION_SPLIT_RE = re.compile(r"\s*(?:,|/|\bor\b|\band\b|&|\+)\s*", re.IGNORECASE)
_DECORATION_TRIM_RE = re.compile(r"\s+(?:only|based|office|hq)$", re.IGNORECASE)
_CODE_IN_TITLE = {"US", "UK", "USA", "EU", "UAE", "U.S.", "U.K."}


def _is_town_and_state(pieces: list[str]) -> bool:
    """A town the gazetteer lacks, then a US, Canadian or Australian state code as written:
    "Elgin, IL", "Garnet Valley, PA"."""
    if len(pieces) != 2:
        return False
    town, state = pieces
    return (
        state.isupper()
        and gz.region_lookup(state) is not None
        and town[:1].isupper()
        and not town.isupper()
        and _looks_like_town(town)
    )


@lru_cache(maxsize=100_000)
def is_location_decoration(text: str) -> bool:
    """True when a title part only names places or a work mode: "Remote, US", "Berlin",
    "London, UK", "Oakland, CA", "EMEA". Bare codes count only as "US"/"UK"-like or
    beside a known city, because titles are full of "AI", "ML", "AR" and "IT"."""
    had_mode = _ANY_WORK_MODE_RE.search(text) is not None
    body = _ANY_WORK_MODE_RE.sub(",", text)
    pieces = [p.strip(_EDGE_PUNCT) for p in _DECORATION_SPLIT_RE.split(body)]
    pieces = [_DECORATION_TRIM_RE.sub("", p) for p in pieces if p and p.strip(_EDGE_PUNCT)]
    if not pieces:
        return had_mode
    if _is_town_and_state(pieces):
        return True
    has_city = any(gz.city_lookup(p) for p in pieces)
    for piece in pieces:
        if gz.city_lookup(piece) or gz.scope_region(piece) or piece.upper() in _CODE_IN_TITLE:
            continue
        if not piece.isupper() and (gz.country_by_name(piece) or gz.region_lookup(piece)):
            continue
        if has_city and piece.isupper() and (_country_of(piece) or gz.region_lookup(piece)):
            continue
        return False
    return True


# --- structured field and description text -------------------------------------------------

# A structured field's words. Booleans ("true"/"false", e.g. Ashby's isRemote) are weaker
# than a named mode: in the real Ashby capture, 59 isRemote=true postings are located at
# "San Francisco-Hybrid" and 69 isRemote=false ones at "Remote", so a mode the location or
# title names explicitly wins over a boolean.
# fmt: off
_STATED = {
    **dict.fromkeys(["remote", "fully remote", "telecommute", "remote only", "work from home"],
                    "remote"),
    **dict.fromkeys(["hybrid", "partially remote"], "hybrid"),
    **dict.fromkeys(["onsite", "on site", "in office", "office", "in person", "on premises",
                     "office based"], "onsite"),
}
_STATED_FLAGS = {
    **dict.fromkeys(["true", "yes", "y", "1"], "remote"),
    **dict.fromkeys(["false", "no", "n", "0", "not remote"], "not_remote"),
}
# fmt: on


# --- public --------------------------------------------------------------------------------


def parse_locations(
    location_raw: str | None,
    *,
    country_raw: str | None = None,
    remote_raw: str | None = None,
    title: str | None = None,
    text: str | None = None,
) -> LocationInfo:
    """Read places, remote type (with its basis) and remote scope from a posting."""
    hint = None
    if country_raw and country_raw.strip():
        hint = _country_of(country_raw.strip())
    reading = (
        _read_field(location_raw, hint)
        if location_raw and location_raw.strip()
        else (_FieldReading())
    )

    places = list(reading.places)
    if hint:
        if not places:
            places = [Place(country_code=hint)]
        elif places[0].country_code is None:
            places[0] = Place(places[0].city, places[0].region, hint)

    title_mode, title_scope = _read_title(title) if title else (None, ())
    parsed_mode = reading.remote_type or title_mode

    folded_raw = gz.fold(str(remote_raw)) if remote_raw is not None else ""
    stated, flag = _STATED.get(folded_raw), _STATED_FLAGS.get(folded_raw)
    low = rs.LazyLower(text or "")
    remote_type: str | None
    basis: str | None
    if stated:
        remote_type, basis = stated, "stated"
    elif flag == "remote":
        remote_type, basis = (parsed_mode, "parsed") if parsed_mode else ("remote", "stated")
    elif flag == "not_remote":
        # "false" says "not remote", not "on-site": a named mode or a hybrid statement wins.
        if parsed_mode:
            remote_type, basis = parsed_mode, "parsed"
        elif text and rs.mode_from_text(low.value) == "hybrid":
            remote_type, basis = "hybrid", "inferred"
        else:
            remote_type, basis = "onsite", "stated"
    elif parsed_mode:
        remote_type, basis = parsed_mode, "parsed"
    else:
        remote_type = rs.mode_from_text(low.value) if text else None
        basis = "inferred" if remote_type else None

    scope: tuple[str, ...] = ()
    if remote_type == "remote":
        scope = reading.scope or title_scope or reading.area_scope
        if not scope and text:
            scope = rs.scope_from_text(text, low.value)

    return LocationInfo(
        places=tuple(places),
        country_code=places[0].country_code if places else None,
        remote_type=remote_type,
        remote_basis=basis,
        remote_scope=scope,
    )
