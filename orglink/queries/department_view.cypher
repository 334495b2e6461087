// 双报到、双报告 — one unit (a district department, 区直部门) as the cadres' side sees it: the
// district committee it is UNDER, its cadres (masked names) with the community each reports to
// (双报到) and how many matters each handled, the matters (needs) its cadres HANDLED with the
// report-back text (双报告), and the escalations (吹哨) the unit ANSWERED (部门报到), each with
// the need's community and street. Cadres ordered by id; matters by need id, then cadre id;
// answers by need id, then time. One row; none when the unit does not exist.
// Retired nodes (retired_on set by a load of the lists) and their relationships are left out.
// Parameters: $unit_id (string) — the unit's id, e.g. 'U001'
MATCH (u:Unit {id: $unit_id} WHERE u.retired_on IS NULL)
RETURN
  u.id AS unit_id,
  u.name AS unit_name,
  u.kind AS kind,
  coalesce(u.department, false) AS department,
  COLLECT {
    MATCH (u)-[:UNDER]->(dc:DistrictCommittee WHERE dc.retired_on IS NULL)
    RETURN {id: dc.id, name: dc.name} AS committee
    ORDER BY dc.id
  } AS under,
  COLLECT {
    MATCH (k:Cadre WHERE k.retired_on IS NULL)-[:WORKS_AT]->(u)
    CALL (k) { OPTIONAL MATCH (k)-[:REPORTS_TO]->(c:Community WHERE c.retired_on IS NULL) RETURN c ORDER BY c.id LIMIT 1 }
    CALL (c) { OPTIONAL MATCH (c)-[:IN]->(s:Street WHERE s.retired_on IS NULL) RETURN s ORDER BY s.id LIMIT 1 }
    RETURN {cadre_id: k.id, name: k.name, party_member: k.party_member, community_id: c.id,
            community_name: c.name, street_id: s.id,
            handled: COUNT { MATCH (k)-[:HANDLED]->(n:Need WHERE n.retired_on IS NULL) }} AS cadre
    ORDER BY k.id
  } AS cadres,
  COLLECT {
    MATCH (k:Cadre WHERE k.retired_on IS NULL)-[:WORKS_AT]->(u)
    MATCH (k)-[:HANDLED]->(n:Need WHERE n.retired_on IS NULL)
    CALL (n) { OPTIONAL MATCH (n)-[:RAISED_AT]->(p:Grid|Community WHERE p.retired_on IS NULL) RETURN p ORDER BY p.id LIMIT 1 }
    CALL (p) { OPTIONAL MATCH (p)-[:IN*0..1]->(c:Community WHERE c.retired_on IS NULL) RETURN c ORDER BY c.id LIMIT 1 }
    CALL (c) { OPTIONAL MATCH (c)-[:IN]->(s:Street WHERE s.retired_on IS NULL) RETURN s ORDER BY s.id LIMIT 1 }
    RETURN {need_id: n.id, title: n.title, category: n.category, status: n.status, cadre_id: k.id,
            community_id: c.id, community_name: c.name, street_id: s.id, report: n.report} AS matter
    ORDER BY n.id, k.id
  } AS matters,
  COLLECT {
    MATCH (u)-[a:ANSWERED]->(n:Need WHERE n.retired_on IS NULL)
    CALL (n) { OPTIONAL MATCH (n)-[:RAISED_AT]->(p:Grid|Community WHERE p.retired_on IS NULL) RETURN p ORDER BY p.id LIMIT 1 }
    CALL (p) { OPTIONAL MATCH (p)-[:IN*0..1]->(c:Community WHERE c.retired_on IS NULL) RETURN c ORDER BY c.id LIMIT 1 }
    CALL (c) { OPTIONAL MATCH (c)-[:IN]->(s:Street WHERE s.retired_on IS NULL) RETURN s ORDER BY s.id LIMIT 1 }
    RETURN {need_id: n.id, title: n.title, status: n.status, community_id: c.id, community_name: c.name,
            street_id: s.id, escalated: n.status = 'escalated' OR EXISTS { (n)-[:ESCALATED_TO]->(:Street) },
            at: toString(a.at), by: a.by, note: a.note} AS answer
    ORDER BY n.id, toString(a.at)
  } AS answers
