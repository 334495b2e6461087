"""Result types of matching and planning, shared by the CLI, the API and the report."""

from __future__ import annotations

from pydantic import BaseModel, model_validator

from orglink.graph.personal import MASK, mask_name


class Fit(BaseModel):
    """Why a resource fits a need: both sub-types (子类, None: unknown), the words they share
    (关键词 and title words) and the rule that made them fit, as Chinese text for planners."""

    need_subtype: str | None = None
    resource_subtype: str | None = None
    keywords: list[str] = []
    basis: str = ""


class PathStep(BaseModel):
    """One node on a candidate's path, with the relationship that leads to the next node.
    A cadre's name is masked here too (the loaders store it masked; a store written before
    they did may not have)."""

    id: str
    label: str
    name: str | None = None
    rel: str | None = None  # type of the relationship to the next step (None on the last)
    forward: bool | None = None  # True if that relationship points from this node to the next

    @model_validator(mode="after")
    def _masked(self) -> PathStep:
        if self.label == "Cadre" and self.name is not None and MASK not in self.name:
            self.name = mask_name(self.name)
        return self


class Candidate(BaseModel):
    """A unit that can meet a need through one of its resources, and why (its path)."""

    need_id: str
    unit_id: str
    unit_name: str
    resource_id: str
    resource_title: str
    category: str
    hops: int
    remaining: int  # capacity left on the resource
    distance_km: float | None = None
    path: list[PathStep]
    fit: Fit | None = None  # why the resource fits the need (子类, shared keywords)


class Assignment(BaseModel):
    """One pairing in a plan: (part of) a need met by a resource."""

    need_id: str
    resource_id: str
    unit_id: str
    quantity: int
    hops: int
    rank: int | None = None  # 1 for the need's nearest piece, 2 for the next …
    need_title: str | None = None
    unit_name: str | None = None
    resource_title: str | None = None
    category: str | None = None
    served_at: str | None = None  # grid | community | street: the level of the territory it is served from
    fit: Fit | None = None  # why the resource fits the need (子类, shared keywords)


class Whistle(BaseModel):
    """A unit beyond a need's reach that still has fitting capacity (whom a 吹哨 would reach)."""

    unit_id: str
    unit_name: str | None = None
    resource_id: str
    spare: int


class Unmet(BaseModel):
    """A need (or the part of it) a plan could not meet, and why."""

    need_id: str
    reason: str  # Chinese text for planners
    reason_code: str  # no_resource | shortage | capacity_used | out_of_scope
    quantity: int = 0  # how much of the need is left unmet
    need_title: str | None = None
    category: str | None = None
    met_quantity: int = 0  # how much of it the plan meets (partly met needs)
    demand: int | None = None  # shortage: the district's open demand of its fit group …
    supply: int | None = None  # … the capacity left that fits it …
    shortfall: int | None = None  # … and demand − supply
    whistle: list[Whistle] = []  # out_of_scope: units with fitting capacity beyond its reach


class PlanResult(BaseModel):
    """A pairing plan for all open needs at once. ``plan_id`` names the stored plan
    (``GET /plans/{plan_id}`` reads it back); the API gives null for a plan it did not store."""

    plan_id: str | None
    assignments: list[Assignment]
    unmet: list[Unmet]

    def met_by_need(self) -> dict[str, int]:
        """How much of each need the plan's assignments meet (needs it does not serve: absent)."""
        out: dict[str, int] = {}
        for a in self.assignments:
            out[a.need_id] = out.get(a.need_id, 0) + a.quantity
        return out
