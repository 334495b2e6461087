// 最近的驿站 — the stations nearest to grid $grid_id by linkage hops over the territory: a
// station in the grid's own community is 2 hops away (grid → community ← station), one in
// another community of the same street 4 (… → street ← …), any other 6 (through the district).
// Only stations offering the service (one of $service_words, or any when null) and, when
// $community_ids is a list, only those located in one of those communities. Ordered by hops,
// then station id; at most $top rows. None when the grid does not exist or lies in no community.
// Retired nodes (retired_on set by a load of the lists) and their relationships are left out.
// Parameters: $grid_id (string), $service_words (list or null), $community_ids (list or null),
//             $top (integer)
MATCH (g:Grid {id: $grid_id} WHERE g.retired_on IS NULL)
CALL (g) { OPTIONAL MATCH (g)-[:IN]->(c:Community WHERE c.retired_on IS NULL) RETURN c ORDER BY c.id LIMIT 1 }
CALL (c) { OPTIONAL MATCH (c)-[:IN]->(s:Street WHERE s.retired_on IS NULL) RETURN s ORDER BY s.id LIMIT 1 }
WITH g, c, s
WHERE c IS NOT NULL
MATCH (st:Station WHERE st.retired_on IS NULL)
WHERE $service_words IS NULL OR any(w IN coalesce(st.services, []) WHERE w IN $service_words)
CALL (st) { OPTIONAL MATCH (st)-[:LOCATED_IN]->(sc:Community WHERE sc.retired_on IS NULL) RETURN sc ORDER BY sc.id LIMIT 1 }
CALL (sc) { OPTIONAL MATCH (sc)-[:IN]->(ss:Street WHERE ss.retired_on IS NULL) RETURN ss ORDER BY ss.id LIMIT 1 }
WITH g, c, s, st, sc, ss
WHERE sc IS NOT NULL AND ($community_ids IS NULL OR sc.id IN $community_ids)
WITH g, c, st, sc, ss,
     CASE WHEN sc = c THEN 2 WHEN s IS NOT NULL AND ss = s THEN 4 ELSE 6 END AS hops
RETURN
  g.id AS grid_id,
  g.name AS grid_name,
  c.id AS community_id,
  c.name AS community_name,
  st.id AS station_id,
  st.name AS station_name,
  st.kind AS kind,
  st.services AS services,
  st.served AS served,
  sc.id AS station_community_id,
  sc.name AS station_community_name,
  ss.id AS station_street_id,
  hops
ORDER BY hops, station_id
LIMIT $top
