// 已存方案 — every stored pairing plan, newest first (by created_at, then id): its id, when it
// was made, the hash of its inputs, how many needs it planned, met in full and left (partly)
// unmet, and how many MATCHED_TO relationships (assignments) it holds. A plan id found only on
// MATCHED_TO relationships (written before Plan nodes existed) comes last, with null figures.
// Retired nodes (retired_on set by a load of the lists) and their relationships are left out.
// Parameters: none
CALL () {
  MATCH (p:Plan WHERE p.retired_on IS NULL)
  OPTIONAL MATCH (n:Need WHERE n.retired_on IS NULL)-[m:MATCHED_TO]->(r:Resource WHERE r.retired_on IS NULL)
    WHERE m.plan_id = p.id
  RETURN p.id AS id, p.created_at AS created_at, p.input_hash AS input_hash, p.needs AS needs,
         p.met AS met, p.unmet AS unmet, count(m) AS assignments
  UNION ALL
  MATCH (n:Need WHERE n.retired_on IS NULL)-[m:MATCHED_TO]->(r:Resource WHERE r.retired_on IS NULL)
    WHERE m.plan_id IS NOT NULL
      AND NOT EXISTS { MATCH (p:Plan WHERE p.retired_on IS NULL) WHERE p.id = m.plan_id }
  RETURN m.plan_id AS id, null AS created_at, null AS input_hash, null AS needs, null AS met,
         null AS unmet, count(m) AS assignments
}
RETURN id, created_at, input_hash, needs, met, unmet, assignments
ORDER BY created_at IS NULL, created_at DESC, id DESC
