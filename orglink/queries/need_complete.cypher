// 办结 — close a need with its report-back text (双报告) (lifecycle action "complete").
// The need is locked first, then its state is read. If the state is not one of $from_states
// nothing changes and the row carries _conflict; otherwise the state becomes $to_status,
// n.report is set, the community's evaluation (n.evaluation: satisfied / fair / unsatisfied,
// n.evaluation_note; null leaves it unset) is recorded and the audit entry is appended to
// n.history, in this one transaction.
// A retired need, resource, unit or place (retired_on set by a load) counts as missing.
// Parameters: $need_id, $report, $evaluation, $evaluation_note, $from_states (list), $to_status, $action_zh, $status_zh (map),
//             $entry (JSON text of the audit entry without "from"), $at, $by
MATCH (n:Need {id: $need_id} WHERE n.retired_on IS NULL)
SET n._lock = true
WITH n, coalesce(n.status, 'ordered') AS before
WITH n, before,
     CASE WHEN NOT before IN $from_states
          THEN '需求 ' + n.id + ' 当前状态为「' + coalesce($status_zh[before], before) + '」，不能' + $action_zh
     END AS conflict
FOREACH (_ IN CASE WHEN conflict IS NULL THEN [1] ELSE [] END |
  SET n.status = $to_status,
      n.report = $report,
      n.evaluation = $evaluation,
      n.evaluation_note = $evaluation_note,
      n.history = CASE WHEN n.history IS NULL OR n.history IN ['', '[]'] THEN '['
                       ELSE left(n.history, size(n.history) - 1) + ',' END
                  + '{"from":"' + before + '",' + substring($entry, 1) + ']'
)
REMOVE n._lock
RETURN n.id AS id, n.status AS status, before AS previous, conflict AS _conflict
