#!/usr/bin/env python3
"""Generate ``docs/model.md`` from the model declaration (the one source of truth).

Reads :data:`orglink.graph.model.MODEL` and :data:`orglink.graph.tables.TABLES` and writes a
page for people: the node labels with their Chinese names and properties, the relationship
types with their endpoints and which count as linkage hops, the shared vocabularies, the
list tables with their English and Chinese columns, and a Mermaid diagram.

    python scripts/gen_model_doc.py            # rewrite docs/model.md
    python scripts/gen_model_doc.py --check    # exit 1 if docs/model.md is out of date

A test (``tests/test_model_doc.py``) fails when the committed page differs from ``render()``.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

from orglink.graph.model import (
    CATEGORIES,
    LOAD_STAMPS,
    MODEL,
    NEED_STATUS_RANK,
    NEED_STATUSES,
    OPEN_STATUSES,
    PARTY_ORG_LEVELS,
    PROPERTY_KINDS,
    SCOPES,
    URGENCIES,
    NodeKind,
    Prop,
    RelKind,
)
from orglink.graph.tables import TABLES, Column, Table

DOC_PATH = Path(__file__).resolve().parents[1] / "docs" / "model.md"

Pair = tuple[str, str]


def _cell(text: str) -> str:
    """Escape a table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def _prop(p: Prop) -> str:
    """`name` 中文 (type; choices)."""
    notes = [] if p.type == "str" else [p.type]
    if p.choices:
        notes.append("/".join(p.choices))
    if p.indexed:
        notes.append("indexed")
    if p.lifecycle:
        notes.append("lifecycle: a reload keeps the stored value")
    return f"`{p.name}` {p.zh}" + (f" ({'; '.join(notes)})" if notes else "")


def _props(props: tuple[Prop, ...]) -> str:
    return "<br>".join(_prop(p) for p in props) or "–"


def _labels_of(kind: NodeKind) -> str:
    extra = [f"`{lab}`" for lab in kind.extra_labels]
    extra += [f"`{lab}` when `{prop}`" for lab, prop in kind.flag_labels.items()]
    return ", ".join(extra) or "–"


def _node_section() -> list[str]:
    out = [
        "## Node labels",
        "",
        "Every node has a stable string `id` (its key: unique per label, given by the lists or",
        "derived from them, never random), so reloading a list MERGEs onto the same nodes.",
        "",
        "| label | 中文 | also labelled | meaning | key | required | optional |",
        "|---|---|---|---|---|---|---|",
    ]
    for n in MODEL.nodes:
        key = [p for p in n.props if p.name == "id"]
        req = tuple(p for p in n.props if p.required and p.name != "id")
        opt = tuple(p for p in n.props if not p.required)
        out.append("| " + " | ".join([
            f"`{n.label}`", n.zh, _labels_of(n), _cell(n.description), _props(tuple(key)),
            _props(req), _props(opt)]) + " |")
    territory = ", ".join(f"`{lab}`" for lab in MODEL.territory_labels)
    out += ["", f"Territory labels (the bounds of a need's scope): {territory}.", ""]
    return out


def _groups() -> dict[str, set[str]]:
    """Secondary label -> the node kinds carrying it (e.g. ``PartyOrg`` -> six kinds)."""
    groups: dict[str, set[str]] = defaultdict(set)
    for n in MODEL.nodes:
        for lab in n.extra_labels:
            groups[lab].add(n.label)
    return groups


def _endpoints(labels: tuple[str, ...]) -> str:
    """Labels of one end of a relationship; all kinds of a secondary label shown as it."""
    shown: list[str] = []
    for lab in labels:
        group = next((g for g, members in _groups().items()
                      if lab in members and members <= set(labels)), None)
        text = f"`{group}` (any kind)" if group else f"`{lab}`"
        if text not in shown:
            shown.append(text)
    return ", ".join(shown)


def _rel_section() -> list[str]:
    out = [
        "## Relationship types",
        "",
        "| type | 中文 | from | to | linkage hop | properties | meaning |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in MODEL.rels:
        props = _props(r.props)
        if r.key_props:
            props += "<br>key: " + ", ".join(f"`{k}`" for k in r.key_props)
        out.append("| " + " | ".join([
            f"`{r.type}`", r.zh, _endpoints(r.sources), _endpoints(r.targets),
            "yes" if r.linkage else "–", props,
            _cell(r.description)]) + " |")
    hops = ", ".join(f"`{t}`" for t in MODEL.linkage_types)
    out += [
        "",
        f"**Linkage hops.** The distance from a need to a unit is the number of hops along {hops}",
        "only, in either direction. Every other relationship records a fact (who offers what, who",
        "handled which need, which plan matched what) and is never walked by nearest matching.",
        "",
    ]
    return out


def _vocab_table(title: str, head: tuple[str, str], rows: list[tuple[str, str]]) -> list[str]:
    out = [f"### {title}", "", f"| {head[0]} | {head[1]} |", "|---|---|"]
    out += [f"| {a} | {b} |" for a, b in rows]
    return [*out, ""]


def _stamp_section() -> list[str]:
    out = ["## Load stamps and retirement", "",
           "Every node and relationship a load of the lists writes also carries these properties",
           "(`LOAD_STAMPS`); they are not columns of any list.", "",
           "| property | 中文 | meaning |", "|---|---|---|"]
    meaning = {"dataset": "the district whose lists it came from (the district's id)",
               "loaded_by": "the load that last wrote it",
               "retired_on": "when a load of its dataset no longer found it (node: left out of every read query)",
               "retired_by": "the load that retired it"}
    out += [f"| `{p.name}` | {p.zh} | {meaning[p.name]} |" for p in LOAD_STAMPS]
    order = " → ".join(f"{NEED_STATUSES[s]} ({s})" for s in sorted(NEED_STATUS_RANK, key=NEED_STATUS_RANK.get))
    out += ["", f"Need states in lifecycle order (a reload never moves a need back): {order}.", ""]
    return out


def _vocab_section() -> list[str]:
    out = ["## Shared vocabularies", ""]
    out += _vocab_table("Categories (needs and resources)", ("stored (中文)", "English"),
                        [(zh, en) for zh, en in CATEGORIES.items()])
    out += [
        "A need and a resource can match only when their categories are equal. Lists may use",
        "either name; the Chinese one is stored.",
        "",
    ]
    out += _vocab_table("Need status (居民点单—网格接单—党组织派单)", ("stored", "中文"),
                        [(f"`{k}`", v) for k, v in NEED_STATUSES.items()])
    out += [f"Open needs (taking part in a pairing plan): {', '.join(f'`{s}`' for s in OPEN_STATUSES)}.",
            ""]
    out += _vocab_table("Need scope (小事不出网格、大事不出社区)", ("stored", "中文"),
                        [(f"`{k}`", v) for k, v in SCOPES.items()])
    out += _vocab_table("Need urgency", ("stored", "中文"), [(f"`{k}`", v) for k, v in URGENCIES.items()])
    out += _vocab_table("Party organisation level → label", ("level 层级", "label"),
                        [(k, f"`{v}`") for k, v in PARTY_ORG_LEVELS.items()])
    out += _vocab_table("Property row kind → label", ("kind 类型", "label"),
                        [(k, f"`{v}`") for k, v in PROPERTY_KINDS.items()])
    return out


def _refs(c: Column) -> str:
    """The labels a reference column may point at, in words."""
    if set(c.ref) == set(PARTY_ORG_LEVELS.values()):
        return "any `PartyOrg`"
    if set(c.ref) == set(MODEL.territory_labels):
        return "any territory"
    return " or ".join(f"`{lab}`" for lab in c.ref)


def _column_role(t: Table, c: Column) -> str:
    """What a column does: fills a property, chooses the label, or makes a relationship."""
    if c.prop:
        stored = any(c.prop in {p.name for p in MODEL.node(lab).props} for lab in t.labels)
        if c.prop == "id":
            return "the row's key `id`"
        if c.prop == t.label_column:
            return "chooses the label" + (f"; property `{c.prop}`" if stored else "")
        return f"property `{c.prop}`"
    many = " (a list)" if c.many else ""
    if c.rel is None:
        return f"refers to {_refs(c)}{many}"
    arrow = f"← `{c.rel}` ←" if c.reverse else f"→ `{c.rel}` →"
    return f"row {arrow} {_refs(c)}{many}"


def _tables_section() -> list[str]:
    out = [
        "## List tables (what a district hands over)",
        "",
        "A dataset is one directory of CSV or XLSX lists; the full format is in",
        "[dataset.md](dataset.md). Table names (file stems or sheet names) and headers may be",
        "English or Chinese. A reference cell holds the `id` or the exact name of another row.",
        "",
        "| table | 中文 | also accepted | required | rows become |",
        "|---|---|---|---|---|",
    ]
    for t in TABLES:
        becomes = ", ".join(f"`{lab}`" for lab in t.labels) or "relationships only"
        out.append(f"| `{t.name}` | {t.zh} | {'、'.join(t.aliases) or '–'} | "
                   f"{'yes' if t.required else '–'} | {becomes} |")
    out.append("")
    for t in TABLES:
        out += [f"### `{t.name}` {t.zh}", "", "| column | 中文 | required | role |", "|---|---|---|---|"]
        for c in t.columns:
            out.append(f"| `{c.name}` | {c.zh} | {'yes' if c.required else '–'} | {_column_role(t, c)} |")
        for link in t.links:
            out.append(f"| | | | `{link.source}` → `{link.rel}` → `{link.target}` |")
        out.append("")
    return out


# -- the diagram -----------------------------------------------------------------------------

def _table_pairs() -> dict[str, set[Pair]]:
    """(source label, target label) pairs per relationship type that the lists load."""
    pairs: dict[str, set[Pair]] = defaultdict(set)
    for t in TABLES:
        for c in t.columns:
            if c.rel:
                for me in t.labels:
                    for other in c.ref:
                        pairs[c.rel].add((other, me) if c.reverse else (me, other))
        for link in t.links:
            for s in t.column(link.source).ref:
                for d in t.column(link.target).ref:
                    pairs[link.rel].add((s, d))
    return pairs


def diagram_pairs(r: RelKind, loaded: set[Pair]) -> set[Pair]:
    """The endpoint pairs drawn for ``r``: what the lists load, plus what the model allows
    between labels the lists never join with ``r`` (e.g. a committee LEADS an owners'
    committee), so a chain like ``IN`` is drawn as the chain, not as every combination."""
    srcs, dsts = {s for s, _ in loaded}, {d for _, d in loaded}
    allowed = {(s, d) for s in r.sources for d in r.targets}
    return (loaded & allowed) | {(s, d) for s, d in allowed if s not in srcs or d not in dsts}


def _collapse(pairs: set[Pair]) -> set[Pair]:
    """Draw one edge to/from a secondary label (``PartyOrg``) instead of one per kind."""
    for group, members in _groups().items():
        for side in (0, 1):
            by_other: dict[str, set[str]] = defaultdict(set)
            for p in pairs:
                by_other[p[1 - side]].add(p[side])
            out = set()
            for other, ends in by_other.items():
                if members <= ends:
                    ends = (ends - members) | {group}
                for e in ends:
                    out.add((e, other) if side == 0 else (other, e))
            pairs = out
    return pairs


def _mermaid() -> list[str]:
    loaded = _table_pairs()
    out = ["```mermaid", "flowchart LR"]
    for n in MODEL.nodes:
        flags = "".join(f"<br/>+{lab}" for lab in n.flag_labels)
        out.append(f'  {n.label}["{n.label}<br/>{n.zh}{flags}"]')
    groups = sorted({lab for n in MODEL.nodes for lab in n.extra_labels})
    for g in groups:
        out.append(f'  {g}(["{g}"])')
    for n in MODEL.nodes:
        for g in n.extra_labels:
            out.append(f"  {n.label} -.- {g}")
    for r in MODEL.rels:
        arrow = "==>" if r.linkage else "-->"
        for s, d in sorted(_collapse(diagram_pairs(r, loaded.get(r.type, set())))):
            out.append(f"  {s} {arrow}|{r.type}| {d}")
    out.append("```")
    return out


def _diagram_section() -> list[str]:
    return [
        "## Diagram",
        "",
        "Thick arrows are linkage hops; dotted lines join a kind to its secondary label",
        "(`PartyOrg`: an edge drawn to or from it stands for every party organisation kind).",
        "Where the model allows many endpoint combinations, the pairs the lists load are drawn.",
        "",
        *_mermaid(),
        "",
    ]


def render() -> str:
    """The whole ``docs/model.md`` text."""
    lines = [
        "# The graph model",
        "",
        "<!-- Generated by scripts/gen_model_doc.py from orglink/graph/model.py and",
        "     orglink/graph/tables.py. Do not edit by hand: change the declaration and rerun",
        "     `python scripts/gen_model_doc.py`. -->",
        "",
        "How a district's party organisations, government departments, resident units, cadres,",
        "needs and resources are linked. Labels and relationship types are English; official",
        "names stay Chinese in `name`. The declaration in `orglink/graph/model.py` is the",
        "whitelist: no label or relationship type outside it is ever written or queried.",
        "",
        *_node_section(),
        *_rel_section(),
        *_stamp_section(),
        *_vocab_section(),
        *_tables_section(),
        *_diagram_section(),
    ]
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write ``docs/model.md`` (or with ``--check`` only compare); return the exit status."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if docs/model.md is out of date")
    ap.add_argument("--out", type=Path, default=DOC_PATH)
    args = ap.parse_args(argv)
    text = render()
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            print(f"{args.out} is out of date: run python scripts/gen_model_doc.py", file=sys.stderr)
            return 1
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
