"""Cypher's semantics where Python's differ, in one place: what the embedded backend uses so
its answers are Neo4j's.

* :func:`order_key` — ``ORDER BY`` ascending puts nulls last;
* :func:`set_properties` — ``SET x += $props`` removes a property whose new value is null;
* :func:`cypher_round` — ``round(x, p)`` rounds half up on the shortest decimal form;
* :func:`append_history` — the string surgery the Cypher writes do on a need's audit trail.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any


def order_key(value: Any) -> tuple[bool, Any]:
    """Sort key of one ``ORDER BY`` value, ascending: every null after every value
    (``sorted(xs, key=order_key)``; for several columns, a tuple of these)."""
    return (value is None, "" if value is None else value)


def set_properties(target: dict[str, Any], props: dict[str, Any]) -> None:
    """Cypher's ``SET x += $props`` on a property dict: a value overwrites, a null removes."""
    for k, v in props.items():
        if v is None:
            target.pop(k, None)
        else:
            target[k] = v


def cypher_round(value: float, precision: int) -> float:
    """``round(value, precision)`` as Neo4j computes it: half up on the shortest decimal form
    of the double (Java ``BigDecimal.valueOf``), not Python's half-even on the binary value
    (``round(0.125, 2)`` is 0.13 in Cypher, 0.12 in Python). Precision 0 is Java's
    ``Math.round``: ties towards positive infinity."""
    if not math.isfinite(value):  # round(±Infinity) and round(NaN) are themselves in Cypher
        return float(value)
    if precision == 0:
        return float(math.floor(value + 0.5))
    exact = Decimal(repr(float(value)))
    exponent = exact.as_tuple().exponent
    assert isinstance(exponent, int)  # finite
    if -exponent <= precision:  # Neo4j never adds digits
        return float(exact)
    return float(exact.quantize(Decimal(1).scaleb(-precision), rounding=ROUND_HALF_UP))


def append_history(history: str | None, before: str, entry: str) -> str:
    """The audit trail (JSON text of a list) with ``entry`` (JSON text of an object) appended
    and ``"from":before`` put first, exactly as the Cypher writes build it."""
    head = "[" if history is None or history in ("", "[]") else history[:-1] + ","
    return head + '{"from":"' + before + '",' + entry[1:] + "]"
