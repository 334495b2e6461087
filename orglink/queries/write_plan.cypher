// 写入配对方案 — store a pairing plan: delete every MATCHED_TO relationship of plan $plan_id,
// then create one (need)-[:MATCHED_TO {plan_id, rank, hops, quantity}]->(resource) per row.
// Rows naming a need or resource that does not exist are skipped (compare 'written').
// Parameters: $plan_id (string);
//   $rows (list of maps {need_id, resource_id, rank, hops, quantity}; one per (need, resource))
OPTIONAL MATCH (:Need)-[old:MATCHED_TO {plan_id: $plan_id}]->(:Resource)
DELETE old
WITH count(old) AS deleted
CALL {
  UNWIND $rows AS row
  MATCH (n:Need {id: row.need_id})
  MATCH (r:Resource {id: row.resource_id})
  CREATE (n)-[m:MATCHED_TO {plan_id: $plan_id, rank: row.rank, hops: row.hops, quantity: row.quantity}]->(r)
  RETURN count(m) AS written
}
RETURN deleted, written
