"""Paths that explain an assignment: finding them, and naming their parts in Chinese.

A path is the list of :class:`~orglink.matching.types.PathStep` that matching gives with
every candidate (grid → community ← co-building unit …). As text
(:func:`orglink.matching.nearest.path_text`) it reads ``春晖一网格 →属于→ 春晖社区 ←共建← 惠农中学``.
"""

from __future__ import annotations

from orglink.graph.model import MODEL
from orglink.graph.store import NotFound, Store
from orglink.matching.nearest import nearest_units
from orglink.matching.nearest import path_text as path_text  # the one text form of a path
from orglink.matching.types import PathStep, PlanResult


def rel_label(type_: str | None) -> str:
    """The Chinese name of a relationship type (the type itself if the model lacks it)."""
    if not type_:
        return ""
    try:
        return MODEL.rel(type_).zh
    except KeyError:
        return type_


def node_label(label: str) -> str:
    """The Chinese name of a node label (the label itself if the model lacks it)."""
    try:
        return MODEL.node(label).zh
    except KeyError:
        return label


def step_name(step: PathStep) -> str:
    """What a path node is called in the report: its name, else its id."""
    return step.name or step.id


def assignment_paths(store: Store, plan: PlanResult) -> dict[tuple[str, str], list[PathStep]]:
    """The path of every assignment of ``plan``: (need id, resource id) -> steps.

    Asks matching (:func:`orglink.matching.nearest.nearest_units`, all candidates) once per
    assigned need and takes the candidate of the assigned resource; if that resource is no
    longer a candidate (its capacity was dispatched since the plan), the path to the same unit
    serves, since a path leads to a unit, not to one of its resources. An assignment whose
    unit is no longer reachable gets no path.
    """
    paths: dict[tuple[str, str], list[PathStep]] = {}
    by_need: dict[str, list[tuple[str, str]]] = {}
    for a in plan.assignments:
        by_need.setdefault(a.need_id, []).append((a.resource_id, a.unit_id))
    for need_id, wanted in sorted(by_need.items()):
        try:
            cands = nearest_units(store, need_id, top=None)
        except NotFound:
            continue
        by_resource = {c.resource_id: c.path for c in cands}
        by_unit: dict[str, list[PathStep]] = {}
        for c in cands:  # nearest first, so the shortest path to each unit wins
            by_unit.setdefault(c.unit_id, c.path)
        for resource_id, unit_id in wanted:
            path = by_resource.get(resource_id) or by_unit.get(unit_id)
            if path:
                paths[(need_id, resource_id)] = path
    return paths
