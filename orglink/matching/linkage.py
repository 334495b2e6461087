"""The linkage subgraph as a compact integer graph, and scope-bounded shortest-path search on it.

This is what the embedded twins of the matching queries run on. "Nearest" is the number of
linkage relationships (``MODEL.linkage_types``, undirected) between where a need was raised and
a unit. The index is built once per graph version (``EmbeddedGraph.cached``) and reduced
without changing any hop count between the nodes matching asks about (grids, communities,
units):

* nodes that can never lie inside a path between two of those (a non-unit, non-grid,
  non-community node with at most one linkage neighbour: a party group that only covers its
  grid, a station, a cadre who never reported to a community …) are dropped, repeatedly;
* a non-territory node with exactly two neighbours (a cadre between its unit and the community
  it reports to, a branch between two grids …) is replaced by one weighted edge that remembers
  the node, so the 1,500 cadres of a district collapse into one edge per (unit, community).

Territory nodes are never contracted, so the scope check (a path may pass only through
territory inside the need's reach) stays exact. The search is Dial's bucket-queue variant of
breadth-first search (edge weights are small integers), bounded by :data:`MAX_HOPS` and
stopped as soon as every target unit is settled.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from orglink.graph.model import MODEL, SCOPES

MAX_HOPS = 12
"""Longest path considered (the ``*..12`` bound of the Cypher ``shortestPath``)."""

LINKAGE = frozenset(MODEL.linkage_types)
TERRITORY = frozenset(MODEL.territory_labels)
_ENDPOINT_LABELS = frozenset({"Unit", "Grid", "Community"})
_INF = 1 << 30


def effective_scope(scope: str | None, location_label: str) -> str:
    """The scope matching really uses: ``grid`` only for a need raised at a grid; default community."""
    if scope == "street":
        return "street"
    if scope == "grid" and location_label == "Grid":
        return "grid"
    return "community"


@dataclass(frozen=True)
class PathNode:
    """One node of a found path and the relationship that leads on to the next node."""

    key: str
    rel: str | None  # type of the relationship to the next node (None on the last)
    forward: bool | None  # True when that relationship points from this node to the next


@dataclass
class Search:
    """The result of one bounded search: distances and the breadth-first tree."""

    dist: dict[int, int]
    parent: dict[int, int] = field(default_factory=dict)


class LinkageIndex:
    """The reduced linkage graph of an :class:`~orglink.graph.embedded.EmbeddedGraph`."""

    def __init__(self, g: Any) -> None:
        """Build from the networkx MultiDiGraph ``g`` of an embedded store."""
        self.g = g
        # undirected simple linkage graph: the relationship kept for each pair of nodes
        rel_of: dict[tuple[str, str], tuple[str, bool]] = {}
        nbr: dict[str, dict[str, tuple[int, tuple[str, ...]]]] = defaultdict(dict)
        for u, v, t in g.edges(data="type"):
            if t not in LINKAGE or u == v:
                continue
            prev = rel_of.get((u, v))
            if prev is not None and prev[0] <= t:
                continue
            rel_of[(u, v)] = (t, True)
            rel_of[(v, u)] = (t, False)
            nbr[u][v] = (1, ())
            nbr[v][u] = (1, ())
        self.rel_of = rel_of
        nodes = g.nodes
        label = {k: nodes[k]["label"] for k in nbr}
        keep = {k for k, lab in label.items() if lab in _ENDPOINT_LABELS}

        def removable(k: str) -> bool:
            return k not in keep and len(nbr[k]) <= 1

        def drop(k: str, work: deque[str]) -> None:
            for j in nbr.pop(k):
                del nbr[j][k]
                work.append(j)

        # 1. prune dead ends (cascading)
        work: deque[str] = deque(sorted(k for k in nbr if removable(k)))
        while work:
            k = work.popleft()
            if k in nbr and removable(k):
                drop(k, work)
        # 2. contract non-territory pass-through nodes into weighted edges
        def contractible(k: str) -> bool:
            return k in nbr and k not in keep and label[k] not in TERRITORY and len(nbr[k]) == 2

        work = deque(sorted(k for k in nbr if contractible(k)))
        while work:
            x = work.popleft()
            if not contractible(x):
                if x in nbr and removable(x):
                    drop(x, work)
                continue
            (a, (wa, ma)), (b, (wb, mb)) = sorted(nbr[x].items())
            w = wa + wb
            mids = tuple(reversed(ma)) + (x,) + mb  # from a to b
            del nbr[a][x], nbr[b][x]
            del nbr[x]
            old = nbr[a].get(b)
            if old is None or w < old[0]:
                nbr[a][b] = (w, mids)
                nbr[b][a] = (w, tuple(reversed(mids)))
            for y in (a, b):
                if removable(y) or contractible(y):
                    work.append(y)
        # 3. integer index; each node's neighbours split into non-territory ones and
        #    territory ones grouped by street (a search only looks at its reach's street)
        self.keys: list[str] = sorted(nbr)
        self.index: dict[str, int] = {k: i for i, k in enumerate(self.keys)}
        idx = self.index
        self.territory: list[bool] = [label[k] in TERRITORY for k in self.keys]
        self.street: list[int] = [idx.get(self._street_of(k), -1) if label[k] in TERRITORY else -1
                                  for k in self.keys]
        self.soc: list[tuple[tuple[int, int], ...]] = []
        self.ter: list[dict[int, tuple[tuple[int, int], ...]]] = []
        self.mids: dict[tuple[int, int], tuple[str, ...]] = {}
        for k in self.keys:
            i = idx[k]
            soc: list[tuple[int, int]] = []
            ter: dict[int, list[tuple[int, int]]] = defaultdict(list)
            for jk, (w, m) in sorted(nbr[k].items()):
                j = idx[jk]
                if self.territory[j]:
                    ter[self.street[j]].append((j, w))
                else:
                    soc.append((j, w))
                if m:
                    self.mids[(i, j)] = m
            self.soc.append(tuple(soc))
            self.ter.append({st: tuple(v) for st, v in ter.items()})
        # connected components of the reduced graph (scope ignored): a unit in another
        # component can never be reached, so searches need not wait for it
        self.component: list[int] = [-1] * len(self.keys)
        for i in range(len(self.keys)):
            if self.component[i] >= 0:
                continue
            self.component[i] = i
            stack = [i]
            while stack:
                a = stack.pop()
                for j, _ in (*self.soc[a], *(e for es in self.ter[a].values() for e in es)):
                    if self.component[j] < 0:
                        self.component[j] = i
                        stack.append(j)
        self._reach: dict[tuple[str, ...], frozenset[int]] = {}
        self._streets: dict[frozenset[int], frozenset[int]] = {}

    def component_of(self, key: str) -> int | None:
        """The component id of node ``key`` in the reduced graph (None if it is not in it)."""
        i = self.index.get(key)
        return None if i is None else self.component[i]

    def _street_of(self, key: str) -> str | None:
        """The street a territory node lies in (itself for a street), None above streets."""
        streets = self._up(key, 3, "Street")
        return streets[0] if streets else None

    # -- scope -------------------------------------------------------------------------
    def _up(self, key: str, depth: int, want: str) -> list[str]:
        """Nodes labelled ``want`` reachable from ``key`` by at most ``depth`` IN steps (self included)."""
        out: list[str] = []
        seen = {key}
        frontier = [key]
        for d in range(depth + 1):
            for k in frontier:
                if self.g.nodes[k]["label"] == want and k not in out:
                    out.append(k)
            if d == depth:
                break
            nxt = []
            for k in frontier:
                for _, v, t in self.g.out_edges(k, data="type"):
                    if t == "IN" and v not in seen:
                        seen.add(v)
                        nxt.append(v)
            frontier = nxt
        return sorted(out)

    def reach_roots(self, loc: str, scope: str) -> tuple[str, ...]:
        """The territory node(s) whose subtree is a need's reach (``scope`` already effective)."""
        if scope not in SCOPES:
            raise ValueError(f"unknown scope {scope!r}")
        if scope == "grid":
            return (loc,)
        comms = self._up(loc, 1, "Community")
        if scope == "community":
            return tuple(comms) or (loc,)
        streets = self._up(loc, 2, "Street")
        return tuple(streets or comms) or (loc,)

    def reach(self, roots: tuple[str, ...]) -> frozenset[int]:
        """Indexes of the territory nodes with an ``IN*0..3`` path to one of ``roots``."""
        hit = self._reach.get(roots)
        if hit is not None:
            return hit
        found: set[str] = set()
        for root in roots:
            frontier = [root]
            found.add(root)
            for _ in range(3):
                nxt = []
                for k in frontier:
                    for u, _, t in self.g.in_edges(k, data="type"):
                        if t == "IN" and u not in found:
                            found.add(u)
                            nxt.append(u)
                frontier = nxt
        out = frozenset(self.index[k] for k in found if k in self.index)
        self._reach[roots] = out
        return out

    # -- search ------------------------------------------------------------------------
    def search(self, src: str, allowed: frozenset[int], targets: Iterable[str] | None = None,
               max_hops: int = MAX_HOPS) -> Search:
        """Shortest hop counts from ``src``, passing only through territory in ``allowed``.

        Stops once every target (node keys) is settled, or at ``max_hops``. Targets absent
        from the reduced graph are ignored (they cannot be reached).
        """
        s = self.index.get(src)
        if s is None:
            return Search({})
        comp = self.component[s]
        want = None
        if targets is not None:
            want = {i for i in (self.index.get(t) for t in targets)
                    if i is not None and self.component[i] == comp}
        if want is not None:
            want.discard(s)
            if not want:
                return Search({s: 0})
        streets = self._streets.get(allowed)
        if streets is None:
            streets = self._streets[allowed] = frozenset(self.street[t] for t in allowed)
        soc, ter = self.soc, self.ter
        dist = {s: 0}
        parent: dict[int, int] = {}
        buckets: list[list[int]] = [[] for _ in range(max_hops + 1)]
        buckets[0].append(s)
        get = dist.get
        for d in range(max_hops + 1):
            bucket = buckets[d]
            for i in bucket:
                if dist[i] != d:
                    continue  # improved since it was queued
                if want is not None and i in want:
                    want.discard(i)
                    if not want:
                        return Search(dist, parent)
                for j, w in soc[i]:
                    nd = d + w
                    if nd < get(j, _INF) and nd <= max_hops:
                        dist[j] = nd
                        parent[j] = i
                        buckets[nd].append(j)
                ti = ter[i]
                if ti:
                    for st in streets:
                        for j, w in ti.get(st, ()):
                            nd = d + w
                            if nd < get(j, _INF) and nd <= max_hops and j in allowed:
                                dist[j] = nd
                                parent[j] = i
                                buckets[nd].append(j)
        return Search(dist, parent)

    def path(self, found: Search, dst: str) -> list[PathNode]:
        """The path from the search's source to ``dst`` in original nodes, with relationships."""
        i = self.index[dst]
        chain = [i]
        while i in found.parent:
            i = found.parent[i]
            chain.append(i)
        chain.reverse()
        keys: list[str] = [self.keys[chain[0]]]
        for a, b in zip(chain, chain[1:]):
            keys.extend(self.mids.get((a, b), ()))
            keys.append(self.keys[b])
        out: list[PathNode] = []
        for n, k in enumerate(keys):
            if n + 1 < len(keys):
                t, fwd = self.rel_of[(k, keys[n + 1])]
                out.append(PathNode(k, t, fwd))
            else:
                out.append(PathNode(k, None, None))
        return out


def linkage_index(eg: Any) -> LinkageIndex:
    """The (cached) linkage index of an embedded graph."""
    return eg.cached("linkage_index", lambda: LinkageIndex(eg.g))
