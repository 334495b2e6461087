"""Deadlines (时限) of needs and what is overdue (督办), computed from the audit trail.

Every need is due a number of **working days** (Monday–Friday) after it was raised, by its
urgency; once escalated (吹哨) it is due that many working days after the escalation, by the
whistle's own clock. Defaults (``ORGLINK_DUE_DAYS``, :class:`orglink.settings.Settings`):

============ ============ =====================================================
urgency      working days  why
============ ============ =====================================================
紧急 urgent   1            grid platforms: sign within hours, contact within 24 h
较急 pressing 3            report back within 3–5 working days
一般 normal   5
吹哨 whistle  3            from the escalation: the departments report for duty
============ ============ =====================================================

The times come from the need's ``history`` (the audit entries the lifecycle writes: the first
``escalate``, the last ``complete``); a need loaded as 已办结 without a history has no known
closing date (it counts as closed, not as closed on time). Pure functions: no store access.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

URGENCY_KEYS = ("urgent", "pressing", "normal")
WHISTLE_KEY = "escalated"
DEFAULT_DUE_DAYS = "urgent=1,pressing=3,normal=5,escalated=3"


@dataclass(frozen=True)
class DuePolicy:
    """Working days per urgency and for a whistle."""

    days: dict[str, int]

    def for_urgency(self, urgency: str | None) -> int:
        """Working days a need of ``urgency`` has (unknown: as 一般)."""
        return self.days.get(urgency or "normal", self.days["normal"])

    @property
    def whistle(self) -> int:
        """Working days from an escalation (吹哨) to report-back."""
        return self.days[WHISTLE_KEY]


def parse_due_days(text: str) -> DuePolicy:
    """``urgent=1,pressing=3,normal=5,escalated=3`` → :class:`DuePolicy`; a missing key keeps its
    default; ValueError (Chinese) for an unknown key or a value that is not a positive integer."""
    days = dict(_pairs(DEFAULT_DUE_DAYS))
    for key, value in _pairs(text):
        if key not in days:
            raise ValueError(f"时限设置中未知的项「{key}」，应为 {'/'.join(days)}")
        days[key] = value
    return DuePolicy(days)


def _pairs(text: str) -> list[tuple[str, int]]:
    out = []
    for part in (p.strip() for p in text.split(",") if p.strip()):
        key, sep, value = part.partition("=")
        if not sep or not value.strip().isdigit() or int(value) < 1:
            raise ValueError(f"时限设置「{part}」应为 项=正整数（工作日），如 urgent=1")
        out.append((key.strip(), int(value)))
    return out


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days (Monday–Friday) after ``start``."""
    d = start
    left = days
    while left > 0:
        d += dt.timedelta(days=1)
        if d.weekday() < 5:
            left -= 1
    return d


def _date(text: Any) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(str(text)[:10])
    except ValueError:
        return None


def history_dates(history: str | list[Any] | None) -> tuple[dt.date | None, dt.date | None]:
    """(first escalation date, last completion date) from an audit trail: its JSON text (as
    stored) or its entries (as ``need_detail`` parses them)."""
    if isinstance(history, list):
        entries = history
    else:
        try:
            entries = json.loads(history) if history else []
        except ValueError:
            entries = []
    escalated = next((_date(e.get("at")) for e in entries if isinstance(e, dict) and e.get("action") == "escalate"),
                     None)
    done = None
    for e in entries:
        if isinstance(e, dict) and e.get("action") == "complete":
            done = _date(e.get("at"))
    return escalated, done


@dataclass(frozen=True)
class Deadline:
    """A need's deadline: when it is due, when it was escalated and closed (None: not, or not
    known), and whether it is overdue today or was closed on time."""

    due_on: dt.date | None
    escalated_on: dt.date | None
    done_on: dt.date | None
    done: bool

    def overdue(self, today: dt.date) -> bool:
        """Open and past its due date."""
        return not self.done and self.due_on is not None and today > self.due_on

    def days_overdue(self, today: dt.date) -> int:
        """Calendar days past the due date (0 when not overdue)."""
        return (today - self.due_on).days if self.due_on is not None and self.overdue(today) else 0

    @property
    def on_time(self) -> bool | None:
        """Closed by its due date (None: not closed, or its closing date is not known)."""
        if not self.done or self.done_on is None or self.due_on is None:
            return None
        return self.done_on <= self.due_on


def deadline(row: dict[str, Any], policy: DuePolicy) -> Deadline:
    """The :class:`Deadline` of a need (a ``need_timelines`` or ``need_get`` row: ``urgency``,
    ``status``, ``raised_on``, ``history``)."""
    escalated, done_on = history_dates(row.get("history"))
    raised = _date(row.get("raised_on"))
    if escalated is not None:
        due = add_working_days(escalated, policy.whistle)
    elif raised is not None:
        due = add_working_days(raised, policy.for_urgency(row.get("urgency")))
    else:
        due = None
    return Deadline(due_on=due, escalated_on=escalated, done_on=done_on, done=row.get("status") == "done")
