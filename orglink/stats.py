"""Graph statistics shared by ``orglink stats`` and the API."""

from __future__ import annotations

from typing import Any, NamedTuple

from orglink import queries
from orglink.graph.model import STATION_SERVICES
from orglink.graph.store import Store
from orglink.queries.organisation_twins import territory_figures


class Figure(NamedTuple):
    """How one figure is shown: its Chinese label, unit and what the document says."""

    key: str
    label: str
    unit: str
    document: str | None = None  # the document's number as it words it (None: not in it)


FIGURES: tuple[Figure, ...] = (
    # territory (named query territory_figures)
    Figure("communities", "社区", "个", "40"),
    Figure("grids", "网格", "个", "202"),
    Figure("grid_branches", "网格党支部", "个", "38"),
    Figure("grid_party_groups", "网格党小组", "个", "244"),  # document_figures
    # 双报到 and the 区直部门 tier
    Figure("departments", "区直部门", "个", "45"),
    Figure("departments_under_committee", "隶属区委的区直部门", "个", "45"),
    Figure("department_party_members", "区直部门到社区报到的党员", "名", "1500余"),
    Figure("reporting_cadres", "到社区报到的干部", "名"),  # document_figures
    Figure("done_needs", "办结的民生事项", "件", "660"),  # document_figures
    Figure("memberships", "大工委、联合党委成员关系", "条"),
    # stations
    Figure("warm_stations", "暖“新”驿站", "个", "24"),  # document_figures
    Figure("driver_homes", "司机之家", "个", "1"),  # document_figures
    # the five: 免费饮水、热饭、手机充电、无线网络、远程教育电视 (orglink.graph.model.STATION_SERVICES)
    Figure("stations_with_all_services", "提供五项服务的驿站", "个", "24+1"),
    Figure("station_served", "驿站累计服务", "人次", "1000余"),
    # 四位一体
    Figure("owners_committees", "业主委员会", "个", "4"),
    Figure("owners_party_share", "业委会成员中党员占比", "%", "53.43"),  # document_figures
    # training (document_figures; the training helper's keys): add new training figures here
    Figure("training_classes", "社区工作者专题培训班", "期", "近20"),
    Figure("training_person_times", "专题培训", "人次", "1100余"),
    Figure("exam_classes", "专家考前辅导班", "期", "4"),
    Figure("exam_person_times", "考前辅导", "人次", "800余"),
)
"""Every figure of ``figures`` with its Chinese label, in display order. A key the queries
return without an entry here is still shown (its key as label), after these."""


def document_figure_values(store: Store) -> dict[str, Any]:
    """The document's figures as found in the graph: named queries ``document_figures`` (need,
    station, owners' committee and training figures) and ``territory_figures`` (territory,
    departments, stations' services and people served), one dict."""
    services = [[name, *short] for name, short in STATION_SERVICES.items()]
    return {**queries.document_figures(store)[0], **territory_figures(store, services=services)[0]}


def figure_table(figures: dict[str, Any]) -> list[dict[str, Any]]:
    """``figures`` as rows ``{key, label, value, unit, document}`` for display (:data:`FIGURES`
    order; keys it does not list follow, labelled by their key)."""
    known = {f.key for f in FIGURES}
    rows = [{"key": f.key, "label": f.label, "value": figures[f.key], "unit": f.unit, "document": f.document}
            for f in FIGURES if f.key in figures]
    rows += [{"key": k, "label": k, "value": v, "unit": "", "document": None}
             for k, v in figures.items() if k not in known]
    return rows


def graph_stats(store: Store) -> dict[str, Any]:
    """``{"nodes": {label: n}, "relationships": {type: n}, "figures": {...}, "figure_table": [...]}``.

    ``figures`` holds the source document's numbers as found in the graph (key -> value; see
    :func:`document_figure_values`), ``figure_table`` the same with Chinese labels
    (:func:`figure_table`); both are empty for an empty store.
    """
    counts = store.counts()
    figures = document_figure_values(store) if counts["nodes"] else {}
    return {"nodes": counts["nodes"], "relationships": counts["relationships"], "figures": figures,
            "figure_table": figure_table(figures)}
