"""Time the map build and the page in Chromium, against geopandas' explore() and lonboard.

    python benchmarks/run.py [--sizes shipped,mme,10000,100000] [--repeat 3]

For each data set (the shipped ``data/``, the MME import, synthetic folders of
N events from ``benchmarks/synthetic.py``) it prints:

* build: wall clock of ``build_map.py --map-only`` (map.html alone, as each
  peer writes one page; and of the full build, with GeoJSON and the partners
  table) as a child process, and its peak resident memory;
* the size of ``map.html``;
* drawn: ms from navigation start until the page has drawn, in Chromium;
* filter: ms for one year-filter change (``MDM.app.setYears`` plus two frames);
* table: ms to open the records panel (select, sort, draw the rows in view, two
  frames), then filter again with it open;
* the same events through each peer: ``GeoDataFrame.explore()``
  (``explore_page.py``) and ``lonboard.viz(...).to_html`` (``lonboard_page.py``):
  process time, time after imports, HTML size, drawn;
* the ratios peer / ours, and PASS/MISS against the targets (never asserted;
  the published targets compare with explore()).

The builds alternate: each round runs our map-only build, our full build and
each peer's once (``--repeat`` rounds), so the machine's drift during a run
weighs on all of them alike. Every child and every page load has a timeout; a
measurement that runs out of time is reported as such, not waited for. See
benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MME_CSV = ROOT.parent / "shared" / "data" / "mme_v7.csv"
DEFAULT_SIZES = "shipped,mme,10000,100000"

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 850}

MB = 1024 * 1024


# --- Child processes -------------------------------------------------------


@dataclass
class Child:
    """One finished child process: wall clock, peak memory, exit status, output."""

    seconds: float
    peak_mb: float
    returncode: int | None
    stdout: str
    stderr: str
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out


def run_child(cmd: list[str], timeout: float, cwd: Path = ROOT) -> Child:
    """Run ``cmd``, timing it and reading its own peak RSS through ``os.wait4``.

    ``wait4`` gives this child's rusage alone, where RUSAGE_CHILDREN would give
    the largest of every child so far. Output goes to files, so a chatty child
    cannot block on a full pipe while we wait.
    """
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, text=True)
        timed_out = threading.Event()

        def kill() -> None:
            timed_out.set()
            proc.kill()

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        # ru_maxrss is in kilobytes on Linux.
        return Child(seconds, usage.ru_maxrss / 1024, proc.returncode, out.read(), err.read(), timed_out.is_set())


def python() -> str:
    return sys.executable


# --- Data sets -------------------------------------------------------------


def parse_sizes(text: str) -> list[str]:
    """``'shipped,mme,10000,1e5'`` -> ``['shipped', 'mme', '10000', '100000']``.

    >>> parse_sizes("shipped, mme,10000,100k")
    ['shipped', 'mme', '10000', '100000']
    """
    sizes = []
    for part in (p.strip().lower() for p in text.split(",")):
        if not part:
            continue
        if part in ("shipped", "mme"):
            sizes.append(part)
            continue
        number = part[:-1] if part.endswith("k") else part
        try:
            n = int(float(number) * (1000 if part.endswith("k") else 1))
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"size {part!r}: use 'shipped', 'mme' or a number of records such as 10000"
            ) from None
        if n < 1:
            raise argparse.ArgumentTypeError(f"size {part!r}: a number of records must be at least 1")
        sizes.append(str(n))
    return sizes


def prepare(size: str, workdir: Path, seed: int, timeout: float) -> tuple[Path | None, str]:
    """The data folder for a size, or None and why it is skipped."""
    if size == "shipped":
        return ROOT / "data", "data/"
    if size == "mme":
        if not (ROOT / "geo" / "mme.py").is_file():
            return None, "skipped: geo/mme.py (the MME import) is not there yet"
        if not MME_CSV.is_file():
            return None, f"skipped: {MME_CSV} not found"
        folder = workdir / "data-mme"
        shutil.rmtree(folder, ignore_errors=True)
        child = run_child([python(), "build_map.py", "import", "mme", str(MME_CSV), "--out", str(folder)], timeout)
        if not child.ok:
            return None, "skipped: the MME import failed: " + _tail(child)
        return folder, f"MME import ({child.seconds:.1f} s)"
    folder = workdir / f"data-{size}"
    child = run_child(
        [python(), str(HERE / "synthetic.py"), "--records", size, "--out", str(folder), "--seed", str(seed)],
        timeout,
    )
    if not child.ok:
        return None, "skipped: synthetic.py failed: " + _tail(child)
    return folder, f"synthetic, seed {seed}"


def _tail(child: Child, lines: int = 4) -> str:
    if child.timed_out:
        return f"timed out after {child.seconds:.0f} s"
    return " | ".join((child.stderr or child.stdout).strip().splitlines()[-lines:])


def count_events(folder: Path) -> int:
    """Events in a folder, read without validation (for explore's feature count)."""
    import yaml

    total = 0
    for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.json")]):
        text = path.read_text(encoding="utf-8")
        document = json.loads(text) if path.suffix == ".json" else yaml.load(text, Loader=yaml.CSafeLoader)  # noqa: S506
        total += len((document or {}).get("events") or [])
    return total


# --- Chromium --------------------------------------------------------------

# Installed before any page script runs. Records, in ms since navigation start:
# `ready`, when the condition holds, and `drawn`, two animation frames later
# (the frame holding the change has then been painted). It then marks <html>,
# so Playwright can wait with a selector: our page's Content-Security-Policy
# forbids the string evaluation that wait_for_function relies on.
PROBE_OURS = """
(() => {
  const b = window.__bench = {};
  new MutationObserver((_, obs) => {
    if (document.body && document.body.dataset.mapReady === 'true') {
      obs.disconnect();
      b.ready = performance.now();
      requestAnimationFrame(() => requestAnimationFrame(() => { b.drawn = performance.now(); document.documentElement.dataset.benchDrawn = 'true'; }));
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-map-ready'] });
})();
"""

# explore()'s page has no ready signal: poll every frame until the GeoJSON layer
# has put one SVG path per feature into the page (a live collection is cheap).
PROBE_EXPLORE = """
(() => {
  const b = window.__bench = {};
  const want = %d;
  const paths = document.getElementsByClassName('leaflet-interactive');
  const poll = () => {
    if (paths.length >= want) {
      b.ready = performance.now();
      requestAnimationFrame(() => requestAnimationFrame(() => { b.drawn = performance.now(); document.documentElement.dataset.benchDrawn = 'true'; }));
    } else {
      requestAnimationFrame(poll);
    }
  };
  requestAnimationFrame(poll);
})();
"""

# The peers' CDN files, served locally; everything else is aborted. By the
# URL's file name: (where it comes from, the file in there, MIME type). explore()'s
# from PyPI packages (the bench extra); lonboard's from npm packages
# (benchmarks/package.json, installed by `make benchmark`).
# lonboard's page has no ready signal either, and draws with WebGL, so the DOM
# does not show it: count the instances each WebGL draw call asks for, and
# call the page ready at the first frame that draws every feature (deck.gl
# draws a ScatterplotLayer's points as one instanced call).
PROBE_LONBOARD = """
(() => {
  const b = window.__bench = {};
  const want = %d;
  // lonboard hands deck.gl its table in chunks (lonboard._serialization
  // infer_rows_per_chunk: by size), one instanced draw call per chunk: the
  // features are drawn when the instance counts of one frame's calls add up
  // to all of them.
  let frame = 0, queued = false;
  const seen = (count) => {
    if (b.ready !== undefined) return;
    frame += count;
    if (!queued) { queued = true; requestAnimationFrame(() => { frame = 0; queued = false; }); }
    if (frame >= want) {
      b.ready = performance.now();
      requestAnimationFrame(() => requestAnimationFrame(() => { b.drawn = performance.now(); document.documentElement.dataset.benchDrawn = 'true'; }));
    }
  };
  const proto = window.WebGL2RenderingContext && WebGL2RenderingContext.prototype;
  if (!proto) return;
  const arrays = proto.drawArraysInstanced, elements = proto.drawElementsInstanced;
  proto.drawArraysInstanced = function (mode, first, count, instances) { seen(instances); return arrays.apply(this, arguments); };
  proto.drawElementsInstanced = function (mode, count, type, offset, instances) { seen(instances); return elements.apply(this, arguments); };
})();
"""

LOCAL_ASSETS = {
    "leaflet.js": ("py:xstatic.pkg.leaflet", "leaflet.js", "application/javascript"),
    "leaflet.css": ("py:xstatic.pkg.leaflet", "leaflet.css", "text/css"),
    "jquery-3.7.1.min.js": ("py:xstatic.pkg.jquery", "jquery.min.js", "application/javascript"),
    "require.min.js": ("npm:requirejs", "require.js", "application/javascript"),
    "embed-amd.js": ("npm:@jupyter-widgets/html-manager", "dist/embed-amd.js", "application/javascript"),
    "index.js": ("npm:anywidget", "dist/index.js", "application/javascript"),
    "parquet_wasm_bg.wasm": ("npm:parquet-wasm", "esm/parquet_wasm_bg.wasm", "application/wasm"),
}
NODE_MODULES = HERE / "node_modules"


def local_asset(url: str) -> tuple[Path, str] | None:
    """The local file standing in for a CDN URL, if we have one."""
    import importlib

    name = url.split("?")[0].rsplit("/", 1)[-1]
    if name not in LOCAL_ASSETS or (name == "index.js" and "/anywidget@" not in url):
        return None
    origin, filename, mime = LOCAL_ASSETS[name]
    kind, package = origin.split(":", 1)
    if kind == "npm":
        base = NODE_MODULES / package
    else:
        try:
            base = Path(importlib.import_module(package).BASE_DIR)
        except ImportError:
            return None
    path = base / filename
    return (path, mime) if path.is_file() else None


@dataclass
class PageTiming:
    drawn_ms: float | None = None
    ready_ms: float | None = None
    load_ms: float | None = None
    filter_ms: list[float] = field(default_factory=list)
    table_ms: float | None = None
    table_script_ms: float | None = None
    filter_table_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    blocked: int = 0
    served: int = 0
    note: str = ""
    timed_out: bool = False


class Browser:
    """One Chromium for the whole run; a fresh context (no cache) for every load."""

    def __init__(self) -> None:
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        self.browser = self._pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        self.version = self.browser.version

    def close(self) -> None:
        self.browser.close()
        self._pw.stop()

    def measure(self, html: Path, probe: str, timeout_s: float, serve_assets: bool, filter_changes: int = 0) -> PageTiming:
        from playwright.sync_api import Error as PlaywrightError

        timing = PageTiming()
        context = self.browser.new_context(viewport=VIEWPORT)
        page = context.new_page()
        page.on("pageerror", lambda err: timing.errors.append(str(err)[:200]))

        def route(route):
            url = route.request.url
            if url.startswith(("file:", "data:", "blob:", "about:")):
                return route.continue_()
            asset = local_asset(url) if serve_assets else None
            if asset:
                timing.served += 1
                return route.fulfill(path=str(asset[0]), content_type=asset[1])
            timing.blocked += 1
            return route.abort()

        page.route("**/*", route)
        page.add_init_script(probe)
        try:
            page.goto(html.as_uri(), wait_until="commit", timeout=timeout_s * 1000)
            page.wait_for_selector("html[data-bench-drawn='true']", state="attached", timeout=timeout_s * 1000)
            got = page.evaluate(
                "() => ({drawn: __bench.drawn, ready: __bench.ready,"
                " load: performance.getEntriesByType('navigation')[0]?.loadEventEnd || null})"
            )
            timing.drawn_ms, timing.ready_ms, timing.load_ms = got["drawn"], got["ready"], got["load"]
            if filter_changes:
                timing.filter_ms = year_filter_changes(page, filter_changes)
                table = page.evaluate(TABLE_JS)
                if table:
                    timing.table_ms, timing.table_script_ms = table["ms"], table["script_ms"]
                    timing.filter_table_ms = year_filter_changes(page, filter_changes)
        except PlaywrightError as err:
            if "Timeout" in str(err):
                timing.note = f"not drawn within the {timeout_s:.0f} s page timeout"
                timing.timed_out = True
            else:
                timing.note = f"error: {str(err).splitlines()[0][:120]}"
        finally:
            context.close()
        return timing


FILTER_JS = """
async ([a, b]) => {
  const frame = () => new Promise(r => requestAnimationFrame(r));
  const t = performance.now();
  window.MDM.app.setYears(a, b);
  await frame(); await frame();
  return performance.now() - t;
}
"""


# Opening the records panel: every record the layers and years select, sorted
# by date, and the rows in view drawn (records.js), to the frame that shows them.
# ``script_ms`` is the page's own figure for select, sort and rows (app.tableMs).
TABLE_JS = """
async () => {
  const app = window.MDM && window.MDM.app;
  if (!app || !app.panels || !app.panels.records) return null;
  const frame = () => new Promise(r => requestAnimationFrame(r));
  const t = performance.now();
  app.panels.records.fold(true, false);
  await frame(); await frame();
  return { ms: performance.now() - t, script_ms: app.tableMs };
}
"""


def filter_windows(first: int, last: int, changes: int) -> list[tuple[int, int]]:
    """Year windows to switch between: narrow, wide, sliding; the last restores all.

    >>> filter_windows(1980, 2024, 4)
    [(1980, 1985), (1994, 2024), (2009, 2014), (1980, 2024)]
    """
    span = max(last - first, 1)
    windows = []
    for k in range(changes - 1):
        lo = first + (k * span) // max(changes - 1, 1)
        windows.append((lo, min(lo + 5, last)) if k % 2 == 0 else (lo, last))
    return windows + [(first, last)]


def year_filter_changes(page, changes: int) -> list[float]:
    years = page.evaluate("() => window.MDM && window.MDM.app && window.MDM.app.years")
    if not years:
        return []
    return [page.evaluate(FILTER_JS, list(w)) for w in filter_windows(int(years[0]), int(years[1]), changes)]


def self_contained(html: str) -> bool:
    """No script or style sheet fetched from the network (tiles aside)."""
    return not re.search(r"<script[^>]+src=[\"']https?:|<link[^>]+href=[\"']https?:", html)


# --- One data set ----------------------------------------------------------


def load_pages(browser: Browser, html: Path, probe: str, args, serve_assets: bool) -> list[PageTiming]:
    """R loads of a page; a load slower than SLOW_LOAD_S (or timed out) is not repeated."""
    loads = []
    for i in range(args.repeat):
        changes = args.filter_changes if i == 0 and not serve_assets else 0
        loads.append(browser.measure(html, probe, args.page_timeout, serve_assets, changes))
        last = loads[-1]
        if last.timed_out or (last.drawn_ms or 0) > SLOW_LOAD_S * 1000:
            break
    return loads


SLOW_LOAD_S = 30


def median(values: list[float]) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def bench_size(size: str, folder: Path, workdir: Path, args, browser: Browser | None) -> dict:
    out = workdir / f"out-{size}"
    out_full = workdir / f"out-{size}-full"
    # Other work on the machine skews every figure: keep the 1-minute load with them.
    result: dict = {"size": size, "load_before": round(os.getloadavg()[0], 2)}
    base = [python(), "build_map.py", "--data", str(folder), "--no-seeds"]

    peers = [] if args.explore_max and size.isdigit() and int(size) > args.explore_max else args.peers
    commands = {
        "build": ([*base, "--out", str(out), "--map-only"], args.build_timeout),
        "full": ([*base, "--out", str(out_full)], args.build_timeout),
        **{
            peer.key: ([python(), str(HERE / peer.script), str(folder), str(peer.page(workdir, size))],
                       args.explore_timeout)
            for peer in peers
        },
    }
    runs = in_rounds(commands, args.repeat)
    builds, full = runs["build"], runs["full"]
    if not all(b.ok for b in builds):
        result["error"] = "build failed: " + _tail(next(b for b in builds if not b.ok))
        return result
    result["build_s"] = median([b.seconds for b in builds])
    result["build_runs_s"] = [round(b.seconds, 3) for b in builds]
    result["build_peak_mb"] = max(b.peak_mb for b in builds)
    result["full_build_s"] = median([b.seconds for b in full]) if all(b.ok for b in full) else None
    result["full_build_peak_mb"] = max(b.peak_mb for b in full) if all(b.ok for b in full) else None
    html_path = out / "map.html"
    html = html_path.read_text(encoding="utf-8")
    result["html_mb"] = len(html.encode("utf-8")) / MB
    result["self_contained"] = self_contained(html)
    del html

    if browser:
        loads = load_pages(browser, html_path, PROBE_OURS, args, serve_assets=False)
        result["drawn_ms"] = median([t.drawn_ms for t in loads])
        result["ready_ms"] = median([t.ready_ms for t in loads])
        result["load_event_ms"] = median([t.load_ms for t in loads])
        result["filter_ms"] = median(loads[0].filter_ms)
        result["table_ms"] = loads[0].table_ms
        result["table_script_ms"] = loads[0].table_script_ms
        result["filter_table_ms"] = median(loads[0].filter_table_ms)
        result["page_errors"] = sorted({e for t in loads for e in t.errors})
        result["page_note"] = loads[0].note

    if not peers:
        for peer in args.peers:
            result[f"{peer.key}_note"] = f"{peer.label} skipped above {args.explore_max} records (--explore-max)"
        return result
    for peer in peers:
        bench_peer(peer, size, runs[peer.key], workdir, args, browser, result)
    return result


def in_rounds(commands: dict[str, tuple[list[str], float]], repeat: int) -> dict[str, list[Child]]:
    """Each command (argv, timeout) run ``repeat`` times, one run of each per round.

    Ours and the peers' builds alternate, so a shared machine that slows down or
    speeds up during a run weighs on every program alike: their ratios compare
    runs made minutes apart, not one program's runs with another's made later.
    """
    runs: dict[str, list[Child]] = {key: [] for key in commands}
    for _ in range(repeat):
        for key, (cmd, timeout) in commands.items():
            runs[key].append(run_child(cmd, timeout))
    return runs


@dataclass(frozen=True)
class Peer:
    """A library drawing the same events: its script (a child process) and its ready probe."""

    key: str  # prefix of its figures: explore_s, lonboard_html_mb, ...
    label: str
    script: str
    probe: str  # JavaScript with one %d: the number of features drawn

    def page(self, workdir: Path, size: str) -> Path:
        """Where the peer's script writes its page for a data set."""
        return workdir / f"{self.key}-{size}.html"

    @property
    def ratio(self) -> str:
        """Prefix of its ratios: explore's, the first peer's, stay ratio_build and so on."""
        return "ratio" if self.key == "explore" else f"ratio_{self.key}"


PEERS = [
    Peer("explore", "explore()", "explore_page.py", PROBE_EXPLORE),
    Peer("lonboard", "lonboard", "lonboard_page.py", PROBE_LONBOARD),
]


def parse_peers(text: str) -> list[Peer]:
    """Peers by key, in the order given.

    >>> [p.key for p in parse_peers("lonboard, explore")]
    ['lonboard', 'explore']
    """
    by_key = {p.key: p for p in PEERS}
    keys = [k.strip() for k in text.split(",") if k.strip()]
    unknown = [k for k in keys if k not in by_key]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown peer(s) {', '.join(unknown)}: choose from {', '.join(by_key)}")
    return [by_key[k] for k in keys]


def bench_peer(peer: Peer, size: str, runs: list[Child], workdir: Path, args, browser: Browser | None, result: dict) -> None:
    """The peer's build (its runs: whole processes), page size and drawing, into ``result`` under its key."""
    k = peer.key
    html = peer.page(workdir, size)
    if not all(r.ok for r in runs):
        result[f"{k}_note"] = f"{peer.label} " + _tail(next(r for r in runs if not r.ok))
        return
    inner = [json.loads(r.stdout.strip().splitlines()[-1]) for r in runs]
    result[f"{k}_s"] = median([r.seconds for r in runs])
    result[f"{k}_runs_s"] = [round(r.seconds, 3) for r in runs]
    result[f"{k}_after_imports_s"] = median([i["after_imports_s"] for i in inner])
    result[f"{k}_peak_mb"] = max(r.peak_mb for r in runs)
    result[f"{k}_html_mb"] = html.stat().st_size / MB
    if not browser:
        return
    loads = load_pages(browser, html, peer.probe % inner[0]["features"], args, serve_assets=True)
    result[f"{k}_drawn_ms"] = median([t.drawn_ms for t in loads])
    result[f"{k}_load_event_ms"] = median([t.load_ms for t in loads])
    result[f"{k}_page_loads"] = len(loads)
    if result[f"{k}_drawn_ms"] is None and all(t.timed_out for t in loads):
        # Not drawn in time: the timeout is a lower bound, and so is the ratio.
        result[f"{k}_drawn_at_least_ms"] = args.page_timeout * 1000
    result[f"{k}_page_note"] = loads[0].note
    result[f"{k}_page_errors"] = sorted({e for t in loads for e in t.errors})
    result[f"{k}_requests"] = {"served_locally": loads[0].served, "aborted": loads[0].blocked}


# --- Report ----------------------------------------------------------------


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def paired_ratio(peer: list[float] | None, ours: list[float] | None) -> float | None:
    """The median of each round's peer / ours: the two runs of a round were made
    minutes apart, so the machine's drift over the whole run cancels.

    >>> paired_ratio([30.0, 24.0, 36.0], [10.0, 8.0, 9.0])
    3.0
    """
    if not peer or not ours:
        return None
    return median([p / o for p, o in zip(peer, ours) if o])


def add_ratios(result: dict) -> dict:
    """Each peer's figure over ours: explore's as ratio_build, ratio_html, ratio_drawn; others prefixed."""
    for peer in PEERS:
        prefix, k = peer.ratio, peer.key
        result[f"{prefix}_build"] = ratio(result.get(f"{k}_s"), result.get("build_s"))
        result[f"{prefix}_build_paired"] = paired_ratio(result.get(f"{k}_runs_s"), result.get("build_runs_s"))
        result[f"{prefix}_html"] = ratio(result.get(f"{k}_html_mb"), result.get("html_mb"))
        result[f"{prefix}_drawn"] = ratio(result.get(f"{k}_drawn_ms"), result.get("drawn_ms"))
        if result[f"{prefix}_drawn"] is None and result.get(f"{k}_drawn_at_least_ms"):
            result[f"{prefix}_drawn"] = ratio(result[f"{k}_drawn_at_least_ms"], result.get("drawn_ms"))
            result[f"{prefix}_drawn_at_least"] = True
    return result


# (size, result key, comparison, threshold, label)
TARGETS = [
    ("100000", "ratio_build", ">=", 3, "build ahead of explore() by >= 3x"),
    ("100000", "ratio_build_paired", ">=", 3, "the same, median of each round's ratio"),
    ("100000", "ratio_html", ">=", 3, "map.html smaller than explore()'s by >= 3x"),
    ("100000", "ratio_drawn", ">=", 5, "drawn ahead of explore() by >= 5x"),
    ("100000", "build_s", "<", 3, "build < 3 s"),
    ("100000", "html_mb", "<", 15, "map.html < 15 MB"),
    ("100000", "drawn_ms", "<", 2000, "drawn < 2 s"),
    ("100000", "filter_ms", "<", 200, "year-filter change < 200 ms"),
    ("100000", "build_peak_mb", "<", 1024, "peak memory < 1 GB"),
    ("shipped", "build_s", "<", 2, "whole build < 2 s"),
    ("shipped", "html_mb", "<", 1, "map.html < 1 MB"),
    ("shipped", "self_contained", "==", True, "map.html self-contained"),
    ("shipped", "drawn_ms", "<", 500, "drawn < 500 ms"),
]


def check_targets(results: list[dict]) -> list[tuple[str, str, str, object]]:
    """(size, label, 'PASS' | 'MISS' | 'n/a', value) for every target."""
    by_size = {r["size"]: r for r in results}
    checks = []
    for size, key, op, threshold, label in TARGETS:
        value = by_size.get(size, {}).get(key)
        if value is None:
            verdict = "n/a"
        elif op == ">=":
            verdict = "PASS" if value >= threshold else "MISS"
        elif op == "<":
            verdict = "PASS" if value < threshold else "MISS"
        else:
            verdict = "PASS" if value == threshold else "MISS"
        checks.append((size, label, verdict, value))
    return checks


def fmt(value, unit: str = "", digits: int = 2) -> str:
    """A figure for the table, or '-' when not measured.

    >>> fmt(1.23456, " s"), fmt(None), fmt(3.0, "x", 1), fmt(True)
    ('1.23 s', '-', '3.0x', 'yes')
    """
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"{value:.{digits}f}{unit}"


COLUMNS = [
    ("records", "events", 0, ""),
    ("build (s)", "build_s", 2, ""),
    ("full build (s)", "full_build_s", 2, ""),
    ("peak (MB)", "build_peak_mb", 0, ""),
    ("map.html (MB)", "html_mb", 2, ""),
    ("drawn (ms)", "drawn_ms", 0, ""),
    ("ready (ms)", "ready_ms", 0, ""),
    ("load event (ms)", "load_event_ms", 0, ""),
    ("filter (ms)", "filter_ms", 1, ""),
    ("table (ms)", "table_ms", 1, ""),
    ("table script (ms)", "table_script_ms", 1, ""),
    ("filter, records open (ms)", "filter_table_ms", 1, ""),
    ("explore (s)", "explore_s", 2, ""),
    ("explore after imports (s)", "explore_after_imports_s", 2, ""),
    ("explore peak (MB)", "explore_peak_mb", 0, ""),
    ("explore html (MB)", "explore_html_mb", 2, ""),
    ("explore drawn (ms)", "explore_drawn_ms", 0, ""),
    ("explore load event (ms)", "explore_load_event_ms", 0, ""),
    ("lonboard (s)", "lonboard_s", 2, ""),
    ("lonboard after imports (s)", "lonboard_after_imports_s", 2, ""),
    ("lonboard peak (MB)", "lonboard_peak_mb", 0, ""),
    ("lonboard html (MB)", "lonboard_html_mb", 2, ""),
    ("lonboard drawn (ms)", "lonboard_drawn_ms", 0, ""),
    ("ratio build", "ratio_build", 1, "x"),
    ("ratio build, paired", "ratio_build_paired", 1, "x"),
    ("ratio html", "ratio_html", 1, "x"),
    ("ratio drawn", "ratio_drawn", 1, "x"),
    ("ratio build, lonboard", "ratio_lonboard_build", 1, "x"),
    ("ratio build, lonboard, paired", "ratio_lonboard_build_paired", 1, "x"),
    ("ratio html, lonboard", "ratio_lonboard_html", 1, "x"),
    ("ratio drawn, lonboard", "ratio_lonboard_drawn", 1, "x"),
    ("load avg before", "load_before", 2, ""),
    ("load avg after", "load_after", 2, ""),
]


def markdown_table(results: list[dict]) -> str:
    """Figures as a Markdown table, one column per data set."""
    sizes = [r["size"] for r in results]
    lines = ["| figure | " + " | ".join(sizes) + " |", "|---|" + "---:|" * len(sizes)]
    for label, key, digits, unit in COLUMNS:
        cells = []
        for r in results:
            cell = fmt(r.get(key), unit, digits)
            for peer in PEERS:
                prefix = peer.ratio
                if key == f"{peer.key}_drawn_ms" and r.get(f"{peer.key}_drawn_at_least_ms"):
                    cell = "> " + fmt(r[f"{peer.key}_drawn_at_least_ms"], unit, digits)
                if key == f"{prefix}_drawn" and r.get(f"{prefix}_drawn_at_least"):
                    cell = "> " + cell
            cells.append(cell)
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def report(results: list[dict]) -> str:
    lines = [markdown_table(results), ""]
    for r in results:
        for key in ("note", "error", "page_note"):
            if r.get(key):
                lines.append(f"{r['size']}: {key}: {r[key]}")
        if r.get("page_errors"):
            lines.append(f"{r['size']}: page_errors: {'; '.join(r['page_errors'])}")
        for peer in PEERS:
            k = peer.key
            for key in (f"{k}_note", f"{k}_page_note"):
                if r.get(key):
                    lines.append(f"{r['size']}: {key}: {r[key]}")
            if r.get(f"{k}_page_errors"):
                lines.append(f"{r['size']}: {k}_page_errors: {'; '.join(r[f'{k}_page_errors'])[:400]}")
            if (r.get(f"{k}_drawn_ms") or 0) > SLOW_LOAD_S * 1000 or r.get(f"{k}_drawn_at_least_ms"):
                lines.append(f"{r['size']}: {peer.label} page loaded {r[f'{k}_page_loads']} time(s): loads over {SLOW_LOAD_S} s are not repeated")
            if r.get(f"{k}_requests"):
                lines.append(f"{r['size']}: {peer.label} page requests: {r[f'{k}_requests']}")
    lines += ["", "Targets (reported, not asserted):"]
    for size, label, verdict, value in check_targets(results):
        shown = fmt(value, digits=2) if not isinstance(value, bool) else fmt(value)
        lines.append(f"  {verdict:4}  {size:8} {label}  ({shown})")
    return "\n".join(lines)


# --- Main ------------------------------------------------------------------


def code_version() -> str:
    """The commit measured, and whether geo/, layers/ or build_map.py had local changes."""
    try:
        head = subprocess.run(["git", "log", "-1", "--format=%h %ci"], cwd=ROOT, capture_output=True, text=True, timeout=10)
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "geo", "layers", "build_map.py"],
            cwd=ROOT, capture_output=True, text=True, timeout=10,
        )
    except (OSError, subprocess.TimeoutExpired):
        return "unknown (no git)"
    return head.stdout.strip() + (" + local changes" if dirty.stdout.strip() else "")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=parse_sizes, default=parse_sizes(DEFAULT_SIZES),
                        help=f"comma-separated: shipped, mme, or numbers of records (default {DEFAULT_SIZES})")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement; medians are shown (default 3)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic folders (default 1)")
    parser.add_argument("--workdir", type=Path, default=None, help="where data and pages go (default: a new temp folder)")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here as JSON")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium measurements")
    parser.add_argument("--peers", type=parse_peers, default=PEERS,
                        help="comma-separated peers to compare with: explore, lonboard (default both)")
    parser.add_argument("--explore-max", type=int, default=0,
                        help="skip explore() for synthetic sizes above this many records (default 0: never skip)")
    parser.add_argument("--filter-changes", type=int, default=9, help="year-filter changes timed per page (default 9)")
    parser.add_argument("--build-timeout", type=float, default=300, help="seconds per build (default 300)")
    parser.add_argument("--explore-timeout", type=float, default=600, help="seconds per explore() run (default 600)")
    parser.add_argument("--page-timeout", type=float, default=300, help="seconds per page load (default 300)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    if args.repeat < 1:
        raise SystemExit("--repeat must be at least 1")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="mdm-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"work folder: {workdir}", flush=True)
    print(f"code: {code_version()}", flush=True)

    browser = None
    if not args.no_browser:
        try:
            browser = Browser()
            print(f"Chromium {browser.version}", flush=True)
        except Exception as err:  # noqa: BLE001 - playwright raises several kinds; report and go on
            print(f"no browser measurements: {err}", flush=True)

    results = []
    try:
        for size in args.sizes:
            folder, note = prepare(size, workdir, args.seed, args.build_timeout)
            print(f"\n== {size}: {note}", flush=True)
            if folder is None:
                results.append({"size": size, "note": note})
                continue
            result = bench_size(size, folder, workdir, args, browser)
            result["load_after"] = round(os.getloadavg()[0], 2)
            result["events"] = count_events(folder)
            result["note"] = note
            results.append(add_ratios(result))
            print(json.dumps({k: v for k, v in result.items() if not isinstance(v, list)}, default=str), flush=True)
    finally:
        if browser:
            browser.close()

    print()
    print(report(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
