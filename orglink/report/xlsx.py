"""The report as an Excel workbook: one sheet per table, Chinese headings, frozen header row.

Every sheet prints as it is handed upward: a title row (district, area, plan, data as of,
generated at, office) above the header row, both repeated on every page; A4 landscape, fit to
the page width, narrow margins, long text wrapped in columns of bounded width, and the footer
``第 N 页 / 共 M 页``.

Every cell value passes :func:`orglink.report.cells.safe_cell`: no character openpyxl refuses,
and text that starts like a formula is written as text (a string cell), never as a formula.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins

from orglink.report.cells import clean_text, safe_cell
from orglink.report.columns import Sheet, sheets
from orglink.report.data import ReportData

HEADER_FILL = PatternFill("solid", fgColor="8B1A1A")
HEADER_FONT = Font(bold=True, color="FFFFFF")
SUBTOTAL_FILL = PatternFill("solid", fgColor="F3E3E3")
TOTAL_FILL = PatternFill("solid", fgColor="E2C4C4")
BOLD = Font(bold=True)
PCT_FORMAT = "0.0%"
MAX_WIDTH = {"路径": 48, "相符依据": 26, "原因": 30, "可吹哨单位": 30, "需求名称": 24, "资源": 20, "单位": 20}
"""Widest a column grows (display columns); longer text wraps. Others: :data:`DEFAULT_MAX_WIDTH`."""
DEFAULT_MAX_WIDTH = 24
TITLE_FONT = Font(bold=True, size=13, color="8B1A1A")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
LINE_HEIGHT = 15
"""Points per line of wrapped text (11 pt, CJK included)."""
HEADER_ROW = 2
"""The header row: row 1 is the sheet's title."""
FOOTER = "第 &P 页 / 共 &N 页"
NARROW = PageMargins(left=0.25, right=0.25, top=0.5, bottom=0.6, header=0.2, footer=0.25)


def display_width(value: Any) -> int:
    """Columns a value takes on screen: wide (CJK) characters count two."""
    if value is None:
        return 0
    if isinstance(value, float):
        return 7
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(value))


def wrapped_lines(value: Any, width: float) -> int:
    """How many lines ``value`` takes wrapped in a column ``width`` wide (an estimate: wide
    characters count two, a little room is lost at each line's end)."""
    room = max(int(width) - 2, 1)
    return max(1, -(-display_width(value) // room)) if value is not None else 1


def _append(ws: Any, values: list[Any]) -> None:
    """Append one row of values (already :func:`safe_cell`), every text a string cell."""
    ws.append(values)
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"  # never "f": the value is shown, not run


def title_text(data: ReportData, sheet: Sheet) -> str:
    """The title row of ``sheet``: report title and sheet name, then the title block's lines."""
    lines = data.meta.lines() if data.meta else [f"配对方案：{data.plan_id}"]
    return clean_text(f"{data.title} · {sheet.name}\n" + "　".join(lines))


def _title_row(ws: Any, text: str, width: int) -> None:
    """Row 1: ``text`` bold, merged over the sheet's columns, wrapped."""
    _append(ws, [safe_cell(text)])
    ws["A1"].font = TITLE_FONT
    ws["A1"].alignment = Alignment(wrap_text=True, vertical="center")
    if width > 1:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.row_dimensions[1].height = 36


def _page_setup(ws: Any) -> None:
    """A4 landscape, fit to the page width (any number of pages down), narrow margins, title
    and header rows repeated on every page, page numbers in the footer."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = NARROW
    ws.print_title_rows = f"1:{HEADER_ROW}"
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = FOOTER
    ws.oddFooter.center.size = 9


def _fill_sheet(ws: Any, sheet: Sheet, title: str) -> None:
    _title_row(ws, title, len(sheet.columns))
    _append(ws, [safe_cell(c.heading) for c in sheet.columns])
    for cell in ws[HEADER_ROW]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    cells = [[safe_cell(v) for v in values] for values in sheet.cells()]
    for values in cells:
        _append(ws, values)
    first = HEADER_ROW + 1
    lines = [1] * len(cells)  # lines each row needs once long text wraps
    for j, col in enumerate(sheet.columns, start=1):
        if col.kind == "pct":
            for i in range(first, len(cells) + first):
                ws.cell(row=i, column=j).number_format = PCT_FORMAT
        widest = max([display_width(col.heading)] + [display_width(r[j - 1]) for r in cells])
        cap = MAX_WIDTH.get(col.heading, DEFAULT_MAX_WIDTH)
        ws.column_dimensions[get_column_letter(j)].width = min(max(widest + 2, 8), cap)
        wrap = col.kind == "text" and (widest + 2 > cap or col.heading in MAX_WIDTH)
        width = ws.column_dimensions[get_column_letter(j)].width
        for i in range(first, len(cells) + first):
            ws.cell(row=i, column=j).alignment = WRAP if wrap else TOP
            if wrap:
                lines[i - first] = max(lines[i - first], wrapped_lines(cells[i - first][j - 1], width))
    for i, n in enumerate(lines, start=first):
        if n > 1:  # set, not left to the reader: not every spreadsheet fits wrapped rows on opening
            ws.row_dimensions[i].height = n * LINE_HEIGHT
    if sheet.name == "汇总":
        for i, row in enumerate(sheet.rows, start=first):
            kind = getattr(row, "kind", "community")
            if kind == "community":
                continue
            for cell in ws[i]:
                cell.font = BOLD
                cell.fill = TOTAL_FILL if kind == "total" else SUBTOTAL_FILL
    ws.freeze_panes = f"A{first}"
    if cells and sheet.name != "汇总":  # subtotal rows would be filtered apart
        ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(sheet.columns))}{len(cells) + HEADER_ROW}"
    _page_setup(ws)


def workbook(data: ReportData) -> Workbook:
    """Build the workbook (sheets 汇总, 配对明细, 未满足需求, 单位负荷, 供需缺口, and 停用资源的派单
    when there is any), each with its title row and print setup."""
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in sheets(data):
        _fill_sheet(wb.create_sheet(sheet.name), sheet, title_text(data, sheet))
    wb.properties.title = clean_text(data.title)
    wb.properties.subject = clean_text(f"配对方案 {data.plan_id}")
    wb.properties.creator = "orglink"
    return wb
