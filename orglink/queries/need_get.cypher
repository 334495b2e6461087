// 需求详情 — one need with everything a planner or a calling system needs to follow it: its
// properties, its audit trail (history, JSON text), the place it was raised at with community and
// street, its dispatches (派单, with the resource and the unit offering it), escalations (吹哨)
// and the departments' answers (报到), each ordered by time.
// Parameters: $need_id
MATCH (n:Need {id: $need_id})
OPTIONAL MATCH (n)-[:RAISED_AT]->(p:Grid|Community)
WITH n, head(collect(p)) AS p
OPTIONAL MATCH (p)-[:IN*0..1]->(c:Community)
WITH n, p, head(collect(c)) AS c
OPTIONAL MATCH (c)-[:IN]->(s:Street)
WITH n, p, c, head(collect(s)) AS s
RETURN n.id AS id, n.title AS title, n.category AS category, n.quantity AS quantity,
       n.urgency AS urgency, toString(n.raised_on) AS raised_on, n.status AS status,
       n.scope AS scope, n.report AS report, n.history AS history, n.source AS source,
       p.id AS raised_at,
       CASE WHEN p:Grid THEN 'Grid' WHEN p:Community THEN 'Community' END AS raised_at_label,
       p.name AS raised_at_name,
       c.id AS community, c.name AS community_name, s.id AS street, s.name AS street_name,
       COLLECT {
         MATCH (n)-[d:DISPATCHED_TO]->(r:Resource)
         OPTIONAL MATCH (u:Unit)-[:OFFERS]->(r)
         WITH d, r, head(collect(u.id)) AS unit_id
         RETURN {resource_id: r.id, resource_title: r.title, unit_id: unit_id,
                 quantity: d.quantity, at: toString(d.at), by: d.by} AS dispatch
         ORDER BY toString(d.at), r.id
       } AS dispatches,
       COLLECT {
         MATCH (n)-[e:ESCALATED_TO]->(st:Street)
         RETURN {street: st.id, street_name: st.name, at: toString(e.at), by: e.by} AS escalation
         ORDER BY toString(e.at), st.id
       } AS escalations,
       COLLECT {
         MATCH (u:Unit)-[a:ANSWERED]->(n)
         RETURN {unit_id: u.id, unit_name: u.name, at: toString(a.at), by: a.by, note: a.note} AS answer
         ORDER BY toString(a.at), u.id
       } AS answers
