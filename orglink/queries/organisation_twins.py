"""Embedded twins of the document's mechanisms made queryable (issue 13).

* ``organisation_chain`` — 区委 — 区直部门 — 街道党工委 and the five-level chain of one community;
* ``committee_members`` — the member units of a 大工委 / 联合党委;
* ``community_linkage`` — 四位一体: the community committee and the bodies in its community;
* ``stations_offering`` / ``nearest_station`` — the stations and the services they offer;
* ``department_view`` — 双报到、双报告 of one unit;
* ``territory_figures`` — the territory, department and station figures of the document.

Each mirrors its ``.cypher`` file exactly, ordering included (Cypher sorts nulls last). The
embedded store hands read twins the live graph (no retired nodes), so they need no filter.
"""

from __future__ import annotations

from typing import Any

from orglink.graph.cypher_semantics import cypher_round, order_key
from orglink.graph.embedded import EmbeddedGraph, node_key
from orglink.graph.model import PARTY_ORG_LEVELS
from orglink.queries.registry import twin

LEVEL_RANK = {"网格党支部": 1, "网格党小组": 2, "党小组": 3, "院落党小组": 4, "党员中心户": 5}
"""Order of the levels below a community committee, down the chain (as the Cypher's CASE)."""

BODY_RANK = {"ResidentsCommittee": 0, "OwnersCommittee": 1, "PropertyCompany": 2}
BODY_KIND = {0: "居委会", 1: "业委会", 2: "物业公司"}
_PARTY_LABELS = tuple(dict.fromkeys(PARTY_ORG_LEVELS.values()))


def _has(eg: EmbeddedGraph, key: str, label: str) -> bool:
    return label in eg.g.nodes[key]["labels"]


def _first(eg: EmbeddedGraph, keys: Any) -> str | None:
    """The key among ``keys`` whose node has the smallest id (Cypher's ``ORDER BY x.id LIMIT 1``)."""
    return min(keys, key=lambda k: eg.g.nodes[k]["id"], default=None)


def _out(eg: EmbeddedGraph, key: str | None, type_: str, *labels: str) -> list[str]:
    if key is None:
        return []
    return sorted({v for v, _ in eg.out_edges(key, type_) if any(_has(eg, v, lab) for lab in labels)})


def _in(eg: EmbeddedGraph, key: str | None, type_: str, *labels: str) -> list[str]:
    if key is None:
        return []
    return sorted({u for u, _ in eg.in_edges(key, type_) if any(_has(eg, u, lab) for lab in labels)})


def _get(eg: EmbeddedGraph, key: str | None, prop: str) -> Any:
    return eg.g.nodes[key].get(prop) if key is not None else None


def _street_of(eg: EmbeddedGraph, community: str | None) -> str | None:
    return _first(eg, _out(eg, community, "IN", "Street"))


def _need_place(eg: EmbeddedGraph, need: str) -> tuple[str | None, str | None]:
    """(community key, street key) of a need: its place's community, that community's street."""
    p = _first(eg, _out(eg, need, "RAISED_AT", "Grid", "Community"))
    c = None
    if p is not None:
        c = _first(eg, ([p] if _has(eg, p, "Community") else []) + _out(eg, p, "IN", "Community"))
    return c, _street_of(eg, c)


def _offers(eg: EmbeddedGraph, station: str, words: list[str] | None) -> bool:
    if words is None:
        return True
    return any(w in words for w in (eg.g.nodes[station].get("services") or []))


@twin("organisation_chain")
def organisation_chain(eg: EmbeddedGraph, community_id: str) -> list[dict[str, Any]]:
    """The chain of one community (see organisation_chain.cypher)."""
    g = eg.g
    c = node_key("Community", community_id)
    if c not in g:
        return []
    s = _first(eg, _out(eg, c, "IN", "Street"))
    cc = _first(eg, _in(eg, c, "RESPONSIBLE_FOR", "CommunityCommittee"))
    wc = _first(eg, _in(eg, cc, "LEADS", "WorkingCommittee"))
    dc = _first(eg, _in(eg, wc, "LEADS", "DistrictCommittee"))
    departments = len([u for u, _ in eg.in_edges(dc, "UNDER") if _has(eg, u, "Department")]) if dc else 0
    orgs: set[tuple[str, str]] = set()  # (org key, parent key)
    if cc is not None:
        frontier = {cc}
        for _ in range(4):  # LEADS*1..4
            step = {(v, p) for p in frontier for v, _ in eg.out_edges(p, "LEADS")}
            orgs |= {(v, p) for v, p in step
                     if any(_has(eg, v, lab) for lab in ("GridBranch", "PartyGroup", "CentralHousehold"))}
            frontier = {v for v, _ in step}
    rows = sorted(orgs, key=lambda op: (LEVEL_RANK.get(g.nodes[op[0]].get("level"), 6),
                                        g.nodes[op[0]]["id"], g.nodes[op[1]]["id"]))
    return [{
        "community_id": community_id, "community_name": g.nodes[c].get("name"),
        "street_id": _get(eg, s, "id"), "street_name": _get(eg, s, "name"),
        "district_committee_id": _get(eg, dc, "id"), "district_committee_name": _get(eg, dc, "name"),
        "departments": departments,
        "working_committee_id": _get(eg, wc, "id"), "working_committee_name": _get(eg, wc, "name"),
        "committee_id": _get(eg, cc, "id"), "committee_name": _get(eg, cc, "name"),
        "orgs": [{"id": g.nodes[o]["id"], "name": g.nodes[o].get("name"), "level": g.nodes[o].get("level"),
                  "parent_id": g.nodes[p]["id"]} for o, p in rows],
    }]


def _covered_communities(eg: EmbeddedGraph, territory: str) -> set[str]:
    """The communities a territory node covers: down (a district's or street's communities, a
    community itself) or up (the community of a grid or compound), as the Cypher's IN paths."""
    out: set[str] = set()
    if _has(eg, territory, "Community"):
        out.add(territory)
    down = {territory}
    for _ in range(2):  # (c)-[:IN*1..2]->(t)
        down = {u for k in down for u, _ in eg.in_edges(k, "IN")}
        out |= {u for u in down if _has(eg, u, "Community")}
    up = {territory}
    for _ in range(2):  # (t)-[:IN*1..2]->(c)
        up = {v for k in up for v, _ in eg.out_edges(k, "IN")}
        out |= {v for v in up if _has(eg, v, "Community")}
    return out


@twin("committee_members")
def committee_members(eg: EmbeddedGraph, party_org_id: str) -> list[dict[str, Any]]:
    """One party organisation, its member units and the communities it covers."""
    g = eg.g
    o = eg.find(party_org_id, _PARTY_LABELS)
    if o is None:
        return []
    members = sorted({u for u, _ in eg.in_edges(o, "MEMBER_OF") if _has(eg, u, "Unit")},
                     key=lambda k: g.nodes[k]["id"])
    communities = {c for t, _ in eg.out_edges(o, "RESPONSIBLE_FOR") for c in _covered_communities(eg, t)}
    return [{
        "id": party_org_id, "name": g.nodes[o].get("name"), "level": g.nodes[o].get("level"),
        "members": [{"id": g.nodes[u]["id"], "name": g.nodes[u].get("name"), "kind": g.nodes[u].get("kind"),
                     "department": bool(g.nodes[u].get("department") or False),
                     "resident": bool(g.nodes[u].get("resident") or False)} for u in members],
        "communities": sorted(g.nodes[c]["id"] for c in communities),
    }]


def _share(members: Any, party: Any) -> float | None:
    if members is None or party is None or not members > 0:
        return None
    return cypher_round(100.0 * party / members, 2)


@twin("community_linkage")
def community_linkage(eg: EmbeddedGraph, community_id: str) -> list[dict[str, Any]]:
    """四位一体 of one community (see community_linkage.cypher)."""
    g = eg.g
    c = node_key("Community", community_id)
    if c not in g:
        return []
    cc = _first(eg, _in(eg, c, "RESPONSIBLE_FOR", "CommunityCommittee"))
    led = set(_out(eg, cc, "LEADS", *BODY_RANK))
    bodies = []
    for b in _in(eg, c, "LOCATED_IN", *BODY_RANK):
        d = g.nodes[b]
        rank = BODY_RANK[d["label"]]
        bodies.append((rank, d["id"], {
            "id": d["id"], "name": d.get("name"), "kind": BODY_KIND[rank], "members": d.get("members"),
            "party_members": d.get("party_members"), "share": _share(d.get("members"), d.get("party_members")),
            "led": b in led}))
    bodies.sort(key=lambda t: (t[0], t[1]))
    return [{"community_id": community_id, "community_name": g.nodes[c].get("name"),
             "committee_id": _get(eg, cc, "id"), "committee_name": _get(eg, cc, "name"),
             "bodies": [b for _, _, b in bodies]}]


@twin("stations_offering")
def stations_offering(eg: EmbeddedGraph, service_words: list[str] | None, street: str | None,
                      community: str | None) -> list[dict[str, Any]]:
    """Stations with services, people served, community, street and operators (filtered)."""
    g = eg.g
    rows = []
    for st in eg.nodes_of("Station"):
        if not _offers(eg, st, service_words):
            continue
        c = _first(eg, _out(eg, st, "LOCATED_IN", "Community"))
        s = _street_of(eg, c)
        if (community is not None and _get(eg, c, "id") != community) or (
                street is not None and _get(eg, s, "id") != street):
            continue
        d = g.nodes[st]
        rows.append({"id": d["id"], "name": d.get("name"), "kind": d.get("kind"), "services": d.get("services"),
                     "served": d.get("served"), "community": _get(eg, c, "id"),
                     "community_name": _get(eg, c, "name"), "street": _get(eg, s, "id"),
                     "run_by": sorted(g.nodes[u]["id"] for u in _in(eg, st, "RUNS", "Unit"))})
    return sorted(rows, key=lambda r: r["id"])


@twin("nearest_station")
def nearest_station(eg: EmbeddedGraph, grid_id: str, service_words: list[str] | None,
                    community_ids: list[str] | None, top: int) -> list[dict[str, Any]]:
    """The stations nearest to a grid by territory hops (see nearest_station.cypher)."""
    g = eg.g
    gk = node_key("Grid", grid_id)
    if gk not in g:
        return []
    c = _first(eg, _out(eg, gk, "IN", "Community"))
    if c is None:
        return []
    s = _street_of(eg, c)
    rows = []
    for st in eg.nodes_of("Station"):
        if not _offers(eg, st, service_words):
            continue
        sc = _first(eg, _out(eg, st, "LOCATED_IN", "Community"))
        if sc is None or (community_ids is not None and g.nodes[sc]["id"] not in community_ids):
            continue
        ss = _street_of(eg, sc)
        hops = 2 if sc == c else 4 if s is not None and ss == s else 6
        d = g.nodes[st]
        rows.append({"grid_id": grid_id, "grid_name": g.nodes[gk].get("name"), "community_id": g.nodes[c]["id"],
                     "community_name": g.nodes[c].get("name"), "station_id": d["id"],
                     "station_name": d.get("name"), "kind": d.get("kind"), "services": d.get("services"),
                     "served": d.get("served"), "station_community_id": g.nodes[sc]["id"],
                     "station_community_name": g.nodes[sc].get("name"), "station_street_id": _get(eg, ss, "id"),
                     "hops": hops})
    rows.sort(key=lambda r: (r["hops"], r["station_id"]))
    return rows[:top]


@twin("department_view")
def department_view(eg: EmbeddedGraph, unit_id: str) -> list[dict[str, Any]]:
    """双报到、双报告 of one unit (see department_view.cypher)."""
    g = eg.g
    u = node_key("Unit", unit_id)
    if u not in g:
        return []
    cadres, matters, answers = [], [], []
    for k in _in(eg, u, "WORKS_AT", "Cadre"):
        kd = g.nodes[k]
        c = _first(eg, _out(eg, k, "REPORTS_TO", "Community"))
        handled = [v for v, _ in eg.out_edges(k, "HANDLED") if _has(eg, v, "Need")]
        cadres.append({"cadre_id": kd["id"], "name": kd.get("name"), "party_member": kd.get("party_member"),
                       "community_id": _get(eg, c, "id"), "community_name": _get(eg, c, "name"),
                       "street_id": _get(eg, _street_of(eg, c), "id"), "handled": len(handled)})
        for n in handled:
            nd = g.nodes[n]
            nc, ns = _need_place(eg, n)
            matters.append({"need_id": nd["id"], "title": nd.get("title"), "category": nd.get("category"),
                            "status": nd.get("status"), "cadre_id": kd["id"], "community_id": _get(eg, nc, "id"),
                            "community_name": _get(eg, nc, "name"), "street_id": _get(eg, ns, "id"),
                            "report": nd.get("report")})
    for n, a in eg.out_edges(u, "ANSWERED"):
        if not _has(eg, n, "Need"):
            continue
        nd = g.nodes[n]
        nc, ns = _need_place(eg, n)
        escalated = nd.get("status") == "escalated" or bool(_out(eg, n, "ESCALATED_TO", "Street"))
        at = a.get("at")
        answers.append({"need_id": nd["id"], "title": nd.get("title"), "status": nd.get("status"),
                        "community_id": _get(eg, nc, "id"), "community_name": _get(eg, nc, "name"),
                        "street_id": _get(eg, ns, "id"), "escalated": escalated,
                        "at": None if at is None else str(at), "by": a.get("by"), "note": a.get("note")})
    cadres.sort(key=lambda r: r["cadre_id"])
    matters.sort(key=lambda r: (r["need_id"], r["cadre_id"]))
    answers.sort(key=lambda r: (r["need_id"], order_key(r["at"])))
    d = g.nodes[u]
    return [{"unit_id": unit_id, "unit_name": d.get("name"), "kind": d.get("kind"),
             "department": bool(d.get("department") or False),
             "under": [{"id": g.nodes[x]["id"], "name": g.nodes[x].get("name")}
                       for x in sorted(_out(eg, u, "UNDER", "DistrictCommittee"), key=lambda x: g.nodes[x]["id"])],
             "cadres": cadres, "matters": matters, "answers": answers}]


@twin("territory_figures")
def territory_figures(eg: EmbeddedGraph, services: list[list[str]]) -> list[dict[str, Any]]:
    """Territory, department and station figures (see territory_figures.cypher)."""
    g = eg.g

    def n(label: str) -> int:
        return len(eg.nodes_of(label))

    departments = eg.nodes_of("Department")
    stations = eg.nodes_of("Station")
    served = [g.nodes[s]["served"] for s in stations if g.nodes[s].get("served") is not None]

    def all_services(st: str) -> bool:
        have = g.nodes[st].get("services") or []
        return all(any(w in words for w in have) for words in services)

    def party_cadre(k: str) -> bool:
        return (g.nodes[k].get("party_member") is True and bool(_out(eg, k, "WORKS_AT", "Department"))
                and bool(_out(eg, k, "REPORTS_TO", "Community")))

    return [{
        "communities": n("Community"),
        "grids": n("Grid"),
        "grid_branches": n("GridBranch"),
        "departments": len(departments),
        "departments_under_committee": sum(1 for u in departments if _out(eg, u, "UNDER", "DistrictCommittee")),
        "department_party_members": sum(1 for k in eg.nodes_of("Cadre") if party_cadre(k)),
        "stations_with_all_services": sum(1 for st in stations if g.nodes[st].get("kind") in ("暖新驿站", "司机之家")
                                          and all_services(st)),
        "station_served": sum(served) if served else None,
        "owners_committees": n("OwnersCommittee"),
        "memberships": sum(1 for u in eg.nodes_of("Unit") for v, _ in eg.out_edges(u, "MEMBER_OF")
                           if _has(eg, v, "PartyOrg")),
    }]
