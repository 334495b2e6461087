// 单位简况 — a unit's id, name and kind, whether it is a district department (区直部门, label
// Department, which may answer escalated needs — 部门报到) and whether it is a resident unit
// (驻区单位, label ResidentUnit).
// Parameters: $unit_id
// Generated from the spec in orglink/queries/catalogue_lookups.py (python -m orglink.queries.generate); edit the spec, not this file.
MATCH (u:Unit {id: $unit_id} WHERE u.retired_on IS NULL)
RETURN u.id AS id,
       u.name AS name,
       u.kind AS kind,
       u:Department AS department,
       u:ResidentUnit AS resident
