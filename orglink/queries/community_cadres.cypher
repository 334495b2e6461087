// 到社区报到的干部 — the cadres who report to one community (双报到): masked name, party
// membership, the unit each works at, and how many needs (matters) each has handled.
// One row per cadre and unit, ordered by unit id then cadre id. A community that does not
// exist, or has no reporting cadres, gives no rows.
// Columns: cadre_id, name, party_member, unit_id, unit_name, handled
// Parameters: $community_id (a community id, e.g. 'C001')
// Generated from the spec in orglink/queries/catalogue_lookups.py (python -m orglink.queries.generate); edit the spec, not this file.
MATCH (c:Community {id: $community_id} WHERE c.retired_on IS NULL)
MATCH (c)<-[:REPORTS_TO]-(k:Cadre WHERE k.retired_on IS NULL)
OPTIONAL MATCH (k)-[:WORKS_AT]->(u:Unit WHERE u.retired_on IS NULL)
RETURN k.id AS cadre_id,
       k.name AS name,
       k.party_member AS party_member,
       u.id AS unit_id,
       u.name AS unit_name,
       COUNT { (k)-[:HANDLED]->(v_k:Need WHERE v_k.retired_on IS NULL) } AS handled
ORDER BY unit_id, cadre_id
