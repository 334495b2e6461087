"""API tokens and roles: who may call the HTTP API, and what they may see and do.

Tokens are random strings shown once (``orglink token create``); the token file keeps only
their SHA-256 hashes, compared with :func:`hmac.compare_digest`. The file is
``$ORGLINK_TOKENS`` or ``./orglink-tokens.json``::

    {"version": 1, "tokens": [{"name": "...", "role": "street", "scope": "street:S01",
                               "sha256": "<hex>", "created": "2025-03-01T10:00:00+08:00",
                               "expires": "2025-06-01T10:00:00+08:00"}]}

``expires`` is optional (null: never); an expired token verifies as None. Every change of the
file (create, revoke) is a read-modify-write under an exclusive inter-process lock
(``fcntl.flock`` on the sibling ``<file>.lock``) and an atomic replace (mode 0600), so
concurrent ``orglink token create`` in separate processes never lose a token. A scope may be
checked against the store when the token is created (:func:`check_scope_in_store`).

Roles (one per token) and the scope each needs:

========== ================ ==============================================================
role       scope            may
========== ================ ==============================================================
district   none             everything
street     ``street:ID``    read and run the lifecycle of its communities' needs
community  ``community:ID`` read and run the lifecycle of its own (grids') needs
department ``unit:ID``      see needs escalated to a street and answer them (部门报到)
viewer     none or any      read only (within the scope, if it has one)
========== ================ ==============================================================
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import hmac
import json
import os
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from orglink import queries
from orglink.clock import CHINA_TZ, china_now
from orglink.files import file_stamp, write_text_atomic
from orglink.settings import load_settings

if TYPE_CHECKING:
    from orglink.graph.store import Store

ROLES: dict[str, str] = {
    "district": "区级",
    "street": "街道",
    "community": "社区",
    "department": "区直部门",
    "viewer": "只读",
}
"""Token roles -> Chinese label."""

SCOPE_KINDS = ("street", "community", "unit")
REQUIRED_SCOPE: dict[str, str | None] = {"district": None, "street": "street",
                                         "community": "community", "department": "unit"}
TOKEN_PREFIX = "olk_"
FORMAT = 1


class TokenError(ValueError):
    """A token request or token file that cannot be used; the message is one clear line."""


def default_tokens_path() -> Path:
    """The configured token file: ``$ORGLINK_TOKENS`` or ``./orglink-tokens.json``
    (:class:`orglink.settings.Settings`)."""
    return load_settings().tokens


def hash_token(token: str) -> str:
    """The hex SHA-256 of a token (what the token file stores)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Principal:
    """The caller behind a token: role, optional scope ``(kind, id)`` and a name for audit."""

    name: str
    role: str
    scope_kind: str | None = None
    scope_id: str | None = None

    @property
    def scope(self) -> str | None:
        """``kind:id`` or None."""
        return f"{self.scope_kind}:{self.scope_id}" if self.scope_kind else None

    @property
    def actor(self) -> str:
        """Who, as recorded in a need's audit trail: ``name（role scope）``."""
        tail = f" {self.scope}" if self.scope else ""
        return f"{self.name}（{self.role}{tail}）"

    @property
    def whole_district(self) -> bool:
        """True if the caller may read everything (district, or a viewer with no scope)."""
        return self.role == "district" or (self.role == "viewer" and self.scope_kind is None)

    @property
    def can_write(self) -> bool:
        """True for roles that may change needs (everyone but viewers)."""
        return self.role != "viewer"


def parse_scope(text: str | None) -> tuple[str, str] | None:
    """``"street:S01"`` -> ``("street", "S01")``; None for no scope; TokenError if malformed."""
    if text is None or not text.strip():
        return None
    kind, sep, id_ = text.strip().partition(":")
    if not sep or kind not in SCOPE_KINDS or not id_.strip():
        raise TokenError(f"范围格式不对：{text!r}，应为 street:编号、community:编号 或 unit:编号")
    return kind, id_.strip()


def check_scope_in_store(store: Store, role: str, scope: tuple[str, str] | None) -> None:
    """Raise TokenError unless the street, community or unit ``scope`` names is in ``store``
    (and, for a department token, is a district department: 区直部门). No scope: nothing to check."""
    if scope is None:
        return
    kind, id_ = scope

    def missing(what: str) -> TokenError:
        return TokenError(f"范围 {kind}:{id_} 不存在：图存储中没有{what} {id_}"
                          "（请检查编号，或用 --store/--backend 指定载入了数据的图存储）")

    if kind == "street":
        if not queries.list_streets(store, street=id_):
            raise missing("街道")
    elif kind == "community":
        if not queries.list_communities(store, street=None, community=id_):
            raise missing("社区")
    elif kind == "unit":
        units = queries.unit_brief(store, unit_id=id_)
        if not units:
            raise missing("单位")
        if role == "department" and not units[0].get("department"):
            raise TokenError(f"范围 unit:{id_} 的单位 {units[0].get('name') or id_} 不是区直部门，"
                             "部门令牌只能发给区直部门")
    else:
        raise TokenError(f"范围格式不对：{kind}:{id_}")


def expiry_passed(entry: dict[str, Any], now: dt.datetime | None = None) -> bool:
    """True if token entry ``entry`` has an ``expires`` time at or before ``now`` (default: the
    China time now). An ``expires`` that cannot be read counts as passed (fail closed)."""
    raw = entry.get("expires")
    if raw is None or raw == "":
        return False
    try:
        when = dt.datetime.fromisoformat(str(raw))
    except ValueError:
        return True
    if when.tzinfo is None:
        when = when.replace(tzinfo=CHINA_TZ)
    return when <= (now or china_now())


def check_role_scope(role: str, scope: tuple[str, str] | None) -> None:
    """Raise TokenError unless ``scope`` fits ``role`` (see the module's table)."""
    if role not in ROLES:
        raise TokenError(f"未知的角色 {role!r}，应为 {'/'.join(ROLES)}")
    if role == "viewer":
        if scope is not None and scope[0] == "unit":
            raise TokenError("只读令牌的范围只能是 street:编号 或 community:编号")
        return
    need = REQUIRED_SCOPE[role]
    if need is None:
        if scope is not None:
            raise TokenError("区级令牌不带范围")
        return
    if scope is None or scope[0] != need:
        raise TokenError(f"{role} 令牌需要范围 --scope {need}:编号")


class TokenFile:
    """The token file: create, list and revoke tokens, verify presented ones (re-read when the
    file changes)."""

    def __init__(self, path: str | os.PathLike | None = None) -> None:
        self.path = Path(path) if path is not None else default_tokens_path()
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self._entries: list[dict[str, Any]] = []

    # -- reading -------------------------------------------------------------------------
    def _stat(self) -> tuple | None:
        return file_stamp(self.path)

    def entries(self) -> list[dict[str, Any]]:
        """The token entries (hashes, never tokens), re-read if the file changed."""
        stamp = self._stat()
        if stamp != self._stamp:
            with self._lock:
                self._entries = self._read() if stamp is not None else []
                self._stamp = stamp
        return self._entries

    def _read(self) -> list[dict[str, Any]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise TokenError(f"无法读取令牌文件 {self.path}：{exc}") from None
        tokens = data.get("tokens") if isinstance(data, dict) else None
        if not isinstance(tokens, list):
            raise TokenError(f"令牌文件 {self.path} 的格式无法识别")
        if data.get("version") != FORMAT:
            raise TokenError(f"令牌文件 {self.path} 的版本 {data.get('version')!r} 无法识别（应为 {FORMAT}）")
        return [t for t in tokens if isinstance(t, dict) and isinstance(t.get("sha256"), str)]

    def _match(self, token: str) -> dict[str, Any] | None:
        """The entry whose hash is ``token``'s (every entry compared, constant time), or None."""
        digest = hash_token(token)
        found = None
        for e in self.entries():
            if hmac.compare_digest(digest, e["sha256"]):
                found = e
        return found

    def verify(self, token: str, now: dt.datetime | None = None) -> Principal | None:
        """The principal of ``token``, or None if no entry's hash matches (constant-time compare)
        or its entry expired at ``now`` (default: the China time now)."""
        found = self._match(token)
        if found is None or expiry_passed(found, now):
            return None
        scope = parse_scope(found.get("scope"))
        return Principal(name=str(found.get("name") or found.get("role")), role=str(found.get("role")),
                         scope_kind=scope[0] if scope else None, scope_id=scope[1] if scope else None)

    def expired(self, token: str, now: dt.datetime | None = None) -> bool:
        """True if ``token`` matches an entry whose expiry has passed at ``now`` (so the API
        can answer "令牌已过期" rather than "令牌无效")."""
        found = self._match(token)
        return found is not None and expiry_passed(found, now)

    def summaries(self, now: dt.datetime | None = None) -> list[dict[str, Any]]:
        """The entries without their hashes: name, role, scope, created, expires and whether
        the expiry has passed at ``now`` (what ``orglink token list`` shows)."""
        return [{"name": e.get("name"), "role": e.get("role"), "scope": e.get("scope"),
                 "created": e.get("created"), "expires": e.get("expires"),
                 "expired": expiry_passed(e, now)} for e in self.entries()]

    # -- writing -------------------------------------------------------------------------
    @contextmanager
    def _exclusive(self) -> Iterator[list[dict[str, Any]]]:
        """Hold the inter-process lock (``flock`` on :attr:`lock_path`) and this object's
        thread lock; yield the entries as they are on disk now."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock:
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                yield self._read() if self.path.exists() else []
            finally:
                os.close(fd)  # closing the descriptor releases the lock

    def create(self, role: str, scope: str | None = None, name: str | None = None, *,
               days: int | None = None, store: Store | None = None,
               now: dt.datetime | None = None) -> tuple[str, dict[str, Any]]:
        """Add a token for ``role``/``scope``; return ``(token, entry)``. Only the hash is stored.

        ``days`` sets an expiry that many days after ``now`` (default: the China time now);
        with ``store`` the scope must name a street, community or unit in it
        (:func:`check_scope_in_store`). Nothing is written if a check fails."""
        parsed = parse_scope(scope)
        check_role_scope(role, parsed)
        if days is not None and (isinstance(days, bool) or not isinstance(days, int) or days < 1):
            raise TokenError(f"有效天数应为正整数：{days!r}")
        if store is not None:
            check_scope_in_store(store, role, parsed)
        created = now or china_now()
        expires = (created + dt.timedelta(days=days)).isoformat() if days is not None else None
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self._exclusive() as entries:
            names = {e.get("name") for e in entries}
            if name and name.strip():
                label = name.strip()
                if label in names:
                    raise TokenError(f"令牌名称已存在：{label}")
            else:
                n = len(entries) + 1
                while f"{role}-{n}" in names:
                    n += 1
                label = f"{role}-{n}"
            entry = {"name": label, "role": role,
                     "scope": f"{parsed[0]}:{parsed[1]}" if parsed else None,
                     "sha256": hash_token(token), "created": created.isoformat(), "expires": expires}
            self._write([*entries, entry])
        return token, entry

    def revoke(self, name: str) -> dict[str, Any]:
        """Remove the token called ``name``; return its entry. TokenError if there is none."""
        label = name.strip()
        with self._exclusive() as entries:
            kept = [e for e in entries if e.get("name") != label]
            if len(kept) == len(entries):
                raise TokenError(f"没有名为 {label!r} 的令牌（orglink token list 列出现有令牌）")
            self._write(kept)
        return next(e for e in entries if e.get("name") == label)

    def _write(self, entries: list[dict[str, Any]]) -> None:
        """Replace the token file atomically, readable by its owner only (0600)."""
        text = json.dumps({"version": FORMAT, "tokens": entries}, ensure_ascii=False, indent=2)
        write_text_atomic(self.path, text, mode=0o600)
