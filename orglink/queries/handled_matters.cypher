// 干部办理事项 — every need a cadre handled (HANDLED: the 660 matters of 双报到) with the unit
// the cadre works at: a department's matters in the monthly assessment (考核). One row per
// need and cadre, ordered by need id then cadre id.
// Parameters: none
// Generated from the spec in orglink/queries/catalogue_lookups.py (python -m orglink.queries.generate); edit the spec, not this file.
MATCH (k:Cadre WHERE k.retired_on IS NULL)
MATCH (k)-[:HANDLED]->(n:Need WHERE n.retired_on IS NULL)
MATCH (k)-[:WORKS_AT]->(u:Unit WHERE u.retired_on IS NULL)
RETURN n.id AS need_id,
       k.id AS cadre_id,
       u.id AS unit_id
ORDER BY need_id, cadre_id
