"""The report's sheets: their Chinese names and column headings, shared by Excel and HTML."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from orglink.report.data import DetailRow, GapRow, LoadRow, ReportData, RetiredDispatchRow, SummaryRow, UnmetRow

TOTAL = "合计"
SUBTOTAL = "小计"


@dataclass(frozen=True)
class Column:
    """One column of a sheet: heading, how to get the cell from a row, and its kind."""

    heading: str
    value: Callable[[Any], Any]
    kind: str = "text"  # text | int | pct


def _summary_street(r: SummaryRow) -> str:
    return TOTAL if r.kind == "total" else (r.street or "")


def _summary_community(r: SummaryRow) -> str:
    return SUBTOTAL if r.kind == "street" else (r.community or "")


SUMMARY = (
    Column("街道", _summary_street),
    Column("社区", _summary_community),
    Column("开放需求（项）", lambda r: r.open_needs, "int"),
    Column("已配对（项）", lambda r: r.met, "int"),
    Column("未满足（项）", lambda r: r.unmet, "int"),
    Column("其中部分配对（项）", lambda r: r.partial, "int"),
    Column("需求数量", lambda r: r.quantity, "int"),
    Column("已配数量", lambda r: r.met_quantity, "int"),
    Column("未配数量", lambda r: r.unmet_quantity, "int"),
    Column("配对率（按项）", lambda r: r.met_share, "pct"),
    Column("满足率（按数量）", lambda r: r.quantity_share, "pct"),
)
DETAILS = (
    Column("需求编号", lambda r: r.need_id),
    Column("需求名称", lambda r: r.need_title),
    Column("类别", lambda r: r.category),
    Column("子类", lambda r: r.subtype),
    Column("社区", lambda r: r.community),
    Column("街道", lambda r: r.street),
    Column("单位", lambda r: r.unit),
    Column("资源", lambda r: r.resource),
    Column("相符依据", lambda r: r.fit),
    Column("数量", lambda r: r.quantity, "int"),
    Column("跳数", lambda r: r.hops, "int"),
    Column("服务层级", lambda r: r.served_at),
    Column("路径", lambda r: r.path),
)
UNMET = (
    Column("需求编号", lambda r: r.need_id),
    Column("需求名称", lambda r: r.need_title),
    Column("类别", lambda r: r.category),
    Column("紧急程度", lambda r: r.urgency),
    Column("社区", lambda r: r.community),
    Column("街道", lambda r: r.street),
    Column("需求数量", lambda r: r.quantity, "int"),
    Column("已配数量", lambda r: r.met_quantity, "int"),
    Column("未满足数量", lambda r: r.unmet_quantity, "int"),
    Column("原因类别", lambda r: r.reason_label),
    Column("原因", lambda r: r.reason),
    Column("供需缺口", lambda r: r.shortfall, "int"),
    Column("可吹哨单位", lambda r: r.whistle),
)
LOAD = (
    Column("单位编号", lambda r: r.unit_id),
    Column("单位", lambda r: r.unit),
    Column("单位类型", lambda r: r.unit_kind),
    Column("资源数", lambda r: r.resources, "int"),
    Column("总容量", lambda r: r.capacity, "int"),
    Column("此前已派单", lambda r: r.dispatched, "int"),
    Column("本方案配对", lambda r: r.assigned, "int"),
    Column("剩余容量", lambda r: r.remaining, "int"),
    Column("本方案使用率", lambda r: r.used_share, "pct"),
)


@dataclass(frozen=True)
class Sheet:
    """A sheet of the report: its name, columns and rows."""

    name: str
    columns: tuple[Column, ...]
    rows: (list[SummaryRow] | list[DetailRow] | list[UnmetRow] | list[LoadRow] | list[RetiredDispatchRow]
           | list[GapRow])

    def cells(self) -> list[list[Any]]:
        """The rows as lists of cell values (no heading)."""
        return [[c.value(r) for c in self.columns] for r in self.rows]


RETIRED_DISPATCHES = (
    Column("需求编号", lambda r: r.need_id),
    Column("需求名称", lambda r: r.need_title),
    Column("需求状态", lambda r: r.status),
    Column("资源编号", lambda r: r.resource_id),
    Column("资源", lambda r: r.resource),
    Column("单位", lambda r: r.unit),
    Column("派单数量", lambda r: r.quantity, "int"),
    Column("资源停用日期", lambda r: r.retired_on),
)
RETIRED_SHEET = "停用资源的派单"
GAPS = (
    Column("类别", lambda r: r.category),
    Column("子类", lambda r: r.subtype),
    Column("需求数量", lambda r: r.demand, "int"),
    Column("可用供给", lambda r: r.supply, "int"),
    Column("本方案满足", lambda r: r.met, "int"),
    Column("未满足", lambda r: r.unmet, "int"),
    Column("供需缺口", lambda r: r.shortfall, "int"),
)


def sheets(data: ReportData) -> list[Sheet]:
    """The four sheets, in the order they appear, and a fifth flagging dispatches to resources
    the lists no longer hold when there is any."""
    out = [
        Sheet("汇总", SUMMARY, data.summary),
        Sheet("配对明细", DETAILS, data.details),
        Sheet("未满足需求", UNMET, data.unmet),
        Sheet("单位负荷", LOAD, data.load),
        Sheet("供需缺口", GAPS, data.gaps),
    ]
    if data.retired_dispatches:
        out.append(Sheet(RETIRED_SHEET, RETIRED_DISPATCHES, data.retired_dispatches))
    return out
