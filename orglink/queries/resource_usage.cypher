// 资源余量 — one resource's capacity, the quantity already dispatched from it (sum of every
// DISPATCHED_TO into it; a missing quantity counts 0), what remains, and the unit offering it.
// Parameters: $resource_id
// Generated from the spec in orglink/queries/catalogue_lookups.py (python -m orglink.queries.generate); edit the spec, not this file.
MATCH (r:Resource {id: $resource_id} WHERE r.retired_on IS NULL)
CALL (r) { OPTIONAL MATCH (r)<-[:OFFERS]-(u:Unit WHERE u.retired_on IS NULL) RETURN u ORDER BY u.id LIMIT 1 }
RETURN r.id AS id,
       r.title AS title,
       r.category AS category,
       r.subtype AS subtype,
       r.capacity AS capacity,
       reduce(total = 0, q IN [(v_r:Need WHERE v_r.retired_on IS NULL)-[d:DISPATCHED_TO]->(r) | coalesce(d.quantity, 0)] | total + q) AS used,
       coalesce(r.capacity, 0) - reduce(total = 0, q IN [(v_r:Need WHERE v_r.retired_on IS NULL)-[d:DISPATCHED_TO]->(r) | coalesce(d.quantity, 0)] | total + q) AS remaining,
       u.id AS unit
