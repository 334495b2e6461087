// 点单 — record a resident's order: a new Need raised at grid $grid (if given and in the
// community) or at community $community, with the next id of the day: $prefix + a 4-digit
// sequence (e.g. N-20250301-0007). The District node(s) are write-locked before the sequence is
// read, so concurrent orders serialise and never take the same id.
// Returns no row (and changes nothing) if the community does not exist.
// A retired need, resource, unit or place (retired_on set by a load) counts as missing.
// Parameters: $prefix (e.g. 'N-20250301-'), $community, $grid (or null), $props (map of Need
//             properties: title, category, quantity, urgency, raised_on, status, scope, source),
//             $history (JSON text of the audit trail holding the order entry)
MATCH (c:Community {id: $community} WHERE c.retired_on IS NULL)
OPTIONAL MATCH (g:Grid {id: $grid} WHERE g.retired_on IS NULL)-[:IN]->(c)
WITH c, head(collect(g)) AS g
OPTIONAL MATCH (d:District)
WITH c, g, collect(d) AS districts
FOREACH (x IN districts | SET x._lock = true)
WITH c, g, districts
OPTIONAL MATCH (x:Need)
  WHERE x.id STARTS WITH $prefix
WITH c, g, districts, max(toInteger(substring(x.id, size($prefix)))) AS last
WITH c, g, districts, coalesce(last, 0) + 1 AS seq
CREATE (n:Need {id: $prefix + CASE WHEN seq < 10000 THEN right('000' + toString(seq), 4)
                                   ELSE toString(seq) END})
SET n += $props, n.history = $history
WITH districts, n, coalesce(g, c) AS place
CREATE (n)-[:RAISED_AT]->(place)
FOREACH (x IN districts | REMOVE x._lock)
RETURN n.id AS id, n.status AS status
