// 资源余量 — every resource a unit offers (共治资源清单): its category, sub-type (子类) and
// keywords (关键词), capacity, the quantity already dispatched to it (sum of DISPATCHED_TO quantities; a missing
// quantity counts 0) and what remains (capacity minus dispatched; pairing plans do not consume
// capacity).
// Parameters: none
// Generated from the spec in orglink/queries/catalogue_lookups.py (python -m orglink.queries.generate); edit the spec, not this file.
MATCH (r:Resource WHERE r.retired_on IS NULL)
MATCH (r)<-[:OFFERS]-(u:Unit WHERE u.retired_on IS NULL)
RETURN r.id AS resource_id,
       r.title AS resource_title,
       r.category AS category,
       r.subtype AS subtype,
       r.keywords AS keywords,
       coalesce(r.capacity, 0) AS capacity,
       reduce(total = 0, q IN [(v_r:Need WHERE v_r.retired_on IS NULL)-[d:DISPATCHED_TO]->(r) | coalesce(d.quantity, 0)] | total + q) AS dispatched,
       coalesce(r.capacity, 0) - reduce(total = 0, q IN [(v_r:Need WHERE v_r.retired_on IS NULL)-[d:DISPATCHED_TO]->(r) | coalesce(d.quantity, 0)] | total + q) AS remaining,
       u.id AS unit_id,
       u.name AS unit_name
ORDER BY resource_id, unit_id
