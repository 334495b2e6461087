"""``docs/model.md`` is generated from the model declaration and must not drift from it."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

from orglink.graph.model import MODEL
from orglink.graph.tables import TABLES

ROOT = Path(__file__).resolve().parents[2]


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_model_doc", ROOT / "scripts" / "gen_model_doc.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


GEN = _generator()


def test_committed_model_doc_is_the_generated_one() -> None:
    committed = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    assert committed == GEN.render(), "docs/model.md is stale: run python scripts/gen_model_doc.py"


def test_check_mode_detects_a_stale_page(tmp_path: Path) -> None:
    out = tmp_path / "model.md"
    assert GEN.main(["--out", str(out)]) == 0
    assert GEN.main(["--check", "--out", str(out)]) == 0
    out.write_text(out.read_text(encoding="utf-8").replace("网格", "网络", 1), encoding="utf-8")
    assert GEN.main(["--check", "--out", str(out)]) == 1


def test_every_label_type_and_table_is_documented() -> None:
    text = GEN.render()
    for n in MODEL.nodes:
        assert f"| `{n.label}` | {n.zh} |" in text
        for p in n.props:
            assert f"`{p.name}` {p.zh}" in text
    for r in MODEL.rels:
        assert re.search(rf"^\| `{r.type}` \| {r.zh} \|.*\| {'yes' if r.linkage else '–'} \|", text, re.M)
    for t in TABLES:
        assert f"### `{t.name}` {t.zh}" in text
        for c in t.columns:
            assert f"| `{c.name}` | {c.zh} |" in text


def test_diagram_draws_every_relationship_type_and_linkage_as_thick_arrows() -> None:
    diagram = GEN.render().split("```mermaid\n", 1)[1].split("```", 1)[0]
    edges = re.findall(r"^  (\w+) (==>|-->)\|(\w+)\| (\w+)$", diagram, re.M)
    assert {e[2] for e in edges} == set(MODEL.rel_types)
    for _src, arrow, type_, _dst in edges:
        assert (arrow == "==>") == MODEL.rel(type_).linkage, type_
    # the territory chain is drawn as the chain the lists load, not every combination
    assert sorted((s, d) for s, _, t, d in edges if t == "IN") == [
        ("Community", "Street"), ("Compound", "Grid"), ("Grid", "Community"), ("Street", "District")]
    # edges to every party organisation kind are drawn once, to PartyOrg
    assert ("Unit", "==>", "MEMBER_OF", "PartyOrg") in edges
    assert not any(d in ("GridBranch", "PartyGroup") for _, _, t, d in edges if t == "MEMBER_OF")
