"""The need lifecycle (居民点单—网格接单—党组织派单—办结, 街道吹哨—部门报到).

One transition table (:data:`TRANSITIONS`) says which action moves a need from which states to
which state; the functions below are what the CLI and the HTTP API call. Every state change is
one named write query (``orglink/queries/need_<action>.cypher`` + its twin in
``orglink/queries/need_twins.py``) that checks the current state, changes it and appends the
audit entry (who, when, from, to) to the need's ``history`` in the same transaction. A need in
the wrong state raises :class:`~orglink.graph.store.Conflict` carrying the current state.

::

    ordered ──accept──▶ accepted ──dispatch──▶ dispatched ──complete──▶ done
                           │                      ▲                      ▲
                           └─escalate─▶ escalated ┘──────complete────────┘
                                         │  ▲
                                         └──┘ answer (a department reports for duty)
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from orglink import queries
from orglink.clock import china_now
from orglink.deadlines import deadline, parse_due_days
from orglink.graph.model import CATEGORIES, EVALUATIONS, NEED_STATUSES, SCOPES, URGENCIES
from orglink.graph.store import Conflict, NotFound, Store
from orglink.graph.subtypes import infer_subtype
from orglink.graph.taxonomy import fits
from orglink.settings import load_settings


@dataclass(frozen=True)
class Transition:
    """One lifecycle action: the states it may start from and the state it leads to."""

    action: str
    zh: str
    sources: tuple[str, ...]
    target: str


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition("accept", "接单", ("ordered",), "accepted"),
        Transition("dispatch", "派单", ("accepted", "escalated"), "dispatched"),
        Transition("escalate", "吹哨", ("accepted",), "escalated"),
        Transition("answer", "报到", ("escalated",), "escalated"),
        Transition("complete", "办结", ("dispatched", "escalated"), "done"),
    )
}
"""The whole lifecycle: action -> transition. ``order`` (点单) creates a need in ``ordered``."""

ORDER_ZH = "点单"
MAX_QUANTITY = 1_000_000


class InputError(ValueError):
    """Bad input for a lifecycle call: ``field`` names the offending field (HTTP 422)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def _field(name: str, fn: Callable[[str], str], value: str) -> str:
    try:
        return fn(value)
    except ValueError as exc:
        raise InputError(name, str(exc)) from None


_CONTROLS = "".join(ch for ch in map(chr, range(0x100)) if unicodedata.category(ch) == "Cc")
"""Every control character (category Cc: U+0000–U+001F and U+007F–U+009F, all below U+0100)."""
_LINE_BAD = re.compile(f"[{re.escape(_CONTROLS)}\ud800-\udfff\ufffe\uffff]")
"""What one line of user text may not hold: any control character (tab and line breaks too),
a lone surrogate, U+FFFE or U+FFFF (the same set the list loaders refuse, and TAB/CR/LF)."""
_TEXT_BAD = re.compile(f"[{re.escape(_CONTROLS.replace(chr(9), '').replace(chr(10), ''))}"
                       "\ud800-\udfff\ufffe\uffff]")
"""What free text over several lines may not hold: the same, but tab and line feed are allowed."""


def _refuse_odd(text: str, bad: re.Pattern[str]) -> str:
    m = bad.search(text)
    if m is None:
        return text
    code = ord(m[0])
    if 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF):
        raise ValueError(f"含有无效字符 U+{code:04X}，请删除")
    if m[0] in "\t\n\r" and bad is _LINE_BAD:
        raise ValueError(f"含有制表符或换行符 U+{code:04X}，应为一行文字")
    raise ValueError(f"含有控制字符 U+{code:04X}，请删除")


def line_text(text: str) -> str:
    """``text`` if it is one line of text a report can hold: no control character (tab, CR and
    LF included), no lone surrogate, no U+FFFE/U+FFFF.

    Raises ``ValueError`` with a Chinese message naming the first such character.
    """
    return _refuse_odd(text, _LINE_BAD)


def free_text(text: str) -> str:
    """``text`` if it is free text over lines a report can hold: as :func:`line_text`, but line
    feeds and tabs are allowed (carriage returns are not).

    Raises ``ValueError`` with a Chinese message naming the first refused character.
    """
    return _refuse_odd(text, _TEXT_BAD)


def allowed_actions(status: str) -> list[str]:
    """Actions that may be taken on a need in ``status`` (in table order)."""
    return [a for a, t in TRANSITIONS.items() if status in t.sources]


def category_value(text: str) -> str:
    """The stored (Chinese) category for a Chinese or English category name.

    Raises ``ValueError`` with a Chinese message naming the allowed values.
    """
    t = text.strip()
    if t in CATEGORIES:
        return t
    for zh, en in CATEGORIES.items():
        if t.lower() == en.lower():
            return zh
    raise ValueError(f"未知的类别 {text!r}，应为 {'/'.join(CATEGORIES)}")


def _choice(text: str, choices: dict[str, str], what: str) -> str:
    t = text.strip()
    if t in choices:
        return t
    for k, zh in choices.items():
        if t == zh:
            return k
    raise ValueError(f"未知的{what} {text!r}，应为 {'/'.join(choices.values())}")


def urgency_value(text: str) -> str:
    """The stored urgency (normal/pressing/urgent) for it or its Chinese label."""
    return _choice(text, URGENCIES, "紧急程度")


def scope_value(text: str) -> str:
    """The stored scope (grid/community/street) for it or its Chinese label."""
    return _choice(text, SCOPES, "范围")


def status_value(text: str) -> str:
    """The stored status for it or its Chinese label."""
    return _choice(text, NEED_STATUSES, "状态")


def _entry(action: str, to: str, by: str, at: str, **extra: Any) -> str:
    """The JSON text of one audit entry, without ``from`` (the write query adds it)."""
    zh = ORDER_ZH if action == "order" else TRANSITIONS[action].zh
    body = {"action": action, "action_zh": zh, "to": to, "by": by, "at": at}
    body.update({k: v for k, v in extra.items() if v is not None})
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def _params(action: str, by: str, now: dt.datetime, **extra: Any) -> dict[str, Any]:
    t = TRANSITIONS[action]
    at = now.isoformat()
    return {
        "from_states": list(t.sources),
        "to_status": t.target,
        "action_zh": t.zh,
        "status_zh": dict(NEED_STATUSES),
        "at": at,
        "by": by,
        "entry": _entry(action, t.target, by, at, **extra),
    }


def _one(rows: list[dict[str, Any]], what: str) -> dict[str, Any]:
    """The single row of a write, raising NotFound if it matched nothing and Conflict if refused."""
    if not rows:
        raise NotFound(what)
    row = rows[0]
    if row.get("_conflict"):
        # backends that do not raise Conflict themselves still refuse the write in the query
        raise Conflict(row["_conflict"], current={k: v for k, v in row.items() if k != "_conflict"})
    return {k: v for k, v in row.items() if k != "_conflict"}


def need_place(store: Store, need_id: str) -> dict[str, Any]:
    """Where a need sits: ``{id, status, raised_at, community, street, escalated}``.

    Raises :class:`NotFound` if there is no such need.
    """
    rows = queries.need_place(store, need_id=need_id)
    if not rows:
        raise NotFound(f"需求不存在：{need_id}")
    return rows[0]


def need_detail(store: Store, need_id: str, now: dt.datetime | None = None) -> dict[str, Any]:
    """A need with its place, dispatches, escalations, answers, the departments a whistle called,
    its evaluation, parsed audit trail, and its deadline (``due_on``, and ``overdue`` at ``now``:
    :mod:`orglink.deadlines`)."""
    rows = queries.need_get(store, need_id=need_id)
    if not rows:
        raise NotFound(f"需求不存在：{need_id}")
    row = dict(rows[0])
    text = row.pop("history", None)
    try:
        row["history"] = json.loads(text) if text else []
    except ValueError:
        row["history"] = []
    row["actions"] = allowed_actions(row.get("status") or "ordered")
    d = deadline(row, parse_due_days(load_settings().due_days))
    row["due_on"] = d.due_on.isoformat() if d.due_on else None
    row["overdue"] = d.overdue((now or china_now()).date())
    return row


def create_need(store: Store, *, title: str, category: str, community: str, grid: str | None = None,
                quantity: int = 1, urgency: str | None = None, scope: str | None = None,
                by: str, now: dt.datetime | None = None) -> dict[str, Any]:
    """点单: record a resident's order raised at ``grid`` (in ``community``) or at the community.

    The id is the next ``N-YYYYMMDD-####`` of the day (China time), chosen inside the write.
    Raises :class:`InputError` naming the field for an unknown community, grid, category,
    urgency or scope, an empty title, one holding a control character (:func:`line_text`) or a
    quantity out of range.
    """
    now = now or china_now()
    cat = _field("category", category_value, category)
    urg = _field("urgency", urgency_value, urgency) if urgency else None
    scp = _field("scope", scope_value, scope) if scope else None
    _field("title", line_text, title)
    if not title.strip():
        raise InputError("title", "需求名称不能为空")
    if not 1 <= quantity <= MAX_QUANTITY:
        raise InputError("quantity", f"数量应在 1 到 {MAX_QUANTITY} 之间")
    comm = queries.list_communities(store, street=None, community=community)
    if not comm:
        raise InputError("community", f"社区不存在：{community}")
    if grid is not None:
        grids = queries.list_grids(store, street=None, community=community)
        if grid not in {g["id"] for g in grids}:
            raise InputError("grid", f"网格 {grid} 不存在或不属于社区 {community}")
    at = now.isoformat()
    subtype, basis = infer_subtype(cat, title.strip())  # as the loader does for a blank 子类
    props = {"title": title.strip(), "category": cat, "quantity": quantity, "urgency": urg,
             "raised_on": now.date().isoformat(), "status": "ordered", "scope": scp or "community",
             "source": "user", "subtype": subtype, "subtype_basis": basis}
    entry = _entry("order", "ordered", by, at)
    rows = queries.need_create(store, prefix=f"N-{now:%Y%m%d}-", community=community, grid=grid,
                       props={k: v for k, v in props.items() if v is not None},
                       history="[" + '{"from":null,' + entry[1:] + "]")
    return _one(rows, f"社区不存在：{community}")


def accept(store: Store, need_id: str, *, by: str, now: dt.datetime | None = None) -> dict[str, Any]:
    """接单: the grid takes an ordered need."""
    rows = queries.need_accept(store, need_id=need_id, **_params("accept", by, now or china_now()))
    return _one(rows, f"需求不存在：{need_id}")


def dispatch(store: Store, need_id: str, resource_id: str, quantity: int | None = None, *,
             by: str, now: dt.datetime | None = None, override: str | None = None) -> dict[str, Any]:
    """派单: assign a need to a resource, refusing if the resource lacks the capacity left.

    ``quantity`` defaults to the need's quantity and may not exceed it. Capacity left =
    capacity − the quantities of all dispatches to the resource; the check and the dispatch are
    one atomic write. The resource must be one the need's reach allows (the ladder 网格 → 社区,
    街道 for street-scope or escalated needs: a ``nearest_units`` candidate; for an escalated
    need also a resource of a department that answered it, 报到), else
    :class:`~orglink.graph.store.Conflict` — unless ``override`` gives the reason a district
    planner dispatches beyond it anyway (recorded in the audit entry).
    """
    place = need_place(store, need_id)
    res = queries.resource_usage(store, resource_id=resource_id)
    if not res:
        raise InputError("resource_id", f"资源不存在：{resource_id}")
    if res[0]["category"] != place["category"]:
        raise InputError("resource_id", f"资源 {resource_id} 的类别为「{res[0]['category']}」，"
                                        f"与需求的类别「{place['category']}」不符")
    if not fits(place["category"], place.get("subtype"), res[0]["category"], res[0].get("subtype")):
        raise InputError("resource_id", f"资源 {resource_id} 的子类为「{res[0].get('subtype')}」，"
                                        f"与需求的子类「{place.get('subtype')}」不符")
    asked = place.get("quantity") or 1
    qty = quantity if quantity is not None else asked
    if not 1 <= qty <= MAX_QUANTITY:
        raise InputError("quantity", f"数量应在 1 到 {MAX_QUANTITY} 之间")
    if qty > asked:
        raise InputError("quantity", f"派单数量 {qty} 超过需求 {need_id} 的数量 {asked}")
    if override is not None and not override.strip():
        raise InputError("override_reason", "越出服务范围派单须写明理由")
    if override is not None:
        _field("override_reason", free_text, override)
    # nearest_units lists resources with capacity left; a used-up one is refused by the write's
    # own capacity check (with the remaining quantity), so reach is only asked of the others
    in_reach = (res[0].get("remaining") or 0) <= 0 or \
        any(r["resource_id"] == resource_id for r in queries.nearest_units(store, need_id=need_id))
    if not in_reach and place.get("status") == "escalated":  # 吹哨—报到: a department that answered may serve it
        answered = {a["unit_id"] for a in need_detail(store, need_id)["answers"]}
        in_reach = res[0].get("unit") in answered
    if not in_reach and override is None:
        raise Conflict(f"资源 {resource_id} 不在需求 {need_id} 的服务范围内（小事不出网格、大事不出社区；"
                       "街道层级须先吹哨）；区级可写明理由越级派单",
                       current={"need_id": need_id, "resource_id": resource_id, "in_reach": False})
    extra = {"override_reason": override.strip()} if override is not None and not in_reach else {}
    rows = queries.need_dispatch(store, need_id=need_id, resource_id=resource_id, quantity=qty,
                       **_params("dispatch", by, now or china_now(), resource_id=resource_id,
                                 quantity=qty, **extra))
    return _one(rows, f"需求不存在：{need_id}")


def evaluation_value(text: str) -> str:
    """满意 / 基本满意 / 不满意 (or satisfied / fair / unsatisfied) → stored value."""
    return _choice(text, EVALUATIONS, "评价")


def complete(store: Store, need_id: str, report: str, *, by: str, evaluation: str | None = None,
             evaluation_note: str | None = None, now: dt.datetime | None = None) -> dict[str, Any]:
    """办结: close a need with its report-back text (双报告) and, optionally, the community's
    evaluation of how it was handled (满意/基本满意/不满意, with a note)."""
    if not report.strip():
        raise InputError("report", "办结报告不能为空")
    _field("report", free_text, report)
    ev = _field("evaluation", evaluation_value, evaluation) if evaluation else None
    note = evaluation_note.strip() if evaluation_note and evaluation_note.strip() else None
    if note is not None:
        _field("evaluation_note", free_text, note)
        if ev is None:
            raise InputError("evaluation", "写了评价说明，请同时给出评价（满意/基本满意/不满意）")
    rows = queries.need_complete(store, need_id=need_id, report=report.strip(), evaluation=ev,
                                 evaluation_note=note,
                                 **_params("complete", by, now or china_now(), report=report.strip(),
                                           evaluation=ev, evaluation_note=note))
    return _one(rows, f"需求不存在：{need_id}")


def suggested_departments(store: Store, need_id: str) -> list[str]:
    """The departments a whistle (吹哨) of this need calls in by default: those whose cadres
    report to a community of the need's street (双报到, named query ``street_departments``)
    and that offer a resource fitting the need (category and sub-type); when none fits, all
    departments tied to the street. Sorted by id; empty when the need has no street."""
    place = need_place(store, need_id)
    if not place.get("street"):
        return []
    tied = sorted({r["unit_id"] for r in queries.street_departments(store, street_id=place["street"])})
    fitting = {r["unit_id"] for r in queries.resource_supply(store)
               if r["unit_id"] in tied and fits(place["category"], place.get("subtype"),
                                                r["category"], r.get("subtype"))}
    return sorted(fitting) or tied


def escalate(store: Store, need_id: str, *, by: str, note: str | None = None,
             departments: list[str] | None = None, now: dt.datetime | None = None) -> dict[str, Any]:
    """吹哨: raise an accepted need to its street, which calls the departments in: those named
    in ``departments`` (each must be a district department), by default
    :func:`suggested_departments`. Only the called departments see and answer it (报到).

    Raises :class:`InputError` if ``note`` holds a refused character (:func:`free_text`) or a
    named unit is not a department."""
    if note is not None:
        _field("note", free_text, note)
    if departments is None:
        called = suggested_departments(store, need_id)
    else:
        called = []
        for unit_id in departments:
            units = queries.unit_brief(store, unit_id=unit_id)
            if not units or not units[0]["department"]:
                raise InputError("departments", f"单位 {unit_id} 不存在或不是区直部门，不能点名报到")
            if unit_id not in called:
                called.append(unit_id)
    rows = queries.need_escalate(store, need_id=need_id, called=called,
                                 **_params("escalate", by, now or china_now(), note=note,
                                           called=called or None))
    return _one(rows, f"需求不存在：{need_id}")


def answer(store: Store, need_id: str, unit_id: str, *, by: str, note: str | None = None,
           now: dt.datetime | None = None) -> dict[str, Any]:
    """报到: a department answers an escalated need (creates ANSWERED; the state stays).

    Raises :class:`InputError` for a unit that is not a department, or a ``note`` holding a
    refused character (:func:`free_text`)."""
    if note is not None:
        _field("note", free_text, note)
    units = queries.unit_brief(store, unit_id=unit_id)
    if not units:
        raise InputError("unit_id", f"单位不存在：{unit_id}")
    if not units[0]["department"]:
        raise InputError("unit_id", f"单位 {unit_id} 不是区直部门，不能报到")
    place = need_place(store, need_id)
    if place.get("called") and unit_id not in place["called"]:
        raise InputError("unit_id", f"单位 {unit_id} 未被此次吹哨点名（点名部门：{'、'.join(place['called'])}）")
    rows = queries.need_answer(store, need_id=need_id, unit_id=unit_id, note=note,
                       **_params("answer", by, now or china_now(), unit_id=unit_id, note=note))
    return _one(rows, f"需求不存在：{need_id}")
