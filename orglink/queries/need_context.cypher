// 需求概况 — one need as matching sees it: the grid or community it was raised at, the scope
// matching uses there (a need raised at a community with scope 'grid' counts as 'community';
// no scope counts as 'community'), that place's coordinates (a grid's own; for a community,
// those of its grids, ordered by grid id), and how many resources of the need's category are
// offered in the whole district ('offered') and how many of them still have capacity left
// ('available': capacity minus the quantities already dispatched to it, above zero).
// Retired nodes (retired_on set by a load of the lists) and their relationships are left out.
// Parameters: $need_id (string) — the need's id
MATCH (n:Need {id: $need_id} WHERE n.retired_on IS NULL)-[:RAISED_AT]->(loc WHERE loc.retired_on IS NULL)
WHERE loc:Grid OR loc:Community
WITH n, loc,
     COLLECT {
       MATCH (g:Grid WHERE g.retired_on IS NULL)-[:IN]->(loc)
       WHERE g.lat IS NOT NULL AND g.lon IS NOT NULL
       RETURN [g.lat, g.lon] ORDER BY g.id
     } AS grid_points,
     [(u:Unit WHERE u.retired_on IS NULL)-[:OFFERS]->(r:Resource WHERE r.retired_on IS NULL)
       WHERE r.category = n.category |
       coalesce(r.capacity, 0)
       - reduce(s = 0, q IN [(m:Need WHERE m.retired_on IS NULL)-[d:DISPATCHED_TO]->(r) | coalesce(d.quantity, 0)] | s + q)
     ] AS remaining
RETURN n.id AS need_id, n.title AS title, n.category AS category,
       coalesce(n.quantity, 1) AS quantity, n.status AS status,
       CASE
         WHEN n.scope = 'street' THEN 'street'
         WHEN n.scope = 'grid' AND loc:Grid THEN 'grid'
         ELSE 'community'
       END AS scope,
       loc.id AS location_id,
       CASE WHEN loc:Grid THEN 'Grid' ELSE 'Community' END AS location_label,
       loc.name AS location_name,
       CASE
         WHEN NOT loc:Grid THEN grid_points
         WHEN loc.lat IS NULL OR loc.lon IS NULL THEN []
         ELSE [[loc.lat, loc.lon]]
       END AS loc_points,
       size(remaining) AS offered,
       size([x IN remaining WHERE x > 0]) AS available
ORDER BY location_label, location_id
