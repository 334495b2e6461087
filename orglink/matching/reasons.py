"""Why a need (or part of it) cannot be met: reason codes, their Chinese texts, and the rule
that picks one.

Exactly one code per unmet need, decided in this order:

1. ``no_resource`` — nobody in the district offers a resource that fits the need;
2. the need had fitting candidates within its reach, all taken by the plan:
   ``shortage`` when the district's fitting supply is smaller than the fitting demand (no
   whistle can fix that), else ``capacity_used`` (the capacity went to more urgent or nearer
   needs);
3. nothing fitting within its reach: ``out_of_scope`` when fitting capacity is still free
   beyond its reach (须街道吹哨: the units holding it are named), else ``shortage`` or
   ``capacity_used`` as in 2.

"Fitting supply" and "fitting demand" are taken over the need's fit group (its category and
sub-type; see :mod:`orglink.matching.fit`).
"""

from __future__ import annotations

NO_RESOURCE = "no_resource"
SHORTAGE = "shortage"
CAPACITY_USED = "capacity_used"
OUT_OF_SCOPE = "out_of_scope"

REASONS: dict[str, str] = {
    NO_RESOURCE: "全区没有提供相符资源的单位",
    SHORTAGE: "全区相符资源总量少于需求（供需缺口），吹哨也无法解决，须新增资源",
    CAPACITY_USED: "范围内相符资源的容量已分配给更紧急或更近的需求",
    OUT_OF_SCOPE: "范围内没有可用的相符资源，范围外仍有余量：须街道吹哨、部门报到",
}
"""Reason code -> text shown to planners."""


def reason_code(offered: int, spare: int, *, reachable: bool = False, demand: int = 0,
                supply: int | None = None) -> str:
    """The reason a need finds no (more) fitting resource (see the module docstring).

    ``offered``: fitting resources offered anywhere in the district; ``spare``: fitting
    capacity still free anywhere after the plan (outside the need's reach, since anything free
    inside it would have been used); ``reachable``: the need had fitting candidates within its
    reach; ``demand`` / ``supply``: the district's fitting demand and supply (``supply`` None:
    not known, no shortage is claimed).
    """
    if offered <= 0:
        return NO_RESOURCE
    if not reachable and spare > 0:
        return OUT_OF_SCOPE
    if supply is not None and demand > supply:
        return SHORTAGE
    return CAPACITY_USED
