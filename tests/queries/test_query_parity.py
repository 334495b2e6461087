"""Every named query gives the same rows on a real Neo4j as its embedded twin — paths included.

* **Huinong, every read query:** each read query of the registry runs with a table of
  parameter sets (every open need for the matching queries, samples and unknown ids for the
  lookups, every filter of ``list_needs``) on the embedded store and on Neo4j; the rows must
  be equal, in order. A read query without parameter sets here fails the suite.
* **The writes:** the same lifecycle sequence (点单 → 接单 → 派单 → 吹哨 → 报到 → 办结, a
  pairing plan written and read back, refused transitions) runs on a fresh embedded store and a
  fresh Neo4j database holding Huinong; every answer, every refusal and the whole graph after
  it (``graph_nodes``, ``graph_relationships``) must be equal.
* **Generated districts:** hypothesis draws small districts (tests/matching/test_matching.py
  ``random_districts``: grids, communities, streets, party organisations with and without
  duties, units, cadres, capacities, dispatches); each is loaded into both backends and every
  matching query compared for every need.

Tied shortest paths are broken the same way on both sides (the smallest (id, label) sequence,
then relationship types and directions), so the path columns are compared too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from orglink import lifecycle, queries
from orglink.clock import CHINA_TZ
from orglink.data import HUINONG
from orglink.graph.embedded import EmbeddedStore
from orglink.graph.model import OPEN_STATUSES
from orglink.graph.query import Call
from orglink.graph.store import Conflict, GraphBatch, RelRec, Store, StoreError
from orglink.loaders.build import load_dataset
from orglink.matching.plan import run_plan
from orglink.queries import registry
from tests import neo4j_support
from tests.matching.test_matching import random_districts

pytestmark = pytest.mark.neo4j

NOW = dt.datetime(2025, 3, 1, 9, 30, tzinfo=CHINA_TZ)
ALL_NEEDS: dict[str, Any] = {"status": None, "community": None, "category": None, "street_ids": None,
                             "community_ids": None, "escalated_only": False, "skip": 0, "limit": 2000}
"""``list_needs`` parameters for every need on one page."""


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Store]]:
    """(embedded, Neo4j), both holding the bundled Huinong data (read only)."""
    emb = EmbeddedStore(tmp_path_factory.mktemp("parity") / "store")
    load_dataset(HUINONG, emb)
    neo = neo4j_support.open_huinong_store()
    try:
        yield emb, neo
    finally:
        emb.close()
        neo.close()


def _ids(store: Store, query: str, key: str = "id", **params: Any) -> list[str]:
    return sorted(r[key] for r in store.read(registry.get(query), **params))


def read_cases(store: Store) -> dict[str, list[dict[str, Any]]]:
    """Parameter sets for every read query, drawn from the Huinong data in ``store``."""
    nf = ALL_NEEDS
    needs = queries.list_needs(store, **nf)[0]["items"]
    open_needs = sorted(n["id"] for n in needs if n["status"] in OPEN_STATUSES)
    other = sorted(n["id"] for n in needs if n["status"] not in OPEN_STATUSES)
    streets = _ids(store, "list_streets", street=None)
    communities = _ids(store, "list_communities", street=None, community=None)
    units = sorted({r["unit_id"] for r in queries.resource_supply(store)})
    resources = sorted({r["resource_id"] for r in queries.resource_supply(store)})
    some_needs = open_needs[::25] + other[::97] + ["NOPE"]
    some_comms = communities[::7] + ["NOPE"]
    categories = sorted({n["category"] for n in needs})
    place = [{"street": None, "community": None}, {"street": streets[0], "community": None},
             {"street": None, "community": communities[3]},
             {"street": streets[-1], "community": communities[3]}, {"street": "NOPE", "community": None}]
    list_needs = [nf, {**nf, "status": "ordered"}, {**nf, "status": "escalated"},
                  {**nf, "community": communities[5]}, {**nf, "category": categories[2]},
                  {**nf, "street_ids": streets[:2]}, {**nf, "community_ids": communities[:4]},
                  {**nf, "escalated_only": True}, {**nf, "skip": 40, "limit": 15},
                  {**nf, "status": "done", "street_ids": [streets[1]], "skip": 3, "limit": 7}]
    return {
        "community_cadres": [{"community_id": c} for c in some_comms],
        "community_chain": [{"community_id": c} for c in some_comms],
        "document_figures": [{}],
        "get_plan": [{"plan_id": "NOPE"}],  # stored plans: test_write_sequence_gives_the_same_graph
        "graph_nodes": [{}],
        "graph_relationships": [{}],
        "list_communities": place,
        "list_grids": place,
        "list_stations": place,
        "list_streets": [{"street": None}, {"street": streets[1]}, {"street": "NOPE"}],
        "list_units": [{"street": None}, {"street": streets[1]}, {"street": streets[-1]}, {"street": "NOPE"}],
        "list_needs": list_needs,
        # community workers (培训, 四点一线): tests/queries/test_training.py has the hand-made district
        "list_trainings": [{"kind": k, "year": y} for k in (None, "themed", "exam", "NOPE") for y in (None, 2024, 2023)],
        "training_totals": [{"year": None}, {"year": 2024}, {"year": 1999}],
        "work_cycle": [{"community_id": c, "year": y} for c in some_comms for y in (None, 2024, 2023)],
        "list_plans": [{}],  # stored plans: test_write_sequence_gives_the_same_answers_and_graph
        "nearest_units": [{"need_id": n} for n in open_needs + other[::50] + ["NOPE"]],
        "need_context": [{"need_id": n} for n in some_needs],
        "need_get": [{"need_id": n} for n in some_needs],
        "need_place": [{"need_id": n} for n in some_needs],
        "plan_candidates": [{"statuses": list(OPEN_STATUSES)}, {"statuses": ["ordered"]}, {"statuses": []}],
        "report_needs": [{"need_ids": some_needs}, {"need_ids": []}],
        "plan_needs": [{"need_ids": some_needs}, {"need_ids": []}],
        "report_places": [{}],
        "report_meta": [{}],
        "report_resources": [{}],
        "resource_supply": [{}],
        "resource_usage": [{"resource_id": r} for r in resources[::9] + ["NOPE"]],
        "retired_dispatches": [{}],
        "unit_brief": [{"unit_id": u} for u in units[::6] + ["NOPE"]],
        "unit_lists": [{"unit_id": u} for u in units[::6] + ["NOPE"]],
        "unit_communities": [{"unit_id": u} for u in units[::3] + ["NOPE"]],
        "street_departments": [{"street_id": st} for st in streets + ["NOPE"]],
        "need_timelines": [{}],
        "handled_matters": [{}],
        "unmet_by_street": [{}],
        # the document's mechanisms (issue 13): tests/queries/test_organisation.py has the figures
        "organisation_chain": [{"community_id": c} for c in communities[::3] + ["NOPE"]],
        "committee_members": [{"party_org_id": o} for o in ("PO-DC01", "PO-WC01", "PO-WC05", "PO-CC001",
                                                              "PO-CC017", "PO-GB01", "PO-PG001", "NOPE")],
        "community_linkage": [{"community_id": c} for c in communities[::3] + ["NOPE"]],
        "stations_offering": [{"service_words": w, "street": st, "community": c}
                              for w in (None, ["手机充电", "充电"], ["政策咨询"], ["NOPE"])
                              for st, c in ((None, None), (streets[0], None), (None, communities[0]))],
        "nearest_station": [{"grid_id": g, "service_words": w, "community_ids": cs, "top": 5}
                            for g in ("G0001", "G0100", "G0202", "NOPE")
                            for w in (None, ["无线网络"], ["政策咨询"])
                            for cs in (None, communities[:5])],
        "department_view": [{"unit_id": u} for u in ("U001", "U010", "U045", "U046", "U100", "NOPE")],
        "territory_figures": [{"services": [["免费饮水", "饮水"], ["手机充电", "充电"]]}, {"services": []}],
    }


EMPTY_ON_HUINONG = {"get_plan", "list_plans", "retired_dispatches"}
"""Empty on the lists as given: no stored plan (compared after writing some below), nothing retired."""
READS = sorted(name for name, q in registry.all_queries().items() if not q.write)
WRITES = sorted(name for name, q in registry.all_queries().items() if q.write)


def test_every_read_query_has_parameter_sets(stores: tuple[Store, Store]) -> None:
    cases = read_cases(stores[0])
    assert sorted(cases) == READS
    assert all(cases[name] for name in READS)


@pytest.mark.parametrize("name", READS)
def test_read_query_gives_the_same_rows_on_neo4j(stores: tuple[Store, Store], name: str) -> None:
    emb, neo = stores
    cases = read_cases(emb).get(name)
    assert cases, f"no parameter sets for {name}: add them to read_cases()"
    answered = 0
    for params in cases:
        want = _unstamped(emb.read(registry.get(name), **params))
        got = _unstamped(neo.read(registry.get(name), **params))
        assert got == want, f"{name}({params}): Neo4j and embedded differ"
        answered += bool(want)
    if name not in EMPTY_ON_HUINONG:
        assert answered, f"{name}: every parameter set answered nothing on both backends (no test)"


def test_nearest_paths_are_compared_and_some_tie(stores: tuple[Store, Store]) -> None:
    """The path columns compared above are real paths, and some go community ← cadre →
    department, where two cadres of one department reporting to one community tie."""
    emb, _ = stores
    ids = [n["id"] for n in queries.list_needs(emb, **ALL_NEEDS)[0]["items"] if n["status"] in OPEN_STATUSES]
    rows = [r for nid in ids for r in queries.nearest_units(emb, need_id=nid)]
    assert rows and all(len(r["path_ids"]) == r["hops"] + 1 for r in rows)
    # a community ← cadre → department path ties whenever two cadres of one department report
    # to the same community: the chosen cadre is the one with the smallest id
    via_cadre = [r for r in rows if "Cadre" in r["path_labels"]]
    assert via_cadre


def test_read_many_is_the_reads_one_by_one(stores: tuple[Store, Store]) -> None:
    """Several reads in one transaction (what match uses) answer as the reads one by one."""
    calls = [queries.need_context.bind(need_id="N0001"), queries.nearest_units.bind(need_id="N0001"),
             queries.list_streets.bind(street=None), queries.need_get.bind(need_id="NOPE")]
    for store in stores:
        assert store.read_many(calls) == [store.read(c.query, **c.params) for c in calls]
        assert store.read_many([]) == []
    with pytest.raises(StoreError, match="writes"):
        stores[1].read_many([Call(queries.need_accept, {"need_id": "N0001"})])


# -- writes --------------------------------------------------------------------------------

def _unstamped(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows with each load's own id and time replaced by a mark (the dumps carry them;
    each backend had its own loads)."""
    for r in rows:
        if r.get("retired_on") is not None:  # retired_dispatches: when the resource was retired
            r["retired_on"] = "<stamp>"
        if isinstance(r.get("loaded_by"), str) and r["loaded_by"].startswith("load-"):  # report_meta
            r["loaded_by"] = "<stamp>"
        props = r.get("props")
        if isinstance(props, dict):
            for k in ("loaded_by", "retired_by", "retired_on"):
                if k in props:
                    props[k] = "<stamp>"
    return rows


def _dump(store: Store) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return _unstamped(queries.graph_nodes(store)), _unstamped(queries.graph_relationships(store))


def _attempt(fn: Any, *args: Any, **kw: Any) -> Any:
    """The answer of a lifecycle call, or ("conflict", message, current) when it is refused."""
    try:
        return fn(*args, **kw)
    except Conflict as exc:
        return ("conflict", str(exc), exc.current)


def _sequence(store: Store) -> list[Any]:
    """One lifecycle story on ``store`` (Huinong loaded); returns every answer in order."""
    ordered = [n["id"] for n in queries.list_needs(store, **{**ALL_NEEDS, "status": "ordered"})[0]["items"]]
    out: list[Any] = []
    t = NOW
    step = dt.timedelta(minutes=7)
    created = lifecycle.create_need(store, title="楼道灯不亮", category="物业环境", community="C001",
                                    quantity=2, urgency="紧急", by="测试", now=t)
    out.append(created)
    out.append(lifecycle.create_need(store, title="老人助餐", category="养老托幼", community="C002",
                                     by="测试", now=t))
    nid = created["id"]
    out.append(_attempt(lifecycle.complete, store, nid, "过早办结", by="测试", now=t + step))
    out.append(lifecycle.accept(store, nid, by="网格员", now=t + 2 * step))
    out.append(_attempt(lifecycle.accept, store, nid, by="网格员", now=t + 3 * step))
    first = next(iter(queries.nearest_units(store, need_id=ordered[0])), None)
    target = ordered[0]
    out.append(lifecycle.accept(store, target, by="网格员", now=t + 4 * step))
    if first is not None:
        out.append(_attempt(lifecycle.dispatch, store, target, first["resource_id"], by="社区", now=t + 5 * step))
        out.append(lifecycle.complete(store, target, "已办结，居民满意", by="社区", now=t + 6 * step))
    out.append(lifecycle.escalate(store, nid, by="社区", note="须街道协调", now=t + 7 * step))
    units = sorted({u["unit_id"] for u in queries.resource_supply(store)})
    department = next(u for u in units if queries.unit_brief(store, unit_id=u)[0]["department"])
    out.append(lifecycle.answer(store, nid, department, by="部门", note="已到场", now=t + 8 * step))
    out.append(lifecycle.complete(store, nid, "已维修", by="社区", now=t + 9 * step))
    out.append(_attempt(lifecycle.escalate, store, nid, by="社区", now=t + 10 * step))
    # a plan stored before Plan nodes existed: MATCHED_TO relationships only
    store.merge(GraphBatch(rels=[RelRec("MATCHED_TO", "Need", target, "Resource", first["resource_id"],
                                        {"plan_id": "p-legacy", "rank": 1, "hops": first["hops"],
                                         "quantity": 1})] if first is not None else []))
    plan = run_plan(store, write=True, keep=10, now=t + 11 * step)
    out.append(plan.model_dump())
    out.append(queries.get_plan(store, plan_id=plan.plan_id))
    out.append(queries.list_plans(store))
    # rewriting the same plan replaces it (and moves its created_at)
    out.append(run_plan(store, write=True, keep=10, now=t + 12 * step).plan_id)
    out.append(queries.plan_candidates(store, statuses=list(OPEN_STATUSES)))
    out.append(run_plan(store, plan_id="p-second", write=True, keep=3, now=t + 13 * step).plan_id)
    out.append(queries.list_plans(store))
    # keep 2: the first plan and the legacy one go, with their MATCHED_TO
    out.append(run_plan(store, plan_id="p-third", write=True, keep=2, now=t + 14 * step).plan_id)
    out.append(queries.list_plans(store))
    out.append(queries.get_plan(store, plan_id=plan.plan_id))
    out.append(queries.delete_plan(store, plan_id="p-second"))
    out.append(queries.delete_plan(store, plan_id="p-second"))  # gone: no row
    out.append(queries.list_plans(store))
    return out


@pytest.mark.slow
def test_write_sequence_gives_the_same_answers_and_graph(tmp_path: Path) -> None:
    emb = EmbeddedStore(tmp_path / "store")
    neo = neo4j_support.open_test_store()
    try:
        for s in (emb, neo):
            load_dataset(HUINONG, s)
        want, got = _sequence(emb), _sequence(neo)
        assert len(got) == len(want)
        for i, (g, w) in enumerate(zip(got, want)):
            assert g == w, f"step {i} differs"
        assert any(isinstance(a, tuple) and a[0] == "conflict" for a in want)  # refusals compared too
        en, er = _dump(emb)
        nn, nr = _dump(neo)
        assert nn == en
        assert nr == er
        covered = {"need_create", "need_accept", "need_dispatch", "need_complete", "need_escalate",
                   "need_answer", "write_plan", "delete_plan"}
        assert covered == set(WRITES)
    finally:
        emb.close()
        neo.close()


# -- generated districts -------------------------------------------------------------------

@pytest.fixture(scope="module")
def neo_scratch() -> Iterator[Store]:
    """One Neo4j scratch store for the generated districts (emptied per example)."""
    store = neo4j_support.open_test_store()
    try:
        yield store
    finally:
        store.close()


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@pytest.mark.slow
@given(batch=random_districts())
def test_generated_districts_match_on_both_backends(batch: GraphBatch, neo_scratch: Store,
                                                    tmp_path_factory: pytest.TempPathFactory) -> None:
    emb = EmbeddedStore(tmp_path_factory.mktemp("district") / "store")
    try:
        neo_scratch._auto("MATCH (n) DETACH DELETE n", "清空")  # type: ignore[attr-defined]
        emb.merge(batch)
        neo_scratch.merge(batch)
        assert _dump(neo_scratch) == _dump(emb)
        needs = sorted(n.id for n in batch.nodes if n.label == "Need")
        for nid in needs:
            for name in ("nearest_units", "need_context", "need_get", "need_place"):
                assert neo_scratch.read(registry.get(name), need_id=nid) == emb.read(registry.get(name), need_id=nid), (name, nid)
        for statuses in (list(OPEN_STATUSES), ["done"]):
            assert queries.plan_candidates(neo_scratch, statuses=statuses) == \
                queries.plan_candidates(emb, statuses=statuses)
        for name in ("resource_supply", "report_resources", "report_places", "unmet_by_street",
                     "document_figures"):
            assert neo_scratch.read(registry.get(name)) == emb.read(registry.get(name)), name
        assert run_plan(neo_scratch, write=False) == run_plan(emb, write=False)
    finally:
        emb.close()

