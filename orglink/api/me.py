"""Who the caller is: the token's role, scope and what it may do (the workbench reads this)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from orglink.api.access import NEED_WRITERS
from orglink.api.deps import AreaDep
from orglink.auth import ROLES
from orglink.graph.model import CATEGORIES, EVALUATIONS, MODEL, NEED_STATUSES, URGENCIES

router = APIRouter(tags=["me"])


class Me(BaseModel):
    """The caller's token as the workbench needs it: role (and its Chinese label), scope, the
    streets and communities of its area (empty for the whole district), and what it may do."""

    name: str
    role: str
    role_zh: str
    scope: str | None = None
    whole: bool
    department: bool
    streets: list[str]
    communities: list[str]
    actions: list[str]  # lifecycle actions the role may take (within its area)
    may_plan: bool  # run and store the pairing plan (district tokens)
    may_whatif: bool  # 推演 (district-wide tokens)
    may_report: bool  # download a pairing report (its own area; not departments)
    categories: list[str]  # reference data for the page: the categories' Chinese names …
    statuses: dict[str, str]  # … need states, urgencies and evaluations (value -> Chinese) …
    urgencies: dict[str, str]
    evaluations: dict[str, str]
    labels: dict[str, str]  # … and the model's node labels and relationship types in Chinese
    relationships: dict[str, str]


@router.get("/me", response_model=Me, summary="当前令牌：角色、范围与权限")
def me(area: AreaDep) -> Me:
    """The caller's role and scope, the streets and communities it may see, and which
    lifecycle actions, plans, what-ifs and reports it may use."""
    p = area.principal
    return Me(name=p.name, role=p.role, role_zh=ROLES.get(p.role, p.role), scope=p.scope, whole=area.whole,
              department=area.department, streets=sorted(area.streets), communities=sorted(area.communities),
              actions=[a for a, roles in NEED_WRITERS.items() if p.role in roles],
              may_plan=p.role == "district", may_whatif=area.whole, may_report=not area.department,
              categories=list(CATEGORIES), statuses=dict(NEED_STATUSES), urgencies=dict(URGENCIES),
              evaluations=dict(EVALUATIONS), labels={n.label: n.zh for n in MODEL.nodes},
              relationships={r.type: r.zh for r in MODEL.rels})
