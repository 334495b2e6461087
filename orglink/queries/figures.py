"""Embedded twin of ``document_figures.cypher``: the source document's figures in the graph."""

from __future__ import annotations

from typing import Any

from orglink.graph.cypher_semantics import cypher_round
from orglink.graph.embedded import EmbeddedGraph
from orglink.queries.registry import twin


@twin("document_figures")
def document_figures(eg: EmbeddedGraph) -> list[dict[str, Any]]:
    """Counts that must reproduce the document (see the .cypher header)."""
    g = eg.g

    def count(label: str, prop: str, value: str) -> int:
        return sum(1 for k in eg.nodes_of(label) if g.nodes[k].get(prop) == value)

    owners = [g.nodes[k] for k in eg.nodes_of("OwnersCommittee")]
    members = sum(o.get("members") or 0 for o in owners)
    party = sum(o.get("party_members") or 0 for o in owners)
    trainings = [g.nodes[k] for k in eg.nodes_of("Training")]
    reporting = sum(1 for k in eg.nodes_of("Cadre")
                    if any(v.startswith("Community:") for v, _ in eg.out_edges(k, "REPORTS_TO")))
    return [{
        "grid_party_groups": count("PartyGroup", "level", "网格党小组"),
        "warm_stations": count("Station", "kind", "暖新驿站"),
        "driver_homes": count("Station", "kind", "司机之家"),
        "done_needs": count("Need", "status", "done"),
        "reporting_cadres": reporting,
        "owners_party_share": cypher_round(100.0 * party / members, 2) if members else None,
        "training_classes": count("Training", "kind", "themed"),
        "training_person_times": sum(t.get("person_times") or 0 for t in trainings if t.get("kind") == "themed"),
        "exam_classes": count("Training", "kind", "exam"),
        "exam_person_times": sum(t.get("person_times") or 0 for t in trainings if t.get("kind") == "exam"),
    }]
