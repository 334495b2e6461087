// 一个社区的五级组织体系
// 街道党工委 → 社区党委 → 网格党支部 → 院落党小组 → 党员中心户。
MATCH (cc:CommunityCommittee WHERE cc.retired_on IS NULL)-[:RESPONSIBLE_FOR]->(:Community {id: $community_id})
MATCH up = (w:WorkingCommittee WHERE w.retired_on IS NULL)-[:LEADS]->(cc)
OPTIONAL MATCH down = (cc)-[:LEADS*1..4]->(o:PartyOrg)
  WHERE all(x IN nodes(down) WHERE x.retired_on IS NULL)
RETURN up, down
LIMIT 100
