"""The workbench's 总览 (overview): the current plan of one area, by street or community and by
category, with the reasons needs stay unmet.

The plan is always planned for the whole district (as ``orglink plan --no-write``: nothing is
written), so an area sees exactly the share of the district's plan that falls inside it; the
overview then keeps the needs raised in the area's communities.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from typing import Any

from pydantic import BaseModel

from orglink import queries
from orglink.graph.store import Store
from orglink.matching.plan import build_plan, read_input


class PlanRow(BaseModel):
    """Open needs of one street, community or category: how many the plan meets in full, how
    many it leaves (partly) unmet, and the quantity asked, met and short."""

    key: str
    name: str
    needs: int = 0
    met: int = 0
    unmet: int = 0
    asked: int = 0
    met_quantity: int = 0
    short: int = 0


class PlanOverview(BaseModel):
    """The current plan of an area: totals, rows per place (streets for the district, else
    communities), rows per category, and the unmet needs counted by reason."""

    plan_id: str
    needs: int
    met: int
    unmet: int
    by_place: list[PlanRow]
    by_category: list[PlanRow]
    unmet_reasons: dict[str, int]


def plan_overview(store: Store, communities: Collection[str] | None = None) -> PlanOverview:
    """Plan the district now (not written) and sum it up for the needs raised in
    ``communities`` (None: the whole district, rows per street; else rows per community)."""
    inp = read_input(store)
    plan = build_plan(inp)
    met = plan.met_by_need()
    places = {r["need_id"]: r for r in queries.report_needs(store, need_ids=sorted(inp.needs))}
    keep = None if communities is None else set(communities)
    by_place: dict[str, PlanRow] = {}
    by_cat: dict[str, PlanRow] = {}
    total = PlanRow(key="total", name="合计")
    for nid in sorted(inp.needs):
        place = places.get(nid, {})
        if keep is not None and place.get("community_id") not in keep:
            continue
        if keep is None:
            key, name = place.get("street_id") or "", place.get("street_name") or "（未归属街道）"
        else:
            key, name = place.get("community_id") or "", place.get("community_name") or "（未归属社区）"
        asked, got = inp.needs[nid]["quantity"], met.get(nid, 0)
        cat = inp.needs[nid]["category"]
        for row in (by_place.setdefault(key, PlanRow(key=key, name=name)),
                    by_cat.setdefault(cat, PlanRow(key=cat, name=cat)), total):
            row.needs += 1
            row.met += got >= asked
            row.unmet += got < asked
            row.asked += asked
            row.met_quantity += got
            row.short += asked - got
    shown = {nid for nid in inp.needs if keep is None or places.get(nid, {}).get("community_id") in keep}
    reasons = Counter(u.reason_code for u in plan.unmet if u.need_id in shown)
    return PlanOverview(plan_id=plan.plan_id or "", needs=total.needs, met=total.met, unmet=total.unmet,
                        by_place=[by_place[k] for k in sorted(by_place)],
                        by_category=sorted(by_cat.values(), key=lambda r: (-r.short, r.key)),
                        unmet_reasons=dict(sorted(reasons.items())))


def status_counts(items: list[dict[str, Any]]) -> dict[str, int]:
    """Needs counted by state (``status`` of each item)."""
    return dict(sorted(Counter(i.get("status") or "" for i in items).items()))
