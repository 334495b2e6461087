// 报到 — a district department answers an escalated need (lifecycle action "answer"):
// creates (unit)-[:ANSWERED {at, by, note}]->(need); the state stays $to_status.
// The need is locked first, then its state is read. Refused (row with _conflict, nothing
// changed) if the state is not one of $from_states, the unit is not a Department, or it has
// answered this need already.
// A retired need, resource, unit or place (retired_on set by a load) counts as missing.
// Parameters: $need_id, $unit_id, $note (or null), $from_states (list), $to_status, $action_zh,
//             $status_zh (map), $entry (JSON text of the audit entry without "from"), $at, $by
MATCH (n:Need {id: $need_id} WHERE n.retired_on IS NULL)
MATCH (u:Unit {id: $unit_id} WHERE u.retired_on IS NULL)
SET n._lock = true
WITH n, u, coalesce(n.status, 'ordered') AS before
WITH n, u, before,
     CASE WHEN NOT before IN $from_states
          THEN '需求 ' + n.id + ' 当前状态为「' + coalesce($status_zh[before], before) + '」，不能' + $action_zh
          WHEN NOT u:Department THEN '单位 ' + u.id + ' 不是区直部门，不能报到'
          WHEN EXISTS { (u)-[:ANSWERED]->(n) } THEN '单位 ' + u.id + ' 已对需求 ' + n.id + ' 报到'
     END AS conflict
FOREACH (_ IN CASE WHEN conflict IS NULL THEN [1] ELSE [] END |
  CREATE (u)-[:ANSWERED {at: $at, by: $by, note: $note}]->(n)
  SET n.status = $to_status,
      n.history = CASE WHEN n.history IS NULL OR n.history IN ['', '[]'] THEN '['
                       ELSE left(n.history, size(n.history) - 1) + ',' END
                  + '{"from":"' + before + '",' + substring($entry, 1) + ']'
)
REMOVE n._lock
RETURN n.id AS id, n.status AS status, before AS previous, u.id AS unit_id, conflict AS _conflict
