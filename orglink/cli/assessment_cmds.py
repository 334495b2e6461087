"""``orglink assessment``: the monthly assessment (月度考核) of departments and communities."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table as RichTable

from orglink.assessment import HEADINGS, assessment, assessment_rows, month_value, write_assessment_xlsx
from orglink.cli.common import BackendOpt, StoreOpt, app, console, handle_errors, opened


def _cell(i: int, v: object) -> str:
    if v is None:
        return "—"
    if i == len(HEADINGS) - 1 and isinstance(v, float):  # 满意率
        return f"{v:.1%}"
    return str(v)


@app.command("assessment")
@handle_errors
def assessment_cmd(
    month: Annotated[str, typer.Option("--month", help="考核月份 YYYY-MM（按提出月份统计事项）。")],
    out: Annotated[Path | None, typer.Option("--out", help="另存为 Excel 考核表（.xlsx）。")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出。")] = False,
    store: StoreOpt = None, backend: BackendOpt = None,
) -> None:
    """考核：按区直部门和社区统计受理、办结、按时办结的事项，平均用时和满意率。"""
    try:
        month = month_value(month)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--month") from None
    with opened(store, backend) as s:
        result = assessment(s, month)
    if out is not None:
        path = write_assessment_xlsx(result, out)
        console.print(f"考核表：{path}", highlight=False)
    if as_json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    t = RichTable(title=f"{month} 月度考核（截至 {result['today']}）")
    for h in HEADINGS:
        t.add_column(h, overflow="fold")
    for row in assessment_rows(result):
        t.add_row(*(_cell(i, v) for i, v in enumerate(row)))
    console.print(t)
