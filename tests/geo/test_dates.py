"""Partial dates keep their precision: a year, a month or a day, and the days each may mean."""

from __future__ import annotations

import datetime as dt

import pytest

from mongolmap.geo.dates import parse_partial_date, span_label


@pytest.mark.parametrize(
    ("text", "precision", "first", "last"),
    [
        pytest.param("2014", "year", dt.date(2014, 1, 1), dt.date(2014, 12, 31), id="year"),
        pytest.param("2023-08", "month", dt.date(2023, 8, 1), dt.date(2023, 8, 31), id="month-31-days"),
        pytest.param("2023-04", "month", dt.date(2023, 4, 1), dt.date(2023, 4, 30), id="month-30-days"),
        pytest.param("2024-02", "month", dt.date(2024, 2, 1), dt.date(2024, 2, 29), id="february-leap-year"),
        pytest.param("2023-02", "month", dt.date(2023, 2, 1), dt.date(2023, 2, 28), id="february-common-year"),
        pytest.param("1900-02", "month", dt.date(1900, 2, 1), dt.date(1900, 2, 28), id="february-1900-not-leap"),
        pytest.param("2000-02", "month", dt.date(2000, 2, 1), dt.date(2000, 2, 29), id="february-2000-leap"),
        pytest.param("2023-12", "month", dt.date(2023, 12, 1), dt.date(2023, 12, 31), id="december"),
        pytest.param("2024-02-15", "day", dt.date(2024, 2, 15), dt.date(2024, 2, 15), id="day"),
        pytest.param("2024-02-29", "day", dt.date(2024, 2, 29), dt.date(2024, 2, 29), id="leap-day"),
    ],
)
def test_parse_partial_date(text, precision, first, last):
    date = parse_partial_date(text)
    assert (date.text, date.precision, date.first, date.last) == (text, precision, first, last)
    assert date.year == first.year


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("2023-13", r"'2023-13' is not a date: month must be in 1\.\.12", id="month-13"),
        pytest.param("2023-00", r"'2023-00' is not a date: month must be in 1\.\.12", id="month-0"),
        pytest.param("2023-02-29", r"'2023-02-29' is not a date: day is out of range for month",
                     id="february-29-common-year"),
        pytest.param("2023-04-31", r"'2023-04-31' is not a date: day is out of range for month", id="april-31"),
        pytest.param("23-08-2024", r"'23-08-2024' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD",
                     id="day-first"),
        pytest.param("2024/02/15", r"write YYYY, YYYY-MM or YYYY-MM-DD", id="slashes"),
        pytest.param("2024-2", r"write YYYY, YYYY-MM or YYYY-MM-DD", id="one-digit-month"),
        pytest.param("", r"'' is not a date", id="empty"),
        pytest.param("2024-02-15 ", r"write YYYY, YYYY-MM or YYYY-MM-DD", id="trailing-space"),
    ],
)
def test_parse_partial_date_rejects(text, message):
    with pytest.raises(ValueError, match=message):
        parse_partial_date(text)


def candidate_dates() -> list[str]:
    """Every year 0000-9999 alone and on the days around the end of February and
    of the year, every month and day number 00-99 of seven years (leap or not,
    centuries), and texts that only look like dates."""
    texts = []
    for year in (f"{y:04d}" for y in range(10_000)):
        texts += [year, f"{year}-02-28", f"{year}-02-29", f"{year}-02-30", f"{year}-12-31", f"{year}-00", f"{year}-13"]
    for year in ("0001", "1900", "2000", "2023", "2024", "2100", "9999"):
        for month in range(100):
            texts.append(f"{year}-{month:02d}")
            texts += [f"{year}-{month:02d}-{day:02d}" for day in range(100)]
    texts += ["", "2024\n", "\uff12\uff10\uff12\uff14", "2024-1", "2024-01-1", "20240", "-2024", " 2024",
              "2024-02-29x", "2024-02-29\n", "2024-\u0662\u0660"]  # fmt: skip
    return texts


def test_the_models_date_pattern_agrees_with_parse_partial_date():
    """pydantic checks dates with one regular expression (in Rust); it accepts
    exactly the texts ``parse_partial_date`` reads, 141,000 of them here."""
    from pydantic import TypeAdapter, ValidationError

    from mongolmap.geo.models import PartialDate

    adapter = TypeAdapter(PartialDate)

    def model_accepts(text):
        try:
            adapter.validate_python(text)
        except ValidationError:
            return False
        return True

    def parses(text):
        try:
            parse_partial_date(text)
        except ValueError:
            return False
        return True

    texts = candidate_dates()
    disagree = [t for t in texts if model_accepts(t) != parses(t)]
    assert disagree == []
    assert 3_000 < sum(map(parses, texts)) < len(texts) - 3_000  # both ways are tried


@pytest.mark.parametrize(
    ("text", "label"),
    [
        pytest.param("2014", "2014", id="year"),
        pytest.param("2023-08", "August 2023", id="month"),
        pytest.param("2024-02-15", "15 Feb 2024", id="day"),
        pytest.param("2024-02-05", "5 Feb 2024", id="day-no-leading-zero"),
        pytest.param("2023-12-01", "1 Dec 2023", id="first-of-december"),
    ],
)
def test_label_keeps_precision(text, label):
    assert parse_partial_date(text).label() == label


@pytest.mark.parametrize(
    ("start", "end", "label"),
    [
        pytest.param("2014", None, "2014", id="start-only"),
        pytest.param("2023-08", "2023-08", "August 2023", id="end-equals-start"),
        pytest.param("2012", "2020", "2012 – 2020", id="years"),
        pytest.param("2023-08", "2024-02-15", "August 2023 – 15 Feb 2024", id="mixed-precision"),
        pytest.param(None, "2020", "until 2020", id="end-only"),
        pytest.param(None, None, "", id="neither"),
        # Days in one month keep each end whole (no '15–17 Feb 2024' shorthand).
        pytest.param("2024-02-15", "2024-02-17", "15 Feb 2024 – 17 Feb 2024", id="days-in-one-month"),
    ],
)
def test_span_label(start, end, label):
    assert span_label(start, end) == label
