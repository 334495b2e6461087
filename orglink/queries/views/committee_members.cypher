// 大工委、联合党委的成员单位
// 驻区单位加入街道大工委或社区联合党委，共驻共建。
MATCH p = (u:Unit WHERE u.retired_on IS NULL)-[:MEMBER_OF]->(o:PartyOrg {id: $party_org_id} WHERE o.retired_on IS NULL)
RETURN p
