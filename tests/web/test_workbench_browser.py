"""The workbench page in real headless Chromium (Debian's, driven by playwright-core from npm).

One run of ``tools/web-test/workbench.mjs`` against ``orglink``'s API served by uvicorn over
the bundled Huinong data (embedded store, a copy per run) does what a planner does: logs in,
filters needs, opens one and sees its path picture, accepts and dispatches it, searches a unit,
looks at the map, runs a what-if, and, with a street token, downloads its street's report; then
opens /docs and /redoc. Every request to another host is refused and recorded. Screenshots go
to :data:`SHOTS` (``build/screenshots/workbench/``, ignored by git). The tests below compare
what the page showed with what the API answers for the same state.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook

from orglink import queries
from orglink.auth import TokenFile
from orglink.graph.backends import open_store
from orglink.matching.nearest import match_need
from orglink.matching.plan import run_plan
from orglink.settings import Settings
from tests.browser_support import DRIVER, ROOT, chromium_path, web_test_node

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]

SHOTS = ROOT / "build" / "screenshots" / "workbench"
"""Where the run's screenshots are written (one PNG per view; looked at by a person)."""
STREET = "S09"
UNIT_WORD = "医院"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pick_need(store: Any) -> dict[str, Any]:
    """An open (待接单) need of :data:`STREET` that has fitting units nearby."""
    [page] = queries.list_needs(store, status="ordered", community=None, category=None, street_ids=[STREET],
                                community_ids=None, escalated_only=False, skip=0, limit=1000)
    for item in page["items"]:
        m = match_need(store, item["id"], top=5)
        if m.candidates:
            return {"id": item["id"], "title": item["title"], "street": STREET,
                    "word": item["title"][:2], "path": [s.model_dump() for s in m.candidates[0].path]}
    raise AssertionError(f"no ordered need with candidates in {STREET}")


def _busiest_unit(store: Any) -> str:
    plan = run_plan(store, write=False)
    load: dict[str, int] = {}
    units = {r["resource_id"]: r["unit_id"] for r in queries.resource_supply(store)}
    for a in plan.assignments:
        load[units[a.resource_id]] = load.get(units[a.resource_id], 0) + a.quantity
    return max(sorted(load), key=lambda u: load[u])


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Serve the workbench over a fresh Huinong store, drive it once, hand over what it showed."""
    chromium = chromium_path()
    node = web_test_node()
    tmp = tmp_path_factory.mktemp("workbench")
    store_dir = tmp / "store"
    env = {**os.environ, "ORGLINK_BACKEND": "embedded", "ORGLINK_STORE": str(store_dir),
           "ORGLINK_TOKENS": str(tmp / "tokens.json")}
    load = subprocess.run([sys.executable, "-c", "from orglink.cli import main; main()", "load"],
                          env=env, capture_output=True, text=True, timeout=600, check=False)
    assert load.returncode == 0, load.stdout + load.stderr
    store = open_store(Settings(backend="embedded", store=store_dir))
    try:
        need = _pick_need(store)
        withdraw = [_busiest_unit(store)]
        communities = {r["id"]: r["name"] for r in queries.list_communities(store, street=STREET, community=None)}
    finally:
        store.close()
    tokens = TokenFile(tmp / "tokens.json")
    district, _ = tokens.create("district", name="区委组织部测试")
    street, _ = tokens.create("street", f"street:{STREET}", name="庙台街道测试")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "orglink.api.app:app_from_env",
                               "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/api/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the API server did not start: {server.stdout.read() if server.stdout else ''}")
            time.sleep(0.2)
        api = httpx.Client(base_url=f"{base}/api/v1", headers={"Authorization": f"Bearer {district}"}, timeout=60)
        before = api.get("/needs", params={"street": STREET, "status": "ordered", "q": need["word"],
                                           "page_size": 50}).json()
        SHOTS.mkdir(parents=True, exist_ok=True)
        for old in SHOTS.glob("*.png"):
            old.unlink()
        downloads = tmp / "downloads"
        downloads.mkdir()
        config = {"base": base, "chromium": chromium, "shots": str(SHOTS), "downloads": str(downloads),
                  "district": district, "street": street, "need": need, "withdraw": withdraw,
                  "unitWord": UNIT_WORD}
        (tmp / "config.json").write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")
        proc = subprocess.run([node, str(DRIVER), str(tmp / "config.json"), str(tmp / "result.json")],
                              cwd=DRIVER.parent, capture_output=True, text=True, timeout=600, check=False)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        shown = json.loads((tmp / "result.json").read_text(encoding="utf-8"))
        assert "failure" not in shown, shown["failure"]
        after = {
            "need": api.get(f"/needs/{need['id']}").json(),
            "whatif": api.post("/whatif", json={"withdraw": withdraw}).json(),
            "units": api.get("/units", params={"q": UNIT_WORD}).json(),
            "grids": api.get("/grids").json(),
            "street_overview": httpx.get(f"{base}/api/v1/overview", headers={"Authorization": f"Bearer {street}"},
                                         timeout=60).json(),
        }
        yield {"shown": shown, "need": need, "before": before, "after": after, "withdraw": withdraw,
               "communities": communities}
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def test_the_page_asks_no_outside_host_and_runs_without_script_errors(run: dict[str, Any]) -> None:
    shown = run["shown"]
    assert shown["external"] == []
    assert shown["pageErrors"] == []
    # the console may show two errors: the refused login (401) of the wrong token, and the
    # docs' policy refusing the logo ReDoc's bundle asks cdn.redoc.ly for (never fetched)
    allowed = ("401", "'https://cdn.redoc.ly/redoc/logo-mini.svg' violates the following Content Security Policy")
    assert [e for e in shown["consoleErrors"] if not any(a in e for a in allowed)] == []


def test_login_keeps_the_token_in_the_session_not_in_the_url(run: dict[str, Any]) -> None:
    shown = run["shown"]
    assert "令牌无效" in shown["badLogin"]
    assert shown["tokenInUrl"] is False
    assert shown["tokenInStorage"] is True
    assert shown["tokenInLocalStorage"] == 0
    assert "区级令牌" in shown["who"]


def test_filtering_needs_shows_what_the_api_lists(run: dict[str, Any]) -> None:
    shown, before = run["shown"], run["before"]
    assert shown["filteredNeeds"] == [i["id"] for i in before["items"]]
    assert run["need"]["id"] in shown["filteredNeeds"]
    assert f"{before['total']} 项" in shown["needCount"]


def test_the_need_page_draws_the_path_of_the_nearest_unit(run: dict[str, Any]) -> None:
    shown, path = run["shown"], run["need"]["path"]
    assert shown["pathBoxes"] == len(path)
    names = [s["name"] for s in path]
    assert all(n in shown["pathTexts"] for n in names)
    assert "*" in "".join(s["name"] for s in path if s["label"] == "Cadre") or all(
        s["label"] != "Cadre" for s in path)  # a cadre's name is shown masked
    assert shown["matchRows"] >= 1
    assert "接单" in shown["actionsBefore"]


def test_accept_and_dispatch_from_the_page_change_the_need(run: dict[str, Any]) -> None:
    shown, need = run["shown"], run["after"]["need"]
    assert need["status"] == "dispatched"
    assert [d["resource_id"] for d in need["dispatches"]] == [shown["dispatchChoice"]]
    assert [h["action"] for h in need["history"]] == ["accept", "dispatch"]
    assert all("区委组织部测试" in h["by"] for h in need["history"])
    assert "办结" in shown["actionsAfter"] and "接单" not in shown["actionsAfter"]


def test_unit_search_and_map_show_the_data(run: dict[str, Any]) -> None:
    shown, after = run["shown"], run["after"]
    assert shown["units"] == [u["id"] for u in after["units"]]
    assert int(shown["mapData"]["grids"]) == sum(1 for g in after["grids"] if g["lat"] is not None)
    assert shown["mapShapes"] >= int(shown["mapData"]["grids"]) + len(shown["units"])


def test_the_what_if_shows_the_needs_a_withdrawal_leaves_unmet(run: dict[str, Any]) -> None:
    shown, w = run["shown"], run["after"]["whatif"]
    expected = [u["need_id"] for u in w["newly_unmet"]]
    assert expected, f"withdrawing {run['withdraw']} should leave needs unmet"
    assert shown["newlyUnmet"] == expected


def test_a_street_token_sees_its_area_and_downloads_its_street_report(run: dict[str, Any]) -> None:
    shown, names = run["shown"], run["communities"]
    assert "whatif" not in shown["streetTabs"] and "reports" in shown["streetTabs"]
    assert sorted(shown["streetPlaces"]) == sorted(r["name"] for r in run["after"]["street_overview"]["plan"]["by_place"])
    assert set(shown["streetPlaces"]) <= set(names.values())
    assert all(a == f"street:{STREET}" or a.removeprefix("community:") in names for a in shown["streetAreas"])
    assert shown["reportError"] == ""
    assert shown["downloadName"].endswith(".xlsx") and STREET in shown["downloadName"]
    wb = load_workbook(shown["downloadPath"], read_only=True)
    detail = [list(r) for r in wb["配对明细"].iter_rows(values_only=True)]
    header_at = next(i for i, r in enumerate(detail) if "社区" in r)
    col = detail[header_at].index("社区")
    shown_communities = {r[col] for r in detail[header_at + 1:] if r[col]}
    assert shown_communities and shown_communities <= set(names.values())


def test_the_api_docs_render_offline(run: dict[str, Any]) -> None:
    shown = run["shown"]
    assert "orglink API" in shown["docsTitle"]
    assert "orglink API" in shown["redocHeading"]


def test_every_view_left_a_screenshot(run: dict[str, Any]) -> None:
    shots = [Path(p) for p in run["shown"]["shots"]]
    assert len(shots) == 13
    assert all(p.parent == SHOTS and p.stat().st_size > 5000 for p in shots)
