// 停用资源的派单 — needs dispatched (派单) to a resource the lists no longer hold (retired by a
// load): the dispatch stays, and the report flags it so the planner can re-dispatch or close it.
// One row per dispatch: the need (id, title, state, whether it is retired too), the resource,
// its unit (the one with the smallest id when several offer it), quantity and when the
// resource was retired. This query sees retired nodes on purpose.
// Parameters: none
MATCH (n:Need)-[d:DISPATCHED_TO]->(r:Resource)
WHERE r.retired_on IS NOT NULL
CALL (r) { OPTIONAL MATCH (u:Unit)-[:OFFERS]->(r) RETURN u ORDER BY u.id LIMIT 1 }
RETURN n.id AS need_id, n.title AS need_title, n.status AS status,
       n.retired_on IS NOT NULL AS need_retired,
       r.id AS resource_id, r.title AS resource_title, u.name AS unit_name,
       d.quantity AS quantity, r.retired_on AS retired_on
ORDER BY need_id, resource_id
