"""Why a need (or part of it) cannot be met: reason codes and their Chinese texts."""

from __future__ import annotations

NO_RESOURCE = "no_resource"
CAPACITY_USED = "capacity_used"
OUT_OF_SCOPE = "out_of_scope"

REASONS: dict[str, str] = {
    NO_RESOURCE: "全区没有提供该类别资源的单位",
    CAPACITY_USED: "该类别资源容量已用尽",
    OUT_OF_SCOPE: "范围内没有可用资源，须街道吹哨、部门报到",
}
"""Reason code -> text shown to planners."""


def reason_code(offered: int, spare: int) -> str:
    """The reason a need finds no (more) resource in its scope.

    ``offered``: resources of its category offered anywhere in the district;
    ``spare``: capacity of that category still free anywhere (outside the need's reach, since
    anything free inside it would have been used).
    """
    if offered <= 0:
        return NO_RESOURCE
    if spare > 0:
        return OUT_OF_SCOPE
    return CAPACITY_USED
