"""Embedded twins of the community-worker queries: ``list_trainings``, ``training_totals``
(培训) and ``work_cycle`` (四点一线). Each gives the same rows as its ``.cypher`` file (see the
file headers for the meaning)."""

from __future__ import annotations

from typing import Any

from orglink.graph.cypher_semantics import order_key
from orglink.graph.embedded import EmbeddedGraph, node_key
from orglink.graph.model import TRAINING_KINDS, WORK_STAGES
from orglink.queries.registry import twin


def _in_year(held_on: Any, year: int | None) -> bool:
    """Cypher's ``$year IS NULL OR left(toString(t.held_on), 4) = toString($year)``."""
    return year is None or (held_on is not None and str(held_on)[:4] == str(year))


def _trainings(eg: EmbeddedGraph, kind: str | None, year: int | None) -> list[dict[str, Any]]:
    g = eg.g
    return [g.nodes[k] for k in eg.nodes_of("Training")
            if (kind is None or g.nodes[k].get("kind") == kind) and _in_year(g.nodes[k].get("held_on"), year)]


@twin("list_trainings")
def list_trainings(eg: EmbeddedGraph, kind: str | None, year: int | None) -> list[dict[str, Any]]:
    """Training classes with their organiser, by date then id."""
    g = eg.g
    rows = []
    for t in _trainings(eg, kind, year):
        key = node_key("Training", t["id"])
        organisers = [u for u, _ in eg.in_edges(key, "ORGANISED")
                      if {"Unit", "PartyOrg"} & set(g.nodes[u]["labels"])]
        o = g.nodes[min(organisers, key=lambda u: (g.nodes[u]["id"], u))] if organisers else None
        held = t.get("held_on")
        rows.append({
            "id": t["id"], "title": t.get("title"), "kind": t.get("kind"),
            "held_on": str(held) if held is not None else None, "person_times": t.get("person_times"),
            "organiser": o["id"] if o else None, "organiser_name": o.get("name") if o else None,
            "organiser_kind": None if o is None else ("Unit" if "Unit" in o["labels"] else "PartyOrg"),
        })
    rows.sort(key=lambda r: (order_key(r["held_on"]), order_key(r["id"])))
    return rows


@twin("training_totals")
def training_totals(eg: EmbeddedGraph, year: int | None) -> list[dict[str, Any]]:
    """Classes and person-times per kind (themed, then exam)."""
    out = []
    for kind in TRAINING_KINDS:
        ts = _trainings(eg, kind, year)
        out.append({"kind": kind, "classes": len(ts),
                    "person_times": sum(t.get("person_times") or 0 for t in ts)})
    return out


@twin("work_cycle")
def work_cycle(eg: EmbeddedGraph, community_id: str, year: int | None) -> list[dict[str, Any]]:
    """The four stages of 四点一线 for one community and year, in order, with their records."""
    g = eg.g
    key = node_key("Community", community_id) if isinstance(community_id, str) else None
    if key is None or key not in g or "Community" not in g.nodes[key]["labels"]:
        return []
    stages = [g.nodes[w] for w, _ in eg.in_edges(key, "STAGE_OF") if "WorkStage" in g.nodes[w]["labels"]]
    years = [w["year"] for w in stages if w.get("year") is not None]
    cycle_year = year if year is not None else (max(years) if years else None)
    rows = []
    for i, stage in enumerate(WORK_STAGES, start=1):
        mine = [w for w in stages if cycle_year is not None and w.get("year") == cycle_year
                and w.get("stage") == stage]
        mine.sort(key=lambda w: (order_key(w.get("held_on")), order_key(w["id"])))
        records = [{"id": w["id"], "held_on": str(w["held_on"]) if w.get("held_on") is not None else None,
                    "note": w.get("note")} for w in mine]
        rows.append({"community": community_id, "community_name": g.nodes[key].get("name"),
                     "year": cycle_year, "position": i, "stage": stage, "done": bool(records),
                     "records": records})
    return rows
