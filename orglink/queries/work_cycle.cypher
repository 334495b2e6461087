// 四点一线 — one community's yearly work cycle (organisation department, for every community
// party secretary): 年初抓计划 (plan) — 年中抓自查 (self_check) — 平时抓指导 (guidance) —
// 年底抓述职 (report). Four rows in that order, each with the records the lists give for it
// (date, note; ordered by date, then id) and done = whether there is any: a stage without a
// record is missing. Year $year, or the latest year the community has records for. A community
// that does not exist gives no rows.
// Parameters: $community_id (a community id, e.g. 'C001'), $year (an integer year, or null = latest)
MATCH (c:Community {id: $community_id} WHERE c.retired_on IS NULL)
CALL (c) {
  OPTIONAL MATCH (w:WorkStage WHERE w.retired_on IS NULL)-[:STAGE_OF]->(c)
  RETURN max(w.year) AS latest
}
WITH c, coalesce($year, latest) AS cycle_year
UNWIND range(0, 3) AS i
WITH c, cycle_year, i, ['plan', 'self_check', 'guidance', 'report'][i] AS stage
WITH c, cycle_year, i, stage,
     COLLECT {
       MATCH (w:WorkStage WHERE w.retired_on IS NULL)-[:STAGE_OF]->(c)
         WHERE w.year = cycle_year AND w.stage = stage
       WITH w ORDER BY w.held_on, w.id
       RETURN {id: w.id, held_on: toString(w.held_on), note: w.note} AS record
     } AS records
RETURN c.id AS community,
       c.name AS community_name,
       cycle_year AS year,
       i + 1 AS position,
       stage,
       size(records) > 0 AS done,
       records
ORDER BY position
