"""The pairing report (配对报告): a plan written as an Excel workbook and one HTML page.

``write_report(store, plan, out_dir)`` writes ``pairing-report-YYYY-MM-DD.xlsx`` (sheets 汇总,
配对明细, 未满足需求, 单位负荷) and ``pairing-report-YYYY-MM-DD.html`` (the same tables, a bar chart
of met/unmet needs by street and a picture of one example path) into ``out_dir`` (the date of
the day in China time), and the same two files under the stable names ``pairing-report.xlsx``
and ``pairing-report.html`` (always the latest report), each atomically. A report of one street
or community (``area``, :mod:`orglink.report.area`) carries the area's id in its names:
``pairing-report-S01-YYYY-MM-DD.xlsx`` and ``pairing-report-S01.xlsx``.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from orglink.clock import CHINA_TZ, china_now
from orglink.files import atomic_write, write_text_atomic
from orglink.graph.store import Store
from orglink.matching.types import PathStep, PlanResult
from orglink.report.area import AreaError, ReportArea, resolve_area
from orglink.report.data import ReportData, ReportError, Totals, build_report
from orglink.report.meta import DEFAULT_OFFICE
from orglink.report.page import render
from orglink.report.paths import assignment_paths
from orglink.report.text import headline, summary_lines

XLSX_NAME = "pairing-report.xlsx"
HTML_NAME = "pairing-report.html"
"""The stable names: always the latest report."""


def dated_names(day: dt.date, area_id: str | None = None) -> tuple[str, str]:
    """The report's file names for ``day``: ``pairing-report-YYYY-MM-DD.xlsx`` and ``.html``
    (``pairing-report-S01-YYYY-MM-DD…`` for a report of area ``S01``)."""
    stem = f"pairing-report-{area_id + '-' if area_id else ''}{day.isoformat()}"
    return f"{stem}.xlsx", f"{stem}.html"


def latest_names(area_id: str | None = None) -> tuple[str, str]:
    """The stable names of the latest report: :data:`XLSX_NAME`, :data:`HTML_NAME`, or
    ``pairing-report-S01.xlsx`` / ``.html`` for area ``S01``."""
    if not area_id:
        return XLSX_NAME, HTML_NAME
    return f"pairing-report-{area_id}.xlsx", f"pairing-report-{area_id}.html"


@dataclass(frozen=True)
class ReportFiles:
    """Where the report was written, and the figures it shows: ``xlsx`` / ``html`` are the
    stable latest copies, ``dated_xlsx`` / ``dated_html`` the files named by the day."""

    xlsx: Path
    html: Path
    data: ReportData
    dated_xlsx: Path
    dated_html: Path

    @property
    def totals(self) -> Totals:
        """The plan's headline figures."""
        return self.data.totals

    def summary_lines(self) -> list[str]:
        """The three-line Chinese summary (figures and where the files are)."""
        return summary_lines(self.totals, self.xlsx, self.html, dated=(self.dated_xlsx, self.dated_html))


def write_report(store: Store, plan: PlanResult, out_dir: str | os.PathLike,
                 paths: Mapping[tuple[str, str], list[PathStep]] | None = None,
                 now: dt.datetime | None = None, area: ReportArea | None = None,
                 office: str | None = None) -> ReportFiles:
    """Write ``DIR/pairing-report-YYYY-MM-DD.xlsx`` and ``.html`` for ``plan`` (the day of
    ``now``, default :func:`orglink.clock.china_now`), and the same as ``DIR/pairing-report.xlsx``
    and ``DIR/pairing-report.html``, the latest report under names that do not change.

    ``area`` restricts the report to a street or community (the area's id goes into the file
    names); ``office`` is the issuing office of the title block (default
    :data:`~orglink.report.meta.DEFAULT_OFFICE`; the caller reads ``ORGLINK_OFFICE``).

    Names, quantities and places come from the store (named queries ``report_needs``,
    ``report_resources``, ``report_places``); the path explaining each assignment from
    ``paths`` or, if not given, from matching. Raises :class:`ReportError` if the plan does
    not fit the graph; an existing report is then left untouched.
    """
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise ReportError(f"输出位置不是目录：{out}")
    if paths is None:
        paths = assignment_paths(store, plan)
    when = now or china_now()
    data = build_report(store, plan, paths, area=area, office=office, now=when)
    from orglink.report.xlsx import workbook  # openpyxl only when a workbook is written

    wb = workbook(data)  # both built in memory first: a failure writes neither
    page = render(data)
    area_id = area.id if area else None
    dated_x, dated_h = dated_names(when.astimezone(CHINA_TZ).date() if when.tzinfo else when.date(), area_id)
    latest_x, latest_h = latest_names(area_id)
    # the dated files first: a failure part-way leaves the latest copies as they were
    dated_xlsx = atomic_write(out / dated_x, lambda tmp: wb.save(tmp))
    dated_html = write_text_atomic(out / dated_h, page)
    xlsx = atomic_write(out / latest_x, lambda tmp: shutil.copyfile(dated_xlsx, tmp))
    html = write_text_atomic(out / latest_h, page)
    return ReportFiles(xlsx=xlsx, html=html, data=data, dated_xlsx=dated_xlsx, dated_html=dated_html)


__all__ = [
    "DEFAULT_OFFICE",
    "HTML_NAME",
    "XLSX_NAME",
    "AreaError",
    "ReportArea",
    "ReportData",
    "ReportError",
    "ReportFiles",
    "Totals",
    "build_report",
    "dated_names",
    "headline",
    "latest_names",
    "resolve_area",
    "summary_lines",
    "write_report",
]
