"""Community-worker commands: ``training`` (培训班 and their totals) and ``cycle`` (四点一线)."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table as RichTable

from orglink.cli.common import BackendOpt, StoreOpt, app, console, err, handle_errors, opened
from orglink.training import TrainingInputError, training_kind, trainings, work_cycle

JsonOpt = Annotated[bool, typer.Option("--json", help="以 JSON 输出。")]
YearOpt = Annotated[int | None, typer.Option("--year", min=1900, max=2999, help="只看这一年（如 2024）。")]


def _kind(value: str | None) -> str | None:
    try:
        return training_kind(value)
    except TrainingInputError as exc:
        raise typer.BadParameter(str(exc)) from None


@app.command()
@handle_errors
def training(
    kind: Annotated[str | None, typer.Option(
        "--kind", callback=_kind, help="themed（主题培训）或 exam（考前培训）；默认两者都列。")] = None,
    year: YearOpt = None,
    as_json: JsonOpt = False,
    store: StoreOpt = None,
    backend: BackendOpt = None,
) -> None:
    """社区工作者培训班（主题培训、考前培训）及其主办单位，以及各类的班次和人次。"""
    with opened(store, backend) as s:
        data = trainings(s, kind, year)
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    scope = f"{year} 年" if year is not None else "全部年度"
    t = RichTable(title=f"社区工作者培训（{scope}）")
    for col, justify in (("编号", "left"), ("班次名称", "left"), ("类型", "left"), ("日期", "left"),
                         ("人次", "right"), ("主办单位", "left")):
        t.add_column(col, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for r in data["items"]:
        organiser = f"{r['organiser_name'] or ''}（{r['organiser']}）" if r["organiser"] else "—"
        t.add_row(escape(r["id"]), escape(r["title"] or ""), r["kind_zh"], r["held_on"] or "—",
                  "—" if r["person_times"] is None else f"{r['person_times']:,}", escape(organiser))
    console.print(t)
    totals = RichTable(title="合计")
    totals.add_column("类型")
    totals.add_column("班次", justify="right")
    totals.add_column("人次", justify="right")
    for r in data["totals"]:
        totals.add_row(r["kind_zh"], str(r["classes"]), f"{r['person_times']:,}")
    console.print(totals)
    if not data["items"]:
        err.print("没有符合条件的培训班（清单中没有培训表，或筛选条件下没有）", highlight=False)


def _record_text(records: list[dict[str, Any]], key: str) -> str:
    return "\n".join(escape(str(r.get(key) or "—")) for r in records) or "—"


@app.command()
@handle_errors
def cycle(
    community: Annotated[str, typer.Argument(help="社区编号，如 C001。")],
    year: Annotated[int | None, typer.Option(
        "--year", min=1900, max=2999, help="年度（如 2024）；默认：有记录的最近一年。")] = None,
    as_json: JsonOpt = False,
    store: StoreOpt = None,
    backend: BackendOpt = None,
) -> None:
    """四点一线：一个社区一年的工作环节（年初抓计划—年中抓自查—平时抓指导—年底抓述职）。

    按顺序列出四个环节及其记录，以及缺少的环节。
    """
    with opened(store, backend) as s:
        data = work_cycle(s, community, year)
    if data is None:
        err.print(f"[red]错误：[/red]社区不存在：{escape(community)}", highlight=False)
        raise typer.Exit(1)
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    when = f"{data['year']} 年" if data["year"] is not None else "（没有任何年度的记录）"
    t = RichTable(title=f"{escape(data['community_name'] or '')}（{escape(data['community'])}）{when}四点一线")
    t.add_column("序", justify="right")
    t.add_column("环节")
    t.add_column("状态")
    t.add_column("日期")
    t.add_column("备注", overflow="fold")
    t.add_column("编号", overflow="fold")
    for st in data["stages"]:
        t.add_row(str(st["position"]), st["stage_zh"], "[green]已完成[/green]" if st["done"] else "[red]缺[/red]",
                  _record_text(st["records"], "held_on"), _record_text(st["records"], "note"),
                  _record_text(st["records"], "id"))
    console.print(t)
    if data["missing"]:
        console.print(f"[red]缺少环节[/red]：{'、'.join(data['missing_zh'])}", highlight=False)
    else:
        console.print("[green]四个环节齐全[/green]", highlight=False)
