"""Data commands: ``validate``, ``load``, ``stats``."""

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
from orglink.loaders.build import load_stamp, validate_dataset
from orglink.loaders.diff import diff_dataset
from orglink.stats import graph_stats

DirArg = Annotated[Path, typer.Argument(help="Dataset directory (default: bundled Huinong data).")]


def _print_notes(notes: list[str]) -> None:
    for note in notes:
        err.print(f"提示：{escape(note)}", highlight=False, soft_wrap=True)


@app.command()
@handle_errors
def validate(directory: DirArg = HUINONG) -> None:
    """Check a dataset directory without writing anything."""
    built = validate_dataset(directory)
    _print_notes(built.notes)
    rows = "，".join(f"{k} {v} 行" for k, v in built.rows.items())
    console.print(f"[green]校验通过[/green]：{escape(str(directory))}（{rows}）；"
                  f"{len(built.batch.nodes)} 个节点，{len(built.batch.rels)} 条关系。", soft_wrap=True)


DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="Show what the load would change; write nothing.")]


@app.command()
@handle_errors
def load(directory: DirArg = HUINONG, store: StoreOpt = None, backend: BackendOpt = None,
         dry_run: DryRunOpt = False) -> None:
    """Validate a dataset and load it into the store (all or nothing): rows added or changed,
    rows gone from the lists retired, lifecycle work kept; prints what changed."""
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
    """Show what loading a dataset would change (same as ``load --dry-run``)."""
    load(directory, store, backend, dry_run=True)


@app.command()
@handle_errors
def stats(store: StoreOpt = None, backend: BackendOpt = None,
          as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Node counts per label and relationship counts per type (plus the document's figures)."""
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
