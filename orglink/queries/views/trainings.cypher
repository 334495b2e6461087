// 社区工作者培训：主题培训与考前培训
// 每个培训班与主办单位。
MATCH p = (o WHERE o.retired_on IS NULL)-[:ORGANISED]->(t:Training WHERE t.retired_on IS NULL)
RETURN p
