"""No record can run script in the map, and the page works with the network unplugged."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from build_map import main as build_main

ROOT = Path(__file__).resolve().parents[2]

HOSTILE = {
    "img": "<img src=x onerror=\"window.__pwned='img'\">",
    "script": "</script><script>window.__pwned='script'</script>",
    "template": "`${window.__pwned='tpl'}` and `backticks`",
    "backslash": "C:\\new\\table \\u003c \\",
    "quotes": "\"double\" 'single' &amp; &lt;",
    "cyrillic": "Улаанбаатар — Хаан Квест",
    "bold": "<b>bold</b>",
    "jinja": "{{ 7*7 }} {% if true %}x{% endif %} {# c #}",
}
ALL = " | ".join(HOSTILE.values())


def hostile_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "hostile"
    folder.mkdir()
    styles = yaml.safe_load((ROOT / "data" / "styles.yaml").read_text(encoding="utf-8"))
    styles["layers"][0]["label"] = HOSTILE["bold"] + " " + HOSTILE["img"] + " " + HOSTILE["jinja"]
    (folder / "styles.yaml").write_text(yaml.safe_dump(styles, allow_unicode=True), encoding="utf-8")
    records = {
        "sources": [
            {
                "id": "evil-source",
                "kind": "article",
                "title": HOSTILE["script"] + HOSTILE["template"],
                "author": HOSTILE["img"],
                "publisher": HOSTILE["quotes"],
                "published": "2024-06",
                "address": "https://example.org/a?q=%3Cscript%3E&x='\"",
                "accessed": "2026-11-23",
            }
        ],
        "places": [
            {
                "id": "ub",
                "name": HOSTILE["img"],
                "local_name": HOSTILE["cyrillic"],
                "country": "MNG",
                "lat": 47.92,
                "lon": 106.92,
                "precision": "city",
                "aliases": [HOSTILE["bold"]],
            },
            {"id": "dc", "name": "Washington", "country": "USA", "lat": 38.9, "lon": -77.04, "precision": "city"},
        ],
        "actors": [
            {"id": "mng", "kind": "country", "name": HOSTILE["template"], "country": "MNG", "place": "ub"},
            {"id": "usa", "kind": "country", "name": HOSTILE["script"], "country": "USA", "place": "dc"},
        ],
        "events": [
            {
                "id": "evil-event",
                "kind": "visit",
                "title": ALL,
                "description": HOSTILE["script"] + HOSTILE["backslash"] + HOSTILE["quotes"],
                "start": "2024-02-15",
                "places": ["ub"],
                "participants": ["mng", "usa"],
                "layer": styles["layers"][0]["key"],
                "citations": [
                    {"source": "evil-source", "quote": HOSTILE["img"] + HOSTILE["backslash"], "note": HOSTILE["bold"]}
                ],
            }
        ],
        "links": [
            {
                "id": "evil-link",
                "kind": "bilateral cooperation",
                "title": HOSTILE["template"] + HOSTILE["img"],
                "a": "mng",
                "b": "usa",
                "since": "2020",
                "layer": styles["layers"][0]["key"],
                "citations": [{"source": "evil-source", "ref": HOSTILE["script"], "quote": HOSTILE["quotes"]}],
            }
        ],
    }
    (folder / "records.yaml").write_text(yaml.safe_dump(records, allow_unicode=True), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("hostile")
    out = tmp / "out"
    assert build_main(["--data", str(hostile_folder(tmp)), "--out", str(out), "--no-seeds"]) == 0
    return out


def pwned(watch):
    return watch.js("() => window.__pwned === undefined ? null : String(window.__pwned)")


def test_hostile_text_builds_and_runs_nothing(watch, hostile_build):
    watch.open(hostile_build / "map.html")
    assert pwned(watch) is None
    html = (hostile_build / "map.html").read_text(encoding="utf-8")
    # The only </script> closing tags are the page's own: one per script element
    # (the inline scripts and the contract's data block).
    assert html.count("</script>") == html.count("<script>") + html.count('<script type="application/octet-stream"')
    # The contract carries the hostile text as data, every '<' escaped.
    from mongolmap.layers.wire import decode

    block = re.search(r'<script type="application/octet-stream" id="mdm-wire">([^<]*)</script>', html).group(1)
    assert HOSTILE["script"] in decode(block)["sources"]["title"][0]


def test_hostile_text_shows_as_text_in_popup_and_tooltip(watch, hostile_build):
    watch.open(hostile_build / "map.html")
    layer_key = watch.js("() => window.MDM.app.data.layers[0].key")
    x, y = watch.js(
        """([id]) => { const app = window.MDM.app; const m = app.marks.find(m => m.id === id);
        app.map.setView(m.main.getLatLng(), 5, {animate: false});
        const p = app.map.latLngToContainerPoint(m.main.getLatLng());
        const b = app.map.getContainer().getBoundingClientRect(); return [b.left + p.x, b.top + p.y]; }""",
        [f"{layer_key}.ub"],
    )
    watch.page.mouse.move(x, y)
    tooltip = watch.page.locator(".leaflet-tooltip")
    tooltip.wait_for()
    assert HOSTILE["img"] in tooltip.inner_text()
    assert tooltip.locator("img").count() == 0
    watch.page.mouse.click(x, y)
    popup = watch.page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.text_content()
    for value in HOSTILE.values():
        assert value in text
    assert popup.locator("img, script, b").count() == 0
    assert pwned(watch) is None


def test_hostile_layer_label_and_sources_show_as_text(watch, hostile_build):
    watch.open(hostile_build / "map.html")
    control = watch.page.locator(".leaflet-control-layers-overlays")
    assert HOSTILE["bold"] + " " + HOSTILE["img"] + " " + HOSTILE["jinja"] in control.text_content()
    assert control.locator("b, img").count() == 0
    watch.page.get_by_role("button", name="About & sources").click()
    about = watch.page.locator(".mdm-about")
    assert HOSTILE["script"] + HOSTILE["template"] in about.text_content()
    assert about.locator("script, img").count() == 0
    assert pwned(watch) is None


def test_offline_page_draws_every_layer_and_requests_no_code(watch, shipped_build, shipped_catalogue):
    """Every request off the machine is blocked (see conftest): the page still works."""
    watch.open(shipped_build / "map.html")
    drawn = watch.js(
        "() => { const s = new Set(); window.MDM.app.map.eachLayer(l => { if (l.mdmMark && !l.mdmHidden) s.add(l.mdmMark.layer); }); return s.size; }"
    )
    assert drawn == len(shipped_catalogue.layers)
    # The offline outlines are drawn: the base map pane holds a canvas.
    assert watch.page.locator(".leaflet-mdmBasemap-pane canvas").count() == 1
    kinds = {kind for kind, _ in watch.external}
    assert not kinds & {"script", "stylesheet", "font", "xhr", "fetch"}, watch.external
    # Only tiles were asked for, and only from the tile server the CSP allows.
    assert all(url.startswith("https://tile.openstreetmap.org/") for _, url in watch.external)


def test_content_security_policy_blocks_injected_script(watch, shipped_build):
    """Even a script that got into the page would not run: the CSP allows our hashes only."""
    watch.open(shipped_build / "map.html")
    watch.js(
        """() => { const s = document.createElement('script'); s.textContent = "window.__pwned = 'csp'";
        document.body.appendChild(s); }"""
    )
    assert pwned(watch) is None
