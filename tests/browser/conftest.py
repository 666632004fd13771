"""Browser test harness: Playwright driving a real Chromium, with the network cut.

Chromium is Debian's (/usr/bin/chromium) where there is one, else the one
Playwright installed. Every request that leaves the machine is aborted and
recorded, so tests also prove the page needs no network. Tests are skipped
only where no Chromium exists, and never under CI=true: there they fail.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from build_map import main as build_main
from mongolmap.geo.load import load_or_raise

ROOT = Path(__file__).resolve().parents[2]
IN_CI = os.environ.get("CI") == "true"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _system_chromium() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="session")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    executable = _system_chromium()
    with playwright_api.sync_playwright() as p:
        try:
            browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        except playwright_api.Error as err:
            if IN_CI:
                raise
            pytest.skip(f"no Chromium to drive here: {err}")
        yield browser
        browser.close()


# axe-core, pinned in tests/browser/axe (make test installs it), and the rules it runs.
AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
AXE_RUN = """async (tags) => {
  const result = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
  return result.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '));
}"""


class PageWatch:
    """What a page did: uncaught errors, and the requests it tried to send off the machine."""

    def __init__(self, page):
        self.page = page
        self.errors: list[str] = []
        self.external: list[tuple[str, str]] = []
        page.on("pageerror", lambda err: self.errors.append(str(err)))

        def route(route):
            url = route.request.url
            if url.startswith(("file:", "data:", "blob:", "about:")):
                route.continue_()
            else:
                self.external.append((route.request.resource_type, url))
                route.abort()

        page.route("**/*", route)

    def open(self, html: Path) -> None:
        self.page.goto(html.as_uri())
        self.page.wait_for_selector("body[data-map-ready='true']", timeout=15_000)

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def axe(self) -> list[str]:
        """axe-core's violations of its WCAG 2.0, 2.1 and 2.2 A and AA rules on the page as it is now."""
        assert AXE.is_file(), "axe-core is missing: run `make test` (npm ci in tests/browser/axe)"
        self.js(AXE.read_text(encoding="utf-8") + "\n;0")
        return self.js(AXE_RUN, AXE_TAGS)


@pytest.fixture
def watch(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 850}, accept_downloads=True)
    page = context.new_page()
    w = PageWatch(page)
    yield w
    context.close()
    assert w.errors == [], f"uncaught errors in the page: {w.errors}"


@pytest.fixture(scope="session")
def shipped_build(tmp_path_factory) -> Path:
    """The shipped data built once for the session: the output folder."""
    out = tmp_path_factory.mktemp("shipped-build")
    assert build_main(["--data", str(ROOT / "data"), "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="session")
def shipped_catalogue():
    from mongolmap.geo.load import DEFAULT_SEEDS

    seeds = DEFAULT_SEEDS if DEFAULT_SEEDS.is_dir() else None
    return load_or_raise(ROOT / "data", seeds)


def read_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))
