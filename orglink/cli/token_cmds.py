"""``orglink token create | list | revoke``: API tokens (printed once; the token file keeps
only hashes). Every change of the file is made under an inter-process lock."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table as RichTable

from orglink.auth import ROLES, TokenFile, check_role_scope, parse_scope
from orglink.cli.common import BackendOpt, StoreOpt, app, console, err, handle_errors, opened
from orglink.cli.serve_cmds import TokensOpt
from orglink.cli.zh_help import ChineseTyper

token_app = ChineseTyper(help="API 令牌：创建、列出、吊销。", no_args_is_help=True)
app.add_typer(token_app, name="token")


def _when(stamp: str | None) -> str:
    """``2025-03-01T09:30:00+08:00`` as ``2025-03-01 09:30:00`` (China time), or a dash."""
    return "—" if not stamp else str(stamp).replace("T", " ")[:19]


@token_app.command("create")
@handle_errors
def create(
    role: Annotated[str, typer.Option("--role", help=f"角色，取其一：{' / '.join(f'{k}（{v}）' for k, v in ROLES.items())}。")],
    scope: Annotated[str | None, typer.Option(
        "--scope", help="范围：street:编号（street 角色）、community:编号（community 角色）、"
                        "unit:编号（department 角色）；viewer 可选 street: 或 community:；district 不带范围。"
                        "编号须在图存储中。")] = None,
    name: Annotated[str | None, typer.Option("--name", help="令牌名称（用于审计记录）。")] = None,
    days: Annotated[int | None, typer.Option(
        "--days", min=1, help="令牌在多少天后过期（默认：永不过期）。")] = None,
    tokens: TokensOpt = None,
    store: StoreOpt = None,
    backend: BackendOpt = None,
) -> None:
    """为一个角色（及范围，按图存储核对）创建令牌，令牌只显示这一次。"""
    tf = TokenFile(tokens)
    role = role.strip().lower()
    parsed = parse_scope(scope)
    check_role_scope(role, parsed)  # a wrong role or scope is refused before the store is opened
    if parsed is not None:
        with opened(store, backend) as s:
            token, entry = tf.create(role, scope, name, days=days, store=s)
    else:
        token, entry = tf.create(role, scope, name, days=days)
    print(token)
    where = f"，范围 {entry['scope']}" if entry["scope"] else ""
    until = f"，到期 {_when(entry['expires'])}" if entry["expires"] else ""
    err.print(f"已创建令牌 {entry['name']}（角色 {entry['role']}{where}{until}），已写入 {tf.path}。"
              "令牌只显示这一次，请妥善保存。", markup=False, highlight=False, soft_wrap=True)


@token_app.command("list")
@handle_errors
def list_tokens(
    tokens: TokensOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出。")] = False,
) -> None:
    """列出令牌文件中的令牌（名称、角色、范围、时间；不显示令牌本身或其哈希）。"""
    tf = TokenFile(tokens)
    rows = tf.summaries()
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        err.print(f"令牌文件 {tf.path} 中没有令牌。", markup=False, highlight=False, soft_wrap=True)
        return
    t = RichTable(title="API 令牌")
    for col in ("名称", "角色", "范围", "创建时间", "到期时间"):
        t.add_column(col)
    for r in rows:
        role = str(r["role"])
        expires = "永不过期" if not r["expires"] else _when(r["expires"]) + ("（已过期）" if r["expired"] else "")
        t.add_row(escape(str(r["name"])), escape(f"{role}（{ROLES[role]}）" if role in ROLES else role),
                  escape(str(r["scope"] or "—")), _when(r["created"]), escape(expires))
    console.print(t)
    console.print(f"共 {len(rows)} 个令牌。", highlight=False)


@token_app.command("revoke")
@handle_errors
def revoke(
    name: Annotated[str, typer.Argument(metavar="NAME", help="令牌名称，即 `orglink token list` 显示的名称。")],
    tokens: TokensOpt = None,
) -> None:
    """吊销（删除）名为 NAME 的令牌；正在运行的服务从下一次调用起拒绝它。"""
    tf = TokenFile(tokens)
    entry = tf.revoke(name)
    err.print(f"已吊销令牌 {entry.get('name')}（角色 {entry.get('role')}），已写入 {tf.path}。",
              markup=False, highlight=False, soft_wrap=True)
