"""Whether a resource fits a need: category and sub-type (the fit taxonomy).

A need and a resource *fit* when

1. their categories are equal, and
2. one of these holds:

   * their sub-types are equal (婴幼儿托育 and 婴幼儿托育);
   * the resource's sub-type is ``通用``: a resource general for its category (a volunteer
     team, money) fits every need of the category;
   * the resource's sub-type is unknown (``None``, the loader could not tell): an unrecognised
     resource is treated as general, so nothing that fitted before the taxonomy is lost for
     want of a word;
   * the need's sub-type is unknown (``None``): it cannot be told apart, so any resource of
     the category may serve it;
   * the need's sub-type is ``通用``: it asks for anything of its category.

Among the fitting resources, :func:`keyword_overlap` gives the words a need and a resource
share, for ordering (more shared words: the closer fit). A need's or resource's words are its
keywords plus the jieba tokens of its title (:func:`node_words`, the segmenter of
``orglink.graph.words`` the loaders use too).

``fits`` itself lives in :mod:`orglink.graph.taxonomy` (the lifecycle checks a dispatch with
it too, and may not import matching); it is re-exported here. Pure functions: no store
access. The sub-types come from the nodes' ``subtype`` property
(``orglink.graph.taxonomy``, set by the loaders).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from orglink.graph.taxonomy import GENERAL, fits
from orglink.graph.words import words
from orglink.matching.types import Fit


def keyword_overlap(need_words: Iterable[str], resource_words: Iterable[str]) -> list[str]:
    """The words a need and a resource share, sorted (an empty list when none)."""
    return sorted(set(need_words) & set(resource_words))


def node_words(title: str | None, keywords: Iterable[str] | None = None) -> frozenset[str]:
    """A need's or resource's words for :func:`keyword_overlap`: its keywords plus the jieba
    tokens of its title, each of at least two characters."""
    return words(title or "", tuple(keywords or ()))


def fit_basis(need_subtype: str | None, resource_subtype: str | None, category: str | None = None) -> str:
    """The rule by which a resource of ``resource_subtype`` fits a need of ``need_subtype``
    (of the same category), as planners read it, e.g. ``子类相同：婴幼儿托育``."""
    cat = f"（{category}）" if category else ""
    if resource_subtype == GENERAL:
        return f"通用资源，适用本类别{cat}所有需求"
    if resource_subtype is None:
        return f"资源未分子类，按类别{cat}相符"
    if need_subtype is None:
        return f"需求未分子类，按类别{cat}相符"
    if need_subtype == GENERAL:
        return f"需求不限子类，按类别{cat}相符"
    return f"子类相同：{need_subtype}"


def explain_fit(need: dict[str, Any], resource: dict[str, Any]) -> Fit:
    """Why ``resource`` fits ``need`` (dicts with ``category``, ``subtype``, ``title`` and
    ``keywords``): both sub-types, the shared words (:func:`keyword_overlap` of
    :func:`node_words`) and the rule (:func:`fit_basis`). Call it for a fitting pair only."""
    shared = keyword_overlap(node_words(need.get("title"), need.get("keywords")),
                             node_words(resource.get("title"), resource.get("keywords")))
    basis = fit_basis(need.get("subtype"), resource.get("subtype"), need.get("category"))
    if shared:
        basis += "；共同关键词：" + "、".join(shared)
    return Fit(need_subtype=need.get("subtype"), resource_subtype=resource.get("subtype"),
               keywords=shared, basis=basis)


__all__ = ["explain_fit", "fit_basis", "fits", "keyword_overlap", "node_words"]
