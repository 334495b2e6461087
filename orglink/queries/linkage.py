"""The linkage subgraph as a compact integer graph, and scope-bounded shortest-path search on it.

This is what the embedded twins of the matching queries run on. "Nearest" is the number of
linkage relationships (``MODEL.linkage_types``, undirected) between where a need was raised and
a unit. A need's scope bounds two kinds of node on a path ("scope-bound" nodes below):

* territory (District … Compound) may be passed only inside the need's reach;
* a party organisation (label ``PartyOrg``) only if it is ``RESPONSIBLE_FOR`` at least one node
  of that reach ("小事不出网格、大事不出社区": the 区委, responsible for the district, is never
  passable; a street's working committee only at the street level, for street-scope or
  escalated needs of that street). A party
  organisation responsible for nothing is never passable.

Units, cadres and the other nodes connect freely. A need climbs a ladder of such reaches
(:func:`ladder`, "小事不出网格、大事不出社区"): its grid (a grid-scope need raised at a grid),
then its community, then — for a street-scope or escalated (吹哨) need — its street; a unit is
served at the lowest rung from which it can be reached (:meth:`LinkageIndex.climb`), with
that rung's hop count.

The index is built once per graph version
(``EmbeddedGraph.cached``) and reduced without changing any hop count between the nodes
matching asks about (grids, communities, units):

* party organisations responsible for nothing are dropped (no path may use them);
* nodes that can never lie inside a path between two of those (a non-unit, non-grid,
  non-community node with at most one linkage neighbour: a party group that only covers its
  grid, a station, a cadre who never reported to a community …) are dropped, repeatedly;
* a node that is not scope-bound with exactly two neighbours (a cadre between its unit and the
  community it reports to …) is replaced by one weighted edge that remembers the node, so the
  1,500 cadres of a district collapse into one edge per (unit, community).

Scope-bound nodes are never contracted, so the scope check stays exact. The search is Dial's
bucket-queue variant of breadth-first search (edge weights are small integers), bounded by
:data:`MAX_HOPS` and stopped as soon as every target unit is settled.
"""

from __future__ import annotations

import functools
import itertools
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from orglink.graph.model import MODEL, SCOPES

MAX_HOPS = 12
"""Longest path considered (the ``*..12`` bound of the Cypher ``shortestPath``)."""

LINKAGE = frozenset(MODEL.linkage_types)
TERRITORY = frozenset(MODEL.territory_labels)
PARTY_ORG = "PartyOrg"
"""The secondary label of every party organisation (scope-bound by what it is responsible for)."""
_ENDPOINT_LABELS = frozenset({"Unit", "Grid", "Community"})
_INF = 1 << 30


def effective_scope(scope: str | None, location_label: str) -> str:
    """The scope matching really uses: ``grid`` only for a need raised at a grid; default community."""
    if scope == "street":
        return "street"
    if scope == "grid" and location_label == "Grid":
        return "grid"
    return "community"


LEVELS: tuple[str, ...] = ("grid", "community", "street")
"""The rungs of the ladder, lowest first (names as in ``SCOPES``)."""


def allowed_top(scope: str | None, location_label: str, status: str | None = None) -> str:
    """The highest level a need may be served at: ``street`` for a street-scope or escalated
    (吹哨) need, else ``community`` (小事不出网格、大事不出社区: a grid need may go up to its community)."""
    if status == "escalated" or effective_scope(scope, location_label) == "street":
        return "street"
    return "community"


def ladder(scope: str | None, location_label: str, status: str | None = None) -> tuple[str, ...]:
    """The levels a need is searched at, lowest first: ``grid`` only for a grid-scope need raised
    at a grid, then ``community``, then ``street`` when :func:`allowed_top` allows it."""
    low = ("grid",) if effective_scope(scope, location_label) == "grid" else ()
    top = ("street",) if allowed_top(scope, location_label, status) == "street" else ()
    return (*low, "community", *top)


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


@dataclass(frozen=True)
class Rung:
    """One level of a :meth:`LinkageIndex.climb`: its reach roots and its bounded search."""

    level: str
    roots: tuple[str, ...]
    found: Search


_Adj: TypeAlias = dict[str, dict[str, tuple[int, tuple[str, ...]]]]
"""Undirected adjacency being reduced: neighbour -> (hops, the contracted nodes in between, in order from this node)."""
_RelOf: TypeAlias = dict[tuple[str, str], tuple[str, bool]]
"""The step kept for each ordered pair of linkage neighbours: (relationship type, forward)."""
_Edges: TypeAlias = tuple[tuple[int, int], ...]
"""(neighbour index, hops) pairs of one node in the integer index."""


def _typed_edges(g: Any) -> Iterator[tuple[str, str, Any]]:
    """``(u, v, type)`` of every relationship of ``g`` (a multigraph or not), as
    ``g.edges(data="type")`` gives them, read from ``g.adjacency()``: about twice as fast on a
    province-sized graph, which the index and the path steps each walk once per version."""
    if g.is_multigraph():
        for u, nbrs in g.adjacency():
            for v, keyed in nbrs.items():
                for d in keyed.values():
                    yield u, v, d.get("type")
    else:
        for u, nbrs in g.adjacency():
            for v, d in nbrs.items():
                yield u, v, d.get("type")


def _linkage_edges(g: Any, children: dict[str, list[str]], parents: dict[str, list[str]]
                   ) -> tuple[_Adj, dict[str, set[str]]]:
    """One pass over the linkage relationships: the simple undirected adjacency and the duties
    (and, into ``children`` and ``parents``, what lies ``IN`` each node and what each node lies ``IN``)."""
    nbr: _Adj = defaultdict(dict)
    # what each node is responsible for (in the whole graph: the allowed test looks at the
    # need's whole reach, pruned nodes included)
    duty: dict[str, set[str]] = defaultdict(set)
    one = (1, ())
    for u, v, t in _typed_edges(g):
        if t not in LINKAGE or u == v:
            continue
        if t == "IN":
            children[v].append(u)
            parents[u].append(v)
        elif t == "RESPONSIBLE_FOR":
            duty[u].add(v)
        nbr[u][v] = one
        nbr[v][u] = one
    return nbr, duty


def _steps_kept(g: Any) -> _RelOf:
    """The step kept for each ordered pair of linkage neighbours: the smallest (type, forward)
    of the relationships between them (false before true, as Cypher orders booleans)."""
    rel_of: _RelOf = {}
    for u, v, t in _typed_edges(g):
        if t not in LINKAGE or u == v:
            continue
        for pair, step in (((u, v), (t, True)), ((v, u), (t, False))):
            prev = rel_of.get(pair)
            if prev is None or step < prev:
                rel_of[pair] = step
    return rel_of


def _full_adjacency(rel_of: _RelOf, order_key: Callable[[str], Any]) -> dict[str, tuple[str, ...]]:
    """Each node's neighbours in the whole (unreduced) linkage graph, in path order (id, label)."""
    # canonical_path walks it to pick, among tied shortest paths, the smallest one
    full: dict[str, list[str]] = defaultdict(list)
    for a, b in rel_of:
        full[a].append(b)
    return {k: tuple(sorted(vs, key=order_key)) for k, vs in full.items()}


def _node_classes(nodes: Any, nbr: _Adj) -> tuple[dict[str, str], set[str], set[str], set[str]]:
    """The primary label of every linkage node, and which are endpoints, party organisations, scope-bound."""
    label = {k: nodes[k]["label"] for k in nbr}
    keep = {k for k, lab in label.items() if lab in _ENDPOINT_LABELS}
    party = {k for k in nbr if PARTY_ORG in nodes[k].get("labels", ())}
    bound = {k for k, lab in label.items() if lab in TERRITORY} | party
    return label, keep, party, bound


def _removable(nbr: _Adj, keep: set[str], k: str) -> bool:
    """Whether node ``k`` (still in ``nbr``) is a dead end no path between endpoints can use."""
    return k not in keep and len(nbr[k]) <= 1


def _drop(nbr: _Adj, k: str, work: deque[str]) -> None:
    """Remove node ``k`` from ``nbr`` and queue its former neighbours for another look."""
    for j in nbr.pop(k):
        del nbr[j][k]
        work.append(j)


def _prune(nbr: _Adj, keep: set[str], dead: list[str]) -> None:
    """Drop the nodes ``dead`` (party organisations responsible for nothing), then dead ends, cascading."""
    work: deque[str] = deque()
    for k in dead:
        _drop(nbr, k, work)
    work.extend(sorted(k for k in nbr if _removable(nbr, keep, k)))
    while work:
        k = work.popleft()
        if k in nbr and _removable(nbr, keep, k):
            _drop(nbr, k, work)


def _contract(nbr: _Adj, keep: set[str], bound: set[str]) -> None:
    """Replace each pass-through node that is not scope-bound by one weighted edge remembering it."""

    def contractible(k: str) -> bool:
        return k in nbr and k not in keep and k not in bound and len(nbr[k]) == 2

    work = deque(sorted(k for k in nbr if contractible(k)))
    while work:
        x = work.popleft()
        if not contractible(x):
            if x in nbr and _removable(nbr, keep, x):
                _drop(nbr, x, work)
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
            if _removable(nbr, keep, y) or contractible(y):
                work.append(y)


def _split_adjacency(keys: list[str], index: dict[str, int], nbr: _Adj, bound: set[str], zones: list[tuple[int, ...]]
                     ) -> tuple[list[_Edges], list[dict[int, _Edges]], dict[tuple[int, int], tuple[str, ...]]]:
    """The integer adjacency: free neighbours, scope-bound neighbours by zone, and the nodes each contracted edge hides."""
    socs: list[_Edges] = []
    ters: list[dict[int, _Edges]] = []
    mids: dict[tuple[int, int], tuple[str, ...]] = {}
    for i, k in enumerate(keys):
        soc: list[tuple[int, int]] = []
        ter: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for jk, (w, m) in sorted(nbr[k].items()):
            j = index[jk]
            if jk in bound:
                for z in zones[j]:
                    ter[z].append((j, w))
            else:
                soc.append((j, w))
            if m:
                mids[(i, j)] = m
        socs.append(tuple(soc))
        ters.append({z: tuple(v) for z, v in ter.items()})
    return socs, ters, mids


def _components(soc: list[_Edges], ter: list[dict[int, _Edges]]) -> list[int]:
    """Connected component of each node of the reduced graph (scope ignored), named by its smallest index."""
    # a unit in another component can never be reached, so searches need not wait for it
    component: list[int] = [-1] * len(soc)
    for i in range(len(soc)):
        if component[i] >= 0:
            continue
        component[i] = i
        stack = [i]
        while stack:
            cur = stack.pop()
            for j, _ in (*soc[cur], *(e for es in ter[cur].values() for e in es)):
                if component[j] < 0:
                    component[j] = i
                    stack.append(j)
    return component


class LinkageIndex:
    """The reduced linkage graph of an :class:`~orglink.graph.embedded.EmbeddedGraph`."""

    def __init__(self, g: Any) -> None:
        """Build from the networkx MultiDiGraph ``g`` of an embedded store."""
        self.g = g
        nodes = g.nodes
        self.children: dict[str, list[str]] = defaultdict(list)  # node -> the nodes IN it
        self.parents: dict[str, list[str]] = defaultdict(list)  # node -> the nodes it is IN
        nbr, duty = _linkage_edges(g, self.children, self.parents)
        self.responsible: dict[str, list[str]] = defaultdict(list)  # node -> who is RESPONSIBLE_FOR it
        for u, vs in duty.items():
            for v in vs:
                self.responsible[v].append(u)
        self.order_key = lambda k: (nodes[k]["id"], nodes[k]["label"])
        label, keep, party, bound = _node_classes(nodes, nbr)
        self.duty: dict[str, tuple[str, ...]] = {k: tuple(sorted(duty.get(k, ()))) for k in party}
        # reduce without changing a hop count between endpoints (see the module docstring)
        _prune(nbr, keep, sorted(k for k in party if not self.duty[k]))
        _contract(nbr, keep, bound)
        # integer index of the reduced graph
        self.keys: list[str] = sorted(nbr)
        self.index: dict[str, int] = {k: i for i, k in enumerate(self.keys)}
        self.party: list[bool] = [k in party for k in self.keys]
        self.zones: list[tuple[int, ...]] = self._zone_table(label, party)
        self.soc, self.ter, self.mids = _split_adjacency(self.keys, self.index, nbr, bound, self.zones)
        self.component: list[int] = _components(self.soc, self.ter)
        self._allowed: dict[tuple[str, ...], frozenset[int]] = {}
        self._reach_keys: dict[tuple[str, ...], frozenset[str]] = {}
        self._zones: dict[frozenset[int], frozenset[int]] = {}

    def _zone_table(self, label: dict[str, str], party: set[str]) -> list[tuple[int, ...]]:
        """The zones (street indexes, -1 above or outside streets) of each indexed node; empty when not scope-bound.

        A territory node's zone is its street; a party organisation's, the streets of the
        territory it is responsible for. A search only looks at the zones its scope allows.
        """
        idx, nodes, duty = self.index, self.g.nodes, self.duty
        zone_of: dict[str, int] = {}

        def zone(k: str) -> int:
            z = zone_of.get(k)
            if z is None:
                street = self._street_of(k)
                z = zone_of[k] = -1 if street is None else idx.get(street, -1)
            return z

        zones: list[tuple[int, ...]] = []
        for k in self.keys:
            if label[k] in TERRITORY:
                zones.append((zone(k),))
            elif k in party:
                zones.append(tuple(sorted({zone(t) for t in duty[k] if nodes[t]["label"] in TERRITORY})))
            else:
                zones.append(())
        return zones

    @functools.cached_property
    def rel_of(self) -> _RelOf:
        """The relationship step kept per ordered pair of linkage neighbours (built on first use: paths need it, plans do not)."""
        return _steps_kept(self.g)

    @functools.cached_property
    def full(self) -> dict[str, tuple[str, ...]]:
        """Each node's neighbours in the whole (unreduced) linkage graph, in path order (built on first use)."""
        return _full_adjacency(self.rel_of, self.order_key)

    @functools.cached_property
    def bound(self) -> frozenset[str]:
        """The nodes a path may pass only inside a need's reach: territory and party
        organisations (:meth:`passable`; built on first use)."""
        return frozenset(k for k in self.full
                         if (d := self.g.nodes[k])["label"] in TERRITORY or PARTY_ORG in d.get("labels", ()))

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
                for v in self.parents.get(k, ()):
                    if v not in seen:
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

    def reach_keys(self, roots: tuple[str, ...]) -> frozenset[str]:
        """Keys of the scope-bound nodes a need with reach ``roots`` may pass through.

        The reach is every territory node with an ``IN*0..3`` path to one of ``roots``; a
        party organisation is allowed when it is ``RESPONSIBLE_FOR`` a node of the reach.
        """
        hit = self._reach_keys.get(roots)
        if hit is not None:
            return hit
        found: set[str] = set()
        children, nodes = self.children, self.g.nodes
        for root in roots:
            frontier = [root]
            found.add(root)
            for _ in range(3):
                nxt = []
                for k in frontier:
                    for u in children.get(k, ()):
                        if u not in found:
                            found.add(u)
                            nxt.append(u)
                frontier = nxt
        out = set(found)
        for k in found:
            for u in self.responsible.get(k, ()):
                if PARTY_ORG in nodes[u].get("labels", ()):
                    out.add(u)
        hit = self._reach_keys[roots] = frozenset(out)
        return hit

    def allowed(self, roots: tuple[str, ...]) -> frozenset[int]:
        """Indexes (in the reduced graph) of the nodes of :meth:`reach_keys`."""
        hit = self._allowed.get(roots)
        if hit is not None:
            return hit
        index = self.index
        hit = self._allowed[roots] = frozenset(index[k] for k in self.reach_keys(roots) if k in index)
        return hit

    def passable(self, key: str, reach: frozenset[str]) -> bool:
        """Whether a path of a need with ``reach`` (:meth:`reach_keys`) may pass node ``key``."""
        if key in self.full:
            return key not in self.bound or key in reach
        d = self.g.nodes[key]
        return not (d["label"] in TERRITORY or PARTY_ORG in d.get("labels", ())) or key in reach

    # -- search ------------------------------------------------------------------------
    def search(self, src: str, allowed: frozenset[int], targets: frozenset[int] | None = None,
               wanted: int = 0, served: dict[int, int] | None = None, max_hops: int = MAX_HOPS) -> Search:
        """Shortest hop counts from ``src``, passing only through scope-bound nodes in ``allowed``.

        ``targets`` are node indexes (:attr:`index`); the search stops once ``wanted`` of them
        not yet in ``served`` are settled, or at ``max_hops``. Without targets it runs to
        ``max_hops``. Checking a settled node against the targets costs one set lookup, so
        a search costs what it explores, however many targets the region holds.
        """
        s = self.index.get(src)
        if s is None:
            return Search({})
        zones = self._zones.get(allowed)
        if zones is None:
            zones = self._zones[allowed] = frozenset(z for t in allowed for z in self.zones[t])
        soc, ter = self.soc, self.ter
        dist = {s: 0}
        parent: dict[int, int] = {}
        buckets: list[list[int]] = [[] for _ in range(max_hops + 1)]
        buckets[0].append(s)
        get = dist.get
        left = wanted if targets is not None else -1
        done = served or {}
        if targets is not None and s in targets and s not in done:
            left -= 1
        if left == 0:
            return Search(dist, parent)
        for d in range(max_hops + 1):
            bucket = buckets[d]
            for i in bucket:
                if dist[i] != d:
                    continue  # improved since it was queued
                if d and targets is not None and i in targets and i not in done:
                    left -= 1
                    if left <= 0:
                        return Search(dist, parent)
                for j, w in soc[i]:
                    nd = d + w
                    if nd < get(j, _INF) and nd <= max_hops:
                        dist[j] = nd
                        parent[j] = i
                        buckets[nd].append(j)
                ti = ter[i]
                if ti:
                    for z in zones:
                        for j, w in ti.get(z, ()):
                            nd = d + w
                            if nd < get(j, _INF) and nd <= max_hops and j in allowed:
                                dist[j] = nd
                                parent[j] = i
                                buckets[nd].append(j)
        return Search(dist, parent)

    def climb(self, src: str, levels: tuple[str, ...], targets: frozenset[int], wanted: int
              ) -> tuple[list[Rung], dict[int, int]]:
        """Search from ``src`` level by level (:func:`ladder`), each within that level's reach.

        ``targets`` are node indexes (:attr:`index`), ``wanted`` how many of them lie in
        ``src``'s component (:meth:`targets_in`): no search can reach more. Returns the rungs
        searched and, for each target reached, the index of the lowest rung that reaches it:
        its hop count is that rung's ``found.dist``. A level is searched only for the targets
        no lower level reached (reaches grow up the ladder, so those stay reached); the climb
        stops once every reachable target is served.
        """
        rungs: list[Rung] = []
        served: dict[int, int] = {}
        if src not in self.index:
            return rungs, served
        for level in levels:
            if len(served) >= wanted:
                break
            roots = self.reach_roots(src, level)
            if rungs and roots == rungs[-1].roots:
                continue  # the same reach (no street above): nothing new to find
            found = self.search(src, self.allowed(roots), targets, wanted - len(served), served)
            rung = len(rungs)
            dist = found.dist
            if len(dist) < len(targets):
                new = [i for i in dist if i in targets and i not in served]
            else:
                new = [i for i in targets if i in dist and i not in served]
            for i in new:
                served[i] = rung
            rungs.append(Rung(level, roots, found))
        return rungs, served

    def targets_in(self, keys: Iterable[str]) -> dict[int, frozenset[int]]:
        """The indexes of node ``keys`` (those in the reduced graph), by component."""
        out: dict[int, set[int]] = defaultdict(set)
        for k in keys:
            i = self.index.get(k)
            if i is not None:
                out[self.component[i]].add(i)
        return {c: frozenset(v) for c, v in out.items()}

    def path(self, found: Search, dst: str) -> list[PathNode]:
        """A path from the search's source to ``dst`` in original nodes, with relationships
        (one of the shortest; :meth:`canonical_path` picks the smallest of them)."""
        i = self.index[dst]
        chain = [i]
        while i in found.parent:
            i = found.parent[i]
            chain.append(i)
        chain.reverse()
        keys: list[str] = [self.keys[chain[0]]]
        for a, b in itertools.pairwise(chain):
            keys.extend(self.mids.get((a, b), ()))
            keys.append(self.keys[b])
        return self._steps(keys)

    def _steps(self, keys: list[str]) -> list[PathNode]:
        out: list[PathNode] = []
        for n, k in enumerate(keys):
            if n + 1 < len(keys):
                t, fwd = self.rel_of[(k, keys[n + 1])]
                out.append(PathNode(k, t, fwd))
            else:
                out.append(PathNode(k, None, None))
        return out

    def canonical_path(self, src: str, dst: str, hops: int, reach: frozenset[str]) -> list[PathNode] | None:
        """The smallest of the shortest paths of ``hops`` steps from ``src`` to ``dst``
        (:meth:`canonical_paths` for one destination)."""
        return self.canonical_paths(src, {dst: hops}, reach)[dst]

    def canonical_paths(self, src: str, dsts: dict[str, int], reach: frozenset[str]) -> dict[str, list[PathNode] | None]:
        """For each ``dst: hops`` of ``dsts``, the smallest of the shortest paths of ``hops``
        steps from ``src`` to ``dst``.

        Among the tied shortest paths passing only nodes :meth:`passable` for ``reach``, the
        one whose sequence of (id, primary label) is lexicographically smallest, each step
        told by its smallest (type, forward) relationship: what ``nearest_units.cypher``
        picks with ``ORDER BY``. One breadth-first search from ``src`` (through passable
        nodes only) gives every node's distance from it; per destination, a walk back from
        ``dst`` over neighbours one step nearer marks the nodes on its shortest paths, and the
        walk from ``src`` then takes, at each step, the first marked neighbour in (id, label)
        order. None for a ``dst`` that is not ``hops`` away.
        """
        full, bound = self.full, self.bound

        def ok(key: str, reach: frozenset[str]) -> bool:  # passable, for keys of the linkage graph
            return key not in bound or key in reach

        out: dict[str, list[PathNode] | None] = {}
        depth = max(dsts.values(), default=0)
        dist = {src: 0}
        frontier = [src]
        for d in range(1, depth + 1):  # only passable nodes are passed through (dst need not be)
            nxt = []
            for k in frontier:
                for j in full.get(k, ()):
                    if j not in dist:
                        dist[j] = d
                        if ok(j, reach):
                            nxt.append(j)
            frontier = nxt
        for dst, hops in dsts.items():
            if dist.get(dst) != hops:
                out[dst] = self._steps([src]) if src == dst and hops == 0 else None
                continue
            on = {dst}  # the nodes on some shortest path src → dst
            level = [dst]
            for d in range(hops - 1, -1, -1):
                prev = []
                for k in level:
                    for j in full.get(k, ()):
                        if j not in on and dist.get(j) == d and (j == src or ok(j, reach)):
                            on.add(j)
                            prev.append(j)
                level = prev
            keys = [src]
            cur = src
            for d in range(1, hops + 1):
                cur = next(j for j in full.get(cur, ()) if j in on and dist.get(j) == d)
                keys.append(cur)
            out[dst] = self._steps(keys)
        return out


def linkage_index(eg: Any) -> LinkageIndex:
    """The (cached) linkage index of an embedded graph."""
    return eg.cached("linkage_index", lambda: LinkageIndex(eg.g))
