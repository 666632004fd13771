"""Issue 14, 'No silent failures': every kind of fault, its message, and the output folder afterwards.

Each table gives the input, the message expected on standard error and what
the output folder holds after the command (always: the previous build, byte
for byte, with no leftovers beside it; or, for a good build, exactly the new
one).
"""

from __future__ import annotations

import errno
import os
import re
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from build_map import main
from mongolmap.geo import output
from mongolmap.geo.output import folder_lock

ROOT = Path(__file__).resolve().parents[1]
PREVIOUS = {"map.html": b"<p>previous map</p>", "geojson/all.geojson": b'{"previous": true}'}


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative name (folders listed as None)."""
    if not folder.exists():
        return {}
    return {
        str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None)
        for p in sorted(folder.rglob("*"))
    }


def siblings(folder: Path) -> list[str]:
    """Entries beside the output folder other than itself: staging or lock leftovers."""
    return sorted(p.name for p in folder.parent.iterdir() if p.name.startswith(f".{folder.name}."))


@pytest.fixture
def previous_build(tmp_path) -> Path:
    out = tmp_path / "site" / "output"
    for name, data in PREVIOUS.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)
    return out


# --- Loader faults: one table, each leaving the previous build as it was ------------------

BOMB = "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(7)
)
BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + BOMB


def _special(kind: str):
    def make(folder: Path) -> None:
        path = folder / "x.yaml"
        if kind == "fifo":
            os.mkfifo(path)
        elif kind == "dev-zero":
            path.symlink_to("/dev/zero")
        elif kind == "loop":
            path.symlink_to(path)
        elif kind == "folder":
            path.mkdir()

    return make


def _edit(old: str, new: str):
    def edited(good_text: str) -> str:
        assert old in good_text, old
        return good_text.replace(old, new, 1)

    return edited


LOADER_FAULTS = [
    pytest.param({"x.yaml": BOMB.encode()}, r"x\.yaml:\d+: \(file\): YAML aliases \(\*name\) expand this file to more than 1,000,000 values", id="alias-bomb"),
    pytest.param({"x.yaml": ("x: " + "[" * 300 + "]" * 300).encode()}, r"x\.yaml:1: \(file\): nested more than 32 levels deep", id="300-brackets"),
    pytest.param({"x.yaml": ("x: " + "[" * 25000 + "]" * 25000).encode()}, r"x\.yaml:1: \(file\): nested more than 32 levels deep", id="25000-brackets"),
    pytest.param({"x.json": ('{"x": ' + "[" * 25000 + "]" * 25000 + "}").encode()}, r"x\.json:1: \(file\): malformed JSON", id="25000-brackets-json"),
    pytest.param(_special("fifo"), r"x\.yaml:1: \(file\): not a regular file \(a pipe, socket or device\)", id="named-pipe"),
    pytest.param(_special("dev-zero"), r"x\.yaml:1: \(file\): not a regular file \(a pipe, socket or device\)", id="link-to-dev-zero"),
    pytest.param(_special("loop"), r"x\.yaml:1: \(file\): cannot read the file: Too many levels of symbolic links", id="link-loop"),
    pytest.param(_special("folder"), r"x\.yaml:1: \(file\): not a regular file \(a folder\)", id="folder-named-yaml"),
    pytest.param({"x.yaml": b"? [a, b]\n: c\n"}, r"x\.yaml:1: \(file\): malformed YAML: a key must be plain text", id="list-as-key"),
    pytest.param({"x.yaml": b"1: x\n"}, r"x\.yaml:1: \(file\): malformed YAML: a key must be text, not int 1", id="numeric-key"),
    pytest.param({"x.yaml": b"x: 1" + b"1" * 5000 + b"\n"}, r"x\.yaml:1: \(file\): a value cannot be read: Exceeds the limit \(4300 digits\)", id="5000-digit-number"),
    pytest.param({"x.yaml": b"x: !!timestamp 2024-13-45\n"}, r"x\.yaml:1: \(file\): a value cannot be read: month must be in 1\.\.12", id="tagged-bad-value"),
    pytest.param({"x.yaml": b"places:\n  - id: a\x00\n"}, r"x\.yaml:2: \(file\): character U\+0000 is not allowed", id="nul-byte"),
    pytest.param({"x.yaml": b"title: caf\xe9\n"}, r"x\.yaml:1: \(file\): not UTF-8: byte 0xe9 at offset 10", id="latin-1"),
    pytest.param({"x.json": b'{"places": [{"id": "a",\n "id": "b"}]}'}, r"x\.json:2: \(file\): malformed JSON: duplicate key 'id'", id="json-duplicate-key"),
    pytest.param(_edit('start: "2024-02-15"', 'start: "2024\\n"'), r"visit-2024 \[start\]: '2024\\n' is not a date", id="date-trailing-newline"),
    pytest.param(_edit('start: "2024-02-15"', "start: >\n      2024"), r"visit-2024 \[start\]: '2024\\n' is not a date", id="date-folded-block"),
    pytest.param(_edit('start: "2024-02-15"', 'start: "0000"'), r"visit-2024 \[start\]: '0000' is not a date: year 0 is out of range", id="year-0000"),
    pytest.param(_edit('start: "2024-02-15"', 'start: "2023-02-29"'), r"visit-2024 \[start\]: '2023-02-29' is not a date: day is out of range for month", id="february-29-not-leap"),
    pytest.param(_edit('start: "2024-02-15"', 'start: "2024-13"'), r"visit-2024 \[start\]: '2024-13' is not a date: month must be in 1\.\.12", id="month-13"),
    pytest.param(_edit('start: "2024-02-15"', "start: [2024]"), r"visit-2024 \[start\]: not a date: write YYYY, YYYY-MM or YYYY-MM-DD", id="date-a-list"),
    pytest.param(_edit("lat: 47.92", "lat: true"), r"ulaanbaatar \[lat\]: Input should be a valid number \(got true, a yes/no value\)", id="lat-true"),
    pytest.param(_edit("lat: 47.92", 'lat: "47.92"'), r"ulaanbaatar \[lat\]: Input should be a valid number", id="lat-text"),
    pytest.param(_edit("precision: city\n  - id: washington", "precision: city\n    uncertainty_km: 1.0e+300\n  - id: washington"),
                 r"ulaanbaatar \[uncertainty_km\]: Input should be less than or equal to 20037\.5", id="uncertainty-1e300"),
    pytest.param(_edit("precision: city\n  - id: washington", "precision: city\n    uncertainty_km: 1e300\n  - id: washington"),
                 r"ulaanbaatar \[uncertainty_km\]: Input should be a valid number \(got the text '1e300'; .*YAML reads 1e3 as text\)", id="uncertainty-1e300-as-yaml-text"),
    pytest.param(_edit("precision: city\n  - id: washington", "precision: city\n    uncertainty_km: .inf\n  - id: washington"),
                 r"ulaanbaatar \[uncertainty_km\]: Input should be a finite number", id="uncertainty-inf"),
    pytest.param(_edit("kind: visit", "kind: " + "v" * 100_000), r"visit-2024 \[kind\]: Input should be .* \(got 'v{58}\.\.\. \(100000 characters\)\)$", id="long-value-excerpt"),
    pytest.param(_edit("address: https://example.org/a", "seed: ../../etc/passwd"),
                 r"src-one \[seed\]: seed '\.\./\.\./etc/passwd' must be a file name inside the seeds folder", id="seed-outside-folder"),
]


@pytest.mark.parametrize(("fault", "message"), LOADER_FAULTS)
def test_bad_input_is_one_message_and_the_previous_build_stays(
    fault, message, make_data, good_text, previous_build, capsys
):
    if callable(fault) and fault.__name__ == "edited":
        data = make_data({"records.yaml": fault(good_text)})
    else:
        data = make_data({"records.yaml": good_text})
        if callable(fault):
            fault(data)
        else:
            for name, content in fault.items():
                (data / name).write_bytes(content)
    before = snapshot(previous_build)

    assert main(["--data", str(data), "--out", str(previous_build), "--no-seeds"]) == 1

    err = capsys.readouterr().err
    lines = err.splitlines()
    assert lines[-1].endswith("problem(s); nothing was written."), err[-500:]
    assert any(re.search(message, line) for line in lines), err[:2000]
    assert len(err) < 5000  # no value expanded into the message
    assert "Traceback" not in err
    assert snapshot(previous_build) == before
    assert siblings(previous_build) == []


def test_a_record_failing_a_field_check_still_counts_as_defined(make_data, good_text, capsys):
    """One bad latitude and one bad colour: two problems, not one per reference to them."""
    import re

    data = make_data({"records.yaml": good_text.replace("lat: 47.92", "lat: 147.92", 1)})
    styles = (data / "styles.yaml").read_text(encoding="utf-8")
    block = styles.index("key: us_bilateral")
    colour = re.compile(r"colour: .*").search(styles, block)
    (data / "styles.yaml").write_text(styles[: colour.start()] + "colour: red" + styles[colour.end():], encoding="utf-8")
    assert main(["validate", "--data", str(data), "--no-seeds"]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 3, lines
    assert any("ulaanbaatar [lat]" in line for line in lines)
    assert any("us_bilateral [colour]" in line for line in lines)
    assert not any("unknown" in line for line in lines), lines


def test_a_missing_seeds_folder_is_an_error_unless_no_seeds(make_data, good_text, tmp_path, capsys):
    seeded = good_text.replace("address: https://example.org/a", "seed: article.txt", 1)
    assert seeded != good_text and 'quote: "' in seeded  # citations of src-one quote it already
    data = make_data({"records.yaml": seeded})
    assert main(["validate", "--data", str(data), "--seeds", str(tmp_path / "seedz")]) == 1
    err = capsys.readouterr().err
    assert "seedz is not a folder" in err and "--no-seeds" in err
    assert main(["validate", "--data", str(data), "--no-seeds"]) == 0


# --- Output faults: all or nothing -------------------------------------------------------


def test_a_build_replaces_the_whole_folder(good_data, previous_build, capsys):
    (previous_build / "geojson" / "old_layer.geojson").write_text("{}")
    (previous_build / ".map.html.abc123.tmp").write_bytes(b"x" * 1000)  # an older version's leftover
    assert main(["--data", str(good_data), "--out", str(previous_build), "--no-seeds"]) == 0
    files = snapshot(previous_build)
    assert "geojson/old_layer.geojson" not in files and ".map.html.abc123.tmp" not in files
    assert sorted(files) == sorted(["map.html", "partners_by_year.csv", "geojson", *(f"geojson/{n}" for n in _layer_files())])
    assert siblings(previous_build) == []
    assert main(["--data", str(good_data), "--out", str(previous_build), "--no-seeds", "--no-geojson"]) == 0
    assert sorted(snapshot(previous_build)) == ["map.html", "partners_by_year.csv"]
    csv_bytes = (previous_build / "partners_by_year.csv").read_bytes()
    assert main(["--data", str(good_data), "--out", str(previous_build), "--no-seeds", "--map-only"]) == 0
    assert sorted(snapshot(previous_build)) == ["map.html"]  # the table of the build before is gone too
    assert main(["--data", str(good_data), "--out", str(previous_build), "--no-seeds"]) == 0
    assert (previous_build / "partners_by_year.csv").read_bytes() == csv_bytes


def _layer_files() -> list[str]:
    import yaml

    styles = yaml.safe_load((ROOT / "data" / "styles.yaml").read_text(encoding="utf-8"))
    return ["all.geojson", *(f"{s['key']}.geojson" for s in styles["layers"])]


def _full_disk(monkeypatch):
    real = os.write
    calls = {"n": 0}

    def write(fd, data):
        calls["n"] += 1
        if calls["n"] > 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd, data)

    monkeypatch.setattr(output.os, "write", write)


OUTPUT_FAULTS = [
    pytest.param("file", r"error: .*/site/output is a file, not a folder", id="out-is-a-file"),
    pytest.param("root", r"error: /: the root folder cannot be an output folder", id="out-is-root"),
    pytest.param("foreign", r"error: .*/output holds files a build did not write \(notes\.txt\)", id="out-holds-other-files"),
    pytest.param("read-only", r"error: cannot (create the lock|write beside) .*Permission denied|error: cannot create the lock", id="read-only-parent"),
    pytest.param("full-disk", r"error: could not write the build into .*: No space left on device .*the previous build is unchanged", id="full-disk"),
    pytest.param("locked", r"error: another build is writing .*/output \(it holds .*\.output\.lock\); wait for it", id="concurrent-build-locked"),
]


@pytest.mark.parametrize(("fault", "message"), OUTPUT_FAULTS)
def test_output_faults(fault, message, good_data, previous_build, monkeypatch, capsys):
    out = previous_build
    if fault == "file":
        import shutil

        shutil.rmtree(out)
        out.write_text("a file")
    elif fault == "root":
        out = Path("/")
    elif fault == "foreign":
        (out / "notes.txt").write_text("mine")
    elif fault == "read-only":
        if os.geteuid() == 0:
            # root ignores permissions: a read-only bind is not available, so fail the
            # same calls the way a read-only folder makes them fail.
            real_open = os.open

            def deny_open(path, *args, **kwargs):
                if str(path).startswith(str(out.parent)) and str(path).endswith(".lock"):
                    raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
                return real_open(path, *args, **kwargs)

            monkeypatch.setattr(output.os, "open", deny_open)
        else:
            out.parent.chmod(0o555)
    elif fault == "full-disk":
        _full_disk(monkeypatch)
    before = snapshot(out) if out.is_dir() and out != Path("/") else None
    file_before = out.read_bytes() if out.is_file() else None

    if fault == "locked":
        with folder_lock(out.absolute()):
            code = main(["--data", str(good_data), "--out", str(out), "--no-seeds"])
    else:
        code = main(["--data", str(good_data), "--out", str(out), "--no-seeds"])

    out.parent.chmod(0o755) if fault == "read-only" and os.geteuid() != 0 else None
    err = capsys.readouterr().err
    assert code == 1
    assert re.search(message, err), err
    assert "Traceback" not in err
    if before is not None:
        assert snapshot(out) == before
    if file_before is not None:
        assert out.read_bytes() == file_before
    if out != Path("/"):
        assert siblings(out) == []


KILLER = textwrap.dedent(
    """
    import os, signal, sys
    sys.path.insert(0, {root!r})
    from mongolmap.geo import output
    real = output._write_new
    count = {{"n": 0}}
    def write_then_die(path, data):
        real(path, data)
        count["n"] += 1
        if count["n"] == {after}:
            os.kill(os.getpid(), signal.SIGKILL)
    output._write_new = write_then_die
    {swap}
    import build_map
    sys.exit(build_map.main(sys.argv[1:]))
    """
)


@pytest.mark.parametrize(
    ("after", "swap"),
    [
        pytest.param(1, "", id="after-first-file"),
        pytest.param(5, "", id="mid-way"),
        pytest.param(10**9, "output._swap_in = lambda s, t: os.kill(os.getpid(), signal.SIGKILL)", id="before-swap"),
        pytest.param(10**9, "real_exchange = output._exchange\n"
                     "def exchange_then_die(a, b):\n"
                     "    real_exchange(a, b)\n"
                     "    os.kill(os.getpid(), signal.SIGKILL)\n"
                     "output._exchange = exchange_then_die", id="after-swap-before-cleanup"),
    ],
)
def test_a_build_killed_while_writing_leaves_one_whole_build(after, swap, good_data, previous_build, tmp_path):
    script = tmp_path / "killer.py"
    script.write_text(KILLER.format(root=str(ROOT), after=after, swap=swap))
    before = snapshot(previous_build)
    args = [sys.executable, str(script), "--data", str(good_data), "--out", str(previous_build), "--no-seeds"]
    killed = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    if "exchange_then_die" in swap:
        assert "map.html" in snapshot(previous_build) and snapshot(previous_build) != before
    else:
        assert snapshot(previous_build) == before
    # The next build removes what the killed one left and writes exactly its own files.
    assert main(["--data", str(good_data), "--out", str(previous_build), "--no-seeds"]) == 0
    assert siblings(previous_build) == []
    assert sorted(snapshot(previous_build)) == sorted(["map.html", "partners_by_year.csv", "geojson", *(f"geojson/{n}" for n in _layer_files())])


def test_concurrent_builds_never_interleave(good_data, previous_build, tmp_path):
    reference = tmp_path / "reference"
    assert main(["--data", str(good_data), "--out", str(reference), "--no-seeds"]) == 0
    expected = snapshot(reference)
    args = [sys.executable, str(ROOT / "build_map.py"), "--data", str(good_data), "--out", str(previous_build), "--no-seeds"]
    runs = [subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    results = [(run.wait(timeout=300), run.stderr.read()) for run in runs]
    for code, err in results:
        assert (code, err) == (0, "") or (code == 1 and "another build is writing" in err), err
        assert "Traceback" not in err
    assert any(code == 0 for code, _ in results)
    assert snapshot(previous_build) == expected
    assert siblings(previous_build) == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param(["export", "--format", "csv", "--out", "{tmp}"], r"error: .* is a folder; give a file name", id="export-to-a-folder"),
        pytest.param(["export", "--format", "kml", "--out", "{tmp}/f/x.kml"], None, id="export-kml-into-missing-folder"),
        pytest.param(["export", "--format", "gpkg", "--out", "{tmp}/g/h/x.gpkg"], None, id="export-gpkg-into-missing-folder"),
        pytest.param(["export", "--out", "{tmp}/file.txt/x.geojson"], r"error: cannot write .*: .*file\.txt is a file, not a folder", id="export-below-a-file"),
        pytest.param(["schema", "--out", "/"], r"error: /: give a file name to write", id="schema-to-root"),
        pytest.param(["validate", "--data", "{tmp}/nothing"], r"nothing:0: \(file\): data folder not found", id="validate-missing-folder"),
        pytest.param(["validate", "--data", "{tmp}/file.txt"], r"file\.txt:0: \(file\): is not a folder; give the folder of record files", id="validate-a-file"),
    ],
)
def test_no_command_shows_a_traceback(argv, message, tmp_path, capsys):
    (tmp_path / "file.txt").write_text("x")
    argv = [a.format(tmp=tmp_path) for a in argv]
    code = main([*argv[:1], "--no-seeds", *argv[1:]] if argv[0] != "schema" else argv)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if message is None:
        assert code == 0, err
        written = Path(argv[-1].rstrip("/"))
        assert written.is_file() and [p.name for p in written.parent.iterdir()] == [written.name]
    else:
        assert code != 0
        assert re.search(message, err), err


def test_without_renameat2_the_swap_keeps_the_previous_build_until_the_new_one_is_in(tmp_path, monkeypatch):
    """Where one atomic exchange is not available: two renames, and a kill between them is
    undone by the next build (the previous build is put back before anything else)."""
    monkeypatch.setattr(output, "_exchange", lambda a, b: False)
    out = tmp_path / "out"
    output.write_folder(out, {"map.html": b"first", "geojson/a.geojson": b"{}"})
    output.write_folder(out, {"map.html": b"second"})
    assert snapshot(out) == {"map.html": b"second"} and siblings(out) == []
    # A kill between the renames: the build moved aside, the new one not yet in place.
    import tempfile

    aside = Path(tempfile.mkdtemp(dir=tmp_path, prefix=".out.old-"))
    os.rename(out, aside / "build")
    Path(tempfile.mkdtemp(dir=tmp_path, prefix=".out.staging-"))
    with folder_lock(out):
        output.remove_leftovers(out)
    assert snapshot(out) == {"map.html": b"second"} and siblings(out) == []
