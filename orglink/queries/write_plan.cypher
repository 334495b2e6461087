// 写入配对方案 — store a pairing plan, all in one transaction:
// 1. delete every MATCHED_TO relationship of plan $plan_id, then create one
//    (need)-[:MATCHED_TO {plan_id, rank, hops, quantity}]->(resource) per row;
// 2. MERGE the (:Plan {id: $plan_id}) node with created_at, input_hash and the counts of needs
//    planned, fully met and left unmet (the same plan written again is updated, not doubled);
// 3. keep the newest $keep plans (this one and the $keep - 1 newest others, by created_at, then
//    id; MATCHED_TO relationships of a plan id without a Plan node, written before Plan nodes
//    existed, count as the oldest) and delete every older plan: its Plan node and all its
//    MATCHED_TO relationships.
// Returns one row per relationship created, with how many old ones of this plan were deleted
// and the ids of the plans pruned (newest first); rows naming a need or resource that does not
// exist create nothing.
// A retired need, resource, unit or place (retired_on set by a load) counts as missing.
// Parameters: $plan_id (string);
//   $rows (list of maps {need_id, resource_id, rank, hops, quantity}; one per (need, resource));
//   $created_at (ISO 8601 text, China time), $input_hash (string), $needs, $met, $unmet (ints);
//   $keep (how many plans to keep, at least 1)
OPTIONAL MATCH (:Need)-[old:MATCHED_TO {plan_id: $plan_id}]->(:Resource)
DELETE old
WITH count(old) AS deleted
MERGE (p:Plan {id: $plan_id})
SET p.created_at = $created_at, p.input_hash = $input_hash,
    p.needs = $needs, p.met = $met, p.unmet = $unmet
WITH deleted
CALL () {
  CALL () {
    MATCH (q:Plan)
      WHERE q.id <> $plan_id
    RETURN q.id AS pid, q.created_at AS at
    UNION
    MATCH (:Need)-[m:MATCHED_TO]->(:Resource)
      WHERE m.plan_id <> $plan_id AND NOT EXISTS { MATCH (q:Plan) WHERE q.id = m.plan_id }
    RETURN m.plan_id AS pid, null AS at
  }
  WITH pid, at
  ORDER BY at IS NULL, at DESC, pid DESC
  RETURN collect(pid)[$keep - 1..] AS pruned
}
CALL (pruned) {
  OPTIONAL MATCH (:Need)-[gone:MATCHED_TO]->(:Resource)
    WHERE gone.plan_id IN pruned
  DELETE gone
  RETURN count(gone) AS pruned_relationships
}
CALL (pruned) {
  OPTIONAL MATCH (q:Plan)
    WHERE q.id IN pruned
  DETACH DELETE q
  RETURN count(q) AS pruned_plans
}
WITH deleted, pruned
UNWIND $rows AS row
MATCH (n:Need {id: row.need_id} WHERE n.retired_on IS NULL)
MATCH (r:Resource {id: row.resource_id} WHERE r.retired_on IS NULL)
CREATE (n)-[:MATCHED_TO {plan_id: $plan_id, rank: row.rank, hops: row.hops, quantity: row.quantity}]->(r)
RETURN n.id AS need_id, r.id AS resource_id, deleted, pruned
ORDER BY need_id, resource_id
