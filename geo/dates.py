"""Dates known to a year, a month or a day, as sources give them.

A partial date keeps its precision: '2023-08' means some day in August 2023,
and is shown as 'August 2023', never as '1 August 2023'.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

DatePrecision = Literal["year", "month", "day"]

# English names whatever the locale: ``calendar.month_name`` follows LC_TIME (and
# formats a date at each look-up). The page shows the labels written here.
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

# Matched whole (fullmatch: '$' would let a trailing newline through), ASCII digits only.
_PATTERN = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


@dataclass(frozen=True)
class PartialDate:
    """A date with its precision, and the first and last days it may mean."""

    text: str
    precision: DatePrecision
    first: dt.date
    last: dt.date

    @property
    def year(self) -> int:
        return self.first.year

    def label(self) -> str:
        """Readable form in the date's own precision.

        Examples
        --------
        >>> parse_partial_date("2014").label()
        '2014'
        >>> parse_partial_date("2023-08").label()
        'August 2023'
        >>> parse_partial_date("2024-02-05").label()
        '5 Feb 2024'
        """
        if self.precision == "year":
            return self.text
        month = MONTHS[self.first.month - 1]
        if self.precision == "month":
            return f"{month} {self.first.year}"
        return f"{self.first.day} {month[:3]} {self.first.year}"


@lru_cache(maxsize=65536)
def parse_partial_date(text: str) -> PartialDate:
    """Parse 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'; raise ValueError naming what is wrong.

    Examples
    --------
    >>> parse_partial_date("2023-08").precision
    'month'
    >>> parse_partial_date("2023-13")
    Traceback (most recent call last):
    ...
    ValueError: '2023-13' is not a date: month must be in 1..12
    """
    match = _PATTERN.fullmatch(text) if isinstance(text, str) else None
    if not match:
        shown = repr(text) if len(repr(text)) <= 40 else repr(text)[:39] + "..."
        raise ValueError(f"{shown} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        if month is None:
            return PartialDate(text, "year", dt.date(year, 1, 1), dt.date(year, 12, 31))
        if day is None:
            last_day = calendar.monthrange(year, month)[1] if 1 <= month <= 12 else 0
            return PartialDate(
                text, "month", dt.date(year, month, 1), dt.date(year, month, last_day)
            )
        when = dt.date(year, month, day)
        return PartialDate(text, "day", when, when)
    except ValueError as err:
        raise ValueError(f"{text!r} is not a date: {err}") from err


def span_label(start: str | None, end: str | None) -> str:
    """Label of a span, each end in its own precision: '2012 – 2020', 'August 2023'.

    Examples
    --------
    >>> span_label("2014", None)
    '2014'
    >>> span_label("2012", "2020")
    '2012 – 2020'
    >>> span_label(None, None)
    ''
    >>> span_label(None, "2020")
    'until 2020'
    """
    if start is None:
        return f"until {date_label(end)}" if end else ""
    first = date_label(start)
    if end is None or end == start:
        return first
    return f"{first} – {date_label(end)}"


@lru_cache(maxsize=65536)
def date_label(text: str) -> str:
    """``parse_partial_date(text).label()``, cached: every exported feature has one.

    >>> date_label("2024-02-05")
    '5 Feb 2024'
    """
    return parse_partial_date(text).label()
