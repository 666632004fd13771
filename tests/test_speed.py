"""The build's speed tricks (``geo.speed``) change how fast, never what is written."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from build_map import main
from tests.conftest import ROOT


def files_of(folder) -> dict:
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_command_line_build_equals_the_build_in_a_process_with_pandas(good_data, tmp_path, capsys):
    """The command line imports folium with pandas hidden; this process has pandas."""
    import pandas  # noqa: F401 - folium, imported here or before, sees pandas

    import folium.utilities

    assert folium.utilities.pd is not None
    in_process, command_line = tmp_path / "in-process", tmp_path / "command-line"
    assert main(["--data", str(good_data), "--no-seeds", "--out", str(in_process)]) == 0
    capsys.readouterr()
    run = subprocess.run(
        [sys.executable, str(ROOT / "build_map.py"), "--data", str(good_data), "--no-seeds", "--out", str(command_line)],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert files_of(command_line) == files_of(in_process)
    assert len(files_of(in_process)) > 2  # the page, the partners table, the GeoJSON layers


def run_python(code: str) -> str:
    run = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert run.returncode == 0, run.stderr
    return run.stdout


def test_folium_without_pandas_leaves_pandas_importable():
    out = run_python(
        """
        import sys
        from mongolmap.geo.speed import import_folium_without_pandas
        import_folium_without_pandas()
        import folium.utilities
        print("folium" in sys.modules, "pandas" in sys.modules, folium.utilities.pd is None)
        import pandas
        print(pandas.DataFrame({"a": [1]}).shape)
        """
    )
    assert out.split("\n")[:2] == ["True False True", "(1, 1)"]


def test_folium_without_pandas_is_nothing_once_pandas_is_imported():
    """A process that has pandas already (a notebook) keeps folium's DataFrame support."""
    out = run_python(
        """
        import pandas
        from mongolmap.geo.speed import import_folium_without_pandas
        import_folium_without_pandas()
        import folium.utilities
        print(folium.utilities.pd is pandas)
        """
    )
    assert out.strip() == "True"
