// 五级组织链 — the organisation chain of one community, from the district down: the district
// committee (区委) leading the street working committee (街道党工委) and the number of district
// departments (区直部门) UNDER that committee (the chain 区委 — 区直部门 — 街道党工委), the
// community's street, the community party committee (社区党委) responsible for it and the
// working committee that LEADS it, and every party organisation below that committee along
// LEADS (up to four levels: 网格党支部 — 网格党小组 — 院落党小组 — 党员中心户), each with the id
// of the organisation leading it, ordered by level (down the chain), then id.
// One row; none when the community does not exist. A missing link gives null (or 0 / []).
// Retired nodes (retired_on set by a load of the lists) and their relationships are left out.
// Parameters: $community_id (string) — the community's id, e.g. 'C001'
MATCH (c:Community {id: $community_id} WHERE c.retired_on IS NULL)
OPTIONAL MATCH (c)-[:IN]->(s:Street WHERE s.retired_on IS NULL)
OPTIONAL MATCH (cc:CommunityCommittee WHERE cc.retired_on IS NULL)-[:RESPONSIBLE_FOR]->(c)
OPTIONAL MATCH (wc:WorkingCommittee WHERE wc.retired_on IS NULL)-[:LEADS]->(cc)
OPTIONAL MATCH (dc:DistrictCommittee WHERE dc.retired_on IS NULL)-[:LEADS]->(wc)
WITH c, s, cc, wc, dc
ORDER BY s.id, cc.id, wc.id, dc.id
LIMIT 1
RETURN
  c.id AS community_id,
  c.name AS community_name,
  s.id AS street_id,
  s.name AS street_name,
  dc.id AS district_committee_id,
  dc.name AS district_committee_name,
  COUNT { MATCH (u:Department WHERE u.retired_on IS NULL)-[:UNDER]->(dc) } AS departments,
  wc.id AS working_committee_id,
  wc.name AS working_committee_name,
  cc.id AS committee_id,
  cc.name AS committee_name,
  COLLECT {
    MATCH q = (cc)-[:LEADS*1..4]->(o:GridBranch|PartyGroup|CentralHousehold)
    WHERE all(x IN nodes(q) WHERE x.retired_on IS NULL)
    WITH DISTINCT o, nodes(q)[-2] AS parent
    WITH o, parent,
         CASE o.level WHEN '网格党支部' THEN 1 WHEN '网格党小组' THEN 2 WHEN '党小组' THEN 3
                      WHEN '院落党小组' THEN 4 WHEN '党员中心户' THEN 5 ELSE 6 END AS rank
    RETURN {id: o.id, name: o.name, level: o.level, parent_id: parent.id} AS org
    ORDER BY rank, o.id, parent.id
  } AS orgs
