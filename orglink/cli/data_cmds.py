"""Data commands: ``validate``, ``load``, ``diff``, ``stats`` (help texts in Chinese, for planners)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table as RichTable

from orglink.cli.common import BackendOpt, StoreOpt, app, console, err, handle_errors, opened, progress_bar
from orglink.cli.load_summary import print_summary
from orglink.data import HUINONG
from orglink.graph.model import MODEL
from orglink.graph.tables import TABLES
from orglink.loaders.build import load_stamp, validate_dataset
from orglink.loaders.diff import diff_dataset
from orglink.stats import graph_stats

DirArg = Annotated[Path, typer.Argument(help="数据集目录（默认：内置的惠农区数据集）。")]


def _print_notes(notes: list[str]) -> None:
    for note in notes:
        err.print(f"提示：{escape(note)}", highlight=False, soft_wrap=True)


@app.command()
@handle_errors
def validate(directory: DirArg = HUINONG) -> None:
    """校验数据集目录中的各清单，不写入任何数据。"""
    built = validate_dataset(directory)
    _print_notes(built.notes)
    zh = {t.name: t.zh for t in TABLES}
    rows = "，".join(f"{zh[k]}（{k}）{v} 行" if k in zh else f"{k} {v} 行" for k, v in built.rows.items())
    console.print(f"[green]校验通过[/green]：{escape(str(directory))}（{rows}）；"
                  f"{len(built.batch.nodes)} 个节点，{len(built.batch.rels)} 条关系。", soft_wrap=True)


DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="只显示导入将带来的变化，不写入任何数据。")]


@app.command()
@handle_errors
def load(directory: DirArg = HUINONG, store: StoreOpt = None, backend: BackendOpt = None,
         dry_run: DryRunOpt = False) -> None:
    """校验数据集并导入图存储（全部写入或全部不写），并列出变化。

    新增或修改清单中的行；清单中已删除的行停用；需求的流转记录（点单、接单、派单等）保留。
    """
    built = validate_dataset(directory)
    _print_notes(built.notes)
    with opened(store, backend) as s:
        diff = diff_dataset(built, s)
        if dry_run:
            console.print(f"导入预览：{escape(str(directory))}（数据集 {escape(diff.dataset)}，{s.backend}），未写入任何数据。",
                          soft_wrap=True, highlight=False)
            print_summary(console, diff)
            return
        with progress_bar("写入图存储") as update:
            stamp = load_stamp(built)
            outcome = s.merge(built.batch, progress=update, stamp=stamp)
        counts = s.counts()
    print_summary(console, diff, outcome)
    n = sum(counts["nodes"].get(k.label, 0) for k in MODEL.nodes)
    r = sum(counts["relationships"].values())
    console.print(f"[green]已载入[/green] {escape(str(directory))}（导入批次 {stamp.id}）：库中共 {n} 个节点，"
                  f"{r} 条关系（{s.backend}）。", soft_wrap=True)


@app.command()
@handle_errors
def diff(directory: DirArg = HUINONG, store: StoreOpt = None, backend: BackendOpt = None) -> None:
    """显示导入数据集将带来的变化，不写入（同 load --dry-run）。"""
    load(directory, store, backend, dry_run=True)


@app.command()
@handle_errors
def stats(store: StoreOpt = None, backend: BackendOpt = None,
          as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出。")] = False) -> None:
    """图存储统计：各类节点数、各类关系数，以及与文件所述数字的核对。"""
    with opened(store, backend) as s:
        data = graph_stats(s)
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    t = RichTable(title="节点")
    t.add_column("标签")
    t.add_column("中文")
    t.add_column("数量", justify="right")
    zh = {n.label: n.zh for n in MODEL.nodes} | {"PartyOrg": "党组织", "Department": "区直部门",
                                                 "ResidentUnit": "驻区单位"}
    for lab, c in data["nodes"].items():
        t.add_row(lab, zh.get(lab, ""), str(c))
    console.print(t)
    t = RichTable(title="关系")
    t.add_column("类型")
    t.add_column("中文")
    t.add_column("数量", justify="right")
    for typ, c in data["relationships"].items():
        t.add_row(typ, MODEL.rel(typ).zh, str(c))
    console.print(t)
    t = RichTable(title="文件数字核对")
    t.add_column("键")
    t.add_column("项目")
    t.add_column("数值", justify="right")
    t.add_column("单位")
    t.add_column("文件所述", justify="right")
    for f in data["figure_table"]:
        t.add_row(f["key"], f["label"], "—" if f["value"] is None else str(f["value"]), f["unit"],
                  f["document"] or "")
    console.print(t)
    if not data["nodes"]:
        err.print("存储为空：先运行 orglink load")
