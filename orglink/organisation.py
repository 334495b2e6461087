"""The document's organisation mechanisms, as the CLI and the API show them (issue 13).

* the chain 区委 — 区直部门 — 街道党工委 and the five-level chain of one community, with counts
  per level (:func:`community_chain_view`);
* the member units of a 大工委 / 联合党委 (:func:`committee_view`);
* 四位一体: a community committee and the residents' committee, owners' committees and property
  companies it leads (:func:`linkage_view`);
* the stations and the five services (:func:`stations_view`, :func:`nearest_station_view`);
* 双报到、双报告 of a unit (:func:`department_view`).

Each calls one named query (``orglink/queries/<name>.cypher`` and its twin in
``orglink/queries/organisation_twins.py``) and shapes its row; what a caller may see (the API's
area) is applied by the caller with the community ids every part carries.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from orglink.graph.cypher_semantics import cypher_round
from orglink.graph.model import STATION_SERVICES
from orglink.graph.store import Store
from orglink.queries import organisation_twins as q

CHAIN_LEVELS: tuple[tuple[str, str], ...] = (
    ("街道党工委", "街道党工委"),
    ("社区党委", "社区党委（党总支）"),
    ("网格党支部", "网格（小区）党支部"),
    ("网格党小组", "网格党小组"),
    ("院落党小组", "院落（楼栋）党小组"),
    ("党员中心户", "党员中心户"),
)
"""The levels of a community's chain, top down: stored level -> the document's name. The
document's five levels (街道党工委 — 社区党委（党总支） — 网格（小区）党支部 — 院落（楼栋）党小组 —
党员中心户) with the grid party groups (网格党小组) the lists also hold; a generic 党小组 counts
as 院落党小组."""

HOPS_ZH = {2: "同社区", 4: "同街道", 6: "全区"}
"""How far a station is from a grid, by territory hops (nearest_station)."""


class UnknownService(ValueError):
    """A service name that is none of the five services nor one of their short forms."""

    def __init__(self, word: str) -> None:
        self.word = word
        super().__init__(f"未知的驿站服务：{word}，应为 {'/'.join(STATION_SERVICES)}（或其简称）")


def canonical_service(word: str) -> str:
    """The document's name of a station service given it or one of its short forms
    (``充电`` → ``手机充电``); :class:`UnknownService` otherwise."""
    w = word.strip()
    for name, short in STATION_SERVICES.items():
        if w == name or w in short or w.lower() in {s.lower() for s in short}:
            return name
    raise UnknownService(word)


def service_words(word: str | None) -> list[str] | None:
    """Every word a list may write for the service ``word`` names (None for any service): one
    of the five services (or a short form) gives its name and short forms; any other word (a
    党群服务中心's 政策咨询) only itself."""
    if word is None or not word.strip():
        return None
    try:
        name = canonical_service(word)
    except UnknownService:
        return [word.strip()]
    return [name, *STATION_SERVICES[name]]


def service_word_lists() -> list[list[str]]:
    """Per service of the document, its words (the ``territory_figures`` parameter)."""
    return [[name, *short] for name, short in STATION_SERVICES.items()]


def _canonical_services(services: list[str] | None) -> list[str]:
    out: list[str] = []
    for s in services or []:
        try:
            out.append(canonical_service(s))
        except UnknownService:
            out.append(s)
    return out


# -- organisation ----------------------------------------------------------------------------
def community_chain_view(store: Store, community_id: str) -> dict[str, Any] | None:
    """The chain of one community with counts per level, or None for an unknown community.

    ``district``: the district committee (区委), the number of district departments (区直部门)
    ``UNDER`` it and the street working committee it leads; ``levels``: per level of
    :data:`CHAIN_LEVELS`, its count; ``orgs``: the organisations below the community committee."""
    rows = q.organisation_chain(store, community_id=community_id)
    if not rows:
        return None
    r = rows[0]
    per_level = Counter("院落党小组" if o["level"] == "党小组" else o["level"] for o in r["orgs"])
    per_level["街道党工委"] = 1 if r["working_committee_id"] else 0
    per_level["社区党委"] = 1 if r["committee_id"] else 0
    return {
        "community_id": r["community_id"], "community_name": r["community_name"],
        "street_id": r["street_id"], "street_name": r["street_name"],
        "district_committee": ({"id": r["district_committee_id"], "name": r["district_committee_name"],
                                "departments": r["departments"]} if r["district_committee_id"] else None),
        "working_committee": ({"id": r["working_committee_id"], "name": r["working_committee_name"]}
                              if r["working_committee_id"] else None),
        "committee": {"id": r["committee_id"], "name": r["committee_name"]} if r["committee_id"] else None,
        "levels": [{"level": level, "label": label, "count": per_level.get(level, 0)}
                   for level, label in CHAIN_LEVELS],
        "orgs": r["orgs"],
    }


def committee_view(store: Store, party_org_id: str) -> dict[str, Any] | None:
    """A party organisation with its member units (MEMBER_OF) and the communities it covers."""
    rows = q.committee_members(store, party_org_id=party_org_id)
    if not rows:
        return None
    r = dict(rows[0])
    r["count"] = len(r["members"])
    return r


def linkage_view(store: Store, community_id: str) -> dict[str, Any] | None:
    """四位一体 of one community: its committee and the bodies in its community, with the
    owners' committees' total share (computed, two decimals), or None for an unknown one."""
    rows = q.community_linkage(store, community_id=community_id)
    if not rows:
        return None
    r = dict(rows[0])
    owners = [b for b in r["bodies"] if b["kind"] == "业委会"]
    members = sum(b["members"] or 0 for b in owners)
    party = sum(b["party_members"] or 0 for b in owners)
    r["owners_committees"] = len(owners)
    r["owners_party_share"] = cypher_round(100.0 * party / members, 2) if members else None
    return r


# -- stations --------------------------------------------------------------------------------
def stations_view(store: Store, service: str | None = None, street: str | None = None,
                  community: str | None = None) -> list[dict[str, Any]]:
    """Stations (those offering ``service`` when given: a name or short form), with the people
    served and their services also under the document's names (``services_canonical``)."""
    rows = q.stations_offering(store, service_words=service_words(service), street=street, community=community)
    return [{**r, "services_canonical": _canonical_services(r["services"])} for r in rows]


def nearest_station_view(store: Store, grid_id: str, service: str | None = None,
                         community_ids: list[str] | None = None, top: int = 3) -> list[dict[str, Any]]:
    """The stations nearest to a grid by territory hops (2 same community, 4 same street,
    6 elsewhere), offering ``service`` when given, among ``community_ids`` when given."""
    rows = q.nearest_station(store, grid_id=grid_id, service_words=service_words(service),
                             community_ids=community_ids, top=top)
    return [{**r, "distance": HOPS_ZH.get(r["hops"], str(r["hops"])),
             "services_canonical": _canonical_services(r["services"])} for r in rows]


# -- 双报到 ----------------------------------------------------------------------------------
def department_view(store: Store, unit_id: str, communities: frozenset[str] | None = None,
                    answer_visible: Any = None) -> dict[str, Any] | None:
    """A unit's cadres (masked names), the communities they report to (with counts), the matters
    they handled with the report-back text and the escalations it answered; None if unknown.

    ``communities`` (None: all) keeps only cadres reporting to, and matters raised in, those
    communities; ``answer_visible(answer_row)`` (None: all) keeps the answers the caller may see."""
    rows = q.department_view(store, unit_id=unit_id)
    if not rows:
        return None
    r = rows[0]

    def inside(c: str | None) -> bool:
        return communities is None or (c is not None and c in communities)

    cadres = [k for k in r["cadres"] if inside(k["community_id"])]
    matters = [m for m in r["matters"] if inside(m["community_id"])]
    answers = [a for a in r["answers"] if answer_visible is None or answer_visible(a)]
    per: dict[str, dict[str, Any]] = {}
    for k in cadres:
        if k["community_id"] is None:
            continue
        row = per.setdefault(k["community_id"], {"community_id": k["community_id"],
                                                 "community_name": k["community_name"],
                                                 "street_id": k["street_id"], "cadres": 0, "matters": 0})
        row["cadres"] += 1
    for m in matters:
        if m["community_id"] in per:
            per[m["community_id"]]["matters"] += 1
    return {
        "unit_id": r["unit_id"], "unit_name": r["unit_name"], "kind": r["kind"], "department": r["department"],
        "under": r["under"],
        "cadre_count": len(cadres),
        "party_members": sum(1 for k in cadres if k["party_member"]),
        "communities": [per[c] for c in sorted(per)],
        "cadres": cadres,
        "matters": matters,
        "answers": answers,
    }
