// 培训班列表 — the community-worker training classes (社区工作者培训): 主题培训 (themed) and
// 考前培训 (exam preparation), each with its date, person-times (人次) and the unit or party
// organisation that organised it (主办, the first by id when the list gives several), ordered
// by date (undated last), then id; all of them, or only kind $kind and/or year $year.
// Parameters: $kind ('themed' or 'exam', null = both), $year (an integer year, null = every year)
MATCH (t:Training WHERE t.retired_on IS NULL)
  WHERE ($kind IS NULL OR t.kind = $kind)
    AND ($year IS NULL OR left(toString(t.held_on), 4) = toString($year))
CALL (t) {
  OPTIONAL MATCH (o:Unit|PartyOrg WHERE o.retired_on IS NULL)-[:ORGANISED]->(t)
  RETURN o ORDER BY o.id LIMIT 1
}
RETURN t.id AS id,
       t.title AS title,
       t.kind AS kind,
       toString(t.held_on) AS held_on,
       t.person_times AS person_times,
       o.id AS organiser,
       o.name AS organiser_name,
       CASE WHEN o IS NULL THEN null WHEN o:Unit THEN 'Unit' ELSE 'PartyOrg' END AS organiser_kind
ORDER BY held_on, id
