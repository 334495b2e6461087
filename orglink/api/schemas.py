"""Request bodies and response shapes of the HTTP API (pydantic v2).

Bodies forbid unknown fields and validate categories, urgencies and scopes with the same
functions the lifecycle uses, so a bad value is a 422 naming the field, in Chinese. Text a
caller writes is :data:`SafeLine` (one line) or :data:`SafeText` (several lines): a control
character or a lone surrogate in it is a 422 naming the field, before anything is stored.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from orglink.graph.model import CATEGORIES, NEED_STATUSES, SCOPES, URGENCIES
from orglink.lifecycle import MAX_QUANTITY, category_value, free_text, line_text, scope_value, urgency_value

_CC_LINE = r"\u0000-\u001f\u007f-\u009f\ufffe\uffff"
_CC_TEXT = r"\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufffe\uffff"
LINE_PATTERN = f"^[^{_CC_LINE}]*$"
"""The OpenAPI pattern of :data:`SafeLine`: what :func:`~orglink.lifecycle.line_text` refuses
(lone surrogates aside: JSON Schema patterns cannot name them, and valid JSON text has none)."""
TEXT_PATTERN = f"^[^{_CC_TEXT}]*$"
"""The OpenAPI pattern of :data:`SafeText` (:func:`~orglink.lifecycle.free_text`)."""
LINE_WORD_PATTERN = f"^[^{_CC_LINE}]*[^\\s{_CC_LINE}][^{_CC_LINE}]*$"
""":data:`LINE_PATTERN` with at least one character that is not white space."""
TEXT_WORD_PATTERN = f"^[^{_CC_TEXT}]*[^\\s{_CC_TEXT}][^{_CC_TEXT}]*$"
""":data:`TEXT_PATTERN` with at least one character that is not white space."""

SafeLine = Annotated[str, AfterValidator(line_text), Field(json_schema_extra={"pattern": LINE_PATTERN})]
"""One line of caller text: no control character (tab, CR and LF included), no lone surrogate,
no U+FFFE/U+FFFF (:func:`orglink.lifecycle.line_text`)."""
SafeText = Annotated[str, AfterValidator(free_text), Field(json_schema_extra={"pattern": TEXT_PATTERN})]
"""Caller free text over lines: as :data:`SafeLine`, but line feeds and tabs are allowed
(:func:`orglink.lifecycle.free_text`)."""

CATEGORY_NAMES = [*CATEGORIES, *CATEGORIES.values()]
"""The category names the API takes (the OpenAPI enum): Chinese, or English (any case)."""
STATUS_NAMES = [*NEED_STATUSES, *NEED_STATUSES.values()]
"""The need states the API takes: stored value or Chinese label."""
URGENCY_NAMES = [*URGENCIES, *URGENCIES.values()]
"""The urgencies the API takes: stored value or Chinese label."""
SCOPE_NAMES = [*SCOPES, *SCOPES.values()]
"""The scopes the API takes: stored value or Chinese label."""

Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$",
                          description="An id from the lists (编号).")]


def _whole(value: object) -> object:
    """A JSON number without a fraction (``3.0``) as the integer it is: JSON Schema's ``integer``
    takes it, and the strict bodies (:class:`Body`) would refuse a float."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


Quantity = Annotated[int, Field(ge=1, le=MAX_QUANTITY), BeforeValidator(_whole)]
Category = Annotated[str, Field(min_length=1, max_length=40, description="类别：中文名或英文名",
                                json_schema_extra={"enum": CATEGORY_NAMES}),
                     AfterValidator(category_value)]
Urgency = Annotated[str, Field(min_length=1, max_length=20, json_schema_extra={"enum": URGENCY_NAMES}),
                    AfterValidator(urgency_value)]
Scope = Annotated[str, Field(min_length=1, max_length=20, json_schema_extra={"enum": SCOPE_NAMES}),
                  AfterValidator(scope_value)]
Text = Annotated[SafeText, Field(min_length=1, max_length=4000)]


class Body(BaseModel):
    """Base of request bodies: unknown fields are refused, and values are taken as the JSON types
    the OpenAPI document names (strict: ``0`` is not ``false``, ``"5"`` is not ``5``)."""

    model_config = ConfigDict(extra="forbid", strict=True)


class NeedCreate(Body):
    """点单: a resident's order raised at a grid of a community (or at the community itself)."""

    title: Annotated[SafeLine, Field(min_length=1, max_length=200, pattern=r"\S",
                                     json_schema_extra={"pattern": LINE_WORD_PATTERN})]
    category: Category
    community: Id
    grid: Id | None = None
    quantity: Quantity = 1
    urgency: Urgency | None = None
    scope: Scope | None = None


class DispatchIn(Body):
    """派单: the resource to dispatch the need to and how much of it (default: the need's quantity)."""

    resource_id: Id
    quantity: Quantity | None = None
    override_reason: SafeText | None = Field(
        None, max_length=500,
        description="区级令牌越出需求服务范围派单时写明理由（记入流转记录）；其他角色不可用")


class CompleteIn(Body):
    """办结 with its report-back text (双报告)."""

    # an evaluation note (one with a non-space character) needs an evaluation: told in the schema
    model_config = ConfigDict(json_schema_extra={
        "if": {"required": ["evaluation_note"], "properties": {"evaluation_note": {"type": "string", "pattern": r"\S"}}},
        "then": {"required": ["evaluation"], "properties": {"evaluation": {"type": "string"}}}})

    report: Annotated[SafeText, Field(min_length=1, max_length=4000, pattern=r"\S",
                                      json_schema_extra={"pattern": TEXT_WORD_PATTERN})]
    evaluation: Literal["satisfied", "fair", "unsatisfied", "满意", "基本满意", "不满意"] | None = None
    evaluation_note: Text | None = None  # the community's (or resident's) words on how it was handled


class EscalateIn(Body):
    """吹哨: an optional note for the street and the departments it calls in by name
    (default: those the street's cadres come from that offer a fitting resource)."""

    note: Text | None = None
    departments: Annotated[list[Id], Field(max_length=50)] | None = None


class AnswerIn(Body):
    """报到: the answering department (a department token's own unit if omitted) and a note."""

    unit_id: Id | None = None
    note: Text | None = None


class PlanIn(Body):
    """Run the pairing plan; ``write`` stores it (MATCHED_TO) so ``GET /plans/{id}`` finds it."""

    plan_id: Id | None = None
    write: bool = True


class Health(BaseModel):
    """Backend and whether it answers; ``detail`` is harmless (the Neo4j server version, whether
    the embedded store has a file, or a short reason): never a path, URI or credential."""

    status: str
    backend: str
    reachable: bool
    detail: dict[str, Any] | str | None = None


class Street(BaseModel):
    """A street (街道/镇/乡)."""

    id: str
    name: str | None = None
    kind: str | None = None
    communities: int


class Community(BaseModel):
    """A community (社区)."""

    id: str
    name: str | None = None
    street: str | None = None
    street_name: str | None = None
    grids: int


class Grid(BaseModel):
    """A grid (网格)."""

    id: str
    name: str | None = None
    community: str | None = None
    lat: float | None = None
    lon: float | None = None


class Station(BaseModel):
    """A station (暖"新"驿站 / 司机之家 / 党群服务中心)."""

    id: str
    name: str | None = None
    kind: str | None = None
    services: list[str] | None = None
    services_canonical: list[str] | None = None  # the services under the document's names
    served: int | None = None  # 服务人次, when the lists give it
    community: str | None = None
    community_name: str | None = None
    street: str | None = None
    run_by: list[str]


class Cadre(BaseModel):
    """A cadre reporting to a community (masked name only; no contact data)."""

    id: str
    name: str
    party_member: bool | None = None
    unit_id: str | None = None
    unit_name: str | None = None
    handled: int


class ListItem(BaseModel):
    """One entry of a unit's agreement or one of its three lists (一书三单)."""

    id: str
    title: str | None = None
    category: str | None = None
    quantity: int | None = None
    status: str | None = None
    community: str | None = None
    signed_on: str | None = None


class ResourceLoad(BaseModel):
    """One of a unit's resources: its capacity, how much is dispatched (派单) and what remains."""

    id: str
    title: str | None = None
    category: str | None = None
    capacity: int | None = None
    used: int = 0
    remaining: int = 0


class UnitRow(BaseModel):
    """A unit in a list: where it is and what it offers."""

    id: str
    name: str | None = None
    kind: str | None = None
    department: bool
    resident: bool
    street: str | None = None
    lat: float | None = None
    lon: float | None = None
    resources: int = 0
    capacity: int = 0


class Unit(BaseModel):
    """A unit with its agreements (一书) and its three lists (三单), and the load of its
    resources (capacity, dispatched, remaining)."""

    id: str
    name: str | None = None
    kind: str | None = None
    department: bool
    resident: bool
    agreements: list[ListItem]
    resources: list[ListItem]
    projects: list[ListItem]
    needs: list[ListItem]
    load: list[ResourceLoad] = []


class NeedSummary(BaseModel):
    """A need in a list."""

    id: str
    title: str | None = None
    category: str | None = None
    quantity: int | None = None
    urgency: str | None = None
    status: str | None = None
    scope: str | None = None
    raised_on: str | None = None
    raised_at: str | None = None
    community: str | None = None
    street: str | None = None
    called: list[str] = []  # the departments its whistle called by name (吹哨点名)
    due_on: str | None = None  # its deadline (orglink.deadlines: working days by urgency, or from the whistle)
    overdue: bool = False  # open and past due_on (督办)


class NeedPage(BaseModel):
    """One page of needs."""

    total: int
    page: int
    page_size: int
    items: list[NeedSummary]


class Dispatch(BaseModel):
    """A dispatch (派单) of a need to a resource."""

    resource_id: str
    resource_title: str | None = None
    unit_id: str | None = None
    quantity: int | None = None
    at: str | None = None
    by: str | None = None


class Escalation(BaseModel):
    """An escalation (吹哨) of a need to a street."""

    street: str
    street_name: str | None = None
    at: str | None = None
    by: str | None = None


class Answer(BaseModel):
    """A department's answer (报到) to an escalated need."""

    unit_id: str
    unit_name: str | None = None
    at: str | None = None
    by: str | None = None
    note: str | None = None


class NeedDetail(NeedSummary):
    """A need with its place, report, what happened to it and its audit trail."""

    report: str | None = None
    evaluation: str | None = Field(None, description="评价 at 办结: satisfied / fair / unsatisfied")
    evaluation_note: str | None = None
    source: str | None = None
    subtype: str | None = Field(None, description="子类 (the fit taxonomy's sub-type of its category)")
    subtype_basis: str | None = Field(None, description="子类依据: listed, or inferred from which words")
    raised_at_label: str | None = None
    raised_at_name: str | None = None
    community_name: str | None = None
    street_name: str | None = None
    dispatches: list[Dispatch]
    escalations: list[Escalation]
    answers: list[Answer]
    history: list[dict[str, Any]] = Field(description="流转记录: who did what, when, from which state")
    actions: list[str] = Field(description="Lifecycle actions allowed in the current state")


class Problem(BaseModel):
    """An error: ``detail`` says what went wrong; ``current`` is the need's state on a 409."""

    detail: str
    current: dict[str, Any] | None = Field(None, description="409: the need's state (need_id, status, …)")
    backend: str | None = Field(None, description="503 of an unreachable store: its backend")


class ValidationIssue(BaseModel):
    """One refused field of a 422: ``loc`` names it (``["body", "title"]``, ``["query", "top"]``)."""

    loc: list[str | int]
    msg: str
    type: str
    input: Any = None
    ctx: dict[str, Any] | None = None


class ValidationProblem(BaseModel):
    """A 422: the request's body or query was refused, each issue naming its field."""

    detail: list[ValidationIssue]


class StoredPlan(BaseModel):
    """A stored pairing plan (已存方案): when it was made, from which inputs, what it met."""

    id: str
    created_at: str | None = Field(None, description="生成时间 (ISO 8601, China time); null for a plan "
                                                     "stored before plans were recorded")
    input_hash: str | None = Field(None, description="输入摘要: hash of the data the plan was made from")
    needs: int | None = Field(None, description="需求数: open needs planned")
    met: int | None = Field(None, description="满足: needs met in full")
    unmet: int | None = Field(None, description="未满足: needs left (partly) unmet")
    assignments: int = Field(description="配对数: the plan's MATCHED_TO relationships")


class PlanDeleted(BaseModel):
    """A deleted plan and how many MATCHED_TO relationships went with it."""

    id: str
    deleted: int = Field(description="MATCHED_TO relationships deleted")
