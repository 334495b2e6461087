// 单位报到社区 — the communities a unit's cadres report to (双报到) and the street of each: the
// area a district department's token sees. One row per cadre and community, ordered by
// community id then cadre id; a unit without reporting cadres gives no rows.
// Parameters: $unit_id
// Generated from the spec in orglink/queries/catalogue_lookups.py (python -m orglink.queries.generate); edit the spec, not this file.
MATCH (u:Unit {id: $unit_id} WHERE u.retired_on IS NULL)
MATCH (u)<-[:WORKS_AT]-(k:Cadre WHERE k.retired_on IS NULL)
MATCH (k)-[:REPORTS_TO]->(c:Community WHERE c.retired_on IS NULL)
CALL (c) { OPTIONAL MATCH (c)-[:IN]->(s:Street WHERE s.retired_on IS NULL) RETURN s ORDER BY s.id LIMIT 1 }
RETURN c.id AS community_id,
       s.id AS street_id,
       k.id AS cadre_id
ORDER BY community_id, cadre_id
