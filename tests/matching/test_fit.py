"""The fit rules (category and sub-type) and the shared-word ordering."""

from __future__ import annotations

from orglink.matching.fit import fits, keyword_overlap, node_words


def test_same_category_and_subtype_fit() -> None:
    assert fits("养老托幼", "婴幼儿托育", "养老托幼", "婴幼儿托育")


def test_different_subtypes_do_not_fit() -> None:
    assert not fits("养老托幼", "婴幼儿托育", "养老托幼", "老年助餐")
    assert not fits("便民服务", "户外劳动者服务", "便民服务", "理发")
    assert not fits("物业环境", "垃圾清运", "物业环境", "楼道照明")


def test_different_categories_never_fit() -> None:
    assert not fits("养老托幼", "通用", "医疗健康", "通用")
    assert not fits("养老托幼", None, "医疗健康", None)
    assert not fits("场地设施", "运动场地", "文化体育", "运动场地")  # even with a same-named sub-type


def test_a_general_resource_fits_every_need_of_its_category() -> None:
    assert fits("资金物资", "大病救助", "资金物资", "通用")
    assert fits("资金物资", None, "资金物资", "通用")


def test_an_unrecognised_resource_counts_as_general() -> None:
    assert fits("养老托幼", "婴幼儿托育", "养老托幼", None)


def test_an_unrecognised_or_general_need_takes_any_resource_of_its_category() -> None:
    assert fits("养老托幼", None, "养老托幼", "老年助餐")
    assert fits("养老托幼", "通用", "养老托幼", "老年助餐")


def test_keyword_overlap_is_the_sorted_shared_words() -> None:
    assert keyword_overlap(["助餐", "老人", "送餐"], {"送餐", "助餐", "床位"}) == ["助餐", "送餐"]
    assert keyword_overlap([], ["助餐"]) == []
    assert keyword_overlap(iter(["a", "a"]), ("a",)) == ["a"]


def test_node_words_are_keywords_and_title_tokens() -> None:
    need = node_words("独居老人助餐")
    resource = node_words("老年助餐", ["助餐", "老人", "送餐"])
    assert "助餐" in need
    assert keyword_overlap(need, resource) == ["助餐", "老人"]
    assert node_words(None) == frozenset()
    assert keyword_overlap(node_words("婴幼儿托育"), node_words("老年助餐", ["助餐", "送餐"])) == []
