// 驿站列表 — 暖"新"驿站, 司机之家 and 党群服务中心 with their services, community and the units
// running them, ordered by id; all of them, those of street $street, or of community $community.
// Parameters: $street (a street id or null), $community (a community id or null)
// Generated from the spec in orglink/queries/catalogue_lookups.py (python -m orglink.queries.generate); edit the spec, not this file.
MATCH (st:Station WHERE st.retired_on IS NULL)
CALL (st) { OPTIONAL MATCH (st)-[:LOCATED_IN]->(c:Community WHERE c.retired_on IS NULL) RETURN c ORDER BY c.id LIMIT 1 }
CALL (c) { OPTIONAL MATCH (c)-[:IN]->(s:Street WHERE s.retired_on IS NULL) RETURN s ORDER BY s.id LIMIT 1 }
WITH st, c, s
  WHERE ($community IS NULL OR c.id = $community)
    AND ($street IS NULL OR s.id = $street)
RETURN st.id AS id,
       st.name AS name,
       st.kind AS kind,
       st.services AS services,
       c.id AS community,
       c.name AS community_name,
       COLLECT { MATCH (x:Unit WHERE x.retired_on IS NULL)-[:RUNS]->(st) RETURN x.id AS x_id ORDER BY x_id } AS run_by
ORDER BY id
