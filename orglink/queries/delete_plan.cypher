// 删除方案 — delete stored pairing plan $plan_id: its Plan node and every MATCHED_TO
// relationship of that plan (a plan found only on MATCHED_TO relationships, written before Plan
// nodes existed, is deleted too).
// Returns one row (id, plans: Plan nodes deleted, 0 or 1; deleted: relationships deleted), or
// no row when the store holds neither a Plan node nor a MATCHED_TO relationship of that id.
// Parameters: $plan_id (string)
OPTIONAL MATCH (p:Plan {id: $plan_id})
OPTIONAL MATCH (:Need)-[m:MATCHED_TO {plan_id: $plan_id}]->(:Resource)
WITH collect(DISTINCT p) AS plans, collect(m) AS rels
  WHERE size(plans) > 0 OR size(rels) > 0
FOREACH (x IN rels | DELETE x)
FOREACH (x IN plans | DETACH DELETE x)
RETURN $plan_id AS id, size(plans) AS plans, size(rels) AS deleted
