"""Nearest units for one need: candidates with their paths, ordered the same on every backend.

The store answers the named queries ``need_context`` and ``nearest_units`` (Cypher on Neo4j,
the networkx twin embedded); ordering, distances and the ``top`` cut happen here, so both
backends give the same list.

:func:`match_need` is what ``orglink match`` and ``GET /needs/{id}/matches`` show: by default
one row per unit (its best fitting resource, category and sub-type, nearest first, then the
one sharing the most keywords with the need; each says why it fits), each with the capacity
left after dispatches (派单) and how much of it the newest stored plan (``Plan`` node) already
promises; a need that is done (已办结) lists no candidates, an escalated one (吹哨) carries the
departments' answers (报到). :func:`nearest_units` keeps the plain list: every (unit, resource)
of the need's category, whatever the need's state.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from orglink import queries
from orglink.graph.model import MODEL
from orglink.graph.store import NotFound, Store
from orglink.matching.fit import explain_fit, fits
from orglink.matching.geo import centre, distance_km
from orglink.matching.plan import stored_assignments
from orglink.matching.reasons import REASONS, reason_code
from orglink.matching.types import Candidate, PathStep

DONE = "done"
"""The status of a need that is done (已办结): ``match`` lists no candidates for it."""


class MatchCandidate(Candidate):
    """A candidate as ``match`` shows it. ``remaining`` is the resource's capacity minus what
    was dispatched (派单); ``planned`` is how much of that resource the newest stored plan
    (its ``plan_id`` is on the answer) already promises, to this or other needs — None when no
    plan is stored."""

    planned: int | None = None


class Answered(BaseModel):
    """A department's answer (报到) to an escalated need."""

    unit_id: str
    unit_name: str | None = None
    at: str | None = None
    by: str | None = None
    note: str | None = None


class NeedMatch(BaseModel):
    """One need, its nearest candidates and, when there is none, why (reason code and text).

    ``per_unit``: True when ``candidates`` holds one row per unit (its best resource, the first
    in candidate order), False when one per (unit, resource); ``total`` counts all such rows
    before the ``top`` cut. A need that is done has no candidates (its ``report`` says how it
    was done); ``answers`` lists the departments that answered it (报到) when it was escalated.
    """

    need_id: str
    title: str | None = None
    category: str | None = None
    quantity: int = 1
    urgency: str | None = None
    status: str | None = None
    scope: str  # the scope matching used (grid, community, street)
    location_id: str
    location_label: str
    location_name: str | None = None
    per_unit: bool = True
    total: int = 0
    plan_id: str | None = None  # the newest stored plan ``planned`` refers to (None: no plan)
    report: str | None = None  # the report-back text (双报告) of a need that is done
    answers: list[Answered] = []
    candidates: list[MatchCandidate]
    reason_code: str | None = None  # no_resource | capacity_used | out_of_scope when no candidate
    reason: str | None = None


def need_rows(store: Store, need_id: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The need's ``need_context`` rows (one per place it was raised) and its ``nearest_units``
    rows, read in one transaction; raise NotFound if the need has no context."""
    if not isinstance(need_id, str) or not need_id.strip():
        raise NotFound("需求编号为空")
    ctx, rows = store.read_many([queries.need_context.bind(need_id=need_id),
                                 queries.nearest_units.bind(need_id=need_id)])
    if not ctx:
        raise NotFound(f"需求不存在（或未登记提出网格/社区）：{need_id}")
    return ctx, rows


def sort_key(c: Candidate) -> tuple:
    """Candidate order: hops, more capacity left, shorter distance (unknown last), unit, resource."""
    return (c.hops, -c.remaining, c.distance_km is None, c.distance_km or 0.0, c.unit_id, c.resource_id)


def fit_order(c: Candidate) -> tuple:
    """The order ``match`` shows fitting candidates in: hops, then more shared keywords (the
    closer fit, :func:`orglink.matching.fit.explain_fit`), then as :func:`sort_key`."""
    return (c.hops, -len(c.fit.keywords) if c.fit else 0, *sort_key(c)[1:])


def candidates_from_rows(rows: list[dict[str, Any]], origins: dict[str, tuple[float, float] | None]) -> list[Candidate]:
    """Turn ``nearest_units`` rows into sorted candidates (one per unit and resource)."""
    best: dict[tuple[str, str], Candidate] = {}
    for r in rows:
        ids = r["path_ids"]
        steps = [
            PathStep(id=ids[i], label=r["path_labels"][i], name=r["path_names"][i],
                     rel=r["path_rels"][i] if i < len(ids) - 1 else None,
                     forward=r["path_forward"][i] if i < len(ids) - 1 else None)
            for i in range(len(ids))
        ]
        c = Candidate(
            need_id=r["need_id"], unit_id=r["unit_id"], unit_name=r["unit_name"] or r["unit_id"],
            resource_id=r["resource_id"], resource_title=r["resource_title"] or r["resource_id"],
            category=r["category"], hops=r["hops"], remaining=r["remaining"],
            distance_km=distance_km(origins.get(ids[0]), r["unit_lat"], r["unit_lon"]),
            path=steps,
        )
        key = (c.unit_id, c.resource_id)
        if key not in best or sort_key(c) < sort_key(best[key]):
            best[key] = c
    return sorted(best.values(), key=sort_key)


def _check_top(top: int | None) -> None:
    if top is not None and (not isinstance(top, int) or isinstance(top, bool) or top < 1):
        raise ValueError("top must be a positive integer or None")


def best_per_unit(cands: Sequence[Candidate]) -> list[Candidate]:
    """One candidate per unit, the first of each in ``cands`` (in candidate order: its best resource)."""
    seen: set[str] = set()
    out: list[Candidate] = []
    for c in cands:
        if c.unit_id not in seen:
            seen.add(c.unit_id)
            out.append(c)
    return out


def newest_plan(store: Store, plans: list[dict[str, Any]] | None = None) -> tuple[str | None, dict[str, int]]:
    """The newest stored plan's id (None if there is none) and the quantity it assigns of each
    resource (summed over its needs). ``plans``: rows of ``list_plans`` (``stored_plans``)
    already read, newest first."""
    if plans is None:
        plans = queries.list_plans(store)
    if not plans:
        return None, {}
    plan_id = plans[0]["id"]
    planned: dict[str, int] = {}
    for a in stored_assignments(store, plan_id):
        planned[a.resource_id] = planned.get(a.resource_id, 0) + a.quantity
    return plan_id, planned


def with_planned(c: Candidate, plan_id: str | None, planned: dict[str, int]) -> MatchCandidate:
    """``c`` with the quantity of its resource in the newest stored plan (None: no plan)."""
    return MatchCandidate(**dict(c), planned=planned.get(c.resource_id, 0) if plan_id else None)


@dataclass(frozen=True)
class Facts:
    """What every match reads besides the need itself: the newest stored plan (its id, None
    if none, and the quantity it assigns of each resource) and every resource's category,
    sub-type and capacity left (``resource_supply`` rows by resource id). Do not mutate: it
    may be shared between calls (:func:`store_facts`)."""

    plan_id: str | None
    planned: dict[str, int]
    resources: dict[str, dict[str, Any]]

    def fitting(self, category: str | None, subtype: str | None) -> dict[str, int]:
        """Resource id -> capacity left, of every resource that fits a need of ``category``
        and ``subtype`` (category and sub-type: the resources 派单 accepts)."""
        return {rid: s["remaining"] or 0 for rid, s in self.resources.items()
                if category is not None and fits(category, subtype, s["category"], s.get("subtype"))}


FACT_QUERIES = (queries.list_plans, queries.resource_supply)
"""The queries :class:`Facts` come from (no parameters)."""


def facts_from(store: Store, plans: list[dict[str, Any]], supply: list[dict[str, Any]]) -> Facts:
    """:class:`Facts` from rows of ``list_plans`` and ``resource_supply`` already read."""
    plan_id, planned = newest_plan(store, plans)
    return Facts(plan_id, planned, {s["resource_id"]: s for s in supply})


def memoised(store: Store) -> bool:
    """True when ``store`` keeps its graph in memory with a version every write bumps (the
    embedded store: ``EmbeddedGraph.cached``), so :func:`store_facts` can keep them."""
    return callable(getattr(getattr(store, "graph", None), "cached", None))


def store_facts(store: Store, prefetched: list[list[dict[str, Any]]] | None = None) -> Facts:
    """The :class:`Facts` of ``store``'s current state. On the embedded store they are kept
    until the next write (the plan and supply lookups scan the whole graph, ~30 ms on Huinong,
    where a match takes under 1 ms); call it after a read of the same store, which reloads a
    graph another process changed. Elsewhere they come from ``prefetched`` (rows of
    :data:`FACT_QUERIES`, read in the caller's transaction) or are read now."""
    def build() -> Facts:
        rows = prefetched if prefetched is not None and not memoised(store) else \
            store.read_many([q.bind() for q in FACT_QUERIES])
        return facts_from(store, rows[0], rows[1])

    if memoised(store):
        facts: Facts = store.graph.cached("orglink.matching.facts", build)  # type: ignore[attr-defined]
        return facts
    return build()


def match_need(store: Store, need_id: str, top: int | None = 5, per_unit: bool = True) -> NeedMatch:
    """The need, its ``top`` nearest candidates (all if None) and the reason when there is none.

    ``per_unit`` (default): ``top`` counts units, each with its best resource (the first in
    candidate order); False: ``top`` (unit, resource) rows, several per unit (the plain list
    of :func:`nearest_units`). Only resources that fit the need (category and sub-type,
    :func:`orglink.matching.fit.fits`, as 派单 checks) are candidates; the reason when there is
    none counts fitting resources only. A need that is done gets no candidates; its ``report``
    says why.
    """
    _check_top(top)
    if not isinstance(need_id, str) or not need_id.strip():
        raise NotFound("需求编号为空")
    calls = [queries.need_context.bind(need_id=need_id), queries.nearest_units.bind(need_id=need_id),
             queries.need_get.bind(need_id=need_id)]
    ctx, rows, detail, *more = store.read_many(
        calls if memoised(store) else [*calls, *(q.bind() for q in FACT_QUERIES)])
    if not ctx:
        raise NotFound(f"需求不存在（或未登记提出网格/社区）：{need_id}")
    facts = store_facts(store, more)
    origins = {r["location_id"]: centre(r["loc_points"]) for r in ctx}
    first = ctx[0]
    info = detail[0] if detail else {}
    done = first["status"] == DONE
    # only resources that fit the need (category and sub-type): the ones 派单 accepts
    fitting = facts.fitting(first["category"], info.get("subtype"))
    need = {"category": first["category"], "subtype": info.get("subtype"), "title": first["title"],
            "keywords": info.get("keywords")}
    cands: list[Candidate] = [] if done else sorted(
        (c.model_copy(update={"fit": explain_fit(need, facts.resources[c.resource_id])})
         for c in candidates_from_rows(rows, origins) if c.resource_id in fitting), key=fit_order)
    if per_unit:
        cands = best_per_unit(cands)
    code = None
    if not cands and not done:
        code = reason_code(len(fitting), sum(max(0, q) for q in fitting.values()))
    plan_id, planned = facts.plan_id, facts.planned
    shown = cands if top is None else cands[:top]
    return NeedMatch(
        need_id=first["need_id"], title=first["title"], category=first["category"],
        quantity=first["quantity"], urgency=info.get("urgency"), status=first["status"],
        scope=first["scope"], location_id=first["location_id"],
        location_label=first["location_label"], location_name=first["location_name"],
        per_unit=per_unit, total=len(cands), plan_id=plan_id, report=info.get("report"),
        answers=[Answered(**{k: a.get(k) for k in Answered.model_fields}) for a in info.get("answers") or []],
        candidates=[with_planned(c, plan_id, planned) for c in shown],
        reason_code=code, reason=REASONS[code] if code else None,
    )


def nearest_units(store: Store, need_id: str, top: int | None = 5) -> list[Candidate]:
    """The ``top`` nearest (unit, resource) candidates that can meet need ``need_id``, each
    with its path: several rows per unit when it offers several fitting resources, whatever
    the need's state (the report's paths use it).

    Raises :class:`~orglink.graph.store.NotFound` for an unknown need. An empty list means no
    unit within the need's scope can meet it (see :func:`match_need` for why).
    """
    _check_top(top)
    ctx, rows = need_rows(store, need_id)
    cands = candidates_from_rows(rows, {r["location_id"]: centre(r["loc_points"]) for r in ctx})
    return cands if top is None else cands[:top]


def path_text(path: Sequence[PathStep]) -> str:
    """A path as planners read it, e.g. ``网格一 →属于→ 春晖社区 ←共建← 某小学``."""
    parts: list[str] = []
    for step in path:
        parts.append(step.name or step.id)
        if step.rel is None:
            break
        zh = MODEL.rel(step.rel).zh
        parts.append(f"→{zh}→" if step.forward else f"←{zh}←")
    return " ".join(parts)

