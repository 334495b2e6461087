"""Report commands: ``report`` (pairing report of a plan, of the district or one street or
community) and ``run`` (load, plan, report)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from orglink.cli.common import BackendOpt, StoreOpt, app, console, err, handle_errors, opened, progress_bar, store_config
from orglink.data import HUINONG
from orglink.graph.store import Store, StoreError
from orglink.matching.plan import run_plan
from orglink.pipeline import run_main_job
from orglink.report import resolve_area, write_report
from orglink.report.stored import stored_plan

OutOpt = Annotated[Path, typer.Option("--out", metavar="DIR",
                                      help="报告输出目录（写入 pairing-report.xlsx 和 .html）。")]
PlanIdOpt = Annotated[str | None, typer.Option("--plan-id", metavar="ID",
                                               help="库中已存的方案编号（默认：现在按当前数据规划）。")]
StreetOpt = Annotated[str | None, typer.Option("--street", metavar="STREET_ID",
                                               help="只报告这个街道（编号，如 S01）；方案仍按全区规划。")]
CommunityOpt = Annotated[str | None, typer.Option("--community", metavar="COMMUNITY_ID",
                                                  help="只报告这个社区（编号，如 C001）；方案仍按全区规划。")]
DatasetArg = Annotated[Path, typer.Argument(metavar="DATASET_DIR",
                                            help="数据集目录（默认：内置的惠农区数据）。")]


def _require_needs(s: Store) -> None:
    if not s.counts()["nodes"].get("Need"):
        raise StoreError("存储中没有需求：先运行 orglink load（或 orglink run）")


def _print_lines(lines: list[str]) -> None:
    for line in lines:
        console.print(line, markup=False, highlight=False, soft_wrap=True)


@app.command()
@handle_errors
def report(out: OutOpt, plan_id: PlanIdOpt = None, street: StreetOpt = None, community: CommunityOpt = None,
           store: StoreOpt = None, backend: BackendOpt = None) -> None:
    """写出配对方案的配对报告（xlsx + html）；不给 --plan-id 时按当前数据为全部开放需求规划。
    --street / --community 只报告该街道或社区（文件名带其编号）。"""
    office = store_config(store, backend).office
    with opened(store, backend) as s:
        _require_needs(s)
        area = resolve_area(s, street=street, community=community)  # an unknown id: before planning
        plan = run_plan(s, write=True) if plan_id is None else stored_plan(s, plan_id)
        files = write_report(s, plan, out, area=area, office=office)
    scope = f"（报告范围：{area.label}）" if area else ""
    _print_lines([f"配对方案 {plan.plan_id}{scope}", *files.summary_lines()])


@app.command()
@handle_errors
def run(out: OutOpt, dataset: DatasetArg = HUINONG, store: StoreOpt = None,
        backend: BackendOpt = None) -> None:
    """主流程：载入数据集，为全部开放需求规划配对，写出配对报告。"""
    with opened(store, backend) as s, progress_bar("载入数据") as update:
        result = run_main_job(dataset, s, out, progress=update,
                              stage=lambda msg: err.print(f"{msg}…", highlight=False),
                              office=store_config(store, backend).office)
    _print_lines(result.summary_lines())
