"""Every named query is a .cypher file with a readable header AND an embedded twin."""

from __future__ import annotations

import re

import pytest

from orglink import queries
from orglink.graph.model import MODEL
from orglink.queries import registry

CYPHER_FILES = sorted(p.stem for p in registry.QUERY_DIR.glob("*.cypher"))


def test_every_cypher_file_has_a_twin_and_every_twin_a_file() -> None:
    twins = set(registry.all_queries())
    assert set(CYPHER_FILES) == twins, (
        f"without twin: {sorted(set(CYPHER_FILES) - twins)}; without .cypher: {sorted(twins - set(CYPHER_FILES))}")


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
