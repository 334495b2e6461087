// 四位一体 — one community's party committee (社区党委) and the residents' committee (居委会),
// owners' committees (业委会) and property companies (物业公司) located in the community, each
// with its members, party members, party-member share (per cent, two decimals; null without
// members) and whether the committee LEADS it; ordered 居委会, 业委会, 物业公司, then id.
// One row; none when the community does not exist.
// Retired nodes (retired_on set by a load of the lists) and their relationships are left out.
// Parameters: $community_id (string) — the community's id, e.g. 'C001'
MATCH (c:Community {id: $community_id} WHERE c.retired_on IS NULL)
OPTIONAL MATCH (cc:CommunityCommittee WHERE cc.retired_on IS NULL)-[:RESPONSIBLE_FOR]->(c)
WITH c, cc
ORDER BY cc.id
LIMIT 1
RETURN
  c.id AS community_id,
  c.name AS community_name,
  cc.id AS committee_id,
  cc.name AS committee_name,
  COLLECT {
    MATCH (b:ResidentsCommittee|OwnersCommittee|PropertyCompany WHERE b.retired_on IS NULL)-[:LOCATED_IN]->(c)
    WITH DISTINCT b,
         CASE WHEN b:ResidentsCommittee THEN 0 WHEN b:OwnersCommittee THEN 1 ELSE 2 END AS rank
    RETURN {
      id: b.id,
      name: b.name,
      kind: CASE rank WHEN 0 THEN '居委会' WHEN 1 THEN '业委会' ELSE '物业公司' END,
      members: b.members,
      party_members: b.party_members,
      share: CASE WHEN b.members > 0 AND b.party_members IS NOT NULL
                  THEN round(100.0 * b.party_members / b.members, 2) ELSE null END,
      led: cc IS NOT NULL AND EXISTS { (cc)-[:LEADS]->(b) }
    } AS body
    ORDER BY rank, b.id
  } AS bodies
