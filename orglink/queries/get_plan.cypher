// 已存方案 — the assignments of stored pairing plan $plan_id: each (need)-[:MATCHED_TO]->(resource)
// of that plan with its quantity, hops and rank, and the unit offering the resource.
// Parameters: $plan_id (string)
// Generated from the spec in orglink/queries/catalogue_lookups.py (python -m orglink.queries.generate); edit the spec, not this file.
MATCH (n:Need WHERE n.retired_on IS NULL)
MATCH (n)-[m:MATCHED_TO]->(r:Resource WHERE r.retired_on IS NULL)
  WHERE m.plan_id = $plan_id
OPTIONAL MATCH (r)<-[:OFFERS]-(u:Unit WHERE u.retired_on IS NULL)
RETURN n.id AS need_id,
       n.title AS need_title,
       n.category AS category,
       r.id AS resource_id,
       r.title AS resource_title,
       u.id AS unit_id,
       u.name AS unit_name,
       m.quantity AS quantity,
       m.hops AS hops,
       m.rank AS rank
ORDER BY need_id, rank, resource_id, unit_id
