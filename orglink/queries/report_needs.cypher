// 配对报告·需求 — for each need named in $need_ids: its title, category, sub-type (子类),
// keywords (关键词), quantity, status, urgency and scope, the grid or community it was raised at, and the community and street it
// belongs to (a need raised at a grid belongs to the grid's community). Needs that do not exist
// are left out. One row per need, ordered by need id.
// Parameters: $need_ids (list of need ids, e.g. the needs of one pairing plan)
// Generated from the spec in orglink/queries/catalogue_lookups.py (python -m orglink.queries.generate); edit the spec, not this file.
MATCH (n:Need WHERE n.retired_on IS NULL)
  WHERE n.id IN $need_ids
CALL (n) { OPTIONAL MATCH (n)-[:RAISED_AT]->(p:Grid|Community WHERE p.retired_on IS NULL) RETURN p ORDER BY p.id LIMIT 1 }
CALL (p) { OPTIONAL MATCH (p)-[:IN*0..1]->(c:Community WHERE c.retired_on IS NULL) RETURN c ORDER BY c.id LIMIT 1 }
CALL (c) { OPTIONAL MATCH (c)-[:IN]->(s:Street WHERE s.retired_on IS NULL) RETURN s ORDER BY s.id LIMIT 1 }
RETURN n.id AS need_id,
       n.title AS title,
       n.category AS category,
       n.subtype AS subtype,
       n.keywords AS keywords,
       coalesce(n.quantity, 1) AS quantity,
       n.status AS status,
       n.urgency AS urgency,
       n.scope AS scope,
       p.id AS place_id,
       p.name AS place_name,
       c.id AS community_id,
       c.name AS community_name,
       s.id AS street_id,
       s.name AS street_name
ORDER BY need_id
