// 写入配对方案 — store a pairing plan: delete every MATCHED_TO relationship of plan $plan_id,
// then create one (need)-[:MATCHED_TO {plan_id, rank, hops, quantity}]->(resource) per row.
// Returns one row per relationship created (with how many old ones were deleted); rows naming
// a need or resource that does not exist create nothing.
// Parameters: $plan_id (string);
//   $rows (list of maps {need_id, resource_id, rank, hops, quantity}; one per (need, resource))
OPTIONAL MATCH (:Need)-[old:MATCHED_TO {plan_id: $plan_id}]->(:Resource)
DELETE old
WITH count(old) AS deleted
UNWIND $rows AS row
MATCH (n:Need {id: row.need_id})
MATCH (r:Resource {id: row.resource_id})
CREATE (n)-[:MATCHED_TO {plan_id: $plan_id, rank: row.rank, hops: row.hops, quantity: row.quantity}]->(r)
RETURN n.id AS need_id, r.id AS resource_id, deleted
ORDER BY need_id, resource_id
