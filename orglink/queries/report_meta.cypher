// 报告抬头 — the district's id and name and the load id its node carries (loaded_by =
// load-YYYYMMDDTHHMMSS-…, the time the lists were last loaded): the title block of a report.
// Parameters: none
// Generated from the spec in orglink/queries/catalogue_lookups.py (python -m orglink.queries.generate); edit the spec, not this file.
MATCH (d:District WHERE d.retired_on IS NULL)
RETURN d.id AS id,
       d.name AS name,
       d.loaded_by AS loaded_by
ORDER BY id
