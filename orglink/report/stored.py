"""A plan already in the store (``orglink report --plan-id``), as a full :class:`PlanResult`.

The store keeps a plan's assignments (``MATCHED_TO`` relationships), not its unmet needs.
Those come from planning the current state again: if nothing changed since the plan was
stored, the new plan is the stored one, reasons and all. If the data changed, the stored
assignments stand and every open need they leave (partly) unmet is listed, with the current
plan's reason where it has one, else as "the plan is out of date".
"""

from __future__ import annotations

from collections import defaultdict

from orglink.graph.store import NotFound, Store
from orglink.matching.plan import run_plan, stored_assignments, stored_plans
from orglink.matching.types import Assignment, PlanResult, Unmet

OUTDATED = "plan_outdated"
OUTDATED_REASON = "按当前数据可以配对，但本方案生成后数据有变化、未作安排：请重新生成方案"


def _key(a: Assignment) -> tuple:
    return (a.need_id, a.resource_id, a.unit_id, a.quantity, a.hops)


def stored_plan(store: Store, plan_id: str) -> PlanResult:
    """The plan ``plan_id`` as stored; raise :class:`NotFound` if the store has no such plan."""
    stored = stored_assignments(store, plan_id)
    if not stored and not any(p["id"] == plan_id for p in stored_plans(store)):  # a plan may pair nothing
        raise NotFound(f"方案不存在（图中没有该方案的配对记录）：{plan_id}")
    current = run_plan(store, plan_id=plan_id, write=False)
    if sorted(map(_key, stored)) == sorted(map(_key, current.assignments)):
        return current  # nothing changed since the plan was stored
    asked: dict[str, int] = defaultdict(int)
    for a in current.assignments:
        asked[a.need_id] += a.quantity
    reasons: dict[str, Unmet] = {}
    for u in current.unmet:
        asked[u.need_id] += u.quantity
        reasons[u.need_id] = u
    got: dict[str, int] = defaultdict(int)
    for a in stored:
        got[a.need_id] += a.quantity
    unmet: list[Unmet] = []
    for need_id in sorted(asked):
        left = asked[need_id] - got[need_id]
        if left <= 0:
            continue
        now = reasons.get(need_id)
        if now is not None:
            unmet.append(now.model_copy(update={"quantity": left}))
        else:
            unmet.append(Unmet(need_id=need_id, reason=OUTDATED_REASON, reason_code=OUTDATED,
                               quantity=left))
    return PlanResult(plan_id=plan_id, assignments=stored, unmet=unmet)
