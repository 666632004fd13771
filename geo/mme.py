"""Import the Multinational Military Exercises data set (MME v7) as a folder of records.

``import_mme(csv_path, out_dir)`` reads the CSV (one row per exercise) and writes
``styles.yaml``, ``sources.yaml``, ``actors.yaml``, ``places.yaml`` and
``exercises.yaml`` into ``out_dir``: one exercise Event per usable row, in a
layer by mission, citing the data set with ``ref: <MMEID>``. Rows it cannot
use, participants it cannot name and coordinates that contradict their own
location text are reported (``ImportReport``), never guessed.

Decisions, so the map says no more than the data set does:

* Participants are countries by ISO 3166 alpha-3 code, drawn at a
  representative point inside their Natural Earth outline (never an invented
  capital). Former states keep their ISO 3166-3 code (DDR, CSK, YUG, SCG, SUN,
  ANT) and are drawn inside their main successor's outline.
* MME writes the Soviet Union as 'Russia'. In rows that start before 1992 we
  read 'Russia' as the Soviet Union (SUN): the Russian Federation did not take
  part in exercises of its own before the Union ended in December 1991, and
  drawing 1980s Warsaw Pact exercises with 'Russia' would misstate who took
  part. From 1992 on 'Russia' is RUS. Likewise MME's 'Yugoslavia' (only in
  2004 rows) is Serbia and Montenegro (SCG) from February 2003 on.
* ``-9`` (participant unknown) is skipped and counted; so is a name we cannot
  map to a country (printed in the report).
* A place is one distinct (rounded point, location text). Its country is the
  country the text names when the point lies in (or within tolerance of) it,
  else the country holding the point. When the text names a country and the
  point lies outside it, the coordinates cannot be trusted: the exercise is
  drawn at the named country's representative point, precision 'country', with
  a note, and the row is reported as a contradiction.
* A point in no country outline whose text names no country (at sea) is a
  place without a country, with a note giving the nearest outline and its
  distance: nothing more can be claimed.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import os
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import pycountry
import shapely
import yaml

from mongolmap.geo import countries
from mongolmap.geo.dates import parse_partial_date
from mongolmap.geo.models import DEFAULT_UNCERTAINTY_KM, Actor, Citation, Event, LayerStyle, Place, Source
from mongolmap.geo.output import first_names, write_folder

SOURCE_ID = "mme-v7"
SOURCE = Source(
    id=SOURCE_ID,
    kind="dataset",
    title="Multinational Military Exercises, 1980-2010",
    author="D'Orazio, Vito; Galambos, Kevin",
    publisher="Harvard Dataverse",
    published="2021",
    address="https://doi.org/10.7910/DVN/KHFODX",
    note=(
        "Version 7. One exercise per row; participants from the StateA..StateAM columns, "
        "dates from s.year/s.month/s.day and e.year/e.month/e.day ('xx' = unknown)."
    ),
)

# Missions in the order that picks an exercise's layer when several flags are set.
MISSIONS = ("warfighting", "peacekeeping", "humanitarian")
OTHER_LAYER = "other_exercises"

# The layer table written to styles.yaml: data, not drawing code.
LAYER_STYLES = (
    LayerStyle(
        key="warfighting", label="Warfighting exercises", colour="#b2182b", symbol="triangle", order=1,
        description="MME v7 exercises flagged warfighting, 1980-2010.",
    ),
    LayerStyle(
        key="peacekeeping", label="Peacekeeping exercises", colour="#2166ac", symbol="circle", order=2,
        description="MME v7 exercises flagged peacekeeping (and not warfighting), 1980-2010.",
    ),
    LayerStyle(
        key="humanitarian", label="Humanitarian exercises", colour="#1b7837", symbol="square", order=3,
        description="MME v7 exercises flagged humanitarian only, 1980-2010.",
    ),
    LayerStyle(
        key=OTHER_LAYER, label="Other exercises", colour="#6a6a6a", symbol="diamond", order=4,
        description="MME v7 exercises with none of the warfighting, peacekeeping or humanitarian flags.",
    ),
)

DOMAINS = (("CPX", "command post"), ("Air", "air"), ("Land", "land"), ("Sea", "sea"),
           ("Amphibious", "amphibious"), ("Cyber", "cyber"))

UNKNOWN = "-9"

# MME participant names that pycountry does not resolve (or resolves wrongly).
PARTICIPANT_CODES = {
    "Antigua & Barbuda": "ATG",
    "Bosnia & Herzegovina": "BIH",
    "Bosnia and Herzegovina": "BIH",
    "Burma": "MMR",
    "Cape Verde": "CPV",
    "Congo - Brazzaville": "COG",
    "Congo - Kinshasa": "COD",
    "Côte d’Ivoire": "CIV",
    "Czechoslovakia": "CSK",
    "Federal Republic of Germany": "DEU",
    "German Democratic Republic": "DDR",
    "Hong Kong SAR China": "HKG",
    "Iran": "IRN",
    "Ivory Coast": "CIV",
    "Kosovo": "XKX",
    "Laos": "LAO",
    "Macedonia": "MKD",
    "Myanmar (Burma)": "MMR",
    "Netherlands Antilles": "ANT",
    "North Korea": "PRK",
    "Russia": "RUS",
    "São Tomé & Príncipe": "STP",
    "South Korea": "KOR",
    "St. Kitts & Nevis": "KNA",
    "st. christopher": "KNA",  # Saint Christopher and Nevis, the federation's other name
    "St. Lucia": "LCA",
    "St. Vincent & Grenadines": "VCT",
    "Syria": "SYR",
    "Taiwan": "TWN",
    "Trinidad & Tobago": "TTO",
    "Turkey": "TUR",
    "Vietnam": "VNM",
    "Yugoslavia": "YUG",
}

# Names whose state depends on the date: (name, first year of the later state, later code).
ERA_CODES = {
    "Russia": (1992, "RUS", "SUN"),  # MME writes the USSR as 'Russia'
}
SCG_FROM = (2003, 2)  # the Federal Republic of Yugoslavia became Serbia and Montenegro, Feb 2003

ORGANISATIONS = {"NATO": ("nato", "North Atlantic Treaty Organization (NATO)")}

# Former states: the main successor whose outline they are drawn in, and their display name.
FORMER_STATES = {
    "DDR": ("DEU", "German Democratic Republic"),
    "CSK": ("CZE", "Czechoslovakia"),
    "YUG": ("SRB", "Yugoslavia"),
    "SCG": ("SRB", "Serbia and Montenegro"),
    "SUN": ("RUS", "Soviet Union"),
    "ANT": ("CUW", "Netherlands Antilles"),
}

# Natural Earth outlines keyed by name (no ISO numeric code) that stand for a code.
# The loader checks CYP and SOM places against the ISO outlines alone, so a point in
# Northern Cyprus or Somaliland is distance > 0 from its country's outline.
NAMED_OUTLINES = {"Kosovo": "XKX", "N. Cyprus": "CYP", "Somaliland": "SOM"}

# NATO's seat. We hold no NATO address page to cite, so it is drawn at Brussels,
# at city precision: the one coordinate this importer does not take from MME.
BRUSSELS = {"id": "brussels", "name": "Brussels", "country": "BEL", "lat": 50.8467, "lon": 4.3525}

# --- Location text: which countries it names --------------------------------

# Words in location text that name a country's territory without being its name.
LOCATION_ALIASES = {
    "britain": "GBR", "great britain": "GBR", "england": "GBR", "scotland": "GBR", "wales": "GBR",
    "northern ireland": "GBR", "uk": "GBR", "u.k.": "GBR", "usa": "USA", "uae": "ARE",
    "holland": "NLD", "czech republic": "CZE", "bosnia": "BIH",
    "west germany": "DEU", "east germany": "DDR", "soviet union": "SUN", "ussr": "SUN",
    "korea": "KOR", "republic of korea": "KOR", "phillippines": "PHL",
    # A few adjectives that MME's location texts use in place of the country's name.
    # ('U.S.' is left out: 'U.S. naval base in Yokosuka' is in Japan.)
    "australian": "AUS", "bosnian": "BIH", "croatian": "HRV", "chilean": "CHL", "italian": "ITA",
    "japanese": "JPN", "malaysian": "MYS", "puerto rican": "PRI",
    "scottish": "GBR", "venezuelan": "VEN",
}
# Parts of a country: naming one names the country, but a bare one is a region.
SUBDIVISIONS = {
    name: "USA"
    for name in (
        "alabama", "alaska", "arizona", "arkansas", "california", "colorado", "connecticut",
        "delaware", "florida", "hawaii", "idaho", "illinois", "indiana", "iowa", "kansas",
        "kentucky", "louisiana", "maine", "maryland", "massachusetts", "michigan", "minnesota",
        "mississippi", "missouri", "montana", "nebraska", "nevada", "new hampshire", "new jersey",
        "new mexico", "new york", "north carolina", "north dakota", "ohio", "oklahoma", "oregon",
        "pennsylvania", "rhode island", "south carolina", "south dakota", "tennessee", "texas",
        "utah", "vermont", "virginia", "west virginia", "washington state", "wisconsin", "wyoming",
    )
} | {"scotland": "GBR", "england": "GBR", "wales": "GBR", "northern ireland": "GBR", "okinawa": "JPN",
     "hokkaido": "JPN", "kyushu": "JPN", "honshu": "JPN", "sardinia": "ITA", "sicily": "ITA",
     "corsica": "FRA", "crete": "GRC", "new south wales": "AUS", "queensland": "AUS",
     "northern territory": "AUS", "western australia": "AUS", "tasmania": "AUS",
     "crimea": "UKR", "sevastopol": "UKR", "simferopol": "UKR"}
# Names shared by a country and a part of another: both count as named.
SHARED_NAMES = {"georgia": ("GEO", "USA"), "macedonia": ("MKD", "GRC")}
# Seas and gulfs named after a country: removed before looking for country names.
WATERS_NAMED_AFTER_COUNTRIES = (
    "south china sea", "east china sea", "sea of japan", "gulf of thailand", "gulf of guinea",
    "gulf of mexico", "gulf of oman", "gulf of finland", "gulf of honduras", "irish sea",
    "philippine sea", "korea strait", "new guinea", "indian ocean", "gulf of aden",
    "norwegian sea", "arabian sea", "arabian gulf", "japan sea", "sea of okhotsk",
)

# Successor outlines a former state's territory lies in, for checking a point against it.
FORMER_TERRITORY = {
    "DDR": ("DEU",),
    "CSK": ("CZE", "SVK"),
    "YUG": ("SRB", "MNE", "HRV", "SVN", "BIH", "MKD", "XKX"),
    "SCG": ("SRB", "MNE", "XKX"),
    "SUN": ("RUS", "UKR", "BLR", "MDA", "LTU", "LVA", "EST", "GEO", "ARM", "AZE", "KAZ", "UZB",
            "TKM", "KGZ", "TJK"),
    "ANT": ("CUW", "SXM", "BES", "ABW"),
}

INSTALLATION_WORDS = re.compile(
    r"\b(air ?base|air force base|afb|base|bases|naval station|air station|camp|fort|ft|range|"
    r"ranges|training area|training areas|training (?:centre|center|ground|grounds|site)|"
    r"centre|center|barracks|airfield|air field|airport|garrison|proving ground|polygon|"
    r"academy|school|college|depot|dockyard|naval yard|arsenal|headquarters)\b"
)
REGION_WORDS = re.compile(
    r"\b(sea|seas|ocean|gulf|bay|strait|straits|channel|coast|coastal|off|offshore|waters|"
    r"atlantic|pacific|mediterranean|baltic|caribbean|adriatic|aegean|arctic|region|regions|"
    r"area|province|provinces|prefecture|state|states|peninsula|island|islands|isles|"
    r"north|south|east|west|northern|southern|eastern|western|central|desert|mountains|"
    r"flank|europe|asia|africa|airspace|border|various|several|multiple|global|territory|"
    r"territories|countries)\b"
)


def normalise_text(text: str) -> str:
    """Lower case, '&' as 'and', runs of space as one: the form names are matched in."""
    text = unicodedata.normalize("NFC", text).replace("&", " and ").replace("’", "'")
    return re.sub(r"\s+", " ", text).strip().lower()


@dataclass(frozen=True)
class NamedCountry:
    """A country a location text names: the code to draw it by and the codes it may lie in."""

    code: str
    accept: tuple[str, ...]
    subdivision: bool


@cache
def _location_names() -> tuple[re.Pattern[str], dict[str, NamedCountry]]:
    names: dict[str, NamedCountry] = {}

    def add(name: str, code: str, subdivision: bool = False) -> None:
        key = normalise_text(name)
        if key and key not in names:
            successor, _ = FORMER_STATES.get(code, (code, ""))
            accept = FORMER_TERRITORY.get(code, (code,))
            names[key] = NamedCountry(successor, accept, subdivision)

    for name, codes in SHARED_NAMES.items():
        names[name] = NamedCountry(codes[0], codes, False)
    for name, code in SUBDIVISIONS.items():
        add(name, code, subdivision=True)
    for name, code in {**LOCATION_ALIASES, **PARTICIPANT_CODES}.items():
        add(name, code)
    for country in pycountry.countries:
        for attr in ("common_name", "name", "official_name"):
            value = getattr(country, attr, None)
            if value and "," not in value:
                add(value, country.alpha_3)
    for former in FORMER_STATES:
        add(FORMER_STATES[former][1], former)
    alternation = "|".join(re.escape(n) for n in sorted(names, key=lambda n: (-len(n), n)))
    return re.compile(rf"(?<![\w.])(?:{alternation})(?![\w])"), names


def named_countries(text: str) -> tuple[list[NamedCountry], str]:
    """The countries a location text names, in order, and the text left without them.

    Examples
    --------
    >>> [n.code for n in named_countries("Five Hills [Tavan Tolgoi], Mongolia")[0]]
    ['MNG']
    >>> [n.code for n in named_countries("South China Sea")[0]]
    []
    """
    pattern, names = _location_names()
    norm = normalise_text(text)
    for water in WATERS_NAMED_AFTER_COUNTRIES:
        norm = norm.replace(water, " " + water.replace(" ", "_") + " ")
    found: list[NamedCountry] = []
    for match in pattern.finditer(norm):
        named = names[match.group(0)]
        if named not in found:
            found.append(named)
    rest = pattern.sub(" ", norm).replace("_", " ")
    return found, rest


def location_precision(text: str) -> str:
    """How precisely a free-text MME location places an exercise.

    Examples
    --------
    >>> location_precision("South Korea"), location_precision("Darwin, Australia")
    ('country', 'city')
    >>> location_precision("PAYA LEBAR AIR BASE, Singapore"), location_precision("north atlantic")
    ('installation', 'region')
    """
    found, rest = named_countries(text)
    rest = re.sub(r"[\[\]]", "", rest)  # 'training [area]': MME's editorial brackets
    if found and not re.sub(r"[\W_]+|\bthe\b|\band\b", "", rest):
        return "region" if all(n.subdivision for n in found) else "country"
    if INSTALLATION_WORDS.search(rest):
        return "installation"
    if REGION_WORDS.search(rest):
        return "region"
    return "city"


# --- Participants -------------------------------------------------------------


@cache
def _pycountry_code(name: str) -> str | None:
    """ISO alpha-3 for a name by pycountry: exact lookup, then a fuzzy search with one answer."""
    for candidate in (name, re.sub(r"\bSt\.\s*", "Saint ", name).replace("&", "and")):
        for table in (pycountry.countries, pycountry.historic_countries):
            try:
                return table.lookup(candidate).alpha_3
            except LookupError:
                pass
    try:
        found = pycountry.countries.search_fuzzy(name)
    except LookupError:
        return None
    # Fuzzy search also matches subdivision names ('NATO' finds two); trust one answer only.
    return found[0].alpha_3 if len(found) == 1 else None


def participant_code(name: str, year: int, month: int | None) -> str | None:
    """The ISO code MME's participant name stands for in a row of that date, or None."""
    if name in ERA_CODES:
        first_year, later, earlier = ERA_CODES[name]
        return later if year >= first_year else earlier
    if name == "Yugoslavia" and (year, month or 1) >= SCG_FROM:
        return "SCG"
    return PARTICIPANT_CODES.get(name) or _pycountry_code(name)


def country_name(code: str, mme_names: Counter[str] | None = None) -> str:
    if code in FORMER_STATES:
        return FORMER_STATES[code][1]
    if mme_names:
        return sorted(mme_names.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    return countries.country_names()[code]


# --- Country outlines, vectorised ---------------------------------------------


class Outlines:
    """Natural Earth outlines in an STRtree: which country holds each point, and the nearest."""

    def __init__(self) -> None:
        shapes = countries.country_shapes()
        self.by_code: dict[str, shapely.Geometry] = {}
        codes, geoms = [], []
        for key in sorted(shapes):
            code = key if re.fullmatch(r"[A-Z]{3}", key) else NAMED_OUTLINES.get(key)
            if code is None:
                continue  # 'Siachen Glacier', 'Indian Ocean Ter.': no code stands for them
            codes.append(code)
            geoms.append(shapes[key])
            if key == code or code not in shapes:
                self.by_code[code] = shapes[key]
        self.codes = np.array(codes)
        # Codes whose loader outline is all of what the tree holds for them.
        self.whole = frozenset(self.by_code) - {NAMED_OUTLINES[k] for k in NAMED_OUTLINES if k in shapes} | {"XKX"}
        self.tree = shapely.STRtree(geoms)

    def locate(self, lon: np.ndarray, lat: np.ndarray) -> tuple[list[str | None], list[tuple[str, float]]]:
        """For each point: the code of the outline holding it (or None), and the nearest outline with its
        distance in degrees (0 when inside)."""
        points = shapely.points(lon, lat)
        inside: list[str | None] = [None] * len(points)
        point_idx, tree_idx = self.tree.query(points, predicate="within")
        for p, t in sorted(zip(point_idx.tolist(), tree_idx.tolist(), strict=True), reverse=True):
            inside[p] = str(self.codes[t])  # the lowest tree index wins where outlines overlap
        nearest: list[tuple[str, float]] = [(code, 0.0) if code else ("", math.inf) for code in inside]
        outside = [i for i, code in enumerate(inside) if code is None]
        if outside:
            (p_idx, t_idx), dist = self.tree.query_nearest(points[outside], return_distance=True, all_matches=False)
            for p, t, d in zip(p_idx.tolist(), t_idx.tolist(), dist.tolist(), strict=True):
                nearest[outside[p]] = (str(self.codes[t]), float(d))
        return inside, nearest

    def distance(self, code: str, lon: float, lat: float) -> float:
        """Degrees from a point to a country's outline (0 inside; inf when it has none)."""
        shape = self.by_code.get(code)
        return math.inf if shape is None else float(shapely.distance(shape, shapely.Point(lon, lat)))

    @cache  # noqa: B019 - one Outlines per import; the cache dies with it
    def representative_lonlat(self, code: str) -> tuple[float, float]:
        point = self.by_code[code].representative_point()
        return round(point.x, 4), round(point.y, 4)


# --- Rows -----------------------------------------------------------------------


def _known(value: str | None) -> str | None:
    value = (value or "").strip()
    return None if value in ("", UNKNOWN) else value


def partial_date(year: str, month: str, day: str) -> str | None:
    """'2003-09-14', '2003-09' or '2003' from MME's split columns ('xx' unknown); None if no year.

    Examples
    --------
    >>> partial_date("2003", "9", "xx"), partial_date("2003", "xx", "xx"), partial_date("xx", "1", "1")
    ('2003-09', '2003', None)
    """
    if not re.fullmatch(r"[0-9]{4}", year.strip()) or year.strip() == "0000":
        return None
    text = year.strip()
    if re.fullmatch(r"[0-9]{1,2}", month.strip()) and 1 <= int(month) <= 12:
        text += f"-{int(month):02d}"
        if re.fullmatch(r"[0-9]{1,2}", day.strip()):
            candidate = f"{text}-{int(day):02d}"
            try:
                parse_partial_date(candidate)
                text = candidate
            except ValueError:
                pass  # an impossible day (31 April) leaves the month
    return text


def _coordinate(text: str, limit: float) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and -limit <= value <= limit else None


def _event_number(mmeid: str) -> str | None:
    match = re.fullmatch(r"mme(\d+)", mmeid.strip())
    return match.group(1) if match else None


def slugify(text: str, limit: int = 48) -> str:
    """A record id from free text: ascii, lower case, words joined by '-'.

    Examples
    --------
    >>> slugify("Wędrzyn, Poland "), slugify("Five Hills [Tavan Tolgoi], Mongolia")
    ('wedrzyn-poland', 'five-hills-tavan-tolgoi-mongolia')
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = ""
    for word in words:
        if slug and len(slug) + 1 + len(word) > limit:
            break
        slug = f"{slug}-{word}" if slug else word[:limit]
    return slug or "location"


# --- The report -------------------------------------------------------------------


@dataclass
class ImportReport:
    """What an import read, wrote and could not use, each item with its MMEID."""

    source: Path
    out_dir: Path
    rows_read: int = 0
    events_written: int = 0
    actors: int = 0
    places: int = 0
    by_layer: Counter[str] = field(default_factory=Counter)
    unusable: list[tuple[str, str]] = field(default_factory=list)
    unknown_participants: int = 0
    unknown_participant_rows: list[str] = field(default_factory=list)
    unmapped_names: dict[str, list[str]] = field(default_factory=dict)
    contradictions: list[tuple[str, str]] = field(default_factory=list)
    dropped_ends: list[tuple[str, str]] = field(default_factory=list)
    duplicate_ids: list[tuple[str, str]] = field(default_factory=list)
    soviet_rows: list[str] = field(default_factory=list)
    at_sea: list[tuple[str, str]] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    def summary(self) -> str:
        """Readable multi-line account: counts, then every row listed by MMEID."""
        layers = ", ".join(f"{k} {v}" for k, v in sorted(self.by_layer.items()))
        lines = [
            f"MME import: {self.source} -> {self.out_dir}",
            f"rows read: {self.rows_read}",
            f"events written: {self.events_written} ({layers})",
            f"actors: {self.actors}",
            f"places: {self.places}",
            f"unusable rows (not imported): {len(self.unusable)}",
            *(f"  {mmeid}: {why}" for mmeid, why in self.unusable),
            f"unknown participants (-9) in imported rows, skipped, never guessed: {self.unknown_participants} "
            f"in {len(self.unknown_participant_rows)} rows",
            f"participant names not mapped to a country (skipped): {len(self.unmapped_names)}",
            *(f"  {name!r}: {', '.join(ids)}" for name, ids in sorted(self.unmapped_names.items())),
            f"coordinates contradicting their location text: {len(self.contradictions)} "
            "(drawn at the named country's representative point, precision 'country')",
            *(f"  {mmeid}: {why}" for mmeid, why in self.contradictions),
            f"end dates dropped: {len(self.dropped_ends)}",
            *(f"  {mmeid}: {why}" for mmeid, why in self.dropped_ends),
            f"MMEIDs used by more than one row: {len(self.duplicate_ids)}",
            *(f"  {mmeid}: {why}" for mmeid, why in self.duplicate_ids),
            f"'Russia' in rows before 1992 read as the Soviet Union (SUN): {len(self.soviet_rows)} rows",
            f"rows whose point lies outside every country outline, with no country in the text "
            f"(at sea: places without a country, listed in ImportReport.at_sea): {len(self.at_sea)}",
            "files written:",
            *(f"  {path}" for path in self.files),
        ]
        return "\n".join(lines)


# --- The import -----------------------------------------------------------------------


@dataclass
class _Row:
    mmeid: str
    event_id: str
    title: str
    start: str
    end: str | None
    layer: str
    description: str
    participants: tuple[str, ...]
    location: str
    lon: float
    lat: float


@dataclass
class _PlaceDraft:
    key: tuple[float, float, str]
    country: str | None
    precision: str
    spellings: Counter[str] = field(default_factory=Counter)
    mmeids: list[str] = field(default_factory=list)
    note: str | None = None
    uncertainty_km: float | None = None


class ImportRefused(Exception):
    """The data set file cannot be imported as a whole; the message lists every problem."""


# Columns the import reads: a file without one of them would lose that part silently.
REQUIRED_COLUMNS = (
    "MMEID", "Ex_Name", "Series_Name", "Location", "lat", "lon", "s.year", "s.month", "s.day",
    "e.year", "e.month", "e.day", "CPX", "Air", "Land", "Sea", "Amphibious", "Cyber",
    "Warfighting", "Peacekeeping", "Humanitarian", "FocusDescription", "AdditionalParticipantInfo",
    "StateA",
)
# Columns of MME v7 the import does not need: StartDate and EndDate repeat the split date columns.
OPTIONAL_COLUMNS = ("StartDate", "EndDate")
MAX_CSV_BYTES = 256 * 1024 * 1024
MAX_LISTED = 20  # problems listed one by one; the rest counted


def _listed(lines: list[str]) -> list[str]:
    return lines[:MAX_LISTED] + ([f"... and {len(lines) - MAX_LISTED} more"] if len(lines) > MAX_LISTED else [])


def read_csv_text(csv_path: Path) -> str:
    """The CSV's text: a regular UTF-8 file of bounded size, or ImportRefused saying why not."""
    from mongolmap.geo.load import _Unreadable, read_text_bounded

    csv_path = Path(csv_path)
    if not csv_path.exists() and not csv_path.is_symlink():
        raise ImportRefused(f"{csv_path}: file not found")
    try:
        return read_text_bounded(csv_path, MAX_CSV_BYTES)
    except _Unreadable as err:
        if "not UTF-8" in str(err):
            raise ImportRefused(f"{csv_path}:{err.line}: {err} (e.g. iconv -f latin1 -t utf-8)") from None
        raise ImportRefused(f"{csv_path}: {err}") from None


def read_rows(csv_path: Path) -> list[dict[str, str]]:
    """Every row of the CSV as a dict, after checking the header and every row.

    Raises ImportRefused naming every missing and unknown column, or every line
    that cannot be read (NUL bytes, an unclosed quote, a wrong number of fields):
    nothing is imported from a file that would lose rows or columns.
    """
    text = read_csv_text(csv_path)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    problems: list[str] = []
    try:
        header = next(reader)
    except StopIteration:
        raise ImportRefused(f"{csv_path}: the file is empty; expected a header row") from None
    except csv.Error as err:
        raise ImportRefused(f"{csv_path}:1: header cannot be read: {err}") from None
    header = [h.strip() for h in header]
    states = [c for c in header if re.fullmatch(r"State[A-Z]{1,2}", c)]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    unknown = [c for c in header if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS and c not in states]
    repeated = sorted({c for c in header if header.count(c) > 1})
    if missing:
        problems.append(f"{csv_path}:1: missing column(s): {', '.join(missing)}")
    if unknown:
        shown = ", ".join(repr(c[:40]) for c in unknown[:MAX_LISTED])
        problems.append(f"{csv_path}:1: unknown column(s): {shown}; an MME v7 file has "
                        f"{', '.join(REQUIRED_COLUMNS[:-1])}, StartDate, EndDate and StateA..StateAM")
    if repeated:
        problems.append(f"{csv_path}:1: column(s) named twice: {', '.join(repeated)}")
    if problems:
        raise ImportRefused("\n".join(problems))
    rows: list[dict[str, str]] = []
    bad: list[str] = []
    line = reader.line_num
    while True:
        start = line + 1
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            bad.append(f"{csv_path}:{start}: row cannot be read: {err}")
            break  # the reader cannot resynchronise after a broken quote
        line = reader.line_num
        if not fields:
            continue
        if any("\x00" in f for f in fields):
            bad.append(f"{csv_path}:{start}: row holds a NUL byte")
        elif len(fields) != len(header):
            bad.append(f"{csv_path}:{start}: {len(fields)} fields where the header has {len(header)}"
                       + (" (the file may be cut short)" if start == line and not text.endswith("\n") else ""))
        else:
            rows.append(dict(zip(header, fields, strict=True)))
    if bad:
        raise ImportRefused("\n".join(_listed(bad)) + f"\n{len(bad)} row(s) cannot be read")
    return rows


def _mission_layer(row: dict[str, str]) -> tuple[str, list[str]]:
    flags = [m for m in MISSIONS if row.get(m.capitalize(), "").strip() == "1"]
    return (flags[0] if flags else OTHER_LAYER), flags


def _describe(row: dict[str, str], flags: list[str], layer: str, notes: list[str]) -> str:
    parts = []
    if len(flags) > 1:
        parts.append(
            f"MME flags this exercise as {' and '.join(flags)}; it is shown in the {layer} layer, "
            "the first of warfighting > peacekeeping > humanitarian."
        )
    elif flags:
        parts.append(f"MME mission: {flags[0]}.")
    else:
        parts.append("MME sets none of its warfighting, peacekeeping or humanitarian flags.")
    domains = [label for column, label in DOMAINS if row.get(column, "").strip() == "1"]
    if domains:
        parts.append(f"Domains: {', '.join(domains)}.")
    if series := _known(row.get("Series_Name")):
        parts.append(f"Series: {series}.")
    if focus := _known(row.get("FocusDescription")):
        parts.append(f"Focus (MME): {focus}")
    if extra := _known(row.get("AdditionalParticipantInfo")):
        parts.append(f"Participants (MME note): {extra}")
    parts.extend(notes)
    return " ".join(p if p.endswith((".", "!", "?")) else p + "." for p in parts)


def _read_row(row: dict[str, str], state_columns: list[str], report: ImportReport,
              seen_numbers: Counter[str], name_counts: dict[str, Counter[str]]) -> _Row | None:
    mmeid = row.get("MMEID", "").strip() or f"row {report.rows_read}"
    number = _event_number(mmeid)
    if number is None:
        report.unusable.append((mmeid, "MMEID is not 'mme' followed by digits"))
        return None
    start = partial_date(row.get("s.year", ""), row.get("s.month", ""), row.get("s.day", ""))
    if start is None:
        report.unusable.append((mmeid, f"no usable start year (s.year {row.get('s.year')!r})"))
        return None
    lat, lon = _coordinate(row.get("lat", ""), 90), _coordinate(row.get("lon", ""), 180)
    if lat is None or lon is None:
        report.unusable.append(
            (mmeid, f"no usable coordinates (lat {row.get('lat')!r}, lon {row.get('lon')!r}; "
                    f"location {row.get('Location', '').strip()!r})")
        )
        return None

    end = partial_date(row.get("e.year", ""), row.get("e.month", ""), row.get("e.day", ""))
    if end is None and any(_known(row.get(c)) for c in ("e.year", "e.month", "e.day")):
        report.dropped_ends.append((mmeid, f"end year {row.get('e.year')!r} is not a year"))
    elif end is not None and parse_partial_date(end).last < parse_partial_date(start).first:
        report.dropped_ends.append((mmeid, f"end {end} is before start {start}"))
        end = None

    seen_numbers[number] += 1
    event_id = f"mme-{number}" if seen_numbers[number] == 1 else f"mme-{number}-{seen_numbers[number]}"
    if seen_numbers[number] > 1:
        report.duplicate_ids.append((mmeid, f"another row already uses it; this one is {event_id}"))

    year = int(start[:4])
    month = int(start[5:7]) if len(start) >= 7 else None
    notes: list[str] = []
    if seen_numbers[number] > 1:
        notes.append(f"MME gives the MMEID {mmeid} to {seen_numbers[number] - 1} earlier row(s) as well.")
    participants: set[str] = set()
    unknown = 0
    for column in state_columns:
        name = row.get(column, "").strip()
        if not name:
            continue
        if name == UNKNOWN:
            unknown += 1
        elif name in ORGANISATIONS:
            participants.add(ORGANISATIONS[name][0])
        elif code := participant_code(name, year, month):
            participants.add(code.lower())
            name_counts[code][name] += 1
            if name == "Russia" and code == "SUN":
                notes.append("MME writes the Soviet Union as 'Russia'; before 1992 we read it as the USSR.")
                report.soviet_rows.append(mmeid)
        else:
            report.unmapped_names.setdefault(name, []).append(mmeid)
            notes.append(f"MME also lists '{name}', which names no single country and is not drawn.")
    if unknown:
        report.unknown_participants += unknown
        report.unknown_participant_rows.append(mmeid)
        notes.append(f"MME lists {unknown} participant(s) as unknown (-9).")

    layer, flags = _mission_layer(row)
    title = _known(row.get("Ex_Name")) or f"Unnamed exercise ({mmeid})"
    return _Row(
        mmeid=mmeid, event_id=event_id, title=title, start=start, end=end, layer=layer,
        description=_describe(row, flags, layer, notes), participants=tuple(sorted(participants)),
        location=(_known(row.get("Location")) or "").strip(), lon=lon, lat=lat,
    )


def _tolerance_deg(precision: str) -> float:
    """How far outside its country's outline a point may lie: coasts for all, a region's radius."""
    if precision == "region":
        return max(countries.COAST_TOLERANCE_DEG, DEFAULT_UNCERTAINTY_KM["region"] / 111.0)
    return countries.COAST_TOLERANCE_DEG


def _place_for(row: _Row, inside: str | None, nearest: tuple[str, float], outlines: Outlines,
               report: ImportReport) -> tuple[tuple[float, float, str], str | None, str, str | None, float | None]:
    """(key, country, precision, note, uncertainty_km) of the place an exercise row is drawn at."""
    text = row.location
    norm = normalise_text(text)
    lat, lon = round(row.lat, 4), round(row.lon, 4)
    if not text:
        precision, found = "region", []
    else:
        precision = location_precision(text)
        found, _ = named_countries(text)

    if found:
        tolerance = _tolerance_deg(precision)
        best: tuple[float, str] | None = None
        for named in found:
            for code in named.accept:
                d = 0.0 if code == inside else outlines.distance(code, lon, lat)
                if d <= tolerance and (best is None or d < best[0]):
                    best = (d, code)
        drawable = [n for n in found if any(c in outlines.by_code for c in n.accept)]
        if best is None and not drawable:
            # No outline to test against (Gibraltar at 1:50m): trust the text's country.
            best = (0.0, found[0].code)
        if best is None:
            named = drawable[0]
            where = f"in {inside}" if inside else f"in no country; nearest {nearest[0]} at {nearest[1]:.1f} deg"
            report.contradictions.append(
                (row.mmeid, f"{text!r} names {named.code} but lat {row.lat}, lon {row.lon} lies {where}")
            )
            rep_lon, rep_lat = outlines.representative_lonlat(named.code)
            note = (
                f"MME gives lat {row.lat}, lon {row.lon} for this location, which lies {where}, not in the "
                f"country the text names ({named.code}); drawn at a representative point of {named.code}'s "
                "Natural Earth outline instead."
            )
            return (rep_lat, rep_lon, norm), named.code, "country", note, None
        distance, country = best
        if country == inside and country not in outlines.whole:
            distance = outlines.distance(country, lon, lat)
    elif inside:
        country = inside
        distance = 0.0 if inside in outlines.whole else outlines.distance(inside, lon, lat)
    else:
        near, distance = nearest
        report.at_sea.append((row.mmeid, f"{text!r} at lat {row.lat}, lon {row.lon}: in no country; nearest "
                                         f"outline {near}, {distance:.2f} deg away"))
        note = f"MME's point lies outside every country outline, at sea; the nearest is {near}, {distance:.2f} degrees away."
        if not text:
            note = "MME gives coordinates but no location text. " + note
        return (lat, lon, norm), None, precision, note, None

    note, uncertainty = None, None
    if not text:
        note = "MME gives coordinates but no location text."
    if distance > countries.COAST_TOLERANCE_DEG:
        # The loader allows max(0.3 deg, uncertainty_km / 111) outside the outline: say the doubt aloud.
        uncertainty = float(max(DEFAULT_UNCERTAINTY_KM[precision], math.ceil(distance * 111.0) + 1))
        if inside == country and country not in outlines.whole:
            note = (
                f"MME's point lies in a part of {country} that Natural Earth draws apart "
                f"({distance:.2f} degrees from the outline the loader checks)."
            )
    return (lat, lon, norm), country, precision, note, uncertainty


MAP_TITLE = "Multinational military exercises, 1980–2010 (MME v7)"


def _dump(section: str, records: list) -> str:
    items = [r.model_dump(mode="json", exclude_none=True, exclude_defaults=True) for r in records]
    header = f"# Generated by `build_map.py import mme` from {SOURCE.title} (MME v7). Do not edit by hand.\n"
    # safe_dump's own arguments, with libyaml's emitter when present: five times faster.
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    document = {"title": MAP_TITLE, section: items} if section == "layers" else {section: items}
    return header + yaml.dump(document, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100)


def _event_sort_key(event: Event) -> tuple[int, int]:
    parts = event.id.split("-")
    return int(parts[1]), int(parts[2]) if len(parts) > 2 else 1


def import_mme(csv_path: Path, out_dir: Path, force: bool = False) -> ImportReport:
    """Turn the MME v7 CSV into a data folder of records; report what could not be used.

    Parameters
    ----------
    csv_path
        ``mme_v7.csv``: one exercise per row, columns as in the data set's README.
    out_dir
        A new or empty folder to write ``styles.yaml``, ``sources.yaml``, ``actors.yaml``,
        ``places.yaml`` and ``exercises.yaml`` into, all at once.
    force
        Replace a folder that holds files (still all at once).

    Raises ImportRefused before reading rows when ``out_dir`` holds anything and
    ``force`` is not given, and when the CSV has missing or unknown columns or
    unreadable rows: nothing is written then.
    """
    csv_path, out_dir = Path(csv_path), Path(out_dir)
    check_import_target(out_dir, force)
    report = ImportReport(source=csv_path, out_dir=out_dir)
    raw = read_rows(csv_path)
    report.rows_read = len(raw)
    state_columns = [c for c in (raw[0].keys() if raw else []) if re.fullmatch(r"State[A-Z]+", c)]

    seen_numbers: Counter[str] = Counter()
    name_counts: dict[str, Counter[str]] = defaultdict(Counter)
    rows = [r for row in raw if (r := _read_row(row, state_columns, report, seen_numbers, name_counts))]

    if not rows:
        raise ImportRefused(
            f"{csv_path}: none of its {len(raw)} row(s) can be imported:\n"
            + "\n".join(_listed([f"  {mmeid}: {why}" for mmeid, why in report.unusable]))
        )
    outlines = Outlines()
    inside, nearest = outlines.locate(np.array([r.lon for r in rows]), np.array([r.lat for r in rows]))

    drafts: dict[tuple[float, float, str], _PlaceDraft] = {}
    row_place: list[tuple[float, float, str]] = []
    for row, in_code, near in zip(rows, inside, nearest, strict=True):
        key, country, precision, note, uncertainty = _place_for(row, in_code, near, outlines, report)
        draft = drafts.setdefault(key, _PlaceDraft(key, country, precision, note=note, uncertainty_km=uncertainty))
        draft.spellings[row.location or f"{row.lat}, {row.lon}"] += 1
        draft.mmeids.append(row.mmeid)
        row_place.append(key)

    place_ids = _place_ids(drafts)
    places = [_place_record(place_ids[key], draft) for key, draft in drafts.items()]

    actor_codes = sorted({p for r in rows for p in r.participants})
    actors, actor_places = [], []
    for actor_id in actor_codes:
        if actor_id in {v[0] for v in ORGANISATIONS.values()}:
            name = next(n for i, n in ORGANISATIONS.values() if i == actor_id)
            actors.append(Actor(id=actor_id, kind="organisation", name=name, place=BRUSSELS["id"]))
            actor_places.append(Place(
                **BRUSSELS, precision="city",
                note="NATO's headquarters are in Brussels; drawn at the city, as we hold no NATO page giving its address.",
            ))
            continue
        code = actor_id.upper()
        actors.append(Actor(id=actor_id, kind="country", name=country_name(code, name_counts.get(code)),
                            country=code, place=f"country-{actor_id}"))
        actor_places.append(_country_place(code, outlines, name_counts.get(code)))

    events = []
    for row, key in zip(rows, row_place, strict=True):
        events.append(Event(
            id=row.event_id, kind="exercise", title=row.title, description=row.description,
            start=row.start, end=row.end, places=(place_ids[key],), participants=row.participants,
            layer=row.layer, citations=(Citation(source=SOURCE_ID, ref=row.mmeid),),
        ))
        report.by_layer[row.layer] += 1
    events.sort(key=_event_sort_key)
    all_places = sorted([*places, *actor_places], key=lambda p: p.id)

    files = {
        "styles.yaml": _dump("layers", list(LAYER_STYLES)),
        "sources.yaml": _dump("sources", [SOURCE]),
        "actors.yaml": _dump("actors", sorted(actors, key=lambda a: a.id)),
        "places.yaml": _dump("places", all_places),
        "exercises.yaml": _dump("events", events),
    }
    report.files = write_folder(out_dir, {name: text.encode("utf-8") for name, text in files.items()},
                                replace_any=True)
    report.events_written = len(events)
    report.actors = len(actors)
    report.places = len(all_places)
    return report


def check_import_target(out_dir: Path, force: bool) -> None:
    """A new or empty folder, or any folder with ``force``; else ImportRefused naming what is there."""
    if out_dir.is_symlink() or (out_dir.exists() and not out_dir.is_dir()):
        raise ImportRefused(f"--out {out_dir} is not a folder; give a new or empty folder")
    if out_dir.is_dir() and not force:
        try:
            entries = sorted(os.listdir(out_dir))
        except OSError as err:
            raise ImportRefused(f"--out {out_dir}: cannot read it: {err.strerror}") from None
        if entries:
            raise ImportRefused(
                f"--out {out_dir} already holds {len(entries)} file(s) ({first_names(entries)}); the import never "
                "overwrites: give a new or empty folder, or --force to replace the folder's contents"
            )
    if out_dir.is_dir() and force:
        # --force replaces a data folder, never a folder of other things (a home folder, say).
        others = sorted(
            name for name in os.listdir(out_dir)
            if not (re.fullmatch(r"[^.].*\.(yaml|yml|json)", name) and (out_dir / name).is_file()
                    and not (out_dir / name).is_symlink())
        )
        if others:
            raise ImportRefused(
                f"--out {out_dir} holds {', '.join(others[:5])}, which are not record files; --force "
                "replaces only a folder of *.yaml / *.json record files"
            )


def _place_ids(drafts: dict[tuple[float, float, str], _PlaceDraft]) -> dict[tuple[float, float, str], str]:
    """A slug of the location text; where texts share a slug, a short hash of point and text added."""
    by_slug: dict[str, list[tuple[float, float, str]]] = defaultdict(list)
    for key, draft in drafts.items():
        by_slug[slugify(_place_name(draft))].append(key)
    ids = {}
    for slug, keys in by_slug.items():
        for key in keys:
            clash = len(keys) > 1 or slug.startswith("country-") or slug == BRUSSELS["id"]
            digest = hashlib.sha1(f"{key[0]:.4f},{key[1]:.4f},{key[2]}".encode()).hexdigest()[:6]
            ids[key] = f"{slug}-{digest}" if clash else slug
    return ids


def _place_name(draft: _PlaceDraft) -> str:
    return sorted(draft.spellings.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def _place_record(place_id: str, draft: _PlaceDraft) -> Place:
    lat, lon, _ = draft.key
    return Place(
        id=place_id, name=_place_name(draft), country=draft.country, lat=lat, lon=lon,
        precision=draft.precision, uncertainty_km=draft.uncertainty_km,
        aliases=tuple(sorted(draft.spellings)), note=draft.note,
        citations=(Citation(source=SOURCE_ID, ref=", ".join(sorted(set(draft.mmeids), key=_mme_number)),
                            note="Location text and coordinates of these MME rows."),),
    )


def _mme_number(mmeid: str) -> tuple[int, str]:
    number = _event_number(mmeid)
    return (int(number) if number else -1, mmeid)


def _country_place(code: str, outlines: Outlines, mme_names: Counter[str] | None) -> Place:
    """A country drawn at a representative point of its outline (a former state: its successor's)."""
    successor = FORMER_STATES.get(code, (code, ""))[0]
    lon, lat = outlines.representative_lonlat(successor)
    name = country_name(code, mme_names)
    if successor != code:
        note = (f"{name} is a former state; drawn at a representative point of its main successor's "
                f"({successor}) Natural Earth 1:50m outline, not at a capital.")
    else:
        note = f"Drawn at a representative point of {name}'s Natural Earth 1:50m outline, not at its capital."
    return Place(id=f"country-{code.lower()}", name=name, country=code, lat=lat, lon=lon,
                 precision="country", note=note)
