// 需求详情 — one need with everything a planner or a calling system needs to follow it: its
// properties, its audit trail (history, JSON text), the place it was raised at with community and
// street, its dispatches (派单, with the resource and the unit offering it), escalations (吹哨)
// and the departments' answers (报到), each ordered by time.
// Parameters: $need_id
// Generated from the spec in orglink/queries/catalogue_lookups.py (python -m orglink.queries.generate); edit the spec, not this file.
MATCH (n:Need {id: $need_id} WHERE n.retired_on IS NULL)
CALL (n) { OPTIONAL MATCH (n)-[:RAISED_AT]->(p:Grid|Community WHERE p.retired_on IS NULL) RETURN p ORDER BY p.id LIMIT 1 }
CALL (p) { OPTIONAL MATCH (p)-[:IN*0..1]->(c:Community WHERE c.retired_on IS NULL) RETURN c ORDER BY c.id LIMIT 1 }
CALL (c) { OPTIONAL MATCH (c)-[:IN]->(s:Street WHERE s.retired_on IS NULL) RETURN s ORDER BY s.id LIMIT 1 }
RETURN n.id AS id,
       n.title AS title,
       n.category AS category,
       n.subtype AS subtype,
       n.subtype_basis AS subtype_basis,
       n.keywords AS keywords,
       n.quantity AS quantity,
       n.urgency AS urgency,
       toString(n.raised_on) AS raised_on,
       n.status AS status,
       n.scope AS scope,
       n.report AS report,
       n.history AS history,
       n.source AS source,
       p.id AS raised_at,
       CASE WHEN p:Grid THEN 'Grid' WHEN p:Community THEN 'Community' END AS raised_at_label,
       p.name AS raised_at_name,
       c.id AS community,
       c.name AS community_name,
       s.id AS street,
       s.name AS street_name,
       COLLECT {
         MATCH (n)-[d:DISPATCHED_TO]->(r:Resource WHERE r.retired_on IS NULL)
         CALL (r) { OPTIONAL MATCH (r)<-[:OFFERS]-(u:Unit WHERE u.retired_on IS NULL) RETURN u ORDER BY u.id LIMIT 1 }
         RETURN {resource_id: r.id, resource_title: r.title, unit_id: u.id, quantity: d.quantity, at: toString(d.at), by: d.by} AS item
         ORDER BY toString(d.at), r.id
       } AS dispatches,
       COLLECT {
         MATCH (n)-[e:ESCALATED_TO]->(st:Street WHERE st.retired_on IS NULL)
         RETURN {street: st.id, street_name: st.name, at: toString(e.at), by: e.by} AS item
         ORDER BY toString(e.at), st.id
       } AS escalations,
       COLLECT { MATCH (n)-[:CALLED]->(x:Unit WHERE x.retired_on IS NULL) RETURN x.id AS x_id ORDER BY x_id } AS called,
       n.evaluation AS evaluation,
       n.evaluation_note AS evaluation_note,
       COLLECT {
         MATCH (n)<-[a:ANSWERED]-(u:Unit WHERE u.retired_on IS NULL)
         RETURN {unit_id: u.id, unit_name: u.name, at: toString(a.at), by: a.by, note: a.note} AS item
         ORDER BY toString(a.at), u.id
       } AS answers
