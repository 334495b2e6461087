"""Reverse match: the open needs one unit could meet, nearest first.

One named query, ``plan_candidates`` (every open need with its candidates, as the pairing plan
reads them), gives the needs; the unit's rows whose resource fits the need (category and
sub-type, :func:`orglink.matching.fit.fits`, as the plan and 派单 check) are kept and ordered by hops, then urgency
(紧急 > 较急 > 一般; none counts as 一般), then need id. Only for the page returned (``top``)
each need's own ``nearest_units`` gives the resource of the unit it would use (the unit's first
in candidate order), the capacity left and the path, exactly as ``orglink match`` shows them.
Both backends answer the same named queries, so they give the same list.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from orglink import queries
from orglink.graph.model import OPEN_STATUSES
from orglink.graph.store import NotFound, Store
from orglink.matching.fit import fits
from orglink.matching.nearest import FACT_QUERIES, MatchCandidate, memoised, nearest_units, store_facts, with_planned
from orglink.matching.plan import URGENCY_ORDER


class UnitNeed(MatchCandidate):
    """An open need a unit could meet: the candidate (the unit's resource, hops, capacity left,
    what the newest stored plan promises of it, the path from the need's place to the unit)
    with the need's own title, quantity, urgency, status, community and street."""

    need_title: str | None = None
    quantity: int = 1
    urgency: str | None = None
    status: str | None = None
    community: str | None = None
    street: str | None = None


class UnitNeeds(BaseModel):
    """The open needs a unit could meet, nearest first. ``total`` counts them all (within what
    the caller may see); ``needs`` holds the first ``top``; ``plan_id`` is the newest stored
    plan each need's ``planned`` refers to (None: no plan stored)."""

    unit_id: str
    unit_name: str | None = None
    total: int
    plan_id: str | None = None
    needs: list[UnitNeed]


NeedFilter = Callable[[dict[str, Any]], bool]
"""Which needs the caller may see: called with a need's ``report_needs`` row (``need_id``,
``status``, ``community_id``, ``street_id`` …); False leaves the need out."""


def urgency_rank(urgency: str | None) -> int:
    """0 for 紧急 (urgent), 1 for 较急 (pressing), 2 for 一般 (normal) and for no urgency."""
    return URGENCY_ORDER.index(urgency) if urgency in URGENCY_ORDER else URGENCY_ORDER.index("normal")


def needs_for_unit(store: Store, unit_id: str, top: int | None = 10, *,
                   visible: NeedFilter | None = None) -> UnitNeeds:
    """The open needs (status in ``OPEN_STATUSES``) unit ``unit_id`` could meet, nearest first:
    hops, then urgency, then need id; the first ``top`` (all if None) with their paths.

    Raises :class:`~orglink.graph.store.NotFound` for an unknown unit. ``visible`` (the API's
    scope check) leaves out the needs the caller may not see, before the ``top`` cut.
    """
    if top is not None and (not isinstance(top, int) or isinstance(top, bool) or top < 1):
        raise ValueError("top must be a positive integer or None")
    if not isinstance(unit_id, str) or not unit_id.strip():
        raise NotFound("单位编号为空")
    calls = [queries.unit_brief.bind(unit_id=unit_id),
             queries.plan_candidates.bind(statuses=list(OPEN_STATUSES))]
    brief, rows, *more = store.read_many(
        calls if memoised(store) else [*calls, *(q.bind() for q in FACT_QUERIES)])
    if not brief:
        raise NotFound(f"单位不存在：{unit_id}")
    facts = store_facts(store, more)
    resources = {rid: s for rid, s in facts.resources.items() if s.get("unit_id") == unit_id}
    hops: dict[str, dict[str, int]] = {}  # need -> the unit's resource -> hops
    for r in rows:
        if r.get("unit_id") != unit_id or r.get("resource_id") not in resources or r.get("hops") is None:
            continue
        by_resource = hops.setdefault(r["need_id"], {})
        by_resource[r["resource_id"]] = min(r["hops"], by_resource.get(r["resource_id"], r["hops"]))
    info = {r["need_id"]: r for r in queries.report_needs(store, need_ids=sorted(hops))} if hops else {}
    # only resources that fit the need (category and sub-type), as in the plan and 派单
    usable = {n: {res: h for res, h in by_resource.items() if n in info and fits(
                  info[n]["category"], info[n].get("subtype"), resources[res]["category"],
                  resources[res].get("subtype"))}
              for n, by_resource in hops.items()}
    order = sorted((n for n, by_resource in usable.items() if by_resource and (visible is None or visible(info[n]))),
                   key=lambda n: (min(usable[n].values()), urgency_rank(info[n].get("urgency")), n))
    plan_id, planned = facts.plan_id, facts.planned
    out: list[UnitNeed] = []
    for need_id in order:
        if top is not None and len(out) >= top:
            break
        try:
            cand = next((c for c in nearest_units(store, need_id, top=None)
                         if c.unit_id == unit_id and c.resource_id in usable[need_id]), None)
        except NotFound:  # gone since plan_candidates was read
            cand = None
        if cand is None:
            continue
        row = info[need_id]
        out.append(UnitNeed(
            **dict(with_planned(cand, plan_id, planned)), need_title=row.get("title"),
            quantity=row.get("quantity") or 1, urgency=row.get("urgency"), status=row.get("status"),
            community=row.get("community_id"), street=row.get("street_id")))
    return UnitNeeds(unit_id=brief[0]["id"], unit_name=brief[0].get("name"), total=len(order),
                     plan_id=plan_id, needs=out)
