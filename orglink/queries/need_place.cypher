// 需求位置 — where one need sits, for permission checks and the lifecycle: its state, category
// and quantity, the grid or community it was raised at, that place's community and street, and
// whether it has been escalated (吹哨) to a street (an ESCALATED_TO relationship, or the state
// 已吹哨 as the lists recorded it).
// Parameters: $need_id
// Generated from the spec in orglink/queries/catalogue_lookups.py (python -m orglink.queries.generate); edit the spec, not this file.
MATCH (n:Need {id: $need_id} WHERE n.retired_on IS NULL)
CALL (n) { OPTIONAL MATCH (n)-[:RAISED_AT]->(p:Grid|Community WHERE p.retired_on IS NULL) RETURN p ORDER BY p.id LIMIT 1 }
CALL (p) { OPTIONAL MATCH (p)-[:IN*0..1]->(c:Community WHERE c.retired_on IS NULL) RETURN c ORDER BY c.id LIMIT 1 }
CALL (c) { OPTIONAL MATCH (c)-[:IN]->(s:Street WHERE s.retired_on IS NULL) RETURN s ORDER BY s.id LIMIT 1 }
RETURN n.id AS id,
       n.status AS status,
       n.category AS category,
       n.subtype AS subtype,
       n.quantity AS quantity,
       p.id AS raised_at,
       c.id AS community,
       s.id AS street,
       (n.status = 'escalated' OR EXISTS { (n)-[:ESCALATED_TO]->(v_n:Street WHERE v_n.retired_on IS NULL) }) AS escalated,
       COLLECT { MATCH (n)-[:CALLED]->(x:Unit WHERE x.retired_on IS NULL) RETURN x.id AS x_id ORDER BY x_id } AS called
