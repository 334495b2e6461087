"""Real headless Chromium for the workbench tests: Debian's ``chromium`` driven by
``playwright-core`` from npm (``tools/web-test``, pinned in its package-lock.json; playwright
downloads no browser of its own).

* :func:`chromium_path` finds ``chromium``; when it is missing and the run may install system
  packages (root, ``apt-get`` present), it installs Debian's package itself, so the README's
  test command needs nothing done by hand. Under ``CI=true`` a browser that cannot be had is
  a failure, elsewhere a skip that says why.
* :func:`web_test_node` installs ``tools/web-test`` with ``npm ci`` when it is missing
  (serialised across concurrent runs, as the Cypher lint's install).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.npm_support import npm_ci

ROOT = Path(__file__).resolve().parent.parent
WEB_TEST_DIR = ROOT / "tools" / "web-test"
DRIVER = WEB_TEST_DIR / "workbench.mjs"
CANDIDATES = ("chromium", "chromium-browser")


def _unavailable(message: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def _locked(name: str) -> LockFile:
    tag = hashlib.sha1(str(ROOT).encode()).hexdigest()[:12]
    return LockFile(Path(tempfile.gettempdir()) / f"orglink-{name}-{tag}.lock")


class LockFile:
    """An exclusive ``flock`` on a file for the ``with`` block."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> LockFile:
        self._f = open(self.path, "w")
        fcntl.flock(self._f, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc: object) -> None:
        self._f.close()


def _find() -> str | None:
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium_path() -> str:
    """Debian's Chromium, installed with apt-get when missing and this run may (root)."""
    found = _find()
    if found:
        return found
    apt = shutil.which("apt-get")
    sudo = [] if os.geteuid() == 0 else (["sudo", "-n", "-E"] if shutil.which("sudo") else None)
    if apt is None or sudo is None:
        _unavailable("the workbench browser tests need Debian's chromium "
                     "(apt-get install chromium); it is missing and this run cannot install it")
    assert apt is not None and sudo is not None
    with _locked("apt-chromium"):
        if _find() is None:
            env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
            install = [*sudo, apt, "install", "-y", "-q", "chromium"]
            proc = subprocess.run(install, capture_output=True, text=True, env=env, timeout=1200, check=False)
            if proc.returncode != 0:  # a fresh machine may not have the package lists yet
                subprocess.run([*sudo, apt, "update", "-q"], capture_output=True, text=True, env=env,
                               timeout=600, check=False)
                proc = subprocess.run(install, capture_output=True, text=True, env=env, timeout=1200, check=False)
            if proc.returncode != 0:
                _unavailable(f"apt-get install chromium failed (exit {proc.returncode}):\n{proc.stderr[-2000:]}")
    found = _find()
    if not found:
        _unavailable("apt-get installed chromium but no chromium is on PATH")
    return found  # type: ignore[return-value]


def web_test_node() -> str:
    """``node`` with ``tools/web-test`` installed (``npm ci`` from its lock file if needed)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.fail("the workbench browser tests need Node.js and npm on PATH (part of this project's "
                    "machines: apt-get install nodejs npm)", pytrace=False)
    npm_ci(npm, WEB_TEST_DIR, "playwright-core")
    return node
