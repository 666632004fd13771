"""Build the Mongolia defence-partnership map from the YAML records in data/.

    python build_map.py [--data DIR] [--out DIR]     validate, then build the map
    python build_map.py validate [--data DIR]        only validate
    python build_map.py schema [--out FILE]          JSON Schema of the record files
    python build_map.py export --format geojson ...  features in other formats
    python build_map.py import mme FILE --out DIR    records from the MME data set

Each subcommand is a few lines over ``geo`` (records, geometry, export) and
``layers`` (the map); every one is a function a test can call.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from mongolmap.geo.load import DEFAULT_SEEDS, DataError, load_catalogue
from mongolmap.geo.output import OutputError, atomic_write_text
from mongolmap.layers.page import render_page

HERE = Path(__file__).resolve().parent
COMMANDS = ("build", "validate", "schema", "export", "import")


def render_outputs(
    catalogue, cdn: bool = False, title: str | None = None, geojson: bool = True, tiles: bool = False,
    tables: bool = True,
) -> dict[str, bytes]:
    """Every file of a build, by name relative to the output folder, rendered in memory.

    ``geojson``: write ``geojson/``; ``tables``: write ``partners_by_year.csv``.
    """
    from mongolmap.geo.export import geojson_files
    from mongolmap.geo.features import build_marks
    from mongolmap.geo.partners import partners_csv

    marks = build_marks(catalogue)
    files = {"map.html": render_page(catalogue, title, cdn, marks, tiles=tiles).encode("utf-8")}
    if tables:
        files["partners_by_year.csv"] = partners_csv(catalogue)
    if geojson:
        files.update({f"geojson/{name}": data for name, data in geojson_files(catalogue, marks).items()})
    return files


def write_outputs(
    catalogue, out_dir: Path, cdn: bool = False, title: str | None = None, geojson: bool = True,
    tiles: bool = False, tables: bool = True,
) -> list[Path]:
    """Render everything first, then replace the output folder by it all at once
    (``geo.output.write_folder``): never half a build, never files of an older one."""
    from mongolmap.geo.output import write_folder

    return write_folder(Path(out_dir), render_outputs(catalogue, cdn, title, geojson, tiles, tables))


def _print_problems(problems) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(problems)} problem(s); nothing was written.", file=sys.stderr)


def _load(args: argparse.Namespace):
    """The catalogue, or None after printing every problem."""
    catalogue, problems = load_catalogue(args.data, _seeds(args))
    if problems:
        _print_problems(problems)
        return None
    return catalogue


def cmd_validate(args: argparse.Namespace) -> int:
    catalogue = _load(args)
    if catalogue is None:
        return 1
    counts = {k: len(getattr(catalogue, k)) for k in ("events", "links", "places", "actors", "sources")}
    print(f"{args.data}: clean (" + ", ".join(f"{v} {k}" for k, v in counts.items()) + ")")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from mongolmap.geo.output import check_folder_target

    check_folder_target(Path(args.out))  # before loading: a wrong --out is said at once
    catalogue = _load(args)
    if catalogue is None:
        return 1
    written = write_outputs(
        catalogue, Path(args.out), cdn=args.cdn, title=args.title,
        geojson=not (args.no_geojson or args.map_only), tiles=args.tiles, tables=not args.map_only,
    )
    for path in written:
        print(f"wrote {path}")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from mongolmap.geo.models import RecordFile

    schema = RecordFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Mongolia defence map record file"
    text = json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if args.out:
        atomic_write_text(Path(args.out), text)
        print(f"wrote {args.out}")
    else:
        sys.stdout.write(text)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from mongolmap.geo.export import export_file, parse_years

    catalogue = _load(args)
    if catalogue is None:
        return 1
    try:
        years = parse_years(args.years) if args.years else None
        path = export_file(catalogue, args.format, Path(args.out) if args.out else None, args.layer, years)
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(f"wrote {path}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from mongolmap.geo.mme import ImportRefused, import_mme

    try:
        report = import_mme(Path(args.file), Path(args.out), force=args.force)
    except ImportRefused as err:
        print(f"error: {err}", file=sys.stderr)
        print("nothing was written.", file=sys.stderr)
        return 1
    print(report.summary())
    return 0


def _seeds(args: argparse.Namespace) -> Path | None:
    return None if args.no_seeds else Path(args.seeds)


def _add_data_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data", type=Path, default=HERE / "data", help="folder of *.yaml record files (default: data/)"
    )
    parser.add_argument(
        "--seeds",
        type=Path,
        default=DEFAULT_SEEDS,
        help="folder of seed articles that quotes are checked against (default: ../shared/seeds)",
    )
    parser.add_argument(
        "--no-seeds", action="store_true", help="do not check quotes against the seed articles"
    )


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build_map.py",
        description=(
            "Turn validated, source-cited YAML records of Mongolia's defence partnerships "
            "into an interactive map (output/map.html) and GeoJSON (output/geojson/). "
            "With no subcommand, validates and builds."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Run 'build_map.py COMMAND --help' for a subcommand's options.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    build = sub.add_parser("build", help="validate the records, then write the map and GeoJSON (default)")
    _add_data_args(build)
    build.add_argument("--out", type=Path, default=HERE / "output", help="output folder (default: output/)")
    build.add_argument(
        "--cdn",
        action="store_true",
        help="load Leaflet from a CDN (with Subresource Integrity) instead of inlining it",
    )
    build.add_argument("--title", default=None, help="title shown on the map (default: from the data)")
    build.add_argument(
        "--no-geojson", action="store_true",
        help="do not write output/geojson/ (map.html and partners_by_year.csv are still written)",
    )
    build.add_argument(
        "--map-only", action="store_true",
        help="write only map.html: no GeoJSON, no partners_by_year.csv (a quicker build to look at)",
    )
    build.add_argument(
        "--tiles",
        action="store_true",
        help=(
            "open the map on OpenStreetMap tiles instead of the offline country outlines; the page "
            "then asks tile.openstreetmap.org for tiles as soon as it opens, and goes back to the "
            "outlines (and says so) when they cannot load. Readers can switch either way in the layer list"
        ),
    )
    build.set_defaults(func=cmd_build)

    validate = sub.add_parser("validate", help="only validate the records; exit 0 when clean")
    _add_data_args(validate)
    validate.set_defaults(func=cmd_validate)

    schema = sub.add_parser("schema", help="write the JSON Schema of the record files")
    schema.add_argument("--out", type=Path, default=None, help="file to write (default: standard output)")
    schema.set_defaults(func=cmd_schema)

    export = sub.add_parser("export", help="export features as GeoJSON, GeoPackage, CSV, KML or GeoParquet")
    _add_data_args(export)
    export.add_argument("--format", choices=("geojson", "gpkg", "csv", "kml", "parquet"), default="geojson")
    export.add_argument("--layer", action="append", metavar="NAME", help="only this layer (repeatable)")
    export.add_argument("--years", metavar="FROM-TO", help="only records overlapping these years, e.g. 2005-2015")
    export.add_argument("--out", metavar="FILE", help="file to write (default: output/export.EXT)")
    export.set_defaults(func=cmd_export)

    imp = sub.add_parser("import", help="turn an outside data set into a folder of records")
    imp.add_argument("dataset", choices=("mme",), help="mme: Multinational Military Exercises (CSV)")
    imp.add_argument("file", help="the data set file, e.g. ../shared/data/mme_v7.csv")
    imp.add_argument("--out", type=Path, required=True, help="data folder to write (new or empty)")
    imp.add_argument(
        "--force", action="store_true",
        help="replace a folder that already holds files (all at once; the previous files are removed)",
    )
    imp.set_defaults(func=cmd_import)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help")):
        argv.insert(0, "build")
    args = make_parser().parse_args(argv)
    from mongolmap.geo.speed import batch_gc

    try:
        with batch_gc():
            return args.func(args)
    except DataError as err:
        _print_problems(err.problems)
        return 1
    except OutputError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; the output folder is as it was before this run", file=sys.stderr)
        return 130
    except OSError as err:
        where = f" ({err.filename})" if err.filename else ""
        print(f"error: {err.strerror or err}{where}", file=sys.stderr)
        return 1
    except Exception as err:  # noqa: BLE001 - the last line of defence: a message, never a traceback
        print(
            f"internal error: {type(err).__name__}: {_excerpt(str(err))}; nothing was written. "
            "Please report this with the command you ran.",
            file=sys.stderr,
        )
        return 70


def _excerpt(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} characters)"


if __name__ == "__main__":
    from mongolmap.geo.speed import import_folium_without_pandas, run_and_exit

    import_folium_without_pandas()
    run_and_exit(main)
