"""Inline SVG pictures for the HTML report: met/unmet by street, and one example path.

Text sizes are estimated (a wide CJK character is one em, anything else about 0.6 em), so the
pictures need no fonts or libraries at build time. All text is escaped.
"""

from __future__ import annotations

import unicodedata
from html import escape

from orglink.matching.types import PathStep
from orglink.report.data import SummaryRow
from orglink.report.paths import node_label, rel_label, step_name

MET_COLOUR = "#2e7d32"
UNMET_COLOUR = "#d9822b"
FONT = "font-family=\"'Noto Sans CJK SC','Microsoft YaHei','PingFang SC',sans-serif\""


def text_width(text: str, size: float) -> float:
    """Estimated width in pixels of ``text`` at font ``size``."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else 0.6 * size for ch in text)


def street_chart(rows: list[SummaryRow]) -> str:
    """A horizontal stacked bar per street: needs met (green) and unmet (orange)."""
    size, bar_h, gap, bar_w = 13, 20, 10, 460
    label_w = max([text_width(r.street or "", size) for r in rows] + [40]) + 12
    top = 34
    height = top + len(rows) * (bar_h + gap) + 10
    width = label_w + bar_w + 150
    most = max([r.open_needs for r in rows] + [1])
    out = [f'<svg class="chart" role="img" aria-label="各街道需求配对情况" '
           f'viewBox="0 0 {width:.0f} {height}" width="{width:.0f}" height="{height}" '
           f'xmlns="http://www.w3.org/2000/svg" {FONT} font-size="{size}">',
           "<title>各街道已配对与未满足需求（项）</title>",
           f'<rect x="{label_w:.0f}" y="6" width="12" height="12" fill="{MET_COLOUR}"/>',
           f'<text x="{label_w + 16:.0f}" y="16">已配对</text>',
           f'<rect x="{label_w + 80:.0f}" y="6" width="12" height="12" fill="{UNMET_COLOUR}"/>',
           f'<text x="{label_w + 96:.0f}" y="16">未满足</text>']
    for i, r in enumerate(rows):
        y = top + i * (bar_h + gap)
        met_w = bar_w * r.met / most
        unmet_w = bar_w * r.unmet / most
        name = escape(r.street or "")
        out.append(f'<text x="{label_w - 8:.0f}" y="{y + 15}" text-anchor="end">{name}</text>')
        out.append(f'<rect class="met" x="{label_w:.0f}" y="{y}" width="{met_w:.1f}" '
                   f'height="{bar_h}" fill="{MET_COLOUR}"><title>{name}：已配对 {r.met} 项</title></rect>')
        out.append(f'<rect class="unmet" x="{label_w + met_w:.1f}" y="{y}" width="{unmet_w:.1f}" '
                   f'height="{bar_h}" fill="{UNMET_COLOUR}"><title>{name}：未满足 {r.unmet} 项</title></rect>')
        out.append(f'<text x="{label_w + met_w + unmet_w + 6:.1f}" y="{y + 15}" fill="#333">'
                   f'已配对 {r.met}，未满足 {r.unmet}</text>')
    out.append("</svg>")
    return "\n".join(out)


def path_picture(steps: list[PathStep] | tuple[PathStep, ...]) -> str:
    """The path as labelled boxes joined by arrows named by relationship type."""
    name_size, kind_size, pad, box_h = 14, 11, 12, 48
    widths = [max(text_width(step_name(s), name_size), text_width(node_label(s.label), kind_size))
              + 2 * pad for s in steps]
    links = [max(text_width(rel_label(s.rel), 12) + 28, 70) for s in steps[:-1]]
    width = sum(widths) + sum(links) + 20
    height = box_h + 40
    out = [f'<svg class="path" role="img" aria-label="配对路径示例" viewBox="0 0 {width:.0f} {height}" '
           f'width="{width:.0f}" height="{height}" xmlns="http://www.w3.org/2000/svg" {FONT}>',
           "<title>配对路径示例</title>",
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" '
           'markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
           'fill="#555"/></marker></defs>']
    x, y = 10.0, 24
    for i, s in enumerate(steps):
        w = widths[i]
        out.append(f'<g class="node"><rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{box_h}" rx="6" '
                   f'fill="#fdf6f0" stroke="#8b1a1a" stroke-width="1.5"/>'
                   f'<text x="{x + w / 2:.1f}" y="{y + 17}" text-anchor="middle" font-size="{kind_size}" '
                   f'fill="#777">{escape(node_label(s.label))}</text>'
                   f'<text x="{x + w / 2:.1f}" y="{y + 37}" text-anchor="middle" font-size="{name_size}" '
                   f'font-weight="bold">{escape(step_name(s))}</text></g>')
        x += w
        if i < len(steps) - 1:
            lw = links[i]
            x1, x2, ym = x + 4, x + lw - 4, y + box_h / 2
            ends = 'marker-end="url(#arrow)"' if s.forward else 'marker-start="url(#arrow)"'
            out.append(f'<g class="link"><line x1="{x1:.1f}" y1="{ym}" x2="{x2:.1f}" y2="{ym}" '
                       f'stroke="#555" stroke-width="1.5" {ends}/>'
                       f'<text x="{x + lw / 2:.1f}" y="{ym - 6}" text-anchor="middle" font-size="12" '
                       f'fill="#333">{escape(rel_label(s.rel))}</text></g>')
            x += lw
    out.append("</svg>")
    return "\n".join(out)
