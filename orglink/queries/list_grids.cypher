// 网格列表 — grids with their community and coordinates, ordered by id; all of them, those of
// street $street, or those of community $community.
// Parameters: $street (a street id or null), $community (a community id or null)
MATCH (g:Grid)
OPTIONAL MATCH (g)-[:IN]->(c:Community)
WITH g, head(collect(c)) AS c
OPTIONAL MATCH (c)-[:IN]->(s:Street)
WITH g, c, head(collect(s)) AS s
  WHERE ($community IS NULL OR c.id = $community) AND ($street IS NULL OR s.id = $street)
RETURN g.id AS id, g.name AS name, c.id AS community, g.lat AS lat, g.lon AS lon
ORDER BY id
