"""Personal data kept minimal (PIPL 最小必要): how a person's name is stored and shown.

A cadre's name is the only personal datum the model holds (no phone numbers, no id numbers).
It is masked when the lists are loaded (model properties declared ``personal``), so the store
never holds a full name and no output — paths, reports, API, CLI, Browser — can show one.
"""

from __future__ import annotations

MASK = "*"


def mask_name(name: str | None) -> str:
    """A person's name as orglink keeps and shows it: the family name (first character)
    followed by one ``*`` per further character, at least one (``张三`` → ``张*``, ``欧阳娜娜``
    → ``欧***``). A name that already holds ``*`` (masked by whoever made the list) is kept."""
    text = (name or "").strip()
    if not text:
        return MASK
    if MASK in text:
        return text
    return text[0] + MASK * max(1, len(text) - 1)
