// 一个单位的“一书三单”
// 共驻共建协议书与签约社区、资源清单、服务项目。
MATCH (u:Unit {id: $unit_id} WHERE u.retired_on IS NULL)
OPTIONAL MATCH signed = (u)-[:SIGNED]->(a:Agreement WHERE a.retired_on IS NULL)-[:WITH]->(c:Community WHERE c.retired_on IS NULL)
OPTIONAL MATCH offers = (u)-[:OFFERS]->(r:Resource WHERE r.retired_on IS NULL)
OPTIONAL MATCH runs = (u)<-[:BY]-(s:ServiceProject WHERE s.retired_on IS NULL)
RETURN u, signed, offers, runs
