"""Embedded twins of the lifecycle writes (``need_create``, ``need_accept``, ``need_dispatch``,
``need_complete``, ``need_escalate``, ``need_answer``); the need reads the API and the
lifecycle use are generated lookups (:mod:`orglink.queries.catalogue_lookups`).

Each write returns the same row as its ``.cypher`` file, including ``_conflict`` (None when
the write went through); the embedded store raises :class:`~orglink.graph.store.Conflict`
on a refusal and rolls back. The embedded store serialises writes itself, so no lock is taken.
"""

from __future__ import annotations

import re
from typing import Any

from orglink.graph.cypher_semantics import append_history
from orglink.graph.embedded import EmbeddedGraph, node_key
from orglink.graph.store import NodeRec, RelRec
from orglink.queries.catalogue_lookups import PLACE
from orglink.queries.lookups import first_node
from orglink.queries.registry import twin

_DIGITS = re.compile(r"[+-]?[0-9]+")


# -- shared helpers ---------------------------------------------------------------------------
def place_of(eg: EmbeddedGraph, nk: str) -> tuple[str | None, str | None, str | None]:
    """(raised-at key, community key, street key) of need ``nk`` (None where missing): the
    same steps, and the same "first" rule (smallest id), as the generated need lookups."""
    env: dict[str, str | None] = {"n": nk}
    for step in PLACE:
        env[step.alias] = first_node(eg, step, env.get(step.src))
    return env["p"], env["c"], env["s"]


def used_capacity(eg: EmbeddedGraph, rk: str) -> int:
    """Sum of the quantities of every DISPATCHED_TO from a live need into resource ``rk``
    (missing counts 0)."""
    return sum(d.get("quantity") or 0 for nk, d in eg.in_edges(rk, "DISPATCHED_TO") if eg.is_live(nk))


def _state_conflict(nid: str, before: str, from_states: list[str], action_zh: str,
                    status_zh: dict[str, str]) -> str | None:
    if before in from_states:
        return None
    return f"需求 {nid} 当前状态为「{status_zh.get(before) or before}」，不能{action_zh}"


def _move(eg: EmbeddedGraph, nk: str, before: str, to_status: str, entry: str, **props: Any) -> None:
    d = eg.g.nodes[nk]
    eg.set_props(nk, {"status": to_status, "history": append_history(d.get("history"), before, entry), **props})


# -- reads ------------------------------------------------------------------------------------


# -- writes -----------------------------------------------------------------------------------
@twin("need_create", write=True)
def need_create(eg: EmbeddedGraph, prefix: str, community: str, grid: str | None,
                props: dict[str, Any], history: str) -> list[dict[str, Any]]:
    """点单: a new need with the next id ``prefix####`` (see need_create.cypher)."""
    ck = node_key("Community", community)
    if not eg.is_live(ck):
        return []
    place = ck
    if grid is not None:
        gk = node_key("Grid", grid)
        if eg.is_live(gk) and any(v == ck for v, _ in eg.out_edges(gk, "IN")):
            place = gk
    last = None
    for nk in eg.nodes_of("Need"):
        nid = eg.g.nodes[nk]["id"]
        if nid.startswith(prefix):
            tail = nid[len(prefix):].strip()
            if _DIGITS.fullmatch(tail):
                last = int(tail) if last is None else max(last, int(tail))
    seq = (last or 0) + 1
    new_id = prefix + (f"{seq:04d}" if seq < 10000 else str(seq))
    eg.merge_node(NodeRec("Need", new_id, {**props, "history": history}))  # a null sets nothing
    place_label = eg.g.nodes[place]["label"]
    eg.merge_rel(RelRec("RAISED_AT", "Need", new_id, place_label, eg.g.nodes[place]["id"]))
    return [{"id": new_id, "status": props.get("status")}]


def _begin(eg: EmbeddedGraph, need_id: str) -> tuple[str, str] | None:
    nk = node_key("Need", need_id)
    if not eg.is_live(nk):
        return None
    return nk, eg.g.nodes[nk].get("status") or "ordered"


@twin("need_accept", write=True)
def need_accept(eg: EmbeddedGraph, need_id: str, from_states: list[str], to_status: str,
                action_zh: str, status_zh: dict[str, str], entry: str, at: str, by: str) -> list[dict[str, Any]]:
    """接单 (see need_accept.cypher)."""
    got = _begin(eg, need_id)
    if got is None:
        return []
    nk, before = got
    conflict = _state_conflict(need_id, before, from_states, action_zh, status_zh)
    if conflict is None:
        _move(eg, nk, before, to_status, entry)
    return [{"id": need_id, "status": eg.g.nodes[nk].get("status"), "previous": before,
             "_conflict": conflict}]


@twin("need_complete", write=True)
def need_complete(eg: EmbeddedGraph, need_id: str, report: str, evaluation: str | None,
                  evaluation_note: str | None, from_states: list[str],
                  to_status: str, action_zh: str, status_zh: dict[str, str], entry: str, at: str,
                  by: str) -> list[dict[str, Any]]:
    """办结 (see need_complete.cypher)."""
    got = _begin(eg, need_id)
    if got is None:
        return []
    nk, before = got
    conflict = _state_conflict(need_id, before, from_states, action_zh, status_zh)
    if conflict is None:
        _move(eg, nk, before, to_status, entry, report=report)
        # SET n.x = null removes the property
        eg.set_props(nk, {"evaluation": evaluation, "evaluation_note": evaluation_note})
    return [{"id": need_id, "status": eg.g.nodes[nk].get("status"), "previous": before,
             "_conflict": conflict}]


@twin("need_escalate", write=True)
def need_escalate(eg: EmbeddedGraph, need_id: str, called: list[str], from_states: list[str], to_status: str,
                  action_zh: str, status_zh: dict[str, str], entry: str, at: str,
                  by: str) -> list[dict[str, Any]]:
    """吹哨 (see need_escalate.cypher)."""
    got = _begin(eg, need_id)
    if got is None:
        return []
    nk, before = got
    _, _, sk = place_of(eg.live(), nk)
    conflict = _state_conflict(need_id, before, from_states, action_zh, status_zh)
    if conflict is None and sk is None:
        conflict = f"需求 {need_id} 所在社区没有所属街道，无法吹哨"
    if conflict is None:
        eg.merge_rel(RelRec("ESCALATED_TO", "Need", need_id, "Street", eg.g.nodes[sk]["id"],
                            {"at": at, "by": by}))
        _move(eg, nk, before, to_status, entry)
    done: list[str] = []
    for unit_id in called if conflict is None else []:
        uk = node_key("Unit", unit_id)
        if eg.is_live(uk) and "Department" in eg.g.nodes[uk]["labels"]:
            eg.merge_rel(RelRec("CALLED", "Need", need_id, "Unit", unit_id, {"at": at, "by": by}))
            done.append(unit_id)
    return [{"id": need_id, "status": eg.g.nodes[nk].get("status"), "previous": before,
             "street": eg.id_of(sk), "called": done, "_conflict": conflict}]


@twin("need_answer", write=True)
def need_answer(eg: EmbeddedGraph, need_id: str, unit_id: str, note: str | None,
                from_states: list[str], to_status: str, action_zh: str, status_zh: dict[str, str],
                entry: str, at: str, by: str) -> list[dict[str, Any]]:
    """报到 (see need_answer.cypher)."""
    got = _begin(eg, need_id)
    uk = node_key("Unit", unit_id)
    if got is None or not eg.is_live(uk):
        return []
    nk, before = got
    conflict = _state_conflict(need_id, before, from_states, action_zh, status_zh)
    if conflict is None and "Department" not in eg.g.nodes[uk]["labels"]:
        conflict = f"单位 {unit_id} 不是区直部门，不能报到"
    if conflict is None and eg.g.has_edge(uk, nk, "ANSWERED"):
        conflict = f"单位 {unit_id} 已对需求 {need_id} 报到"
    if conflict is None:
        props = {"at": at, "by": by, **({"note": note} if note is not None else {})}
        eg.merge_rel(RelRec("ANSWERED", "Unit", unit_id, "Need", need_id, props))
        _move(eg, nk, before, to_status, entry)
    return [{"id": need_id, "status": eg.g.nodes[nk].get("status"), "previous": before,
             "unit_id": unit_id, "_conflict": conflict}]


@twin("need_dispatch", write=True)
def need_dispatch(eg: EmbeddedGraph, need_id: str, resource_id: str, quantity: int,
                  from_states: list[str], to_status: str, action_zh: str, status_zh: dict[str, str],
                  entry: str, at: str, by: str) -> list[dict[str, Any]]:
    """派单 with the capacity check (see need_dispatch.cypher)."""
    got = _begin(eg, need_id)
    rk = node_key("Resource", resource_id)
    if got is None or not eg.is_live(rk):
        return []
    nk, before = got
    remaining = (eg.g.nodes[rk].get("capacity") or 0) - used_capacity(eg, rk)
    conflict = _state_conflict(need_id, before, from_states, action_zh, status_zh)
    if conflict is None and remaining < quantity:
        conflict = f"资源 {resource_id} 剩余数量 {remaining}，不足以派单 {quantity}"
    if conflict is None:
        # DISPATCHED_TO has no key properties: one relationship per (need, resource); a need is
        # dispatched once (dispatched is not a source state of dispatch), so nothing is overwritten
        eg.merge_rel(RelRec("DISPATCHED_TO", "Need", need_id, "Resource", resource_id,
                            {"quantity": quantity, "at": at, "by": by}))
        _move(eg, nk, before, to_status, entry)
    return [{"id": need_id, "status": eg.g.nodes[nk].get("status"), "previous": before,
             "resource_id": resource_id,
             "remaining": remaining - quantity if conflict is None else remaining,
             "_conflict": conflict}]
