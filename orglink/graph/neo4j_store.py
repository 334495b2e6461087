"""The Neo4j backend: the official driver, managed transactions, generated Cypher.

One driver per store; every statement goes through :meth:`Neo4jStore._execute`, which runs a
function in a managed read or write transaction (``session.execute_read`` /
``execute_write``: retried on transient errors, routed to a reader or the writer, so
``neo4j://``, ``neo4j+s://`` (Aura), ``bolt://`` and ``bolt+s://`` all work) and turns any
driver error into one clear :class:`StoreError` line naming the server and database. Every
session shares the driver's bookmark manager, so a read routed to another cluster member
still sees the writes made before it (a need just ordered is found by the next request).

Loading (:meth:`Neo4jStore.merge`):

* the schema (constraints on ``id``, indexes) is ensured first, idempotently;
* a batch of at most ``tx_limit`` records (default 50 000) is written in ONE transaction:
  all or nothing, like the embedded store;
* a larger batch is written chunk by chunk (``batch_size`` rows per ``UNWIND``, default
  10 000), one transaction per chunk, every node chunk before any relationship chunk. If it
  fails part-way, the chunks already committed stay (nodes complete with their properties,
  possibly some of their relationships still missing); since every statement is a MERGE,
  running the same load again resumes and completes it without duplicating anything.

Named queries (:meth:`read`, :meth:`write`) run the ``.cypher`` file of the query; rows come
back as plain Python (temporal values as ISO strings). A write query that must refuse
returns a row with the key ``_conflict`` (see :func:`orglink.graph.store.raise_conflict`):
the transaction is rolled back and :class:`Conflict` raised.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import neo4j
from neo4j import GraphDatabase
from neo4j import exceptions as nx

from orglink.graph import cypher_gen
from orglink.graph.model import MODEL, NEED_STATUS_RANK
from orglink.graph.query import Call, Query, Rows
from orglink.graph.store import (
    GraphBatch,
    LoadOutcome,
    LoadStamp,
    Progress,
    Store,
    StoreError,
    StoreUnavailable,
    outcome_of_statuses,
    raise_conflict,
    refuse_write_query,
    stamp_batch,
)
from orglink.settings import Settings

# The driver logs connection failures at WARNING; with no handler Python would print them
# to stderr next to our own one-line message. Errors reach the user through StoreError.
logging.getLogger("neo4j").addHandler(logging.NullHandler())

_DEFAULTS = Settings.model_fields  # the defaults live in orglink.settings, once
DEFAULT_URI: str = _DEFAULTS["neo4j_uri"].default
DEFAULT_USERNAME: str = _DEFAULTS["neo4j_username"].default
DEFAULT_TX_LIMIT: int = _DEFAULTS["neo4j_tx_limit"].default
URI_SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")
"""Bolt URI schemes (routing ``neo4j…`` or direct ``bolt…``; ``+s`` TLS, ``+ssc`` self-signed)."""
DEFAULT_BATCH_SIZE: int = _DEFAULTS["neo4j_batch_size"].default
DEFAULT_RETRY_SECONDS: int = _DEFAULTS["neo4j_retry_seconds"].default
"""How long a transaction is retried on transient errors (the driver's default is 30 s, which
kept an API request waiting a minute before its 503 while the server was down)."""

T = TypeVar("T")


@dataclass(frozen=True)
class Neo4jSettings:
    """Where and how to connect, and how to split large loads."""

    uri: str = DEFAULT_URI
    username: str | None = DEFAULT_USERNAME
    password: str | None = None
    database: str | None = None  # None: the user's home database
    tx_limit: int = DEFAULT_TX_LIMIT  # batches up to this many records: one transaction
    batch_size: int = DEFAULT_BATCH_SIZE  # rows per UNWIND statement
    retry_seconds: int = DEFAULT_RETRY_SECONDS  # retries of one transaction, and connect timeout

    @property
    def where(self) -> str:
        """``uri（数据库 name）`` for messages."""
        return f"{self.uri}（数据库 {self.database or '默认'}）"


def _one_line(text: object, limit: int = 240) -> str:
    """A driver message folded onto one line and trimmed (our messages stay one line)."""
    line = " ".join(str(text or "").split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def translate_error(exc: Exception, settings: Neo4jSettings, action: str) -> StoreError:
    """Map a driver exception to one clear line: what failed, where, and what to do."""
    where = settings.where
    detail = _one_line(exc.message if isinstance(exc, nx.Neo4jError) and exc.message else exc)
    code = getattr(exc, "code", None) or ""
    if isinstance(exc, nx.AuthError):
        hint = ("未设置密码：用 --neo4j-password 或 NEO4J_PASSWORD 给出"
                if settings.password is None else
                "请检查 --neo4j-username/--neo4j-password 或 NEO4J_USERNAME/NEO4J_PASSWORD")
        return StoreUnavailable(f"Neo4j 认证失败：{where}，用户 {settings.username}（{detail}）；{hint}")
    if code == "Neo.ClientError.Database.DatabaseNotFound":
        return StoreUnavailable(
            f"Neo4j 服务器 {settings.uri} 上没有数据库 {settings.database or '默认'}（{detail}）；"
            f"请先创建它（企业版：CREATE DATABASE），或用 --neo4j-database / NEO4J_DATABASE 指定已有的数据库")
    if isinstance(exc, (nx.ServiceUnavailable, nx.SessionExpired)):
        return StoreUnavailable(
            f"无法连接 Neo4j：{where}（{detail}）；请确认服务器已启动、地址与端口正确"
            f"（--neo4j-uri 或 NEO4J_URI，例如 neo4j://localhost:7687 或 Aura 的 neo4j+s://…）")
    if isinstance(exc, nx.ConfigurationError):
        return StoreError(f"Neo4j 连接配置有误：{settings.uri}（{detail}）；"
                          f"地址应形如 neo4j://主机:7687、neo4j+s://…（Aura）或 bolt://主机:7687")
    if isinstance(exc, nx.DatabaseUnavailable):
        return StoreUnavailable(f"Neo4j 数据库暂不可用：{where}（{detail}）；请稍后重试或检查数据库状态")
    if isinstance(exc, nx.Forbidden):
        return StoreError(f"Neo4j 拒绝了{action}：{where}，用户 {settings.username} 权限不足（{detail}）；"
                          f"请改用有相应权限的账户")
    if isinstance(exc, nx.ConstraintError):
        return StoreError(f"{action}违反了 Neo4j 的唯一约束，未写入任何数据：{where}（{detail}）")
    if isinstance(exc, nx.TransientError):
        return StoreUnavailable(f"Neo4j {action}多次重试仍失败：{where}（{code}：{detail}）；请稍后重试")
    if isinstance(exc, nx.Neo4jError):
        return StoreError(f"Neo4j {action}失败：{where}（{code}：{detail}）")
    return StoreError(f"Neo4j {action}失败：{where}（{type(exc).__name__}：{detail}）")


_SCALARS = (str, int, float, bool, type(None))


def to_plain(value: Any) -> Any:
    """Driver values as plain Python: temporal → ISO string, tuples/points → lists."""
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    if isinstance(value, (neo4j.time.Date, neo4j.time.DateTime, neo4j.time.Time, neo4j.time.Duration)):
        return value.iso_format()
    if isinstance(value, (list, tuple)):  # includes spatial points (tuples of coordinates)
        return [to_plain(v) for v in value]
    return value


class Neo4jStore(Store):
    """A store on a Neo4j 5 server (or Aura) through the official driver."""

    backend = "neo4j"

    def __init__(self, settings: Neo4jSettings, driver: neo4j.Driver | None = None) -> None:
        """Connect lazily to ``settings``; a given ``driver`` is shared and not closed here."""
        self.settings = settings
        self._owns_driver = driver is None
        self._schema_ready = False
        self._verified = driver is not None
        if driver is None:
            scheme = settings.uri.split("://", 1)[0].lower() if "://" in settings.uri else ""
            if scheme not in URI_SCHEMES:
                raise StoreError(f"Neo4j 连接配置有误：{settings.uri}（不支持的地址；应以 "
                                 f"{'、'.join(s + '://' for s in URI_SCHEMES)} 开头，"
                                 f"例如 neo4j://localhost:7687 或 Aura 的 neo4j+s://…）")
            auth = (settings.username or DEFAULT_USERNAME, settings.password) \
                if settings.password is not None else None
            try:
                driver = GraphDatabase.driver(
                    settings.uri, auth=auth, user_agent="orglink",
                    max_transaction_retry_time=settings.retry_seconds,
                    connection_timeout=settings.retry_seconds,
                    connection_acquisition_timeout=2 * settings.retry_seconds)
            except (nx.DriverError, ValueError) as exc:
                raise translate_error(exc, settings, "连接") from None
        self.driver: neo4j.Driver = driver

    @classmethod
    def from_settings(cls, settings: Settings) -> Neo4jStore:
        """Open from :class:`orglink.settings.Settings` (``NEO4J_URI``, ``NEO4J_USERNAME``,
        ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``, ``ORGLINK_NEO4J_*`` or the CLI's options)."""
        return cls(Neo4jSettings(
            uri=settings.neo4j_uri, username=settings.neo4j_username,
            password=settings.neo4j_password, database=settings.neo4j_database,
            tx_limit=settings.neo4j_tx_limit, batch_size=settings.neo4j_batch_size,
            retry_seconds=settings.neo4j_retry_seconds))

    # -- the one way statements run --------------------------------------------------------
    @contextmanager
    def _guard(self, action: str) -> Iterator[None]:
        """Translate driver errors raised inside the block (ours pass through)."""
        try:
            yield
        except StoreError:
            raise
        except (nx.Neo4jError, nx.DriverError) as exc:
            raise translate_error(exc, self.settings, action) from None

    def _verify(self) -> None:
        """Fail fast (no retry loop) when the server is unreachable or the login is wrong."""
        if not self._verified:
            with self._guard("连接"):
                self.driver.verify_connectivity()
            self._verified = True

    def _session(self) -> neo4j.Session:
        """A session on the configured database, causally chained to every earlier one of the
        driver (its bookmark manager), so reads see the writes before them on a cluster too."""
        return self.driver.session(database=self.settings.database,
                                   bookmark_manager=self.driver.execute_query_bookmark_manager)

    def _execute(self, work: Callable[[neo4j.ManagedTransaction], T], *, write: bool, action: str) -> T:
        """Run ``work(tx)`` in one managed transaction (committed when it returns)."""
        self._verify()
        with self._guard(action), self._session() as session:
            if write:
                return session.execute_write(work)
            return session.execute_read(work)

    def _auto(self, statement: str, action: str) -> list[dict[str, Any]]:
        """Run one schema/admin statement in its own auto-commit transaction."""
        self._verify()
        with self._guard(action), self._session() as session:
            return [r.data() for r in session.run(statement)]

    # -- schema --------------------------------------------------------------------------
    def ensure_schema(self) -> list[str]:
        """Create the missing constraints and indexes (idempotent); return the names created.

        Existing names are read first, so a user who may write data but not manage the
        schema can still load once an administrator has created it.
        """
        if self._schema_ready:
            return []
        existing = {r["name"] for r in self._auto(cypher_gen.SHOW_CONSTRAINT_NAMES, "读取约束")}
        existing |= {r["name"] for r in self._auto(cypher_gen.SHOW_INDEX_NAMES, "读取索引")}
        created = []
        for name, statement in cypher_gen.schema_statements():
            if name not in existing:
                self._auto(statement, f"创建约束或索引 {name}")
                created.append(name)
        self._schema_ready = True
        return created

    # -- Store interface -----------------------------------------------------------------
    def merge(self, batch: GraphBatch, progress: Progress | None = None,
              stamp: LoadStamp | None = None) -> LoadOutcome:
        """MERGE a batch: one transaction up to ``tx_limit`` records (the stamp's status
        comparison, retirement and cleanup in the same one), else resumable chunks with the
        stamp's work in a last transaction (a killed load leaves nothing retired)."""
        if stamp is not None:
            batch = stamp_batch(batch, stamp)
        chunks = cypher_gen.plan_batch(batch, self.settings.batch_size)
        total = len(batch)
        self.ensure_schema()
        outcome = LoadOutcome()
        if total <= self.settings.tx_limit:
            def work(tx: neo4j.ManagedTransaction) -> LoadOutcome:
                done = 0
                for chunk in chunks:
                    _write_chunk(tx, chunk)
                    done += len(chunk)
                    if progress:
                        progress(done, total)
                return _apply_stamp(tx, stamp) if stamp is not None else LoadOutcome()

            outcome = self._execute(work, write=True, action="写入")
        else:
            done = 0
            for chunk in chunks:
                def one(tx: neo4j.ManagedTransaction, c: cypher_gen.Chunk = chunk) -> None:
                    _write_chunk(tx, c)

                self._execute(one, write=True, action="写入")
                done += len(chunk)
                if progress:
                    progress(done, total)
            if stamp is not None:
                st = stamp
                outcome = self._execute(lambda tx: _apply_stamp(tx, st), write=True, action="写入")
        if progress and not chunks:
            progress(0, 0)
        return outcome

    def counts(self) -> dict[str, dict[str, int]]:
        """Non-zero node counts per model label and relationship counts per type, model order."""
        query = cypher_gen.counts_query()
        rows = self._execute(lambda tx: [r.data() for r in tx.run(query)], write=False, action="统计")
        got = {(r["kind"], r["name"]): r["n"] for r in rows}
        return {
            "nodes": {lab: got[("nodes", lab)] for lab in MODEL.labels if got.get(("nodes", lab))},
            "relationships": {t: got[("relationships", t)] for t in MODEL.rel_types
                              if got.get(("relationships", t))},
        }

    def read(self, query: Query[Any], **params: Any) -> Rows:
        """Run the read query's Cypher in a read transaction."""
        refuse_write_query(query)
        text = query.cypher
        return self._execute(lambda tx: _rows(tx, text, params), write=False, action=f"查询 {query.name}")

    def read_many(self, calls: list[Call]) -> list[Rows]:
        """Run several read queries in ONE read transaction (one snapshot, one session)."""
        for c in calls:
            refuse_write_query(c.query)
        texts = [(c.query.cypher, c.params) for c in calls]
        names = "、".join(c.query.name for c in calls)
        return self._execute(lambda tx: [_rows(tx, text, params) for text, params in texts],
                             write=False, action=f"查询 {names}")

    def write(self, query: Query[Any], **params: Any) -> Rows:
        """Run the write query's Cypher in one write transaction; a ``_conflict`` row rolls it
        back and raises :class:`Conflict`."""
        text = query.cypher

        def work(tx: neo4j.ManagedTransaction) -> list[dict[str, Any]]:
            rows = _rows(tx, text, params)
            raise_conflict(rows)  # raising inside the function rolls the transaction back
            return rows

        return self._execute(work, write=True, action=f"写入 {query.name}")

    def ping(self) -> dict[str, Any]:
        """Reach the server and the database; report where and which server answered."""
        self._execute(lambda tx: tx.run(cypher_gen.PING).consume(), write=False, action="连接检查")
        with self._guard("连接检查"):
            info = self.driver.get_server_info()
        return {"backend": self.backend, "uri": self.settings.uri,
                "database": self.settings.database or "(default)",
                "server": info.agent, "address": str(info.address)}

    def close(self) -> None:
        """Close the driver (unless it was given to us to share)."""
        if self._owns_driver:
            self.driver.close()


def _rows(tx: neo4j.ManagedTransaction, text: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of one statement as plain dicts (``Record.data()`` is 2-3× slower: it walks
    every value for graph types, which named queries never return)."""
    result = tx.run(text, params)
    keys = result.keys()
    plain = to_plain
    return [{k: plain(v) for k, v in zip(keys, r.values())} for r in result]


def _apply_stamp(tx: neo4j.ManagedTransaction, stamp: LoadStamp) -> LoadOutcome:
    """The stamped load's work after the merge, in transaction ``tx`` (see :meth:`Store.merge`)."""
    outcome = LoadOutcome()
    if stamp.statuses:
        rows = _rows(tx, cypher_gen.STATUS_COMPARE, {"rows": list(stamp.statuses), "rank": NEED_STATUS_RANK})
        outcome_of_statuses(rows, outcome)
    params = {"dataset": stamp.dataset, "load_id": stamp.id, "at": stamp.at}
    for shared in MODEL.shared_labels:
        outcome.relabelled += [r["id"] for r in _rows(tx, cypher_gen.drop_relabelled(shared), params)]
    outcome.relabelled.sort()
    for kind in MODEL.nodes:
        ids = [r["id"] for r in _rows(tx, cypher_gen.retire_nodes(kind.label), params)]
        if ids:
            outcome.retired[kind.label] = ids
    for t in cypher_gen.stamped_rel_types():
        n = _rows(tx, cypher_gen.unlink_stale(t), params)[0]["unlinked"]
        if n:
            outcome.unlinked[t] = n
    return outcome


REPLAN_SKIP = "CYPHER replan=skip\n"
"""Prefix of the load's MERGE statements: keep a cached plan although the statistics moved.

A load changes the counts it is planned on (an empty database fills, a cleared one refills),
so Neo4j would re-plan each of its ~70 statements on the next load (~0.1 s each, more than
writing 10,000 rows). Their plans never depend on the counts: every node is found through the
uniqueness constraint on ``id``, every relationship between two bound nodes."""


def _write_chunk(tx: neo4j.ManagedTransaction, chunk: cypher_gen.Chunk) -> None:
    """Run one chunk; a relationship row whose endpoint is missing aborts the transaction."""
    result = tx.run(REPLAN_SKIP + chunk.cypher, {"rows": chunk.rows})
    if chunk.kind == "nodes":
        result.consume()
        return
    merged = result.single(strict=True)["merged"]
    if merged >= len(chunk.rows):  # fewer only when a row repeats or names a missing node
        return
    type_, src, dst = chunk.key
    missing = tx.run(cypher_gen.rel_missing(type_, src, dst), {"rows": chunk.rows}).single()
    if missing is None:
        return
    label, id_ = (src, missing["src"]) if missing["src_missing"] else (dst, missing["dst"])
    raise StoreError(f"关系 {type_} 的端点不存在：{label} {id_}")

