"""Paths that explain an assignment: finding them, and writing them as text for planners.

A path is the list of :class:`~orglink.matching.types.PathStep` that matching gives with
every candidate (grid → community ← co-building unit …). As text it reads
``春晖一网格 →属于→ 春晖社区 ←共建← 惠农中学``: each relationship by its Chinese name, the
arrow pointing the way the relationship points.
"""

from __future__ import annotations

from collections.abc import Iterable

from orglink.graph.model import MODEL
from orglink.graph.store import Store
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


def arrow(step: PathStep) -> str:
    """The connector from ``step`` to the next node, e.g. ``→属于→`` or ``←共建←``."""
    zh = rel_label(step.rel)
    return f"→{zh}→" if step.forward is not False else f"←{zh}←"


def path_text(steps: Iterable[PathStep]) -> str:
    """The path as one line of text; empty for an empty path."""
    steps = list(steps)
    parts: list[str] = []
    for i, s in enumerate(steps):
        parts.append(step_name(s))
        if i < len(steps) - 1:
            parts.append(arrow(s))
    return " ".join(parts)


def assignment_paths(store: Store, plan: PlanResult) -> dict[tuple[str, str], list[PathStep]]:
    """The path of every assignment of ``plan``: (need id, resource id) -> steps."""
    raise NotImplementedError
