"""The ``orglink`` command line (typer + rich).

Commands live in the modules of this package; each registers itself on :data:`app` when
imported, so adding a command never touches another command's module.
"""

from __future__ import annotations

import importlib
import pkgutil

from orglink.cli.common import app


def import_commands() -> None:
    """Import every command module so all commands are registered on :data:`app`.

    ``main()`` calls it; tests using ``typer.testing.CliRunner`` call it before invoking ``app``.
    """
    for mod in pkgutil.iter_modules(__path__):
        if mod.name != "common":
            importlib.import_module(f"orglink.cli.{mod.name}")


def main() -> None:
    """Entry point of the ``orglink`` console script."""
    import_commands()
    app()


__all__ = ["app", "import_commands", "main"]
