// 文件数字核对 — the source document's figures as they stand in the graph:
// grid-level party groups, 暖"新"驿站 and 司机之家 counts, handled matters (办结需求),
// cadres reporting to communities, the party-member share of owners' committees, and the
// community-worker training: themed classes (主题培训) and exam classes (考前培训), with person-times.
// Retired nodes (retired_on set by a load of the lists) and their relationships are left out.
// Parameters: none
CALL {
  MATCH (o:OwnersCommittee WHERE o.retired_on IS NULL)
  RETURN sum(o.party_members) AS party_members, sum(o.members) AS members
}
CALL {
  MATCH (t:Training WHERE t.retired_on IS NULL)
  RETURN sum(CASE WHEN t.kind = 'themed' THEN coalesce(t.person_times, 0) ELSE 0 END) AS themed_times,
         sum(CASE WHEN t.kind = 'exam' THEN coalesce(t.person_times, 0) ELSE 0 END) AS exam_times
}
RETURN
  COUNT { MATCH (g:PartyGroup WHERE g.retired_on IS NULL) WHERE g.level = '网格党小组' } AS grid_party_groups,
  COUNT { MATCH (s:Station WHERE s.retired_on IS NULL) WHERE s.kind = '暖新驿站' } AS warm_stations,
  COUNT { MATCH (s:Station WHERE s.retired_on IS NULL) WHERE s.kind = '司机之家' } AS driver_homes,
  COUNT { MATCH (n:Need WHERE n.retired_on IS NULL) WHERE n.status = 'done' } AS done_needs,
  COUNT { MATCH (c:Cadre) WHERE c.retired_on IS NULL
                AND EXISTS { (c)-[:REPORTS_TO]->(m:Community WHERE m.retired_on IS NULL) } } AS reporting_cadres,
  CASE WHEN members > 0 THEN round(100.0 * party_members / members, 2) ELSE null END
    AS owners_party_share,
  COUNT { MATCH (t:Training WHERE t.retired_on IS NULL) WHERE t.kind = 'themed' } AS training_classes,
  themed_times AS training_person_times,
  COUNT { MATCH (t:Training WHERE t.retired_on IS NULL) WHERE t.kind = 'exam' } AS exam_classes,
  exam_times AS exam_person_times
