// 派单 — dispatch a need to a resource (lifecycle action "dispatch"):
// creates (need)-[:DISPATCHED_TO {quantity, at, by}]->(resource).
// Atomic capacity check: the resource (and the need) are write-locked FIRST (SET r._lock), and
// only then is the used capacity read (sum of the quantities of every DISPATCHED_TO into the
// resource), so two concurrent dispatches for the last unit serialise and exactly one wins.
// Refused (row with _conflict, nothing changed) if the need's state is not one of $from_states
// or remaining = capacity − used is less than $quantity.
// A retired need, resource, unit or place (retired_on set by a load) counts as missing.
// Parameters: $need_id, $resource_id, $quantity, $from_states (list), $to_status, $action_zh,
//             $status_zh (map), $entry (JSON text of the audit entry without "from"), $at, $by
MATCH (n:Need {id: $need_id} WHERE n.retired_on IS NULL)
MATCH (r:Resource {id: $resource_id} WHERE r.retired_on IS NULL)
SET r._lock = true, n._lock = true
WITH n, r, coalesce(n.status, 'ordered') AS before
WITH n, r, before,
     coalesce(r.capacity, 0)
       - reduce(used = 0, q IN [(m:Need WHERE m.retired_on IS NULL)-[d:DISPATCHED_TO]->(r) | d.quantity] | used + coalesce(q, 0))
       AS remaining
WITH n, r, before, remaining,
     CASE WHEN NOT before IN $from_states
          THEN '需求 ' + n.id + ' 当前状态为「' + coalesce($status_zh[before], before) + '」，不能' + $action_zh
          WHEN remaining < $quantity
          THEN '资源 ' + r.id + ' 剩余数量 ' + toString(remaining) + '，不足以派单 ' + toString($quantity)
     END AS conflict
FOREACH (_ IN CASE WHEN conflict IS NULL THEN [1] ELSE [] END |
  CREATE (n)-[:DISPATCHED_TO {quantity: $quantity, at: $at, by: $by}]->(r)
  SET n.status = $to_status,
      n.history = CASE WHEN n.history IS NULL OR n.history IN ['', '[]'] THEN '['
                       ELSE left(n.history, size(n.history) - 1) + ',' END
                  + '{"from":"' + before + '",' + substring($entry, 1) + ']'
)
REMOVE r._lock, n._lock
RETURN n.id AS id, n.status AS status, before AS previous, r.id AS resource_id,
       CASE WHEN conflict IS NULL THEN remaining - $quantity ELSE remaining END AS remaining,
       conflict AS _conflict
