"""What may go into the report: text a workbook and a page can hold, and no formula.

Data already in a store may hold characters the API and the loaders now refuse at the door.
Every value written to the workbook passes :func:`safe_cell`, and the HTML page passes
:func:`clean_text`, so such data can neither break the report nor run in Excel.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""How a text cell starts that a spreadsheet may run as a formula (OWASP, CSV injection)."""

_KEPT = "\t\n\r"
_OTHER_ODD = re.compile(
    "[" + re.escape("".join(ch for ch in map(chr, range(0x100))
                            if unicodedata.category(ch) == "Cc" and ch not in _KEPT))
    + "\ud800-\udfff\ufffe\uffff]")
"""The control characters openpyxl lets through (DEL, C1; every Cc lies below U+0100) but not
tab and line breaks, lone surrogates (no UTF-8 file can hold one) and U+FFFE/U+FFFF."""


@functools.cache
def _openpyxl_illegal() -> re.Pattern[str]:
    """openpyxl's ``ILLEGAL_CHARACTERS_RE``, imported on first use (openpyxl is slow to import
    and most commands never write a workbook)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE


def clean_text(text: str) -> str:
    """``text`` without what a workbook or page cannot hold: the characters openpyxl refuses
    (its own ``ILLEGAL_CHARACTERS_RE``), the other control characters but tab, CR and LF, lone
    surrogates and U+FFFE/U+FFFF."""
    return _OTHER_ODD.sub("", _openpyxl_illegal().sub("", text))


def safe_cell(value: Any) -> Any:
    """``value`` as a workbook cell may hold it: text cleaned (:func:`clean_text`) and, when it
    starts like a formula (:data:`FORMULA_STARTS`), prefixed with a single quote so it stays
    text. Anything not text (numbers, negative ones too, ``None``) is returned unchanged."""
    if not isinstance(value, str):
        return value
    text = clean_text(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
