"""The CLI's help is Chinese (issue 14): every command, sub-command group, option and argument
has a help text with Chinese in it, and the help screens show it whole (not cut off)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import typer
from rich.cells import cell_len
from typer._click import Command, Context
from typer.core import TyperGroup
from typer.testing import CliRunner

from orglink.cli import app, import_commands
from orglink.cli.zh_help import HELP_OPTION_HELP, divide

import_commands()
runner = CliRunner()
CJK = re.compile(r"[\u4e00-\u9fff]")
BOX = re.compile(r"[\s│╭╮╰╯─]")
CLOSING = "，。、；：？！）」』”》"

EXCLUDED: set[tuple[str, ...]] = set()
"""Command paths not yet in Chinese (none)."""


def _walk(cmd: Command, path: tuple[str, ...], parent: Context | None) -> Iterator[tuple[tuple[str, ...], Command, Context]]:
    ctx = Context(cmd, info_name=path[-1] if path else "orglink", parent=parent)
    yield path, cmd, ctx
    if isinstance(cmd, TyperGroup):
        for name, sub in sorted(cmd.commands.items()):
            yield from _walk(sub, (*path, name), ctx)


COMMANDS = [(p, c, x) for p, c, x in _walk(typer.main.get_command(app), (), None) if p not in EXCLUDED]


def _id(path: tuple[str, ...]) -> str:
    return " ".join(path) or "orglink"


def test_the_walk_finds_every_command_and_group() -> None:
    paths = {p for p, _, _ in COMMANDS}
    assert {("need",), ("need", "dispatch"), ("plans",), ("plans", "delete"), ("token", "create"), ("stats",),
            ("whatif",), ("cycle",)} <= paths
    assert len(paths) >= 35


@pytest.mark.parametrize(("path", "cmd", "ctx"), COMMANDS, ids=[_id(p) for p, _, _ in COMMANDS])
def test_every_help_text_is_chinese(path: tuple[str, ...], cmd: Command, ctx: Context) -> None:
    assert cmd.help and CJK.search(cmd.help), f"{_id(path)}: help {cmd.help!r}"
    for param in cmd.get_params(ctx):
        text = getattr(param, "help", None)
        assert text and CJK.search(text), f"{_id(path)} {param.name}: help {text!r}"


@pytest.mark.parametrize(("path", "cmd", "ctx"), COMMANDS, ids=[_id(p) for p, _, _ in COMMANDS])
def test_help_screens_show_every_text_whole(path: tuple[str, ...], cmd: Command, ctx: Context) -> None:
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "80", "TERMINAL_WIDTH": "80"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.lstrip().startswith("用法：")
    assert "选项" in out and HELP_OPTION_HELP in out
    assert "…" not in out  # nothing cut off with an ellipsis
    flat = BOX.sub("", out)
    texts = [cmd.help.split("\n\n")[0]] + [p.help for p in cmd.get_params(ctx) if getattr(p, "help", None)]
    for text in texts:  # whole, in order, whatever the wrapping (rich markup would eat "[...]")
        assert BOX.sub("", text) in flat, f"{_id(path)}: {text!r} not shown whole"
    for line in out.splitlines():
        cell = line.strip(" │")
        assert not cell or cell[0] not in CLOSING, f"{_id(path)}: a line starts with punctuation: {line!r}"


def test_chinese_wraps_between_characters_not_before_closing_punctuation() -> None:
    text = "嵌入式图存储的目录；环境变量 ORGLINK_STORE，默认 ./orglink-store。"
    for width in range(8, 40):
        breaks = divide(text, width)
        lines = [text[a:b] for a, b in zip([0, *breaks], [*breaks, len(text)])]
        assert "".join(lines) == text
        assert all(line.rstrip() and line.rstrip()[0] not in CLOSING for line in lines), (width, lines)
        assert all(cell_len(line.rstrip()) <= width for line in lines), (width, lines)


def test_usage_errors_point_to_the_chinese_help() -> None:
    result = runner.invoke(app, ["need", "show"], env={"COLUMNS": "80"})
    assert result.exit_code == 2
    assert "用法：orglink need show" in result.output and "查看帮助" in result.output
