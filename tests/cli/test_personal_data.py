"""Cadres' names are masked everywhere (issue 12: personal data, PIPL 最小必要).

The tiny district's lists are given with full names (张三丰, 李四光, 王五); after loading,
no output may hold a full name or its given name: the store's own file, the graph dumps,
``orglink match`` (table and JSON), ``orglink plan --json``, the report (xlsx opened back and
HTML), the API (cadres, matches, units, needs, reports) and ``orglink browser``. The masked
forms (张**, 李**, 王*) must appear, so the walk really read the cadres.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from orglink import queries
from orglink.cli import app, import_commands
from orglink.graph.embedded import EmbeddedStore
from orglink.graph.personal import mask_name
from tests.api_support import api_over, load_tiny
from tests.datasets import TINY

import_commands()
runner = CliRunner()

FULL = {"K1": "张三丰", "K2": "李四光", "K3": "王五"}
SECRETS = ("张三丰", "三丰", "李四光", "四光", "王五")
MASKED = {"张**", "李**"}


def tables() -> dict:
    """TINY with full names, K1 (张三丰, U1, reports to C1) on N1's paths."""
    t = copy.deepcopy(TINY)
    for row in t["cadres"]:
        row["name"] = FULL[row["id"]]
    return t


def assert_clean(where: str, text: str) -> None:
    for s in SECRETS:
        assert s not in text, (where, s)


def test_mask_name() -> None:
    assert [mask_name(n) for n in ("张三丰", "王五", "欧阳娜娜", "李*", "", None, " 赵 ")] == \
        ["张**", "王*", "欧***", "李*", "*", "*", "赵*"]


def test_no_output_shows_a_full_name(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "store")
    load_tiny(store, tmp_path, tables())
    seen = ""
    # the store itself holds no full name (masked when the lists were loaded)
    for f in sorted(p for p in Path(store.path).rglob("*") if p.is_file()):
        assert_clean(str(f), f.read_bytes().decode("utf-8", "replace"))
    dump = json.dumps([queries.graph_nodes(store), queries.graph_relationships(store)], ensure_ascii=False,
                      default=str)
    assert_clean("graph dump", dump)
    seen += dump
    out = tmp_path / "report"
    commands = [["match", "N1", "--top", "10"], ["match", "N1", "--json", "--resources"],
                ["match", "--unit", "U1"], ["plan", "--json", "--no-write"],
                ["report", "--out", str(out)], ["need", "show", "N1"], ["stats"]]
    for args in commands:
        res = runner.invoke(app, [*args, "--store", str(store.path)])
        assert res.exit_code == 0, (args, res.output)
        assert_clean(" ".join(args), res.output)
        seen += res.output
    res = runner.invoke(app, ["browser"])
    assert res.exit_code == 0 and "张" not in res.output
    for f in out.iterdir():
        if f.suffix == ".xlsx":
            for ws in openpyxl.load_workbook(f):
                for row in ws.iter_rows(values_only=True):
                    text = " ".join(str(v) for v in row if v is not None)
                    assert_clean(f"{f.name}:{ws.title}", text)
                    seen += text
        else:
            text = f.read_text(encoding="utf-8")
            assert_clean(f.name, text)
            seen += text
    with api_over(store, tmp_path) as api:
        for path, params in (("/cadres", {"community": "C1"}), ("/needs/N1/matches", {"top": 10}),
                             ("/needs/N1", {}), ("/units/U1", {}), ("/units/U1/needs", {}),
                             ("/reports/pairing.html", {}), ("/plans", {})):
            r = api.get(path, params=params)
            assert r.status_code == 200, (path, r.text)
            assert_clean(path, r.text)
            seen += r.text
        r = api.get("/reports/pairing.xlsx")
        assert r.status_code == 200
        (tmp_path / "api.xlsx").write_bytes(r.content)
        for ws in openpyxl.load_workbook(tmp_path / "api.xlsx"):
            for row in ws.iter_rows(values_only=True):
                assert_clean("api xlsx", " ".join(str(v) for v in row if v is not None))
    missing = [m for m in sorted(MASKED) if m not in seen]
    assert not missing, f"the masked names should show where the cadres are: {missing}"
    store.close()
