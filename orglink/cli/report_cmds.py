"""Report commands: ``report`` (pairing report of a plan) and ``run`` (load, plan, report)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from orglink.cli.common import BackendOpt, StoreOpt, app, console, err, handle_errors, opened, progress_bar
from orglink.data import HUINONG
from orglink.graph.store import Store, StoreError
from orglink.matching.plan import run_plan
from orglink.pipeline import run_main_job
from orglink.report import write_report
from orglink.report.stored import stored_plan

OutOpt = Annotated[Path, typer.Option("--out", metavar="DIR",
                                      help="Directory for pairing-report.xlsx and .html.")]
PlanIdOpt = Annotated[str | None, typer.Option("--plan-id", metavar="ID",
                                               help="A plan already in the store (default: plan now).")]
DatasetArg = Annotated[Path, typer.Argument(metavar="DATASET_DIR",
                                            help="Dataset directory (default: bundled Huinong data).")]




def _require_needs(s: Store) -> None:
    if not s.counts()["nodes"].get("Need"):
        raise StoreError("存储中没有需求：先运行 orglink load（或 orglink run）")


def _print_lines(lines: list[str]) -> None:
    for line in lines:
        console.print(line, markup=False, highlight=False, soft_wrap=True)


@app.command()
@handle_errors
def report(out: OutOpt, plan_id: PlanIdOpt = None, store: StoreOpt = None,
           backend: BackendOpt = None) -> None:
    """Write the pairing report (xlsx + html) of a plan; plans all open needs now if no --plan-id."""
    with opened(store, backend) as s:
        _require_needs(s)
        plan = run_plan(s, write=True) if plan_id is None else stored_plan(s, plan_id)
        files = write_report(s, plan, out)
    _print_lines([f"配对方案 {plan.plan_id}", *files.summary_lines()])


@app.command()
@handle_errors
def run(out: OutOpt, dataset: DatasetArg = HUINONG, store: StoreOpt = None,
        backend: BackendOpt = None) -> None:
    """The main job: load a dataset, plan the pairing of all open needs, write the report."""
    with opened(store, backend) as s, progress_bar("载入数据") as update:
        result = run_main_job(dataset, s, out, progress=update,
                              stage=lambda msg: err.print(f"{msg}…", highlight=False))
    _print_lines(result.summary_lines())
