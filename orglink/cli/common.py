"""Shared CLI pieces: the typer app, store options, error handling and console."""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from orglink.auth import TokenError
from orglink.cli.zh_help import ChineseTyper
from orglink.graph.backends import open_store
from orglink.graph.model import NEED_STATUSES
from orglink.graph.store import Conflict, Store, StoreError
from orglink.lifecycle import InputError
from orglink.loaders.reader import LoadError
from orglink.report import ReportError
from orglink.settings import Settings, load_settings

app = ChineseTyper(
    name="orglink",
    help="orglink：把辖区的需求与最近的、能满足它的单位连接起来。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err = Console(stderr=True)

_neo4j: dict[str, str | None] = {}


@app.callback()
def _root(
    neo4j_uri: Annotated[str | None, typer.Option(
        help="Neo4j 地址（neo4j:// 或 bolt://）；环境变量 NEO4J_URI，默认 neo4j://localhost:7687。")] = None,
    neo4j_username: Annotated[str | None, typer.Option(help="Neo4j 用户名；环境变量 NEO4J_USERNAME，默认 neo4j。")] = None,
    neo4j_password: Annotated[str | None, typer.Option(help="Neo4j 密码；环境变量 NEO4J_PASSWORD。")] = None,
    neo4j_database: Annotated[str | None, typer.Option(
        help="Neo4j 数据库；环境变量 NEO4J_DATABASE，默认该用户的主数据库。")] = None,
) -> None:
    """全局选项：Neo4j 连接（用于 --backend neo4j）。"""  # global options: the Neo4j connection
    _neo4j.update(neo4j_uri=neo4j_uri, neo4j_username=neo4j_username, neo4j_password=neo4j_password,
                  neo4j_database=neo4j_database)


StoreOpt = Annotated[
    Path | None,
    typer.Option("--store", help="嵌入式图存储的目录；环境变量 ORGLINK_STORE，默认 ./orglink-store。"),
]
BackendOpt = Annotated[
    str | None,
    typer.Option("--backend", help="图存储后端：embedded（嵌入式）或 neo4j；环境变量 ORGLINK_BACKEND，默认 embedded。"),
]


def store_config(store: Path | None, backend: str | None) -> Settings:
    """The settings: the command's options and the global ones over the environment."""
    return load_settings(backend=backend, store=store, **_neo4j)


@contextmanager
def opened(store: Path | None, backend: str | None) -> Iterator[Store]:
    """Open the store for one command and close it afterwards.

    While the command runs, what the opening allocated (the whole embedded graph) is frozen
    out of the garbage collector's scans: it lives to the end of the command, and a plan on
    a province-sized graph would otherwise spend about a tenth of its time re-scanning it.
    It is unfrozen again afterwards, so a long-lived caller (tests, a shell) can free it."""
    s = open_store(store_config(store, backend))
    gc.freeze()
    try:
        yield s
    finally:
        gc.unfreeze()
        s.close()


def _load_error(exc: LoadError) -> list[str]:
    return [escape(str(p)) for p in exc.problems] + [f"[red]共 {len(exc.problems)} 个问题，未写入任何数据。[/red]"]


def _conflict(exc: Conflict) -> list[str]:
    state = exc.current.get("status")
    tail = f"（当前状态：{NEED_STATUSES.get(state, state)}）" if state else ""
    return [f"[red]不能执行：[/red]{escape(str(exc))}{escape(tail)}"]


def _input_error(exc: InputError) -> list[str]:
    return [f"[red]输入有误：[/red]{escape(exc.field)}：{escape(exc.message)}"]


def _one_line(exc: Exception) -> list[str]:
    return [f"[red]错误：[/red]{escape(str(exc))}"]


ERRORS: tuple[tuple[type[Exception], Callable[[Any], list[str]]], ...] = (
    (LoadError, _load_error),  # every problem, naming file, row and column
    (Conflict, _conflict),  # a refused transition, with the need's current state
    (InputError, _input_error),  # a bad value for a field
    (ReportError, _one_line),  # a stored plan that does not fit the graph
    (TokenError, _one_line),
    (StoreError, _one_line),  # the store or a setting: one line saying what to do
)
"""The CLI's one error table: orglink's own errors, first match wins, and what to print."""


def handle_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Print orglink's own errors as :data:`ERRORS` says (one clear line, or the list of
    problems) and exit 1; anything else is a bug and keeps its traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            for kind, lines in ERRORS:
                if isinstance(exc, kind):
                    for line in lines(exc):
                        err.print(line, highlight=False, soft_wrap=True)
                    raise typer.Exit(1) from None
            raise

    return wrapper


@contextmanager
def progress_bar(description: str) -> Iterator[Callable[[int, int], None]]:
    """A rich progress bar; yields a ``(done, total)`` callback."""
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err, transient=False) as prog:
        task = prog.add_task(description, total=None)

        def update(done: int, total: int) -> None:
            prog.update(task, completed=done, total=total)

        yield update
