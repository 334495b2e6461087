"""Matching commands: ``match`` (nearest units for one need) and ``plan`` (all open needs)."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table as RichTable

from orglink.cli.common import BackendOpt, StoreOpt, app, console, err, handle_errors, opened
from orglink.graph.model import SCOPES
from orglink.matching.nearest import match_need, path_text
from orglink.matching.plan import run_plan

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@app.command()
@handle_errors
def match(
    need_id: Annotated[str, typer.Argument(help="Need id (治理需求清单 编号).")],
    top: Annotated[int, typer.Option("--top", min=1, help="How many units to list.")] = 5,
    as_json: JsonOpt = False,
    store: StoreOpt = None,
    backend: BackendOpt = None,
) -> None:
    """Nearest units that can meet one need, each with the path that links them."""
    with opened(store, backend) as s:
        m = match_need(s, need_id, top=top)
    if as_json:
        print(json.dumps([c.model_dump() for c in m.candidates], ensure_ascii=False, indent=2))
        if not m.candidates:
            err.print(f"{m.need_id}：{m.reason}（{m.reason_code}）", highlight=False, soft_wrap=True)
        return
    place = f"{m.location_name or m.location_id}（{'网格' if m.location_label == 'Grid' else '社区'}）"
    console.print(f"需求 [bold]{m.need_id}[/bold] {m.title or ''}：{m.category}，数量 {m.quantity}，"
                  f"提出于 {place}，范围 {SCOPES.get(m.scope, m.scope)}", highlight=False, soft_wrap=True)
    if not m.candidates:
        console.print(f"[yellow]没有可用单位[/yellow]：{m.reason}", highlight=False, soft_wrap=True)
        return
    t = RichTable(title=f"最近的 {len(m.candidates)} 个单位")
    t.add_column("序号", justify="right")
    t.add_column("单位")
    t.add_column("资源")
    t.add_column("剩余", justify="right")
    t.add_column("跳数", justify="right")
    t.add_column("距离(公里)", justify="right")
    for i, c in enumerate(m.candidates, start=1):
        t.add_row(str(i), c.unit_name, c.resource_title, str(c.remaining), str(c.hops),
                  "" if c.distance_km is None else f"{c.distance_km:.2f}")
    console.print(t)
    console.print("路径：", highlight=False)
    for i, c in enumerate(m.candidates, start=1):
        console.print(f"{i:>3}. {path_text(c.path)}", markup=False, highlight=False, soft_wrap=True)


@app.command()
@handle_errors
def plan(
    as_json: JsonOpt = False,
    no_write: Annotated[bool, typer.Option("--no-write", help="Do not store the plan (MATCHED_TO).")] = False,
    store: StoreOpt = None,
    backend: BackendOpt = None,
) -> None:
    """Pair all open needs with resources at once (min-cost flow) and list what stays unmet."""
    with opened(store, backend) as s:
        result = run_plan(s, write=not no_write)
    if as_json:
        print(json.dumps(result.model_dump(), ensure_ascii=False, indent=2))
        return
    needs = {a.need_id for a in result.assignments} | {u.need_id for u in result.unmet}
    met_q = sum(a.quantity for a in result.assignments)
    unmet_q = sum(u.quantity for u in result.unmet)
    fully = len({a.need_id for a in result.assignments} - {u.need_id for u in result.unmet})
    if result.assignments:
        t = RichTable(title="配对明细")
        for col, just in (("需求", "left"), ("需求名称", "left"), ("类别", "left"), ("单位", "left"),
                          ("资源", "left"), ("数量", "right"), ("跳数", "right")):
            t.add_column(col, justify=just)  # type: ignore[arg-type]
        for a in result.assignments:
            t.add_row(a.need_id, a.need_title or "", a.category or "", a.unit_name or a.unit_id,
                      a.resource_title or a.resource_id, str(a.quantity), str(a.hops))
        console.print(t)
    if result.unmet:
        t = RichTable(title="未满足需求")
        for col in ("需求", "需求名称", "类别", "未满足数量", "原因"):
            t.add_column(col)
        for u in result.unmet:
            t.add_row(u.need_id, u.need_title or "", u.category or "", str(u.quantity), u.reason)
        console.print(t)
    written = "未写入" if no_write else "已写入存储"
    console.print(f"方案 [bold]{result.plan_id}[/bold]（{written}）：待配对需求 {len(needs)} 项，"
                  f"全部满足 {fully} 项；配对数量 {met_q}，未满足数量 {unmet_q}。",
                  highlight=False, soft_wrap=True)
    if not needs:
        err.print("没有待配对的需求（状态为待接单或已接单）。")

