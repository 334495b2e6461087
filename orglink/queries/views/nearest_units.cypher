// 一项需求与能满足它的最近单位（示意）
// 沿组织关系找提供同类资源的单位，按跳数由近到远取前三个；正式配对另按子类与服务范围判断（orglink match）。
MATCH (n:Need {id: $need_id} WHERE n.retired_on IS NULL)-[:RAISED_AT]->(loc WHERE loc.retired_on IS NULL)
MATCH (u:Unit WHERE u.retired_on IS NULL)-[:OFFERS]->(r:Resource WHERE r.retired_on IS NULL AND r.category = n.category)
MATCH p = shortestPath((loc)-[:IN|RESPONSIBLE_FOR|CO_BUILDS|MEMBER_OF|WORKS_AT|REPORTS_TO|LOCATED_IN*..8]-(u))
WHERE all(x IN nodes(p) WHERE x.retired_on IS NULL)
RETURN n, p, r
ORDER BY length(p), u.id, r.id
LIMIT 3
