"""The one declaration of the orglink graph model.

Every node kind, relationship type and list table is declared here once (in the spirit of
Cartography's node schemas). This declaration drives:

* validation of loaded rows (``orglink.loaders``),
* the embedded networkx store (``orglink.graph.embedded``),
* the Neo4j constraints, indexes and batched ``UNWIND $rows AS row MERGE`` statements
  (``orglink.graph.cypher_gen``),
* the schema handed to the Cypher linter and ``docs/model.md``.

Labels and relationship types used anywhere in Cypher must come from :data:`MODEL`
(the whitelist); they are never taken from user text.
"""

from __future__ import annotations

from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict

PropType = Literal["str", "int", "float", "bool", "date", "list", "datetime"]


class Prop(BaseModel):
    """A node or relationship property."""

    model_config = ConfigDict(frozen=True)

    name: str
    zh: str
    type: PropType = "str"
    required: bool = False
    indexed: bool = False
    choices: tuple[str, ...] | None = None  # allowed stored values (after normalisation)
    # owned by orglink once the node exists (the need lifecycle): a load sets it only when it
    # creates the node, so reloading the lists never moves a need back in its lifecycle
    lifecycle: bool = False
    minimum: int | None = None  # smallest value a list may give (a need of quantity 0 is refused)
    personal: bool = False  # a person's name: stored masked (orglink.graph.personal.mask_name)


class NodeKind(BaseModel):
    """A node label with its key and properties."""

    model_config = ConfigDict(frozen=True)

    label: str
    zh: str
    description: str
    props: tuple[Prop, ...]
    # secondary labels every node of this kind carries (e.g. PartyOrg)
    extra_labels: tuple[str, ...] = ()
    # secondary labels set when a boolean property is true: {label: prop_name}
    flag_labels: dict[str, str] = {}
    territory: bool = False  # part of the territory hierarchy (scope bounds of matching)

    @property
    def lifecycle_props(self) -> frozenset[str]:
        """Properties a load sets only when it creates the node (see :attr:`Prop.lifecycle`)."""
        return frozenset(p.name for p in self.props if p.lifecycle)

    def prop(self, name: str) -> Prop:
        """Return the property declaration called ``name``."""
        for p in self.props:
            if p.name == name:
                return p
        raise KeyError(f"{self.label} has no property {name!r}")

    @property
    def all_labels(self) -> tuple[str, ...]:
        """Every label a node of this kind may carry (primary first)."""
        return (self.label, *self.extra_labels, *self.flag_labels)


class RelKind(BaseModel):
    """A relationship type with the labels it may join."""

    model_config = ConfigDict(frozen=True)

    type: str
    zh: str
    description: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    props: tuple[Prop, ...] = ()
    # properties that, with the endpoints, identify one relationship (MERGE key)
    key_props: tuple[str, ...] = ()
    linkage: bool = False  # counts as a hop in "nearest" matching
    # a source has at most one such relationship to nodes of each target label: loading one
    # to another node (a grid moved to another community) replaces the old one
    single: bool = False


def _id() -> Prop:
    return Prop(name="id", zh="编号", required=True)


def _name(zh: str = "名称") -> Prop:
    return Prop(name="name", zh=zh, required=True, indexed=True)


SOURCE = Prop(name="source", zh="来源", choices=("document", "synthetic", "user"))
LAT = Prop(name="lat", zh="纬度", type="float")
LON = Prop(name="lon", zh="经度", type="float")

CATEGORIES: dict[str, str] = {
    "场地设施": "venues",
    "志愿服务": "volunteers",
    "医疗健康": "health",
    "法律服务": "legal",
    "教育培训": "education",
    "文化体育": "culture & sport",
    "就业创业": "jobs",
    "养老托幼": "elderly & child care",
    "物业环境": "property & environment",
    "平安建设": "safety",
    "资金物资": "funds & goods",
    "便民服务": "convenience",
}
"""The twelve categories shared by needs and resources: Chinese name -> English name."""

NEED_STATUSES: dict[str, str] = {
    "ordered": "待接单",
    "accepted": "已接单",
    "dispatched": "已派单",
    "done": "已办结",
    "escalated": "已吹哨",
}
"""Need lifecycle states: stored English value -> Chinese label."""

NEED_STATUS_WORDS: dict[str, str] = {
    "点单": "ordered", "接单": "accepted", "派单": "dispatched", "办结": "done", "吹哨": "escalated",
}
"""The document's own words for the states ("居民点单—网格接单—党组织派单", "街道吹哨"), as a list
may write them in its 状态 column: word -> stored value."""

EVALUATIONS: dict[str, str] = {"satisfied": "满意", "fair": "基本满意", "unsatisfied": "不满意"}
"""The community's evaluation of how a matter was handled (recorded at 办结): value -> label."""

OPEN_STATUSES: tuple[str, ...] = ("ordered", "accepted", "escalated")
"""Needs in these states take part in the pairing plan: not yet dispatched or done. An escalated
(吹哨) need is planned too, with the street level of the ladder open to it (the street and the
district departments reached through it)."""

SCOPES: dict[str, str] = {"grid": "网格", "community": "社区", "street": "街道"}
URGENCIES: dict[str, str] = {"normal": "一般", "pressing": "较急", "urgent": "紧急"}
STREET_KINDS = ("街道", "镇", "乡")
UNIT_KINDS = ("机关", "事业单位", "企业", "学校", "医院", "社会组织")
STATION_KINDS = ("暖新驿站", "司机之家", "党群服务中心")
STATION_SERVICES: dict[str, tuple[str, ...]] = {
    "免费饮水": ("饮水", "饮用水", "免费饮用水"),
    "热饭": ("热餐", "微波炉热饭", "加热饭菜"),
    "手机充电": ("充电", "免费充电"),
    "无线网络": ("wifi", "WiFi", "Wi-Fi", "无线上网", "免费无线网络"),
    "远程教育电视": ("远程教育", "远程电视", "电视"),
}
"""The five services of the 暖"新"驿站 and the 司机之家 ("免费饮水、热饭、手机充电、无线网络、远程
教育电视"): the document's name -> short forms a list (or a caller) may write for it. A station's
``services`` are stored as listed; a filter by service accepts any of these words."""
PARTY_ORG_LEVELS: dict[str, str] = {
    "区委": "DistrictCommittee",
    "街道党工委": "WorkingCommittee",
    "社区党委": "CommunityCommittee",
    "网格党支部": "GridBranch",
    "网格党小组": "PartyGroup",
    "院落党小组": "PartyGroup",
    "党小组": "PartyGroup",
    "党员中心户": "CentralHousehold",
}
"""party_orgs.level value -> node label."""

PROPERTY_KINDS: dict[str, str] = {
    "居委会": "ResidentsCommittee",
    "业委会": "OwnersCommittee",
    "物业公司": "PropertyCompany",
}

TRAINING_KINDS: dict[str, str] = {"themed": "主题培训", "exam": "考前培训"}
"""Community-worker training classes (社区工作者培训): stored value -> Chinese label."""

WORK_STAGES: dict[str, str] = {
    "plan": "年初抓计划",
    "self_check": "年中抓自查",
    "guidance": "平时抓指导",
    "report": "年底抓述职",
}
"""The organisation department's yearly work cycle "四点一线" for every community party
secretary, in the document's order: stored value -> Chinese label."""

_party_org_props = (
    _id(),
    _name(),
    Prop(name="level", zh="层级", required=True, choices=tuple(PARTY_ORG_LEVELS)),
    SOURCE,
)
_property_props = (
    _id(),
    _name(),
    Prop(name="members", zh="成员数", type="int"),
    Prop(name="party_members", zh="党员数", type="int"),
    SOURCE,
)

NODE_KINDS: tuple[NodeKind, ...] = (
    # territory
    NodeKind(label="District", zh="区", description="The district (区).", territory=True,
             props=(_id(), _name(), SOURCE)),
    NodeKind(label="Street", zh="街道", description="Sub-district, town or township (街道/镇/乡).",
             territory=True,
             props=(_id(), _name(), Prop(name="kind", zh="类型", choices=STREET_KINDS), SOURCE)),
    NodeKind(label="Community", zh="社区", description="Urban community (社区).", territory=True,
             props=(_id(), _name(), SOURCE)),
    NodeKind(label="Grid", zh="网格", description="Grid: the smallest governance cell (网格).",
             territory=True, props=(_id(), _name(), LAT, LON, SOURCE)),
    NodeKind(label="Compound", zh="小区", description="Residential compound, courtyard or building.",
             territory=True,
             props=(_id(), _name(), Prop(name="households", zh="户数", type="int"), SOURCE)),
    # party organisations
    NodeKind(label="DistrictCommittee", zh="区委", description="District party committee.",
             extra_labels=("PartyOrg",), props=_party_org_props),
    NodeKind(label="WorkingCommittee", zh="街道党工委",
             description="Sub-district party working committee; its 大工委 members are units.",
             extra_labels=("PartyOrg",), props=_party_org_props),
    NodeKind(label="CommunityCommittee", zh="社区党委",
             description="Community party committee; its 联合党委 members are units.",
             extra_labels=("PartyOrg",), props=_party_org_props),
    NodeKind(label="GridBranch", zh="网格党支部",
             description="Grid party branch, responsible for several grids.",
             extra_labels=("PartyOrg",), props=_party_org_props),
    NodeKind(label="PartyGroup", zh="党小组",
             description="Grid or courtyard party group (level tells which).",
             extra_labels=("PartyOrg",), props=_party_org_props),
    NodeKind(label="CentralHousehold", zh="党员中心户", description="Party-member central household.",
             extra_labels=("PartyOrg",), props=_party_org_props),
    # units and people
    NodeKind(label="Unit", zh="单位",
             description="Organisation: department (区直部门) and/or resident unit (驻区单位).",
             flag_labels={"Department": "department", "ResidentUnit": "resident"},
             props=(_id(), _name("单位名称"),
                    Prop(name="kind", zh="单位类型", choices=UNIT_KINDS),
                    Prop(name="department", zh="是否区直部门", type="bool", indexed=True),
                    Prop(name="resident", zh="是否驻区单位", type="bool", indexed=True),
                    LAT, LON, SOURCE)),
    NodeKind(label="Cadre", zh="报到干部",
             description="Cadre / party member; personal data minimal (masked name only).",
             props=(_id(), Prop(name="name", zh="姓名", required=True, personal=True),
                    Prop(name="party_member", zh="是否党员", type="bool"), SOURCE)),
    NodeKind(label="Resource", zh="资源", description="共治资源清单 entry: what a unit can offer.",
             props=(_id(), Prop(name="title", zh="资源名称", required=True),
                    Prop(name="category", zh="类别", required=True, indexed=True,
                         choices=tuple(CATEGORIES)),
                    Prop(name="capacity", zh="数量", type="int", required=True),
                    Prop(name="measure", zh="计量单位"),
                    Prop(name="keywords", zh="关键词", type="list"),
                    Prop(name="subtype", zh="子类", indexed=True),  # orglink.graph.taxonomy
                    Prop(name="subtype_basis", zh="子类依据"),  # 清单填写 / 推断：… / 未能识别
                    SOURCE)),
    NodeKind(label="Need", zh="需求", description="治理需求清单 entry or a resident's order (点单).",
             props=(_id(), Prop(name="title", zh="需求名称", required=True),
                    Prop(name="category", zh="类别", required=True, indexed=True,
                         choices=tuple(CATEGORIES)),
                    Prop(name="quantity", zh="数量", type="int", minimum=1),
                    Prop(name="urgency", zh="紧急程度", choices=tuple(URGENCIES)),
                    Prop(name="raised_on", zh="提出日期", type="date"),
                    Prop(name="status", zh="状态", indexed=True, choices=tuple(NEED_STATUSES), lifecycle=True),
                    Prop(name="scope", zh="范围", choices=tuple(SCOPES)),
                    Prop(name="report", zh="办结报告", lifecycle=True),
                    Prop(name="evaluation", zh="评价", choices=tuple(EVALUATIONS), lifecycle=True),
                    Prop(name="evaluation_note", zh="评价说明", lifecycle=True),
                    Prop(name="history", zh="流转记录", lifecycle=True),  # JSON text: audit trail of transitions
                    Prop(name="subtype", zh="子类", indexed=True),  # orglink.graph.taxonomy
                    Prop(name="subtype_basis", zh="子类依据"),  # 清单填写 / 推断：… / 未能识别
                    SOURCE)),
    NodeKind(label="ServiceProject", zh="服务项目", description="服务项目清单 entry: an agreed project.",
             props=(_id(), Prop(name="title", zh="项目名称", required=True),
                    Prop(name="status", zh="状态"), SOURCE)),
    NodeKind(label="Agreement", zh="共驻共建协议", description="共驻共建协议书 (一书).",
             props=(_id(), Prop(name="signed_on", zh="签订日期", type="date"), SOURCE)),
    NodeKind(label="Station", zh="驿站",
             description="暖新驿站 / 司机之家 / 党群服务中心 with the services it offers.",
             props=(_id(), _name(), Prop(name="kind", zh="类型", required=True, choices=STATION_KINDS),
                    Prop(name="services", zh="服务项目", type="list"),
                    Prop(name="served", zh="服务人次", type="int"), SOURCE)),
    NodeKind(label="Plan", zh="配对方案",
             description="A stored pairing plan: when it was made, from which inputs, what it met.",
             props=(_id(), Prop(name="created_at", zh="生成时间", type="datetime", indexed=True),
                    Prop(name="input_hash", zh="输入摘要"),
                    Prop(name="needs", zh="需求数", type="int"),
                    Prop(name="met", zh="满足需求数", type="int"),
                    Prop(name="unmet", zh="未满足需求数", type="int"))),
    NodeKind(label="ResidentsCommittee", zh="居委会", description="Residents' committee.",
             props=_property_props),
    NodeKind(label="OwnersCommittee", zh="业委会", description="Owners' committee.",
             props=_property_props),
    NodeKind(label="PropertyCompany", zh="物业公司", description="Property service company.",
             props=_property_props),
    # community workers
    NodeKind(label="Training", zh="培训班",
             description="A training class for community workers (主题培训 / 考前培训).",
             props=(_id(), Prop(name="title", zh="班次名称", required=True),
                    Prop(name="kind", zh="类型", required=True, indexed=True, choices=tuple(TRAINING_KINDS)),
                    Prop(name="held_on", zh="日期", type="date"),
                    Prop(name="person_times", zh="人次", type="int", minimum=0), SOURCE)),
    NodeKind(label="WorkStage", zh="四点一线",
             description="One stage of a community's yearly work cycle 四点一线 (计划/自查/指导/述职).",
             props=(_id(), Prop(name="year", zh="年度", type="int", required=True, indexed=True),
                    Prop(name="stage", zh="环节", required=True, choices=tuple(WORK_STAGES)),
                    Prop(name="held_on", zh="日期", type="date"),
                    Prop(name="note", zh="备注"), SOURCE)),
)

_PARTY = ("DistrictCommittee", "WorkingCommittee", "CommunityCommittee", "GridBranch",
          "PartyGroup", "CentralHousehold")
_TERRITORY = ("District", "Street", "Community", "Grid", "Compound")

REL_KINDS: tuple[RelKind, ...] = (
    RelKind(type="IN", zh="属于", description="Territory hierarchy: grid in community in street ….",
            sources=("Compound", "Grid", "Community", "Street"),
            targets=("Grid", "Community", "Street", "District"), linkage=True, single=True),
    RelKind(type="LEADS", zh="领导", description="Party organisation leads the next level down.",
            sources=_PARTY,
            targets=(*_PARTY, "ResidentsCommittee", "OwnersCommittee", "PropertyCompany")),
    RelKind(type="RESPONSIBLE_FOR", zh="负责", description="Party organisation's area.",
            sources=_PARTY, targets=_TERRITORY, linkage=True),
    RelKind(type="SIGNED", zh="签订", description="Unit signed a co-building agreement (一书).",
            sources=("Unit",), targets=("Agreement",)),
    RelKind(type="WITH", zh="签约社区", description="Agreement is with a community.",
            sources=("Agreement",), targets=("Community",)),
    RelKind(type="CO_BUILDS", zh="共建", description="Shortcut: unit co-builds with a community.",
            sources=("Unit",), targets=("Community",), linkage=True),
    RelKind(type="OFFERS", zh="提供", description="Unit offers a resource (共治资源清单).",
            sources=("Unit",), targets=("Resource",)),
    RelKind(type="RAISED_AT", zh="提出于", description="Need raised at a grid or community.",
            sources=("Need",), targets=("Grid", "Community")),
    RelKind(type="BY", zh="承办单位", description="Service project run by a unit.",
            sources=("ServiceProject",), targets=("Unit",)),
    RelKind(type="FOR", zh="服务社区", description="Service project for a community.",
            sources=("ServiceProject",), targets=("Community",)),
    RelKind(type="MEETS", zh="满足", description="Service project meets a need.",
            sources=("ServiceProject",), targets=("Need",)),
    RelKind(type="USES", zh="使用", description="Service project uses a resource.",
            sources=("ServiceProject",), targets=("Resource",)),
    RelKind(type="MEMBER_OF", zh="成员单位", description="Unit is a member of 大工委 / 联合党委.",
            sources=("Unit",), targets=_PARTY, linkage=True),
    RelKind(type="WORKS_AT", zh="就职于", description="Cadre works at a unit.",
            sources=("Cadre",), targets=("Unit",), linkage=True, single=True),
    RelKind(type="REPORTS_TO", zh="报到", description="Cadre reports to a community (双报到).",
            sources=("Cadre",), targets=("Community",), linkage=True, single=True),
    RelKind(type="HANDLED", zh="办理", description="Cadre handled a need (the 660 matters).",
            sources=("Cadre",), targets=("Need",)),
    RelKind(type="LOCATED_IN", zh="位于", description="Station in a community; unit in a street.",
            sources=("Station", "Unit", "ResidentsCommittee", "OwnersCommittee", "PropertyCompany"),
            targets=("Community", "Street"), linkage=True),
    RelKind(type="UNDER", zh="隶属", description="District department (区直部门) under the district "
            "committee (区委): the chain 区委 — 区直部门 — 街道党工委; derived by the load.",
            sources=("Unit",), targets=("DistrictCommittee",)),
    RelKind(type="RUNS", zh="运营", description="Unit runs a station.",
            sources=("Unit",), targets=("Station",)),
    RelKind(type="ORGANISED", zh="主办", description="Unit or party organisation organised a training class.",
            sources=("Unit", *_PARTY), targets=("Training",)),
    RelKind(type="STAGE_OF", zh="所属社区", description="A 四点一线 stage record belongs to a community.",
            sources=("WorkStage",), targets=("Community",), single=True),
    RelKind(type="ESCALATED_TO", zh="吹哨", description="Need escalated to a street (街道吹哨).",
            sources=("Need",), targets=("Street",),
            props=(Prop(name="at", zh="时间", type="datetime"), Prop(name="by", zh="操作人"))),
    RelKind(type="CALLED", zh="吹哨点名", description="Escalated need calls a department in (街道吹哨、部门报到): "
            "only the called departments see and answer it.",
            sources=("Need",), targets=("Unit",),
            props=(Prop(name="at", zh="时间", type="datetime"), Prop(name="by", zh="操作人"))),
    RelKind(type="ANSWERED", zh="报到响应", description="Department answered an escalation (部门报到).",
            sources=("Unit",), targets=("Need",),
            props=(Prop(name="at", zh="时间", type="datetime"), Prop(name="by", zh="操作人"),
                   Prop(name="note", zh="说明"))),
    RelKind(type="MATCHED_TO", zh="配对", description="Pairing result written back by a plan.",
            sources=("Need",), targets=("Resource",), key_props=("plan_id",),
            props=(Prop(name="plan_id", zh="方案编号", required=True),
                   Prop(name="rank", zh="序号", type="int"),
                   Prop(name="hops", zh="跳数", type="int"),
                   Prop(name="quantity", zh="数量", type="int"),
                   Prop(name="score", zh="得分", type="float"))),
    RelKind(type="DISPATCHED_TO", zh="派单", description="Need dispatched to a resource (派单).",
            sources=("Need",), targets=("Resource",),
            props=(Prop(name="quantity", zh="数量", type="int"), Prop(name="at", zh="时间", type="datetime"),
                   Prop(name="by", zh="操作人"))),
)


NEED_STATUS_RANK: dict[str, int] = {"ordered": 0, "accepted": 1, "escalated": 2, "dispatched": 3, "done": 4}
"""How far along its lifecycle a need state is (a reload never moves a need to a lower rank;
a list showing a higher one is applied as a transition by 导入)."""

LOAD_STAMPS: tuple[Prop, ...] = (
    Prop(name="dataset", zh="数据集"),
    Prop(name="loaded_by", zh="导入批次"),
    Prop(name="retired_on", zh="停用时间", type="datetime"),
    Prop(name="retired_by", zh="停用批次"),
)
"""Properties a load stamps on every node and relationship it writes (Cartography-style):
``dataset`` (the district whose lists they came from) and ``loaded_by`` (the load id). A node
of that dataset the latest load did not stamp is *retired*: ``retired_on`` / ``retired_by``
are set, it stays in the store (history, dispatches) and every read query leaves it out. A
relationship of that dataset between live nodes the latest load did not stamp is deleted."""

LIFECYCLE_RELS = ("ESCALATED_TO", "CALLED", "ANSWERED", "MATCHED_TO", "DISPATCHED_TO")
"""Relationship types owned by orglink (lifecycle and plans), never written by a load."""


class Model(BaseModel):
    """The whole model: node kinds and relationship types, with lookups."""

    model_config = ConfigDict(frozen=True)

    nodes: tuple[NodeKind, ...]
    rels: tuple[RelKind, ...]

    @cached_property
    def _node_by_label(self) -> dict[str, NodeKind]:
        return {n.label: n for n in self.nodes}

    @cached_property
    def _rel_by_type(self) -> dict[str, RelKind]:
        return {r.type: r for r in self.rels}

    def node(self, label: str) -> NodeKind:
        """Return the node kind whose primary label is ``label`` (whitelist check)."""
        try:
            return self._node_by_label[label]
        except KeyError:
            raise KeyError(f"unknown node label {label!r}") from None

    def rel(self, type_: str) -> RelKind:
        """Return the relationship kind ``type_`` (whitelist check)."""
        try:
            return self._rel_by_type[type_]
        except KeyError:
            raise KeyError(f"unknown relationship type {type_!r}") from None

    @cached_property
    def labels(self) -> tuple[str, ...]:
        """Every label, primary and secondary, in declaration order."""
        return tuple(dict.fromkeys(lab for n in self.nodes for lab in n.all_labels))

    @property
    def rel_types(self) -> tuple[str, ...]:
        """Every relationship type."""
        return tuple(r.type for r in self.rels)

    @property
    def linkage_types(self) -> tuple[str, ...]:
        """Relationship types that count as hops in nearest matching."""
        return tuple(r.type for r in self.rels if r.linkage)

    @property
    def territory_labels(self) -> tuple[str, ...]:
        """Labels of the territory hierarchy (District … Compound)."""
        return tuple(n.label for n in self.nodes if n.territory)

    @property
    def property_keys(self) -> tuple[str, ...]:
        """Every property key used by any node or relationship."""
        out: list[str] = []
        for n in self.nodes:
            out += [p.name for p in n.props if p.name not in out]
        for r in self.rels:
            out += [p.name for p in r.props if p.name not in out]
        out += [p.name for p in LOAD_STAMPS if p.name not in out]
        return tuple(out)

    def primary_of(self, labels: list[str] | tuple[str, ...]) -> str:
        """The primary label among a node's ``labels`` (raises ``KeyError`` if none is)."""
        for lab in labels:
            if lab in self._node_by_label:
                return lab
        raise KeyError(f"no primary label among {labels!r}")

    @cached_property
    def shared_labels(self) -> tuple[str, ...]:
        """Secondary labels several kinds share one id space under (``PartyOrg``): a row of
        the lists that changes kind keeps its id, so the node of the old kind goes."""
        return tuple(dict.fromkeys(lab for n in self.nodes for lab in n.extra_labels))

    def labels_sharing(self, shared: str) -> tuple[str, ...]:
        """The primary labels of the kinds carrying secondary label ``shared``."""
        return tuple(n.label for n in self.nodes if shared in n.extra_labels)

    def check_label(self, label: str) -> str:
        """Return ``label`` if it is in the whitelist, else raise ``KeyError``."""
        if label not in self.labels:
            raise KeyError(f"label {label!r} is not in the model")
        return label

    def check_rel_type(self, type_: str) -> str:
        """Return ``type_`` if it is in the whitelist, else raise ``KeyError``."""
        if type_ not in self.rel_types:
            raise KeyError(f"relationship type {type_!r} is not in the model")
        return type_


MODEL = Model(nodes=NODE_KINDS, rels=REL_KINDS)
"""The model instance everything else reads."""
