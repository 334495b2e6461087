"""Organisation commands (issue 13): ``chain``, ``committee``, ``linkage``, ``stations``,
``nearest-station`` and ``department`` — the document's mechanisms, each with ``--json``."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table as RichTable

from orglink.cli.common import BackendOpt, StoreOpt, app, console, err, handle_errors, opened
from orglink.graph.model import NEED_STATUSES
from orglink.graph.store import Store
from orglink.organisation import (
    UnknownService,
    committee_view,
    community_chain_view,
    department_view,
    linkage_view,
    nearest_station_view,
    stations_view,
)

JsonOpt = Annotated[bool, typer.Option("--json", help="以 JSON 输出。")]
ServiceOpt = Annotated[str | None, typer.Option(
    "--service", help="只列提供该服务的驿站（免费饮水/热饭/手机充电/无线网络/远程教育电视，或其简称）。")]


def _fetch(store: StoreOpt, backend: BackendOpt, what: str, fn: Callable[[Store], Any]) -> Any:
    """Run ``fn`` on the opened store; a missing thing (None) or an unknown service exits 1."""
    with opened(store, backend) as s:
        try:
            data = fn(s)
        except UnknownService as exc:
            err.print(f"[red]输入有误：[/red]{escape(str(exc))}", highlight=False)
            raise typer.Exit(1) from None
    if data is None:
        err.print(f"[red]错误：[/red]{escape(what)}", highlight=False)
        raise typer.Exit(1)
    return data


def _json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _n(v: Any) -> str:
    return "—" if v is None else escape(str(v))


@app.command()
@handle_errors
def chain(community_id: Annotated[str, typer.Argument(help="社区编号。")],
          as_json: JsonOpt = False, store: StoreOpt = None, backend: BackendOpt = None) -> None:
    """组织链：一个社区的区委—区直部门—街道党工委，以及直到党员中心户的五级组织和各级数量。"""
    d = _fetch(store, backend, f"社区不存在：{community_id}",
               lambda s: community_chain_view(s, community_id))
    if as_json:
        _json(d)
        return
    console.print(f"[bold]{escape(d['community_name'] or d['community_id'])}[/bold]（{d['community_id']}，"
                  f"{_n(d['street_name'])}）组织链", highlight=False)
    dc = d["district_committee"]
    if dc:
        console.print(f"区委：{escape(dc['name'] or dc['id'])} —— 区直部门 {dc['departments']} 个 —— 街道党工委",
                      highlight=False)
    t = RichTable(title="五级组织体系")
    t.add_column("层级")
    t.add_column("数量", justify="right")
    t.add_column("组织")
    names = {"街道党工委": [d["working_committee"]] if d["working_committee"] else [],
             "社区党委": [d["committee"]] if d["committee"] else []}
    for o in d["orgs"]:
        names.setdefault("院落党小组" if o["level"] == "党小组" else o["level"], []).append(o)
    for lv in d["levels"]:
        shown = names.get(lv["level"], [])
        text = "、".join(escape(o["name"] or o["id"]) for o in shown[:3]) + ("……" if len(shown) > 3 else "")
        t.add_row(lv["label"], str(lv["count"]), text)
    console.print(t)


@app.command()
@handle_errors
def committee(party_org_id: Annotated[str, typer.Argument(help="党组织编号。")],
              as_json: JsonOpt = False, store: StoreOpt = None, backend: BackendOpt = None) -> None:
    """大工委、联合党委（或任一党组织）的成员单位。"""
    d = _fetch(store, backend, f"党组织不存在：{party_org_id}", lambda s: committee_view(s, party_org_id))
    if as_json:
        _json(d)
        return
    t = RichTable(title=f"{d['name']}（{d['level']}）成员单位 {d['count']} 个")
    for col in ("编号", "单位名称", "单位类型", "区直部门", "驻区单位"):
        t.add_column(col)
    for m in d["members"]:
        t.add_row(m["id"], _n(m["name"]), _n(m["kind"]), "是" if m["department"] else "否",
                  "是" if m["resident"] else "否")
    console.print(t)


@app.command()
@handle_errors
def linkage(community_id: Annotated[str, typer.Argument(help="社区编号。")],
            as_json: JsonOpt = False, store: StoreOpt = None, backend: BackendOpt = None) -> None:
    """四位一体：社区党委及其领导的居委会、业委会和物业公司。"""
    d = _fetch(store, backend, f"社区不存在：{community_id}", lambda s: linkage_view(s, community_id))
    if as_json:
        _json(d)
        return
    t = RichTable(title=f"{d['community_name']} 四位一体（{_n(d['committee_name'])} 领导）")
    for col in ("类型", "编号", "名称", "成员数", "党员数", "党员占比", "党组织领导"):
        t.add_column(col)
    for b in d["bodies"]:
        t.add_row(b["kind"], b["id"], _n(b["name"]), _n(b["members"]), _n(b["party_members"]),
                  "—" if b["share"] is None else f"{b['share']}%", "是" if b["led"] else "否")
    console.print(t)
    if d["owners_committees"]:
        console.print(f"业委会 {d['owners_committees']} 个，党员占比 {_n(d['owners_party_share'])}%", highlight=False)


def _station_table(title: str, rows: list[dict[str, Any]], hops: bool = False) -> RichTable:
    t = RichTable(title=title)
    for col in ("编号", "名称", "类型", "所在社区", *(["距离"] if hops else []), "服务项目", "服务人次"):
        t.add_column(col)
    for r in rows:
        community = r.get("station_community_name") if hops else r.get("community_name")
        t.add_row(r.get("station_id") or r.get("id"), _n(r.get("station_name") or r.get("name")), _n(r["kind"]),
                  _n(community), *([f"{r['distance']}（{r['hops']} 跳）"] if hops else []),
                  escape("、".join(r["services"] or [])), _n(r["served"]))
    return t


@app.command()
@handle_errors
def stations(service: ServiceOpt = None, as_json: JsonOpt = False, store: StoreOpt = None,
             backend: BackendOpt = None) -> None:
    """驿站（暖“新”驿站、司机之家、党群服务中心）及其服务项目和服务人次。"""
    rows = _fetch(store, backend, "", lambda s: stations_view(s, service))
    if as_json:
        _json(rows)
        return
    console.print(_station_table(f"驿站{'（提供' + service + '）' if service else ''} {len(rows)} 个", rows))
    served = [r["served"] for r in rows if r["served"] is not None]
    if served:
        console.print(f"累计服务 {sum(served)} 人次（{len(served)} 个驿站填报）", highlight=False)


@app.command("nearest-station")
@handle_errors
def nearest_station(grid_id: Annotated[str, typer.Argument(help="网格编号。")],
                    service: ServiceOpt = None,
                    top: Annotated[int, typer.Option("--top", min=1, help="列出多少个驿站。")] = 3,
                    as_json: JsonOpt = False, store: StoreOpt = None, backend: BackendOpt = None) -> None:
    """离一个网格最近的驿站，按辖区层级远近（同社区、同街道、全区）。"""
    rows = _fetch(store, backend, "", lambda s: nearest_station_view(s, grid_id, service, top=top))
    if as_json:
        _json(rows)
        return
    if not rows:
        err.print(f"[red]错误：[/red]网格不存在或附近没有符合条件的驿站：{escape(grid_id)}", highlight=False)
        raise typer.Exit(1)
    console.print(_station_table(f"离 {rows[0]['grid_name']}（{grid_id}）最近的驿站", rows, hops=True))


@app.command()
@handle_errors
def department(unit_id: Annotated[str, typer.Argument(help="单位编号，如某个区直部门的编号。")],
               as_json: JsonOpt = False, store: StoreOpt = None, backend: BackendOpt = None) -> None:
    """一个单位的双报到、双报告：按社区列出报到干部（姓名脱敏）、办理的事项及办结报告，以及响应的吹哨。"""
    d = _fetch(store, backend, f"单位不存在：{unit_id}", lambda s: department_view(s, unit_id))
    if as_json:
        _json(d)
        return
    kind = "区直部门" if d["department"] else "单位"
    under = "、".join(c["name"] or c["id"] for c in d["under"])
    console.print(f"[bold]{escape(d['unit_name'] or d['unit_id'])}[/bold]（{d['unit_id']}，{kind}"
                  f"{'，隶属 ' + escape(under) if under else ''}）", highlight=False)
    console.print(f"报到干部 {d['cadre_count']} 名（党员 {d['party_members']} 名），报到社区 {len(d['communities'])} 个，"
                  f"办理事项 {len(d['matters'])} 件，响应吹哨 {len(d['answers'])} 次", highlight=False)
    t = RichTable(title="双报到：按社区")
    for col in ("社区编号", "社区", "报到干部", "办理事项"):
        t.add_column(col)
    for c in d["communities"]:
        t.add_row(c["community_id"], _n(c["community_name"]), str(c["cadres"]), str(c["matters"]))
    console.print(t)
    t = RichTable(title="报到干部（姓名已脱敏）")
    for col in ("编号", "姓名", "党员", "报到社区", "办理事项"):
        t.add_column(col)
    for k in d["cadres"]:
        t.add_row(k["cadre_id"], _n(k["name"]), "是" if k["party_member"] else "否", _n(k["community_name"]),
                  str(k["handled"]))
    console.print(t)
    if d["matters"]:
        t = RichTable(title="办理事项与双报告")
        for col in ("需求编号", "事项", "状态", "社区", "干部", "办结报告"):
            t.add_column(col)
        for m in d["matters"]:
            t.add_row(m["need_id"], _n(m["title"]), NEED_STATUSES.get(m["status"], _n(m["status"])),
                      _n(m["community_name"]), m["cadre_id"], _n(m["report"]))
        console.print(t)
    if d["answers"]:
        t = RichTable(title="吹哨报到（部门响应）")
        for col in ("需求编号", "事项", "状态", "社区", "时间", "说明"):
            t.add_column(col)
        for a in d["answers"]:
            t.add_row(a["need_id"], _n(a["title"]), NEED_STATUSES.get(a["status"], _n(a["status"])),
                      _n(a["community_name"]), _n(a["at"]), _n(a["note"]))
        console.print(t)
