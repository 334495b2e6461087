// 提供某项服务的暖“新”驿站与司机之家
// 免费饮水、热饭、手机充电、无线网络、远程教育电视。
MATCH p = (st:Station WHERE st.retired_on IS NULL)-[:LOCATED_IN]->(c:Community WHERE c.retired_on IS NULL)
          -[:IN]->(s:Street WHERE s.retired_on IS NULL)
WHERE any(x IN coalesce(st.services, []) WHERE x CONTAINS $service)
RETURN p
