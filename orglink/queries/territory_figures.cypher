// 组织与阵地数字 — the source document's territory, department and station figures as they
// stand in the graph: communities, grids, grid party branches, district departments (区直部门),
// the departments UNDER the district committee, party-member cadres of departments reporting to
// a community (双报到), 暖"新"驿站 and 司机之家 offering every one of the five services (each given
// as the list of its accepted words in $services), the people the stations served (服务人次,
// summed over those that give it), owners' committees, and the units' memberships of
// 大工委/联合党委 (MEMBER_OF relationships).
// Retired nodes (retired_on set by a load of the lists) and their relationships are left out.
// Parameters: $services (a list of lists of strings: per service, its name and short forms)
CALL {
  MATCH (st:Station WHERE st.retired_on IS NULL)
  WHERE st.served IS NOT NULL
  RETURN sum(st.served) AS served, count(st) AS counted
}
RETURN
  COUNT { MATCH (c:Community WHERE c.retired_on IS NULL) } AS communities,
  COUNT { MATCH (g:Grid WHERE g.retired_on IS NULL) } AS grids,
  COUNT { MATCH (b:GridBranch WHERE b.retired_on IS NULL) } AS grid_branches,
  COUNT { MATCH (u:Department WHERE u.retired_on IS NULL) } AS departments,
  COUNT { MATCH (u:Department WHERE u.retired_on IS NULL)
          WHERE EXISTS { (u)-[:UNDER]->(dc:DistrictCommittee WHERE dc.retired_on IS NULL) } } AS departments_under_committee,
  COUNT { MATCH (k:Cadre WHERE k.retired_on IS NULL AND k.party_member = true)
          WHERE EXISTS { (k)-[:WORKS_AT]->(d:Department WHERE d.retired_on IS NULL) }
            AND EXISTS { (k)-[:REPORTS_TO]->(c:Community WHERE c.retired_on IS NULL) } } AS department_party_members,
  COUNT { MATCH (st:Station WHERE st.retired_on IS NULL)
          WHERE st.kind IN ['暖新驿站', '司机之家']
            AND all(words IN $services WHERE any(w IN coalesce(st.services, []) WHERE w IN words)) }
    AS stations_with_all_services,
  CASE WHEN counted > 0 THEN served ELSE null END AS station_served,
  COUNT { MATCH (o:OwnersCommittee WHERE o.retired_on IS NULL) } AS owners_committees,
  COUNT { MATCH (u:Unit WHERE u.retired_on IS NULL)-[:MEMBER_OF]->(o:PartyOrg WHERE o.retired_on IS NULL) }
    AS memberships
