"""Record models: good records validate, each kind of bad record fails with a message saying why."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from mongolmap.geo.models import Actor, Citation, Event, LayerStyle, Link, Place, Series, Source

SOURCE = {"id": "src-one", "kind": "article", "title": "A source", "address": "https://example.org/a"}
PLACE = {
    "id": "ulaanbaatar",
    "name": "Ulaanbaatar",
    "country": "MNG",
    "lat": 47.92,
    "lon": 106.92,
    "precision": "city",
}
ACTOR = {"id": "mongolia", "kind": "country", "name": "Mongolia", "country": "MNG", "place": "ulaanbaatar"}
ORGANISATION = {"id": "nato", "kind": "organisation", "name": "NATO", "place": "brussels"}
SERIES = {"id": "khaan-quest", "title": "Khaan Quest", "layer": "khaan_quest", "citations": [{"source": "src-one"}]}
EVENT = {
    "id": "visit-2024",
    "kind": "visit",
    "title": "A visit",
    "start": "2024-02-15",
    "end": "2024-02-17",
    "places": ["ulaanbaatar"],
    "participants": ["mongolia"],
    "layer": "us_bilateral",
    "citations": [{"source": "src-one", "quote": "visited"}],
}
LINK = {
    "id": "mng-usa",
    "kind": "bilateral cooperation",
    "title": "Cooperation",
    "a": "mongolia",
    "b": "united-states",
    "since": "1987",
    "until": "2020-05",
    "layer": "us_bilateral",
    "citations": [{"source": "src-one"}],
}
LAYER = {"key": "nato", "label": "NATO links", "colour": "#2ca02c", "symbol": "square", "order": 3}


def with_(base: dict, **changes) -> dict:
    """A copy of a record with some fields replaced; a value of ... removes the field."""
    record = {**base, **changes}
    return {k: v for k, v in record.items() if v is not ...}


@pytest.mark.parametrize(
    ("model", "data", "field", "expected"),
    [
        pytest.param(Source, SOURCE, "address", "https://example.org/a", id="source"),
        pytest.param(Place, PLACE, "lon", 106.92, id="place"),
        pytest.param(Actor, ACTOR, "country", "MNG", id="country-actor"),
        pytest.param(Actor, ORGANISATION, "country", None, id="organisation-without-code"),
        pytest.param(Series, SERIES, "layer", "khaan_quest", id="series"),
        pytest.param(Event, EVENT, "end", "2024-02-17", id="event"),
        pytest.param(Event, with_(EVENT, start="2014", end=...), "start", "2014", id="event-year-only"),
        pytest.param(Link, LINK, "until", "2020-05", id="link"),
        pytest.param(Link, with_(LINK, since="2020-05-01", until="2020-05"), "until", "2020-05",
                     id="link-same-month-end"),
        pytest.param(LayerStyle, LAYER, "symbol", "square", id="layer"),
        pytest.param(Citation, {"source": "src-one", "ref": "MME-12"}, "ref", "MME-12", id="citation"),
    ],
)
def test_good_record_validates(model, data, field, expected):
    record = model.model_validate(data)
    value = getattr(record, field)
    assert (str(value) if field == "address" else value) == expected


@pytest.mark.parametrize(
    ("model", "data", "message"),
    [
        pytest.param(Place, with_(PLACE, colour="red"), r"colour\n\s+Extra inputs are not permitted",
                     id="unknown-field"),
        pytest.param(Event, with_(EVENT, titel="typo"), r"titel\n\s+Extra inputs are not permitted",
                     id="unknown-field-event"),
        pytest.param(Source, with_(SOURCE, id="Src One"), r"id\n\s+String should match pattern",
                     id="id-not-slug"),
        pytest.param(Place, with_(PLACE, id="ulaanbaatar!"), r"String should match pattern",
                     id="id-punctuation"),
        pytest.param(Source, with_(SOURCE, published="2023-13"),
                     r"published\n\s+not a date: write YYYY, YYYY-MM or YYYY-MM-DD, a day the calendar has "
                     r"\[type=partial_date, input_value='2023-13'", id="month-13"),
        pytest.param(Source, with_(SOURCE, published="23-08-2024"),
                     r"published\n\s+not a date: .*input_value='23-08-2024'", id="day-first-date"),
        pytest.param(Event, with_(EVENT, start="2024-02-30", end=...),
                     r"start\n\s+not a date: .*input_value='2024-02-30'", id="february-30"),
        pytest.param(Event, with_(EVENT, start="2024-02-15", end="2024-02-14"),
                     r"ends \(2024-02-14\) before it starts \(2024-02-15\)", id="event-end-before-start"),
        pytest.param(Event, with_(EVENT, start="2024-02", end="2024-01-31"),
                     r"ends \(2024-01-31\) before it starts \(2024-02\)", id="event-end-before-start-month"),
        pytest.param(Link, with_(LINK, since="1987", until="1986-12"),
                     r"ends \(1986-12\) before it starts \(1987\)", id="link-until-before-since"),
        pytest.param(Link, with_(LINK, b="mongolia"), r"a link joins two different actors", id="link-to-self"),
        pytest.param(Place, with_(PLACE, lat=-90.5), r"lat\n\s+Input should be greater than or equal to -90",
                     id="lat-below-range"),
        pytest.param(Place, with_(PLACE, lat=91, lon=106.92),
                     r"lat\n\s+Input should be less than or equal to 90", id="lat-above-range"),
        pytest.param(Place, with_(PLACE, lon=180.5), r"lon\n\s+Input should be less than or equal to 180",
                     id="lon-above-range"),
        pytest.param(Place, with_(PLACE, lon=-181), r"lon\n\s+Input should be greater than or equal to -180",
                     id="lon-below-range"),
        pytest.param(Place, with_(PLACE, lat=106.92, lon=47.92),
                     r"lat 106\.92 is outside -90\.\.90 while lon 47\.92 would be a valid latitude: "
                     r"latitude and longitude may be swapped", id="lat-lon-swapped"),
        pytest.param(Actor, with_(ACTOR, country=...), r"a country actor needs 'country'", id="country-without-code"),
        pytest.param(Actor, with_(ACTOR, country="mng"), r"country\n\s+String should match pattern",
                     id="country-code-lower-case"),
        pytest.param(Source, with_(SOURCE, address="javascript:alert(1)"),
                     r"address\n\s+URL scheme should be 'http' or 'https'", id="javascript-address"),
        pytest.param(Event, with_(EVENT, citations=[]), r"citations\n\s+Tuple should have at least 1 item",
                     id="event-without-citations"),
        pytest.param(Event, with_(EVENT, citations=...), r"citations\n\s+Field required",
                     id="event-citations-missing"),
        pytest.param(Event, with_(EVENT, places=[]), r"places\n\s+Tuple should have at least 1 item",
                     id="event-without-places"),
        pytest.param(Event, with_(EVENT, kind="parade"), r"kind\n\s+Input should be 'exercise', 'training'",
                     id="unknown-event-kind"),
        pytest.param(Series, with_(SERIES, citations=[]), r"citations\n\s+Tuple should have at least 1 item",
                     id="series-without-citations"),
        pytest.param(LayerStyle, with_(LAYER, colour="green"), r"colour\n\s+String should match pattern",
                     id="layer-colour-not-hex"),
    ],
)
def test_bad_record_fails(model, data, message):
    with pytest.raises(ValidationError, match=message):
        model.model_validate(data)


@pytest.mark.parametrize(
    ("model", "data", "field", "value"),
    [
        pytest.param(Place, PLACE, "lat", 0.0, id="place"),
        pytest.param(Event, EVENT, "title", "Changed", id="event"),
        pytest.param(Link, LINK, "b", "china", id="link"),
        pytest.param(Source, SOURCE, "title", "Changed", id="source"),
    ],
)
def test_records_are_frozen(model, data, field, value):
    record = model.model_validate(data)
    before = getattr(record, field)
    with pytest.raises(ValidationError, match="Instance is frozen"):
        setattr(record, field, value)
    assert getattr(record, field) == before


def test_lists_are_tuples_so_nested_values_cannot_change():
    event = Event.model_validate(EVENT)
    assert event.places == ("ulaanbaatar",)
    with pytest.raises(AttributeError, match="'tuple' object has no attribute 'append'"):
        event.places.append("washington")


def test_ends_before_start_agrees_with_the_calendar():
    """The text comparison gives what parsing both dates and comparing days gives."""
    import itertools
    import random

    from mongolmap.geo.dates import parse_partial_date
    from mongolmap.geo.models import ends_before_start

    rng = random.Random(7)

    def some_date():
        year = rng.choice([1999, 2000, 2024])
        shape = rng.choice(["year", "month", "day"])
        if shape == "year":
            return f"{year}"
        month = rng.choice([1, 2, 12])
        if shape == "month":
            return f"{year}-{month:02d}"
        return f"{year}-{month:02d}-{rng.choice([1, 15, 28]):02d}"

    dates = sorted({some_date() for _ in range(400)})
    for start, end in itertools.product(dates, dates):
        expected = parse_partial_date(end).last < parse_partial_date(start).first
        assert ends_before_start(start, end) == expected, (start, end)
