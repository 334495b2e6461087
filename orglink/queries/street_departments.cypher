// 街道联系部门 — the district departments (区直部门) whose cadres report to a community of one
// street (双报到): whom a whistle (吹哨) of that street calls in by default. One row per
// department and community, ordered by unit id then community id.
// Parameters: $street_id
// Generated from the spec in orglink/queries/catalogue_lookups.py (python -m orglink.queries.generate); edit the spec, not this file.
MATCH (s:Street {id: $street_id} WHERE s.retired_on IS NULL)
MATCH (s)<-[:IN]-(c:Community WHERE c.retired_on IS NULL)
MATCH (c)<-[:REPORTS_TO]-(k:Cadre WHERE k.retired_on IS NULL)
MATCH (k)-[:WORKS_AT]->(u:Department WHERE u.retired_on IS NULL)
RETURN u.id AS unit_id,
       u.name AS unit_name,
       c.id AS community_id
ORDER BY unit_id, community_id
