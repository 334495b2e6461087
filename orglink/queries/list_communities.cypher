// 社区列表 — communities with their street and number of grids, ordered by id; all of them,
// those of street $street, or only community $community.
// Parameters: $street (a street id or null), $community (a community id or null)
// Generated from the spec in orglink/queries/catalogue_lookups.py (python -m orglink.queries.generate); edit the spec, not this file.
MATCH (c:Community WHERE c.retired_on IS NULL)
  WHERE ($community IS NULL OR c.id = $community)
CALL (c) { OPTIONAL MATCH (c)-[:IN]->(s:Street WHERE s.retired_on IS NULL) RETURN s ORDER BY s.id LIMIT 1 }
WITH c, s
  WHERE ($street IS NULL OR s.id = $street)
RETURN c.id AS id,
       c.name AS name,
       s.id AS street,
       s.name AS street_name,
       COUNT { (v_c:Grid WHERE v_c.retired_on IS NULL)-[:IN]->(c) } AS grids
ORDER BY id
