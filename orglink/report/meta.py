"""The report's title block: which district (and area), data as of when, generated when, by whom.

* district: the ``District`` node's name;
* data as of (数据截至): when the lists were last loaded — the load id every loaded node carries
  (``loaded_by = load-YYYYMMDDTHHMMSS-…``, China time, :func:`orglink.loaders.build.load_stamp`),
  read off the District node;
* generated at (生成时间): the report's clock, in China time;
* the plan id and the issuing office (出具单位: setting ``ORGLINK_OFFICE``, handed in by the
  caller, default :data:`DEFAULT_OFFICE`).

Both come from the named query ``report_meta``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from orglink import queries
from orglink.clock import CHINA_TZ
from orglink.graph.store import Store

DEFAULT_OFFICE = "区委组织部"
"""The issuing office when none is set (``ORGLINK_OFFICE``)."""
REPORT_NAME = "需求与资源配对报告"
UNKNOWN_AS_OF = "未知（库中没有清单导入记录）"
_LOAD_ID = re.compile(r"load-(\d{8}T\d{6})-\w+")


@dataclass(frozen=True)
class ReportMeta:
    """The title block of a report (see the module docstring)."""

    district: str
    plan_id: str
    data_as_of: str
    generated_at: str
    office: str = DEFAULT_OFFICE
    area: str = ""  # the area's label (北街街道, 南街街道 · 春晖社区); blank: the whole district

    @property
    def title(self) -> str:
        """E.g. ``惠农区 · 北街街道 需求与资源配对报告``."""
        where = " · ".join(p for p in (self.district, self.area) if p)
        return f"{where} {REPORT_NAME}" if where else REPORT_NAME

    def lines(self) -> list[str]:
        """The block under the title: plan, data as of, generated at, office."""
        return [f"配对方案：{self.plan_id or '—'}", f"数据截至：{self.data_as_of}",
                f"生成时间：{self.generated_at}", f"出具单位：{self.office}"]


def load_time(loaded_by: Any) -> str | None:
    """``YYYY-MM-DD HH:MM`` of a load id (``load-20261202T180822-1c01f1``), else None."""
    m = _LOAD_ID.fullmatch(loaded_by) if isinstance(loaded_by, str) else None
    if m is None:
        return None
    return dt.datetime.strptime(m[1], "%Y%m%dT%H%M%S").strftime("%Y-%m-%d %H:%M")


def district_of(store: Store) -> tuple[str, str]:
    """The district's name and when its lists were loaded (``""`` and
    :data:`UNKNOWN_AS_OF` when the store holds no district)."""
    for row in queries.report_meta(store):
        return row["name"] or row["id"] or "", load_time(row["loaded_by"]) or UNKNOWN_AS_OF
    return "", UNKNOWN_AS_OF


def report_meta(store: Store, plan_id: str, now: dt.datetime, office: str | None = None,
                area: str = "") -> ReportMeta:
    """The title block for a report of ``plan_id`` made at ``now`` (shown in China time)."""
    district, as_of = district_of(store)
    if as_of != UNKNOWN_AS_OF:
        as_of += "（最近一次导入清单）"
    when = now.astimezone(CHINA_TZ) if now.tzinfo else now
    return ReportMeta(district=district, plan_id=plan_id, data_as_of=as_of,
                      generated_at=f"{when:%Y-%m-%d %H:%M}（北京时间）", office=office or DEFAULT_OFFICE, area=area)
