"""``orglink token create``: API tokens (printed once; the token file keeps only hashes)."""

from __future__ import annotations

from typing import Annotated

import typer

from orglink.auth import ROLES, TokenFile
from orglink.cli.common import app, console, err, handle_errors
from orglink.cli.serve_cmds import TokensOpt

token_app = typer.Typer(help="API tokens.", no_args_is_help=True)
app.add_typer(token_app, name="token")


@token_app.command("create")
@handle_errors
def create(
    role: Annotated[str, typer.Option("--role", help=f"One of: {', '.join(ROLES)}.")],
    scope: Annotated[str | None, typer.Option(
        "--scope", help="street:ID (street), community:ID (community), unit:ID (department); "
                        "optional street:/community: for viewer; none for district.")] = None,
    name: Annotated[str | None, typer.Option("--name", help="A name for the audit trail.")] = None,
    tokens: TokensOpt = None,
) -> None:
    """Create a token for a role (and scope) and print it once."""
    tf = TokenFile(tokens)
    token, entry = tf.create(role.strip().lower(), scope, name)
    print(token)
    where = f"，范围 {entry['scope']}" if entry["scope"] else ""
    err.print(f"已创建令牌 {entry['name']}（角色 {entry['role']}{where}），已写入 {tf.path}。"
              "令牌只显示这一次，请妥善保存。", highlight=False, soft_wrap=True)


@token_app.command("list")
@handle_errors
def list_tokens(tokens: TokensOpt = None) -> None:
    """List the tokens in the token file (names, roles, scopes; never the tokens)."""
    tf = TokenFile(tokens)
    entries = tf.entries()
    for e in entries:
        console.print(f"{e.get('name')}\t{e.get('role')}\t{e.get('scope') or '-'}\t{e.get('created')}",
                      markup=False, highlight=False, soft_wrap=True)
    if not entries:
        err.print(f"令牌文件 {tf.path} 中没有令牌。")
