// 区委—区直部门—街道党工委：三级联动
// 区直部门隶属区委，区委领导各街道党工委。
MATCH p = (d:Department WHERE d.retired_on IS NULL)-[:UNDER]->(dc:DistrictCommittee WHERE dc.retired_on IS NULL)
          -[:LEADS]->(w:WorkingCommittee WHERE w.retired_on IS NULL)
RETURN p
LIMIT 60
