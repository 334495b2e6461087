"""The one settings object: every ``ORGLINK_*`` and ``NEO4J_*`` environment variable, read here
and nowhere else (pydantic-settings). The CLI's options and the API's factory build it with
:func:`load_settings`; an option given on the command line wins over the environment, which
wins over the defaults below. An empty variable counts as unset.

=============================== ================================ ==========================
variable                        field                            default
=============================== ================================ ==========================
``ORGLINK_BACKEND``             ``backend``                      ``embedded`` (or ``neo4j``)
``ORGLINK_STORE``               ``store``                        ``./orglink-store``
``ORGLINK_TOKENS``              ``tokens``                       ``./orglink-tokens.json``
``NEO4J_URI``                   ``neo4j_uri``                    ``neo4j://localhost:7687``
``NEO4J_USERNAME``              ``neo4j_username``               ``neo4j``
``NEO4J_PASSWORD``              ``neo4j_password``               none
``NEO4J_DATABASE``              ``neo4j_database``               the user's home database
``ORGLINK_NEO4J_TX_LIMIT``      ``neo4j_tx_limit``               50 000 records
``ORGLINK_NEO4J_BATCH_SIZE``    ``neo4j_batch_size``             10 000 rows
``ORGLINK_NEO4J_RETRY_SECONDS`` ``neo4j_retry_seconds``          5 s
``ORGLINK_KEEP_PLANS``          ``keep_plans``                   10 stored pairing plans
``ORGLINK_DUE_DAYS``            ``due_days``                     ``urgent=1,pressing=3,normal=5,escalated=3``
                                                                 (working days; orglink.deadlines)
``ORGLINK_OFFICE``              ``office``                       ``区委组织部`` (the report's
                                                                 issuing office, 出具单位)
``ORGLINK_JOURNAL_VERIFY``      ``journal_verify``               off (``1``: check every
                                                                 journaled write's ops; the
                                                                 test suite sets it)
=============================== ================================ ==========================
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field, PositiveInt, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from orglink.graph.store import StoreError


class SettingsError(StoreError):
    """A setting that cannot be used; the message names the variable (or option) and value."""


class Settings(BaseSettings):
    """Where the graph lives and how to reach it, and where the API's tokens are."""

    model_config = SettingsConfigDict(env_ignore_empty=True, extra="ignore", frozen=True,
                                      populate_by_name=True)

    backend: str = Field("embedded", validation_alias="ORGLINK_BACKEND")
    store: Path = Field(Path("orglink-store"), validation_alias="ORGLINK_STORE")
    tokens: Path = Field(Path("orglink-tokens.json"), validation_alias="ORGLINK_TOKENS")
    neo4j_uri: str = Field("neo4j://localhost:7687", validation_alias="NEO4J_URI")
    neo4j_username: str = Field("neo4j", validation_alias="NEO4J_USERNAME")
    neo4j_password: str | None = Field(None, validation_alias="NEO4J_PASSWORD")
    neo4j_database: str | None = Field(None, validation_alias="NEO4J_DATABASE")
    neo4j_tx_limit: PositiveInt = Field(50_000, validation_alias="ORGLINK_NEO4J_TX_LIMIT")
    neo4j_batch_size: PositiveInt = Field(10_000, validation_alias="ORGLINK_NEO4J_BATCH_SIZE")
    neo4j_retry_seconds: PositiveInt = Field(5, validation_alias="ORGLINK_NEO4J_RETRY_SECONDS")
    # writing a plan keeps the newest this many (Plan nodes with their MATCHED_TO) and drops the rest
    keep_plans: PositiveInt = Field(10, validation_alias="ORGLINK_KEEP_PLANS")
    # working days a need has, by urgency, and a whistle from its escalation (orglink.deadlines)
    due_days: str = Field("urgent=1,pressing=3,normal=5,escalated=3", validation_alias="ORGLINK_DUE_DAYS")
    # the issuing office named in the pairing report's title block (出具单位)
    office: str = Field("区委组织部", validation_alias="ORGLINK_OFFICE")
    # check that every journaled write of the embedded store replays to the graph it left (tests)
    journal_verify: bool = Field(False, validation_alias="ORGLINK_JOURNAL_VERIFY")


_ENV_NAMES = {name: str(f.validation_alias) for name, f in Settings.model_fields.items()}
"""Field name → its environment variable (for messages)."""


def env_name(field: str) -> str:
    """The environment variable of settings field ``field``."""
    return str(_ENV_NAMES[field])


def load_settings(**given: Any) -> Settings:
    """The settings from the environment, with every ``given`` value that is not None (the
    command line's options) taking precedence. Raises :class:`SettingsError` in Chinese,
    naming the variable, when a value cannot be used."""
    try:
        return Settings(**{k: v for k, v in given.items() if v is not None})
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0])
        name = env_name(field) if field in _ENV_NAMES else field
        value = first.get("input")
        kind = "应为正整数" if first["type"].startswith(("greater_than", "int")) else "无效"
        source = "选项" if field in given and given[field] is not None else "环境变量"
        raise SettingsError(f"{source} {name} {kind}：{value!r}") from None
