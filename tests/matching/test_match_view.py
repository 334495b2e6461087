"""``orglink match`` as a planner uses it, and the reverse match (``orglink match --unit``).

The tiny district of :data:`tests.datasets.TINY` with a few rows added (:data:`MATCH_TINY`):

* R5 综合健康服务 (医疗健康 ×2, sub-type 通用), a second health resource of U2 区第一医院, so
  U2 offers two resources that fit a health need (per unit: one row; ``--resources``: two);
  R4 of U1 becomes general too (综合健康服务), and every health need asks for check-ups
  (体检, 血压, 血糖: sub-type 健康体检, as R1 义诊), so every health resource fits every
  health need whether or not matching checks sub-types;
* K4, a cadre of U2 reporting to C3 桥东社区 (street S2), so U2 also reaches needs of the other
  street: C3←K4→U2, 2 hops;
* N5 (紧急, at C3), N6 (一般, street scope at G3 in C2) and N8 (较急, at G2 in C1): open health
  needs. N7 is a health need that is done.

CLI tables are read by their cells (:func:`table_rows`), so a narrow terminal folding long
names onto more lines does not matter.

Hops from each place to U2, worked out by hand: G1 2 (G1→C1←U2), G2 2, C3 2 (C3←K4→U2),
G3 3 (G3→C2→S1←U2, U2 being located in S1; street scope). U1 区卫生健康局 (R4, 医疗健康 ×3):
3 hops from G1 and G2 (G→C1←K1→U1, its cadre K1 reports to C1) and from G3 (street scope);
it does not reach C3. So U2 could meet, nearest first: N5 (2 hops, 紧急), N1 (2, 较急),
N8 (2, 较急), N6 (3, 一般); U1: N1 (3, 较急), N8 (3, 较急), N6 (3, 一般).

Library tests run on each backend (``store`` fixture); the CLI tests too, through the CLI's own
``--store`` / ``--backend neo4j`` options.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from orglink import lifecycle, queries
from orglink.cli import app as cli_app
from orglink.cli import import_commands
from orglink.clock import CHINA_TZ
from orglink.graph.embedded import EmbeddedStore
from orglink.graph.store import NotFound, Store
from orglink.matching.nearest import match_need, nearest_units
from orglink.matching.reverse import needs_for_unit
from tests.api_support import load_tiny
from tests.datasets import TINY, Rows


def _need(nid: str, title: str, at: str, urgency: str, status: str, scope: str, report: str = "") -> dict[str, str]:
    return {"id": nid, "title": title, "category": "医疗健康", "quantity": "1", "raised_at": at,
            "urgency": urgency, "raised_on": "2024-06-04", "status": status, "scope": scope,
            "handled_by": "", "report": report}


def match_tables() -> dict[str, Rows]:
    """TINY with the rows of the module docstring added."""
    t = copy.deepcopy(TINY)
    t["resources"].append({"id": "R5", "unit": "U2", "title": "综合健康服务", "category": "医疗健康",
                           "capacity": "2", "measure": "次", "keywords": "综合"})
    r4 = next(r for r in t["resources"] if r["id"] == "R4")
    r4.update(title="综合健康服务", keywords="综合")
    t["cadres"].append({"id": "K4", "name": "赵*", "unit": "U2", "community": "C3", "party_member": "是"})
    t["needs"] += [
        _need("N5", "独居老人测血压", "C3", "紧急", "ordered", "community"),
        _need("N6", "社区义诊体检", "G3", "一般", "accepted", "street"),
        _need("N7", "已办结的体检", "G1", "", "done", "community", report="已组织义诊体检"),
        _need("N8", "老人血糖筛查", "G2", "较急", "ordered", "community"),
    ]
    return t


MATCH_TINY = match_tables()
T1 = dt.datetime(2025, 3, 1, 9, 0, tzinfo=CHINA_TZ)
T2 = dt.datetime(2025, 3, 2, 9, 0, tzinfo=CHINA_TZ)


@pytest.fixture
def tiny(store: Store, tmp_path: Path) -> Store:
    """The district of the module docstring, on each backend."""
    return load_tiny(store, tmp_path, MATCH_TINY)


def rows_of(m) -> list[tuple[str, str]]:
    return [(c.unit_id, c.resource_id) for c in m.candidates]


def write_plan(store: Store, plan_id: str, when: dt.datetime, rows: list[tuple[str, str, int]]) -> None:
    """Store a plan by hand: (need, resource, quantity) pairings made at ``when``."""
    queries.write_plan(store, plan_id=plan_id, created_at=when.isoformat(), input_hash="test",
                       needs=len({n for n, _, _ in rows}), met=0, unmet=0, keep=10,
                       rows=[{"need_id": n, "resource_id": r, "rank": 1, "hops": 2, "quantity": q}
                             for n, r, q in rows])


def table_rows(out: str) -> list[list[str]]:
    """The body rows of the CLI table in ``out``, as cells (序号 first); a row folded onto more
    lines is joined back."""
    rows: list[list[str]] = []
    for line in out.splitlines():
        if not line.startswith("│"):
            continue
        cells = [c.strip() for c in line.split("│")[1:-1]]
        if cells[0] or not rows:
            rows.append(cells)
        else:
            rows[-1] = [a + b for a, b in zip(rows[-1], cells, strict=True)]
    return rows


def run_cli(store: Store, *args: str) -> tuple[int, str, str]:
    """``orglink ARGS`` on ``store``'s backend: (exit code, stdout, stderr)."""
    import_commands()
    glob: list[str] = []
    if store.backend == "embedded":
        local = ["--store", str(store.path)]  # type: ignore[attr-defined]
    else:
        s = store.settings  # type: ignore[attr-defined]
        glob = ["--neo4j-uri", s.uri]
        for opt, value in (("--neo4j-username", s.username), ("--neo4j-password", s.password),
                           ("--neo4j-database", s.database)):
            if value:
                glob += [opt, value]
        local = ["--backend", "neo4j"]
    res = CliRunner().invoke(cli_app, [*glob, *args, *local])
    return res.exit_code, res.stdout, res.stderr


# -- per unit or per resource --------------------------------------------------------------------
def test_top_counts_units_unless_resources(tiny: Store) -> None:
    # U2 offers R1 (10 left) and R5 (2 left), both 2 hops from G1; U1 offers R4, 3 hops
    assert [(c.unit_id, c.resource_id, c.hops) for c in nearest_units(tiny, "N1", top=None)] == [
        ("U2", "R1", 2), ("U2", "R5", 2), ("U1", "R4", 3)]
    m = match_need(tiny, "N1")
    assert m.per_unit is True and m.total == 2
    assert rows_of(m) == [("U2", "R1"), ("U1", "R4")]
    m = match_need(tiny, "N1", top=2, per_unit=False)
    assert m.per_unit is False and m.total == 3
    assert rows_of(m) == [("U2", "R1"), ("U2", "R5")]
    assert rows_of(match_need(tiny, "N1", top=1)) == [("U2", "R1")]


def test_cli_top_and_resources(tiny: Store) -> None:
    code, out, _ = run_cli(tiny, "match", "N1", "--top", "2", "--json")
    assert code == 0, out
    data = json.loads(out)
    assert data["per_unit"] is True and data["total"] == 2
    assert [(c["unit_id"], c["resource_id"]) for c in data["candidates"]] == [("U2", "R1"), ("U1", "R4")]
    code, out, _ = run_cli(tiny, "match", "N1", "--top", "2", "--resources", "--json")
    assert code == 0, out
    data = json.loads(out)
    assert data["per_unit"] is False and data["total"] == 3
    assert [(c["unit_id"], c["resource_id"]) for c in data["candidates"]] == [("U2", "R1"), ("U2", "R5")]
    assert data == json.loads(json.dumps(match_need(tiny, "N1", top=2, per_unit=False).model_dump()))


def test_cli_table_shows_the_resource_id(tiny: Store) -> None:
    code, out, _ = run_cli(tiny, "match", "N1")
    assert code == 0, out
    assert "资源编号" in out and "剩余（已扣派单）" in out
    assert [r[1:4] for r in table_rows(out)] == [["区第一医院", "R1", "义诊"], ["区卫生健康局", "R4", "综合健康服务"]]
    assert "R5" not in out  # one row per unit: U2's second resource is left out
    assert "其中已列入方案" not in out  # no plan stored
    code, out, _ = run_cli(tiny, "match", "N1", "--resources")
    assert code == 0, out
    assert [r[2] for r in table_rows(out)] == ["R1", "R5", "R4"]


def test_only_resources_that_fit_the_sub_type(tiny: Store) -> None:
    subtype = {r["resource_id"]: r["subtype"] for r in queries.resource_supply(tiny)}
    assert (subtype["R1"], subtype["R4"], subtype["R5"]) == ("健康体检", "通用", "通用")
    need = lifecycle.create_need(tiny, title="心理咨询", category="医疗健康", community="C1", grid="G1",
                                 by="测试", now=T1)["id"]  # sub-type 心理疏导: R1 义诊 does not fit
    assert [c.resource_id for c in nearest_units(tiny, need, top=None)] == ["R1", "R5", "R4"]
    assert rows_of(match_need(tiny, need, per_unit=False)) == [("U2", "R5"), ("U1", "R4")]
    assert rows_of(match_need(tiny, need)) == [("U2", "R5"), ("U1", "R4")]  # U2's best fitting one
    r = needs_for_unit(tiny, "U2", top=None)
    assert [(n.need_id, n.resource_id) for n in r.needs if n.need_id == need] == [(need, "R5")]
    assert r.total == 5


# -- done and escalated needs ---------------------------------------------------------------------
def test_a_done_need_says_so_and_lists_no_candidates(tiny: Store) -> None:
    assert nearest_units(tiny, "N7")  # the units are there, the need is done
    m = match_need(tiny, "N7")
    assert m.status == "done" and m.candidates == [] and m.total == 0
    assert m.report == "已组织义诊体检" and m.reason_code is None
    code, out, err = run_cli(tiny, "match", "N7")
    assert code == 0, out + err
    assert "已办结" in out and "已组织义诊体检" in out
    assert "区第一医院" not in out and "资源编号" not in out and "路径" not in out
    code, out, err = run_cli(tiny, "match", "N7", "--json")
    data = json.loads(out)
    assert (data["status"], data["candidates"], data["report"]) == ("done", [], "已组织义诊体检")


def test_an_escalated_need_shows_the_departments_that_answered(tiny: Store) -> None:
    assert match_need(tiny, "N2").answers == []
    lifecycle.escalate(tiny, "N2", by="测试", now=T1)
    code, out, _ = run_cli(tiny, "match", "N2")
    assert code == 0 and "已吹哨" in out and "尚无部门报到" in out
    lifecycle.answer(tiny, "N2", "U3", by="测试", note="已派律师", now=T2)
    m = match_need(tiny, "N2")
    assert m.status == "escalated"
    assert [(a.unit_id, a.unit_name, a.note) for a in m.answers] == [("U3", "区司法局", "已派律师")]
    assert rows_of(m) == [("U3", "R2")]  # still matched: an escalated need is not done
    code, out, _ = run_cli(tiny, "match", "N2")
    assert code == 0, out
    line = next(x for x in out.splitlines() if "报到部门" in x)
    assert "区司法局" in line and "已派律师" in line
    code, out, _ = run_cli(tiny, "match", "N2", "--json")
    assert json.loads(out)["answers"][0]["unit_id"] == "U3"


# -- remaining and the newest stored plan ---------------------------------------------------------
def test_remaining_after_dispatch_and_planned_in_the_newest_plan(tiny: Store) -> None:
    m = match_need(tiny, "N1", per_unit=False)
    assert m.plan_id is None and {c.planned for c in m.candidates} == {None}
    assert {c.resource_id: c.remaining for c in m.candidates} == {"R1": 10, "R5": 2, "R4": 3}
    lifecycle.dispatch(tiny, "N6", "R1", 1, by="测试", now=T1)  # 派单: 1 of R1's 10
    write_plan(tiny, "p-old", T1, [("N1", "R4", 1)])
    write_plan(tiny, "p-new", T2, [("N1", "R1", 1), ("N5", "R1", 1), ("N8", "R5", 1)])
    m = match_need(tiny, "N1", per_unit=False)
    assert m.plan_id == "p-new"
    got = {c.resource_id: (c.remaining, c.planned) for c in m.candidates}
    assert got == {"R1": (9, 2), "R5": (2, 1), "R4": (3, 0)}  # R4 is only in the older plan
    code, out, _ = run_cli(tiny, "match", "N1", "--resources")
    assert code == 0, out
    assert "其中已列入方案 p-new" in out
    # 序号 单位 资源编号 资源 剩余（已扣派单） 其中已列入方案 p-new 跳数 距离
    assert [(r[2], r[5], r[6]) for r in table_rows(out)] == [("R1", "9", "2"), ("R5", "2", "1"), ("R4", "3", "0")]
    code, out, _ = run_cli(tiny, "match", "N1", "--json")
    data = json.loads(out)
    assert data["plan_id"] == "p-new"
    assert [(c["resource_id"], c["remaining"], c["planned"]) for c in data["candidates"]] == [
        ("R1", 9, 2), ("R4", 3, 0)]


def test_kept_facts_follow_writes_of_another_process(tmp_path: Path) -> None:
    """The embedded store keeps the plan and supply facts between matches until the graph
    changes, also when another process (here: a second store on the same files) writes."""
    mine = load_tiny(EmbeddedStore(tmp_path / "store"), tmp_path, MATCH_TINY)
    assert match_need(mine, "N1").plan_id is None
    other = EmbeddedStore(tmp_path / "store")
    write_plan(other, "p-other", T1, [("N1", "R1", 3)])
    m = match_need(mine, "N1")
    assert (m.plan_id, m.candidates[0].resource_id, m.candidates[0].planned) == ("p-other", "R1", 3)
    write_plan(mine, "p-mine", T2, [("N1", "R1", 1)])
    assert match_need(mine, "N1").candidates[0].planned == 1
    assert needs_for_unit(mine, "U2").plan_id == "p-mine"


# -- the reverse match ----------------------------------------------------------------------------
def test_reverse_match_nearest_then_most_urgent_then_id(tiny: Store) -> None:
    r = needs_for_unit(tiny, "U2")
    assert (r.unit_id, r.unit_name, r.total, r.plan_id) == ("U2", "区第一医院", 4, None)
    assert [(n.need_id, n.hops, n.urgency) for n in r.needs] == [
        ("N5", 2, "urgent"), ("N1", 2, "pressing"), ("N8", 2, "pressing"), ("N6", 3, "normal")]
    assert {n.resource_id for n in r.needs} == {"R1"}  # U2's best resource for each: R1, 10 left
    first = r.needs[0]
    assert (first.need_title, first.remaining, first.community, first.street) == ("独居老人测血压", 10, "C3", "S2")
    assert [s.id for s in first.path] == ["C3", "K4", "U2"]
    assert (r.needs[3].path[0].id, r.needs[3].path[-1].id) == ("G3", "U2")
    assert "N7" not in {n.need_id for n in r.needs}  # done
    assert [n.need_id for n in needs_for_unit(tiny, "U2", top=2).needs] == ["N5", "N1"]
    assert needs_for_unit(tiny, "U2", top=2).total == 4
    assert [(n.need_id, n.resource_id, n.hops, n.urgency) for n in needs_for_unit(tiny, "U1").needs] == [
        ("N1", "R4", 3, "pressing"), ("N8", "R4", 3, "pressing"), ("N6", "R4", 3, "normal")]


def test_reverse_match_follows_the_state(tiny: Store) -> None:
    lifecycle.dispatch(tiny, "N6", "R1", 1, by="测试", now=T1)  # N6 leaves the open needs
    write_plan(tiny, "p1", T1, [("N5", "R1", 1)])
    r = needs_for_unit(tiny, "U2")
    assert [n.need_id for n in r.needs] == ["N5", "N1", "N8"]
    assert r.plan_id == "p1" and (r.needs[0].remaining, r.needs[0].planned) == (9, 1)


def test_reverse_match_of_a_unit_with_none_and_an_unknown_unit(tiny: Store) -> None:
    r = needs_for_unit(tiny, "U4")  # 场地设施: its only need N3 is done
    assert (r.total, r.needs) == (0, [])
    with pytest.raises(NotFound, match="U99"):
        needs_for_unit(tiny, "U99")
    with pytest.raises(ValueError):
        needs_for_unit(tiny, "U2", top=0)


def test_cli_reverse_match(tiny: Store) -> None:
    code, out, _ = run_cli(tiny, "match", "--unit", "U2", "--top", "3")
    assert code == 0, out
    assert "区第一医院" in out and "共 4 项" in out
    ids = [r[1] for r in table_rows(out)]
    assert ids == ["N5", "N1", "N8"]
    assert "桥东社区 ←报到← 赵* →就职于→ 区第一医院" in out
    code, out, _ = run_cli(tiny, "match", "--unit", "U2", "--json")
    data = json.loads(out)
    assert [n["need_id"] for n in data["needs"]] == ["N5", "N1", "N8", "N6"]
    assert data == json.loads(json.dumps(needs_for_unit(tiny, "U2").model_dump()))
    code, out, _ = run_cli(tiny, "match", "--unit", "U4")
    assert code == 0 and "没有可满足的待办需求" in out
    code, out, err = run_cli(tiny, "match", "--unit", "U99")
    assert code == 1 and "单位不存在：U99" in err
    code, out, err = run_cli(tiny, "match")
    assert code == 2 and "NEED_ID" in err
    code, out, err = run_cli(tiny, "match", "N1", "--unit", "U2")
    assert code == 2
