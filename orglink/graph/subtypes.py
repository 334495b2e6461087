"""The sub-type (子类) of a need or resource row: from its 子类 cell, else inferred from its words.

A list may give the sub-type in a 子类 column; it must then be one of the category's sub-types
or one of their words (``orglink.graph.taxonomy``), and is stored as the canonical sub-type
name with the basis ``清单填写``. A blank or missing 子类 is inferred from the row's title and
keywords by :func:`infer_subtype`. Either way the loader stores ``subtype`` (``None`` when it
could not tell) and ``subtype_basis`` (how it was decided, in Chinese).

The inference rule
------------------
The title is cut into words by jieba (``orglink.graph.words``), whose dictionary holds every
taxonomy word (jieba's HMM is left out here: only dictionary words can name a sub-type). Each
keyword cell entry is taken whole and also cut into words. A sub-type of
the row's category scores

* :data:`KEYWORD_WEIGHT` (2) for each keyword entry that is, or contains a token that is, one of
  its words: the keywords were written to say what the row is about;
* :data:`TITLE_WEIGHT` (1) for each distinct title token that is one of its words.

The highest score wins. A tie goes to the sub-type whose longest matched word is longer (the
more specific word: 法律咨询 over 纠纷), then to the sub-type declared first in the taxonomy
(declared most specific first). No word of the category at all: ``(None, "未能识别")``. The
result depends only on the category, title and keywords (deterministic).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from orglink.graph.taxonomy import canonical, fold, order, subtype_names
from orglink.graph.words import tokens

KEYWORD_WEIGHT = 2
"""Score of one keyword entry naming a sub-type."""
TITLE_WEIGHT = 1
"""Score of one title word naming a sub-type."""

LISTED = "清单填写"
"""Basis of a sub-type the list gives in its 子类 cell."""
UNKNOWN = "未能识别"
"""Basis when neither the list nor the words tell the sub-type."""


@dataclass
class _Evidence:
    """What points at one sub-type: the matched keyword entries and title words."""

    keywords: list[str] = field(default_factory=list)
    title: list[str] = field(default_factory=list)

    @property
    def score(self) -> int:
        return KEYWORD_WEIGHT * len(self.keywords) + TITLE_WEIGHT * len(self.title)

    @property
    def longest(self) -> int:
        return max(map(len, self.keywords + self.title))

    def basis(self) -> str:
        parts = []
        if self.keywords:
            parts.append("关键词" + "".join(f"「{w}」" for w in self.keywords))
        if self.title:
            parts.append("名称含" + "".join(f"「{w}」" for w in self.title))
        return "推断：" + "；".join(parts)


def infer_subtype(category: str, title: str, keywords: Sequence[str] = ()) -> tuple[str | None, str]:
    """The sub-type of a row of ``category`` with this ``title`` and ``keywords``, and the basis.

    See the module docstring for the rule. Returns ``(name, "推断：关键词「助餐」；名称含「助餐」")``
    (the words that decided, keyword entries first) or ``(None, "未能识别")``.
    ``KeyError`` when ``category`` is not one of the twelve."""
    subtype_names(category)  # KeyError for an unknown category
    evidence: dict[str, _Evidence] = {}
    for entry in keywords:
        whole = fold(entry)
        if not whole:
            continue
        for name in dict.fromkeys(n for w in (whole, *tokens(whole, hmm=False)) if (n := canonical(category, w))):
            evidence.setdefault(name, _Evidence()).keywords.append(whole)
    for word in dict.fromkeys(tokens(title, hmm=False)):
        if hit := canonical(category, word):
            evidence.setdefault(hit, _Evidence()).title.append(word)
    if not evidence:
        return None, UNKNOWN
    best = max(evidence, key=lambda n: (evidence[n].score, evidence[n].longest, -order(category, n)))
    return best, evidence[best].basis()


def listed_subtype(category: str, text: str) -> str:
    """The canonical sub-type a 子类 cell names for ``category``; ``ValueError`` with a Chinese
    message listing the category's sub-types when it names none."""
    name = canonical(category, text)
    if name is None:
        raise ValueError(f"未知的子类：{text!r}，{category}的子类应为 {'/'.join(subtype_names(category))}")
    return name


def row_subtype(category: str, title: str, keywords: Sequence[str] | None = None,
                listed: str | None = None) -> tuple[str | None, str]:
    """A row's ``(subtype, subtype_basis)``: the listed 子类 when the cell is not blank (basis
    ``清单填写``; ``ValueError`` if it is not a sub-type of the category), else inferred."""
    if listed is not None and listed.strip():
        return listed_subtype(category, listed), LISTED
    return infer_subtype(category, title, keywords or ())
