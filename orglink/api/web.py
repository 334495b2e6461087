"""The planner's workbench (工作台): one page at ``/`` and its files under ``/app/``.

Everything it shows comes from ``/api/v1`` with the token the planner typed in (kept in the
browser's session storage, sent as a Bearer header, never in a URL); the page and its assets
(``orglink/web/``, Leaflet vendored from npm) are packaged, so it works without internet.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

WEB_DIR = Path(__file__).resolve().parent.parent / "web"
"""The workbench's files: index.html, app.js, app.css and vendor/."""

CSP = ("default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
       "script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
"""The page may load and call nothing but this server."""


DOCS_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            "script-src 'self' 'unsafe-inline'; worker-src 'self' blob:; connect-src 'self'; "
            "font-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
"""The API docs pages (Swagger UI's start script is inline) may load nothing from elsewhere:
ReDoc's bundle asks cdn.redoc.ly for its logo, which the browser then does not fetch."""
DOCS_PAGES = frozenset({"/docs", "/redoc"})


class DocsPolicy:
    """ASGI middleware: the API docs pages' responses carry :data:`DOCS_CSP` (nothing else is
    touched: request bodies pass through as they come)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") not in DOCS_PAGES:
            await self.app(scope, receive, send)
            return

        async def with_policy(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)["Content-Security-Policy"] = DOCS_CSP
            await send(message)

        await self.app(scope, receive, with_policy)


def install(app: FastAPI) -> None:
    """Serve the workbench: ``GET /`` (the page) and ``/app/…`` (its scripts, styles, images)."""
    app.mount("/app", StaticFiles(directory=WEB_DIR), name="workbench")

    app.add_middleware(DocsPolicy)

    @app.get("/", include_in_schema=False)
    def workbench() -> FileResponse:
        return FileResponse(WEB_DIR / "index.html", media_type="text/html; charset=utf-8",
                            headers={"Content-Security-Policy": CSP, "Cache-Control": "no-cache",
                                     "X-Content-Type-Options": "nosniff"})
