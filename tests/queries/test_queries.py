"""Every named query is a .cypher file with a readable header AND an embedded twin."""

from __future__ import annotations

import re

import pytest

from orglink import queries
from orglink.graph.model import MODEL
from orglink.queries import lookups, registry

CYPHER_FILES = sorted(p.stem for p in registry.QUERY_DIR.glob("*.cypher"))


def test_every_cypher_file_has_a_twin_and_every_twin_a_file() -> None:
    twins = set(registry.all_queries())
    assert set(CYPHER_FILES) == twins, (
        f"without twin: {sorted(set(CYPHER_FILES) - twins)}; without .cypher: {sorted(twins - set(CYPHER_FILES))}")


GENERATED = sorted(name for name, q in registry.all_queries().items() if q.generated)


def test_the_simple_lookups_are_generated() -> None:
    assert len(GENERATED) >= 20  # the simple lookups are specs, not hand-written pairs
    assert {"list_streets", "list_needs", "need_get", "graph_nodes", "unit_communities", "need_timelines",
            "street_departments", "handled_matters"} <= set(GENERATED)


@pytest.mark.parametrize("name", GENERATED)
def test_generated_cypher_files_are_up_to_date(name: str) -> None:
    query = registry.get(name)
    assert registry.cypher_text(name) == query.cypher == lookups.cypher_file_text(lookups.SPECS[name]), (
        f"{name}.cypher is out of date: run python -m orglink.queries.generate")
    assert lookups.GENERATED_NOTE in query.cypher


@pytest.mark.parametrize("name", GENERATED)
def test_generated_specs_name_only_model_labels(name: str) -> None:
    lookups.check_labels(lookups.SPECS[name])


def test_a_stub_that_does_not_match_its_spec_is_refused() -> None:
    spec = lookups.Lookup("nope", "x\nParameters: $a", label="Street", alias="s",
                          root_where=(lookups.Where("s", "a"),), columns=(("id", lookups.Prop("s", "id")),),
                          order=("id",))

    def nope(eg: object, b: str) -> list:
        return []

    with pytest.raises(TypeError, match="does not match the spec"):
        lookups.lookup(spec)(nope)  # type: ignore[arg-type]
    assert "nope" not in registry.all_queries()


@pytest.mark.parametrize("name", CYPHER_FILES)
def test_cypher_header_says_what_and_parameters(name: str) -> None:
    text = registry.cypher_text(name)
    header = []
    for line in text.splitlines():
        if not line.startswith("//"):
            break
        header.append(line)
    assert len(header) >= 2, f"{name}.cypher needs a comment header (what it answers, parameters)"
    assert any("Parameters" in h or "参数" in h for h in header), f"{name}.cypher header names no parameters"


@pytest.mark.parametrize("name", CYPHER_FILES)
def test_cypher_uses_only_model_labels_and_types(name: str) -> None:
    body = "\n".join(line for line in registry.cypher_text(name).splitlines()
                     if not line.lstrip().startswith("//"))
    body = re.sub(r"'[^']*'|\"[^\"]*\"", "''", body)  # string literals are not labels
    for m in re.finditer(r"\[\s*\w*\s*:\s*([A-Z_|:]+)", body):
        for t in re.split(r"[|:]", m.group(1)):
            if t:
                assert t in MODEL.rel_types, f"{name}: relationship type {t} not in the model"
    for m in re.finditer(r"\(\s*\w*\s*:\s*([A-Za-z|:&]+)", body):
        for lab in re.split(r"[|:&]", m.group(1)):
            if lab:
                assert lab in MODEL.labels, f"{name}: label {lab} not in the model"


def test_community_chain_on_huinong(huinong_store) -> None:
    [row] = queries.community_chain(huinong_store, community_id="C001")
    assert (row["community_name"], row["street_name"], row["district_name"]) == ("春晖社区", "南街街道", "惠农区")
    assert row["committee_id"] and row["working_committee_id"]
    assert [g["id"] for g in row["grids"]] == sorted(g["id"] for g in row["grids"]) and row["grids"]
    ids = {o["id"] for o in row["orgs"]}
    assert any(o["label"] == "GridBranch" for o in row["orgs"])
    # every org's parent is the committee or another org in the chain
    assert all(o["parent_id"] in ids | {row["committee_id"]} for o in row["orgs"])
    assert queries.community_chain(huinong_store, community_id="NOPE") == []
