"""The ``orglink`` command line (typer + rich).

Commands live in the modules of this package; each registers itself on :data:`app` when
imported, so adding a command never touches another command's module.
"""

from __future__ import annotations

import importlib
import pkgutil

from orglink.cli.common import app


def main() -> None:
    """Entry point of the ``orglink`` console script."""
    for mod in pkgutil.iter_modules(__path__):
        if mod.name != "common":
            importlib.import_module(f"orglink.cli.{mod.name}")
    app()


__all__ = ["app", "main"]
