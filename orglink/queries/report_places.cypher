// 配对报告·辖区 — every community with the street it belongs to, so the report's summary
// lists every street and community, also those without open needs. Communities not linked
// to a street come with a null street. Ordered by street id, then community id.
// Parameters: none
// Generated from the spec in orglink/queries/catalogue_lookups.py (python -m orglink.queries.generate); edit the spec, not this file.
MATCH (c:Community WHERE c.retired_on IS NULL)
OPTIONAL MATCH (c)-[:IN]->(s:Street WHERE s.retired_on IS NULL)
RETURN s.id AS street_id,
       s.name AS street_name,
       c.id AS community_id,
       c.name AS community_name
ORDER BY street_id, community_id
