"""The main commands give the same JSON on both backends (issue: Neo4j "Done when").

``orglink load`` + ``match --json`` / ``plan --json`` / ``report`` run once with the embedded
store and once with ``--backend neo4j`` against the configured test server; the outputs must be
equal, the paths of tied shortest paths included (both pick the smallest id sequence). The
Neo4j server is the run's own (tests/neo4j_support.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from orglink.cli import app, import_commands
from orglink.data import HUINONG
from tests import neo4j_support

pytestmark = pytest.mark.neo4j

_CLEAN_ENV = {k: None for k in ("NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE",
                                "ORGLINK_BACKEND", "ORGLINK_STORE")}


def _invoke(args: list[str]) -> str:
    res = CliRunner().invoke(app, args, env=_CLEAN_ENV)
    assert res.exit_code == 0, res.output
    return res.stdout


def _sheets(path: Path) -> dict[str, list[tuple]]:
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        # row 1 is the title block: its load and generation times differ between the two runs
        return {ws.title: [tuple(r) for r in ws.iter_rows(min_row=2, values_only=True)] for ws in wb.worksheets}
    finally:
        wb.close()


@pytest.mark.slow
def test_load_match_plan_report_give_the_same_answers_on_both_backends(tmp_path: Path) -> None:
    import_commands()
    neo = neo4j_support.open_test_store()
    try:
        s = neo.settings
        conn = ["--neo4j-uri", s.uri]
        if s.username:
            conn += ["--neo4j-username", s.username]
        if s.password:
            conn += ["--neo4j-password", s.password]
        if s.database:
            conn += ["--neo4j-database", s.database]
        runs = {"embedded": ([], ["--store", str(tmp_path / "store")]),
                "neo4j": (conn, ["--backend", "neo4j"])}
        out: dict[str, dict] = {}
        for name, (glob, local) in runs.items():
            _invoke([*glob, "load", str(HUINONG), *local])
            stats = json.loads(_invoke([*glob, "stats", "--json", *local]))
            plan = json.loads(_invoke([*glob, "plan", "--json", *local]))
            some_needs = sorted({a["need_id"] for a in plan["assignments"]})[:5] + \
                sorted(u["need_id"] for u in plan["unmet"])[:3]
            matches = {n: json.loads(_invoke([*glob, "match", n, "--top", "5", "--json", *local]))
                       for n in some_needs}
            report_dir = tmp_path / f"report-{name}"
            _invoke([*glob, "report", "--out", str(report_dir), *local])
            out[name] = {"stats": stats, "plan": plan, "matches": matches,
                         "xlsx": _sheets(report_dir / "pairing-report.xlsx")}
        emb, n4j = out["embedded"], out["neo4j"]
        assert n4j["stats"] == emb["stats"]
        assert n4j["plan"] == emb["plan"]
        assert emb["plan"]["assignments"] and emb["plan"]["unmet"]
        assert set(n4j["matches"]) == set(emb["matches"])
        for need, rows in emb["matches"].items():
            assert n4j["matches"][need] == rows, need  # paths included: ties break alike
        assert set(n4j["xlsx"]) == set(emb["xlsx"])
        for sheet in emb["xlsx"]:
            assert n4j["xlsx"][sheet] == emb["xlsx"][sheet], sheet
    finally:
        neo.close()
