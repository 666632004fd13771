"""Leaflet, inlined from the XStatic-Leaflet package, or linked from a CDN on request.

Self-contained is the default: the map must work from an e-mail attachment on a
closed network. ``--cdn`` writes the classic smaller page, pinned to the same
Leaflet version, with Subresource Integrity hashes computed from the very files
we would otherwise inline.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import xstatic.pkg.leaflet as xleaflet

LEAFLET_DIR = Path(xleaflet.BASE_DIR)
LEAFLET_VERSION = xleaflet.VERSION
CDN_BASE = f"https://unpkg.com/leaflet@{LEAFLET_VERSION}/dist"
STATIC = Path(__file__).parent / "static"

_SOURCE_MAP = re.compile(r"\n?//# sourceMappingURL=\S+\s*$")
_CSS_URL = re.compile(r"url\((?:images/)?([\w.-]+\.png)\)")


@dataclass(frozen=True)
class Asset:
    kind: str  # "js" or "css"
    text: str | None  # inline content
    url: str | None = None
    integrity: str | None = None


def _sri(data: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


@cache
def leaflet_js() -> str:
    return _SOURCE_MAP.sub("\n", (LEAFLET_DIR / "leaflet.js").read_text(encoding="utf-8"))


@cache
def leaflet_css() -> str:
    """Leaflet's style sheet with its images as data: URIs (no requests)."""

    def inline(match: re.Match[str]) -> str:
        png = (LEAFLET_DIR / "images" / match.group(1)).read_bytes()
        return "url(data:image/png;base64," + base64.b64encode(png).decode() + ")"

    return _CSS_URL.sub(inline, (LEAFLET_DIR / "leaflet.css").read_text(encoding="utf-8"))


def leaflet_assets(cdn: bool) -> list[Asset]:
    if not cdn:
        return [Asset("css", leaflet_css()), Asset("js", leaflet_js())]
    return [
        Asset("css", None, f"{CDN_BASE}/leaflet.css", _sri((LEAFLET_DIR / "leaflet.css").read_bytes())),
        Asset("js", None, f"{CDN_BASE}/leaflet.js", _sri((LEAFLET_DIR / "leaflet.js").read_bytes())),
    ]


@cache
def static_text(name: str) -> str:
    """One of the page's own files in ``static/`` (a unit's script)."""
    return (STATIC / name).read_text(encoding="utf-8")


@cache
def app_css() -> str:
    return (STATIC / "app.css").read_text(encoding="utf-8")
