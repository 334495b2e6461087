"""The main job: load a dataset, plan the pairing of all open needs, write the report.

``orglink run`` is this function plus a progress bar; the API and scripts call it directly.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from orglink.graph.store import Progress, Store
from orglink.loaders.build import load_dataset
from orglink.matching.plan import run_plan
from orglink.matching.types import PlanResult
from orglink.report import ReportFiles, write_report

Stage = Callable[[str], None]
"""Told the name of each step as it starts (Chinese, for the user)."""


@dataclass(frozen=True)
class MainJobResult:
    """What the main job did: rows loaded per table, the plan, and the report files."""

    dataset_dir: Path
    rows: dict[str, int]
    plan: PlanResult
    report: ReportFiles

    def summary_lines(self) -> list[str]:
        """Three Chinese lines: needs open/met/unmet; units, resources, hops; where the report is."""
        return self.report.summary_lines()


def run_main_job(dataset_dir: str | os.PathLike, store: Store, out_dir: str | os.PathLike,
                 progress: Progress | None = None, stage: Stage | None = None,
                 office: str | None = None) -> MainJobResult:
    """Load ``dataset_dir`` into ``store`` (all or nothing), plan all open needs (written back
    as ``MATCHED_TO``) and write ``out_dir/pairing-report.xlsx`` and ``.html``.

    ``progress`` follows the load; ``stage`` is told when planning and reporting start;
    ``office`` is the issuing office the report names (default: the report's default).
    A bad dataset raises :class:`orglink.loaders.reader.LoadError` before anything is written.
    """
    tell = stage or (lambda _msg: None)
    tell("载入数据")
    loaded = load_dataset(Path(dataset_dir), store, progress=progress)
    tell("配对规划")
    plan = run_plan(store, write=True)
    tell("生成报告")
    files = write_report(store, plan, out_dir, office=office)
    return MainJobResult(dataset_dir=Path(dataset_dir), rows=dict(loaded.built.rows), plan=plan, report=files)
