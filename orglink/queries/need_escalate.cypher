// 吹哨 — raise an accepted need to the street of its community (lifecycle action "escalate"):
// creates (need)-[:ESCALATED_TO {at, by}]->(street) and (need)-[:CALLED {at, by}]->(unit) for
// each department named in $called (the departments the whistle calls in; only live
// Department units are called).
// The need is locked first, then its state is read. Refused (row with _conflict, nothing
// changed) if the state is not one of $from_states or the need's community has no street.
// A retired need, resource, unit or place (retired_on set by a load) counts as missing.
// Parameters: $need_id, $called (list of unit ids), $from_states (list), $to_status, $action_zh, $status_zh (map),
//             $entry (JSON text of the audit entry without "from"), $at, $by
MATCH (n:Need {id: $need_id} WHERE n.retired_on IS NULL)
SET n._lock = true
WITH n, coalesce(n.status, 'ordered') AS before
OPTIONAL MATCH (n)-[:RAISED_AT]->(p:Grid|Community WHERE p.retired_on IS NULL)-[:IN*0..1]->
                (c:Community WHERE c.retired_on IS NULL)-[:IN]->(s:Street WHERE s.retired_on IS NULL)
WITH n, before, head(collect(s)) AS s
WITH n, before, s,
     CASE WHEN NOT before IN $from_states
          THEN '需求 ' + n.id + ' 当前状态为「' + coalesce($status_zh[before], before) + '」，不能' + $action_zh
          WHEN s IS NULL THEN '需求 ' + n.id + ' 所在社区没有所属街道，无法吹哨'
     END AS conflict
FOREACH (street IN CASE WHEN conflict IS NULL THEN [s] ELSE [] END |
  CREATE (n)-[:ESCALATED_TO {at: $at, by: $by}]->(street)
  SET n.status = $to_status,
      n.history = CASE WHEN n.history IS NULL OR n.history IN ['', '[]'] THEN '['
                       ELSE left(n.history, size(n.history) - 1) + ',' END
                  + '{"from":"' + before + '",' + substring($entry, 1) + ']'
)
WITH n, before, s, conflict
CALL (n, conflict) {
  UNWIND CASE WHEN conflict IS NULL THEN $called ELSE [] END AS unit_id
  MATCH (u:Unit:Department {id: unit_id} WHERE u.retired_on IS NULL)
  CREATE (n)-[:CALLED {at: $at, by: $by}]->(u)
  RETURN collect(u.id) AS called
}
REMOVE n._lock
RETURN n.id AS id, n.status AS status, before AS previous, s.id AS street, called,
       conflict AS _conflict
