"""The fit taxonomy: every category divided into sub-types, words unique, lookups, segmentation."""

from __future__ import annotations

import pytest

from orglink.graph import taxonomy
from orglink.graph.model import CATEGORIES
from orglink.graph.taxonomy import GENERAL, TAXONOMY, canonical, fold, subtype_names, subtypes
from orglink.graph.words import tokens, words


def test_every_category_has_subtypes_and_general() -> None:
    assert set(TAXONOMY) == set(CATEGORIES)
    for category in CATEGORIES:
        names = subtype_names(category)
        assert GENERAL in names, category
        assert len(names) >= 4, (category, names)  # 通用 and at least three real sub-types
        assert len(set(names)) == len(names), category
        assert names[-1] == GENERAL  # declared last: never wins a tie against a specific sub-type


def test_words_are_unique_within_a_category() -> None:
    for category, subs in TAXONOMY.items():
        seen: dict[str, str] = {}
        for s in subs:
            for w in s.all_words:
                assert seen.setdefault(fold(w), s.name) == s.name, (category, w, seen[fold(w)], s.name)


def test_the_import_check_refuses_a_shared_word(monkeypatch: pytest.MonkeyPatch) -> None:
    broken = dict(TAXONOMY)
    a, b, *rest = broken["养老托幼"]
    broken["养老托幼"] = (a, taxonomy.Subtype(name=b.name, en=b.en, words=(*b.words, "助餐")), *rest)
    monkeypatch.setattr(taxonomy, "TAXONOMY", broken)
    with pytest.raises(AssertionError, match="助餐"):
        taxonomy._check()


def test_the_import_check_wants_general(monkeypatch: pytest.MonkeyPatch) -> None:
    broken = dict(TAXONOMY)
    broken["便民服务"] = tuple(s for s in broken["便民服务"] if s.name != GENERAL)
    monkeypatch.setattr(taxonomy, "TAXONOMY", broken)
    with pytest.raises(AssertionError, match="便民服务 has no 通用"):
        taxonomy._check()


def test_canonical_names_and_synonyms() -> None:
    assert canonical("养老托幼", "婴幼儿托育") == "婴幼儿托育"  # the name itself
    assert canonical("养老托幼", "托育") == "婴幼儿托育"  # a synonym
    assert canonical("养老托幼", "助浴") == "上门助老"
    assert canonical("养老托幼", " 助 餐 ") == "老年助餐"  # spaces forgiven
    assert canonical("物业环境", "楼道灯") == "楼道照明"
    assert canonical("资金物资", "资金") == GENERAL
    assert canonical("便民服务", "通用") == GENERAL
    assert canonical("养老托幼", "理发") is None  # a word of another category
    assert canonical("便民服务", "理发") == "理发"
    with pytest.raises(KeyError):
        subtypes("天气")


def test_same_word_may_mean_different_things_in_different_categories() -> None:
    assert canonical("场地设施", "健身") == "运动场地"
    assert canonical("文化体育", "健身") == "健身指导"


def test_all_words_hold_every_word_once() -> None:
    every = taxonomy.all_words()
    assert len(every) == len(set(every))
    assert {"婴幼儿托育", "助浴", "楼道灯", "通用"} <= set(every)


def test_segmenter_keeps_taxonomy_words_whole() -> None:
    assert tokens("下水管道堵塞疏通") == ["下水管道", "堵塞", "疏通"]
    assert "健身器材" in tokens("健身器材维修更换")  # the longer word wins over 健身
    assert "活动场地" in tokens("福润家园议事活动场地不足")
    assert tokens("禁毒、反诈知识宣传教育")[:2] == ["禁毒", "反诈"]  # punctuation dropped
    assert tokens("") == []


def test_words_are_keywords_plus_title_tokens_of_two_characters_or_more() -> None:
    w = words("独居老人助餐", ["送餐", "老"])
    assert {"助餐", "送餐"} <= w
    assert "老" not in w
    assert all(len(x) >= 2 for x in w)
