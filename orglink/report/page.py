"""The report as one self-contained HTML page: inline CSS, inline SVG, every text escaped.

Control characters, lone surrogates and U+FFFE/U+FFFF (data stored before they were refused)
are removed from every text shown (:func:`orglink.report.cells.clean_text`).

The page prints whole (``@media print``): A4 landscape, tables without scroll boxes, the
header row repeated on every page, rows kept whole, navigation hidden; the title block
(district, area, plan, data as of, generated at, office) heads it.
"""

from __future__ import annotations

from html import escape
from typing import Any

from orglink.report.cells import clean_text
from orglink.report.columns import RETIRED_SHEET, Sheet, sheets
from orglink.report.data import ReportData
from orglink.report.svg import path_picture, street_chart
from orglink.report.text import gap_line, headline

TITLE = "需求与资源配对报告"
FONTS = ("'Noto Sans CJK SC','Noto Sans SC','Source Han Sans SC','WenQuanYi Micro Hei','WenQuanYi Zen Hei',"
         "'Microsoft YaHei','PingFang SC','Hiragino Sans GB','SimSun',sans-serif")
"""CJK fonts, first found wins: Linux (Noto, Source Han, WenQuanYi), Windows, macOS, then any."""

PRINT_CSS = """
@page{size:A4 landscape;margin:10mm 8mm 12mm}
@media print{
 body{background:#fff;font-size:11px}
 header{background:none;color:#000;padding:0 0 6px;border-bottom:2px solid #8b1a1a}
 header h1{color:#8b1a1a}
 nav{display:none}
 main{padding:0;max-width:none}
 section{border:none;padding:0;margin:10px 0;break-inside:auto}
 section:not([id]),.figure{break-inside:avoid;page-break-inside:avoid}
 .table-wrap,.figure{overflow:visible;max-height:none}
 table{width:100%;font-size:10px}
 thead{display:table-header-group}
 td{padding:2px 5px}
 th{position:static;padding:4px 5px;white-space:normal;-webkit-print-color-adjust:exact;print-color-adjust:exact}
 tr{break-inside:avoid;page-break-inside:avoid}
 tbody tr:hover td{background:none}
 h2{break-after:avoid;page-break-after:avoid}
}
"""
"""How the page prints: every row of every table, the header row on each page."""

CSS = """
body{font-family:""" + FONTS + """;margin:0;
 color:#222;background:#faf8f6;line-height:1.5}
.warn{color:#8b1a1a;font-weight:bold}
header{background:#8b1a1a;color:#fff;padding:18px 32px}
header h1{margin:0;font-size:24px}
header p{margin:4px 0 0;opacity:.85}
main{padding:8px 32px 40px;max-width:1400px}
section{background:#fff;border:1px solid #e6dcdc;border-radius:6px;padding:12px 20px;margin:18px 0}
h2{font-size:18px;color:#8b1a1a;margin:6px 0 12px}
.headline p{margin:2px 0;font-size:16px}
.figure{overflow-x:auto}
.path-text{color:#555;font-size:14px}
.table-wrap{overflow:auto;max-height:640px}
table{border-collapse:collapse;font-size:13px;min-width:60%}
th{background:#8b1a1a;color:#fff;position:sticky;top:0;padding:6px 8px;white-space:nowrap}
td{border-bottom:1px solid #eee;padding:4px 8px}
td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.subtotal td{background:#f3e3e3;font-weight:bold}
tr.total td{background:#e2c4c4;font-weight:bold}
tbody tr:hover td{background:#fff3e0}
nav a{margin-right:16px;color:#8b1a1a}
.empty{color:#777}
header .meta{font-size:14px}
""" + PRINT_CSS


def cell_text(value: Any, kind: str) -> str:
    """One cell as text: percentages with one decimal, a dash for nothing, no control characters."""
    if value is None:
        return "—"
    if kind == "pct":
        return f"{100 * value:.1f}%"
    return clean_text(str(value))


def table_html(sheet: Sheet) -> str:
    """A sheet as an HTML table (escaped)."""
    head = "".join(f"<th>{escape(c.heading)}</th>" for c in sheet.columns)
    body: list[str] = []
    for row, values in zip(sheet.rows, sheet.cells()):
        kind = getattr(row, "kind", "community")
        cls = f' class="{kind}"' if kind in ("street", "total") else ""
        cls = ' class="subtotal"' if kind == "street" else cls
        tds = "".join(
            f'<td class="num">{escape(cell_text(v, c.kind))}</td>' if c.kind != "text"
            else f"<td>{escape(cell_text(v, c.kind))}</td>"
            for c, v in zip(sheet.columns, values))
        body.append(f"<tr{cls}>{tds}</tr>")
    if not body:
        body.append(f'<tr><td class="empty" colspan="{len(sheet.columns)}">（无）</td></tr>')
    return (f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>')


def example_html(data: ReportData) -> str:
    """The example path: a sentence, the picture and the path as text."""
    ex = data.example
    if ex is None:
        return '<p class="empty">本方案没有带路径的配对。</p>'
    intro = (f"需求 {ex.need_id}「{ex.need_title}」（{ex.community}，{ex.street}）由"
             f"{ex.unit}的「{ex.resource}」满足，相距 {ex.hops} 跳：")
    return (f"<p>{escape(intro)}</p>"
            f'<div class="figure">{path_picture(ex.steps)}</div>'
            f'<p class="path-text">{escape(ex.path)}</p>')


def render(data: ReportData) -> str:
    """The whole page (every text in it, the SVG pictures' too, without control characters)."""
    tabs = sheets(data)
    nav = "".join(f'<a href="#sheet-{i}">{escape(s.name)}</a>' for i, s in enumerate(tabs))
    title = data.title
    lines = data.meta.lines() if data.meta else [f"配对方案：{data.plan_id}"]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>",
        f"<header><h1>{escape(title)}</h1>",
        f'<p class="meta">{"　".join(escape(line) for line in lines)}</p></header><main>',
        '<section class="headline">',
        *(f"<p>{escape(line)}</p>" for line in headline(data.totals)),
        *([f'<p class="warn">{escape(line)}</p>'] if (line := gap_line(data.gaps)) else []),
        *([f'<p class="warn">提醒：{len(data.retired_dispatches)} 条派单的资源已从清单中删除（已停用），'
           f"请改派或办结，见「{RETIRED_SHEET}」。</p>"] if data.retired_dispatches else []),
        f"<nav>{nav}</nav></section>",
        "<section><h2>各街道配对情况（项）</h2>",
        f'<div class="figure">{street_chart(data.street_rows())}</div></section>',
        f"<section><h2>配对路径示例</h2>{example_html(data)}</section>",
    ]
    for i, s in enumerate(tabs):
        parts.append(f'<section id="sheet-{i}"><h2>{escape(s.name)}</h2>{table_html(s)}</section>')
    parts.append("</main></body></html>")
    return clean_text("\n".join(parts))
