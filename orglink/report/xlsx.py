"""The report as an Excel workbook: one sheet per table, Chinese headings, frozen header row.

Every cell value passes :func:`orglink.report.cells.safe_cell`: no character openpyxl refuses,
and text that starts like a formula is written as text (a string cell), never as a formula.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from orglink.report.cells import clean_text, safe_cell
from orglink.report.columns import Sheet, sheets
from orglink.report.data import ReportData

HEADER_FILL = PatternFill("solid", fgColor="8B1A1A")
HEADER_FONT = Font(bold=True, color="FFFFFF")
SUBTOTAL_FILL = PatternFill("solid", fgColor="F3E3E3")
TOTAL_FILL = PatternFill("solid", fgColor="E2C4C4")
BOLD = Font(bold=True)
PCT_FORMAT = "0.0%"
MAX_WIDTH = {"路径": 90}
DEFAULT_MAX_WIDTH = 40


def display_width(value: Any) -> int:
    """Columns a value takes on screen: wide (CJK) characters count two."""
    if value is None:
        return 0
    if isinstance(value, float):
        return 7
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(value))


def _append(ws: Any, values: list[Any]) -> None:
    """Append one row of values (already :func:`safe_cell`), every text a string cell."""
    ws.append(values)
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"  # never "f": the value is shown, not run


def _fill_sheet(ws: Any, sheet: Sheet) -> None:
    _append(ws, [safe_cell(c.heading) for c in sheet.columns])
    for cell in ws[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
    cells = [[safe_cell(v) for v in values] for values in sheet.cells()]
    for values in cells:
        _append(ws, values)
    for j, col in enumerate(sheet.columns, start=1):
        if col.kind == "pct":
            for i in range(2, len(cells) + 2):
                ws.cell(row=i, column=j).number_format = PCT_FORMAT
        widest = max([display_width(col.heading)] + [display_width(r[j - 1]) for r in cells])
        cap = MAX_WIDTH.get(col.heading, DEFAULT_MAX_WIDTH)
        ws.column_dimensions[get_column_letter(j)].width = min(max(widest + 2, 8), cap)
    if sheet.name == "汇总":
        for i, row in enumerate(sheet.rows, start=2):
            kind = getattr(row, "kind", "community")
            if kind == "community":
                continue
            for cell in ws[i]:
                cell.font = BOLD
                cell.fill = TOTAL_FILL if kind == "total" else SUBTOTAL_FILL
    ws.freeze_panes = "A2"
    if cells and sheet.name != "汇总":  # subtotal rows would be filtered apart
        ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.columns))}{len(cells) + 1}"


def workbook(data: ReportData) -> Workbook:
    """Build the workbook (sheets 汇总, 配对明细, 未满足需求, 单位负荷)."""
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in sheets(data):
        _fill_sheet(wb.create_sheet(sheet.name), sheet)
    wb.properties.title = "需求与资源配对报告"
    wb.properties.subject = clean_text(f"配对方案 {data.plan_id}")
    wb.properties.creator = "orglink"
    return wb
