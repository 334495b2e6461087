// 方案候选 — the input of the pairing plan: every open need (status in $statuses) with each of
// its candidates as nearest_units.cypher defines them (a unit offering a resource of the
// need's category with capacity left, reachable in at most 12 linkage hops passing only
// through territory inside a level's reach and party organisations RESPONSIBLE_FOR a node of
// that reach, climbing the ladder 网格 → 社区 → 街道: the grid only for a grid-scope need
// raised at a grid, then the community, then the street only for a street-scope or an
// escalated (吹哨) need): one row per (need, resource) with the unit, the remaining capacity,
// served_at (the lowest level that reaches the unit: 'grid', 'community' or 'street') and the
// hops at that level. scope is the need's own scope as matching reads it (a grid-scope need
// raised at a community counts as 'community'; no scope counts as 'community'). A need
// without any candidate gets one row whose resource_id, unit_id, remaining, hops and
// served_at are null. Shortest paths are searched once per (place, scope, ladder, category),
// not per need.
// Retired nodes (retired_on set by a load of the lists) and their relationships are left out.
// Parameters: $statuses (list of strings) — the open statuses, e.g. ['ordered', 'accepted', 'escalated']
MATCH (n:Need WHERE n.retired_on IS NULL)-[:RAISED_AT]->(loc WHERE loc.retired_on IS NULL)
WHERE n.status IN $statuses AND (loc:Grid OR loc:Community)
WITH n, loc,
     CASE
       WHEN n.scope = 'street' THEN 'street'
       WHEN n.scope = 'grid' AND loc:Grid THEN 'grid'
       ELSE 'community'
     END AS scope
WITH n, loc, scope,
     CASE WHEN scope = 'street' OR n.status = 'escalated' THEN 'street' ELSE 'community' END AS top
WITH loc, scope, top, n.category AS category, collect(n) AS needs
WITH loc, scope, top, category, needs,
     [(loc)-[:IN*0..1]->(c:Community WHERE c.retired_on IS NULL) | c] AS communities,
     [q = (loc)-[:IN*0..2]->(s:Street) WHERE all(x IN nodes(q) WHERE x.retired_on IS NULL) | s] AS streets
// the ladder: each level's reach roots, lowest level first
WITH loc, scope, category, needs,
     CASE WHEN scope = 'grid' THEN [{level: 'grid', rank: 0, roots: [loc]}] ELSE [] END
     + [{level: 'community', rank: 1, roots: CASE WHEN communities = [] THEN [loc] ELSE communities END}]
     + CASE WHEN top = 'street' THEN
         [{level: 'street', rank: 2, roots: CASE
           WHEN streets <> [] THEN streets
           WHEN communities <> [] THEN communities
           ELSE [loc]
         END}]
       ELSE [] END AS rungs
WITH loc, scope, category, needs,
     [rung IN rungs | {level: rung.level, rank: rung.rank,
       inside: reduce(acc = [], root IN rung.roots | acc + [q = (t)-[:IN*0..3]->(root) WHERE all(x IN nodes(q) WHERE x.retired_on IS NULL) | t])}]
     AS rungs
// each level's reach: element ids of its territory and of the party organisations responsible for some of it
WITH loc, scope, category, needs,
     [rung IN rungs | {level: rung.level, rank: rung.rank,
       reach: [t IN rung.inside | elementId(t)]
              + reduce(acc = [], t IN rung.inside | acc + [(o:PartyOrg WHERE o.retired_on IS NULL)-[:RESPONSIBLE_FOR]->(t) | elementId(o)])}]
     AS ladder
WITH loc, scope, category, needs,
     COLLECT {
       MATCH (u:Unit WHERE u.retired_on IS NULL)-[:OFFERS]->(r:Resource WHERE r.retired_on IS NULL)
       WHERE r.category = category
       WITH u, r,
            coalesce(r.capacity, 0)
            - reduce(s = 0, q IN [(m:Need WHERE m.retired_on IS NULL)-[d:DISPATCHED_TO]->(r) | coalesce(d.quantity, 0)] | s + q)
            AS remaining
       WHERE remaining > 0
       WITH u, collect({resource_id: r.id, remaining: remaining}) AS resources
       UNWIND ladder AS rung
       MATCH p = shortestPath((loc)-[:IN|RESPONSIBLE_FOR|CO_BUILDS|MEMBER_OF|WORKS_AT|REPORTS_TO|LOCATED_IN*..12]-(u))
       WHERE all(x IN nodes(p) WHERE x.retired_on IS NULL AND (
                 NOT (x:District OR x:Street OR x:Community OR x:Grid OR x:Compound OR x:PartyOrg)
                 OR elementId(x) IN rung.reach))
       // the lowest level that reaches the unit, with its hops
       WITH u, resources, rung.rank AS rank, rung.level AS served_at, length(p) AS hops
       ORDER BY rank
       WITH u, resources, head(collect({served_at: served_at, hops: hops})) AS best
       UNWIND resources AS res
       RETURN {resource_id: res.resource_id, unit_id: u.id, remaining: res.remaining, hops: best.hops,
               served_at: best.served_at}
     } AS candidates
UNWIND needs AS n
UNWIND CASE WHEN candidates = [] THEN [null] ELSE candidates END AS c
RETURN n.id AS need_id, n.title AS need_title, category, coalesce(n.quantity, 1) AS quantity,
       loc.id AS location_id, scope,
       c.resource_id AS resource_id, c.unit_id AS unit_id, c.remaining AS remaining, c.hops AS hops,
       c.served_at AS served_at
ORDER BY need_id, resource_id, unit_id, location_id
