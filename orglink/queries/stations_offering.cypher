// 驿站与服务 — 暖"新"驿站, 司机之家 and 党群服务中心 with their services, the people they
// served (服务人次, null when the lists do not give it), their community and street and the
// units running them, ordered by id; all of them, or only those offering a service (a station
// offers it when one of its listed services is one of $service_words: the service's name and
// its short forms), of street $street or of community $community.
// Retired nodes (retired_on set by a load of the lists) and their relationships are left out.
// Parameters: $service_words (list of strings, or null for any), $street, $community
//             (ids, or null)
MATCH (st:Station WHERE st.retired_on IS NULL)
WHERE $service_words IS NULL OR any(w IN coalesce(st.services, []) WHERE w IN $service_words)
CALL (st) { OPTIONAL MATCH (st)-[:LOCATED_IN]->(c:Community WHERE c.retired_on IS NULL) RETURN c ORDER BY c.id LIMIT 1 }
CALL (c) { OPTIONAL MATCH (c)-[:IN]->(s:Street WHERE s.retired_on IS NULL) RETURN s ORDER BY s.id LIMIT 1 }
WITH st, c, s
WHERE ($community IS NULL OR c.id = $community) AND ($street IS NULL OR s.id = $street)
RETURN
  st.id AS id,
  st.name AS name,
  st.kind AS kind,
  st.services AS services,
  st.served AS served,
  c.id AS community,
  c.name AS community_name,
  s.id AS street,
  COLLECT { MATCH (u:Unit WHERE u.retired_on IS NULL)-[:RUNS]->(st) RETURN u.id AS unit_id ORDER BY unit_id } AS run_by
ORDER BY id
