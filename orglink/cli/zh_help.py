"""The CLI's help screens in Chinese, for the planners who read them.

typer's own strings (panel titles, ``[default: …]``, the ``--help`` option, the usage line) are
set here; :class:`ChineseTyper` makes every command and sub-command group use
:class:`ChineseCommand` / :class:`ChineseGroup`. rich wraps text only at spaces, so a Chinese
sentence would be one long "word" cut off with an ellipsis: help texts are wrapped by
:class:`HelpText`, which may break between two Chinese characters (never before a closing or
after an opening punctuation mark). ``tests/cli/test_cli_chinese.py`` checks every help text.
"""

from __future__ import annotations

import re
from typing import Any

import typer
from rich.cells import cell_len, chop_cells
from rich.console import Console, ConsoleOptions
from rich.containers import Lines
from rich.measure import Measurement
from rich.text import Text
from typer import rich_utils
from typer._click import Context as ClickContext  # typer vendors click; no public name for these
from typer._click import HelpFormatter
from typer.core import TyperCommand, TyperGroup, TyperOption

HELP_OPTION_HELP = "显示本帮助并退出。"
USAGE_PREFIX = "用法："

# rich_utils reads these module constants each time it renders a help screen.
rich_utils.ARGUMENTS_PANEL_TITLE = "参数"
rich_utils.OPTIONS_PANEL_TITLE = "选项"
rich_utils.COMMANDS_PANEL_TITLE = "命令"
rich_utils.ERRORS_PANEL_TITLE = "错误"
rich_utils.ABORTED_TEXT = "已中止。"
rich_utils.DEFAULT_STRING = "[默认：{}]"
rich_utils.ENVVAR_STRING = "[环境变量：{}]"
rich_utils.REQUIRED_LONG_STRING = "[必填]"
rich_utils.DEPRECATED_STRING = "（已弃用）"
rich_utils.RICH_HELP = "运行 [blue]'{command_path} {help_option}'[/] 查看帮助。"

_OPEN = "（「『“‘《〈【〔"
_CLOSE = "，。、；：？！）」』”’》〉】〕…—·%"
_CJK = "\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
# One unbreakable piece and the spaces after it: a Chinese character or a run of other
# characters, with the opening marks before it and the closing marks after it.
_PIECE = re.compile(rf"\s*(?:[{_OPEN}]*(?:[{_CJK}]|[^\s{_CJK}{_OPEN}{_CLOSE}]+)[{_CLOSE}]*|\S)\s*")


def _pieces(text: str) -> list[re.Match[str]]:
    return list(_PIECE.finditer(text))


def _fold(piece: str, width: int) -> list[str]:
    """``piece`` (longer than ``width``) in lines of at most ``width`` cells, its closing marks
    kept on the last line."""
    core = piece.rstrip()
    body = core.rstrip(_CLOSE)
    tail = core[len(body):]
    if not body:
        return chop_cells(piece, width)
    parts = chop_cells(body, max(1, width - cell_len(tail)))
    parts[-1] += tail + piece[len(core):]
    return parts


def divide(text: str, width: int) -> list[int]:
    """Offsets at which to break ``text`` (one line) so each line fits ``width`` cells: as
    :func:`rich._wrap.divide_line` with folding, but breaking between Chinese characters too."""
    breaks: list[int] = []
    offset = 0
    for m in _pieces(text):
        start, piece = m.start(), m.group()
        length = cell_len(piece.rstrip())
        if offset + length <= width:
            offset += cell_len(piece)
        elif length > width:  # longer than a line: fold it
            if start:
                breaks.append(start)
            *full, last = _fold(piece, width)
            for part in full:
                start += len(part)
                breaks.append(start)
            offset = cell_len(last)
        else:
            if start:
                breaks.append(start)
            offset = cell_len(piece)
    return breaks


class HelpText(Text):
    """Help text that wraps Chinese between characters (see :func:`divide`)."""

    def wrap(self, console: Console, width: int, *, justify: Any = None, overflow: Any = None,
             tab_size: int = 8, no_wrap: bool | None = None) -> Lines:
        if no_wrap or self.no_wrap or overflow == "ignore":
            return super().wrap(console, width, justify=justify, overflow=overflow, tab_size=tab_size,
                                no_wrap=no_wrap)
        lines = Lines()
        for line in self.split(allow_blank=True):
            if "\t" in line:
                line.expand_tabs(tab_size)
            new_lines = line.divide(divide(line.plain, width))
            for part in new_lines:
                part.rstrip_end(width)
            new_lines.justify(console, width, justify=justify or self.justify or "default", overflow="fold")
            for part in new_lines:
                part.truncate(width, overflow="fold")
            lines.extend(new_lines)
        return lines

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        lines = self.plain.splitlines()
        widest = max((cell_len(line) for line in lines), default=0)
        piece = max((cell_len(m.group().strip()) for m in _pieces(self.plain)), default=widest)
        return Measurement(piece, widest)


_make_rich_text = rich_utils._make_rich_text


def _chinese_rich_text(**kwargs: Any) -> Any:
    text = _make_rich_text(**kwargs)
    if type(text) is Text:
        text = HelpText.assemble(text, justify=text.justify, overflow=text.overflow, no_wrap=text.no_wrap,
                                 end=text.end)
    return text


rich_utils._make_rich_text = _chinese_rich_text


def _chinese_help_option(option: TyperOption | None) -> TyperOption | None:
    if option is not None:
        option.help = HELP_OPTION_HELP
    return option


class ChineseCommand(TyperCommand):
    """A command whose ``--help`` option and usage line read in Chinese."""

    def get_help_option(self, ctx: ClickContext) -> TyperOption | None:
        return _chinese_help_option(super().get_help_option(ctx))

    def format_usage(self, ctx: ClickContext, formatter: HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix=USAGE_PREFIX)


class ChineseGroup(TyperGroup):
    """A command group whose ``--help`` option and usage line read in Chinese."""

    def get_help_option(self, ctx: ClickContext) -> TyperOption | None:
        return _chinese_help_option(super().get_help_option(ctx))

    def format_usage(self, ctx: ClickContext, formatter: HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix=USAGE_PREFIX)


class ChineseTyper(typer.Typer):
    """A typer app (or sub-command group) whose groups and commands are :class:`ChineseGroup`
    and :class:`ChineseCommand`: the CLI's app and every sub-app are made with it."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("cls", ChineseGroup)
        super().__init__(**kwargs)

    def command(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("cls", ChineseCommand)
        return super().command(*args, **kwargs)
