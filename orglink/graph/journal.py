"""The embedded store's write-ahead journal: the file format and the physical redo ops.

``STORE_DIR/journal.bin`` holds one record per journaled write, appended after the snapshot
(``graph.pickle``) was written::

    [4-byte big-endian length][4-byte big-endian CRC32 of the payload][payload]

where the payload is a pickle of ``{"gen": …, "seq": …, "ops": [...]}``. ``gen`` is the
generation of the snapshot the record follows (a new random one for every snapshot) and
``seq`` counts the writes (the snapshot stores the last one it holds as ``journal_seq``), so
a record is replayed only if it has the snapshot's ``gen`` and the next ``seq``: records left
behind by a crash between a new snapshot's rename and the journal's truncation are ignored.
Reading stops at the first record that is incomplete, fails its CRC or does not follow; what
lies beyond is a torn tail, which the next writer truncates (under the store's file lock).

The ops are *physical*: each carries the state a mutation left (a node's or an edge's whole
attribute dict, or its removal), so replaying them needs no model and no query code, only
:func:`apply_ops`. Replayed in order on the graph the write started from they give exactly
the graph it ended with, attribute order and adjacency order included.
"""

from __future__ import annotations

import os
import pickle
import struct
import zlib
from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

JOURNAL_FILE = "journal.bin"
HEADER = struct.Struct(">II")
MAX_RECORD = 1 << 31
"""No record is this long; a header saying so is garbage (a torn or foreign tail)."""

Op = tuple[Any, ...]
"""One physical op: ``("node", key, attrs)``, ``("del_node", key)``,
``("edge", u, v, key, attrs)`` or ``("del_edge", u, v, key)``."""


@dataclass(frozen=True)
class Record:
    """One journal record: the snapshot generation it follows, its sequence number, its ops,
    and the file offset just past it."""

    gen: str
    seq: int
    ops: list[Op]
    end: int


def encode(gen: str, seq: int, ops: list[Op]) -> bytes:
    """The bytes of one record (header and payload)."""
    payload = pickle.dumps({"gen": gen, "seq": seq, "ops": ops}, protocol=pickle.HIGHEST_PROTOCOL)
    return HEADER.pack(len(payload), zlib.crc32(payload)) + payload


def read_records(path: Path, offset: int, gen: str | None, seq: int) -> tuple[list[Record], int]:
    """The whole, valid records of ``path`` from ``offset`` on that follow the snapshot
    generation ``gen`` whose last write is ``seq`` (``seq + 1``, ``seq + 2``, … in order),
    and how many bytes after them were not taken. Stops at the end of the file, a torn or
    corrupt record, or one that does not follow."""
    out: list[Record] = []
    try:
        with path.open("rb") as fh:
            fh.seek(offset)
            data = fh.read()
    except FileNotFoundError:
        return out, 0
    pos = 0
    while pos + HEADER.size <= len(data):
        length, crc = HEADER.unpack_from(data, pos)
        start, end = pos + HEADER.size, pos + HEADER.size + length
        if length >= MAX_RECORD or end > len(data):
            break
        payload = data[start:end]
        if zlib.crc32(payload) != crc:
            break
        try:
            body = pickle.loads(payload)
        except Exception:
            break
        if not isinstance(body, dict) or body.get("gen") != gen or body.get("seq") != seq + 1:
            break
        seq += 1
        out.append(Record(gen=body["gen"], seq=seq, ops=body["ops"], end=offset + end))
        pos = end
    return out, len(data) - pos


class JournalFile:
    """The journal file opened for appending (``O_APPEND``): :meth:`append` writes one record
    and flushes it to disk before returning."""

    def __init__(self, path: Path) -> None:
        self.path = path
        created = not path.exists()
        self.fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
        if created:  # the new directory entry must survive a power cut too
            sync_dir(path.parent)

    def size(self) -> int:
        """The current length of the file in bytes."""
        return os.fstat(self.fd).st_size

    def append(self, data: bytes) -> None:
        """Append ``data`` and ``fdatasync`` the file."""
        view = memoryview(data)
        while view:
            n = os.write(self.fd, view)
            view = view[n:]
        os.fdatasync(self.fd)

    def truncate(self, size: int) -> None:
        """Cut the file to ``size`` bytes (a torn tail, or everything after a snapshot) and sync."""
        os.ftruncate(self.fd, size)
        os.fsync(self.fd)

    def close(self) -> None:
        """Close the file descriptor."""
        os.close(self.fd)


def sync_dir(path: Path) -> None:
    """``fsync`` the directory ``path`` (so a created or renamed entry in it is durable)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def apply_ops(g: nx.MultiDiGraph, by_label: MutableMapping[str, set[str]], ops: Iterable[Op]) -> None:
    """Replay physical ``ops`` on graph ``g`` and its label index ``by_label`` in place."""
    nodes = g.nodes
    for op in ops:
        kind = op[0]
        if kind == "node":
            _, k, attrs = op
            if k in g:
                d = nodes[k]
                for lab in d["labels"]:
                    if lab not in attrs["labels"]:
                        by_label[lab].discard(k)
                d.clear()
                d.update(attrs)
            else:
                g.add_node(k)
                nodes[k].update(attrs)
            for lab in attrs["labels"]:
                by_label.setdefault(lab, set()).add(k)
        elif kind == "del_node":
            _, k = op
            for lab in nodes[k]["labels"]:
                by_label[lab].discard(k)
            g.remove_node(k)
        elif kind == "edge":
            _, u, v, k, attrs = op
            if g.has_edge(u, v, k):
                d = g.edges[u, v, k]
                d.clear()
                d.update(attrs)
            else:
                g.add_edge(u, v, key=k)
                g.edges[u, v, k].update(attrs)
        elif kind == "del_edge":
            _, u, v, k = op
            g.remove_edge(u, v, k)
        else:
            raise ValueError(f"unknown journal op {kind!r}")


def graph_state(g: nx.MultiDiGraph, by_label: MutableMapping[str, set[str]]) -> tuple[Any, ...]:
    """Everything a graph holds, in order (nodes with attributes, edges with keys and
    attributes, the non-empty label index): equal states mean equal graphs."""
    return (list(g.nodes(data=True)), list(g.edges(keys=True, data=True)),
            {lab: keys for lab, keys in by_label.items() if keys})
