"""parse_locations: places with ISO countries, remote type with its basis, remote scope."""

from __future__ import annotations

import csv
import re

import pycountry
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.cleaning.gazetteer import CITIES_CSV, city_lookup
from pipelines.cleaning.locations import parse_locations
from pipelines.cleaning.types import LocationInfo, Place


def places(raw, **kwargs):
    return [(p.city, p.region, p.country_code) for p in parse_locations(raw, **kwargs).places]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Berlin, Germany", [("Berlin", "BE", "DE")]),  # Lever
        # towns where farming, energy and health non-profits hire (real Greenhouse locations)
        ("Lucknow", [("Lucknow", None, "IN")]),
        ("Lafia, Nasarawa State", [("Lafia", None, "NG")]),
        ("Gisenyi", [("Rubavu", None, "RW")]),
        ("New York, NY", [("New York", "NY", "US")]),  # Ashby
        ("New York, NY (HQ)", [("New York", "NY", "US")]),
        ("San Francisco, CA - US", [("San Francisco", "CA", "US")]),
        ("Denver, CO - US", [("Denver", "CO", "US")]),
        ("Tulsa, OK - US (1)", [("Tulsa", "OK", "US")]),
        ("Manteno, Illinois", [("Manteno", "IL", "US")]),
        ("Middletown, Pennslyvania", [("Middletown", "PA", "US")]),  # sic, a real posting
        ("Toronto", [("Toronto", "ON", "CA")]),
        ("Toronto, CA", [("Toronto", "ON", "CA")]),  # CA after a Canadian city is Canada
        ("Oakland, CA", [("Oakland", "CA", "US")]),  # ...and California after a US one
        ("Montreal, QC, Canada", [("Montreal", "QC", "CA")]),
        ("Bangalore", [("Bengaluru", "KA", "IN")]),
        ("Bengaluru, India", [("Bengaluru", "KA", "IN")]),
        ("India-Karnataka", [(None, "KA", "IN")]),
        ("China-Shanghai", [("Shanghai", None, "CN")]),
        ("NYC", [("New York", "NY", "US")]),
        ("SF / NY", [("San Francisco", "CA", "US"), ("New York", "NY", "US")]),
        ("Darmstadt, DE", [("Darmstadt", "HE", "DE")]),
        ("Wilmington, DE", [("Wilmington", "DE", "US")]),
        ("Perth, WA", [("Perth", "WA", "AU")]),
        ("Atlanta, Georgia", [("Atlanta", "GA", "US")]),
        ("Tbilisi, Georgia", [("Tbilisi", None, "GE")]),
        ("London, ON", [("London", "ON", "CA")]),
        ("London, UK", [("London", None, "GB")]),
        ("Cambridge, MA", [("Cambridge", "MA", "US")]),
        ("München, Bayern", [("Munich", "BY", "DE")]),
        ("Zürich", [("Zurich", None, "CH")]),
        ("Deutschland", [(None, None, "DE")]),
        ("USA", [(None, None, "US")]),
        ("United States", [(None, None, "US")]),
        ("Remote (Aus)", [(None, None, "AU")]),
        ("Kampala Uganda", [("Kampala", None, "UG")]),
        ("USA - New York NY", [("New York", "NY", "US")]),
        ("San Francisco Office", [("San Francisco", "CA", "US")]),
        ("HQ: San Francisco", [("San Francisco", "CA", "US")]),
        ("Washington D.C.", [("Washington", "DC", "US")]),
        # state codes of Brazil, India and Mexico, read as such only after their own cities:
        # alone, MG is Madagascar, RS Serbia, PR Puerto Rico, NL the Netherlands
        ("Porto Alegre, RS", [("Porto Alegre", "RS", "BR")]),
        ("Belgrade, RS", [("Belgrade", None, "RS")]),
        ("Belo Horizonte, MG", [("Belo Horizonte", "MG", "BR")]),
        ("Curitiba, PR", [("Curitiba", "PR", "BR")]),
        ("Pune, MH", [("Pune", "MH", "IN")]),
        ("Gurgaon, HR", [("Gurugram", "HR", "IN")]),
        ("Monterrey, NL", [("Monterrey", "NLE", "MX")]),
        ("Amsterdam, NL", [("Amsterdam", None, "NL")]),
        ("Tijuana, BC", [("Tijuana", "BCN", "MX")]),
        ("Vancouver, BC", [("Vancouver", "BC", "CA")]),
        ("Darwin, NT", [("Darwin", "NT", "AU")]),
        ("Remote, MG", [(None, None, "MG")]),
        # CT and MT are time zones too: states only right after a town (real locations)
        ("Bridgeport, CT", [("Bridgeport", "CT", "US")]),
        ("Bozeman, MT", [("Bozeman", "MT", "US")]),
        ("Sorriso, MT", [("Sorriso", "MT", "BR")]),  # Mato Grosso: Brazil's soy country
        ("Denver, CO (MT)", [("Denver", "CO", "US")]),
        # a region word at the end of a town's own name stays in it (a real Greenhouse place)
        ("Ecatepec de Morelos, Estado de México", [("Ecatepec de Morelos", "MEX", "MX")]),
        # Japanese, Chinese and Korean place names (real Ashby locations among them)
        ("東京", [("Tokyo", None, "JP")]),
        ("福岡", [("Fukuoka", None, "JP")]),
        ("東京都渋谷区", [("Tokyo", None, "JP")]),
        ("서울특별시 강남구", [("Seoul", None, "KR")]),
        ("台北, 台灣", [("Taipei", None, "TW")]),
        ("Headquarters", []),
        ("CET +/- 3", []),
        # towns cities.csv lacks, from GeoNames' towns of 15,000 people or more (real places)
        ("Erfurt", [("Erfurt", None, "DE")]),
        ("Poole", [("Poole", None, "GB")]),
        ("Manama", [("Manama", None, "BH")]),
        ("Virginia Beach", [("Virginia Beach", "VA", "US")]),
        ("Ocala, USA", [("Ocala", "FL", "US")]),  # the state it leaves out
        ("San Juan", [("San Juan", None, "PR")]),  # far the largest San Juan
        ("Springfield", [("Springfield", None, None)]),  # no Springfield leads the others
        ("Springfield, IL", [("Springfield", "IL", "US")]),
        ("Moab Office", [("Moab", None, None)]),  # under 15,000 people
        # a lone lower-case "l" stands in for "|" (a real Ashby board)
        (
            "Amsterdam l Remote; Baltimore l Relocation",
            [("Amsterdam", None, "NL"), ("Baltimore", "MD", "US")],
        ),
        ("Relocation to Europe", []),
        ("Orange County HQ", [("Orange County", "CA", "US")]),
        ("East Bay", [("East Bay", "CA", "US")]),
        ("Tiranë l Remote", [("Tirana", None, "AL")]),
        ("Isreal Office - Aluf Kalman Magen St 3, Tel Aviv-Yafo", [("Tel Aviv", None, "IL")]),
        # a list joined by "+", "/" or "and" is several places (real Ashby locations)
        (
            "New Delhi/Bangalore/Mumbai [Hybrid]",
            [("Delhi", "DL", "IN"), ("Bengaluru", "KA", "IN"), ("Mumbai", "MH", "IN")],
        ),
    ],
)
def test_places(raw, expected):
    assert places(raw) == expected


def test_greenhouse_joins_several_places_with_semicolons():
    assert places("Fremont, California; Manteno, Illinois") == [
        ("Fremont", "CA", "US"),
        ("Manteno", "IL", "US"),
    ]


def test_or_separated_places():
    assert places("Minna, Nigeria or Jinja, Uganda or Kinshasa, Democratic Republic of Congo") == [
        ("Minna", None, "NG"),
        ("Jinja", None, "UG"),
        ("Kinshasa", None, "CD"),
    ]


def test_a_country_after_alternatives_is_theirs():
    # as real Greenhouse locations write it ("Bauchi or Lafia, Nigeria"), with towns the
    # gazetteer does not know: the country named last belongs to the towns before it
    # (nor do the world's towns of 15,000 people or more)
    info = parse_locations("Gwantu or Wamba, Nigeria")
    assert [(p.city, p.country_code) for p in info.places] == [("Gwantu", "NG"), ("Wamba", "NG")]
    assert info.country_code == "NG"
    # a place that names its own country keeps it; a ";" lists places, not alternatives
    assert places("Berlin or London, UK") == [("Berlin", "BE", "DE"), ("London", None, "GB")]
    assert places("Gwantu; Wamba, Nigeria") == [("Gwantu", None, None), ("Wamba", None, "NG")]


def test_a_list_of_countries_is_several_places():
    assert places("Kenya, Rwanda, Malawi") == [
        (None, None, "KE"),
        (None, None, "RW"),
        (None, None, "MW"),
    ]
    flexible = "Flexible: Poland, Spain, and Kenya"
    assert places(flexible) == [(None, None, "PL"), (None, None, "ES"), (None, None, "KE")]


def test_country_code_is_the_first_places_country():
    info = parse_locations("Berlin; London, UK")
    assert info.country_code == "DE"
    assert parse_locations("Headquarters").country_code is None


def test_structured_country_fills_a_missing_country():
    info = parse_locations("Moab Office", country_raw="USA")
    assert info.places == (Place("Moab", None, "US"),)
    assert info.country_code == "US"
    assert parse_locations("Headquarters", country_raw="United Kingdom").country_code == "GB"
    assert parse_locations(None, country_raw="US").country_code == "US"
    # the location's own country wins over the structured one
    assert parse_locations("Berlin, Germany", country_raw="USA").country_code == "DE"


def test_structured_country_picks_the_right_city_of_a_shared_name():
    assert places("London", country_raw="Canada") == [("London", "ON", "CA")]
    assert places("London") == [("London", None, "GB")]


@pytest.mark.parametrize(
    ("raw", "remote_type", "scope"),
    [
        ("Remote - US", "remote", ("US",)),
        ("Remote - USA", "remote", ("US",)),
        ("Remote U.S.", "remote", ("US",)),
        ("US-Remote", "remote", ("US",)),
        ("United States (Remote)", "remote", ("US",)),
        ("Remote (United States | Canada)", "remote", ("US", "CA")),
        ("Remote (EU)", "remote", ("EU",)),
        ("Remote, Europe", "remote", ("Europe",)),
        ("Remote - EMEA", "remote", ("EMEA",)),
        ("Remote - Germany and Switzerland", "remote", ("DE", "CH")),
        # "Continental" and "only" qualify the country (real Ashby locations)
        ("Remote (Continental US only)", "remote", ("US",)),
        # a time zone is neither a place nor a scope
        ("US Remote (Pacific Time)", "remote", ("US",)),
        ("Remote (EST timezone)", "remote", ()),
        (
            "Remote (Caribbean); Remote (Central America)",
            "remote",
            ("Caribbean", "Central America"),
        ),
        ("Remote (Continental US + Hawaii + Canada Only)", "remote", ("US", "CA")),
        # a last word the list shares (a real Ashby location)
        (
            "Remote (Africa, Central & South America)",
            "remote",
            ("Africa", "Central America", "South America"),
        ),
        ("Remote - North and South Carolina", "remote", ("US",)),
        ("Anywhere", "remote", ("Worldwide",)),
        ("Remote", "remote", ()),
        ("London, UK or Remote", "remote", ()),
        ("San Francisco-Hybrid", "hybrid", ()),
        ("Hybrid - London", "hybrid", ()),
        ("Argentina / Hybrid", "hybrid", ()),
        ("Las Vegas, NV (Onsite)", "onsite", ()),
        ("Work from home", "remote", ()),
        ("Télétravail, France", "remote", ("FR",)),
        ("Berlin", None, ()),
    ],
)
def test_remote_words_in_the_location_are_parsed(raw, remote_type, scope):
    info = parse_locations(raw)
    assert info.remote_type == remote_type
    assert info.remote_basis == ("parsed" if remote_type else None)
    assert info.remote_scope == scope


def test_japanese_remote_words_are_the_work_mode_not_a_town():
    tokyo = parse_locations("リモート(東京)")
    assert (tokyo.remote_type, tokyo.places) == ("remote", (Place("Tokyo", None, "JP"),))
    full = parse_locations("フルリモート")
    assert (full.remote_type, full.places) == ("remote", ())


def test_remote_scope_keeps_the_place_too():
    info = parse_locations("Remote - US")
    assert info.places == (Place(None, None, "US"),)
    assert info.country_code == "US"


@pytest.mark.parametrize(
    ("remote_raw", "location", "expected"),
    [
        ("true", "San Francisco", ("remote", "stated")),
        ("Remote", None, ("remote", "stated")),
        ("TELECOMMUTE", None, ("remote", "stated")),
        ("hybrid", "Remote - US", ("hybrid", "stated")),  # structured beats the words
        ("onsite", "Remote", ("onsite", "stated")),
        ("on-site", None, ("onsite", "stated")),
        ("in office", None, ("onsite", "stated")),
        ("false", "San Francisco", ("onsite", "stated")),
        ("true", "San Francisco", ("remote", "stated")),
        # a boolean (Ashby's isRemote) yields to a mode the location names explicitly
        ("false", "San Francisco-Hybrid", ("hybrid", "parsed")),
        ("false", "Remote - US", ("remote", "parsed")),
        ("true", "San Francisco-Hybrid", ("hybrid", "parsed")),
        ("unspecified", "Berlin (Hybrid)", ("hybrid", "parsed")),  # unknown value: ignored
    ],
)
def test_structured_remote_field(remote_raw, location, expected):
    info = parse_locations(location, remote_raw=remote_raw)
    assert (info.remote_type, info.remote_basis) == expected


def test_not_remote_with_a_hybrid_statement_in_the_text_is_hybrid():
    info = parse_locations("Berlin", remote_raw="false", text="This is a hybrid role.")
    assert (info.remote_type, info.remote_basis) == ("hybrid", "inferred")
    # ...but a remote claim in the text does not overrule the structured "false"
    info = parse_locations("Berlin", remote_raw="false", text="This role is remote.")
    assert (info.remote_type, info.remote_basis) == ("onsite", "stated")


@pytest.mark.parametrize(
    ("title", "remote_type", "scope"),
    [
        ("Data Scientist (Remote, US)", "remote", ("US",)),
        ("Paid Media Strategist (Remote US) - Future Opening", "remote", ("US",)),
        ("ML Engineer - Hybrid", "hybrid", ()),
        ("Remote Sensing Scientist", None, ()),  # the title's head is a job, not a place
    ],
)
def test_title_decorations_are_parsed(title, remote_type, scope):
    info = parse_locations(None, title=title)
    assert info.remote_type == remote_type
    assert info.remote_scope == scope


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Great team. This role is remote.", "remote"),
        ("This position is fully remote within Canada.", "remote"),
        ("This is a hybrid role based in Austin.", "hybrid"),
        ("This is a fully remote position.", "remote"),
        ("You will work on-site at our Fremont plant.", "onsite"),
        ("We expect you 3 days a week in our office.", "hybrid"),
        ("Hybrid schedule: in the office 2-3 days per week.", "hybrid"),
        ("We are in the office 5 days a week in our HQ.", "onsite"),
        ("Candidates must be able to work onsite in Houston.", "onsite"),
        ("You are expected to work in the office in a hybrid capacity.", "hybrid"),
    ],
)
def test_statements_about_the_role_are_inferred(text, expected):
    info = parse_locations("Austin, TX", text=text)
    assert (info.remote_type, info.remote_basis) == (expected, "inferred")


@pytest.mark.parametrize(
    "text",
    [
        "We are a remote-first company with people in 12 countries.",
        "Our distributed team works across time zones.",
        "We support remote work and offer a home office budget.",
        "We build remote monitoring for patients.",
        "This role is not remote.",
    ],
)
def test_company_boilerplate_is_not_a_claim_about_the_role(text):
    info = parse_locations("Austin, TX", text=text)
    assert info.remote_type is None and info.remote_basis is None


def test_location_words_beat_text_statements():
    info = parse_locations("Berlin (Hybrid)", text="This role is remote.")
    assert (info.remote_type, info.remote_basis) == ("hybrid", "parsed")


@pytest.mark.parametrize(
    ("text", "scope"),
    [
        ("This role is remote and open to candidates in Canada or the US.", ("CA", "US")),
        ("Candidates must be based in the United States.", ("US",)),
        ("You can work remotely from anywhere in Europe.", ("Europe",)),
        ("Join us! Applicants located in the UK, Ireland, or EU time zones.", ("GB", "IE", "EU")),
        ("Come work with us.", ()),
    ],
)
def test_remote_scope_from_the_text(text, scope):
    assert parse_locations("Remote", text=text).remote_scope == scope


def test_scope_is_only_set_for_remote_roles():
    assert (
        parse_locations("Hybrid - London", text="Open to candidates in the UK.").remote_scope == ()
    )


def test_nothing_said_gives_nothing():
    assert parse_locations(None) == LocationInfo()
    assert parse_locations("") == LocationInfo()
    assert parse_locations("   ", remote_raw="") == LocationInfo()


def test_cities_table_is_valid_and_regions_exist():
    with CITIES_CSV.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 300
    for line, row in enumerate(rows, start=2):
        assert pycountry.countries.get(alpha_2=row["country_code"]), line
        if row["region"]:
            code = f"{row['country_code']}-{row['region']}"
            assert pycountry.subdivisions.get(code=code), (line, code)
    assert city_lookup("Bengaluru") == city_lookup("bangalore")


_place_text = st.sampled_from(
    [
        "Remote",
        "Hybrid",
        "US",
        "CA",
        "DE",
        "Berlin",
        "New York, NY",
        "(",
        ")",
        "|",
        ";",
        " / ",
        " or ",
        ",",
        "-",
        "–",
        "London",
        "Georgia",
        "EMEA",
        "Anywhere",
        "HQ:",
        "NYC",
        "Texas",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(st.none(), st.text(), st.lists(_place_text, max_size=12).map("".join)),
    st.one_of(st.none(), st.text(max_size=20), st.sampled_from(["USA", "Germany", "UK"])),
    st.one_of(st.none(), st.text(max_size=10), st.sampled_from(["true", "false", "hybrid"])),
    st.one_of(st.none(), st.text(max_size=60)),
    st.one_of(st.none(), st.text(max_size=300)),
)
def test_any_input_gives_a_valid_location(location, country, remote, title, text):
    info = parse_locations(location, country_raw=country, remote_raw=remote, title=title, text=text)
    assert isinstance(info, LocationInfo)
    for place in info.places:
        if place.country_code is not None:
            assert re.fullmatch(r"[A-Z]{2}", place.country_code)
    assert info.country_code == (info.places[0].country_code if info.places else None)
    assert info.remote_type in (None, "onsite", "hybrid", "remote")
    assert (info.remote_type is None) == (info.remote_basis is None)
    assert info.remote_basis in (None, "stated", "parsed", "inferred")
    if info.remote_type != "remote":
        assert info.remote_scope == ()


def test_a_time_zone_is_not_a_town():
    assert places("US Remote (Pacific Time)") == [(None, None, "US")]
    assert places("Remote (EST timezone)") == []
    assert places("Remote - CT/MT Timezones") == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # towns that share the state or country after them
        ("Austin and Dallas, TX", [("Austin", "TX", "US"), ("Dallas", "TX", "US")]),
        ("Berlin & Munich, Germany", [("Berlin", "BE", "DE"), ("Munich", "BY", "DE")]),
        ("Salt Lake City & Provo, UT", [("Salt Lake City", "UT", "US"), ("Provo", "UT", "US")]),
        # a list with nothing after it: each town finds its own state
        ("New York and San Francisco", [("New York", "NY", "US"), ("San Francisco", "CA", "US")]),
    ],
)
def test_towns_joined_by_and_share_what_follows(raw, expected):
    assert places(raw) == expected
