// 社区组织链 — the organisation chain of one community: the community, the street (街道) and
// district (区) it lies in, the community party committee (社区党委) responsible for it, the
// street working committee (街道党工委) that LEADS that committee, the grid party branches
// (网格党支部) and party groups (党小组) below the committee via LEADS (up to three levels down,
// each with the id of the organisation that leads it, ordered by id), and the community's grids
// (ordered by id). One row; none when the community does not exist. A missing link gives null
// (street, district, committees) or an empty list (orgs, grids).
// Retired nodes (retired_on set by a load of the lists) and their relationships are left out.
// Parameters: $community_id (string) — the community's id
MATCH (c:Community {id: $community_id} WHERE c.retired_on IS NULL)
OPTIONAL MATCH (c)-[:IN]->(s:Street WHERE s.retired_on IS NULL)
OPTIONAL MATCH (s)-[:IN]->(d:District WHERE d.retired_on IS NULL)
OPTIONAL MATCH (cc:CommunityCommittee WHERE cc.retired_on IS NULL)-[:RESPONSIBLE_FOR]->(c)
OPTIONAL MATCH (wc:WorkingCommittee WHERE wc.retired_on IS NULL)-[:LEADS]->(cc)
WITH c, s, d, cc, wc
ORDER BY s.id, d.id, cc.id, wc.id
LIMIT 1
RETURN
  c.id AS community_id,
  c.name AS community_name,
  s.id AS street_id,
  s.name AS street_name,
  d.id AS district_id,
  d.name AS district_name,
  cc.id AS committee_id,
  cc.name AS committee_name,
  wc.id AS working_committee_id,
  wc.name AS working_committee_name,
  COLLECT {
    MATCH q = (cc)-[:LEADS*0..2]->(parent)-[:LEADS]->(o:GridBranch|PartyGroup)
    WHERE all(x IN nodes(q) WHERE x.retired_on IS NULL)
    WITH DISTINCT o, parent
    RETURN {
      id: o.id,
      name: o.name,
      label: CASE WHEN o:GridBranch THEN 'GridBranch' ELSE 'PartyGroup' END,
      level: o.level,
      parent_id: parent.id
    } AS org
    ORDER BY o.id, parent.id
  } AS orgs,
  COLLECT {
    MATCH (g:Grid WHERE g.retired_on IS NULL)-[:IN]->(c)
    RETURN {id: g.id, name: g.name} AS grid
    ORDER BY g.id
  } AS grids
