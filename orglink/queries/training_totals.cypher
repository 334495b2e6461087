// 培训统计 — classes and person-times (人次) of the community-worker training, per kind:
// one row for 主题培训 (themed), then one for 考前培训 (exam), zeros when there is none;
// all years, or only the classes held in year $year.
// Parameters: $year (an integer year, null = every year)
UNWIND range(0, 1) AS i
WITH i, ['themed', 'exam'][i] AS kind
CALL (kind) {
  OPTIONAL MATCH (t:Training WHERE t.retired_on IS NULL)
    WHERE t.kind = kind AND ($year IS NULL OR left(toString(t.held_on), 4) = toString($year))
  RETURN count(t) AS classes, sum(coalesce(t.person_times, 0)) AS person_times
}
RETURN kind, classes, person_times
ORDER BY i
