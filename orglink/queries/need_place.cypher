// 需求位置 — where one need sits, for permission checks and the lifecycle: its state, category
// and quantity, the grid or community it was raised at, that place's community and street, and
// whether it has been escalated (吹哨) to a street.
// Parameters: $need_id
MATCH (n:Need {id: $need_id})
OPTIONAL MATCH (n)-[:RAISED_AT]->(p:Grid|Community)
WITH n, head(collect(p)) AS p
OPTIONAL MATCH (p)-[:IN*0..1]->(c:Community)
WITH n, p, head(collect(c)) AS c
OPTIONAL MATCH (c)-[:IN]->(s:Street)
WITH n, p, c, head(collect(s)) AS s
RETURN n.id AS id, n.status AS status, n.category AS category, n.quantity AS quantity,
       p.id AS raised_at, c.id AS community, s.id AS street,
       EXISTS { (n)-[:ESCALATED_TO]->(:Street) } AS escalated
