"""Atomic file writing, the one way orglink replaces a file: write beside the target, flush to
disk, then rename over it (the store file, the token file, the reports)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def atomic_write(path: Path, write: Callable[[Path], object], *, mode: int = 0o644,
                 prefix: str | None = None, sync_dir: bool = False) -> Path:
    """Create or replace ``path`` atomically: ``write(tmp)`` fills a temp file in the same
    directory (named ``prefix…tmp``, default ``.<name>.…tmp``), which is synced, given
    ``mode`` and renamed over ``path``; ``sync_dir`` also syncs the directory, so the rename
    itself survives a power cut. On any failure the temp file is removed and ``path`` is left
    as it was. A process killed half-way leaves only the temp file (readers never see a torn
    ``path``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=prefix or f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        with tmp.open("rb") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if sync_dir:
        dfd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    return path


def write_text_atomic(path: Path, text: str, *, mode: int = 0o644) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"), mode=mode)


def file_stamp(path: Path) -> tuple[int, int, int] | None:
    """(inode, mtime in ns, size) of ``path``, or None if it does not exist: it changes when the
    file is replaced or rewritten, so a reader can tell whether to read it again."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)
