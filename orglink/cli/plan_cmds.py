"""Stored plans: ``plans`` (list them, newest first) and ``plans delete ID``.

Writing a plan (``orglink plan``, ``report``, ``run``, the API) keeps the newest
``ORGLINK_KEEP_PLANS`` plans (default 10) and drops older ones with their MATCHED_TO
relationships; these commands show what is kept and delete one by hand.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table as RichTable

from orglink.cli.common import BackendOpt, StoreOpt, app, console, err, handle_errors, opened, store_config
from orglink.cli.zh_help import ChineseTyper
from orglink.matching.plan import delete_stored_plan, stored_plans

plans_app = ChineseTyper(help="已存配对方案：列出（最新在前），或删除其中一个。",
                        invoke_without_command=True, no_args_is_help=False)
app.add_typer(plans_app, name="plans")

JsonOpt = Annotated[bool, typer.Option("--json", help="以 JSON 输出。")]


def _when(created_at: str | None) -> str:
    """``2025-03-01T09:30:00+08:00`` as ``2025-03-01 09:30:00`` (China time), or a dash."""
    return "—" if not created_at else created_at.replace("T", " ")[:19]


def _count(value: Any) -> str:
    return "—" if value is None else str(value)


@plans_app.callback()
@handle_errors
def plans(ctx: typer.Context, as_json: JsonOpt = False, store: StoreOpt = None,
          backend: BackendOpt = None) -> None:
    """列出已存配对方案（最新在前）：生成时间、需求数、满足、未满足、配对数。"""
    if ctx.invoked_subcommand is not None:  # `plans --store X delete ID`: the options serve it
        ctx.obj = {"store": store, "backend": backend}
        return
    keep = store_config(store, backend).keep_plans
    with opened(store, backend) as s:
        rows = stored_plans(s)
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        err.print("存储中没有已存方案：运行 orglink plan 生成并写入一个。", highlight=False)
        return
    t = RichTable(title="已存方案（最新在前）")
    t.add_column("方案编号")
    t.add_column("生成时间")
    for col in ("需求数", "满足", "未满足", "配对数"):
        t.add_column(col, justify="right")
    for r in rows:
        t.add_row(escape(r["id"]), _when(r["created_at"]), _count(r["needs"]), _count(r["met"]),
                  _count(r["unmet"]), str(r["assignments"]))
    console.print(t)
    console.print(f"共 {len(rows)} 个方案；写入新方案时保留最近 {keep} 个（ORGLINK_KEEP_PLANS）。",
                  highlight=False, soft_wrap=True)


@plans_app.command("delete")
@handle_errors
def delete(
    ctx: typer.Context,
    plan_id: Annotated[str, typer.Argument(metavar="ID", help="方案编号，即 `orglink plans` 列出的编号。")],
    store: StoreOpt = None,
    backend: BackendOpt = None,
) -> None:
    """删除一个已存方案：它的 Plan 节点及其全部 MATCHED_TO 配对关系。"""
    given: dict[str, Any] = ctx.obj or {}
    with opened(store if store is not None else given.get("store"),
                backend if backend is not None else given.get("backend")) as s:
        deleted = delete_stored_plan(s, plan_id)
    console.print(f"已删除方案 [bold]{escape(plan_id)}[/bold]（{deleted} 条配对关系）。", highlight=False,
                  soft_wrap=True)
