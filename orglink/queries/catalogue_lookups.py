"""The simple lookups, declared: each is a spec (:mod:`orglink.queries.lookups`) and a typed
stub whose parameters are the query's. Their Cypher (the ``.cypher`` file beside this module)
and their embedded implementation are generated from the spec; nothing here is written twice.

To add a lookup: declare it here, run ``python -m orglink.queries.generate`` (writes its
``.cypher`` file), add parameter sets for it in ``tests/queries/test_query_parity.py``.
"""

from __future__ import annotations

from orglink.graph.embedded import EmbeddedGraph
from orglink.graph.query import Rows
from orglink.queries.lookups import (
    CollectIds,
    Count,
    Dump,
    Exists,
    HasLabel,
    LabelOf,
    Lookup,
    Minus,
    Nested,
    Prop,
    Step,
    SumProp,
    SumRel,
    Where,
    WhereExists,
    lookup,
)

PLACE = (Step("p", "n", "RAISED_AT", ("Grid", "Community")),
         Step("c", "p", "IN", ("Community",), or_self=True),
         Step("s", "c", "IN", ("Street",)))
"""Where a need sits: the grid or community it was raised at (p), that place's community (c:
the place itself when it is one) and the community's street (s)."""


# -- territory -------------------------------------------------------------------------------
@lookup(Lookup(
    "list_streets", """\
街道列表 — the district's streets (街道/镇/乡) with their kind and number of communities,
ordered by id; all of them, or only $street.
Parameters: $street (a street id, or null for all)
""",
    label="Street", alias="s", root_where=(Where("s", "street"),),
    columns=(("id", Prop("s", "id")), ("name", Prop("s", "name")), ("kind", Prop("s", "kind")),
             ("communities", Count("s", "IN", "Community"))),
    order=("id",)))
def list_streets(eg: EmbeddedGraph, street: str | None) -> Rows:
    """Streets with their community counts."""
    raise NotImplementedError  # generated from the spec


@lookup(Lookup(
    "list_communities", """\
社区列表 — communities with their street and number of grids, ordered by id; all of them,
those of street $street, or only community $community.
Parameters: $street (a street id or null), $community (a community id or null)
""",
    label="Community", alias="c", root_where=(Where("c", "community"),),
    steps=(Step("s", "c", "IN", ("Street",)),), where=(Where("s", "street"),),
    columns=(("id", Prop("c", "id")), ("name", Prop("c", "name")), ("street", Prop("s", "id")),
             ("street_name", Prop("s", "name")), ("grids", Count("c", "IN", "Grid"))),
    order=("id",)))
def list_communities(eg: EmbeddedGraph, street: str | None, community: str | None) -> Rows:
    """Communities with street and grid count."""
    raise NotImplementedError  # generated from the spec


@lookup(Lookup(
    "list_grids", """\
网格列表 — grids with their community and coordinates, ordered by id; all of them, those of
street $street, or those of community $community.
Parameters: $street (a street id or null), $community (a community id or null)
""",
    label="Grid", alias="g",
    steps=(Step("c", "g", "IN", ("Community",)), Step("s", "c", "IN", ("Street",))),
    where=(Where("c", "community"), Where("s", "street")),
    columns=(("id", Prop("g", "id")), ("name", Prop("g", "name")), ("community", Prop("c", "id")),
             ("lat", Prop("g", "lat")), ("lon", Prop("g", "lon"))),
    order=("id",)))
def list_grids(eg: EmbeddedGraph, street: str | None, community: str | None) -> Rows:
    """Grids with community and coordinates."""
    raise NotImplementedError  # generated from the spec


@lookup(Lookup(
    "list_stations", """\
驿站列表 — 暖"新"驿站, 司机之家 and 党群服务中心 with their services, community and the units
running them, ordered by id; all of them, those of street $street, or of community $community.
Parameters: $street (a street id or null), $community (a community id or null)
""",
    label="Station", alias="st",
    steps=(Step("c", "st", "LOCATED_IN", ("Community",)), Step("s", "c", "IN", ("Street",))),
    where=(Where("c", "community"), Where("s", "street")),
    columns=(("id", Prop("st", "id")), ("name", Prop("st", "name")), ("kind", Prop("st", "kind")),
             ("services", Prop("st", "services")), ("community", Prop("c", "id")),
             ("community_name", Prop("c", "name")), ("run_by", CollectIds("st", "RUNS", "Unit"))),
    order=("id",)))
def list_stations(eg: EmbeddedGraph, street: str | None, community: str | None) -> Rows:
    """Stations with services, community and operators."""
    raise NotImplementedError  # generated from the spec


# -- needs -----------------------------------------------------------------------------------
@lookup(Lookup(
    "list_needs", """\
需求列表 — one page of needs, ordered by id, with the total: filtered by state, community and
category as asked, and by the caller's scope (the streets or communities it may see, or only
needs escalated to a street for a department: an ESCALATED_TO relationship, or the state 已吹哨
as the lists recorded it). Each item carries its place (raised at,
community, street).
Parameters: $status, $community, $category (each null = any), $street_ids, $community_ids
            (lists, null = no restriction), $escalated_only (boolean), $skip, $limit
""",
    label="Need", alias="n",
    root_where=(Where("n", "status", prop="status"), Where("n", "category", prop="category"),
                WhereExists("n", "ESCALATED_TO", "Street", "escalated_only", or_status="escalated")),
    steps=PLACE,
    where=(Where("c", "community"), Where("c", "community_ids", in_list=True),
           Where("s", "street_ids", in_list=True)),
    columns=(("id", Prop("n", "id")), ("title", Prop("n", "title")), ("category", Prop("n", "category")),
             ("quantity", Prop("n", "quantity")), ("urgency", Prop("n", "urgency")),
             ("status", Prop("n", "status")), ("scope", Prop("n", "scope")),
             ("raised_on", Prop("n", "raised_on", as_string=True)), ("raised_at", Prop("p", "id")),
             ("community", Prop("c", "id")), ("street", Prop("s", "id")),
             ("called", CollectIds("n", "CALLED", "Unit", out=True))),
    order=("id",), page=True))
def list_needs(eg: EmbeddedGraph, status: str | None, community: str | None, category: str | None,
               street_ids: list[str] | None, community_ids: list[str] | None,
               escalated_only: bool, skip: int, limit: int) -> Rows:
    """One page of needs and the total."""
    raise NotImplementedError  # generated from the spec


@lookup(Lookup(
    "need_place", """\
需求位置 — where one need sits, for permission checks and the lifecycle: its state, category
and quantity, the grid or community it was raised at, that place's community and street, and
whether it has been escalated (吹哨) to a street (an ESCALATED_TO relationship, or the state
已吹哨 as the lists recorded it).
Parameters: $need_id
""",
    label="Need", alias="n", key="need_id", steps=PLACE,
    columns=(("id", Prop("n", "id")), ("status", Prop("n", "status")), ("category", Prop("n", "category")),
             ("subtype", Prop("n", "subtype")),
             ("quantity", Prop("n", "quantity")), ("raised_at", Prop("p", "id")),
             ("community", Prop("c", "id")), ("street", Prop("s", "id")),
             ("escalated", Exists("n", "ESCALATED_TO", "Street", out=True, or_status="escalated")),
             ("called", CollectIds("n", "CALLED", "Unit", out=True))),
    order=()))
def need_place(eg: EmbeddedGraph, need_id: str) -> Rows:
    """Where a need sits."""
    raise NotImplementedError  # generated from the spec


@lookup(Lookup(
    "need_get", """\
需求详情 — one need with everything a planner or a calling system needs to follow it: its
properties, its audit trail (history, JSON text), the place it was raised at with community and
street, its dispatches (派单, with the resource and the unit offering it), escalations (吹哨)
and the departments' answers (报到), each ordered by time.
Parameters: $need_id
""",
    label="Need", alias="n", key="need_id", steps=PLACE,
    columns=(
        ("id", Prop("n", "id")), ("title", Prop("n", "title")), ("category", Prop("n", "category")),
        ("subtype", Prop("n", "subtype")), ("subtype_basis", Prop("n", "subtype_basis")),
        ("keywords", Prop("n", "keywords")),
        ("quantity", Prop("n", "quantity")), ("urgency", Prop("n", "urgency")),
        ("raised_on", Prop("n", "raised_on", as_string=True)), ("status", Prop("n", "status")),
        ("scope", Prop("n", "scope")), ("report", Prop("n", "report")), ("history", Prop("n", "history")),
        ("source", Prop("n", "source")),
        ("raised_at", Prop("p", "id")), ("raised_at_label", LabelOf("p", ("Grid", "Community"))),
        ("raised_at_name", Prop("p", "name")),
        ("community", Prop("c", "id")), ("community_name", Prop("c", "name")),
        ("street", Prop("s", "id")), ("street_name", Prop("s", "name")),
        ("dispatches", Nested(
            Step("r", "n", "DISPATCHED_TO", ("Resource",), each=True, required=True, rel_alias="d"),
            firsts=(Step("u", "r", "OFFERS", ("Unit",), out=False),),
            columns=(("resource_id", Prop("r", "id")), ("resource_title", Prop("r", "title")),
                     ("unit_id", Prop("u", "id")), ("quantity", Prop("d", "quantity")),
                     ("at", Prop("d", "at", as_string=True)), ("by", Prop("d", "by"))),
            order=(Prop("d", "at", as_string=True), Prop("r", "id")))),
        ("escalations", Nested(
            Step("st", "n", "ESCALATED_TO", ("Street",), each=True, required=True, rel_alias="e"),
            columns=(("street", Prop("st", "id")), ("street_name", Prop("st", "name")),
                     ("at", Prop("e", "at", as_string=True)), ("by", Prop("e", "by"))),
            order=(Prop("e", "at", as_string=True), Prop("st", "id")))),
        ("called", CollectIds("n", "CALLED", "Unit", out=True)),
        ("evaluation", Prop("n", "evaluation")), ("evaluation_note", Prop("n", "evaluation_note")),
        ("answers", Nested(
            Step("u", "n", "ANSWERED", ("Unit",), out=False, each=True, required=True, rel_alias="a"),
            columns=(("unit_id", Prop("u", "id")), ("unit_name", Prop("u", "name")),
                     ("at", Prop("a", "at", as_string=True)), ("by", Prop("a", "by")),
                     ("note", Prop("a", "note"))),
            order=(Prop("a", "at", as_string=True), Prop("u", "id")))),
    ),
    order=()))
def need_get(eg: EmbeddedGraph, need_id: str) -> Rows:
    """One need with its place, dispatches, escalations and answers."""
    raise NotImplementedError  # generated from the spec


# -- units and resources ---------------------------------------------------------------------
@lookup(Lookup(
    "unit_brief", """\
单位简况 — a unit's id, name and kind, whether it is a district department (区直部门, label
Department, which may answer escalated needs — 部门报到) and whether it is a resident unit
(驻区单位, label ResidentUnit).
Parameters: $unit_id
""",
    label="Unit", alias="u", key="unit_id",
    columns=(("id", Prop("u", "id")), ("name", Prop("u", "name")), ("kind", Prop("u", "kind")),
             ("department", HasLabel("u", "Department")), ("resident", HasLabel("u", "ResidentUnit"))),
    order=()))
def unit_brief(eg: EmbeddedGraph, unit_id: str) -> Rows:
    """A unit's id, name and whether it is a district department."""
    raise NotImplementedError  # generated from the spec


@lookup(Lookup(
    "report_meta", """\
报告抬头 — the district's id and name and the load id its node carries (loaded_by =
load-YYYYMMDDTHHMMSS-…, the time the lists were last loaded): the title block of a report.
Parameters: none
""",
    label="District", alias="d",
    columns=(("id", Prop("d", "id")), ("name", Prop("d", "name")), ("loaded_by", Prop("d", "loaded_by"))),
    order=("id",)))
def report_meta(eg: EmbeddedGraph) -> Rows:
    """The district's name and its load stamp."""
    raise NotImplementedError  # generated from the spec


@lookup(Lookup(
    "list_units", """\
单位列表 — every unit with its kind, whether it is a district department or a resident unit,
the street it is located in, its coordinates, how many resources it offers and their total
capacity (数量), ordered by id; all of them, or those located in street $street.
Parameters: $street (a street id or null)
""",
    label="Unit", alias="u",
    steps=(Step("s", "u", "LOCATED_IN", ("Street",)),), where=(Where("s", "street"),),
    columns=(("id", Prop("u", "id")), ("name", Prop("u", "name")), ("kind", Prop("u", "kind")),
             ("department", HasLabel("u", "Department")), ("resident", HasLabel("u", "ResidentUnit")),
             ("street", Prop("s", "id")), ("lat", Prop("u", "lat")), ("lon", Prop("u", "lon")),
             ("resources", Count("u", "OFFERS", "Resource", out=True)),
             ("capacity", SumProp("u", "OFFERS", "Resource", out=True, prop="capacity"))),
    order=("id",)))
def list_units(eg: EmbeddedGraph, street: str | None) -> Rows:
    """Units with street, coordinates and their resources' count and capacity."""
    raise NotImplementedError  # generated from the spec


@lookup(Lookup(
    "unit_communities", """\
单位报到社区 — the communities a unit's cadres report to (双报到) and the street of each: the
area a district department's token sees. One row per cadre and community, ordered by
community id then cadre id; a unit without reporting cadres gives no rows.
Parameters: $unit_id
""",
    label="Unit", alias="u", key="unit_id",
    steps=(Step("k", "u", "WORKS_AT", ("Cadre",), out=False, each=True, required=True),
           Step("c", "k", "REPORTS_TO", ("Community",), each=True, required=True),
           Step("s", "c", "IN", ("Street",))),
    columns=(("community_id", Prop("c", "id")), ("street_id", Prop("s", "id")), ("cadre_id", Prop("k", "id"))),
    order=("community_id", "cadre_id")))
def unit_communities(eg: EmbeddedGraph, unit_id: str) -> Rows:
    """The communities a unit's cadres report to, with their streets."""
    raise NotImplementedError  # generated from the spec


@lookup(Lookup(
    "street_departments", """\
街道联系部门 — the district departments (区直部门) whose cadres report to a community of one
street (双报到): whom a whistle (吹哨) of that street calls in by default. One row per
department and community, ordered by unit id then community id.
Parameters: $street_id
""",
    label="Street", alias="s", key="street_id",
    steps=(Step("c", "s", "IN", ("Community",), out=False, each=True, required=True),
           Step("k", "c", "REPORTS_TO", ("Cadre",), out=False, each=True, required=True),
           Step("u", "k", "WORKS_AT", ("Department",), each=True, required=True)),
    columns=(("unit_id", Prop("u", "id")), ("unit_name", Prop("u", "name")), ("community_id", Prop("c", "id"))),
    order=("unit_id", "community_id")))
def street_departments(eg: EmbeddedGraph, street_id: str) -> Rows:
    """The departments whose cadres report to a community of the street."""
    raise NotImplementedError  # generated from the spec


@lookup(Lookup(
    "need_timelines", """\
需求时间线 — every need with what deadlines (时限), 督办 and the monthly assessment (考核) are
computed from: urgency, state, raised date, audit trail (history, JSON text), evaluation (评价),
its community and street, the departments a whistle called (CALLED), those that answered
(ANSWERED) and the units of the cadres who handled it (HANDLED). One row per need, by id.
Parameters: none
""",
    label="Need", alias="n", steps=PLACE,
    columns=(("id", Prop("n", "id")), ("title", Prop("n", "title")), ("category", Prop("n", "category")),
             ("urgency", Prop("n", "urgency")), ("status", Prop("n", "status")),
             ("raised_on", Prop("n", "raised_on", as_string=True)), ("history", Prop("n", "history")),
             ("evaluation", Prop("n", "evaluation")),
             ("community", Prop("c", "id")), ("community_name", Prop("c", "name")),
             ("street", Prop("s", "id")),
             ("escalated", Exists("n", "ESCALATED_TO", "Street", out=True, or_status="escalated")),
             ("called", CollectIds("n", "CALLED", "Unit", out=True)),
             ("answered", CollectIds("n", "ANSWERED", "Unit", out=False))),
    order=("id",)))
def need_timelines(eg: EmbeddedGraph) -> Rows:
    """Every need with its deadlines' inputs."""
    raise NotImplementedError  # generated from the spec


@lookup(Lookup(
    "handled_matters", """\
干部办理事项 — every need a cadre handled (HANDLED: the 660 matters of 双报到) with the unit
the cadre works at: a department's matters in the monthly assessment (考核). One row per
need and cadre, ordered by need id then cadre id.
Parameters: none
""",
    label="Cadre", alias="k",
    steps=(Step("n", "k", "HANDLED", ("Need",), each=True, required=True),
           Step("u", "k", "WORKS_AT", ("Unit",), each=True, required=True)),
    columns=(("need_id", Prop("n", "id")), ("cadre_id", Prop("k", "id")), ("unit_id", Prop("u", "id"))),
    order=("need_id", "cadre_id")))
def handled_matters(eg: EmbeddedGraph) -> Rows:
    """Every need a cadre handled, with the cadre's unit."""
    raise NotImplementedError  # generated from the spec


DISPATCHED = SumRel("r", "DISPATCHED_TO", "Need", prop="quantity")
"""The quantity already dispatched from resource r (a missing quantity counts 0)."""


@lookup(Lookup(
    "resource_usage", """\
资源余量 — one resource's capacity, the quantity already dispatched from it (sum of every
DISPATCHED_TO into it; a missing quantity counts 0), what remains, and the unit offering it.
Parameters: $resource_id
""",
    label="Resource", alias="r", key="resource_id",
    steps=(Step("u", "r", "OFFERS", ("Unit",), out=False),),
    columns=(("id", Prop("r", "id")), ("title", Prop("r", "title")), ("category", Prop("r", "category")),
             ("subtype", Prop("r", "subtype")),
             ("capacity", Prop("r", "capacity")), ("used", DISPATCHED),
             ("remaining", Minus(Prop("r", "capacity", default=0), DISPATCHED)), ("unit", Prop("u", "id"))),
    order=()))
def resource_usage(eg: EmbeddedGraph, resource_id: str) -> Rows:
    """A resource's capacity, what is dispatched from it and what is left."""
    raise NotImplementedError  # generated from the spec


@lookup(Lookup(
    "resource_supply", """\
资源余量 — every resource a unit offers (共治资源清单): its category, sub-type (子类) and
keywords (关键词), capacity, the quantity already dispatched to it (sum of DISPATCHED_TO quantities; a missing
quantity counts 0) and what remains (capacity minus dispatched; pairing plans do not consume
capacity).
Parameters: none
""",
    label="Resource", alias="r",
    steps=(Step("u", "r", "OFFERS", ("Unit",), out=False, each=True, required=True),),
    columns=(("resource_id", Prop("r", "id")), ("resource_title", Prop("r", "title")),
             ("category", Prop("r", "category")), ("subtype", Prop("r", "subtype")),
             ("keywords", Prop("r", "keywords")),
             ("capacity", Prop("r", "capacity", default=0)), ("dispatched", DISPATCHED),
             ("remaining", Minus(Prop("r", "capacity", default=0), DISPATCHED)),
             ("unit_id", Prop("u", "id")), ("unit_name", Prop("u", "name"))),
    order=("resource_id", "unit_id")))
def resource_supply(eg: EmbeddedGraph) -> Rows:
    """Every offered resource: category, capacity, dispatched quantity, what remains, its unit."""
    raise NotImplementedError  # generated from the spec


@lookup(Lookup(
    "community_cadres", """\
到社区报到的干部 — the cadres who report to one community (双报到): masked name, party
membership, the unit each works at, and how many needs (matters) each has handled.
One row per cadre and unit, ordered by unit id then cadre id. A community that does not
exist, or has no reporting cadres, gives no rows.
Columns: cadre_id, name, party_member, unit_id, unit_name, handled
Parameters: $community_id (a community id, e.g. 'C001')
""",
    label="Community", alias="c", key="community_id",
    steps=(Step("k", "c", "REPORTS_TO", ("Cadre",), out=False, each=True, required=True),
           Step("u", "k", "WORKS_AT", ("Unit",), each=True)),
    columns=(("cadre_id", Prop("k", "id")), ("name", Prop("k", "name")),
             ("party_member", Prop("k", "party_member")), ("unit_id", Prop("u", "id")),
             ("unit_name", Prop("u", "name")), ("handled", Count("k", "HANDLED", "Need", out=True))),
    order=("unit_id", "cadre_id")))
def community_cadres(eg: EmbeddedGraph, community_id: str) -> Rows:
    """Cadres reporting to one community."""
    raise NotImplementedError  # generated from the spec


# -- plans and the report --------------------------------------------------------------------
@lookup(Lookup(
    "get_plan", """\
已存方案 — the assignments of stored pairing plan $plan_id: each (need)-[:MATCHED_TO]->(resource)
of that plan with its quantity, hops and rank, and the unit offering the resource.
Parameters: $plan_id (string)
""",
    label="Need", alias="n",
    steps=(Step("r", "n", "MATCHED_TO", ("Resource",), each=True, required=True, rel_alias="m",
                rel_where=(Where("m", "plan_id", prop="plan_id", nullable=False),)),
           Step("u", "r", "OFFERS", ("Unit",), out=False, each=True)),
    columns=(("need_id", Prop("n", "id")), ("need_title", Prop("n", "title")),
             ("category", Prop("n", "category")), ("resource_id", Prop("r", "id")),
             ("resource_title", Prop("r", "title")), ("unit_id", Prop("u", "id")),
             ("unit_name", Prop("u", "name")), ("quantity", Prop("m", "quantity")),
             ("hops", Prop("m", "hops")), ("rank", Prop("m", "rank"))),
    order=("need_id", "rank", "resource_id", "unit_id")))
def get_plan(eg: EmbeddedGraph, plan_id: str) -> Rows:
    """The assignments stored for ``plan_id`` (MATCHED_TO relationships)."""
    raise NotImplementedError  # generated from the spec


@lookup(Lookup(
    "report_places", """\
配对报告·辖区 — every community with the street it belongs to, so the report's summary
lists every street and community, also those without open needs. Communities not linked
to a street come with a null street. Ordered by street id, then community id.
Parameters: none
""",
    label="Community", alias="c",
    steps=(Step("s", "c", "IN", ("Street",), each=True),),
    columns=(("street_id", Prop("s", "id")), ("street_name", Prop("s", "name")),
             ("community_id", Prop("c", "id")), ("community_name", Prop("c", "name"))),
    order=("street_id", "community_id")))
def report_places(eg: EmbeddedGraph) -> Rows:
    """Every community with its street."""
    raise NotImplementedError  # generated from the spec


@lookup(Lookup(
    "report_needs", """\
配对报告·需求 — for each need named in $need_ids: its title, category, sub-type (子类),
keywords (关键词), quantity, status, urgency and scope, the grid or community it was raised at, and the community and street it
belongs to (a need raised at a grid belongs to the grid's community). Needs that do not exist
are left out. One row per need, ordered by need id.
Parameters: $need_ids (list of need ids, e.g. the needs of one pairing plan)
""",
    label="Need", alias="n", root_where=(Where("n", "need_ids", in_list=True, nullable=False),),
    steps=PLACE,
    columns=(("need_id", Prop("n", "id")), ("title", Prop("n", "title")), ("category", Prop("n", "category")),
             ("subtype", Prop("n", "subtype")), ("keywords", Prop("n", "keywords")),
             ("quantity", Prop("n", "quantity", default=1)), ("status", Prop("n", "status")),
             ("urgency", Prop("n", "urgency")), ("scope", Prop("n", "scope")),
             ("place_id", Prop("p", "id")), ("place_name", Prop("p", "name")),
             ("community_id", Prop("c", "id")), ("community_name", Prop("c", "name")),
             ("street_id", Prop("s", "id")), ("street_name", Prop("s", "name"))),
    order=("need_id",)))
def report_needs(eg: EmbeddedGraph, need_ids: list[str]) -> Rows:
    """Each named need with its place, community and street."""
    raise NotImplementedError  # generated from the spec


@lookup(Lookup(
    "plan_needs", """\
规划需求 — what the pairing plan's costs need of each need named in $need_ids: its urgency,
sub-type (子类) and keywords (关键词). Needs that do not exist are left out. One row per need,
ordered by need id.
Parameters: $need_ids (list of need ids: the open needs of a plan)
""",
    label="Need", alias="n", root_where=(Where("n", "need_ids", in_list=True, nullable=False),),
    columns=(("need_id", Prop("n", "id")), ("urgency", Prop("n", "urgency")),
             ("subtype", Prop("n", "subtype")), ("keywords", Prop("n", "keywords"))),
    order=("need_id",)))
def plan_needs(eg: EmbeddedGraph, need_ids: list[str]) -> Rows:
    """Each named need's urgency, sub-type and keywords (what the plan's costs read)."""
    raise NotImplementedError  # generated from the spec


# -- the whole graph -------------------------------------------------------------------------
@lookup(Dump("graph_nodes", """\
全图节点 — every node with its labels (sorted) and all its properties.
Used to take a digest of the whole graph (a reload must not change it; a failed load
must leave it as it was) and to export the graph.
Parameters: none
""", what="nodes"))
def graph_nodes(eg: EmbeddedGraph) -> Rows:
    """Every node: ``labels`` (sorted), ``id`` and ``props`` (all properties), ordered."""
    raise NotImplementedError  # generated from the spec


@lookup(Dump("graph_relationships", """\
全图关系 — every relationship with its endpoints (sorted labels and id), type and properties.
Used with graph_nodes to take a digest of the whole graph. Relationships between the same two
nodes with the same type (pairing plans' MATCHED_TO) are ordered by plan_id.
Parameters: none
""", what="relationships"))
def graph_relationships(eg: EmbeddedGraph) -> Rows:
    """Every relationship: endpoints' sorted labels and ids, ``type`` and ``props``, ordered."""
    raise NotImplementedError  # generated from the spec
