"""The named query catalogue: every query the services and routes run, as typed functions.

Each is one ``.cypher`` file in this package (with its comment header, pasteable into Neo4j
Browser) and its embedded twin: simple lookups are generated from the specs in
:mod:`orglink.queries.catalogue_lookups` (``python -m orglink.queries.generate``), the others are
written in the ``*_twins`` modules. ``tests/queries/test_query_parity.py`` runs every one on both
backends and compares the answers.
"""

from orglink.queries.browser_twins import unit_lists, unmet_by_street
from orglink.queries.catalogue_lookups import (
    community_cadres,
    get_plan,
    graph_nodes,
    graph_relationships,
    handled_matters,
    list_communities,
    list_grids,
    list_needs,
    list_stations,
    list_streets,
    list_units,
    need_get,
    need_place,
    need_timelines,
    plan_needs,
    report_meta,
    report_needs,
    report_places,
    resource_supply,
    resource_usage,
    street_departments,
    unit_brief,
    unit_communities,
)
from orglink.queries.chain_twins import community_chain
from orglink.queries.figures import document_figures
from orglink.queries.matching_twins import nearest_units, need_context, plan_candidates, write_plan
from orglink.queries.need_twins import need_accept, need_answer, need_complete, need_create, need_dispatch, need_escalate
from orglink.queries.plan_twins import delete_plan, list_plans
from orglink.queries.report_twins import report_resources, retired_dispatches

__all__ = [
    "community_cadres",
    "community_chain",
    "delete_plan",
    "document_figures",
    "get_plan",
    "graph_nodes",
    "graph_relationships",
    "handled_matters",
    "list_communities",
    "list_grids",
    "list_needs",
    "list_plans",
    "list_stations",
    "list_streets",
    "list_units",
    "nearest_units",
    "need_accept",
    "need_answer",
    "need_complete",
    "need_context",
    "need_create",
    "need_dispatch",
    "need_escalate",
    "need_get",
    "need_place",
    "need_timelines",
    "plan_candidates",
    "plan_needs",
    "report_meta",
    "report_needs",
    "report_places",
    "report_resources",
    "resource_supply",
    "resource_usage",
    "retired_dispatches",
    "street_departments",
    "unit_brief",
    "unit_communities",
    "unit_lists",
    "unmet_by_street",
    "write_plan",
]
