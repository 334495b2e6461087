// 需求时间线 — every need with what deadlines (时限), 督办 and the monthly assessment (考核) are
// computed from: urgency, state, raised date, audit trail (history, JSON text), evaluation (评价),
// its community and street, the departments a whistle called (CALLED), those that answered
// (ANSWERED) and the units of the cadres who handled it (HANDLED). One row per need, by id.
// Parameters: none
// Generated from the spec in orglink/queries/catalogue_lookups.py (python -m orglink.queries.generate); edit the spec, not this file.
MATCH (n:Need WHERE n.retired_on IS NULL)
CALL (n) { OPTIONAL MATCH (n)-[:RAISED_AT]->(p:Grid|Community WHERE p.retired_on IS NULL) RETURN p ORDER BY p.id LIMIT 1 }
CALL (p) { OPTIONAL MATCH (p)-[:IN*0..1]->(c:Community WHERE c.retired_on IS NULL) RETURN c ORDER BY c.id LIMIT 1 }
CALL (c) { OPTIONAL MATCH (c)-[:IN]->(s:Street WHERE s.retired_on IS NULL) RETURN s ORDER BY s.id LIMIT 1 }
RETURN n.id AS id,
       n.title AS title,
       n.category AS category,
       n.urgency AS urgency,
       n.status AS status,
       toString(n.raised_on) AS raised_on,
       n.history AS history,
       n.evaluation AS evaluation,
       c.id AS community,
       c.name AS community_name,
       s.id AS street,
       (n.status = 'escalated' OR EXISTS { (n)-[:ESCALATED_TO]->(v_n:Street WHERE v_n.retired_on IS NULL) }) AS escalated,
       COLLECT { MATCH (n)-[:CALLED]->(x:Unit WHERE x.retired_on IS NULL) RETURN x.id AS x_id ORDER BY x_id } AS called,
       COLLECT { MATCH (x:Unit WHERE x.retired_on IS NULL)-[:ANSWERED]->(n) RETURN x.id AS x_id ORDER BY x_id } AS answered
ORDER BY id
