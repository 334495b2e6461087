// 资源余量 — one resource's capacity, the quantity already dispatched from it (sum of every
// DISPATCHED_TO into it; a missing quantity counts 0), what remains, and the unit offering it.
// Parameters: $resource_id
MATCH (r:Resource {id: $resource_id})
OPTIONAL MATCH (u:Unit)-[:OFFERS]->(r)
WITH r, u ORDER BY u.id
WITH r, head(collect(u.id)) AS unit
WITH r, unit,
     reduce(used = 0, q IN [(:Need)-[d:DISPATCHED_TO]->(r) | d.quantity] | used + coalesce(q, 0)) AS used
RETURN r.id AS id, r.title AS title, r.category AS category, r.capacity AS capacity,
       used, coalesce(r.capacity, 0) - used AS remaining, unit
