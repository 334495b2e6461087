"""督办 and 考核: the overdue list and the monthly assessment of departments and communities,
computed from the audit trail (named queries ``need_timelines`` and ``handled_matters``).

A month's matters are the needs **raised** in it (a cohort): for each community, those raised
there; for each department, those whose whistle called it (CALLED), that it answered (ANSWERED)
or that its cadres handled (HANDLED, 双报到). Per row: matters received, closed (已办结),
closed on time (by the due date of :mod:`orglink.deadlines`; only where the closing date is
known), average working time in days (raised — or escalated, for a department called in — to
closed, where known), still open and overdue today, and the evaluations (满意/基本满意/不满意)
with the share of 满意 + 基本满意 among those evaluated.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from orglink import queries
from orglink.clock import china_now
from orglink.deadlines import Deadline, DuePolicy, deadline, parse_due_days
from orglink.graph.model import EVALUATIONS, NEED_STATUSES, URGENCIES
from orglink.graph.store import Store
from orglink.report.cells import safe_cell
from orglink.settings import load_settings

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def due_policy() -> DuePolicy:
    """The deadlines policy of the settings (``ORGLINK_DUE_DAYS``)."""
    return parse_due_days(load_settings().due_days)


def month_value(text: str) -> str:
    """``2024-06`` checked (ValueError in Chinese otherwise)."""
    if not isinstance(text, str) or not MONTH.match(text.strip()):
        raise ValueError(f"月份应为 YYYY-MM，如 2024-06：{text!r}")
    return text.strip()


def overdue_needs(store: Store, today: dt.date | None = None, policy: DuePolicy | None = None,
                  visible: Any = None) -> list[dict[str, Any]]:
    """The open needs past their due date (督办 list), most days overdue first, then by id.
    ``visible(row)`` (the API's area check on a ``need_timelines`` row) leaves some out."""
    today = today or china_now().date()
    policy = policy or due_policy()
    out = []
    for row in queries.need_timelines(store):
        d = deadline(row, policy)
        if d.overdue(today) and (visible is None or visible(row)):
            out.append({"id": row["id"], "title": row["title"], "category": row["category"],
                        "urgency": row["urgency"], "status": row["status"],
                        "status_zh": NEED_STATUSES.get(row["status"] or "", row["status"]),
                        "raised_on": row["raised_on"], "due_on": d.due_on.isoformat() if d.due_on else None,
                        "days_overdue": d.days_overdue(today), "escalated": bool(row["escalated"]),
                        "called": row["called"], "community": row["community"],
                        "community_name": row["community_name"], "street": row["street"]})
    out.sort(key=lambda r: (-r["days_overdue"], r["id"]))
    return out


@dataclass
class Tally:
    """One department's or community's figures for a month."""

    id: str
    name: str | None
    kind: str  # department | community
    received: int = 0
    closed: int = 0
    closed_on_time: int = 0
    closed_dated: int = 0
    open_overdue: int = 0
    total_days: int = 0
    evaluations: dict[str, int] = field(default_factory=lambda: dict.fromkeys(EVALUATIONS, 0))

    def add(self, d: Deadline, start: dt.date | None, evaluation: str | None, today: dt.date) -> None:
        """Count one matter."""
        self.received += 1
        if d.done:
            self.closed += 1
            if d.on_time is not None:
                self.closed_dated += 1
                self.closed_on_time += int(d.on_time)
            if d.done_on is not None and start is not None:
                self.total_days += max(0, (d.done_on - start).days)
        elif d.overdue(today):
            self.open_overdue += 1
        if evaluation in self.evaluations:
            self.evaluations[evaluation] += 1

    def as_row(self) -> dict[str, Any]:
        """The JSON row (``avg_days`` and ``satisfaction`` None when nothing to average)."""
        evaluated = sum(self.evaluations.values())
        good = self.evaluations["satisfied"] + self.evaluations["fair"]
        return {"id": self.id, "name": self.name, "kind": self.kind, "received": self.received,
                "closed": self.closed, "closed_on_time": self.closed_on_time,
                "closed_dated": self.closed_dated, "open_overdue": self.open_overdue,
                "avg_days": round(self.total_days / self.closed_dated, 1) if self.closed_dated else None,
                "evaluations": dict(self.evaluations),
                "satisfaction": round(good / evaluated, 4) if evaluated else None}


def assessment(store: Store, month: str, today: dt.date | None = None,
               policy: DuePolicy | None = None) -> dict[str, Any]:
    """The monthly assessment (考核) of ``month`` (``YYYY-MM``): ``{month, departments,
    communities}``, each a list of :meth:`Tally.as_row` rows ordered by id (see the module
    docstring for what is counted)."""
    month = month_value(month)
    today = today or china_now().date()
    policy = policy or due_policy()
    timelines, matters = store.read_many([queries.need_timelines.bind(), queries.handled_matters.bind()])
    rows = [r for r in timelines if (r["raised_on"] or "")[:7] == month]
    handled: dict[str, set[str]] = defaultdict(set)
    for h in matters:
        handled[h["need_id"]].add(h["unit_id"])
    names = {u["id"]: u["name"] for u in _departments(store, timelines, matters)}
    communities: dict[str, Tally] = {}
    departments: dict[str, Tally] = {}
    for r in rows:
        d = deadline(r, policy)
        raised = dt.date.fromisoformat(r["raised_on"][:10])
        if r["community"]:
            t = communities.setdefault(r["community"], Tally(r["community"], r["community_name"], "community"))
            t.add(d, raised, r["evaluation"], today)
        units = set(r["called"] or ()) | set(r["answered"] or ()) | handled.get(r["id"], set())
        for u in sorted(units):
            if u not in names:
                continue  # a resident unit's cadre, not a department
            t = departments.setdefault(u, Tally(u, names[u], "department"))
            t.add(d, d.escalated_on or raised, r["evaluation"], today)
    return {"month": month, "today": today.isoformat(), "due_days": dict(policy.days),
            "departments": [departments[k].as_row() for k in sorted(departments)],
            "communities": [communities[k].as_row() for k in sorted(communities)]}


def _departments(store: Store, timelines: list[dict[str, Any]],
                 matters: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The district departments among the units of ``matters`` (``handled_matters`` rows) and
    of the whistles in ``timelines`` (``need_timelines`` rows): those ``unit_brief`` marks as
    departments."""
    ids = sorted({r["unit_id"] for r in matters}
                 | {u for r in timelines for u in (r["called"] or []) + (r["answered"] or [])})
    out = []
    for rows in store.read_many([queries.unit_brief.bind(unit_id=u) for u in ids]):
        if rows and rows[0]["department"]:
            out.append({"id": rows[0]["id"], "name": rows[0]["name"]})
    return out


HEADINGS = ("类型", "编号", "名称", "受理事项", "已办结", "按时办结", "办结有日期", "逾期未办结",
            "平均用时（天）", "满意", "基本满意", "不满意", "满意率")
"""The 考核 sheet's columns."""


def assessment_rows(result: dict[str, Any]) -> list[list[Any]]:
    """The 考核 sheet's rows (departments, then communities)."""
    out = []
    for kind, zh in (("departments", "区直部门"), ("communities", "社区")):
        for r in result[kind]:
            e = r["evaluations"]
            out.append([zh, r["id"], r["name"], r["received"], r["closed"], r["closed_on_time"],
                        r["closed_dated"], r["open_overdue"], r["avg_days"], e["satisfied"], e["fair"],
                        e["unsatisfied"], r["satisfaction"]])
    return out


def write_assessment_xlsx(result: dict[str, Any], path: str | Path) -> Path:
    """Write the 考核 workbook of ``result`` (:func:`assessment`) to ``path``; cells pass
    :func:`orglink.report.cells.safe_cell` (no formula from user text)."""
    from openpyxl import Workbook  # here, not at the top: only this writer needs it
    from openpyxl.styles import Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "考核"
    ws.append([f"{result['month']} 月度考核（截至 {result['today']}；时限按工作日：" +
               "，".join(f"{URGENCIES.get(k, '吹哨' if k == 'escalated' else k)} {v} 天"
                        for k, v in result["due_days"].items()) + "）"])
    ws["A1"].font = Font(bold=True)
    ws.append(list(HEADINGS))
    for cell in ws[2]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="8B1A1A")
    for row in assessment_rows(result):
        ws.append([safe_cell(v) for v in row])
    for i in range(3, ws.max_row + 1):
        ws.cell(row=i, column=len(HEADINGS)).number_format = "0.0%"
    for col, width in zip("ABCDEFGHIJKLM", (10, 10, 28, 10, 8, 10, 10, 10, 12, 6, 9, 7, 8), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A3"
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out
