"""Mongolia's engagements by partner and year: the table behind the partners view
and ``output/partners_by_year.csv``.

How records are counted
-----------------------
- A *partner* is any actor other than Mongolia itself (the actors whose country
  is MNG). Partners are grouped into the blocs of ``data/blocs.yaml``; an actor
  in no bloc counts as 'Other'.
- An event involves the partners among its ``participants``. Its ``observers``
  sent observers but did not take part, and are not counted.
- A link involves its two actors, Mongolia aside.
- A record counts once for each partner it involves: a multinational exercise
  with five partner countries adds one to each of their five cells. Summing a
  year over partners therefore counts such an exercise five times.
- An event counts in every year it spans, from the year of ``start`` to the year
  of ``end``: an exercise from December 2019 to January 2020 counts in both.
- A link counts in the year of its ``since`` only, the year the relationship
  began: a partnership is an engagement when it is made, not again every year
  it stands. A link without ``since`` has no year and is not counted.

Filters work as the export's ``--layer`` and ``--years``: ``layers`` keeps the
records of those layers; ``years`` keeps the records overlapping the years, and
of each, the years inside the range (a link begun before the range adds nothing
to it).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass

from mongolmap.geo.features import span
from mongolmap.geo.load import Catalogue
from mongolmap.geo.models import Bloc, Event

SELF_COUNTRY = "MNG"  # the country whose partners are counted
OTHER = "other"  # the bloc of every actor listed in no bloc
CSV_COLUMNS = ("partner", "bloc", "year", "records")


@dataclass(frozen=True)
class PartnerYear:
    """One cell of the table: a partner's records in one year."""

    partner: str  # actor id
    partner_name: str
    bloc: str  # bloc id
    bloc_label: str
    year: int
    records: int
    record_ids: tuple[str, ...]  # in id order; len(record_ids) == records


def blocs(catalogue: Catalogue) -> list[Bloc]:
    """The catalogue's blocs in display order, with 'Other' last unless the data
    defines a bloc ``other`` itself."""
    ordered = sorted(catalogue.blocs.values(), key=lambda b: (b.order, b.id))
    if OTHER not in catalogue.blocs:
        last = max((b.order for b in ordered), default=0)
        ordered.append(Bloc(id=OTHER, label="Other", order=last + 1))
    return ordered


def bloc_of(catalogue: Catalogue) -> dict[str, Bloc]:
    """Actor id to its bloc, for every actor (those in no bloc: 'Other')."""
    table = {b.id: b for b in blocs(catalogue)}
    member = {actor: bloc for bloc in table.values() for actor in bloc.members}
    return {actor: member.get(actor, table[OTHER]) for actor in catalogue.actors}


def check_layers(catalogue: Catalogue, layers: list[str] | None) -> None:
    """Raise ValueError naming unknown layers (the export's message)."""
    unknown = sorted(set(layers or ()) - set(catalogue.layers))
    if unknown:
        raise ValueError(f"unknown layer(s) {', '.join(unknown)}; known: {', '.join(sorted(catalogue.layers))}")


def partners_by_year(
    catalogue: Catalogue, layers: list[str] | None = None, years: tuple[int, int] | None = None
) -> list[PartnerYear]:
    """Every non-empty cell of the partners-by-year table, counted as the module says.

    Parameters
    ----------
    catalogue
        A validated catalogue.
    layers
        Only records of these layer keys (all when None or empty).
    years
        Only years from ``years[0]`` to ``years[1]`` inclusive (all when None).

    Returns
    -------
    Rows in bloc order, then partner name, then year.
    """
    check_layers(catalogue, layers)
    own = {a.id for a in catalogue.actors.values() if a.country == SELF_COUNTRY}
    cells: dict[tuple[str, int], list[str]] = defaultdict(list)
    for record in catalogue.records():  # id order, so each cell's ids are too
        if layers and record.layer not in layers:
            continue
        first, last = span(catalogue, record.id)
        if record.__class__ is Event:
            actors = record.participants
        else:
            actors, last = (record.a, record.b), first
        if first is None:
            continue
        if years is not None:
            first, last = max(first, years[0]), min(last, years[1])
        for actor in dict.fromkeys(actors):  # an actor named twice takes part once
            if actor not in own:
                for year in range(first, last + 1):
                    cells[(actor, year)].append(record.id)
    group = bloc_of(catalogue)
    order = {b.id: n for n, b in enumerate(blocs(catalogue))}
    rows = [
        PartnerYear(
            actor, catalogue.actors[actor].name, group[actor].id, group[actor].label,
            year, len(ids), tuple(ids),
        )
        for (actor, year), ids in cells.items()
    ]
    return sorted(rows, key=lambda r: (order[r.bloc], r.partner_name, r.partner, r.year))


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """Text a spreadsheet shows as text: a leading ``'`` before a formula's first character.

    >>> safe_cell("=HYPERLINK(1)"), safe_cell("-1"), safe_cell("Japan")
    ("'=HYPERLINK(1)", "'-1", 'Japan')
    """
    return "'" + text if text.startswith(_FORMULA_START) else text


def partners_csv_text(rows: list[PartnerYear]) -> str:
    """The rows as CSV: partner (name), bloc (label), year, records; one line per row, ``\\n`` ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([safe_cell(row.partner_name), safe_cell(row.bloc_label), row.year, row.records])
    return buffer.getvalue()


def partners_csv(
    catalogue: Catalogue, layers: list[str] | None = None, years: tuple[int, int] | None = None
) -> bytes:
    """``partners_by_year.csv`` as UTF-8 bytes (no byte-order mark), for the build's output."""
    return partners_csv_text(partners_by_year(catalogue, layers, years)).encode("utf-8")
