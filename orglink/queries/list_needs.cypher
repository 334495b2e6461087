// 需求列表 — one page of needs, ordered by id, with the total: filtered by state, community and
// category as asked, and by the caller's scope (the streets or communities it may see, or only
// needs escalated to a street for a department: an ESCALATED_TO relationship, or the state 已吹哨
// as the lists recorded it). Each item carries its place (raised at,
// community, street).
// Parameters: $status, $community, $category (each null = any), $street_ids, $community_ids
//             (lists, null = no restriction), $escalated_only (boolean), $skip, $limit
// Generated from the spec in orglink/queries/catalogue_lookups.py (python -m orglink.queries.generate); edit the spec, not this file.
MATCH (n:Need WHERE n.retired_on IS NULL)
  WHERE ($status IS NULL OR n.status = $status)
    AND ($category IS NULL OR n.category = $category)
    AND (NOT $escalated_only OR n.status = 'escalated' OR EXISTS { (n)-[:ESCALATED_TO]->(v_n:Street WHERE v_n.retired_on IS NULL) })
CALL (n) { OPTIONAL MATCH (n)-[:RAISED_AT]->(p:Grid|Community WHERE p.retired_on IS NULL) RETURN p ORDER BY p.id LIMIT 1 }
CALL (p) { OPTIONAL MATCH (p)-[:IN*0..1]->(c:Community WHERE c.retired_on IS NULL) RETURN c ORDER BY c.id LIMIT 1 }
CALL (c) { OPTIONAL MATCH (c)-[:IN]->(s:Street WHERE s.retired_on IS NULL) RETURN s ORDER BY s.id LIMIT 1 }
WITH n, p, c, s
  WHERE ($community IS NULL OR c.id = $community)
    AND ($community_ids IS NULL OR c.id IN $community_ids)
    AND ($street_ids IS NULL OR s.id IN $street_ids)
WITH n, p, c, s
  ORDER BY n.id
WITH collect({id: n.id,
              title: n.title,
              category: n.category,
              quantity: n.quantity,
              urgency: n.urgency,
              status: n.status,
              scope: n.scope,
              raised_on: toString(n.raised_on),
              raised_at: p.id,
              community: c.id,
              street: s.id,
              called: COLLECT { MATCH (n)-[:CALLED]->(x:Unit WHERE x.retired_on IS NULL) RETURN x.id AS x_id ORDER BY x_id }}) AS items
RETURN size(items) AS total, items[$skip..$skip + $limit] AS items
