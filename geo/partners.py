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
from dataclasses import dataclass

from mongolmap.geo.features import years_of
from mongolmap.geo.load import Catalogue
from mongolmap.geo.models import Bloc

SELF_COUNTRY = "MNG"  # the country whose partners are counted
OTHER = "other"  # the bloc of every actor listed in no bloc
CSV_COLUMNS = ("partner", "bloc", "year", "records")
# The rule above in two sentences, for readers of the page's partners view.
HOW_COUNTED = (
    "Each cell counts the records (exercises, visits, agreements, deployments, ...) in which a partner "
    "took part in that year. A record counts once for each partner that took part: a multinational "
    "exercise with five partner countries adds one to each of their five rows, so a column's cells do not "
    "add up to a number of records. An event counts in every year it spans; a link (an agreement or "
    "partnership) in the year it began. Observers are not counted; blocs are our grouping (data/blocs.yaml)."
)


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


def counted_years(record_type: str, first: int | None, last: int | None) -> tuple[int, int] | None:
    """The years a record counts in, from its ``record_years`` (the module's rule):
    an event each year it spans, a link the year of its ``since``; None: no year.

    >>> counted_years("event", 2019, 2020), counted_years("link", 1999, 2010), counted_years("link", None, 2010)
    ((2019, 2020), (1999, 1999), None)
    """
    if first is None:
        return None
    return (first, first) if record_type == "link" else (first, last)


def partner_actors(catalogue: Catalogue) -> list[str]:
    """Every actor counted as a partner (all but Mongolia's own), in the table's order: bloc, then name."""
    group = bloc_of(catalogue)
    order = {b.id: n for n, b in enumerate(blocs(catalogue))}
    partners = [a for a in catalogue.actors.values() if a.country != SELF_COUNTRY]
    return [a.id for a in sorted(partners, key=lambda a: (order[group[a.id].id], a.name, a.id))]


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
    import itertools

    import numpy as np

    check_layers(catalogue, layers)
    own = {a.id for a in catalogue.actors.values() if a.country == SELF_COUNTRY}
    # Counted as columns: one row per record and partner, then one per year it
    # counts in, grouped by one numpy sort (a loop appending to 400,000 lists
    # cost most of this function at 100,000 records).
    records = [r for r in catalogue.records() if not layers or r.layer in layers]  # id order
    # The years each record counts in (counted_years: the module's one statement of
    # the rule), from its years (memoised by date texts), and who it involves.
    counted = [counted_years(r.record_type, *years_of(r.first, r.last, r.record_type)) for r in records]
    involved = [r.actors for r in records]
    first = np.array([c[0] if c else -1 for c in counted], dtype=np.int64)
    last = np.array([c[1] if c else -1 for c in counted], dtype=np.int64)
    valid = first >= 0
    if years is not None:
        first, last = np.maximum(first, years[0]), np.minimum(last, years[1])
    valid &= first <= last
    actor_ids = sorted(catalogue.actors)
    code = {a: i for i, a in enumerate(actor_ids)}
    partner = np.array([a not in own for a in actor_ids], dtype=bool)
    actor = np.array(list(map(code.__getitem__, itertools.chain.from_iterable(involved))), dtype=np.int64)
    row = np.repeat(np.arange(len(records)), list(map(len, involved)))
    keep = partner[actor] & valid[row]
    actor, row = actor[keep], row[keep]
    if not len(row):
        return []
    count = last[row] - first[row] + 1  # years each record counts in
    year = np.repeat(first[row] - np.cumsum(count) + count, count) + np.arange(int(count.sum()))
    actor, row = np.repeat(actor, count), np.repeat(row, count)
    # A cell per partner and year; in each, its records in id order (rows are), once each.
    low = int(year.min())
    cell = actor * (int(year.max()) - low + 1) + (year - low)
    by_cell = np.lexsort((row, cell))
    cell, row, year, actor = cell[by_cell], row[by_cell], year[by_cell], actor[by_cell]
    once = np.r_[True, (cell[1:] != cell[:-1]) | (row[1:] != row[:-1])]  # an actor named twice takes part once
    cell, row, year, actor = cell[once], row[once], year[once], actor[once]
    starts = np.flatnonzero(np.r_[True, cell[1:] != cell[:-1]])
    listed = np.array([r.id for r in records], dtype=object)[row].tolist()
    bounds = [*starts.tolist(), len(cell)]
    cells = {
        (actor_ids[a], y): listed[start:end]
        for a, y, start, end in zip(actor[starts].tolist(), year[starts].tolist(), bounds, bounds[1:])
    }
    group = bloc_of(catalogue)
    rank = {actor: n for n, actor in enumerate(partner_actors(catalogue))}  # the table's order of partners
    rows = [
        PartnerYear(
            actor, catalogue.actors[actor].name, group[actor].id, group[actor].label,
            year, len(ids), tuple(ids),
        )
        for (actor, year), ids in cells.items()
    ]
    return sorted(rows, key=lambda r: (rank[r.partner], r.year))


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """Text a spreadsheet shows as text: a leading ``'`` before a formula's first character.

    >>> safe_cell("=HYPERLINK(1)"), safe_cell("-1"), safe_cell("Japan")
    ("'=HYPERLINK(1)", "'-1", 'Japan')
    """
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_cell(text: str) -> str:
    """One text cell as :func:`partners_csv_text` writes it: safe, and quoted where
    the CSV needs it. The page's 'Download CSV' joins these, so both write the same bytes.

    >>> csv_cell("Japan"), csv_cell("Japan, South Korea"), csv_cell("=1")
    ('Japan', '"Japan, South Korea"', "'=1")
    """
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([safe_cell(text), ""])
    return buffer.getvalue()[: -len(",\n")]


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
