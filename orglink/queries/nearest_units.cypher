// 最近单位 — for one need: every unit that offers a resource of the need's category with
// capacity left (capacity minus the quantities already dispatched to it) and can be reached
// from the grid or community where the need was raised along linkage relationships only
// (IN, RESPONSIBLE_FOR, CO_BUILDS, MEMBER_OF, WORKS_AT, REPORTS_TO, LOCATED_IN; either
// direction; at most 12), climbing the ladder 网格 → 社区 → 街道 (小事不出网格、大事不出社区).
// At each level a path passes only through territory inside that level's reach: 'grid' →
// the grid and its compounds; 'community' → the community and its grids and compounds;
// 'street' → the street and everything in it; and only through party organisations
// RESPONSIBLE_FOR at least one node of that reach (the 区委 never; a street's 党工委 only at
// the street level of that street; a party organisation responsible for nothing never);
// other nodes (units, cadres …) connect freely. The levels a need climbs, lowest first: its
// grid (only a grid-scope need raised at a grid), its community, and its street only for a
// street-scope need or an escalated one (吹哨, status 'escalated'), whatever its scope.
// Each unit is served at the lowest level that reaches it (served_at: 'grid', 'community'
// or 'street'). One row per (unit, resource) with that level's hop count and one shortest
// path at that level (node ids, primary labels, names; relationship types and whether each
// points forward along the path): of tied shortest paths the smallest by its nodes' (id,
// label) sequence, then by its relationships' types, then directions (backward first), so
// every run and backend agree.
// Retired nodes (retired_on set by a load of the lists) and their relationships are left out.
// Parameters: $need_id (string) — the need's id
MATCH (n:Need {id: $need_id} WHERE n.retired_on IS NULL)-[:RAISED_AT]->(loc WHERE loc.retired_on IS NULL)
WHERE loc:Grid OR loc:Community
WITH n, loc,
     CASE
       WHEN n.scope = 'street' THEN 'street'
       WHEN n.scope = 'grid' AND loc:Grid THEN 'grid'
       ELSE 'community'
     END AS scope,
     [(loc)-[:IN*0..1]->(c:Community WHERE c.retired_on IS NULL) | c] AS communities,
     [q = (loc)-[:IN*0..2]->(s:Street) WHERE all(x IN nodes(q) WHERE x.retired_on IS NULL) | s] AS streets
// the ladder: each level's reach roots, lowest level first
WITH n, loc,
     CASE WHEN scope = 'grid' THEN [{level: 'grid', rank: 0, roots: [loc]}] ELSE [] END
     + [{level: 'community', rank: 1, roots: CASE WHEN communities = [] THEN [loc] ELSE communities END}]
     + CASE WHEN scope = 'street' OR n.status = 'escalated' THEN
         [{level: 'street', rank: 2, roots: CASE
           WHEN streets <> [] THEN streets
           WHEN communities <> [] THEN communities
           ELSE [loc]
         END}]
       ELSE [] END AS rungs
WITH n, loc,
     [rung IN rungs | {level: rung.level, rank: rung.rank,
       inside: reduce(acc = [], root IN rung.roots | acc + [q = (t)-[:IN*0..3]->(root) WHERE all(x IN nodes(q) WHERE x.retired_on IS NULL) | t])}]
     AS rungs
// each level's reach: element ids of its territory and of the party organisations responsible for some of it
WITH n, loc,
     [rung IN rungs | {level: rung.level, rank: rung.rank,
       reach: [t IN rung.inside | elementId(t)]
              + reduce(acc = [], t IN rung.inside | acc + [(o:PartyOrg WHERE o.retired_on IS NULL)-[:RESPONSIBLE_FOR]->(t) | elementId(o)])}]
     AS ladder
MATCH (u:Unit WHERE u.retired_on IS NULL)-[:OFFERS]->(r:Resource WHERE r.retired_on IS NULL)
WHERE r.category = n.category
WITH n, loc, ladder, u, r,
     coalesce(r.capacity, 0)
     - reduce(s = 0, q IN [(m:Need WHERE m.retired_on IS NULL)-[d:DISPATCHED_TO]->(r) | coalesce(d.quantity, 0)] | s + q)
     AS remaining
WHERE remaining > 0
WITH n, loc, ladder, u,
     collect({id: r.id, title: r.title, category: r.category, remaining: remaining}) AS resources
// the lowest level from which the unit can be reached: the first lower level with a path,
// else the top level (where allShortestPaths below finds no path when the unit is out of reach)
WITH n, loc, u, resources,
     coalesce(head(COLLECT {
       UNWIND ladder[0..-1] AS rung
       MATCH p = shortestPath((loc)-[:IN|RESPONSIBLE_FOR|CO_BUILDS|MEMBER_OF|WORKS_AT|REPORTS_TO|LOCATED_IN*..12]-(u))
       WHERE all(x IN nodes(p) WHERE x.retired_on IS NULL AND (
                 NOT (x:District OR x:Street OR x:Community OR x:Grid OR x:Compound OR x:PartyOrg)
                 OR elementId(x) IN rung.reach))
       RETURN rung ORDER BY rung.rank
     }), last(ladder)) AS rung
MATCH p = allShortestPaths((loc)-[:IN|RESPONSIBLE_FOR|CO_BUILDS|MEMBER_OF|WORKS_AT|REPORTS_TO|LOCATED_IN*..12]-(u))
WHERE all(x IN nodes(p) WHERE x.retired_on IS NULL AND (
          NOT (x:District OR x:Street OR x:Community OR x:Grid OR x:Compound OR x:PartyOrg)
          OR elementId(x) IN rung.reach))
WITH n, u, resources, rung.level AS served_at, p
ORDER BY [x IN nodes(p) | [x.id, head([l IN labels(x) WHERE NOT l IN ['PartyOrg', 'Department', 'ResidentUnit']])]],
         [rel IN relationships(p) | type(rel)],
         [i IN range(0, length(p) - 1) | startNode(relationships(p)[i]) = nodes(p)[i]]
WITH n, u, resources, served_at, head(collect(p)) AS p
UNWIND resources AS res
RETURN n.id AS need_id, u.id AS unit_id, u.name AS unit_name, u.lat AS unit_lat, u.lon AS unit_lon,
       res.id AS resource_id, res.title AS resource_title, res.category AS category,
       res.remaining AS remaining, length(p) AS hops, served_at,
       [x IN nodes(p) | x.id] AS path_ids,
       [x IN nodes(p) | head([l IN labels(x) WHERE NOT l IN ['PartyOrg', 'Department', 'ResidentUnit']])]
         AS path_labels,
       [x IN nodes(p) | x.name] AS path_names,
       [rel IN relationships(p) | type(rel)] AS path_rels,
       [i IN range(0, length(p) - 1) | startNode(relationships(p)[i]) = nodes(p)[i]] AS path_forward
ORDER BY hops, remaining DESC, unit_id, resource_id
