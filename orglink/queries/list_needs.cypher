// 需求列表 — one page of needs, ordered by id, with the total: filtered by state, community and
// category as asked, and by the caller's scope (the streets or communities it may see, or only
// needs escalated to a street for a department). Each item carries its place (raised at,
// community, street).
// Parameters: $status, $community, $category (each null = any), $street_ids, $community_ids
//             (lists, null = no restriction), $escalated_only (boolean), $skip, $limit
MATCH (n:Need)
  WHERE ($status IS NULL OR n.status = $status)
    AND ($category IS NULL OR n.category = $category)
    AND (NOT $escalated_only OR EXISTS { (n)-[:ESCALATED_TO]->(:Street) })
OPTIONAL MATCH (n)-[:RAISED_AT]->(p:Grid|Community)
WITH n, head(collect(p)) AS p
OPTIONAL MATCH (p)-[:IN*0..1]->(c:Community)
WITH n, p, head(collect(c)) AS c
OPTIONAL MATCH (c)-[:IN]->(s:Street)
WITH n, p, c, head(collect(s)) AS s
  WHERE ($community IS NULL OR c.id = $community)
    AND ($community_ids IS NULL OR c.id IN $community_ids)
    AND ($street_ids IS NULL OR s.id IN $street_ids)
WITH n, p, c, s
  ORDER BY n.id
WITH collect({id: n.id, title: n.title, category: n.category, quantity: n.quantity,
              urgency: n.urgency, status: n.status, scope: n.scope,
              raised_on: toString(n.raised_on), raised_at: p.id, community: c.id,
              street: s.id}) AS items
RETURN size(items) AS total, items[$skip..$skip + $limit] AS items
