"""Records: the validated shape of everything in ``data/*.yaml``.

Every record is frozen and forbids unknown keys, so a misspelled field in a
hand-edited YAML file is an error rather than silently ignored data.
Cross-record rules (references, layers, countries, seed quotes) live in
:mod:`geo.load`, which sees the whole catalogue.
"""

from __future__ import annotations

import re
from typing import Annotated, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetPydanticSchema,
    HttpUrl,
    ValidationError,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError, core_schema

SLUG = r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$"

Slug = Annotated[
    str,
    Field(
        pattern=SLUG,
        description="Stable identifier: lower-case letters, digits, '-' or '_'.",
    ),
]

# A partial date that exists, as one regular expression: a year 0001-9999, a
# month 01-12, a day that month has (29 February in leap years only). pydantic
# runs it in Rust, so 100,000 records' dates cost no Python call; it agrees
# with ``geo.dates.parse_partial_date`` on every text (``tests/geo/test_dates.py``),
# which says what is wrong with a text it refuses (``geo.load`` reports that).
_YEAR = r"(?:[0-9]{3}[1-9]|[0-9]{2}[1-9]0|[0-9][1-9]00|[1-9]000)"
_LEAP_YEAR = r"(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)"
_MONTH = r"(?:0[1-9]|1[0-2])"
PARTIAL_DATE = (
    rf"{_YEAR}(?:-{_MONTH})?"
    rf"|{_YEAR}-{_MONTH}-(?:0[1-9]|1[0-9]|2[0-8])"
    rf"|{_YEAR}-(?:0[13-9]|1[0-2])-(?:29|30)"
    rf"|{_YEAR}-(?:0[13578]|1[02])-31"
    rf"|{_LEAP_YEAR}-02-29"
)
DATE_ERROR = "partial_date"


def _partial_date_schema(source: object, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
    return core_schema.custom_error_schema(
        core_schema.str_schema(pattern=f"^(?:{PARTIAL_DATE})$"),
        custom_error_type=DATE_ERROR,
        custom_error_message="not a date: write YYYY, YYYY-MM or YYYY-MM-DD, a day the calendar has",
    )


PartialDate = Annotated[
    str,
    GetPydanticSchema(_partial_date_schema),
    Field(description="ISO date in the precision known: '2014', '2023-08' or '2024-02-15'."),
]

CountryCode = Annotated[
    str,
    Field(
        pattern=r"^[A-Z]{3}$",
        description="ISO 3166-1 alpha-3 code (ISO 3166-3 for former states).",
    ),
]

NonEmpty = Annotated[str, Field(min_length=1)]

# Half the Earth's circumference (WGS84 equator, km): no point is farther from another.
HALF_CIRCUMFERENCE_KM = 20037.5

# Numbers that are numbers: strict refuses booleans and text, and inf and nan are refused.
Degrees = Annotated[float, Field(strict=True, allow_inf_nan=False)]

_SEED_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}")


def _seed_name(text: str) -> str:
    """A seed is named by its file name alone, so no record can read a file outside the seeds folder."""
    if not _SEED_NAME.fullmatch(text):
        shown = repr(text) if len(repr(text)) <= 40 else repr(text)[:39] + "..."
        raise ValueError(
            f"seed {shown} must be a file name inside the seeds folder "
            "(letters, digits, '_', '-', '.'; no '/', no leading '.')"
        )
    return text


SeedName = Annotated[
    str,
    AfterValidator(_seed_name),
    Field(
        description="A file name inside the seeds folder: no folders, no '..'.",
        json_schema_extra={"pattern": r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}$"},
    ),
]


class Record(BaseModel):
    """Base of every record: frozen, no unknown keys."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def field_error(model: str, field: str, message: str, value: object) -> ValidationError:
    """A validation error located at ``field``, for rules that read several fields."""
    error = PydanticCustomError("value_error", message.replace("{", "(").replace("}", ")"))
    return ValidationError.from_exception_data(
        model, [InitErrorDetails(type=error, loc=(field,), input=value)]
    )


SourceKind = Literal["article", "dataset", "official statement", "report", "web page", "book"]


class Source(Record):
    """A publication that facts are taken from."""

    id: Slug
    kind: SourceKind
    title: NonEmpty
    author: str | None = None
    publisher: str | None = None
    published: PartialDate | None = None
    address: HttpUrl | None = Field(
        default=None, description="Where the source can be read; never invented."
    )
    accessed: PartialDate | None = Field(
        default=None,
        description="The day the address was read ('2026-11-23'); given with every address.",
    )
    seed: SeedName | None = Field(
        default=None,
        description=(
            "File name of this source's text in the seeds folder. Citations of a "
            "seed source must quote it verbatim."
        ),
    )
    note: str | None = None


Assessment = Literal["confirmed", "differs", "unconfirmed"]


class ClaimCheck(Record):
    """What other sources say of a seed article's claim."""

    status: Assessment = Field(
        description=(
            "confirmed: other sources say the same; differs: they say something else "
            "(the note says what); unconfirmed: no other source found says it."
        )
    )
    sources: tuple[Slug, ...] = Field(
        default=(), description="Sources that support the assessment (none for 'unconfirmed')."
    )
    note: NonEmpty = Field(description="One line: what the other sources say.")


class Citation(Record):
    """Where a fact comes from: a source, and for seed sources the exact words."""

    source: Slug
    quote: str | None = Field(
        default=None, description="Verbatim quote; required when the source is a seed."
    )
    ref: str | None = Field(
        default=None, description="Locator inside the source, e.g. an MME exercise id."
    )
    note: str | None = Field(
        default=None,
        description="Our remark: e.g. how an official source differs from this claim.",
    )
    assessment: ClaimCheck | None = Field(
        default=None,
        description="For a citation of a seed article: whether other sources bear its claim out.",
    )


Precision = Literal["exact", "installation", "city", "region", "country"]


class Place(Record):
    """A point on the map and how precisely it is known."""

    id: Slug
    name: NonEmpty
    local_name: str | None = Field(
        default=None, description="Name in the local script, e.g. Улаанбаатар."
    )
    country: CountryCode | None = Field(
        default=None,
        description="The country the place lies in; left out only for a place at sea, outside every country.",
    )
    lat: Degrees = Field(ge=-90, le=90)
    lon: Degrees = Field(ge=-180, le=180)
    precision: Precision
    uncertainty_km: Degrees | None = Field(
        default=None,
        gt=0,
        le=HALF_CIRCUMFERENCE_KM,
        description="Radius within which the real location lies; defaults by precision.",
    )
    aliases: tuple[str, ...] = Field(
        default=(), description="Names sources use for this place, as they write them."
    )
    note: str | None = None
    citations: tuple[Citation, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _swapped(cls, data: object) -> object:
        if isinstance(data, dict):
            lat, lon = data.get("lat"), data.get("lon")
            numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (lat, lon))
            if numbers and abs(lat) > 90 and abs(lon) <= 90:
                raise field_error(
                    "Place",
                    "lat",
                    f"lat {lat} is outside -90..90 while lon {lon} would be a valid latitude: "
                    "latitude and longitude may be swapped",
                    lat,
                )
        return data


class Actor(Record):
    """A country or an organisation taking part in events and links."""

    id: Slug
    kind: Literal["country", "organisation"]
    name: NonEmpty
    country: CountryCode | None = Field(
        default=None, description="For a country, its ISO 3166 alpha-3 code."
    )
    place: Slug = Field(description="Place used to draw the actor: capital or headquarters.")

    @model_validator(mode="after")
    def _country_has_code(self) -> Actor:
        if self.kind == "country" and self.country is None:
            raise field_error(
                "Actor", "country", "a country actor needs 'country', its ISO 3166 alpha-3 code", None
            )
        return self


EventKind = Literal[
    "exercise",
    "training",
    "visit",
    "meeting",
    "dialogue",
    "agreement",
    "summit",
    "award",
    "equipment transfer",
    "talks",
    "publication",
    "statement",
    "programme",
    "presidency",
    "offer",
    "deployment",
]


class Series(Record):
    """A recurring event, such as the annual Khaan Quest exercise."""

    id: Slug
    title: NonEmpty
    description: str | None = None
    layer: Slug
    citations: tuple[Citation, ...] = Field(min_length=1)


def ends_before_start(start: str | None, end: str | None) -> bool:
    """Whether the last day ``end`` may mean comes before the first day of ``start``.

    Partial dates are nested or disjoint periods (a day in a month in a year):
    nested when one's text begins with the other's, and otherwise ordered as
    their ISO texts are. So this needs no parsing.

    >>> ends_before_start("2019-08", "2019"), ends_before_start("2019", "2019-03")
    (False, False)
    >>> ends_before_start("2019-08-11", "2019-08-10"), ends_before_start("2020", "2019-12-31")
    (True, True)
    """
    return bool(start and end and end < start and not start.startswith(end))


def _check_span(model: str, field: str, start: str | None, end: str | None) -> None:
    if ends_before_start(start, end):
        raise field_error(model, field, f"ends ({end}) before it starts ({start})", end)


class Event(Record):
    """Something that happened at a time and place, with who took part."""

    id: Slug
    kind: EventKind
    title: NonEmpty
    description: str | None = Field(default=None, description="In our own words.")
    start: PartialDate
    end: PartialDate | None = None
    places: tuple[Slug, ...] = Field(min_length=1)
    participants: tuple[Slug, ...] = ()
    observers: tuple[Slug, ...] = Field(
        default=(), description="Actors that sent observers but did not take part."
    )
    size: str | None = Field(
        default=None, description="The size as sources report it, e.g. 'over 900 personnel'."
    )
    layer: Slug
    series: Slug | None = None
    citations: tuple[Citation, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _end_after_start(self) -> Event:
        _check_span("Event", "end", self.start, self.end)
        return self

    # The view every dated record shares (``Link`` has the same): code that
    # reads records uses these, never a switch on the record's type.
    record_type: ClassVar[str] = "event"

    @property
    def first(self) -> str:
        """The date it started."""
        return self.start

    @property
    def last(self) -> str | None:
        """The date it ended, if it lasted beyond its start."""
        return self.end

    @property
    def actors(self) -> tuple[str, ...]:
        """Who took part."""
        return self.participants


LinkKind = Literal[
    "partnership programme",
    "strategic partnership",
    "dialogue format",
    "state partnership",
    "partner status",
    "bilateral cooperation",
    "membership",
    "observer status",
    "diplomatic relations",
]


class Link(Record):
    """A standing relationship between two actors."""

    id: Slug
    kind: LinkKind
    title: NonEmpty
    description: str | None = None
    a: Slug = Field(description="First actor id.")
    b: Slug = Field(description="Second actor id.")
    since: PartialDate | None = None
    until: PartialDate | None = None
    layer: Slug
    citations: tuple[Citation, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> Link:
        if self.a == self.b:
            raise field_error("Link", "b", "a link joins two different actors", self.b)
        _check_span("Link", "until", self.since, self.until)
        return self

    record_type: ClassVar[str] = "link"
    places: ClassVar[tuple[str, ...]] = ()  # a link is drawn between its actors' places

    @property
    def first(self) -> str | None:
        """Since when it holds (None: not known)."""
        return self.since

    @property
    def last(self) -> str | None:
        """Until when it held (None: it still holds, or not known)."""
        return self.until

    @property
    def actors(self) -> tuple[str, ...]:
        """The two actors it joins."""
        return (self.a, self.b)


class LayerStyle(Record):
    """One map layer's label and look: the one table of styles (``styles.yaml``)."""

    key: Slug
    label: NonEmpty
    colour: Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")]
    symbol: Literal["circle", "square", "diamond", "triangle", "star"]
    order: Annotated[int, Field(strict=True, ge=-1_000_000, le=1_000_000)]
    description: str | None = None
    participant_arcs: Annotated[bool, Field(strict=True)] = Field(
        default=False, description="Draw an arc from each participant to the event."
    )
    shade_participants: Annotated[bool, Field(strict=True)] = Field(
        default=False, description="Shade participant countries by how often they took part."
    )
    shade_countries: tuple[CountryCode, ...] = Field(
        default=(), description="Countries always shaded in this layer's colour."
    )


class Bloc(Record):
    """A group of partners read together in the partners table (``blocs.yaml``).

    An actor belongs to one bloc at most; actors in no bloc count as the bloc
    ``other`` (labelled 'Other' unless the data defines it).
    """

    id: Slug
    label: NonEmpty
    order: int
    members: tuple[Slug, ...] = Field(default=(), description="Actor ids, each in one bloc only.")
    description: str | None = Field(default=None, description="Who belongs here, as a rule in words.")


class RecordFile(Record):
    """One YAML file in the data folder: any of these lists, all optional."""

    title: str | None = Field(
        default=None, pattern=r"\S", description="The map's title (set in one file only)."
    )
    sources: tuple[Source, ...] = ()
    places: tuple[Place, ...] = ()
    actors: tuple[Actor, ...] = ()
    series: tuple[Series, ...] = ()
    events: tuple[Event, ...] = ()
    links: tuple[Link, ...] = ()
    layers: tuple[LayerStyle, ...] = ()
    blocs: tuple[Bloc, ...] = ()


VERSION = r"^\d+\.\d+\.\d+$"
QUOTE_MAX_CHARS = 320


class ChangelogEntry(Record):
    """What one version of the data set changed."""

    version: Annotated[str, Field(pattern=VERSION, description="Semantic version: '1.0.0'.")]
    released: PartialDate
    changes: tuple[NonEmpty, ...] = Field(min_length=1, description="One line per change, in our words.")


class DatasetRules(Record):
    """Rules the loader applies to this data folder; each is on unless switched off here."""

    citations_need_quotes: bool = Field(
        default=True,
        description=(
            f"Every citation quotes its source (at most {QUOTE_MAX_CHARS} characters); "
            "only a citation of a 'dataset' source that gives a 'ref' may go without."
        ),
    )
    addresses_need_read_dates: bool = Field(
        default=True,
        description=(
            "Every source with an 'address' gives 'accessed', the day it was read "
            "(a doi.org address names a fixed version and needs none)."
        ),
    )


class Dataset(Record):
    """The data set as a publication (``data/dataset.yaml``): version, licence, how to cite it."""

    title: NonEmpty
    version: Annotated[str, Field(pattern=VERSION, description="Semantic version of the records: '1.0.0'.")]
    released: PartialDate
    licence: NonEmpty = Field(description="Licence of our records, e.g. 'CC BY 4.0'.")
    licence_address: HttpUrl | None = None
    sources_terms: NonEmpty = Field(description="What the licence does not cover: the sources keep their own terms.")
    citation: NonEmpty = Field(description="How to cite the data set.")
    changelog: tuple[ChangelogEntry, ...] = Field(min_length=1, description="Newest first.")
    rules: DatasetRules = DatasetRules()

    @model_validator(mode="after")
    def _changelog_names_this_version(self) -> Dataset:
        newest = self.changelog[0]
        if (newest.version, newest.released) != (self.version, self.released):
            raise field_error(
                "Dataset", "changelog",
                f"the changelog's first (newest) entry is {newest.version} of {newest.released}; "
                f"it must be this version, {self.version} of {self.released}",
                newest.version,
            )
        return self


SECTIONS = ("sources", "places", "actors", "series", "events", "links", "layers", "blocs")

SECTION_MODELS: dict[str, type[Record]] = {
    "sources": Source,
    "places": Place,
    "actors": Actor,
    "series": Series,
    "events": Event,
    "links": Link,
    "layers": LayerStyle,
    "blocs": Bloc,
}

DEFAULT_UNCERTAINTY_KM: dict[str, float] = {
    "exact": 0.0,
    "installation": 2.0,
    "city": 15.0,
    "region": 150.0,
    "country": 500.0,
}


def uncertainty_km(place: Place) -> float:
    """Radius of doubt around a place: its own figure, else its precision's default."""
    if place.uncertainty_km is not None:
        return place.uncertainty_km
    return DEFAULT_UNCERTAINTY_KM[place.precision]
