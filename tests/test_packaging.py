"""What installing the project puts in a user's environment: one import name,
``mongolmap``, with the page's scripts and the outlines inside it (issue 15)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_wheel_holds_one_import_name_and_its_data(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(tmp_path), str(ROOT)],
        check=True, capture_output=True,
    )
    (wheel,) = tmp_path.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert {n.split("/")[0] for n in names if ".dist-info/" not in n} == {"mongolmap"}
    assert {"mongolmap/geo/load.py", "mongolmap/layers/wire.py", "mongolmap/layers/static/mdm.js",
            "mongolmap/geo/naturalearth/countries-50m.npz"} <= set(names)
    assert not any(n.startswith(("geo/", "layers/", "tests/", "build_map")) for n in names)
