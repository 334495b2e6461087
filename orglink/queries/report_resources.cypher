// 配对报告·资源 — every resource on the 共治资源清单 with the unit that offers it: title,
// category, sub-type and keywords, capacity and measure, and how much of it is already taken by dispatched needs
// (sum of DISPATCHED_TO quantities; the need's quantity, else 1, where the relationship has
// none — as resource_supply counts it). The report's unit-load sheet and names come from here.
// One row per resource, ordered by unit id, then resource id.
// Retired nodes (retired_on set by a load of the lists) and their relationships are left out.
// Parameters: none
MATCH (u:Unit WHERE u.retired_on IS NULL)-[:OFFERS]->(r:Resource WHERE r.retired_on IS NULL)
OPTIONAL MATCH (n:Need WHERE n.retired_on IS NULL)-[d:DISPATCHED_TO]->(r)
WITH u, r, sum(CASE WHEN d IS NULL THEN 0 ELSE coalesce(d.quantity, n.quantity, 1) END) AS dispatched
RETURN
  u.id AS unit_id,
  u.name AS unit_name,
  u.kind AS unit_kind,
  r.id AS resource_id,
  r.title AS resource_title,
  r.category AS category,
  r.subtype AS subtype,
  r.keywords AS keywords,
  coalesce(r.capacity, 0) AS capacity,
  r.measure AS measure,
  dispatched
ORDER BY unit_id, resource_id
