"""``orglink serve``: the HTTP API (FastAPI on uvicorn), OpenAPI at ``/docs``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from orglink.auth import TokenFile
from orglink.cli.common import BackendOpt, StoreOpt, app, err, handle_errors, store_config

TokensOpt = Annotated[
    Path | None,
    typer.Option("--tokens", help="令牌文件（只存哈希）；环境变量 ORGLINK_TOKENS，默认 ./orglink-tokens.json。"),
]


@app.command()
@handle_errors
def serve(
    host: Annotated[str, typer.Option("--host", help="监听地址。")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="监听端口。")] = 8000,
    tokens: TokensOpt = None,
    store: StoreOpt = None,
    backend: BackendOpt = None,
    log_level: Annotated[str, typer.Option("--log-level", help="uvicorn 日志级别。")] = "info",
) -> None:
    """提供 HTTP API（/api/v1，OpenAPI 文档见 /docs）；除健康检查外，每次调用都需要令牌。"""
    import uvicorn  # the web stack loads only for `serve`: every other command starts faster

    from orglink.api.app import create_app

    settings = store_config(store, backend)
    token_file = TokenFile(tokens or settings.tokens)
    if not token_file.path.exists():
        err.print(f"提示：令牌文件 {token_file.path} 不存在，除健康检查外的调用都会被拒绝；"
                  "先运行 orglink token create --role district", highlight=False, soft_wrap=True)
    api = create_app(settings, token_file)
    err.print(f"orglink API：http://{host}:{port}/api/v1 （文档 http://{host}:{port}/docs）",
              highlight=False, soft_wrap=True)
    uvicorn.run(api, host=host, port=port, log_level=log_level)
