// 双报到：一个区直部门的干部到社区报到
// 在单位工作、在社区服务；干部姓名已脱敏。
MATCH p = (u:Unit {id: $unit_id} WHERE u.retired_on IS NULL)<-[:WORKS_AT]-(k:Cadre WHERE k.retired_on IS NULL)
          -[:REPORTS_TO]->(c:Community WHERE c.retired_on IS NULL)
OPTIONAL MATCH h = (k)-[:HANDLED]->(n:Need WHERE n.retired_on IS NULL)
RETURN p, h
