// 网格列表 — grids with their community and coordinates, ordered by id; all of them, those of
// street $street, or those of community $community.
// Parameters: $street (a street id or null), $community (a community id or null)
// Generated from the spec in orglink/queries/catalogue_lookups.py (python -m orglink.queries.generate); edit the spec, not this file.
MATCH (g:Grid WHERE g.retired_on IS NULL)
CALL (g) { OPTIONAL MATCH (g)-[:IN]->(c:Community WHERE c.retired_on IS NULL) RETURN c ORDER BY c.id LIMIT 1 }
CALL (c) { OPTIONAL MATCH (c)-[:IN]->(s:Street WHERE s.retired_on IS NULL) RETURN s ORDER BY s.id LIMIT 1 }
WITH g, c, s
  WHERE ($community IS NULL OR c.id = $community)
    AND ($street IS NULL OR s.id = $street)
RETURN g.id AS id,
       g.name AS name,
       c.id AS community,
       g.lat AS lat,
       g.lon AS lon
ORDER BY id
