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
// served_at are null.
// How it scales: the needs are grouped by place; from each place, one breadth-first search per
// level its needs climb (a variable-length pattern of at most 12 hops whose only use is the
// shortest length to each unit, which Neo4j plans as VarLengthExpand(Pruning,BFS): every node
// is visited once), not one shortestPath per (need group, unit, level); each reached unit's
// resources are read once per place.
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
// per place: its groups of needs, and the levels any of them climbs
WITH loc, collect({scope: scope, top: top, category: category, needs: needs}) AS groups
WITH loc, groups,
     [(loc)-[:IN*0..1]->(c:Community WHERE c.retired_on IS NULL) | c] AS communities,
     [q = (loc)-[:IN*0..2]->(s:Street) WHERE all(x IN nodes(q) WHERE x.retired_on IS NULL) | s] AS streets
// the ladder: each level's reach roots, lowest level first
WITH loc, groups,
     CASE WHEN any(g IN groups WHERE g.scope = 'grid') THEN [{level: 'grid', rank: 0, roots: [loc]}] ELSE [] END
     + [{level: 'community', rank: 1, roots: CASE WHEN communities = [] THEN [loc] ELSE communities END}]
     + CASE WHEN any(g IN groups WHERE g.top = 'street') THEN
         [{level: 'street', rank: 2, roots: CASE
           WHEN streets <> [] THEN streets
           WHEN communities <> [] THEN communities
           ELSE [loc]
         END}]
       ELSE [] END AS rungs
// per level: one breadth-first search from the place within that level's reach (its
// territory and the party organisations responsible for some of it), to every unit
WITH loc, groups,
     COLLECT {
       UNWIND rungs AS rung
       WITH rung, reduce(acc = [], root IN rung.roots | acc + [q = (t)-[:IN*0..3]->(root) WHERE all(x IN nodes(q) WHERE x.retired_on IS NULL) | t]) AS inside
       WITH rung, [t IN inside | elementId(t)]
                  + reduce(acc = [], t IN inside | acc + [(o:PartyOrg WHERE o.retired_on IS NULL)-[:RESPONSIBLE_FOR]->(t) | elementId(o)])
                  AS reach
       MATCH p = (loc)-[:IN|RESPONSIBLE_FOR|CO_BUILDS|MEMBER_OF|WORKS_AT|REPORTS_TO|LOCATED_IN*..12]-(u:Unit)
       WHERE all(x IN nodes(p) WHERE x.retired_on IS NULL AND (
                 NOT (x:District OR x:Street OR x:Community OR x:Grid OR x:Compound OR x:PartyOrg)
                 OR elementId(x) IN reach))
       WITH rung, u, min(length(p)) AS hops
       RETURN {unit: u, rank: rung.rank, level: rung.level, hops: hops}
     } AS reached
// per reached unit: its levels (lowest first) and its resources of the place's categories with capacity left
WITH loc, groups, [g IN groups | g.category] AS categories, reached
WITH loc, groups,
     COLLECT {
       UNWIND reached AS h
       WITH h ORDER BY h.rank
       WITH h.unit AS u, collect(h) AS hits
       MATCH (u)-[:OFFERS]->(r:Resource WHERE r.retired_on IS NULL)
       WHERE r.category IN categories
       WITH u, hits, r,
            coalesce(r.capacity, 0)
            - reduce(s = 0, q IN [(m:Need WHERE m.retired_on IS NULL)-[d:DISPATCHED_TO]->(r) | coalesce(d.quantity, 0)] | s + q)
            AS remaining
       WHERE remaining > 0
       RETURN {unit_id: u.id, hits: hits, category: r.category, resource_id: r.id, remaining: remaining}
     } AS offers
UNWIND groups AS g
// each need's candidates: the offers of its category, served at the lowest level of its own ladder
WITH loc, g,
     [o IN offers WHERE o.category = g.category
      | {offer: o, best: head([h IN o.hits WHERE h.rank = 1 OR (h.rank = 0 AND g.scope = 'grid')
                                                   OR (h.rank = 2 AND g.top = 'street')])}] AS found
WITH loc, g, [f IN found WHERE f.best IS NOT NULL
              | {resource_id: f.offer.resource_id, unit_id: f.offer.unit_id, remaining: f.offer.remaining,
                 hops: f.best.hops, served_at: f.best.level}] AS candidates
UNWIND g.needs AS n
UNWIND CASE WHEN candidates = [] THEN [null] ELSE candidates END AS c
RETURN n.id AS need_id, n.title AS need_title, g.category AS category, coalesce(n.quantity, 1) AS quantity,
       loc.id AS location_id, g.scope AS scope,
       c.resource_id AS resource_id, c.unit_id AS unit_id, c.remaining AS remaining, c.hops AS hops,
       c.served_at AS served_at
ORDER BY need_id, resource_id, unit_id, location_id
