// 一个社区的“四点一线”
// 年初抓计划、年中抓自查、平时抓指导、年底抓述职。
MATCH p = (w:WorkStage WHERE w.retired_on IS NULL)-[:STAGE_OF]->(c:Community {id: $community_id} WHERE c.retired_on IS NULL)
RETURN p
