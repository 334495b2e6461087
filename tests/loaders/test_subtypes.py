"""Sub-types of needs and resources: inferred from the words, or listed in a 子类 column."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from pathlib import Path

import pytest

from orglink.data import HUINONG
from orglink.graph.subtypes import LISTED, UNKNOWN, infer_subtype, listed_subtype, row_subtype
from orglink.loaders.build import Built, validate_dataset
from orglink.loaders.reader import LoadError
from tests.datasets import TINY, Rows, write_tiny


def sub(category: str, title: str, keywords: tuple[str, ...] = ()) -> str | None:
    return infer_subtype(category, title, keywords)[0]


# -- inference -------------------------------------------------------------------------------


def test_the_mismatches_of_issue_11_get_different_subtypes() -> None:
    """The pairs today's category-only fit puts together are told apart."""
    assert sub("养老托幼", "万家家属院婴幼儿托育") == "婴幼儿托育"
    assert sub("养老托幼", "老年助餐", ("助餐", "送餐", "老人")) == "老年助餐"
    courier = sub("便民服务", "东城新村快递员歇脚充电")
    barber = sub("便民服务", "免费理发", ("理发", "老人"))
    assert (courier, barber) == ("户外劳动者服务", "理发")
    assert sub("物业环境", "丽景佳苑垃圾清运不及时") == "垃圾清运"
    assert sub("物业环境", "楼道照明维修", ("楼道灯", "照明", "维修")) == "楼道照明"
    phones = sub("教育培训", "万家公寓老年人智能手机培训")
    lesson = sub("教育培训", "党课宣讲", ("党课", "宣讲", "理论"))
    assert (phones, lesson) == ("数字技能", "党课宣讲")


def test_more_examples_from_the_lists() -> None:
    assert sub("养老托幼", "高龄老人上门助浴") == "上门助老"
    assert sub("养老托幼", "上门助老服务", ("助老", "上门", "独居老人")) == "上门助老"
    assert sub("养老托幼", "双职工家庭学生托管") == "课后托管"
    assert sub("场地设施", "运动场地开放", ("操场", "球场", "健身")) == "运动场地"
    assert sub("资金物资", "社区治理帮扶资金", ("资金", "帮扶")) == "通用"
    assert sub("志愿服务", "党员志愿服务队", ("志愿者", "党员", "入户")) == "通用"


def test_basis_names_the_deciding_words() -> None:
    assert infer_subtype("养老托幼", "婴幼儿托育") == ("婴幼儿托育", "推断：名称含「婴幼儿托育」")
    assert infer_subtype("养老托幼", "老年助餐", ["助餐", "送餐", "老人"]) == (
        "老年助餐", "推断：关键词「助餐」「送餐」；名称含「老年助餐」")
    assert infer_subtype("资金物资", "爱心捐赠", ["捐赠", "衣物"]) == ("取暖衣物", "推断：关键词「衣物」")


def test_unrecognised_is_none_with_basis() -> None:
    assert infer_subtype("养老托幼", "社区议事") == (None, UNKNOWN)
    assert infer_subtype("养老托幼", "", ()) == (None, "未能识别")
    assert infer_subtype("养老托幼", "免费理发", ["理发"]) == (None, UNKNOWN)  # words of another category


def test_a_keyword_weighs_more_than_a_title_word() -> None:
    # title says 托育 (1), the keyword cell says 助餐 (2)
    assert sub("养老托幼", "托育名额", ("助餐",)) == "老年助餐"
    # one title token for the whole name (婴幼儿托育 is one word) loses to the keyword too
    assert sub("养老托幼", "婴幼儿托育班", ("托管",)) == "课后托管"


def test_ties_go_to_the_longer_word_then_to_declaration_order() -> None:
    assert sub("法律服务", "物业纠纷法律咨询") == "法律咨询"  # 法律咨询 (4) over 纠纷 (2)
    # two title words (婴幼儿 + 托育: 2) tie one keyword (托管: 2); 婴幼儿 is the longer word
    assert sub("养老托幼", "婴幼儿看护托育", ("托管",)) == "婴幼儿托育"
    # 托儿 + 托育 against 托管: equal lengths too, 婴幼儿托育 is declared before 课后托管
    assert sub("养老托幼", "托儿托育服务", ("托管",)) == "婴幼儿托育"
    assert sub("平安建设", "禁毒、反诈知识宣传教育") == "禁毒宣传"  # 禁毒 / 反诈: 禁毒宣传 is declared first


def test_place_names_in_titles_do_not_decide() -> None:
    assert sub("文化体育", "文化社区节日文艺演出") == "文艺演出"
    assert sub("场地设施", "园艺社区居民活动室借用") == "活动场地"


def test_inference_is_deterministic_across_processes() -> None:
    cases = [("法律服务", "物业纠纷法律咨询", ()), ("平安建设", "禁毒、反诈知识宣传教育", ()),
             ("资金物资", "爱心捐赠", ("捐赠", "衣物", "爱心")), ("养老托幼", "托育名额", ("托育", "婴幼儿", "托管"))]
    here = [infer_subtype(c, t, k) for c, t, k in cases]
    assert here == [infer_subtype(c, t, k) for c, t, k in cases]
    code = ("from orglink.graph.subtypes import infer_subtype; "
            f"print(repr([infer_subtype(c, t, k) for c, t, k in {cases!r}]))")
    for seed in ("1", "2"):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                             env={**os.environ, "PYTHONHASHSEED": seed})
        assert out.stdout.strip() == repr(here)
        assert out.stderr == ""  # jieba's log lines are silenced


def test_listed_subtype_is_canonicalised_or_refused() -> None:
    assert listed_subtype("养老托幼", "助浴") == "上门助老"
    assert listed_subtype("养老托幼", "婴幼儿托育") == "婴幼儿托育"
    assert row_subtype("养老托幼", "婴幼儿托育", None, "送餐") == ("老年助餐", LISTED)  # the list wins
    assert row_subtype("养老托幼", "婴幼儿托育", None, "  ") == ("婴幼儿托育", "推断：名称含「婴幼儿托育」")
    with pytest.raises(ValueError, match="未知的子类：'理发'，养老托幼的子类应为 老年助餐/"):
        listed_subtype("养老托幼", "理发")


# -- the loader ------------------------------------------------------------------------------


def tables_with(needs: dict[str, str] | None = None, resources: dict[str, str] | None = None) -> dict[str, Rows]:
    """The tiny dataset with a 子类 column: ``{id: cell}`` per table, blank elsewhere."""
    tables = copy.deepcopy(TINY)
    for name, cells in (("needs", needs or {}), ("resources", resources or {})):
        for row in tables[name]:
            row["subtype"] = cells.get(row["id"], "")
    return tables


def props(built: Built, label: str, id_: str) -> dict:
    hits = [n.props for n in built.batch.nodes if n.label == label and n.id == id_]
    assert len(hits) == 1, (label, id_)
    return hits[0]


def test_loader_stores_listed_and_inferred_subtypes(tmp_path: Path) -> None:
    built = validate_dataset(write_tiny(tmp_path / "d", tables=tables_with(needs={"N1": "随访"},
                                                                           resources={"R4": "综合"})))
    n1 = props(built, "Need", "N1")  # 老人体检 would be 健康体检: the list says 随访
    assert (n1["subtype"], n1["subtype_basis"]) == ("慢病管理", "清单填写")
    n2 = props(built, "Need", "N2")  # blank cell: inferred
    assert (n2["subtype"], n2["subtype_basis"]) == ("纠纷调解", "推断：名称含「邻里纠纷」「调解」")
    r4 = props(built, "Resource", "R4")
    assert (r4["subtype"], r4["subtype_basis"]) == ("通用", "清单填写")
    r1 = props(built, "Resource", "R1")  # 义诊 with keywords 体检；血压
    assert (r1["subtype"], r1["subtype_basis"]) == ("健康体检", "推断：关键词「体检」「血压」；名称含「义诊」")


def test_loader_infers_without_a_subtype_column(tmp_path: Path) -> None:
    tables = copy.deepcopy(TINY)
    tables["resources"][1]["title"] = "篮球"  # R2, 法律服务: no word of the category
    tables["needs"][0]["title"] = "老人看病"  # N1, 医疗健康: nor here
    built = validate_dataset(write_tiny(tmp_path / "d", tables=tables))
    assert props(built, "Resource", "R3")["subtype"] == "运动场地"  # 操场开放
    assert props(built, "Need", "N4")["subtype"] == "反诈宣传"  # 防诈宣传
    n3 = props(built, "Need", "N3")
    assert (n3["subtype"], n3["subtype_basis"]) == ("运动场地", "推断：名称含「球场」")  # 篮球场地
    r2 = props(built, "Resource", "R2")  # 篮球 with keywords 调解, 咨询: the keyword decides
    assert (r2["subtype"], r2["subtype_basis"]) == ("纠纷调解", "推断：关键词「调解」")
    n1 = props(built, "Need", "N1")  # stored as None (the MERGE leaves no property), basis said
    assert (n1["subtype"], n1["subtype_basis"]) == (None, "未能识别")


def test_unknown_listed_subtype_is_an_error_at_file_row_column(tmp_path: Path) -> None:
    d = write_tiny(tmp_path / "d", tables=tables_with(needs={"N2": "跳舞"}, resources={"R1": "托育"}))
    with pytest.raises(LoadError) as ei:
        validate_dataset(d)
    assert [str(p) for p in ei.value.problems] == [
        "resources.csv:2:subtype: 未知的子类：'托育'，医疗健康的子类应为 上门诊疗/健康体检/慢病管理/健康讲座/心理疏导/通用",
        "needs.csv:3:subtype: 未知的子类：'跳舞'，法律服务的子类应为 法律援助/公证继承/纠纷调解/法律咨询/普法宣传/通用",
    ]


def test_unknown_listed_subtype_names_the_chinese_header(tmp_path: Path) -> None:
    d = write_tiny(tmp_path / "d", lang="zh", tables=tables_with(needs={"N1": "跳舞"}))
    with pytest.raises(LoadError) as ei:
        validate_dataset(d)
    assert [str(p) for p in ei.value.problems] == [
        "需求清单.csv:2:子类: 未知的子类：'跳舞'，医疗健康的子类应为 上门诊疗/健康体检/慢病管理/健康讲座/心理疏导/通用",
    ]


def test_nearly_every_huinong_row_gets_a_subtype() -> None:
    built = validate_dataset(HUINONG)
    rows = [n for n in built.batch.nodes if n.label in ("Need", "Resource")]
    unknown = [(n.label, n.id, n.props["title"]) for n in rows if n.props["subtype"] is None]
    assert len(rows) > 1000
    assert len(unknown) <= len(rows) // 100, unknown
    assert all(n.props["subtype_basis"] for n in rows)
