// 单位列表 — every unit with its kind, whether it is a district department or a resident unit,
// the street it is located in, its coordinates, how many resources it offers and their total
// capacity (数量), ordered by id; all of them, or those located in street $street.
// Parameters: $street (a street id or null)
// Generated from the spec in orglink/queries/catalogue_lookups.py (python -m orglink.queries.generate); edit the spec, not this file.
MATCH (u:Unit WHERE u.retired_on IS NULL)
CALL (u) { OPTIONAL MATCH (u)-[:LOCATED_IN]->(s:Street WHERE s.retired_on IS NULL) RETURN s ORDER BY s.id LIMIT 1 }
WITH u, s
  WHERE ($street IS NULL OR s.id = $street)
RETURN u.id AS id,
       u.name AS name,
       u.kind AS kind,
       u:Department AS department,
       u:ResidentUnit AS resident,
       s.id AS street,
       u.lat AS lat,
       u.lon AS lon,
       COUNT { (u)-[:OFFERS]->(v_u:Resource WHERE v_u.retired_on IS NULL) } AS resources,
       reduce(total = 0, q IN [(u)-[:OFFERS]->(x:Resource WHERE x.retired_on IS NULL) | coalesce(x.capacity, 0)] | total + q) AS capacity
ORDER BY id
