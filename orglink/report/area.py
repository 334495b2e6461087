"""An area report: the district's plan restricted to one street or one community.

The plan is always made (or stored) for the whole district; an area report shows the part of
it that concerns the area (:class:`ReportArea`, found by :func:`resolve_area`):

* 汇总: the area's communities, their street's subtotal and the area's total;
* 配对明细, 未满足需求: the needs raised in the area;
* 单位负荷: the units with a resource the plan uses for a need of the area, each with its whole
  load (capacity is shared by the district: what is left is what is left for everyone);
* 供需缺口: the area's demand and what the plan meets of it, against the district's supply;
* 停用资源的派单: the dispatches of the area's needs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from orglink import queries
from orglink.graph.store import Store
from orglink.report.data import ReportError


class AreaError(ReportError):
    """An area that cannot be reported on: an unknown street or community, or a community
    outside the street also asked for. ``field`` names the parameter (street or community)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class ReportArea:
    """A street (``streets``) or a community (``communities``) to restrict a report to;
    ``id`` goes into file names, ``label`` into the title."""

    id: str
    label: str
    streets: frozenset[str] = frozenset()
    communities: frozenset[str] = frozenset()

    def holds(self, row: Mapping[str, Any]) -> bool:
        """Whether a row with ``street_id`` / ``community_id`` lies in the area."""
        return row.get("community_id") in self.communities or row.get("street_id") in self.streets


def resolve_area(store: Store, street: str | None = None, community: str | None = None) -> ReportArea | None:
    """The area of ``street`` or ``community`` (the community when both are given, which must
    then lie in that street); None when neither is given. Raises :class:`AreaError` naming an
    id the store does not hold."""
    if street is not None and not (streets := queries.list_streets(store, street=street)):
        raise AreaError("street", f"街道不存在：{street}")
    if community is None:
        if street is None:
            return None
        return ReportArea(id=street, label=streets[0]["name"] or street, streets=frozenset({street}))
    rows = queries.list_communities(store, street=None, community=community)
    if not rows:
        raise AreaError("community", f"社区不存在：{community}")
    row = rows[0]
    if street is not None and row["street"] != street:
        raise AreaError("community", f"社区 {community} 不在街道 {street} 内")
    name = row["name"] or community
    label = f"{row['street_name']} · {name}" if row["street_name"] else name
    return ReportArea(id=community, label=label, communities=frozenset({community}))

