"""The Neo4j backend: generated Cypher, driver plumbing, error messages, real-server behaviour.

Three layers:

* no server at all: the Cypher generated from the model (parameterised, whitelisted labels,
  lint-clean), the batch plan, the messages for an unreachable server (also through the CLI);
* a scripted Bolt server (``tests/fake_bolt.py``) so the real neo4j driver runs the store's
  real code path: transactions, rollback on a missing endpoint or a ``_conflict`` row,
  authentication and missing-database messages, temporal values;
* a real Neo4j 5 (``ORGLINK_TEST_NEO4J_URI``): schema, idempotent loads, counts equal to the
  embedded store's, a failed batch leaving nothing. These skip, saying so, without a server.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from orglink import queries
from orglink.graph import cypher_gen
from orglink.graph.backends import open_store
from orglink.graph.embedded import EmbeddedStore
from orglink.graph.model import MODEL
from orglink.graph.neo4j_store import REPLAN_SKIP, Neo4jSettings, Neo4jStore, to_plain
from orglink.graph.store import (
    Conflict,
    GraphBatch,
    NodeRec,
    RelRec,
    StoreError,
    StoreUnavailable,
)
from orglink.queries import registry
from orglink.settings import load_settings
from tests import cypher_lint_support, neo4j_support
from tests.cypher_lint_support import Lint
from tests.fake_bolt import PASSWORD, Date, Failure, FakeBolt

DEAD_URI = "bolt://127.0.0.1:1"  # nothing listens on port 1

requires_server = pytest.mark.neo4j


def small_batch() -> GraphBatch:
    """A little district touching extra labels, flag labels and a keyed relationship."""
    return GraphBatch(
        nodes=[
            NodeRec("District", "D1", {"name": "测试区"}),
            NodeRec("Street", "S1", {"name": "南街街道", "kind": "街道"}),
            NodeRec("Community", "C1", {"name": "春晖社区"}),
            NodeRec("Grid", "G1", {"name": "春晖一网格", "lat": 39.2, "lon": 106.7}),
            NodeRec("WorkingCommittee", "W1", {"name": "南街街道党工委", "level": "街道党工委"}),
            NodeRec("Unit", "U1", {"name": "区卫生健康局", "department": True, "resident": False}),
            NodeRec("Unit", "U2", {"name": "区第一医院", "department": False, "resident": True}),
            NodeRec("Resource", "R1", {"title": "义诊", "category": "医疗健康", "capacity": 10,
                                       "keywords": ["体检", "血压"]}),
            NodeRec("Need", "N1", {"title": "老人体检", "category": "医疗健康", "quantity": 4,
                                   "status": "ordered", "raised_on": "2024-06-01"}),
        ],
        rels=[
            RelRec("IN", "Street", "S1", "District", "D1"),
            RelRec("IN", "Community", "C1", "Street", "S1"),
            RelRec("IN", "Grid", "G1", "Community", "C1"),
            RelRec("RESPONSIBLE_FOR", "WorkingCommittee", "W1", "Street", "S1"),
            RelRec("MEMBER_OF", "Unit", "U1", "WorkingCommittee", "W1"),
            RelRec("CO_BUILDS", "Unit", "U2", "Community", "C1"),
            RelRec("OFFERS", "Unit", "U2", "Resource", "R1"),
            RelRec("RAISED_AT", "Need", "N1", "Grid", "G1"),
            RelRec("MATCHED_TO", "Need", "N1", "Resource", "R1", {"plan_id": "P1", "rank": 1, "hops": 2}),
            RelRec("MATCHED_TO", "Need", "N1", "Resource", "R1", {"plan_id": "P2", "rank": 1, "hops": 2}),
        ],
    )


SMALL_COUNTS = {
    "nodes": {"District": 1, "Street": 1, "Community": 1, "Grid": 1, "PartyOrg": 1,
              "WorkingCommittee": 1, "Unit": 2, "Department": 1, "ResidentUnit": 1,
              "Resource": 1, "Need": 1},
    "relationships": {"IN": 3, "RESPONSIBLE_FOR": 1, "CO_BUILDS": 1, "OFFERS": 1,
                      "RAISED_AT": 1, "MEMBER_OF": 1, "MATCHED_TO": 2},
}
"""Counted by hand from :func:`small_batch`."""


# -- generated Cypher (no server) -----------------------------------------------------------

_LABEL_TOKEN = re.compile(r"\((?:\w+)?((?::\w+)+)")
_TYPE_TOKEN = re.compile(r"\[\w*:(\w+)")
_SET_LABEL = re.compile(r"(?:SET|REMOVE) n:(\w+)|, n:(\w+)")


def _labels_and_types(text: str) -> tuple[set[str], set[str]]:
    labels = {lab for m in _LABEL_TOKEN.finditer(text) for lab in m.group(1).split(":") if lab}
    labels |= {a or b for a, b in _SET_LABEL.findall(text)}
    return labels, set(_TYPE_TOKEN.findall(text))


def test_every_generated_statement_uses_only_model_labels_and_types() -> None:
    statements = dict(cypher_gen.all_statements())
    seen_labels: set[str] = set()
    for name, text in statements.items():
        labels, types = _labels_and_types(text)
        assert labels <= set(MODEL.labels), (name, labels - set(MODEL.labels))
        assert types <= set(MODEL.rel_types), (name, types - set(MODEL.rel_types))
        seen_labels |= labels
    # every label is written somewhere (primary by MERGE, secondary by SET)
    assert seen_labels == set(MODEL.labels)


def test_write_statements_take_every_value_as_a_parameter() -> None:
    batch = small_batch()
    values = {str(v) for rec in batch.nodes for v in (rec.id, *rec.props.values())}
    values |= {str(v) for rec in batch.rels for v in (rec.src_id, rec.dst_id, *rec.props.values())}
    for chunk in cypher_gen.plan_batch(batch):
        assert chunk.cypher.startswith("UNWIND $rows AS row\n")
        body = chunk.cypher.replace("true", "").replace("[1]", "")
        assert not re.search(r"'[^']*'|\"[^\"]*\"|\b\d+(\.\d+)?\b", body), chunk.cypher
        assert not any(v in chunk.cypher for v in values if len(v) > 1), chunk.cypher


def test_node_merge_sets_fixed_and_flag_labels_without_dynamic_labels() -> None:
    unit = cypher_gen.node_merge("Unit")
    assert "MERGE (n:Unit {id: row.id})" in unit and "SET n += row.props" in unit
    for label, prop in (("Department", "department"), ("ResidentUnit", "resident")):
        assert f"CASE WHEN n.{prop} = true THEN [1] ELSE [] END | SET n:{label})" in unit
        assert f"CASE WHEN n.{prop} = true THEN [] ELSE [1] END | REMOVE n:{label})" in unit
    assert "$(" not in unit and "apoc" not in unit.lower()
    assert cypher_gen.node_merge("GridBranch").splitlines()[2] == "SET n += row.props, n:PartyOrg"
    assert "PartyOrg" not in cypher_gen.node_merge("Grid")


def test_relationship_merge_puts_key_properties_in_the_pattern() -> None:
    keyed = cypher_gen.rel_merge("MATCHED_TO", "Need", "Resource")
    assert "MERGE (a)-[r:MATCHED_TO {plan_id: row.props.plan_id}]->(b)" in keyed
    plain = cypher_gen.rel_merge("HANDLED", "Cadre", "Need")
    assert plain.splitlines()[1:4] == ["MATCH (a:Cadre {id: row.src})", "MATCH (b:Need {id: row.dst})",
                                       "MERGE (a)-[r:HANDLED]->(b)"]
    single = cypher_gen.rel_merge("IN", "Grid", "Community")  # a moved grid: the old IN goes first
    assert single.splitlines()[3:5] == [
        "CALL (a, b) { MATCH (a)-[old:IN]->(x:Community) WHERE x <> b DELETE old }", "MERGE (a)-[r:IN]->(b)"]


@pytest.mark.parametrize("call", [
    lambda: cypher_gen.node_merge("Person"),
    lambda: cypher_gen.node_merge("Unit) DETACH DELETE (x"),
    lambda: cypher_gen.rel_merge("KNOWS", "Unit", "Unit"),
    lambda: cypher_gen.rel_merge("IN", "Need", "Grid"),  # type exists, endpoints do not fit
    lambda: cypher_gen.index_name("Need", "title; DROP"),
])
def test_names_outside_the_model_are_refused(call: Any) -> None:
    with pytest.raises(KeyError):
        call()


def test_schema_statements_cover_every_primary_label_and_indexed_property() -> None:
    stmts = dict(cypher_gen.schema_statements())
    for kind in MODEL.nodes:
        name = cypher_gen.constraint_name(kind.label)
        assert stmts[name] == (f"CREATE CONSTRAINT {name} IF NOT EXISTS FOR (n:{kind.label}) "
                               "REQUIRE n.id IS UNIQUE")
        for p in kind.props:
            if p.indexed and p.name != "id":
                iname = cypher_gen.index_name(kind.label, p.name)
                assert stmts[iname] == f"CREATE INDEX {iname} IF NOT EXISTS FOR (n:{kind.label}) ON (n.{p.name})"
    assert all(name.startswith("orglink_") for name in stmts)
    assert len(stmts) == len(cypher_gen.schema_statements())  # names are unique
    assert "orglink_need_status" in stmts and "orglink_unit_department" in stmts


def test_plan_writes_every_node_before_any_relationship_in_bounded_chunks() -> None:
    batch = small_batch()
    batch.nodes += [NodeRec("Cadre", f"K{i}", {"name": "张*"}) for i in range(7)]
    chunks = cypher_gen.plan_batch(batch, size=3)
    kinds = [c.kind for c in chunks]
    assert kinds == sorted(kinds, key=["nodes", "relationships"].index)
    assert all(1 <= len(c) <= 3 for c in chunks)
    assert sum(len(c) for c in chunks) == len(batch)
    cadres = [c for c in chunks if c.key == ("Cadre",)]
    assert [len(c) for c in cadres] == [3, 3, 1]
    assert [r["id"] for c in cadres for r in c.rows] == [f"K{i}" for i in range(7)]
    [matched] = [c for c in chunks if c.key == ("MATCHED_TO", "Need", "Resource")]
    assert matched.rows == [{"src": "N1", "dst": "R1", "props": {"plan_id": "P1", "rank": 1, "hops": 2}},
                            {"src": "N1", "dst": "R1", "props": {"plan_id": "P2", "rank": 1, "hops": 2}}]
    [unit] = [c for c in chunks if c.key == ("Unit",)]
    assert unit.rows[0] == {"id": "U1", "props": {"name": "区卫生健康局", "department": True, "resident": False}}
    with pytest.raises(ValueError):
        cypher_gen.plan_batch(batch, size=0)


def test_counts_query_counts_every_label_and_type_once() -> None:
    parts = cypher_gen.counts_query().split("\nUNION ALL\n")
    assert len(parts) == len(MODEL.labels) + len(MODEL.rel_types)
    assert parts[0] == "MATCH (n:District) RETURN 'nodes' AS kind, 'District' AS name, count(n) AS n"
    assert parts[-1] == (f"MATCH ()-[r:{MODEL.rel_types[-1]}]->() RETURN 'relationships' AS kind, "
                         f"'{MODEL.rel_types[-1]}' AS name, count(r) AS n")


# the shared Cypher lint fixtures (tests/cypher_lint_support.py), visible to this module's tests
cypher_lint = cypher_lint_support.cypher_lint
cypher_lint_primed = cypher_lint_support.cypher_lint_primed
generated_statement_files = cypher_lint_support.generated_statement_files


def test_all_generated_statements_lint_clean(
    cypher_lint_primed: Lint, generated_statement_files: dict[Path, tuple[str, ...]]
) -> None:
    """Every statement the backend can send (each distinct text once, as a .cypher file) through the lint."""
    run = cypher_lint_primed(*generated_statement_files)
    assert run.returncode == 0, str(run)
    assert run.errors() == []
    # the only warnings: the linter takes the keys of the $rows maps for unknown property keys
    odd = [d for d in run.warnings() if not re.match(r"^(src|dst) is not present in the database", d.message)]
    assert odd == [], "\n".join(f"{d.file}:{d.line}:{d.col}: {d.message}" for d in odd)
    names = [name for same in generated_statement_files.values() for name in same]
    assert sorted(names) == sorted(name for name, _ in cypher_gen.all_statements())
    assert len(generated_statement_files) >= 5  # node MERGE, relationship MERGE, diagnosis, schema …


def test_every_generated_statement_names_only_model_labels_types_and_properties() -> None:
    """The statements linted once per shape differ only in these names: all from the model."""
    for name, text in cypher_gen.all_statements():
        body = re.sub(r"'[^']*'", "''", text)
        for m in re.finditer(r"[(\[]\s*\w*\s*:\s*([A-Za-z_|:]+)", body):
            for t in re.split(r"[|:]", m.group(1)):
                assert t in MODEL.labels or t in MODEL.rel_types, (name, t)
        for m in re.finditer(r"\b(?:n|a|b|r)\.([a-z_]+)\b", body):
            assert m.group(1) in MODEL.property_keys, (name, m.group(1))
        for m in re.finditer(r"\bSET n:([A-Za-z]+)|REMOVE n:([A-Za-z]+)|, n:([A-Za-z]+)", body):
            assert next(g for g in m.groups() if g) in MODEL.labels, name


# -- unreachable server (no server) ---------------------------------------------------------

def _dead_store() -> Neo4jStore:
    return Neo4jStore(Neo4jSettings(uri=DEAD_URI, password="x", database="orglink"))


@pytest.mark.parametrize("call", [
    lambda s: s.counts(),
    lambda s: s.ping(),
    lambda s: queries.document_figures(s),
    lambda s: s.merge(small_batch()),
])
def test_unreachable_server_gives_one_clear_line(call: Any) -> None:
    store = _dead_store()
    with pytest.raises(StoreUnavailable) as info:
        call(store)
    store.close()
    msg = str(info.value)
    assert "\n" not in msg
    assert DEAD_URI in msg and "orglink" in msg and "无法连接 Neo4j" in msg
    assert "NEO4J_URI" in msg
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_unknown_uri_scheme_is_a_configuration_error() -> None:
    for uri in ("http://localhost:7474", "ftp://x", "localhost:7687"):
        with pytest.raises(StoreError, match=f"连接配置有误：{uri}（不支持的地址") as info:
            open_store(load_settings(backend="neo4j", neo4j_uri=uri, neo4j_password="x"))
        assert "neo4j+s://" in str(info.value) and "\n" not in str(info.value)


def test_from_config_falls_back_to_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_URI", "neo4j+s://abc.databases.neo4j.io")
    monkeypatch.setenv("NEO4J_USERNAME", "planner")
    monkeypatch.setenv("NEO4J_PASSWORD", "secret")
    monkeypatch.setenv("NEO4J_DATABASE", "huinong")
    monkeypatch.setenv("ORGLINK_NEO4J_BATCH_SIZE", "250")
    monkeypatch.delenv("ORGLINK_NEO4J_TX_LIMIT", raising=False)
    store = open_store(load_settings(backend="neo4j", neo4j_username="admin"))
    assert isinstance(store, Neo4jStore)
    s = store.settings
    assert (s.uri, s.username, s.password, s.database, s.batch_size, s.tx_limit) == (
        "neo4j+s://abc.databases.neo4j.io", "admin", "secret", "huinong", 250, 50_000)
    store.close()
    monkeypatch.setenv("ORGLINK_NEO4J_TX_LIMIT", "lots")
    with pytest.raises(StoreError, match="ORGLINK_NEO4J_TX_LIMIT"):
        open_store(load_settings(backend="neo4j"))


def test_cli_reports_an_unreachable_server_in_one_line() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "ORGLINK_"))}
    proc = subprocess.run(
        [sys.executable, "-c", "import sys; from orglink.cli import main; sys.argv[0] = 'orglink'; main()",
         "--neo4j-uri", DEAD_URI, "stats", "--backend", "neo4j"],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=60)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert DEAD_URI in lines[0] and "无法连接 Neo4j" in lines[0]
    assert "Traceback" not in proc.stderr + proc.stdout
    assert proc.stdout.strip() == ""


def test_plain_values() -> None:
    import neo4j.time

    assert to_plain({"d": neo4j.time.Date(2024, 5, 1), "xs": (1, [neo4j.time.Date(2024, 1, 2)]),
                     "t": neo4j.time.DateTime(2024, 5, 1, 8, 30, 0), "s": "x"}) == {
        "d": "2024-05-01", "xs": [1, ["2024-01-02"]], "t": "2024-05-01T08:30:00.000000000", "s": "x"}


# -- the real driver against a scripted Bolt server -------------------------------------------

class Script:
    """A ``respond`` for :class:`FakeBolt` answering the statements Neo4jStore sends."""

    def __init__(self, existing: set[str] | None = None) -> None:
        self.existing = existing or set()
        self.missing_row: dict[str, Any] | None = None  # answer of the missing-endpoint query
        self.named: list[dict[str, Any]] = []  # rows of a named query
        self.fail_on: tuple[str, Failure] | None = None

    def __call__(self, query: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.fail_on and self.fail_on[0] in query:
            raise self.fail_on[1]
        if query.startswith("SHOW "):
            return [{"name": n} for n in sorted(self.existing)]
        if query.startswith("CREATE "):
            return []
        if query == cypher_gen.PING:
            return [{"ok": 1}]
        if "UNION ALL" in query:
            return [{"kind": "nodes", "name": lab, "n": 2 if lab == "Unit" else 0} for lab in MODEL.labels] + \
                   [{"kind": "relationships", "name": t, "n": 5 if t == "IN" else 0} for t in MODEL.rel_types]
        if "count(DISTINCT row) AS merged" in query:
            rows = params["rows"]
            return [{"merged": len(rows) - (1 if self.missing_row else 0)}]
        if "a IS NULL OR b IS NULL" in query:
            return [self.missing_row] if self.missing_row else []
        if query.startswith("UNWIND $rows"):
            return []
        if "AS unlinked" in query:  # a stamped load's cleanup: nothing stale
            return [{"unlinked": 0}]
        if "SET n.retired_on" in query or "DETACH DELETE old" in query or "AS props" in query:
            return []  # nothing to retire; the graph dumps (a load's preview) are empty
        return self.named


def _fake_store(srv: FakeBolt, **overrides: Any) -> Neo4jStore:
    return Neo4jStore(Neo4jSettings(uri=srv.uri, password=PASSWORD, **overrides))


def _transactions(srv: FakeBolt) -> list[list[str]]:
    """The query texts of each explicit transaction and whether it committed."""
    txs: list[list[str]] = []
    current: list[str] | None = None
    for name, details in srv.log:
        if name == "BEGIN":
            current = []
        elif name == "RUN" and current is not None:
            current.append(details[0])
        elif name in ("COMMIT", "ROLLBACK") and current is not None:
            txs.append([*current, name])
            current = None
    return txs


def test_small_batch_is_one_transaction_nodes_first() -> None:
    script = Script()
    with FakeBolt(script) as srv:
        store = _fake_store(srv)
        progress: list[tuple[int, int]] = []
        store.merge(small_batch(), progress=lambda d, t: progress.append((d, t)))
        store.close()
    # schema: names read, then every missing constraint/index created in its own auto-commit
    created = [q for q in srv.queries() if q.startswith("CREATE ")]
    assert created == [s for _, s in cypher_gen.schema_statements()]
    [tx] = _transactions(srv)
    assert tx[-1] == "COMMIT"
    plan = cypher_gen.plan_batch(small_batch())
    assert tx[:-1] == [REPLAN_SKIP + c.cypher for c in plan]
    assert progress[-1] == (len(small_batch()), len(small_batch()))
    assert [d for d, _ in progress] == sorted(d for d, _ in progress)


def test_schema_is_ensured_once_and_only_missing_items_are_created() -> None:
    names = [n for n, _ in cypher_gen.schema_statements()]
    script = Script(existing=set(names[1:]))
    with FakeBolt(script) as srv:
        store = _fake_store(srv)
        assert store.ensure_schema() == [names[0]]
        store.merge(small_batch())
        store.close()
    assert [q for q in srv.queries() if q.startswith("CREATE ")] == [cypher_gen.schema_statements()[0][1]]
    assert sum(q.startswith("SHOW CONSTRAINTS") for q in srv.queries()) == 1


def test_large_batch_commits_chunk_by_chunk_nodes_first() -> None:
    with FakeBolt(Script()) as srv:
        store = _fake_store(srv, tx_limit=5, batch_size=2)
        store.merge(small_batch())
        store.close()
    txs = _transactions(srv)
    plan = cypher_gen.plan_batch(small_batch(), 2)
    assert [tx[:-1] for tx in txs] == [[REPLAN_SKIP + c.cypher] for c in plan]
    assert all(tx[-1] == "COMMIT" for tx in txs)
    first_rel = next(i for i, c in enumerate(plan) if c.kind == "relationships")
    assert all(c.kind == "nodes" for c in plan[:first_rel])
    assert all(c.kind == "relationships" for c in plan[first_rel:])


def test_missing_endpoint_rolls_back_and_names_the_node() -> None:
    script = Script()
    script.missing_row = {"src": "S1", "src_missing": False, "dst": "D1", "dst_missing": True}
    with FakeBolt(script) as srv:
        store = _fake_store(srv)
        with pytest.raises(StoreError, match="关系 IN 的端点不存在：District D1") as info:
            store.merge(small_batch())
        store.close()
    assert not isinstance(info.value, StoreUnavailable)
    [tx] = _transactions(srv)
    assert tx[-1] == "ROLLBACK"
    assert tx[-2] == cypher_gen.rel_missing("IN", "Street", "District")


def test_conflict_row_rolls_back_and_raises() -> None:
    script = Script()
    query = next(q for q in registry.all_queries().values() if q.write)
    script.named = [{"_conflict": "需求已办结，不能再派单", "status": "done"}]
    with FakeBolt(script) as srv:
        store = _fake_store(srv)
        with pytest.raises(Conflict) as info:
            store.write(query, need_id="N1")
        assert info.value.current == {"status": "done"}
        assert str(info.value) == "需求已办结，不能再派单"
        script.named = [{"status": "dispatched"}]
        assert store.write(query, need_id="N1") == [{"status": "dispatched"}]
        store.close()
    assert [tx[-1] for tx in _transactions(srv)] == ["ROLLBACK", "COMMIT"]


def test_read_returns_plain_values_and_counts_keep_model_order() -> None:
    script = Script()
    script.named = [{"day": Date(dt.date(2024, 5, 1)), "n": 3, "names": ["a", "b"], "none": None}]
    with FakeBolt(script) as srv:
        store = _fake_store(srv)
        assert queries.document_figures(store) == [{"day": "2024-05-01", "n": 3, "names": ["a", "b"], "none": None}]
        assert store.counts() == {"nodes": {"Unit": 2}, "relationships": {"IN": 5}}
        with pytest.raises(StoreError, match="writes; use write"):
            store.read(next(q for q in registry.all_queries().values() if q.write))
        info = store.ping()
        store.close()
    assert info["server"] == "Neo4j/5.26.0" and info["uri"] == srv.uri


def test_wrong_password_is_an_authentication_message() -> None:
    with FakeBolt(Script()) as srv:
        store = Neo4jStore(Neo4jSettings(uri=srv.uri, username="planner", password="wrong"))
        with pytest.raises(StoreUnavailable) as info:
            store.counts()
        store.close()
    msg = str(info.value)
    assert "认证失败" in msg and srv.uri in msg and "planner" in msg and "NEO4J_PASSWORD" in msg
    assert "\n" not in msg and "wrong" not in msg


def test_missing_database_is_named() -> None:
    with FakeBolt(Script()) as srv:
        store = _fake_store(srv, database="missing")
        with pytest.raises(StoreUnavailable) as info:
            store.counts()
        store.close()
    msg = str(info.value)
    assert "没有数据库 missing" in msg and srv.uri in msg and "NEO4J_DATABASE" in msg


def test_constraint_violation_is_one_line() -> None:
    script = Script()
    script.fail_on = ("MERGE (n:Unit", Failure("Neo.ClientError.Schema.ConstraintValidationFailed",
                                               "Node(12) already exists with label `Unit` and property `id` = 'U1'\nmore"))
    with FakeBolt(script) as srv:
        store = _fake_store(srv)
        with pytest.raises(StoreError) as info:
            store.merge(small_batch())
        store.close()
    msg = str(info.value)
    assert "唯一约束" in msg and "U1" in msg and "\n" not in msg
    # the server drops a failed transaction itself; the driver must not have committed it
    assert "BEGIN" in srv.names() and "COMMIT" not in srv.names()


def test_syntax_error_names_code_and_place() -> None:
    script = Script()
    script.fail_on = ("UNION ALL", Failure("Neo.ClientError.Statement.SyntaxError", "Invalid input 'X'"))
    with FakeBolt(script) as srv:
        store = _fake_store(srv)
        with pytest.raises(StoreError, match=r"Neo\.ClientError\.Statement\.SyntaxError：Invalid input 'X'"):
            store.counts()
        store.close()


def test_cli_load_and_stats_go_through_neo4j(tmp_path: Path) -> None:
    """``--backend neo4j`` with the global connection options, end to end through the driver."""
    import json

    from typer.testing import CliRunner

    from orglink.cli import app, import_commands
    from tests.datasets import write_tiny

    import_commands()
    write_tiny(tmp_path / "tiny")
    script = Script()
    script.named = [{"grid_party_groups": 0, "warm_stations": 1, "driver_homes": 0, "done_needs": 1,
                     "reporting_cadres": 2, "owners_party_share": None}]
    env = {k: None for k in ("NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE",
                             "ORGLINK_BACKEND", "ORGLINK_STORE")}
    with FakeBolt(script) as srv:
        conn = ["--neo4j-uri", srv.uri, "--neo4j-password", PASSWORD, "--neo4j-database", "orglink"]
        load = CliRunner().invoke(app, [*conn, "load", str(tmp_path / "tiny"), "--backend", "neo4j"], env=env)
        stats = CliRunner().invoke(app, [*conn, "stats", "--backend", "neo4j", "--json"], env=env)
    assert load.exit_code == 0, load.output
    assert "（neo4j）" in load.output
    [tx] = [t for t in _transactions(srv) if any("MERGE" in q for q in t)]  # one write transaction
    assert tx[-1] == "COMMIT"
    merges = [q.removeprefix(REPLAN_SKIP) for q in tx if q.startswith(REPLAN_SKIP)]
    assert {q.splitlines()[1] for q in merges if q.startswith("UNWIND") and "MERGE (n:" in q} >= {
        "MERGE (n:Street {id: row.id})", "MERGE (n:Need {id: row.id})", "MERGE (n:Unit {id: row.id})"}
    begins = [d for n, d in srv.log if n == "BEGIN"]
    assert begins and all(d[0].get("db") == "orglink" for d in begins)
    assert stats.exit_code == 0, stats.output
    data = json.loads(stats.output)
    assert data["nodes"] == {"Unit": 2} and data["relationships"] == {"IN": 5}
    assert data["figures"]["reporting_cadres"] == 2
    assert not (tmp_path / "orglink-store").exists()


# -- the embedded store follows the same conventions --------------------------------------------

def test_embedded_flag_labels_follow_the_stored_property(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "s")
    store.merge(GraphBatch(nodes=[NodeRec("Unit", "U1", {"name": "a", "department": True})]))
    store.merge(GraphBatch(nodes=[NodeRec("Unit", "U1", {"name": "b"})]))  # department kept
    assert store.counts()["nodes"] == {"Unit": 1, "Department": 1}
    store.merge(GraphBatch(nodes=[NodeRec("Unit", "U1", {"department": False})]))
    assert store.counts()["nodes"] == {"Unit": 1}


# -- a real Neo4j 5 ---------------------------------------------------------------------------

@pytest.fixture
def neo4j_store() -> Any:
    """An empty isolated store on the configured server."""
    store = neo4j_support.open_test_store()
    try:
        yield store
    finally:
        store.close()


def _schema_names(store: Neo4jStore) -> set[str]:
    return {r["name"] for q in (cypher_gen.SHOW_CONSTRAINT_NAMES, cypher_gen.SHOW_INDEX_NAMES)
            for r in store._auto(q, "test")}


@requires_server
def test_schema_is_created_idempotently(neo4j_store: Neo4jStore) -> None:
    neo4j_store.ensure_schema()
    names = {n for n, _ in cypher_gen.schema_statements()}
    assert names <= _schema_names(neo4j_store)
    again = Neo4jStore(neo4j_store.settings, driver=neo4j_store.driver)
    assert again.ensure_schema() == []
    for _, statement in cypher_gen.schema_statements():  # IF NOT EXISTS: no error when present
        neo4j_store._auto(statement, "test")
    assert names <= _schema_names(neo4j_store)


@requires_server
def test_load_twice_gives_the_same_counts(neo4j_store: Neo4jStore) -> None:
    neo4j_store.merge(small_batch())
    assert neo4j_store.counts() == SMALL_COUNTS
    neo4j_store.merge(small_batch())
    assert neo4j_store.counts() == SMALL_COUNTS


@requires_server
def test_flag_labels_follow_the_property_on_reload(neo4j_store: Neo4jStore) -> None:
    neo4j_store.merge(small_batch())
    neo4j_store.merge(GraphBatch(nodes=[NodeRec("Unit", "U1", {"department": False}),
                                        NodeRec("Unit", "U2", {"department": True})]))
    counts = neo4j_store.counts()["nodes"]
    assert (counts["Unit"], counts["Department"], counts["ResidentUnit"]) == (2, 1, 1)


@requires_server
def test_failed_batch_leaves_nothing(neo4j_store: Neo4jStore) -> None:
    neo4j_store.merge(small_batch())
    before = neo4j_store.counts()
    bad = GraphBatch(nodes=[NodeRec("Community", "C2", {"name": "新社区"})],
                     rels=[RelRec("IN", "Community", "C2", "Street", "S1"),
                           RelRec("IN", "Grid", "G404", "Community", "C2")])
    with pytest.raises(StoreError, match="端点不存在：Grid G404"):
        neo4j_store.merge(bad)
    assert neo4j_store.counts() == before


@pytest.mark.slow
@requires_server
def test_chunked_load_equals_single_transaction_load() -> None:
    huinong = neo4j_support.server().huinong_batch()
    store = neo4j_support.open_test_store(tx_limit=100, batch_size=500)
    try:
        store.merge(huinong)
        chunked = store.counts()
    finally:
        store.close()
    assert chunked == _embedded_counts(huinong)


def _embedded_counts(batch: GraphBatch) -> dict[str, dict[str, int]]:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        store = EmbeddedStore(Path(d))
        store.merge(batch)
        return store.counts()


@pytest.mark.slow
@requires_server
def test_huinong_counts_equal_embedded() -> None:
    store = neo4j_support.open_huinong_store()
    assert store.counts() == _embedded_counts(neo4j_support.server().huinong_batch())


# -- the test-server isolation (tests/neo4j_support.py) on a scripted server ----------------------

class ServerScript(Script):
    """A Community (one database) or Enterprise (CREATE DATABASE works) server."""

    def __init__(self, enterprise: bool, nodes: int = 0) -> None:
        super().__init__(existing={"index_lookup_nodes", "index_lookup_rels"})
        self.enterprise = enterprise
        self.nodes = nodes
        self.admin: list[str] = []

    def __call__(self, query: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        if query.startswith(("CREATE DATABASE", "DROP DATABASE")):
            if not self.enterprise:
                raise Failure("Neo.ClientError.Statement.UnsupportedAdministrationCommand",
                              "Unsupported administration command: " + query)
            self.admin.append(query)
            return [{"address": "localhost:7687", "state": "CREATED", "message": "", "success": True}]
        if query.startswith(("DROP CONSTRAINT", "DROP INDEX", "MATCH (n) DETACH DELETE n")):
            self.admin.append(query)
            return []
        if query == "MATCH (n) RETURN count(n) AS n":
            return [{"n": self.nodes}]
        if query.startswith("CREATE CONSTRAINT") or query.startswith("CREATE INDEX"):
            self.existing.add(query.split()[2])
            return []
        return super().__call__(query, params)


def _support_server(monkeypatch: pytest.MonkeyPatch, srv: FakeBolt) -> neo4j_support.TestServer:
    monkeypatch.setenv(neo4j_support.ENV_URI, srv.uri)
    monkeypatch.setenv(neo4j_support.ENV_PASSWORD, PASSWORD)
    monkeypatch.delenv(neo4j_support.ENV_DATABASE, raising=False)
    test_server = neo4j_support.TestServer()
    test_server.start()
    test_server._huinong_batch = small_batch()  # stands in for Huinong
    return test_server


def test_single_database_server_swaps_fixtures_and_cleans_up(monkeypatch: pytest.MonkeyPatch) -> None:
    script = ServerScript(enterprise=False)
    with FakeBolt(script) as srv:
        ts = _support_server(monkeypatch, srv)
        assert ts.mode == "single" and "UnsupportedAdministrationCommand" in ts.mode_reason
        hs = ts.huinong()
        hs.counts()  # first use loads "Huinong"
        hs.counts()  # still there: no reload
        assert ts.holds == "huinong"
        loads = sum("MERGE (n:District" in q for q in srv.queries())
        assert loads == 1
        scratch = ts.scratch()
        assert ts.holds == "scratch" and script.admin[-1] == "MATCH (n) DETACH DELETE n"
        with pytest.raises(RuntimeError, match="cannot use both"):
            hs.counts()
        scratch.close()
        hs.counts()  # displaced by the scratch test: cleared and reloaded
        assert sum("MERGE (n:District" in q for q in srv.queries()) == 2
        script.admin.clear()
        ts.finish()
    created = {n for n, _ in cypher_gen.schema_statements()}
    assert script.admin[0] == "MATCH (n) DETACH DELETE n"
    dropped = {q.split("`")[1] for q in script.admin[1:]}
    assert dropped == created  # the suite's schema, not the server's own lookup indexes
    assert all(q.startswith(("DROP CONSTRAINT", "DROP INDEX")) for q in script.admin[1:])


def test_single_database_holding_data_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeBolt(ServerScript(enterprise=False, nodes=42)) as srv:
        monkeypatch.setenv(neo4j_support.ENV_URI, srv.uri)
        monkeypatch.setenv(neo4j_support.ENV_PASSWORD, PASSWORD)
        ts = neo4j_support.TestServer()
        with pytest.raises(StoreError, match="holds 42 nodes that the test suite will not touch"):
            ts.start()
        ts.driver.close()


def test_enterprise_server_gets_two_databases_dropped_at_the_end(monkeypatch: pytest.MonkeyPatch) -> None:
    script = ServerScript(enterprise=True)
    with FakeBolt(script) as srv:
        ts = _support_server(monkeypatch, srv)
        assert ts.mode == "databases"
        scratch_db, huinong_db = ts.scratch_db, ts.huinong_db
        assert scratch_db == f"orglinktest{ts.run_id}s" and huinong_db == f"orglinktest{ts.run_id}h"
        assert script.admin == [f"CREATE DATABASE {scratch_db} IF NOT EXISTS WAIT",
                                f"CREATE DATABASE {huinong_db} IF NOT EXISTS WAIT"]
        hs = ts.huinong()
        hs.counts()
        scratch = ts.scratch()
        hs.counts()  # both at once are fine with two databases, and no reload
        scratch.counts()
        scratch.close()
        assert sum("MERGE (n:District" in q for q in srv.queries()) == 1
        ts.finish()
    dbs = {d[0].get("db") for n, d in srv.log if n == "BEGIN"} | \
          {d[2].get("db") for n, d in srv.log if n == "RUN" and d[2].get("db")}  # auto-commit
    assert dbs == {"system", scratch_db, huinong_db}  # admin commands go to the system database
    assert script.admin[-2:] == [f"DROP DATABASE {scratch_db} IF EXISTS WAIT",
                                 f"DROP DATABASE {huinong_db} IF EXISTS WAIT"]
