// 社区列表 — communities with their street and number of grids, ordered by id; all of them,
// those of street $street, or only community $community.
// Parameters: $street (a street id or null), $community (a community id or null)
MATCH (c:Community)
  WHERE $community IS NULL OR c.id = $community
OPTIONAL MATCH (c)-[:IN]->(s:Street)
WITH c, head(collect(s)) AS s
  WHERE $street IS NULL OR s.id = $street
RETURN c.id AS id, c.name AS name, s.id AS street, s.name AS street_name,
       COUNT { (:Grid)-[:IN]->(c) } AS grids
ORDER BY id
