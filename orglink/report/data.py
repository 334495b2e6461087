"""The pairing report's content: a plan joined with the graph's names, as rows per sheet.

:func:`build_report` checks the plan against the graph (every need and resource exists, no
resource promised beyond its capacity, no need given more than it asked for) and turns it
into plain rows that the Excel and HTML writers only lay out. Nothing here formats text for
one medium; both writers show the same numbers.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from orglink import queries
from orglink.clock import china_now
from orglink.graph.model import NEED_STATUSES, URGENCIES
from orglink.graph.store import Store
from orglink.graph.taxonomy import fits
from orglink.matching.fit import explain_fit
from orglink.matching.types import PathStep, PlanResult, Unmet, Whistle
from orglink.report.meta import ReportMeta, report_meta
from orglink.report.paths import path_text

if TYPE_CHECKING:
    from orglink.report.area import ReportArea

LEVEL_ZH = {"grid": "网格", "community": "社区", "street": "街道"}
"""Where an assignment is served from (the ladder 网格 → 社区 → 街道)."""
ALL_SUBTYPES = "（全类别）"
"""The sub-type column of a gap row when needs carry no sub-type."""
UNKNOWN_STREET = "（未归属街道）"
UNKNOWN_COMMUNITY = "（未归属社区）"
NO_REASON = "方案未说明原因"

REASON_CODES: dict[str, str] = {
    "no_resource": "无单位提供",
    "shortage": "供需缺口",
    "capacity_used": "容量已分配",
    "out_of_scope": "须街道吹哨",
    "plan_outdated": "方案已过期",
}
"""Unmet reason codes -> Chinese label shown to planners."""


class ReportError(ValueError):
    """The plan does not fit the graph (unknown need or resource, over-promised capacity)."""


@dataclass(frozen=True)
class SummaryRow:
    """One line of the summary: a community, a street subtotal (community None) or the total."""

    street: str | None
    community: str | None
    open_needs: int
    met: int
    unmet: int
    partial: int  # of the unmet: needs partly met
    quantity: int
    met_quantity: int
    unmet_quantity: int
    kind: str = "community"  # community | street | total

    @property
    def met_share(self) -> float | None:
        """Share of needs fully met (None when there are no needs)."""
        return self.met / self.open_needs if self.open_needs else None

    @property
    def quantity_share(self) -> float | None:
        """Share of the asked quantity that is met (None when nothing was asked)."""
        return self.met_quantity / self.quantity if self.quantity else None


@dataclass(frozen=True)
class DetailRow:
    """One assignment with names and the path that explains it."""

    need_id: str
    need_title: str
    category: str
    community: str
    street: str
    unit: str
    resource: str
    quantity: int
    hops: int
    path: str
    steps: tuple[PathStep, ...] = ()
    served_at: str = ""  # 网格 / 社区 / 街道: the level of territory it is served from
    subtype: str = ""  # the need's sub-type (子类; blank: not known)
    fit: str = ""  # why the resource fits (相符依据: the sub-type rule and shared keywords)


@dataclass(frozen=True)
class UnmetRow:
    """A need (or its rest) the plan could not meet, and why."""

    need_id: str
    need_title: str
    category: str
    urgency: str
    community: str
    street: str
    quantity: int
    met_quantity: int
    unmet_quantity: int
    reason_label: str
    reason: str
    shortfall: int | None = None  # shortage: the district's demand minus supply of its fit group
    whistle: str = ""  # out_of_scope: the units beyond its reach with fitting capacity (吹哨 reaches them)


@dataclass(frozen=True)
class GapRow:
    """Supply and demand of one fit group (category, sub-type) over the open needs planned."""

    category: str
    subtype: str
    demand: int  # open quantity asked
    supply: int  # capacity left on fitting resources before this plan
    met: int  # what this plan meets

    @property
    def unmet(self) -> int:
        """Demand the plan leaves unmet."""
        return self.demand - self.met

    @property
    def shortfall(self) -> int:
        """Demand beyond all supply: what no plan and no whistle can meet (缺口)."""
        return max(0, self.demand - self.supply)


@dataclass(frozen=True)
class RetiredDispatchRow:
    """A dispatch (派单) to a resource the lists no longer hold: flagged for the planner."""

    need_id: str
    need_title: str
    status: str
    resource_id: str
    resource: str
    unit: str
    quantity: int | None
    retired_on: str


@dataclass(frozen=True)
class LoadRow:
    """A unit's load: how much of its resources' capacity the plan uses."""

    unit_id: str
    unit: str
    unit_kind: str
    resources: int
    capacity: int
    dispatched: int
    assigned: int

    @property
    def remaining(self) -> int:
        """Capacity left after earlier dispatches and this plan."""
        return self.capacity - self.dispatched - self.assigned

    @property
    def used_share(self) -> float | None:
        """Share of the capacity this plan assigns (None without capacity)."""
        return self.assigned / self.capacity if self.capacity else None


@dataclass(frozen=True)
class Totals:
    """The plan's headline figures (the CLI's summary lines)."""

    open_needs: int
    quantity: int
    met: int
    unmet: int
    units: int
    resources: int
    avg_hops: float | None


@dataclass
class ReportData:
    """Everything the report shows, sheet by sheet."""

    plan_id: str
    summary: list[SummaryRow]
    details: list[DetailRow]
    unmet: list[UnmetRow]
    load: list[LoadRow]
    totals: Totals
    streets: list[str] = field(default_factory=list)
    example: DetailRow | None = None  # the assignment whose path the HTML draws (typical)
    retired_dispatches: list[RetiredDispatchRow] = field(default_factory=list)
    gaps: list[GapRow] = field(default_factory=list)  # 供需缺口, largest shortfall first
    meta: ReportMeta | None = None  # the title block (district, data as of, generated at, office)

    @property
    def title(self) -> str:
        """The report's title, naming the district and the area (:attr:`ReportMeta.title`)."""
        return self.meta.title if self.meta else "需求与资源配对报告"

    def street_rows(self) -> list[SummaryRow]:
        """The street subtotal rows of the summary, in order."""
        return [r for r in self.summary if r.kind == "street"]


def _need_rows(store: Store, need_ids: list[str]) -> dict[str, dict[str, Any]]:
    rows = queries.report_needs(store, need_ids=need_ids)
    return {r["need_id"]: r for r in rows}


def _check(plan: PlanResult, needs: Mapping[str, dict[str, Any]],
           resources: Mapping[str, dict[str, Any]]) -> dict[str, int]:
    """Validate the plan against the graph; return the assigned quantity per need."""
    problems: list[str] = []
    asked = {a.need_id for a in plan.assignments} | {u.need_id for u in plan.unmet}
    missing_needs = sorted(asked - set(needs))
    if missing_needs:
        problems.append(f"方案中的需求在图中不存在：{'、'.join(missing_needs[:10])}")
    per_need: dict[str, int] = defaultdict(int)
    per_resource: dict[str, int] = defaultdict(int)
    for a in plan.assignments:
        res = resources.get(a.resource_id)
        if res is None:
            problems.append(f"方案中的资源在图中不存在：{a.resource_id}")
            continue
        if res["unit_id"] != a.unit_id:
            problems.append(f"资源 {a.resource_id} 由单位 {res['unit_id']} 提供，"
                            f"不是方案所写的 {a.unit_id}")
        if a.quantity <= 0:
            problems.append(f"需求 {a.need_id} 配对资源 {a.resource_id} 的数量应为正数：{a.quantity}")
        per_need[a.need_id] += a.quantity
        per_resource[a.resource_id] += a.quantity
    for rid, q in sorted(per_resource.items()):
        cap = resources[rid]["capacity"]
        if q > cap:
            problems.append(f"资源 {rid} 配对数量 {q} 超过其容量 {cap}")
    for nid, q in sorted(per_need.items()):
        if nid in needs and q > needs[nid]["quantity"]:
            problems.append(f"需求 {nid} 配对数量 {q} 超过其需求数量 {needs[nid]['quantity']}")
    if problems:
        raise ReportError("方案与图中数据不符：" + "；".join(problems))
    return dict(per_need)


def _summary(places: list[dict[str, Any]], needs: Mapping[str, dict[str, Any]],
             assigned: Mapping[str, int]) -> tuple[list[SummaryRow], list[str]]:
    """Rows per community, a subtotal per street and the total; and the street names in order."""
    # every community of the graph, plus whatever place a need names that the list lacks
    order: dict[tuple[str, str], tuple[str, str]] = {}
    for p in places:
        key = (p["street_id"] or "", p["community_id"])
        order[key] = (p["street_name"] or UNKNOWN_STREET, p["community_name"] or p["community_id"])
    for n in needs.values():
        key = (n["street_id"] or "", n["community_id"] or "")
        order.setdefault(key, (n["street_name"] or UNKNOWN_STREET,
                               n["community_name"] or UNKNOWN_COMMUNITY))
    counts: dict[tuple[str, str], list[int]] = {k: [0] * 7 for k in order}
    for n in needs.values():
        key = (n["street_id"] or "", n["community_id"] or "")
        got = assigned.get(n["need_id"], 0)
        rest = n["quantity"] - got
        c = counts[key]
        c[0] += 1
        c[1] += rest <= 0
        c[2] += rest > 0
        c[3] += rest > 0 and got > 0
        c[4] += n["quantity"]
        c[5] += got
        c[6] += max(rest, 0)

    rows: list[SummaryRow] = []
    streets: list[str] = []
    total = [0] * 7
    keys = sorted(order, key=lambda k: (k[0] == "", k[0], k[1] == "", k[1]))
    for sid in dict.fromkeys(k[0] for k in keys):
        street_name = order[next(k for k in keys if k[0] == sid)][0]
        streets.append(street_name)
        sub = [0] * 7
        for key in (k for k in keys if k[0] == sid):
            c = counts[key]
            rows.append(_summary_row(street_name, order[key][1], c))
            sub = [a + b for a, b in zip(sub, c)]
        rows.append(_summary_row(street_name, None, sub, kind="street"))
        total = [a + b for a, b in zip(total, sub)]
    rows.append(_summary_row(None, None, total, kind="total"))
    return rows, streets


def _summary_row(street: str | None, community: str | None, c: list[int], kind: str = "community") -> SummaryRow:
    """A summary line from the seven counts (open, met, unmet, partial, quantity, met, unmet quantity)."""
    return SummaryRow(street, community, open_needs=c[0], met=c[1], unmet=c[2], partial=c[3], quantity=c[4],
                      met_quantity=c[5], unmet_quantity=c[6], kind=kind)


def _restrict(plan: PlanResult, needs: dict[str, dict[str, Any]], area: ReportArea | None
              ) -> tuple[PlanResult, dict[str, dict[str, Any]]]:
    """The plan's assignments and unmet needs, and the needs, of ``area`` only (all without one)."""
    if area is None:
        return plan, needs
    mine = {k: n for k, n in needs.items() if area.holds(n)}
    return plan.model_copy(update={"assignments": [a for a in plan.assignments if a.need_id in mine],
                                   "unmet": [u for u in plan.unmet if u.need_id in mine]}), mine


def build_report(store: Store, plan: PlanResult,
                 paths: Mapping[tuple[str, str], list[PathStep]] | None = None,
                 area: ReportArea | None = None, office: str | None = None,
                 now: dt.datetime | None = None) -> ReportData:
    """Join ``plan`` with the graph's names into the report's rows.

    ``paths`` maps (need id, resource id) to the path that explains an assignment
    (:func:`orglink.report.paths.assignment_paths` finds them); an assignment without one
    gets an empty path. ``area`` restricts the report to a street or community
    (:mod:`orglink.report.area`; the whole plan is checked all the same); ``office`` and
    ``now`` go into the title block (:mod:`orglink.report.meta`). Raises
    :class:`ReportError` if the plan does not fit the graph.
    """
    need_ids = sorted({a.need_id for a in plan.assignments} | {u.need_id for u in plan.unmet})
    needs = _need_rows(store, need_ids)
    resource_rows = queries.report_resources(store)
    resources = {r["resource_id"]: r for r in resource_rows}
    assigned = _check(plan, needs, resources)
    whole = plan
    plan, needs = _restrict(plan, needs, area)
    need_ids = sorted(needs)
    places = [p for p in queries.report_places(store) if area is None or area.holds(p)]
    summary, streets = _summary(places, needs, assigned)
    paths = paths or {}

    def where(n: dict[str, Any]) -> tuple[str, str]:
        return (n["community_name"] or UNKNOWN_COMMUNITY, n["street_name"] or UNKNOWN_STREET)

    details: list[DetailRow] = []
    for a in sorted(plan.assignments, key=lambda a: (a.need_id, a.hops, a.resource_id)):
        n, r = needs[a.need_id], resources[a.resource_id]
        steps = tuple(paths.get((a.need_id, a.resource_id), ()))
        details.append(DetailRow(
            need_id=a.need_id, need_title=n["title"] or "", category=n["category"] or "",
            community=where(n)[0], street=where(n)[1], unit=r["unit_name"] or r["unit_id"],
            resource=r["resource_title"] or r["resource_id"], quantity=a.quantity, hops=a.hops,
            path=path_text(steps), steps=steps, served_at=LEVEL_ZH.get(a.served_at or "", ""),
            subtype=n.get("subtype") or "",
            fit=explain_fit(n, {"category": r["category"], "subtype": r.get("subtype"),
                                "title": r["resource_title"], "keywords": r.get("keywords")}).basis))

    reasons: dict[str, tuple[str, str]] = {}
    why: dict[str, Unmet] = {}
    for u in plan.unmet:
        reasons.setdefault(u.need_id, (REASON_CODES.get(u.reason_code, u.reason_code), u.reason))
        why.setdefault(u.need_id, u)
    unmet: list[UnmetRow] = []
    for nid in need_ids:
        n = needs[nid]
        got = assigned.get(nid, 0)
        rest = n["quantity"] - got
        if rest <= 0:
            continue
        label, reason = reasons.get(nid, ("", NO_REASON))
        unmet.append(UnmetRow(
            need_id=nid, need_title=n["title"] or "", category=n["category"] or "",
            urgency=URGENCIES.get(n["urgency"] or "", n["urgency"] or ""),
            community=where(n)[0], street=where(n)[1], quantity=n["quantity"], met_quantity=got,
            unmet_quantity=rest, reason_label=label, reason=reason,
            shortfall=why[nid].shortfall if nid in why else None,
            whistle=whistle_text(why[nid].whistle) if nid in why else ""))

    load = _load(resource_rows, whole, {a.unit_id for a in plan.assignments} if area else None)
    hops = [a.hops for a in plan.assignments]
    total = summary[-1]
    totals = Totals(
        open_needs=total.open_needs, quantity=total.quantity, met=total.met, unmet=total.unmet,
        units=len({a.unit_id for a in plan.assignments}),
        resources=len({a.resource_id for a in plan.assignments}),
        avg_hops=round(sum(hops) / len(hops), 2) if hops else None)
    example = _typical(details)
    flagged = [RetiredDispatchRow(
        need_id=r["need_id"], need_title=r["need_title"] or "", status=NEED_STATUSES.get(r["status"] or "", ""),
        resource_id=r["resource_id"], resource=r["resource_title"] or r["resource_id"],
        unit=r["unit_name"] or "", quantity=r["quantity"], retired_on=(r["retired_on"] or "")[:10])
        for r in queries.retired_dispatches(store) if not r["need_retired"]]
    if area is not None and flagged:
        held = {r["need_id"] for r in _need_rows(store, [f.need_id for f in flagged]).values() if area.holds(r)}
        flagged = [f for f in flagged if f.need_id in held]
    meta = report_meta(store, plan.plan_id or "", now or china_now(), office, area.label if area else "")
    return ReportData(plan_id=plan.plan_id or "", summary=summary, details=details, unmet=unmet,
                      load=load, totals=totals, streets=streets, example=example,
                      retired_dispatches=flagged, gaps=_gaps(plan, needs, resource_rows), meta=meta)


WHISTLE_SHOWN = 5
"""How many units an unmet row names as whistle targets (可吹哨单位); the rest are counted."""


def whistle_text(whistle: list[Whistle]) -> str:
    """The units a 吹哨 would reach, most spare capacity first, as planners read them:
    ``某单位（余 3）、…等 7 个单位``, one entry per unit (its spare summed over its resources)."""
    spare: dict[str, int] = defaultdict(int)
    names: dict[str, str] = {}
    for w in whistle:
        spare[w.unit_id] += w.spare
        names[w.unit_id] = w.unit_name or w.unit_id
    order = sorted(spare, key=lambda u: (-spare[u], u))
    text = "、".join(f"{names[u]}（余 {spare[u]}）" for u in order[:WHISTLE_SHOWN])
    return text + (f"等 {len(order)} 个单位" if len(order) > WHISTLE_SHOWN else "")


def _gaps(plan: PlanResult, needs: Mapping[str, dict[str, Any]],
          resource_rows: list[dict[str, Any]]) -> list[GapRow]:
    """Demand, supply and met per fit group over the needs the plan covers; the largest
    shortfall first, then the largest unmet, then by name."""
    demand: dict[tuple[str, str], int] = defaultdict(int)
    met: dict[tuple[str, str], int] = defaultdict(int)
    for n in needs.values():
        demand[(n["category"] or "", n.get("subtype") or ALL_SUBTYPES)] += n["quantity"]
    for a in plan.assignments:
        n = needs[a.need_id]
        met[(n["category"] or "", n.get("subtype") or ALL_SUBTYPES)] += a.quantity
    def supply(category: str, subtype: str) -> int:
        """Capacity left on the resources that fit the group (its sub-type, 通用 or unknown)."""
        need_sub = None if subtype == ALL_SUBTYPES else subtype
        return sum(max(0, r["capacity"] - r["dispatched"]) for r in resource_rows
                   if fits(category, need_sub, r["category"] or "", r.get("subtype")))

    rows = [GapRow(category=c, subtype=st, demand=d, supply=supply(c, st), met=met[(c, st)])
            for (c, st), d in demand.items()]
    rows.sort(key=lambda g: (-g.shortfall, -g.unmet, g.category, g.subtype))
    return rows


def _typical(details: list[DetailRow]) -> DetailRow | None:
    """The example path the HTML draws: a typical one — of the hop count most assignments
    have (fewer hops among equals), the first by need id."""
    drawn = [d for d in details if d.steps]
    if not drawn:
        return None
    freq = Counter(d.hops for d in drawn)
    hops = min(freq, key=lambda h: (-freq[h], h))
    return min((d for d in drawn if d.hops == hops), key=lambda d: (d.need_id, d.resource))


def _load(resource_rows: list[dict[str, Any]], plan: PlanResult, units_shown: set[str] | None = None
          ) -> list[LoadRow]:
    """One row per unit that offers resources (or per unit of ``units_shown``), busiest
    (largest share used) first; each with its load under the whole ``plan``."""
    per_resource: dict[str, int] = defaultdict(int)
    for a in plan.assignments:
        per_resource[a.resource_id] += a.quantity
    units: dict[str, dict[str, Any]] = {}
    for r in resource_rows:
        u = units.setdefault(r["unit_id"], {
            "unit_id": r["unit_id"], "unit": r["unit_name"] or r["unit_id"],
            "unit_kind": r["unit_kind"] or "", "resources": 0, "capacity": 0, "dispatched": 0,
            "assigned": 0})
        u["resources"] += 1
        u["capacity"] += r["capacity"]
        u["dispatched"] += r["dispatched"]
        u["assigned"] += per_resource.get(r["resource_id"], 0)
    rows = [LoadRow(**u) for u in units.values() if units_shown is None or u["unit_id"] in units_shown]
    rows.sort(key=lambda r: (-(r.used_share or 0.0), -r.assigned, r.unit_id))
    return rows
