"""``orglink browser``: how to open the planner's guide and the graph style in Neo4j Browser."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from orglink.browser import BROWSER_DIR, GUIDE_FILE, STYLE_FILE, make_server, write_files
from orglink.cli.common import app, console, err, handle_errors


def instructions(port: int) -> str:
    """The steps, as printed by ``orglink browser`` (Chinese, for planners)."""
    base = f"http://localhost:{port}"
    style_path = BROWSER_DIR / STYLE_FILE if (BROWSER_DIR / STYLE_FILE).is_file() else \
        f"{STYLE_FILE}（先用 orglink browser --write 目录 生成）"
    return "\n".join([
        "在 Neo4j Browser 中使用 orglink 导览与图样式：",
        "",
        "1. 先把数据载入 Neo4j：orglink load --backend neo4j（连接参数见 --neo4j-uri 等，或环境变量 NEO4J_URI）。",
        "2. 启动导览服务（带 Browser 需要的跨域头；普通的 python -m http.server 不带，Browser 会拒绝加载）：",
        f"      orglink browser --serve --port {port}",
        "3. 在 Neo4j Browser 的编辑器中运行：",
        f"      :guide {base}/{GUIDE_FILE}      （旧版 Browser 用 :play {base}/{GUIDE_FILE}）",
        f"      :style {base}/{STYLE_FILE}",
        f"   也可以把 {style_path} 直接拖进 Browser 窗口来加载样式；运行 :style 可查看当前样式。",
        "4. Browser 只从白名单主机加载远程内容。默认白名单是 guides.neo4j.com 与 localhost；",
        "   若导览服务不在 localhost，请在 neo4j.conf 中加入主机名后重启 Neo4j：",
        "      browser.remote_content_hostname_allowlist=guides.neo4j.com,localhost,<导览服务的主机名>",
        "   （Neo4j 4.x 的旧名称为 browser.remote_content_hostname_whitelist。Aura 控制台的查询工具不支持自定义导览。）",
    ])


@app.command()
@handle_errors
def browser(
    serve: Annotated[bool, typer.Option("--serve", help="通过 HTTP 提供导览和样式（带跨域头 CORS）。")] = False,
    port: Annotated[int, typer.Option("--port", help="导览服务的端口。")] = 8001,
    host: Annotated[str, typer.Option("--host", help="导览服务监听的地址。")] = "localhost",
    write: Annotated[Path | None, typer.Option("--write", help="把 guide.html 和 style.grass 写入此目录。")] = None,
) -> None:
    """说明如何在 Neo4j Browser 中载入 orglink 导览和图样式。"""
    if write is not None:
        for path in write_files(write):
            console.print(f"已写入 {path}", highlight=False)
        return
    console.print(instructions(port), highlight=False, markup=False, soft_wrap=True)
    if not serve:
        return
    try:
        server = make_server(host, port)
    except OSError as exc:
        err.print(f"[red]错误：[/red]无法在 {host}:{port} 启动导览服务（{exc.strerror or exc}）；请换一个端口（--port）",
                  highlight=False)
        raise typer.Exit(1) from None
    console.print(f"\n导览服务已启动：http://{host}:{port}/{GUIDE_FILE}（按 Ctrl+C 停止）", highlight=False)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
