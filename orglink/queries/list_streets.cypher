// 街道列表 — the district's streets (街道/镇/乡) with their kind and number of communities,
// ordered by id; all of them, or only $street.
// Parameters: $street (a street id, or null for all)
// Generated from the spec in orglink/queries/catalogue_lookups.py (python -m orglink.queries.generate); edit the spec, not this file.
MATCH (s:Street WHERE s.retired_on IS NULL)
  WHERE ($street IS NULL OR s.id = $street)
RETURN s.id AS id,
       s.name AS name,
       s.kind AS kind,
       COUNT { (v_s:Community WHERE v_s.retired_on IS NULL)-[:IN]->(s) } AS communities
ORDER BY id
