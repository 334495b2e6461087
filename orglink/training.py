"""Community workers: training classes (社区工作者培训) and the yearly work cycle "四点一线".

What ``orglink training`` / ``orglink cycle`` print and ``GET /api/v1/trainings`` /
``GET /api/v1/communities/{id}/cycle`` answer, from the named queries ``list_trainings``,
``training_totals`` and ``work_cycle``. Kinds and stages are stored in English
(:data:`~orglink.graph.model.TRAINING_KINDS`, :data:`~orglink.graph.model.WORK_STAGES`); the
answers carry the Chinese label beside each.
"""

from __future__ import annotations

from typing import Any

from orglink.graph.model import TRAINING_KINDS, WORK_STAGES
from orglink.graph.store import Store
from orglink.queries.training_twins import list_trainings, training_totals
from orglink.queries.training_twins import work_cycle as work_cycle_query

KIND_INPUT: dict[str, str] = {**{k: k for k in TRAINING_KINDS}, **{v: k for k, v in TRAINING_KINDS.items()}}
"""What a caller may write for a kind: the stored value or its Chinese label -> stored value."""


class TrainingInputError(ValueError):
    """A kind or year the caller gave that cannot be used; the message is Chinese."""


def training_kind(value: str | None) -> str | None:
    """The stored kind for ``value`` (``themed``/``exam`` or 主题培训/考前培训; None stays None)."""
    if value is None:
        return None
    kind = KIND_INPUT.get(value.strip())
    if kind is None:
        raise TrainingInputError(f"未知的培训类型：{value!r}，应为 {'/'.join(TRAINING_KINDS.values())}"
                                 f"（或 {'/'.join(TRAINING_KINDS)}）")
    return kind


def trainings(store: Store, kind: str | None = None, year: int | None = None) -> dict[str, Any]:
    """The training classes of ``kind`` held in ``year`` (None: all) with their organisers,
    by date, and the totals per kind (classes, person-times) for ``year``:
    ``{"kind", "year", "items": [...], "totals": [...]}``, each row with ``kind_zh``."""
    kind = training_kind(kind)
    items, totals = store.read_many([list_trainings.bind(kind=kind, year=year), training_totals.bind(year=year)])
    if kind is not None:
        totals = [t for t in totals if t["kind"] == kind]
    return {"kind": kind, "year": year,
            "items": [{**r, "kind_zh": TRAINING_KINDS.get(r["kind"], r["kind"])} for r in items],
            "totals": [{**t, "kind_zh": TRAINING_KINDS[t["kind"]]} for t in totals]}


def work_cycle(store: Store, community_id: str, year: int | None = None) -> dict[str, Any] | None:
    """One community's 四点一线 for ``year`` (None: the latest year it has records for): the
    four stages in order, each with its records and whether it is done, and the stages
    missing. ``None`` when the store holds no such community."""
    rows = work_cycle_query(store, community_id=community_id, year=year)
    if not rows:
        return None
    stages = [{"position": r["position"], "stage": r["stage"], "stage_zh": WORK_STAGES[r["stage"]],
               "done": r["done"], "records": r["records"]} for r in rows]
    missing = [s["stage"] for s in stages if not s["done"]]
    return {"community": rows[0]["community"], "community_name": rows[0]["community_name"],
            "year": rows[0]["year"], "stages": stages, "missing": missing,
            "missing_zh": [WORK_STAGES[m] for m in missing]}
