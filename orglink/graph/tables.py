"""Declaration of the list tables a district hands over, mapped onto the model.

Each :class:`Table` says which node label a row becomes, which columns are properties and
which are references that become relationships. The loaders read only this declaration
(and :data:`orglink.graph.model.MODEL`), so a new column is added here and nowhere else.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from orglink.graph.model import (
    CATEGORIES,
    MODEL,
    NEED_STATUS_WORDS,
    NEED_STATUSES,
    PARTY_ORG_LEVELS,
    PROPERTY_KINDS,
    SCOPES,
    TRAINING_KINDS,
    URGENCIES,
    WORK_STAGES,
)

_SOURCE_VALUES = {"文件": "document", "document": "document", "原文": "document",
                  "synthetic": "synthetic", "合成": "synthetic", "模拟": "synthetic",
                  "user": "user", "录入": "user"}


def _inverse(d: dict[str, str]) -> dict[str, str]:
    """Accept both the stored value and its Chinese label: {input: stored}."""
    out = {k: k for k in d}
    out.update({v: k for k, v in d.items()})
    return out


class Column(BaseModel):
    """One column of a table: a property of the row's node, or a reference."""

    model_config = ConfigDict(frozen=True)

    name: str  # English header
    zh: str  # Chinese header
    required: bool = False
    prop: str | None = None  # node property it fills (None for references)
    # reference: labels the referenced row may have, and the relationship it creates
    ref: tuple[str, ...] = ()
    rel: str | None = None
    reverse: bool = False  # relationship points from the referenced node to this row's node
    many: bool = False  # cell holds a list of references
    values: dict[str, str] | None = None  # accepted input -> stored value

    @property
    def is_ref(self) -> bool:
        """True when the column refers to other rows."""
        return bool(self.ref)


class Link(BaseModel):
    """A relationship between two reference columns of the same row (e.g. memberships)."""

    model_config = ConfigDict(frozen=True)

    rel: str
    source: str  # column name
    target: str  # column name


class Table(BaseModel):
    """A list table: one row -> one node (unless ``label`` is None) plus relationships."""

    model_config = ConfigDict(frozen=True)

    name: str
    zh: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    label: str | None = None
    label_column: str | None = None  # label chosen by this column's stored value …
    label_map: dict[str, str] | None = None  # … through this map (value -> label)
    columns: tuple[Column, ...]
    links: tuple[Link, ...] = ()

    def column(self, name: str) -> Column:
        """Return the column called ``name`` (English)."""
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def labels(self) -> tuple[str, ...]:
        """The node labels this table's rows may become."""
        if self.label:
            return (self.label,)
        if self.label_map:
            return tuple(dict.fromkeys(self.label_map.values()))
        return ()


def _p(name: str, zh: str, required: bool = False, values: dict[str, str] | None = None) -> Column:
    return Column(name=name, zh=zh, prop=name, required=required, values=values)


ID = _p("id", "编号", required=True)
SOURCE = _p("source", "来源", values=_SOURCE_VALUES)
_CATS = {**{k: k for k in CATEGORIES}, **{v: k for k, v in CATEGORIES.items()}}
_PARTY_LABELS = tuple(dict.fromkeys(PARTY_ORG_LEVELS.values()))
_TERRITORY = MODEL.territory_labels

TABLES: tuple[Table, ...] = (
    Table(name="district", zh="区", label="District",
          columns=(ID, _p("name", "名称", True), SOURCE)),
    Table(name="streets", zh="街道", required=True, label="Street",
          columns=(ID, _p("name", "名称", True), _p("kind", "类型"),
                   Column(name="district", zh="所属区", ref=("District",), rel="IN"), SOURCE)),
    Table(name="communities", zh="社区", required=True, label="Community",
          columns=(ID, _p("name", "名称", True),
                   Column(name="street", zh="所属街道", required=True, ref=("Street",), rel="IN"),
                   SOURCE)),
    Table(name="grids", zh="网格", required=True, label="Grid",
          columns=(ID, _p("name", "名称", True),
                   Column(name="community", zh="所属社区", required=True, ref=("Community",), rel="IN"),
                   _p("lat", "纬度"), _p("lon", "经度"), SOURCE)),
    Table(name="compounds", zh="小区", aliases=("院落",), label="Compound",
          columns=(ID, _p("name", "名称", True),
                   Column(name="grid", zh="所属网格", required=True, ref=("Grid",), rel="IN"),
                   _p("households", "户数"), SOURCE)),
    Table(name="units", zh="单位", required=True, label="Unit",
          columns=(ID, _p("name", "单位名称", True), _p("kind", "单位类型"),
                   _p("department", "是否区直部门"), _p("resident", "是否驻区单位"),
                   Column(name="street", zh="所在街道", ref=("Street",), rel="LOCATED_IN"),
                   _p("lat", "纬度"), _p("lon", "经度"), SOURCE)),
    Table(name="party_orgs", zh="党组织", label_column="level", label_map=PARTY_ORG_LEVELS,
          columns=(ID, _p("name", "名称", True), _p("level", "层级", True),
                   Column(name="parent", zh="上级组织", ref=_PARTY_LABELS, rel="LEADS", reverse=True),
                   Column(name="responsible_for", zh="负责范围", ref=_TERRITORY,
                          rel="RESPONSIBLE_FOR", many=True),
                   SOURCE)),
    Table(name="agreements", zh="共驻共建协议", aliases=("协议",), label="Agreement",
          columns=(ID,
                   Column(name="unit", zh="单位", required=True, ref=("Unit",), rel="SIGNED",
                          reverse=True),
                   Column(name="community", zh="社区", required=True, ref=("Community",), rel="WITH"),
                   _p("signed_on", "签订日期"), SOURCE),
          links=(Link(rel="CO_BUILDS", source="unit", target="community"),)),
    Table(name="resources", zh="资源清单", aliases=("共治资源清单",), required=True, label="Resource",
          columns=(ID,
                   Column(name="unit", zh="提供单位", required=True, ref=("Unit",), rel="OFFERS",
                          reverse=True),
                   _p("title", "资源名称", True), _p("category", "类别", True, _CATS),
                   _p("capacity", "数量", True), _p("measure", "计量单位"), _p("keywords", "关键词"),
                   _p("subtype", "子类"), SOURCE)),
    Table(name="cadres", zh="报到干部", aliases=("干部",), label="Cadre",
          columns=(ID, _p("name", "姓名", True),
                   Column(name="unit", zh="所在单位", ref=("Unit",), rel="WORKS_AT"),
                   Column(name="community", zh="报到社区", ref=("Community",), rel="REPORTS_TO"),
                   _p("party_member", "是否党员"), SOURCE)),
    Table(name="needs", zh="需求清单", aliases=("治理需求清单",), required=True, label="Need",
          columns=(ID, _p("title", "需求名称", True), _p("category", "类别", True, _CATS),
                   _p("quantity", "数量"),
                   Column(name="raised_at", zh="提出网格或社区", required=True,
                          ref=("Grid", "Community"), rel="RAISED_AT"),
                   _p("urgency", "紧急程度", values=_inverse(URGENCIES)),
                   _p("raised_on", "提出日期"),
                   _p("status", "状态", values=_inverse(NEED_STATUSES) | NEED_STATUS_WORDS),
                   _p("scope", "范围", values=_inverse(SCOPES)),
                   Column(name="handled_by", zh="办理干部", ref=("Cadre",), rel="HANDLED",
                          reverse=True),
                   _p("report", "办结报告"), _p("subtype", "子类"), SOURCE)),
    Table(name="projects", zh="项目清单", aliases=("服务项目清单",), label="ServiceProject",
          columns=(ID,
                   Column(name="unit", zh="单位", required=True, ref=("Unit",), rel="BY"),
                   Column(name="community", zh="社区", ref=("Community",), rel="FOR"),
                   Column(name="need", zh="需求", ref=("Need",), rel="MEETS"),
                   Column(name="resource", zh="资源", ref=("Resource",), rel="USES"),
                   _p("title", "项目名称", True), _p("status", "状态"), SOURCE)),
    Table(name="memberships", zh="成员单位",
          columns=(Column(name="unit", zh="单位", required=True, ref=("Unit",)),
                   Column(name="committee", zh="组织", required=True, ref=_PARTY_LABELS)),
          links=(Link(rel="MEMBER_OF", source="unit", target="committee"),)),
    Table(name="stations", zh="驿站", label="Station",
          columns=(ID, _p("name", "名称", True), _p("kind", "类型", True,
                                                     {"暖新驿站": "暖新驿站", "暖\"新\"驿站": "暖新驿站",
                                                      "暖“新”驿站": "暖新驿站", "司机之家": "司机之家",
                                                      "党群服务中心": "党群服务中心"}),
                   Column(name="community", zh="所在社区", required=True, ref=("Community",),
                          rel="LOCATED_IN"),
                   Column(name="run_by", zh="运营单位", ref=("Unit",), rel="RUNS", reverse=True),
                   _p("services", "服务项目"), _p("served", "服务人次"), SOURCE)),
    Table(name="property", zh="物业", label_column="kind", label_map=PROPERTY_KINDS,
          columns=(ID, _p("name", "名称", True), _p("kind", "类型", True),
                   Column(name="community", zh="所在社区", required=True, ref=("Community",),
                          rel="LOCATED_IN"),
                   _p("members", "成员数"), _p("party_members", "党员数"), SOURCE)),
    Table(name="trainings", zh="培训", aliases=("培训班", "社区工作者培训"), label="Training",
          columns=(ID, _p("title", "班次名称", True),
                   _p("kind", "类型", True, _inverse(TRAINING_KINDS)
                      | {f"{v}班": k for k, v in TRAINING_KINDS.items()}),
                   _p("held_on", "日期"), _p("person_times", "人次"),
                   Column(name="organiser", zh="主办单位", ref=("Unit", *_PARTY_LABELS), rel="ORGANISED",
                          reverse=True),
                   SOURCE)),
    Table(name="work_cycle", zh="四点一线", aliases=("四点一线工作",), label="WorkStage",
          columns=(ID,
                   Column(name="community", zh="社区", required=True, ref=("Community",), rel="STAGE_OF"),
                   _p("year", "年度", True),
                   _p("stage", "环节", True, _inverse(WORK_STAGES)
                      | {v[-2:]: k for k, v in WORK_STAGES.items()} | {v[2:]: k for k, v in WORK_STAGES.items()}),
                   _p("held_on", "日期"), _p("note", "备注"), SOURCE)),
)
"""Every table in load order (referenced tables before the tables that refer to them)."""

REQUIRED_TABLES = tuple(t.name for t in TABLES if t.required)


def table(name: str) -> Table:
    """Return the table declaration called ``name`` (English or Chinese, or an alias)."""
    for t in TABLES:
        if name in (t.name, t.zh, *t.aliases):
            return t
    raise KeyError(name)


def _check() -> None:
    """Fail at import if the table declaration strays from the model."""
    for t in TABLES:
        for lab in t.labels:
            kind = MODEL.node(lab)
            for c in t.columns:
                if c.prop and c.prop not in ("kind", "level") and c.prop not in {p.name for p in kind.props}:
                    raise AssertionError(f"{t.name}.{c.name}: {lab} has no property {c.prop}")
        for c in t.columns:
            for lab in c.ref:
                MODEL.node(lab)
            if c.rel:
                MODEL.rel(c.rel)
        for link in t.links:
            MODEL.rel(link.rel)


_check()
