"""Matching commands: ``match`` (nearest units for one need) and ``plan`` (all open needs)."""

from __future__ import annotations

import json
from typing import Annotated, TypeVar

import typer
from rich.table import Table as RichTable

from orglink.cli.common import BackendOpt, StoreOpt, app, console, err, handle_errors, opened
from orglink.graph.model import NEED_STATUSES, SCOPES, URGENCIES
from orglink.matching.nearest import DONE, MatchCandidate, NeedMatch, match_need, path_text
from orglink.matching.plan import run_plan
from orglink.matching.reverse import UnitNeeds, needs_for_unit

T = TypeVar("T")

JsonOpt = Annotated[bool, typer.Option("--json", help="以 JSON 输出。")]
REMAINING = "剩余（已扣派单）"


def _planned_col(plan_id: str | None) -> str:
    return f"其中已列入方案 {plan_id}"


@app.command()
@handle_errors
def match(
    need_id: Annotated[str | None, typer.Argument(help="需求编号（治理需求清单中的编号）。")] = None,
    unit: Annotated[str | None, typer.Option(
        "--unit", help="反向匹配：列出该单位可满足的待办需求，最近的在前。")] = None,
    top: Annotated[int | None, typer.Option(
        "--top", min=1, help="列出多少个单位（用 --resources 时为行数，用 --unit 时为需求数）；"
                             "默认 5，--unit 时默认 10。")] = None,
    resources: Annotated[bool, typer.Option(
        "--resources", help="每个（单位，资源）一行，而不是每个单位一行。")] = False,
    as_json: JsonOpt = False,
    store: StoreOpt = None,
    backend: BackendOpt = None,
) -> None:
    """匹配：能满足一项需求的最近单位，各列其最合适的资源和连接路径。

    用 --unit 时反过来，列出一个单位可满足的待办需求。
    """
    if (need_id is None) == (unit is None):
        err.print("[red]错误：[/red]请给出需求编号 NEED_ID 或 --unit 单位编号（二者取一）", highlight=False)
        raise typer.Exit(2)
    if unit is not None and resources:
        err.print("[red]错误：[/red]--resources 只用于按需求匹配（NEED_ID），不能与 --unit 同用", highlight=False)
        raise typer.Exit(2)
    with opened(store, backend) as s:
        if unit is not None:
            u = needs_for_unit(s, unit, top=top or 10)
        else:
            assert need_id is not None
            m = match_need(s, need_id, top=top or 5, per_unit=not resources)
    if unit is not None:
        if as_json:
            print(json.dumps(u.model_dump(), ensure_ascii=False, indent=2))
        else:
            _print_unit_needs(u)
        return
    if as_json:
        print(json.dumps(m.model_dump(), ensure_ascii=False, indent=2))
        if not m.candidates and m.status != DONE:
            err.print(f"{m.need_id}：{m.reason}（{m.reason_code}）", highlight=False, soft_wrap=True)
        return
    _print_need_match(m)


def _print_need_match(m: NeedMatch) -> None:
    place = f"{m.location_name or m.location_id}（{'网格' if m.location_label == 'Grid' else '社区'}）"
    urgency = f"，{URGENCIES[m.urgency]}" if m.urgency in URGENCIES else ""
    status = NEED_STATUSES.get(m.status or "", m.status or "")
    console.print(f"需求 [bold]{m.need_id}[/bold] {m.title or ''}：{m.category}，数量 {m.quantity}{urgency}，"
                  f"提出于 {place}，范围 {SCOPES.get(m.scope, m.scope)}，状态 {status}",
                  highlight=False, soft_wrap=True)
    if m.status == DONE:
        console.print(f"[green]已办结[/green]，不再匹配可办单位。办结报告：{m.report or '（未填写）'}",
                      highlight=False, soft_wrap=True)
        return
    if m.status == "escalated":
        answered = "、".join(f"{a.unit_name or a.unit_id}（{a.unit_id}"
                            + (f"，{a.at[:16].replace('T', ' ')}" if a.at else "")
                            + (f"，{a.note}" if a.note else "") + "）" for a in m.answers)
        console.print(f"已吹哨（街道吹哨）：{'报到部门 ' + answered if answered else '尚无部门报到'}",
                      highlight=False, soft_wrap=True)
    if not m.candidates:
        console.print(f"[yellow]没有可用单位[/yellow]：{m.reason}", highlight=False, soft_wrap=True)
        return
    if m.per_unit:
        title = f"最近的 {len(m.candidates)} 个单位（共 {m.total} 个；每个单位列其第一项资源，--resources 列出全部）"
    else:
        title = f"最近的 {len(m.candidates)} 项资源（共 {m.total} 项，按单位和资源）"
    t = RichTable(title=title)
    t.add_column("序号", justify="right")
    t.add_column("单位", overflow="fold")
    t.add_column("资源编号", no_wrap=True)
    t.add_column("资源", overflow="fold")
    t.add_column("子类", overflow="fold")
    _capacity_columns(t, m.plan_id)
    t.add_column("跳数", justify="right")
    t.add_column("距离(公里)", justify="right", overflow="fold")
    for i, c in enumerate(m.candidates, start=1):
        t.add_row(str(i), c.unit_name, c.resource_id, c.resource_title,
                  (c.fit.resource_subtype if c.fit else None) or "—", *_capacity_cells(c, m.plan_id),
                  str(c.hops), "" if c.distance_km is None else f"{c.distance_km:.2f}")
    console.print(t)
    _capacity_note(m.plan_id)
    console.print("路径与相符依据：", highlight=False)
    for i, c in enumerate(m.candidates, start=1):
        console.print(f"{i:>3}. {path_text(c.path)}", markup=False, highlight=False, soft_wrap=True)
        if c.fit:
            console.print(f"     相符：{c.fit.basis}", markup=False, highlight=False, soft_wrap=True)


def _capacity_columns(t: RichTable, plan_id: str | None) -> None:
    t.add_column(REMAINING, justify="right", overflow="fold")
    if plan_id:
        t.add_column(_planned_col(plan_id), justify="right", overflow="fold")


def _capacity_cells(c: MatchCandidate, plan_id: str | None) -> list[str]:
    return [str(c.remaining), *([str(c.planned or 0)] if plan_id else [])]


def _capacity_note(plan_id: str | None) -> None:
    note = f"{REMAINING}：资源容量减去已派单数量"
    if plan_id:
        note += f"；{_planned_col(plan_id)}：最新存储方案已把其中多少分配给需求（尚未派单）"
    console.print(note + "。", highlight=False, soft_wrap=True)


def _print_unit_needs(u: UnitNeeds) -> None:
    console.print(f"单位 [bold]{u.unit_id}[/bold] {u.unit_name or ''}：可满足的待办需求（待接单、已接单、已吹哨）"
                  f"共 {u.total} 项", highlight=False, soft_wrap=True)
    if not u.needs:
        console.print("[yellow]没有可满足的待办需求[/yellow]：范围内没有它能提供相符资源的待接单、已接单、已吹哨需求",
                      highlight=False, soft_wrap=True)
        return
    t = RichTable(title=f"最近的 {len(u.needs)} 项需求（按跳数、紧急程度、需求编号）")
    t.add_column("序号", justify="right")
    t.add_column("需求", no_wrap=True)
    t.add_column("需求名称", overflow="fold")
    t.add_column("紧急", overflow="fold")
    t.add_column("数量", justify="right")
    t.add_column("资源编号", no_wrap=True)
    t.add_column("资源", overflow="fold")
    _capacity_columns(t, u.plan_id)
    t.add_column("跳数", justify="right")
    for i, n in enumerate(u.needs, start=1):
        t.add_row(str(i), n.need_id, n.need_title or "", URGENCIES.get(n.urgency or "normal", n.urgency or ""),
                  str(n.quantity), n.resource_id, n.resource_title, *_capacity_cells(n, u.plan_id), str(n.hops))
    console.print(t)
    _capacity_note(u.plan_id)
    console.print("路径：", highlight=False)
    for i, n in enumerate(u.needs, start=1):
        console.print(f"{i:>3}. {path_text(n.path)}", markup=False, highlight=False, soft_wrap=True)


PLAN_ROWS = 500
"""Rows ``orglink plan`` shows per table by default: a whole district fits; a province's tens of
thousands of rows go to ``--json`` and the report, not the terminal."""


def _shown(items: list[T], rows: int) -> list[T]:
    """The first ``rows`` items (all of them when ``rows`` is 0)."""
    return items if rows == 0 else items[:rows]


def _hidden_note(total: int, rows: int) -> None:
    """Say how many rows a table left out, and where to see them."""
    if rows and total > rows:
        console.print(f"……另有 {total - rows} 行未显示（共 {total} 行）；用 --rows 0 显示全部，"
                      "或用 --json、orglink report 取得完整结果。", highlight=False, soft_wrap=True)


@app.command()
@handle_errors
def plan(
    as_json: JsonOpt = False,
    no_write: Annotated[bool, typer.Option("--no-write", help="不把配对方案写入图存储（MATCHED_TO）。")] = False,
    rows: Annotated[int, typer.Option("--rows", min=0,
                                      help="每张表最多显示的行数（0 = 全部）；完整结果见 --json 或 report。")] = PLAN_ROWS,
    store: StoreOpt = None,
    backend: BackendOpt = None,
) -> None:
    """生成配对方案：一次把全部待配对的需求配给资源（最小费用流），并列出未满足的需求。"""
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
        for a in _shown(result.assignments, rows):
            t.add_row(a.need_id, a.need_title or "", a.category or "", a.unit_name or a.unit_id,
                      a.resource_title or a.resource_id, str(a.quantity), str(a.hops))
        console.print(t)
        _hidden_note(len(result.assignments), rows)
    if result.unmet:
        t = RichTable(title="未满足需求")
        for col in ("需求", "需求名称", "类别", "未满足数量", "原因"):
            t.add_column(col)
        for u in _shown(result.unmet, rows):
            t.add_row(u.need_id, u.need_title or "", u.category or "", str(u.quantity), u.reason)
        console.print(t)
        _hidden_note(len(result.unmet), rows)
    written = "未写入" if no_write else "已写入存储"
    console.print(f"方案 [bold]{result.plan_id}[/bold]（{written}）：待配对需求 {len(needs)} 项，"
                  f"全部满足 {fully} 项；配对数量 {met_q}，未满足数量 {unmet_q}。",
                  highlight=False, soft_wrap=True)
    if not needs:
        err.print("没有待配对的需求（状态为待接单或已接单）。")



@app.command("whatif")
@handle_errors
def whatif_cmd(
    withdraw: Annotated[list[str] | None, typer.Option("--withdraw", help="撤出的单位编号（可多次给出）。")] = None,
    capacity: Annotated[list[str] | None, typer.Option("--capacity", help="资源=新的剩余容量，如 R001=0（可多次给出）。")] = None,
    surge: Annotated[list[str] | None, typer.Option("--surge", help="类别=需求倍数，如 养老托幼=2（可多次给出）。")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出。")] = False,
    store: StoreOpt = None, backend: BackendOpt = None,
) -> None:
    """推演：按设想的情形（撤出单位、改变容量、需求激增）配对，不写入，并与现状比较。"""
    from orglink.matching.whatif import Scenario, parse_pairs, what_if

    try:
        scenario = Scenario(withdraw=withdraw or [], capacity=parse_pairs(capacity or [], "容量", int),
                            surge=parse_pairs(surge or [], "需求倍数", float))
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    with opened(store, backend) as s:
        try:
            result = what_if(s, scenario)
        except ValueError as exc:
            err.print(f"[red]推演参数有误[/red]：{exc}", highlight=False)
            raise typer.Exit(1) from None
    if as_json:
        print(result.model_dump_json(indent=2))
        return
    console.print(f"推演结果：新增未满足 {len(result.newly_unmet)} 项，新增满足 {len(result.newly_met)} 项，"
                  f"改由其他资源满足 {len(result.reassigned)} 项（未写入任何数据）", highlight=False)
    t = RichTable(title="各街道需求数量：已配 / 需求（现状 → 推演）")
    for col in ("街道", "现状", "推演"):
        t.add_column(col)
    for r in result.by_street:
        t.add_row(r.key, f"{r.met_before}/{r.asked_before}", f"{r.met_after}/{r.asked_after}")
    console.print(t)
    for u in result.newly_unmet[:20]:
        console.print(f"  新增未满足 {u.need_id}：{u.quantity}（{u.reason or ''}）", markup=False, highlight=False)
