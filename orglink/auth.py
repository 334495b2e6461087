"""API tokens and roles: who may call the HTTP API, and what they may see and do.

Tokens are random strings shown once (``orglink token create``); the token file keeps only
their SHA-256 hashes, compared with :func:`hmac.compare_digest`. The file is
``$ORGLINK_TOKENS`` or ``./orglink-tokens.json``::

    {"version": 1, "tokens": [{"name": "...", "role": "street", "scope": "street:S01",
                               "sha256": "<hex>", "created": "2025-03-01T10:00:00+08:00"}]}

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

import hashlib
import hmac
import json
import os
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from orglink.clock import china_now
from orglink.files import write_text_atomic
from orglink.settings import load_settings

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
    """The token file: create tokens, verify presented ones (re-read when the file changes)."""

    def __init__(self, path: str | os.PathLike | None = None) -> None:
        self.path = Path(path) if path is not None else default_tokens_path()
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self._entries: list[dict[str, Any]] = []

    # -- reading -------------------------------------------------------------------------
    def _stat(self) -> tuple | None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

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
        return [t for t in tokens if isinstance(t, dict) and isinstance(t.get("sha256"), str)]

    def verify(self, token: str) -> Principal | None:
        """The principal of ``token``, or None if no entry's hash matches (constant-time compare)."""
        digest = hash_token(token)
        found = None
        for e in self.entries():
            if hmac.compare_digest(digest, e["sha256"]):
                found = e
        if found is None:
            return None
        scope = parse_scope(found.get("scope"))
        return Principal(name=str(found.get("name") or found.get("role")), role=str(found.get("role")),
                         scope_kind=scope[0] if scope else None, scope_id=scope[1] if scope else None)

    # -- writing -------------------------------------------------------------------------
    def create(self, role: str, scope: str | None = None, name: str | None = None) -> tuple[str, dict[str, Any]]:
        """Add a token for ``role``/``scope``; return ``(token, entry)``. Only the hash is stored."""
        parsed = parse_scope(scope)
        check_role_scope(role, parsed)
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self._lock:
            entries = self._read() if self.path.exists() else []
            label = name.strip() if name and name.strip() else f"{role}-{len(entries) + 1}"
            if any(e.get("name") == label for e in entries):
                raise TokenError(f"令牌名称已存在：{label}")
            entry = {"name": label, "role": role,
                     "scope": f"{parsed[0]}:{parsed[1]}" if parsed else None,
                     "sha256": hash_token(token), "created": china_now().isoformat()}
            self._write([*entries, entry])
        return token, entry

    def _write(self, entries: list[dict[str, Any]]) -> None:
        """Replace the token file atomically, readable by its owner only (0600)."""
        text = json.dumps({"version": FORMAT, "tokens": entries}, ensure_ascii=False, indent=2)
        write_text_atomic(self.path, text, mode=0o600)
