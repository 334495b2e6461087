"""Need lifecycle commands: ``orglink need order|show|accept|dispatch|escalate|answer|complete``.

The same functions of :mod:`orglink.lifecycle` the HTTP API calls; every change is one atomic
named write with its audit entry (who: ``--by``, default the login name).
"""

from __future__ import annotations

import getpass
import json
from typing import Annotated, Any

import typer
from rich.table import Table as RichTable

from orglink import lifecycle
from orglink.cli.common import BackendOpt, StoreOpt, app, console, handle_errors, opened
from orglink.cli.zh_help import ChineseTyper
from orglink.graph.model import EVALUATIONS, NEED_STATUSES, URGENCIES

need_app = ChineseTyper(help="需求流转：点单、接单、派单、吹哨、报到、办结。", no_args_is_help=True)
app.add_typer(need_app, name="need")

NeedArg = Annotated[str, typer.Argument(help="需求编号。")]
ByOpt = Annotated[str | None, typer.Option("--by", help="办理人（记入流转记录；默认：登录名）。")]
JsonOpt = Annotated[bool, typer.Option("--json", help="以 JSON 输出该需求。")]


def _actor(by: str | None) -> str:
    if by and by.strip():
        return by.strip()
    try:
        return f"{getpass.getuser()}（命令行）"
    except (KeyError, OSError):
        return "命令行"




def _show(detail: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(detail, ensure_ascii=False, indent=2))
        return
    status = detail.get("status")
    console.print(f"需求 [bold]{detail['id']}[/bold] {detail.get('title') or ''}：{detail.get('category')}，"
                  f"数量 {detail.get('quantity')}，状态 {NEED_STATUSES.get(str(status), status)}，"
                  f"提出于 {detail.get('raised_at_name') or detail.get('raised_at')}"
                  f"（{detail.get('community_name') or ''}，{detail.get('street_name') or ''}）",
                  highlight=False, soft_wrap=True)
    for h in detail["history"]:
        frm = NEED_STATUSES.get(h.get("from"), h.get("from") or "—")
        console.print(f"  {h.get('at')}  {h.get('action_zh')}  {frm} → {NEED_STATUSES.get(h.get('to'), h.get('to'))}"
                      f"  {h.get('by')}" + (f"  {h['note']}" if h.get("note") else ""),
                      markup=False, highlight=False, soft_wrap=True)
    if detail.get("due_on"):
        console.print(f"办理时限：{detail['due_on']}" + ("（[red]已逾期[/red]）" if detail.get("overdue") else ""),
                      highlight=False)
    if detail.get("called"):
        console.print("吹哨点名部门：" + "、".join(detail["called"]), highlight=False)
    if detail.get("evaluation"):
        console.print(f"评价：{EVALUATIONS.get(detail['evaluation'], detail['evaluation'])}"
                      + (f"（{detail['evaluation_note']}）" if detail.get("evaluation_note") else ""),
                      markup=False, highlight=False)
    if detail["actions"]:
        console.print("可执行：" + "、".join(lifecycle.TRANSITIONS[a].zh for a in detail["actions"]),
                      highlight=False)


@need_app.command("order")
@handle_errors
def order(
    title: Annotated[str, typer.Option("--title", help="需求名称。")],
    category: Annotated[str, typer.Option("--category", help="类别（中文或英文名）。")],
    community: Annotated[str, typer.Option("--community", help="社区编号。")],
    grid: Annotated[str | None, typer.Option("--grid", help="网格编号（须属于该社区）。")] = None,
    quantity: Annotated[int, typer.Option("--quantity", min=1, help="需求数量。")] = 1,
    urgency: Annotated[str | None, typer.Option("--urgency", help="紧急程度：一般/较急/紧急。")] = None,
    by: ByOpt = None, as_json: JsonOpt = False, store: StoreOpt = None, backend: BackendOpt = None,
) -> None:
    """点单：登记居民提出的需求，编号取当天的下一个 N-YYYYMMDD-####。"""
    with opened(store, backend) as s:
        row = lifecycle.create_need(s, title=title, category=category, community=community, grid=grid,
                                    quantity=quantity, urgency=urgency, by=_actor(by))
        _show(lifecycle.need_detail(s, row["id"]), as_json)


@need_app.command("show")
@handle_errors
def show(need_id: NeedArg, as_json: JsonOpt = False, store: StoreOpt = None, backend: BackendOpt = None) -> None:
    """查看一项需求：流转记录，以及当前状态下可执行的操作。"""
    with opened(store, backend) as s:
        _show(lifecycle.need_detail(s, need_id), as_json)


@need_app.command("accept")
@handle_errors
def accept(need_id: NeedArg, by: ByOpt = None, as_json: JsonOpt = False, store: StoreOpt = None,
           backend: BackendOpt = None) -> None:
    """接单：网格接下待接单的需求。"""
    with opened(store, backend) as s:
        lifecycle.accept(s, need_id, by=_actor(by))
        _show(lifecycle.need_detail(s, need_id), as_json)


@need_app.command("dispatch")
@handle_errors
def dispatch(need_id: NeedArg, resource_id: Annotated[str, typer.Argument(help="资源编号。")],
             quantity: Annotated[int | None, typer.Option(
                 "--quantity", min=1, help="派单数量（默认：需求的数量；不能超过它）。")] = None,
             override_reason: Annotated[str | None, typer.Option(
                 "--override-reason", help="资源在需求范围之外时仍派单，并注明此理由（记入流转记录）。")] = None,
             by: ByOpt = None, as_json: JsonOpt = False, store: StoreOpt = None,
             backend: BackendOpt = None) -> None:
    """派单：把需求派给一项资源。

    资源剩余容量不足、数量超过需求所要，或资源在需求范围之外（未给 --override-reason）时，拒绝派单。
    """
    with opened(store, backend) as s:
        lifecycle.dispatch(s, need_id, resource_id, quantity, by=_actor(by), override=override_reason)
        _show(lifecycle.need_detail(s, need_id), as_json)


@need_app.command("escalate")
@handle_errors
def escalate(need_id: NeedArg, note: Annotated[str | None, typer.Option("--note", help="吹哨说明。")] = None,
             department: Annotated[list[str] | None, typer.Option(
                 "--department",
                 help="点名报到的区直部门（单位编号，可多次给出；默认：本街道报到干部所在、有相符资源的部门）。")] = None,
             by: ByOpt = None, as_json: JsonOpt = False, store: StoreOpt = None,
             backend: BackendOpt = None) -> None:
    """吹哨：把已接单的需求上报街道，点名区直部门报到。"""
    with opened(store, backend) as s:
        lifecycle.escalate(s, need_id, by=_actor(by), note=note, departments=department or None)
        _show(lifecycle.need_detail(s, need_id), as_json)


@need_app.command("answer")
@handle_errors
def answer(need_id: NeedArg, unit_id: Annotated[str, typer.Argument(help="区直部门的单位编号。")],
           note: Annotated[str | None, typer.Option("--note", help="报到说明。")] = None,
           by: ByOpt = None, as_json: JsonOpt = False, store: StoreOpt = None,
           backend: BackendOpt = None) -> None:
    """报到：区直部门响应已吹哨的需求。"""
    with opened(store, backend) as s:
        lifecycle.answer(s, need_id, unit_id, by=_actor(by), note=note)
        _show(lifecycle.need_detail(s, need_id), as_json)


@need_app.command("complete")
@handle_errors
def complete(need_id: NeedArg, report: Annotated[str, typer.Option("--report", help="办结报告（双报告）。")],
             evaluation: Annotated[str | None, typer.Option(
                 "--evaluation", help="社区（或代居民）评价：满意/基本满意/不满意。")] = None,
             evaluation_note: Annotated[str | None, typer.Option("--evaluation-note", help="评价说明。")] = None,
             by: ByOpt = None, as_json: JsonOpt = False, store: StoreOpt = None,
             backend: BackendOpt = None) -> None:
    """办结：填写办结报告（双报告）和社区评价，办结需求。"""
    with opened(store, backend) as s:
        lifecycle.complete(s, need_id, report, by=_actor(by), evaluation=evaluation,
                           evaluation_note=evaluation_note)
        _show(lifecycle.need_detail(s, need_id), as_json)


@need_app.command("overdue")
@handle_errors
def overdue(as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出。")] = False,
            store: StoreOpt = None, backend: BackendOpt = None) -> None:
    """督办：超过办理时限的未办结需求，逾期天数多的在前。"""
    from orglink.assessment import overdue_needs

    with opened(store, backend) as s:
        rows = overdue_needs(s)
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    t = RichTable(title=f"逾期未办结需求（督办）共 {len(rows)} 项")
    for col in ("需求", "名称", "社区", "状态", "紧急", "提出日期", "时限", "逾期（天）"):
        t.add_column(col, overflow="fold")
    for r in rows:
        t.add_row(r["id"], r["title"] or "", r["community_name"] or "", r["status_zh"] or "",
                  URGENCIES.get(r["urgency"] or "", r["urgency"] or ""), r["raised_on"] or "",
                  r["due_on"] or "", str(r["days_overdue"]))
    console.print(t)
