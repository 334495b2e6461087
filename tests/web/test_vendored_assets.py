"""The workbench's vendored Leaflet is byte for byte the npm package pinned in tools/web-test."""

from __future__ import annotations

import json

import pytest

from orglink.api.web import WEB_DIR
from tests.browser_support import WEB_TEST_DIR, web_test_node

pytestmark = pytest.mark.xdist_group("browser")


def test_vendored_leaflet_is_the_pinned_npm_package() -> None:
    web_test_node()  # npm ci in tools/web-test when needed
    package = WEB_TEST_DIR / "node_modules" / "leaflet"
    pinned = json.loads((WEB_TEST_DIR / "package.json").read_text(encoding="utf-8"))["dependencies"]["leaflet"]
    assert json.loads((package / "package.json").read_text(encoding="utf-8"))["version"] == pinned
    vendored = WEB_DIR / "vendor" / "leaflet"
    files = sorted(p.relative_to(vendored) for p in vendored.rglob("*") if p.is_file() and p.name != "LICENSE")
    assert {str(f) for f in files} >= {"leaflet.js", "leaflet.css", "images/marker-icon.png"}
    for f in files:
        assert (vendored / f).read_bytes() == (package / "dist" / f).read_bytes(), f
    assert (vendored / "LICENSE").read_bytes() == (package / "LICENSE").read_bytes()
