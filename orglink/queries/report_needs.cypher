// 配对报告·需求 — for each need named in $need_ids: its title, category, quantity, status,
// urgency and scope, the grid or community it was raised at, and the community and street it
// belongs to (a need raised at a grid belongs to the grid's community). Needs that do not exist
// are left out. One row per need, ordered by need id.
// Parameters: $need_ids (list of need ids, e.g. the needs of one pairing plan)
UNWIND $need_ids AS wanted
MATCH (n:Need {id: wanted})
OPTIONAL MATCH (n)-[:RAISED_AT]->(p:Grid|Community)
OPTIONAL MATCH (p)-[:IN*0..1]->(c:Community)
OPTIONAL MATCH (c)-[:IN]->(s:Street)
RETURN
  n.id AS need_id,
  n.title AS title,
  n.category AS category,
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
