"""The synthetic regions of ``benchmarks/region.py`` (what ``bench_matching.py`` measures):
deterministic, valid datasets, and the kind of linkage graph their name promises — one
connected component for ``connected``, at least ``k`` for ``disconnected`` — with the scope mix
``connected`` claims. Small ``k`` only (×1–×3), so the whole file runs in seconds."""

from __future__ import annotations

import csv
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from benchmarks.region import KINDS, build_region, write_region
from orglink.data import HUINONG
from orglink.graph.embedded import EmbeddedStore
from orglink.graph.model import MODEL
from orglink.loaders.build import load_dataset, validate_dataset


def _files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.glob("*.csv"))}


@cache
def _huinong_nodes() -> int:
    return len(validate_dataset(HUINONG).batch.nodes)


def _huinong_rows() -> Counter[str]:
    """Data rows per list of the bundled Huinong sample."""
    out: Counter[str] = Counter()
    for p in HUINONG.glob("*.csv"):
        with p.open(encoding="utf-8-sig", newline="") as fh:
            out[p.stem] = sum(1 for _ in csv.reader(fh)) - 1
    return out


def _components(store: EmbeddedStore) -> list[set[str]]:
    """Connected components of the undirected linkage graph, each as the set of its Community
    and Unit node keys (every Community and Unit is in exactly one, alone if it has no link)."""
    linkage = set(MODEL.linkage_types)
    with store.reading() as eg:
        adj: dict[str, set[str]] = {}
        for u, v, t in eg.g.edges(data="type"):
            if t in linkage:
                adj.setdefault(u, set()).add(v)
                adj.setdefault(v, set()).add(u)
        places = set(eg.nodes_of("Community")) | set(eg.nodes_of("Unit"))
    seen: set[str] = set()
    out = []
    for start in sorted(places):
        if start in seen:
            continue
        comp, stack = {start}, [start]
        while stack:
            for w in adj.get(stack.pop(), ()):
                if w not in comp:
                    comp.add(w)
                    stack.append(w)
        seen |= comp
        out.append(comp & places)
    return out


def _loaded(kind: str, k: int, tmp_path: Path) -> EmbeddedStore:
    store = EmbeddedStore(tmp_path / "store")
    load_dataset(write_region(kind, k, tmp_path / "region"), store)  # validates first: raises on any problem
    return store


@pytest.mark.parametrize("kind", KINDS)
def test_the_same_seed_gives_the_same_bytes(kind: str, tmp_path: Path) -> None:
    a = _files(write_region(kind, 2, tmp_path / "a", seed=5))
    b = _files(write_region(kind, 2, tmp_path / "b", seed=5))
    assert a and a == b


def test_another_seed_gives_another_connected_region(tmp_path: Path) -> None:
    a = _files(write_region("connected", 2, tmp_path / "a", seed=5))
    b = _files(write_region("connected", 2, tmp_path / "b", seed=6))
    assert a.keys() == b.keys()
    assert a != b


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="kind must be one of"):
        build_region("ring", 1)


@pytest.mark.parametrize(("kind", "k"), [("disconnected", 1), ("connected", 1)])
def test_every_region_passes_the_validator(kind: str, k: int, tmp_path: Path) -> None:
    """(The ×2 regions are validated by the component tests below: ``load_dataset`` validates first.)"""
    built = validate_dataset(write_region(kind, k, tmp_path / "region"))  # raises LoadError listing any problem
    rows = Counter(name for name, (_h, body) in build_region(kind, k).items() for _ in body)
    base = _huinong_rows()
    if kind == "disconnected":
        assert rows == Counter({name: k * n for name, n in base.items()})
        assert len(built.batch.nodes) == k * _huinong_nodes()
    else:  # the copies plus the synthetic cross-street / cross-district rows
        assert rows["cadres"] > k * base["cadres"]
        assert rows["agreements"] > k * base["agreements"]
        assert len(built.batch.nodes) > k * _huinong_nodes()


def test_a_connected_region_is_one_linkage_component(tmp_path: Path) -> None:
    store = _loaded("connected", 2, tmp_path)
    comps = _components(store)
    with store.reading() as eg:
        n_places = len(eg.nodes_of("Community")) + len(eg.nodes_of("Unit"))
    assert n_places > 0
    assert len(comps) == 1, sorted(len(c) for c in comps)[:10]
    assert len(comps[0]) == n_places


def test_a_disconnected_region_has_at_least_k_components(tmp_path: Path) -> None:
    k = 2
    comps = _components(_loaded("disconnected", k, tmp_path))
    assert len(comps) >= k
    # no component holds places of two districts (their ids carry the copy's prefix X<i>-)
    for comp in comps:
        assert len({key.split(":", 1)[1][:5] for key in comp}) == 1, sorted(comp)[:5]


def test_a_connected_region_mixes_the_scopes_of_its_needs() -> None:
    header, rows = build_region("connected", 3)["needs"]  # no load: cheap at ×3
    scope = header.index("范围")
    count = Counter(r[scope] for r in rows)
    assert 0.10 <= count["街道"] / len(rows) <= 0.30, count
    assert count[""] > 0, count
    assert count["社区"] + count["网格"] > 0, count
