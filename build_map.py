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

from geo.load import DEFAULT_SEEDS, DataError, load_catalogue
from geo.output import atomic_write_text

HERE = Path(__file__).resolve().parent
COMMANDS = ("build", "validate", "schema", "export", "import")


def _print_problems(problems) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(problems)} problem(s); nothing was written.", file=sys.stderr)


def cmd_validate(args: argparse.Namespace) -> int:
    catalogue, problems = load_catalogue(args.data, _seeds(args))
    if problems:
        _print_problems(problems)
        return 1
    counts = {k: len(getattr(catalogue, k)) for k in ("events", "links", "places", "actors", "sources")}
    print(f"{args.data}: clean (" + ", ".join(f"{v} {k}" for k, v in counts.items()) + ")")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    catalogue, problems = load_catalogue(args.data, _seeds(args))
    if problems:
        _print_problems(problems)
        return 1
    written = write_outputs(catalogue, Path(args.out), cdn=args.cdn, title=args.title)
    for path in written:
        print(f"wrote {path}")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from geo.models import RecordFile

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
    from geo.export import export_file, parse_years

    catalogue, problems = load_catalogue(args.data, _seeds(args))
    if problems:
        _print_problems(problems)
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
    from geo.mme import import_mme

    report = import_mme(Path(args.file), Path(args.out))
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
    build.set_defaults(func=cmd_build)

    validate = sub.add_parser("validate", help="only validate the records; exit 0 when clean")
    _add_data_args(validate)
    validate.set_defaults(func=cmd_validate)

    schema = sub.add_parser("schema", help="write the JSON Schema of the record files")
    schema.add_argument("--out", type=Path, default=None, help="file to write (default: standard output)")
    schema.set_defaults(func=cmd_schema)

    export = sub.add_parser("export", help="export features as GeoJSON, GeoPackage, CSV or KML")
    _add_data_args(export)
    export.add_argument("--format", choices=("geojson", "gpkg", "csv", "kml"), default="geojson")
    export.add_argument("--layer", action="append", metavar="NAME", help="only this layer (repeatable)")
    export.add_argument("--years", metavar="FROM-TO", help="only records overlapping these years, e.g. 2005-2015")
    export.add_argument("--out", metavar="FILE", help="file to write (default: output/export.EXT)")
    export.set_defaults(func=cmd_export)

    imp = sub.add_parser("import", help="turn an outside data set into a folder of records")
    imp.add_argument("dataset", choices=("mme",), help="mme: Multinational Military Exercises (CSV)")
    imp.add_argument("file", help="the data set file, e.g. ../shared/data/mme_v7.csv")
    imp.add_argument("--out", type=Path, required=True, help="data folder to write")
    imp.set_defaults(func=cmd_import)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help")):
        argv.insert(0, "build")
    args = make_parser().parse_args(argv)
    try:
        return args.func(args)
    except DataError as err:
        _print_problems(err.problems)
        return 1


if __name__ == "__main__":
    sys.exit(main())
