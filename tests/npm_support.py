"""``npm ci`` of a pinned tool directory (``tools/cypher-lint``, ``tools/web-test``) for the tests
that need it, serialised across concurrent test runs on one tree."""

from __future__ import annotations

import fcntl
import hashlib
import json
import subprocess
import tempfile
from pathlib import Path

import pytest


def pinned_version(directory: Path, package: str) -> str:
    """The version of ``package`` that ``directory/package.json`` pins."""
    return json.loads((directory / "package.json").read_text(encoding="utf-8"))["dependencies"][package]


def installed_version(directory: Path, package: str) -> str | None:
    """The version of ``package`` installed in ``directory/node_modules``, None if missing or if
    the install has not finished (npm writes ``node_modules/.package-lock.json`` last)."""
    manifest = directory / "node_modules" / package / "package.json"
    if not (manifest.is_file() and (directory / "node_modules" / ".package-lock.json").is_file()):
        return None
    return json.loads(manifest.read_text(encoding="utf-8")).get("version")


def npm_ci(npm: str, directory: Path, package: str) -> None:
    """``npm ci`` in ``directory`` unless ``package`` is installed at its pinned version; fails
    the test (with npm's output) when the install does not give it."""
    want = pinned_version(directory, package)
    if installed_version(directory, package) == want:
        return
    tag = hashlib.sha1(str(directory).encode()).hexdigest()[:12]
    with open(Path(tempfile.gettempdir()) / f"orglink-npm-{directory.name}-{tag}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if installed_version(directory, package) == want:  # another run installed it meanwhile
            return
        proc = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], check=False, cwd=directory,
                              capture_output=True, text=True, encoding="utf-8", timeout=600)
    if proc.returncode != 0:
        pytest.fail(f"npm ci in {directory} failed (exit {proc.returncode}):\n"
                    f"{proc.stdout[-3000:]}{proc.stderr[-3000:]}", pytrace=False)
    if installed_version(directory, package) != want:
        pytest.fail(f"npm ci did not install {package} {want}", pytrace=False)
