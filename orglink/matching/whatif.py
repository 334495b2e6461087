"""What if (推演): plan a scenario without writing anything and compare it with the current plan.

A scenario changes the plan's input (:class:`orglink.matching.plan.PlanInput`) only:

* ``withdraw``: units that withdraw (撤出) — their resources offer nothing;
* ``capacity``: a resource's capacity left set to a new figure (``RESOURCE=N``);
* ``surge``: a category's open demand multiplied (``CATEGORY=FACTOR``, each need's quantity
  rounded up).

Both plans are solved by the same :func:`orglink.matching.plan.build_plan` on the same reads, so
the comparison shows only what the scenario changes: the needs newly unmet (with the reason)
and newly met, the needs whose resources changed, and the totals before and after per street
and per category.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import replace
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from orglink import queries
from orglink.graph.model import CATEGORIES
from orglink.graph.store import Store
from orglink.matching.plan import PlanInput, build_plan, read_input
from orglink.matching.types import PlanResult


class Scenario(BaseModel):
    """What changes: units withdrawn, capacities set, categories' demand multiplied."""

    model_config = ConfigDict(strict=True, extra="forbid")

    withdraw: Annotated[list[Annotated[str, Field(min_length=1, max_length=64)]], Field(max_length=500)] = []
    capacity: Annotated[dict[str, Annotated[int, Field(ge=0, le=1_000_000)]], Field(max_length=500)] = {}
    surge: Annotated[dict[str, Annotated[float, Field(gt=0, le=1000)]], Field(max_length=20)] = {}


class Reassigned(BaseModel):
    """A need met in both plans, by other resources in the scenario."""

    need_id: str
    before: list[str]
    after: list[str]


class NewlyUnmet(BaseModel):
    """A need (or part) the scenario leaves unmet that the current plan met."""

    need_id: str
    title: str | None = None
    quantity: int  # how much more of it is unmet
    reason_code: str | None = None
    reason: str | None = None


class Totals(BaseModel):
    """Quantity asked and met, before and after, of one street or category."""

    key: str
    asked_before: int = 0
    met_before: int = 0
    asked_after: int = 0
    met_after: int = 0


class WhatIf(BaseModel):
    """The comparison of the current plan with the scenario's."""

    scenario: Scenario
    newly_unmet: list[NewlyUnmet]
    newly_met: list[str]
    reassigned: list[Reassigned]
    by_street: list[Totals]
    by_category: list[Totals]


def check_scenario(store: Store, s: Scenario, inp: PlanInput) -> None:
    """ValueError (Chinese, naming the item) for a unit, resource or category the store does
    not know, a negative capacity or a factor that is not positive."""
    for unit in s.withdraw:
        if not queries.unit_brief(store, unit_id=unit):
            raise ValueError(f"单位不存在：{unit}")
    for rid, n in s.capacity.items():
        if rid not in inp.supply:
            raise ValueError(f"资源不存在：{rid}")
        if not isinstance(n, int) or isinstance(n, bool) or n < 0:
            raise ValueError(f"资源 {rid} 的容量应为不小于 0 的整数：{n!r}")
    for cat, f in s.surge.items():
        if cat not in CATEGORIES:
            raise ValueError(f"未知的类别：{cat}")
        if not f > 0:
            raise ValueError(f"类别 {cat} 的倍数应大于 0：{f!r}")


def apply(inp: PlanInput, s: Scenario) -> PlanInput:
    """The plan input of scenario ``s`` (pure)."""
    gone = set(s.withdraw)
    supply = {}
    for rid, v in inp.supply.items():
        v = dict(v)
        if v.get("unit_id") in gone:
            continue  # a unit that withdrew offers nothing: its resources leave the district
        if rid in s.capacity:
            v["remaining"] = s.capacity[rid]
        supply[rid] = v
    needs = {}
    for nid, v in inp.needs.items():
        v = dict(v)
        if v["category"] in s.surge:
            v["quantity"] = math.ceil(v["quantity"] * s.surge[v["category"]])
        needs[nid] = v
    edges = {k: e for k, e in inp.edges.items() if e[1] not in gone and k[1] in supply}
    return replace(inp, needs=needs, supply=supply, edges=edges)


def compare(inp: PlanInput, before: PlanResult, after_inp: PlanInput, after: PlanResult,
            streets: dict[str, str], s: Scenario) -> WhatIf:
    """The :class:`WhatIf` of two plans (pure); ``streets``: need id → street name."""
    mb, ma = defaultdict(int, before.met_by_need()), defaultdict(int, after.met_by_need())
    why = {u.need_id: u for u in after.unmet}
    res_b: dict[str, list[str]] = defaultdict(list)
    res_a: dict[str, list[str]] = defaultdict(list)
    for a in before.assignments:
        res_b[a.need_id].append(a.resource_id)
    for a in after.assignments:
        res_a[a.need_id].append(a.resource_id)
    newly_unmet = []
    for n in sorted(inp.needs):
        more = (after_inp.needs[n]["quantity"] - ma[n]) - (inp.needs[n]["quantity"] - mb[n])
        if more > 0:  # more of it is left unmet in the scenario
            u = why.get(n)
            newly_unmet.append(NewlyUnmet(need_id=n, title=inp.needs[n].get("title"), quantity=more,
                                          reason_code=u.reason_code if u else None,
                                          reason=u.reason if u else None))
    newly_met = sorted(n for n in inp.needs if mb[n] == 0 and ma[n] > 0)
    reassigned = [Reassigned(need_id=n, before=sorted(res_b[n]), after=sorted(res_a[n]))
                  for n in sorted(inp.needs) if res_b[n] and res_a[n] and sorted(res_b[n]) != sorted(res_a[n])]

    def totals(key_of: dict[str, str]) -> list[Totals]:
        t: dict[str, Totals] = {}
        for n in inp.needs:
            k = key_of.get(n) or "未知"
            row = t.setdefault(k, Totals(key=k))
            row.asked_before += inp.needs[n]["quantity"]
            row.met_before += mb[n]
            row.asked_after += after_inp.needs[n]["quantity"]
            row.met_after += ma[n]
        return [t[k] for k in sorted(t)]

    return WhatIf(scenario=s, newly_unmet=newly_unmet, newly_met=newly_met, reassigned=reassigned,
                  by_street=totals(streets), by_category=totals({n: v["category"] for n, v in inp.needs.items()}))


def what_if(store: Store, scenario: Scenario) -> WhatIf:
    """Plan ``scenario`` without writing and compare it with planning the current state."""
    inp = read_input(store)
    check_scenario(store, scenario, inp)
    after_inp = apply(inp, scenario)
    before, after = build_plan(inp, "current"), build_plan(after_inp, "whatif")
    streets = {r["need_id"]: r["street_name"] or r["street_id"] or ""
               for r in queries.report_needs(store, need_ids=sorted(inp.needs))}
    return compare(inp, before, after_inp, after, streets, scenario)


def parse_pairs(items: list[str], what: str, number: Any) -> dict[str, Any]:
    """``["R1=3", …]`` → ``{"R1": 3}`` with ``number`` (int or float); ValueError in Chinese."""
    out: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        try:
            if not sep or not key.strip():
                raise ValueError
            out[key.strip()] = number(value.strip())
        except ValueError:
            raise ValueError(f"{what}应写成 名称=数值：{item!r}") from None
    return out
