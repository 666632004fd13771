"""`import mme` never overwrites, names every bad column and line, and never shows a traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from build_map import main

MME_CSV = Path(__file__).resolve().parents[3] / "shared" / "data" / "mme_v7.csv"


def _lines(count: int) -> list[str]:
    with MME_CSV.open(encoding="utf-8", newline="") as handle:
        return [next(handle) for _ in range(count)]


def _csv(tmp_path: Path, make) -> Path:
    path = tmp_path / "in.csv"
    header, *rows = _lines(4)
    result = make(header, rows)
    if isinstance(result, str):
        path.write_text(result, encoding="utf-8")
    else:
        path.write_bytes(result)
    return path


def _drop_column(name):
    def make(header, rows):
        index = header.rstrip("\n").split(",").index(name)
        cut = [",".join(c for i, c in enumerate(line.rstrip("\n").split(",")) if i != index) + "\n"
               for line in [header, *rows]]
        return "".join(cut)
    return make


IMPORT_FAULTS = [
    pytest.param(lambda h, r: h + "".join(r), "data", r"--out .*/out already holds 2 file\(s\) \(places\.yaml, sources\.yaml\); "
                 r"the import never overwrites: give a new or empty folder, or --force", id="folder-holds-records"),
    pytest.param(_drop_column("lat"), None, r"in\.csv:1: missing column\(s\): lat\n", id="missing-required-column"),
    pytest.param(_drop_column("StateA"), None, r"in\.csv:1: missing column\(s\): StateA\n", id="missing-participant-column"),
    pytest.param(lambda h, r: h.replace("Location", "Place") + "".join(r), None,
                 r"in\.csv:1: missing column\(s\): Location\n.*in\.csv:1: unknown column\(s\): 'Place'", id="renamed-column"),
    pytest.param(lambda h, r: h + "".join(r)[:-200], None,
                 r"in\.csv:4: \d+ fields where the header has 64 \(the file may be cut short\)\n1 row\(s\) cannot be read", id="truncated"),
    pytest.param(lambda h, r: h + r[0] + 'mme1,"unclosed\n', None, r"in\.csv:3: row cannot be read: unexpected end of data", id="unclosed-quote"),
    pytest.param(lambda h, r: h + r[0] + r[1].replace(",", ",\x00", 1), None, r"in\.csv:3: row holds a NUL byte", id="nul-byte"),
    pytest.param(lambda h, r: (h + "".join(r)).encode("utf-8") + "Café".encode("latin-1"), None,
                 r"in\.csv:5: not UTF-8: byte 0xe9 at offset \d+; save the file as UTF-8", id="latin-1"),
    pytest.param(lambda h, r: h + "".join(re.sub(r"^((?:[^,]*,){7})\d{4}", r"\g<1>0000", line) for line in r), None,
                 r"none of its 3 row\(s\) can be imported:\n  mme\d+: no usable start year \(s\.year '0000'\)", id="year-0000"),
    pytest.param(None, None, r"nothere\.csv: file not found", id="missing-file"),
    pytest.param("folder", None, r"in\.csv: not a regular file \(a folder\)", id="csv-is-a-folder"),
    pytest.param(lambda h, r: h + "".join(r), "file", r"--out .*/out is not a folder", id="out-is-a-file"),
    pytest.param(lambda h, r: "", None, r"in\.csv: the file is empty; expected a header row", id="empty-file"),
]


@pytest.mark.parametrize(("make", "out_state", "message"), IMPORT_FAULTS)
def test_import_faults(make, out_state, message, tmp_path, capsys):
    if make is None:
        csv_path = tmp_path / "nothere.csv"
    elif make == "folder":
        csv_path = tmp_path / "in.csv"
        csv_path.mkdir()
    else:
        csv_path = _csv(tmp_path, make)
    out = tmp_path / "out"
    if out_state == "data":
        out.mkdir()
        (out / "sources.yaml").write_text("sources: []  # 53 sources\n")
        (out / "places.yaml").write_text("places: []\n")
    elif out_state == "file":
        out.write_text("a file")
    before = {p.name: p.read_bytes() for p in out.iterdir()} if out.is_dir() else None

    assert main(["import", "mme", str(csv_path), "--out", str(out)]) == 1

    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert re.search(message, err), err
    assert err.endswith("nothing was written.\n")
    if before is not None:
        assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    elif out_state is None:
        assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_force_replaces_a_data_folder_all_at_once_but_never_other_folders(tmp_path, capsys):
    csv_path = _csv(tmp_path, lambda h, r: h + "".join(r))
    out = tmp_path / "out"
    out.mkdir()
    (out / "sources.yaml").write_text("sources: []\n")
    (out / "old-layer.yaml").write_text("events: []\n")
    assert main(["import", "mme", str(csv_path), "--out", str(out), "--force"]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "actors.yaml", "exercises.yaml", "places.yaml", "sources.yaml", "styles.yaml"
    ]
    capsys.readouterr()
    home = tmp_path / "home"
    (home / "photos").mkdir(parents=True)
    (home / "notes.txt").write_text("mine")
    assert main(["import", "mme", str(csv_path), "--out", str(home), "--force"]) == 1
    assert "holds notes.txt, photos, which are not record files" in capsys.readouterr().err
    assert sorted(p.name for p in home.iterdir()) == ["notes.txt", "photos"]
