"""Shared CLI pieces: the typer app, store options, error handling and console."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from orglink.graph.backends import open_store
from orglink.graph.store import Store, StoreError
from orglink.loaders.reader import LoadError
from orglink.settings import Settings, load_settings

app = typer.Typer(
    name="orglink",
    help="orglink: link a district's needs to the nearest units that can meet them.",
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
        help="neo4j:// or bolt:// URI [env NEO4J_URI; default neo4j://localhost:7687]")] = None,
    neo4j_username: Annotated[str | None, typer.Option(help="[env NEO4J_USERNAME; default neo4j]")] = None,
    neo4j_password: Annotated[str | None, typer.Option(help="[env NEO4J_PASSWORD]")] = None,
    neo4j_database: Annotated[str | None, typer.Option(
        help="[env NEO4J_DATABASE; default the user's home database]")] = None,
) -> None:
    """Global options: the Neo4j connection (used with --backend neo4j)."""
    _neo4j.update(neo4j_uri=neo4j_uri, neo4j_username=neo4j_username, neo4j_password=neo4j_password,
                  neo4j_database=neo4j_database)


StoreOpt = Annotated[
    Path | None,
    typer.Option("--store", help="Embedded store directory [env ORGLINK_STORE; default ./orglink-store]."),
]
BackendOpt = Annotated[
    str | None,
    typer.Option("--backend", help="embedded or neo4j [env ORGLINK_BACKEND; default embedded]."),
]


def store_config(store: Path | None, backend: str | None) -> Settings:
    """The settings: the command's options and the global ones over the environment."""
    return load_settings(backend=backend, store=store, **_neo4j)


@contextmanager
def opened(store: Path | None, backend: str | None) -> Iterator[Store]:
    """Open the store for one command and close it afterwards."""
    s = open_store(store_config(store, backend))
    try:
        yield s
    finally:
        s.close()


def handle_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn orglink's own errors into one clear line (or a list of problems) and exit 1."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except LoadError as exc:
            for p in exc.problems:
                err.print(str(p), markup=False, highlight=False, soft_wrap=True)
            err.print(f"[red]共 {len(exc.problems)} 个问题，未写入任何数据。[/red]")
            raise typer.Exit(1) from None
        except StoreError as exc:
            err.print(f"[red]错误：[/red]{escape(str(exc))}", highlight=False, soft_wrap=True)
            raise typer.Exit(1) from None

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
