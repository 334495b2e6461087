"""The fit taxonomy: the sub-types (子类) of the twelve need / resource categories.

A need and a resource of the same category do not always fit (婴幼儿托育 is not 老年助餐). Each
category of :data:`orglink.graph.model.CATEGORIES` is divided here, once, into sub-types, each
with the Chinese words that name or indicate it (synonyms, and the service words the lists
use). The loaders infer a row's sub-type from these words (``orglink.graph.subtypes``) and
``orglink.matching.fit`` decides from the sub-types whether a resource fits a need.

Every category also has the special sub-type :data:`GENERAL` (``通用``): a resource that is
general for its category (a volunteer team, money) fits every need of the category.

The sub-types were derived from the bundled Huinong lists (every need and resource title and
keyword of ``orglink/data/huinong``) and from the source document's vocabulary (暖“新”驿站:
饮水、餐食加热、手机充电; 板凳议事会; 圈地种菜; 禁毒、反诈). Within a category they are declared
most specific first: the declaration order is the last tie-break of the inference.

Pure data and small lookups: no I/O, no jieba (``orglink.graph.words`` segments).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from orglink.graph.model import CATEGORIES

GENERAL = "通用"
"""The sub-type of a resource that fits every need of its category."""

GENERAL_WORDS: tuple[str, ...] = ("综合", "不限", "各类")
"""Words marking a general resource in every category (besides :data:`GENERAL` itself)."""


@dataclass(frozen=True)
class Subtype:
    """A sub-type of a category: its canonical Chinese name and the words that indicate it."""

    name: str
    en: str  # English gloss, for docs and readers of the code
    words: tuple[str, ...] = ()  # synonyms / indicative words; the name itself counts too

    @property
    def all_words(self) -> tuple[str, ...]:
        """The name followed by the other words that indicate this sub-type."""
        return (self.name, *(w for w in self.words if w != self.name))


def _t(name: str, en: str, *words: str) -> Subtype:
    return Subtype(name=name, en=en, words=words)


def _general(*words: str) -> Subtype:
    return Subtype(name=GENERAL, en="general: fits every need of the category", words=(*GENERAL_WORDS, *words))


TAXONOMY: dict[str, tuple[Subtype, ...]] = {
    "场地设施": (
        _t("活动场地", "rooms and grounds to gather: activity rooms, meeting rooms, 议事 venues",
           "活动场地", "活动室", "居民活动室", "会议室", "议事", "议事会", "板凳议事会", "活动阵地",
           "场地借用", "室内", "广场"),
        _t("停车位", "parking spaces", "停车", "车位", "共享车位", "停车场"),
        _t("运动场地", "sports grounds", "运动场", "操场", "球场", "健身", "体育场"),
        _t("食堂就餐", "canteens open to residents", "食堂", "职工食堂", "就餐", "助餐", "餐厅"),
        _t("照明设施", "street lighting", "路灯", "照明", "亮化"),
        _general(),
    ),
    "志愿服务": (
        _t("结对帮扶", "paired help for families in difficulty", "结对", "困难群众", "困难家庭", "走访"),
        _t("环境清洁", "cleaning volunteers", "清洁", "卫生", "环境卫生", "清扫", "保洁"),
        _t("文明劝导", "civility wardens", "劝导", "文明", "文明创建", "秩序维护"),
        _t("关爱陪伴", "company for people living alone", "陪伴", "关爱", "探访", "陪护", "聊天"),
        _t("节日活动", "volunteers for festivals and events", "节日", "活动保障", "赛事"),
        _general("志愿服务队", "志愿服务", "服务队", "志愿队"),
    ),
    "医疗健康": (
        _t("上门诊疗", "home visits by doctors", "上门", "巡诊", "上门巡诊", "出诊", "诊疗", "家庭病床"),
        _t("健康体检", "check-ups and screening", "体检", "义诊", "筛查", "血压", "血糖", "测血压", "测血糖"),
        _t("慢病管理", "chronic disease follow-up", "慢病", "慢性病", "随访", "家庭医生", "签约"),
        _t("健康讲座", "health education", "健康知识", "讲座", "健康讲座", "预防", "健康教育", "科普"),
        _t("心理疏导", "counselling", "心理", "心理健康", "疏导", "心理咨询"),
        _general(),
    ),
    "法律服务": (
        _t("法律援助", "legal aid: unpaid wages, rights", "援助", "讨薪", "欠薪", "维权", "农民工"),
        _t("公证继承", "notary, wills and inheritance", "公证", "遗嘱", "继承", "遗产", "遗产继承"),
        _t("纠纷调解", "mediation of disputes", "调解", "人民调解", "纠纷", "矛盾", "邻里纠纷", "化解"),
        _t("法律咨询", "legal advice", "婚姻家庭", "婚姻", "律师"),
        _t("普法宣传", "legal education", "普法", "法治", "法治宣传", "宣传", "法治讲座"),
        _general(),
    ),
    "教育培训": (
        _t("党课宣讲", "party lessons and theory talks", "党课", "宣讲", "理论宣讲", "党员学习", "学习教育", "理论",
           "党史", "主题教育"),
        _t("安全培训", "safety training", "安全知识", "安全", "安全培训", "应急", "急救", "防灾"),
        _t("家庭教育", "parenting", "家长", "家长课堂", "亲子", "家教"),
        _t("数字技能", "smartphones and computers (for the elderly)", "智能手机", "手机", "电脑", "上网",
           "电脑技能", "网络"),
        _t("课后辅导", "after-school tutoring", "课后", "作业辅导", "辅导", "作业", "学业"),
        _general(),
    ),
    "文化体育": (
        _t("健身器材", "fitness equipment", "体育器材", "器材", "健身设施", "健身路径"),
        _t("健身指导", "fitness and square-dance coaching", "全民健身", "广场舞", "健身", "体育指导", "健身操", "太极"),
        _t("图书阅读", "books and reading", "图书", "书屋", "社区书屋", "阅读", "流动书屋", "读书", "农家书屋"),
        _t("文艺演出", "performances", "文艺", "演出", "文艺演出", "节日", "文艺汇演", "节目"),
        _t("兴趣培训", "hobby classes", "兴趣班", "兴趣", "书法", "绘画", "暑期", "舞蹈", "美术", "才艺"),
        _general(),
    ),
    "就业创业": (
        _t("就业援助", "jobs for people who find it hard: public-welfare posts, disabled people",
           "就业帮扶", "公益性岗位", "公益岗", "托底", "就业困难", "残疾人", "帮扶"),
        _t("技能培训", "vocational training", "技能", "培训", "职业技能", "再就业", "灵活就业"),
        _t("创业指导", "start-up advice and loans", "创业", "贷款", "创业担保", "返乡创业"),
        _t("岗位推荐", "job vacancies and referrals", "招聘", "岗位", "就业推荐", "推荐", "求职", "就业", "招聘会"),
        _general(),
    ),
    "养老托幼": (
        _t("老年助餐", "meals for the elderly", "助餐", "送餐", "老年餐", "长者食堂", "老年食堂", "配餐"),
        _t("上门助老", "home help for the elderly: bathing, cleaning", "助老", "助浴", "上门助浴", "助洁", "居家养老",
           "居家照护"),
        _t("日间照料", "day care for the elderly", "照料", "托老", "床位", "养老床位", "短期托养"),
        _t("婴幼儿托育", "infant and toddler care", "托育", "婴幼儿", "托儿", "托育名额", "幼儿"),
        _t("课后托管", "after-school care", "托管", "学生托管", "四点半课堂", "放学后", "晚托"),
        _general(),
    ),
    "物业环境": (
        _t("垃圾清运", "rubbish collection", "垃圾", "清运", "垃圾分类", "建筑垃圾"),
        _t("楼道照明", "stairwell lights", "楼道灯", "照明", "声控灯"),
        _t("管网维修", "drains, pipes and heating mains", "管网", "下水", "下水管道", "管道", "疏通", "堵塞", "雨污",
           "供热", "漏水", "抢修"),
        _t("绿化养护", "green space upkeep", "绿化", "绿化带", "养护", "杂草", "除草", "修剪"),
        _t("保洁", "cleaning", "清扫", "清洁", "卫生"),
        _t("环境整治", "clearing up: fenced vegetable plots, clutter", "整治", "圈地种菜", "乱堆乱放", "私搭乱建"),
        _t("物业管理", "property management (old compounds without one)", "无物业", "物业服务", "物业", "业委会"),
        _general(),
    ),
    "平安建设": (
        _t("治安巡逻", "night patrols", "巡逻", "治安", "夜间巡逻", "巡防", "夜间"),
        _t("禁毒宣传", "anti-drug education", "禁毒", "毒品", "禁毒知识"),
        _t("反诈宣传", "anti-fraud education", "反诈", "防诈", "电信诈骗", "诈骗", "防范电信诈骗"),
        _t("消防安全", "fire safety: escape routes, drills", "消防", "消防通道", "灭火器", "消防演练", "演练", "火灾"),
        _t("安全隐患", "hazards: inspection and rectification", "隐患", "排查", "隐患排查", "燃气", "飞线充电", "飞线",
           "电动车", "废弃厂房"),
        _t("市容秩序", "street order: stalls on the road", "占道经营", "占道", "摊贩", "农贸市场", "乱摆摊"),
        _general(),
    ),
    "资金物资": (
        _t("慰问物资", "gifts for families in difficulty", "慰问", "节日慰问", "慰问品", "困难群众", "困难家庭"),
        _t("取暖衣物", "winter heating and clothes", "取暖", "冬季取暖", "取暖物资", "御寒", "衣物", "棉衣", "棉被",
           "过冬", "煤炭"),
        _t("大病救助", "help for families hit by serious illness", "救助", "大病", "医疗救助", "临时救助"),
        _t("活动物资", "goods and equipment for community activities", "办公设备", "设备", "办公用品", "桌椅", "音响"),
        _general("资金", "帮扶资金", "经费", "善款"),
    ),
    "便民服务": (
        _t("户外劳动者服务", "rest, water, meal heating and phone charging for couriers and outdoor workers",
           "歇脚", "充电", "手机充电", "饮水", "热饭", "餐食加热", "户外劳动者", "快递员", "外卖员", "新就业群体",
           "暖新驿站", "司机之家"),
        _t("家电维修", "repairs of household appliances", "家电", "便民维修", "维修", "修理"),
        _t("理发", "haircuts", "免费理发", "剪发"),
        _t("代缴代办", "paying and filing on residents' behalf", "代缴", "代办", "缴费", "社保"),
        _t("金融服务", "financial literacy, pensions", "金融", "金融知识", "反假币", "养老金"),
        _t("出行交通", "public transport", "公交", "公交站点", "站点", "出行"),
        _general(),
    ),
}
"""Category -> its sub-types, most specific first, :data:`GENERAL` last."""


def fold(text: str) -> str:
    """A word folded for lookup: NFKC (full-width → half-width), no spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def subtypes(category: str) -> tuple[Subtype, ...]:
    """The sub-types of ``category`` (``KeyError`` for a name not in ``CATEGORIES``)."""
    return TAXONOMY[category]


def subtype_names(category: str) -> tuple[str, ...]:
    """The canonical sub-type names of ``category``, in declaration order."""
    return tuple(s.name for s in TAXONOMY[category])


@cache
def word_index(category: str) -> dict[str, str]:
    """Every word of ``category`` (folded) -> the name of the sub-type it indicates."""
    return {fold(w): s.name for s in TAXONOMY[category] for w in s.all_words}


def canonical(category: str, text: str) -> str | None:
    """The sub-type of ``category`` that ``text`` names (its name or one of its words,
    forgiving full-width forms and spaces), or ``None``."""
    return word_index(category).get(fold(text))


def order(category: str, name: str) -> int:
    """The declaration position of sub-type ``name`` in ``category`` (the last tie-break)."""
    return subtype_names(category).index(name)


@cache
def all_words() -> tuple[str, ...]:
    """Every word of every category, each once, in declaration order (the segmenter's dictionary)."""
    return tuple(dict.fromkeys(fold(w) for subs in TAXONOMY.values() for s in subs for w in s.all_words))


def _check() -> None:
    """Fail at import if the taxonomy strays: every category, each with 通用, words unique per category."""
    if set(TAXONOMY) != set(CATEGORIES):
        raise AssertionError(f"taxonomy categories differ from CATEGORIES: {set(TAXONOMY) ^ set(CATEGORIES)}")
    for category, subs in TAXONOMY.items():
        if GENERAL not in (s.name for s in subs):
            raise AssertionError(f"{category} has no {GENERAL} sub-type")
        seen: dict[str, str] = {}
        for s in subs:
            for w in s.all_words:
                if seen.setdefault(fold(w), s.name) != s.name:
                    raise AssertionError(f"{category}: word {w!r} indicates both {seen[fold(w)]} and {s.name}")
            if len(set(map(fold, s.all_words))) != len(s.all_words):
                raise AssertionError(f"{category}/{s.name}: a word is listed twice")


_check()


def fits(need_category: str, need_subtype: str | None, resource_category: str, resource_subtype: str | None) -> bool:
    """True when a resource of ``resource_category`` / ``resource_subtype`` fits a need of
    ``need_category`` / ``need_subtype``: equal categories and compatible sub-types — equal,
    or either side ``通用`` or unknown (the rules in :mod:`orglink.matching.fit`)."""
    if need_category != resource_category:
        return False
    if resource_subtype is None or resource_subtype == GENERAL:
        return True
    if need_subtype is None or need_subtype == GENERAL:
        return True
    return need_subtype == resource_subtype
