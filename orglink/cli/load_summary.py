"""The load summary a planner reads: per table rows added / changed (which columns) / retired,
relationships added and removed, and the needs whose listed state differs from the store's.
``orglink load --dry-run`` and ``orglink diff`` print it before writing anything; ``orglink
load`` prints it after writing, with what the load really did."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table as RichTable

from orglink.graph.model import MODEL
from orglink.graph.store import LoadOutcome
from orglink.loaders.diff import Diff, status_zh

EXAMPLES = 5
"""How many ids a line names before it says 等 N 条."""


def _some(ids: list[str]) -> str:
    shown = "、".join(ids[:EXAMPLES])
    return shown + (f" 等 {len(ids)} 条" if len(ids) > EXAMPLES else "")


def _counts(counter: dict[str, int]) -> str:
    return "、".join(f"{MODEL.rel(t).zh} {n}" for t, n in sorted(counter.items()))


def print_summary(console: Console, diff: Diff, outcome: LoadOutcome | None = None) -> None:
    """Print the summary of ``diff``; with the ``outcome`` of the load that was written, the
    retired rows and lifecycle lines are what the load did (the preview's otherwise)."""
    if outcome is not None:
        retired = {id_ for ids in outcome.retired.values() for id_ in ids}
        for ch in diff.tables:
            ch.retired = [i for i in ch.retired if i in retired]
    grid = RichTable(title="各表变化" + ("" if outcome is not None else "（预览，未写入）"))
    for col, justify in (("表", "left"), ("新增", "right"), ("修改", "right"), ("停用", "right"),
                         ("恢复", "right"), ("修改的列（行数）", "left")):
        grid.add_column(col, justify=justify)  # type: ignore[arg-type]
    for ch in diff.tables:
        cols = "、".join(f"{c} {n}" for c, n in ch.columns.most_common())
        grid.add_row(f"{ch.table.zh}（{ch.table.name}）", str(len(ch.added)), str(len(ch.changed)),
                  str(len(ch.retired)), str(len(ch.revived)), escape(cols))
    if diff.tables:
        console.print(grid)
    else:
        console.print("各表内容与库中一致，没有新增、修改或停用的行。")
    for ch in diff.tables:
        if ch.retired:
            console.print(f"停用（清单中已删除，保留在库中、不再参与匹配和报告）{ch.table.zh}：{escape(_some(ch.retired))}",
                          soft_wrap=True, highlight=False)
    if diff.rels_added or diff.rels_removed:
        parts = []
        if diff.rels_added:
            parts.append(f"新增 {sum(diff.rels_added.values())} 条（{_counts(diff.rels_added)}）")
        removed = outcome.unlinked if outcome is not None else diff.rels_removed
        if removed:
            parts.append(f"删除 {sum(removed.values())} 条（{_counts(removed)}）")
        if parts:
            console.print("关系：" + "，".join(parts), soft_wrap=True, highlight=False)
    advanced: list[dict[str, Any]] = outcome.advanced if outcome is not None else diff.advanced
    kept: list[dict[str, Any]] = outcome.kept if outcome is not None else diff.kept
    if advanced:
        verb = "已按清单前进" if outcome is not None else "将按清单前进"
        items = [f"{a['id']} {status_zh(a['from'])}→{status_zh(a['to'])}（{a['where']}）" for a in advanced]
        console.print(f"需求状态{verb}（记为「导入」）{len(advanced)} 条：{escape(_some(items))}",
                      soft_wrap=True, highlight=False)
    if kept:
        items = [f"{k['id']} 库中「{status_zh(k['store'])}」、清单「{status_zh(k['listed'])}」（{k['where']}）"
                 for k in kept]
        console.print(f"[yellow]提醒[/yellow]：清单中的状态落后于库中，保留库中状态 {len(kept)} 条："
                      f"{escape(_some(items))}", soft_wrap=True, highlight=False)
    if outcome is not None and outcome.relabelled:
        console.print(f"类型改变的党组织（保留同一编号，一个节点）：{escape(_some(outcome.relabelled))}",
                      soft_wrap=True, highlight=False)
