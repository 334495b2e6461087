// 驿站列表 — 暖"新"驿站, 司机之家 and 党群服务中心 with their services, community and the units
// running them, ordered by id; all of them, those of street $street, or of community $community.
// Parameters: $street (a street id or null), $community (a community id or null)
MATCH (st:Station)
OPTIONAL MATCH (st)-[:LOCATED_IN]->(c:Community)
WITH st, head(collect(c)) AS c
OPTIONAL MATCH (c)-[:IN]->(s:Street)
WITH st, c, head(collect(s)) AS s
  WHERE ($community IS NULL OR c.id = $community) AND ($street IS NULL OR s.id = $street)
RETURN st.id AS id, st.name AS name, st.kind AS kind, st.services AS services,
       c.id AS community, c.name AS community_name,
       COLLECT { MATCH (u:Unit)-[:RUNS]->(st) RETURN u.id AS unit ORDER BY unit } AS run_by
ORDER BY id
