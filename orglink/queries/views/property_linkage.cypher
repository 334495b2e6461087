// 物业党建联建：“四位一体”
// 社区党组织领导居委会、业委会和物业服务企业。
MATCH p = (cc:CommunityCommittee WHERE cc.retired_on IS NULL)-[:LEADS]->(x WHERE x.retired_on IS NULL)
WHERE x:ResidentsCommittee OR x:OwnersCommittee OR x:PropertyCompany
RETURN p
