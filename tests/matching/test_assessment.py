"""Deadlines, 督办 and the monthly assessment (考核), computed from the audit trail (issue 13.7).

The tiny district (:data:`tests.datasets.TINY`): N1 (较急, raised Saturday 2024-06-01 at G1 in
C1) and N2 (一般, raised Sunday 2024-06-02 at C3) are open; N3 and N4 were loaded as done
(no closing date). In the hand-made run N1 is accepted on Monday 2024-06-03, escalated on
Tuesday 06-04 (the whistle calls U1 by default: its cadre K1 reports to C1 in S1), answered by
U1 and closed on Thursday 06-06 with 满意. Worked out by hand:

* N1 due: raised 06-01 + 3 working days = Wed 06-05; once escalated on Tue 06-04, the whistle
  gives 3 working days: Fri 06-07. Closed 06-06 → on time, 2 days from the escalation (U1),
  5 days from being raised (C1).
* N2 due: raised 06-02 + 5 working days = Fri 06-07; open on 2025-03-01 → overdue 267 days.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from orglink import lifecycle
from orglink.assessment import assessment, overdue_needs
from orglink.cli import app, import_commands
from orglink.clock import CHINA_TZ
from orglink.deadlines import add_working_days, deadline, parse_due_days
from orglink.graph.embedded import EmbeddedStore
from orglink.graph.store import Store
from tests.api_support import api_over, load_tiny

import_commands()
POLICY = parse_due_days("urgent=1,pressing=3,normal=5,escalated=3")
TODAY = dt.date(2025, 3, 1)


def at(day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2024, 6, day, hour, 0, tzinfo=CHINA_TZ)


def test_working_days_skip_the_weekend() -> None:
    assert add_working_days(dt.date(2024, 6, 1), 3) == dt.date(2024, 6, 5)  # Sat + 3 → Wed
    assert add_working_days(dt.date(2024, 6, 7), 1) == dt.date(2024, 6, 10)  # Fri + 1 → Mon
    assert add_working_days(dt.date(2024, 6, 3), 0) == dt.date(2024, 6, 3)


@pytest.mark.parametrize("text, message", [("urgent=0", "正整数"), ("soon=2", "未知的项"), ("urgent", "正整数")])
def test_bad_deadline_settings_are_refused_in_chinese(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_due_days(text)


def test_deadline_follows_urgency_then_the_whistle() -> None:
    row = {"urgency": "pressing", "status": "accepted", "raised_on": "2024-06-01", "history": "[]"}
    d = deadline(row, POLICY)
    assert d.due_on == dt.date(2024, 6, 5) and d.overdue(dt.date(2024, 6, 6)) and not d.overdue(dt.date(2024, 6, 5))
    row["history"] = '[{"action":"escalate","at":"2024-06-04T09:00:00+08:00"}]'
    assert deadline(row, POLICY).due_on == dt.date(2024, 6, 7)


@pytest.fixture
def run(store: Store, tmp_path: Path) -> Store:
    """The hand-made run of the module docstring, on each backend."""
    return hand_run(store, tmp_path)


def hand_run(store: Store, tmp_path: Path) -> Store:
    """Load the tiny district and take N1 through the lifecycle of the module docstring."""
    load_tiny(store, tmp_path)
    lifecycle.accept(store, "N1", by="网格员", now=at(3))
    lifecycle.escalate(store, "N1", by="南街街道", now=at(4))
    lifecycle.answer(store, "N1", "U1", by="区卫健局", now=at(5))
    lifecycle.complete(store, "N1", "已组织体检", by="春晖社区", evaluation="满意", evaluation_note="及时",
                       now=at(6))
    return store


def test_need_detail_carries_its_deadline_and_evaluation(run: Store) -> None:
    d = lifecycle.need_detail(run, "N1", now=dt.datetime(2025, 3, 1, tzinfo=CHINA_TZ))
    assert (d["due_on"], d["overdue"], d["called"]) == ("2024-06-07", False, ["U1"])
    assert (d["evaluation"], d["evaluation_note"]) == ("satisfied", "及时")
    d2 = lifecycle.need_detail(run, "N2", now=dt.datetime(2025, 3, 1, tzinfo=CHINA_TZ))
    assert (d2["due_on"], d2["overdue"]) == ("2024-06-07", True)


def test_overdue_list(run: Store) -> None:
    rows = overdue_needs(run, today=TODAY, policy=POLICY)
    assert [(r["id"], r["due_on"], r["days_overdue"]) for r in rows] == [("N2", "2024-06-07", 267)]
    assert overdue_needs(run, today=dt.date(2024, 6, 7), policy=POLICY) == []


def test_monthly_assessment(run: Store) -> None:
    result = assessment(run, "2024-06", today=TODAY, policy=POLICY)
    com = {r["id"]: r for r in result["communities"]}
    # C1: N1 (closed on time, 5 days); C3: N2 (open, overdue); C2: N4 loaded as done, no date
    # (N3 has no raised date: in no month's cohort)
    assert (com["C1"]["received"], com["C1"]["closed"], com["C1"]["closed_on_time"], com["C1"]["avg_days"]) == \
        (1, 1, 1, 5.0)
    assert com["C1"]["evaluations"] == {"satisfied": 1, "fair": 0, "unsatisfied": 0}
    assert com["C1"]["satisfaction"] == 1.0
    assert (com["C3"]["received"], com["C3"]["closed"], com["C3"]["open_overdue"]) == (1, 0, 1)
    assert (com["C2"]["received"], com["C2"]["closed"], com["C2"]["closed_dated"], com["C2"]["avg_days"]) == \
        (1, 1, 0, None)
    dep = {r["id"]: r for r in result["departments"]}
    # U1: called and answered N1 (2 days from the escalation)
    assert (dep["U1"]["received"], dep["U1"]["closed"], dep["U1"]["closed_on_time"], dep["U1"]["avg_days"]) == \
        (1, 1, 1, 2.0)
    assert "U3" in dep and dep["U3"]["received"] == 1  # N4 handled by K2 of 区司法局
    assert assessment(run, "2024-07", today=TODAY, policy=POLICY)["communities"] == []
    with pytest.raises(ValueError, match="YYYY-MM"):
        assessment(run, "2024-6")


def test_assessment_cli_writes_the_sheet(tmp_path: Path) -> None:
    """The CLI on the embedded store (the library above runs on both backends)."""
    run = hand_run(EmbeddedStore(tmp_path / "store"), tmp_path)
    out = tmp_path / "考核.xlsx"
    res = CliRunner().invoke(app, ["assessment", "--month", "2024-06", "--out", str(out),
                                   "--store", str(run.path)])
    assert res.exit_code == 0, res.output
    assert "2024-06 月度考核" in res.output and "考核表" in res.output
    ws = openpyxl.load_workbook(out)["考核"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1][:4] == ("类型", "编号", "名称", "受理事项")
    assert ("社区", "C1", "春晖社区", 1, 1, 1, 1, 0, 5.0, 1, 0, 0, 1.0) in rows
    res = CliRunner().invoke(app, ["need", "overdue", "--json", "--store", str(run.path)])
    assert res.exit_code == 0 and '"N2"' in res.output
    res = CliRunner().invoke(app, ["assessment", "--month", "6月", "--store", str(run.path)])
    assert res.exit_code != 0 and "YYYY-MM" in res.output


def test_api_overdue_and_assessment_respect_the_area(run: Store, tmp_path: Path) -> None:
    with api_over(run, tmp_path) as api:  # the API's clock: 2025-03-01
        body = api.get("/needs", params={"overdue": "true"}).json()
        assert [n["id"] for n in body["items"]] == ["N2"] and body["total"] == 1
        assert api.get("/needs", "community_c1", params={"overdue": "true"}).json()["items"] == []
        r = api.get("/assessment", params={"month": "2024-06"})
        assert r.status_code == 200
        assert {c["id"] for c in r.json()["communities"]} == {"C1", "C2", "C3"}
        r = api.get("/assessment", "community_c1", params={"month": "2024-06"}).json()
        assert [c["id"] for c in r["communities"]] == ["C1"] and r["departments"] == []
        r = api.get("/assessment", "department_u1", params={"month": "2024-06"}).json()
        assert [d["id"] for d in r["departments"]] == ["U1"]
        assert api.get("/assessment", params={"month": "2024-13"}).status_code == 422


def test_huinong_assessment_counts_the_lists(huinong_store: Store) -> None:
    """On the bundled data: per community, the needs raised in 2024-06 and those of them done,
    counted from needs.csv directly (not through the loader)."""
    import csv
    from collections import Counter

    from orglink.data import HUINONG

    def rows(name: str) -> list[dict[str, str]]:
        with (HUINONG / f"{name}.csv").open(encoding="utf-8-sig", newline="") as fh:
            return list(csv.DictReader(fh))

    community = {c[k]: c["编号"] for c in rows("communities") for k in ("编号", "名称")}
    grid_community = {g[k]: community[g["所属社区"]] for g in rows("grids") for k in ("编号", "名称")}
    june = [n for n in rows("needs") if n["提出日期"].startswith("2024-06")]
    assert june, "the bundled needs should include June 2024"
    where = {n["编号"]: grid_community.get(n["提出网格或社区"]) or community[n["提出网格或社区"]] for n in june}
    received = Counter(where.values())
    closed = Counter(where[n["编号"]] for n in june if n["状态"] in ("已办结", "done", "办结"))
    result = assessment(huinong_store, "2024-06", today=TODAY, policy=POLICY)
    got = {r["id"]: (r["received"], r["closed"]) for r in result["communities"]}
    assert got == {c: (received[c], closed[c]) for c in received}
    # loaded as 已办结 without an audit trail: closed, but never "on time" (no closing date)
    assert all(r["closed_on_time"] == r["closed_dated"] == 0 for r in result["communities"])
    assert sum(r["received"] for r in result["departments"]) > 0  # the matters their cadres handled
    # every open need loaded in 2024 is past its deadline on 2025-03-01
    overdue = overdue_needs(huinong_store, today=TODAY, policy=POLICY)
    open_2024 = {n["编号"] for n in rows("needs") if n["状态"] in ("待接单", "已接单", "已吹哨")
                 and n["提出日期"] and n["提出日期"] < "2025-02-20"}
    assert open_2024 <= {r["id"] for r in overdue}
