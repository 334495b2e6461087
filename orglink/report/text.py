"""The plan's headline in words: the lines the CLI prints and the HTML report opens with."""

from __future__ import annotations

from pathlib import Path

from orglink.report.data import ALL_SUBTYPES, GapRow, Totals


def fmt_hops(avg: float | None) -> str:
    """Average hops with one decimal, or a dash when nothing was paired."""
    return "—" if avg is None else f"{avg:.1f}"


def headline(t: Totals) -> list[str]:
    """Two lines: needs open / met / unmet, and units, resources, average hops."""
    return [
        f"开放需求 {t.open_needs} 项（数量 {t.quantity}），已配对 {t.met} 项，未满足 {t.unmet} 项",
        f"涉及 {t.units} 个单位、{t.resources} 个资源，平均跳数 {fmt_hops(t.avg_hops)}",
    ]


def summary_lines(t: Totals, xlsx: Path, html: Path, dated: tuple[Path, Path] | None = None) -> list[str]:
    """The three-line summary: the headline plus where the report files are (the latest copies,
    and the names of the dated files beside them when ``dated`` is given)."""
    where = f"报告：{xlsx}、{html}"
    if dated is not None:
        where += f"（按日期另存为 {dated[0].name}、{dated[1].name}）"
    return [*headline(t), where]


def gap_line(gaps: list[GapRow], top: int = 3) -> str | None:
    """The largest supply shortfalls, first first (None when supply covers every group)."""
    short = [g for g in gaps if g.shortfall > 0][:top]
    if not short:
        return None
    parts = [f"{g.category}" + ("" if g.subtype == ALL_SUBTYPES else f"·{g.subtype}")
             + f" 需求 {g.demand}、供给 {g.supply}，缺 {g.shortfall}" for g in short]
    return "供需缺口最大：" + "；".join(parts) + "（须新增资源，吹哨无法解决）"
