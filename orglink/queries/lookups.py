"""Simple lookups, declared once: the Cypher text AND the embedded implementation are generated
from a small spec, so the two backends cannot drift apart by hand.

A :class:`Lookup` starts at one node label (all its nodes, or the one whose ``id`` is a
parameter), follows :class:`Step`\\ s — *the first* node reached over a relationship (the one
with the smallest id; a ``CALL (x) { … ORDER BY y.id LIMIT 1 }`` in Cypher), or *each* node
reached (one row per node, ``MATCH`` / ``OPTIONAL MATCH``) — keeps the rows its
:class:`Where` filters let through and returns named columns built from a few
:class:`Expr` kinds (a property, a label test, a neighbour count, a sum over relationships, a
nested list …), ordered with Cypher's rules (nulls last), optionally as one page with the
total. :class:`Dump` gives the whole graph. The spec of each query sits in
:mod:`orglink.queries.catalogue_lookups`; this module is the machinery.

``python -m orglink.queries.generate`` rewrites the generated ``.cypher`` files (the copies a
planner pastes into Neo4j Browser); a test fails when one is out of date.
"""

from __future__ import annotations

import copy
import functools
import inspect
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Concatenate, ParamSpec

from orglink.graph.cypher_semantics import order_key
from orglink.graph.embedded import EmbeddedGraph, node_key
from orglink.graph.model import MODEL
from orglink.graph.query import Query, Rows
from orglink.queries import registry

P = ParamSpec("P")
Env = dict[str, Any]
"""One row being built: alias → node key (or None), relationship alias → its attributes."""

GENERATED_NOTE = ("// Generated from the spec in orglink/queries/catalogue_lookups.py "
                  "(python -m orglink.queries.generate); edit the spec, not this file.")


# -- the spec --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Step:
    """From node ``src`` over relationship ``rel`` (outgoing when ``out``) to a node carrying
    one of ``labels``, bound as ``alias``.

    ``each=False``: the first such node (smallest id; null when there is none);
    ``or_self``: ``src`` itself when it carries the label (Cypher ``[:REL*0..1]``).
    ``each=True``: one row per such node; ``required`` drops rows without one (``MATCH``),
    otherwise the row stays with a null (``OPTIONAL MATCH``); ``rel_alias`` binds the
    relationship, ``rel_where`` filters on its properties.
    """

    alias: str
    src: str
    rel: str
    labels: tuple[str, ...]
    out: bool = True
    or_self: bool = False
    each: bool = False
    required: bool = False
    rel_alias: str | None = None
    rel_where: tuple[Where, ...] = ()

    def pattern(self, rel_var: str = "") -> str:
        """``(src)-[r:REL]->(alias:L1|L2 WHERE alias is live)`` in the step's direction."""
        hops = "*0..1" if self.or_self else ""
        rel = f"[{rel_var}:{self.rel}{hops}]"
        arrow = f"-{rel}->" if self.out else f"<-{rel}-"
        return f"({self.src}){arrow}({self.alias}:{'|'.join(self.labels)}{live(self.alias)})"

    def targets(self, eg: EmbeddedGraph, src: str | None) -> Iterator[tuple[str, dict[str, Any]]]:
        """(node key, relationship attributes) of every node this step reaches from ``src``."""
        if self.or_self and src is not None and any(lab in eg.g.nodes[src]["labels"] for lab in self.labels):
            yield src, {}
        yield from _neighbours(eg, src, self.rel, self.labels, self.out)


@dataclass(frozen=True)
class Where:
    """``alias.prop`` equals parameter ``param`` (``in_list``: is in the list ``param``);
    ``nullable``: a null parameter lets every row through. ``prop="id"`` by default."""

    alias: str
    param: str
    prop: str = "id"
    in_list: bool = False
    nullable: bool = True

    def cypher(self) -> str:
        """The condition in Cypher."""
        test = f"{self.alias}.{self.prop} {'IN' if self.in_list else '='} ${self.param}"
        return f"(${self.param} IS NULL OR {test})" if self.nullable else test

    def holds(self, value: Any, params: dict[str, Any]) -> bool:
        """The condition on ``value`` (the property's value, or None)."""
        wanted = params[self.param]
        if wanted is None:
            return self.nullable
        if value is None:
            return False
        return value in wanted if self.in_list else value == wanted


@dataclass(frozen=True)
class WhereExists:
    """When the boolean parameter ``param`` is true, only rows where ``alias`` has a ``rel``
    relationship (outgoing when ``out``) to a ``label`` node — or, with ``or_status``, whose
    ``status`` property is that value (an escalation the lists recorded as 已吹哨)."""

    alias: str
    rel: str
    label: str
    param: str
    out: bool = True
    or_status: str | None = None

    def cypher(self) -> str:
        """The condition in Cypher."""
        test = f"EXISTS {{ {_neighbour_pattern(self.alias, self.rel, self.label, self.out)} }}"
        if self.or_status is not None:
            test = f"{self.alias}.status = '{self.or_status}' OR {test}"
        return f"(NOT ${self.param} OR {test})"


class Expr:
    """A column's value: its Cypher text and its value in an embedded row."""

    def cypher(self) -> str:
        """The expression in Cypher."""
        raise NotImplementedError

    def value(self, eg: EmbeddedGraph, env: Env) -> Any:
        """The expression's value for one embedded row."""
        raise NotImplementedError


def _node(eg: EmbeddedGraph, env: Env, alias: str) -> dict[str, Any] | None:
    key = env.get(alias)
    return eg.g.nodes[key] if key is not None else None


@dataclass(frozen=True)
class Prop(Expr):
    """``alias.prop`` (of a node, or of a relationship alias); ``default`` stands for a
    missing value (``coalesce``); ``as_string`` gives ``toString(…)``."""

    alias: str
    prop: str
    default: Any = None
    as_string: bool = False

    def cypher(self) -> str:
        text = f"{self.alias}.{self.prop}"
        if self.as_string:
            text = f"toString({text})"
        if self.default is not None:
            text = f"coalesce({text}, {self.default!r})"
        return text

    def value(self, eg: EmbeddedGraph, env: Env) -> Any:
        target = env.get(self.alias)
        if isinstance(target, dict):  # a relationship's attributes
            v = target.get(self.prop)
        else:
            d = _node(eg, env, self.alias)
            v = d.get(self.prop) if d is not None else None
        if v is not None and self.as_string:
            v = str(v)
        return self.default if v is None else v


@dataclass(frozen=True)
class HasLabel(Expr):
    """Whether node ``alias`` carries ``label`` (``alias:Label``)."""

    alias: str
    label: str

    def cypher(self) -> str:
        return f"{self.alias}:{self.label}"

    def value(self, eg: EmbeddedGraph, env: Env) -> Any:
        d = _node(eg, env, self.alias)
        return None if d is None else self.label in d["labels"]


@dataclass(frozen=True)
class LabelOf(Expr):
    """The first of ``labels`` node ``alias`` carries, as a string (null if none)."""

    alias: str
    labels: tuple[str, ...]

    def cypher(self) -> str:
        cases = " ".join(f"WHEN {self.alias}:{lab} THEN '{lab}'" for lab in self.labels)
        return f"CASE {cases} END"

    def value(self, eg: EmbeddedGraph, env: Env) -> Any:
        d = _node(eg, env, self.alias)
        return next((lab for lab in self.labels if d is not None and lab in d["labels"]), None)


def live(alias: str) -> str:
    """The inline predicate that keeps retired nodes out of a node pattern: `` WHERE
    alias.retired_on IS NULL`` (the embedded twin reads :meth:`EmbeddedGraph.live`)."""
    return f" WHERE {alias}.retired_on IS NULL"


def _neighbour_pattern(alias: str, rel: str, label: str, out: bool, rel_var: str = "",
                       other: str = "") -> str:
    other = other or f"v_{alias}"
    node = f"({other}:{label}{live(other)})"
    return f"({alias})-[{rel_var}:{rel}]->{node}" if out else f"{node}-[{rel_var}:{rel}]->({alias})"


def _neighbours(eg: EmbeddedGraph, key: str | None, rel: str, labels: str | tuple[str, ...],
                out: bool) -> Iterator[tuple[str, dict[str, Any]]]:
    """(node key, relationship attributes) of the nodes carrying one of ``labels`` that a
    ``rel`` relationship joins to ``key`` (outgoing when ``out``); nothing for a null key."""
    if key is None:
        return
    wanted = (labels,) if isinstance(labels, str) else labels
    nodes = eg.g.nodes
    for k, d in eg.out_edges(key, rel) if out else eg.in_edges(key, rel):
        if any(lab in nodes[k]["labels"] for lab in wanted):
            yield k, d


@dataclass(frozen=True)
class Count(Expr):
    """How many ``rel`` relationships join ``alias`` to ``label`` nodes (outgoing when ``out``)."""

    alias: str
    rel: str
    label: str
    out: bool = False

    def cypher(self) -> str:
        return f"COUNT {{ {_neighbour_pattern(self.alias, self.rel, self.label, self.out)} }}"

    def value(self, eg: EmbeddedGraph, env: Env) -> Any:
        return sum(1 for _ in _neighbours(eg, env.get(self.alias), self.rel, self.label, self.out))


@dataclass(frozen=True)
class Exists(Count):
    """Whether ``alias`` has a ``rel`` relationship to a ``label`` node — or, with
    ``or_status``, whether its ``status`` property is that value."""

    or_status: str | None = None

    def cypher(self) -> str:
        test = f"EXISTS {{ {_neighbour_pattern(self.alias, self.rel, self.label, self.out)} }}"
        if self.or_status is not None:
            return f"({self.alias}.status = '{self.or_status}' OR {test})"
        return test

    def value(self, eg: EmbeddedGraph, env: Env) -> Any:
        if self.or_status is not None:
            d = _node(eg, env, self.alias)
            if d is not None and d.get("status") == self.or_status:
                return True
        return any(True for _ in _neighbours(eg, env.get(self.alias), self.rel, self.label, self.out))


@dataclass(frozen=True)
class CollectIds(Count):
    """The ids of the ``label`` nodes joined to ``alias`` by ``rel``, in order."""

    def cypher(self) -> str:
        pattern = _neighbour_pattern(self.alias, self.rel, self.label, self.out, other="x")
        return f"COLLECT {{ MATCH {pattern} RETURN x.id AS x_id ORDER BY x_id }}"

    def value(self, eg: EmbeddedGraph, env: Env) -> Any:
        ids = [eg.g.nodes[k]["id"] for k, _ in _neighbours(eg, env.get(self.alias), self.rel, self.label, self.out)]
        return sorted(ids, key=order_key)


@dataclass(frozen=True)
class SumRel(Count):
    """The sum of property ``prop`` over the ``rel`` relationships joining ``label`` nodes to
    ``alias`` (a missing value counts 0)."""

    prop: str = "quantity"

    def cypher(self) -> str:
        pattern = _neighbour_pattern(self.alias, self.rel, self.label, self.out, rel_var="d")
        return f"reduce(total = 0, q IN [{pattern} | coalesce(d.{self.prop}, 0)] | total + q)"

    def value(self, eg: EmbeddedGraph, env: Env) -> Any:
        return sum(d.get(self.prop) or 0
                   for _, d in _neighbours(eg, env.get(self.alias), self.rel, self.label, self.out))


@dataclass(frozen=True)
class SumProp(Count):
    """The sum of node property ``prop`` over the ``label`` nodes joined to ``alias`` by
    ``rel`` (a missing value counts 0)."""

    prop: str = "capacity"

    def cypher(self) -> str:
        pattern = _neighbour_pattern(self.alias, self.rel, self.label, self.out, other="x")
        return f"reduce(total = 0, q IN [{pattern} | coalesce(x.{self.prop}, 0)] | total + q)"

    def value(self, eg: EmbeddedGraph, env: Env) -> Any:
        nodes = eg.g.nodes
        return sum(nodes[k].get(self.prop) or 0
                   for k, _ in _neighbours(eg, env.get(self.alias), self.rel, self.label, self.out))


@dataclass(frozen=True)
class Minus(Expr):
    """``left - right``."""

    left: Expr
    right: Expr

    def cypher(self) -> str:
        return f"{self.left.cypher()} - {self.right.cypher()}"

    def value(self, eg: EmbeddedGraph, env: Env) -> Any:
        a, b = self.left.value(eg, env), self.right.value(eg, env)
        return None if a is None or b is None else a - b


@dataclass(frozen=True)
class Nested(Expr):
    """A list of maps, one per node ``step`` (an *each* step from an alias of the row) reaches,
    with ``firsts`` (first-node steps) after it, ``columns`` in each map, ordered by ``order``
    (Cypher's ``COLLECT { MATCH … RETURN {…} ORDER BY … }``)."""

    step: Step
    columns: tuple[tuple[str, Expr], ...]
    order: tuple[Expr, ...]
    firsts: tuple[Step, ...] = ()

    def cypher(self) -> str:
        lines = [f"MATCH {self.step.pattern(self.step.rel_alias or '')}"]
        lines += [_first_call(s) for s in self.firsts]
        body = ", ".join(f"{name}: {e.cypher()}" for name, e in self.columns)
        lines.append(f"RETURN {{{body}}} AS item")
        lines.append("ORDER BY " + ", ".join(e.cypher() for e in self.order))
        return "COLLECT {\n" + "\n".join("  " + ln for ln in lines) + "\n}"

    def value(self, eg: EmbeddedGraph, env: Env) -> Any:
        items = []
        for k, d in self.step.targets(eg, env.get(self.step.src)):
            sub = dict(env)
            sub[self.step.alias] = k
            if self.step.rel_alias:
                sub[self.step.rel_alias] = d
            for s in self.firsts:
                sub[s.alias] = first_node(eg, s, sub.get(s.src))
            items.append(({name: e.value(eg, sub) for name, e in self.columns},
                          tuple(order_key(e.value(eg, sub)) for e in self.order)))
        items.sort(key=lambda item: item[1])
        return [m for m, _ in items]


Column = tuple[str, Expr]


@dataclass(frozen=True)
class Lookup:
    """A simple read query: see the module docstring. ``key`` names the parameter holding the
    root node's id (None: every node of ``label``); ``page`` returns one row
    ``{total, items}`` with ``items`` cut to ``$skip``/``$limit``."""

    name: str
    header: str  # the .cypher file's comment, without the "// " (a planner reads it in Browser)
    label: str
    alias: str
    columns: tuple[Column, ...]
    order: tuple[str, ...]
    key: str | None = None
    root_where: tuple[Where | WhereExists, ...] = ()
    steps: tuple[Step, ...] = ()
    where: tuple[Where, ...] = ()
    page: bool = False

    def params(self) -> list[str]:
        """The query's parameters, in the order they first appear."""
        names: list[str] = [self.key] if self.key else []
        for w in (*self.root_where, *self.where, *(rw for s in self.steps for rw in s.rel_where)):
            names.append(w.param)
        if self.page:
            names += ["skip", "limit"]
        return list(dict.fromkeys(names))


@dataclass(frozen=True)
class Dump:
    """Every node (``what="nodes"``) or every relationship (``"relationships"``) with sorted
    labels, id(s), type and all properties, in a fixed order: a digest of the graph."""

    name: str
    header: str
    what: str


Spec = Lookup | Dump


# -- Cypher ----------------------------------------------------------------------------------
def _first_call(s: Step) -> str:
    """``CALL (src) { OPTIONAL MATCH … RETURN x ORDER BY x.id LIMIT 1 }``: the first node."""
    return (f"CALL ({s.src}) {{ OPTIONAL MATCH {s.pattern()} RETURN {s.alias} "
            f"ORDER BY {s.alias}.id LIMIT 1 }}")


def _and(conds: Iterable[str]) -> str:
    return "\n    AND ".join(conds)


def lookup_cypher(spec: Lookup) -> str:
    """The Cypher statement of ``spec`` (no header)."""
    root = f"({spec.alias}:{spec.label}" + (f" {{id: ${spec.key}}}" if spec.key else "") + live(spec.alias) + ")"
    lines = [f"MATCH {root}"]
    if spec.root_where:
        lines.append("  WHERE " + _and(w.cypher() for w in spec.root_where))
    bound = [spec.alias]
    pending = list(spec.where)
    for s in spec.steps:
        if s.each:
            if pending:
                lines.append(f"WITH {', '.join(bound)}")
                lines.append("  WHERE " + _and(w.cypher() for w in pending))
                pending = []
            rel_var = s.rel_alias or ""
            lines.append(f"{'MATCH' if s.required else 'OPTIONAL MATCH'} {s.pattern(rel_var)}")
            if s.rel_where:
                lines.append("  WHERE " + _and(w.cypher() for w in s.rel_where))
            bound += [a for a in (rel_var, s.alias) if a]
        else:
            lines.append(_first_call(s))
            bound.append(s.alias)
    if pending:
        lines.append(f"WITH {', '.join(bound)}")
        lines.append("  WHERE " + _and(w.cypher() for w in pending))
    by_name = dict(spec.columns)
    if spec.page:
        lines.append(f"WITH {', '.join(bound)}")
        lines.append("  ORDER BY " + ", ".join(by_name[c].cypher() for c in spec.order))
        items = ",\n              ".join(f"{name}: {e.cypher()}" for name, e in spec.columns)
        lines.append(f"WITH collect({{{items}}}) AS items")
        lines.append("RETURN size(items) AS total, items[$skip..$skip + $limit] AS items")
        return "\n".join(lines)
    cols = ",\n       ".join(f"{e.cypher()} AS {name}".replace("\n", "\n       ") for name, e in spec.columns)
    lines.append(f"RETURN {cols}")
    if spec.order:
        lines.append("ORDER BY " + ", ".join(spec.order))
    return "\n".join(lines)


_LABELS = "COLLECT {{ UNWIND labels({v}) AS l RETURN l ORDER BY l }}"


def dump_cypher(spec: Dump) -> str:
    """The Cypher statement of a :class:`Dump`."""
    if spec.what == "nodes":
        return "\n".join([
            "MATCH (n)",
            f"RETURN {_LABELS.format(v='n')} AS labels,",
            "       n.id AS id,",
            "       properties(n) AS props",
            "ORDER BY labels, id"])
    return "\n".join([
        "MATCH (a)-[r]->(b)",
        f"RETURN {_LABELS.format(v='a')} AS src_labels,",
        "       a.id AS src_id,",
        "       type(r) AS type,",
        f"       {_LABELS.format(v='b')} AS dst_labels,",
        "       b.id AS dst_id,",
        "       properties(r) AS props",
        "ORDER BY src_labels, src_id, type, dst_labels, dst_id, r.plan_id"])


def cypher_file_text(spec: Spec) -> str:
    """The whole ``.cypher`` file: the header, the generated note, the statement."""
    body = lookup_cypher(spec) if isinstance(spec, Lookup) else dump_cypher(spec)
    header = "".join(f"// {line}".rstrip() + "\n" for line in spec.header.rstrip("\n").splitlines())
    return header + GENERATED_NOTE + "\n" + body + "\n"


# -- embedded --------------------------------------------------------------------------------
def first_node(eg: EmbeddedGraph, s: Step, src: str | None) -> str | None:
    """The node with the smallest id among those step ``s`` reaches from ``src``."""
    nodes = eg.g.nodes
    return min((k for k, _ in s.targets(eg, src)), key=lambda k: (nodes[k]["id"], k), default=None)


def _rows(eg: EmbeddedGraph, spec: Lookup, params: dict[str, Any]) -> Iterator[Env]:
    nodes = eg.g.nodes
    if spec.key:
        k = node_key(spec.label, params[spec.key]) if isinstance(params[spec.key], str) else None
        roots = [k] if k is not None and k in eg.g and spec.label in nodes[k]["labels"] else []
    else:
        roots = eg.nodes_of(spec.label)
    for root in roots:
        if not all(_root_holds(eg, w, root, params) for w in spec.root_where):
            continue
        envs: list[Env] = [{spec.alias: root}]
        pending = list(spec.where)
        for s in spec.steps:
            if s.each:
                envs = [e for e in envs if _holds(eg, pending, e, params)]
                pending = []
                envs = [e2 for e in envs for e2 in _expand(eg, s, e, params)]
            else:
                for e in envs:
                    e[s.alias] = first_node(eg, s, e.get(s.src))
        yield from (e for e in envs if _holds(eg, pending, e, params))


def _root_holds(eg: EmbeddedGraph, w: Where | WhereExists, root: str, params: dict[str, Any]) -> bool:
    if isinstance(w, WhereExists):
        if not params[w.param]:
            return True
        if w.or_status is not None and eg.g.nodes[root].get("status") == w.or_status:
            return True
        return any(True for _ in _neighbours(eg, root, w.rel, w.label, w.out))
    return w.holds(eg.g.nodes[root].get(w.prop), params)


def _holds(eg: EmbeddedGraph, conds: list[Where], env: Env, params: dict[str, Any]) -> bool:
    for w in conds:
        d = _node(eg, env, w.alias)
        if not w.holds(d.get(w.prop) if d is not None else None, params):
            return False
    return True


def _expand(eg: EmbeddedGraph, s: Step, env: Env, params: dict[str, Any]) -> Iterator[Env]:
    found = False
    for k, d in s.targets(eg, env.get(s.src)):
        if not all(w.holds(d.get(w.prop), params) for w in s.rel_where):
            continue
        found = True
        e = dict(env)
        e[s.alias] = k
        if s.rel_alias:
            e[s.rel_alias] = d
        yield e
    if not found and not s.required:
        e = dict(env)
        e[s.alias] = None
        if s.rel_alias:
            e[s.rel_alias] = None
        yield e


def run_lookup(eg: EmbeddedGraph, spec: Lookup, params: dict[str, Any]) -> Rows:
    """The rows of ``spec`` on the embedded graph: what its Cypher gives on Neo4j."""
    lists = {w.param for w in (*spec.root_where, *spec.where) if isinstance(w, Where) and w.in_list}
    params = {k: (set(v) if k in lists and v is not None else v) for k, v in params.items()}
    rows = [{name: e.value(eg, env) for name, e in spec.columns} for env in _rows(eg, spec, params)]
    rows.sort(key=lambda r: tuple(order_key(r[c]) for c in spec.order))
    if spec.page:
        skip, limit = params["skip"], params["limit"]
        return [{"total": len(rows), "items": rows[skip:skip + limit]}]
    return rows


_NODE_BOOKKEEPING = ("label", "labels")


def run_dump(eg: EmbeddedGraph, spec: Dump) -> Rows:
    """Every node or relationship of the embedded graph, as :func:`dump_cypher` gives them."""
    g = eg.g
    if spec.what == "nodes":
        rows = [{"labels": sorted(d["labels"]), "id": d["id"],
                 "props": {k: copy.deepcopy(v) for k, v in d.items() if k not in _NODE_BOOKKEEPING}}
                for _, d in g.nodes(data=True)]
        rows.sort(key=lambda r: (r["labels"], order_key(r["id"])))
        return rows
    rows = []
    for u, v, d in g.edges(data=True):
        a, b = g.nodes[u], g.nodes[v]
        rows.append({
            "src_labels": sorted(a["labels"]), "src_id": a["id"], "type": d["type"],
            "dst_labels": sorted(b["labels"]), "dst_id": b["id"],
            "props": {k: copy.deepcopy(x) for k, x in d.items() if k != "type"},
        })
    # the Cypher's order; what it leaves tied is ordered by all properties here
    rows.sort(key=lambda r: (r["src_labels"], order_key(r["src_id"]), r["type"], r["dst_labels"],
                             order_key(r["dst_id"]), order_key(r["props"].get("plan_id")),
                             repr(sorted(r["props"].items()))))
    return rows


# -- registration ----------------------------------------------------------------------------
SPECS: dict[str, Spec] = {}


def lookup(spec: Spec) -> Callable[[Callable[Concatenate[EmbeddedGraph, P], Rows]], Query[P]]:
    """Turn a typed stub ``def name(eg, <params>) -> Rows: \"\"\"doc\"\"\"`` into the generated
    query of ``spec`` (registered in the catalogue). The stub's parameters must be the spec's."""

    def deco(stub: Callable[Concatenate[EmbeddedGraph, P], Rows]) -> Query[P]:
        wanted = list(inspect.signature(stub).parameters)[1:]
        have = spec.params() if isinstance(spec, Lookup) else []
        if stub.__name__ != spec.name or sorted(wanted) != sorted(have):
            raise TypeError(f"lookup {spec.name}: stub {stub.__name__}{wanted} does not match the spec {have}")

        signature = inspect.signature(stub)

        @functools.wraps(stub)
        def embedded(eg: EmbeddedGraph, *args: Any, **kwargs: Any) -> Rows:
            if isinstance(spec, Dump):
                return run_dump(eg, spec)
            bound = signature.bind(eg, *args, **kwargs)
            return run_lookup(eg, spec, {k: v for k, v in bound.arguments.items() if k != "eg"})

        SPECS[spec.name] = spec
        text = cypher_file_text(spec)
        query: Query[P] = Query(spec.name, embedded, cypher_source=lambda: text, generated=True,
                                sees_retired=isinstance(spec, Dump))  # a dump is the whole store
        registry.register(query)
        return query

    return deco


def check_labels(spec: Spec) -> None:
    """Raise ``ValueError`` when the spec names a label or type the model does not declare."""
    if isinstance(spec, Dump):
        return
    labels = set(MODEL.labels)
    types = set(MODEL.rel_types)
    steps = [*spec.steps, *(e.step for _, e in spec.columns if isinstance(e, Nested))]
    for s in steps:
        if not set(s.labels) <= labels or s.rel not in types:
            raise ValueError(f"lookup {spec.name}: unknown label or type in {s}")
    if spec.label not in labels:
        raise ValueError(f"lookup {spec.name}: unknown label {spec.label}")


def write_files() -> list[str]:
    """(Re)write the ``.cypher`` file of every generated lookup; return the names changed
    (``python -m orglink.queries.generate``)."""
    registry.all_queries()  # import the catalogue so every spec is declared
    changed = []
    for name, spec in sorted(SPECS.items()):
        path = registry.QUERY_DIR / f"{name}.cypher"
        text = cypher_file_text(spec)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(name)
    return changed
