// 街道吹哨、部门报到
// 已吹哨的需求、所在街道，以及被点名、已报到的区直部门。
MATCH (n:Need WHERE n.retired_on IS NULL AND (n.status = 'escalated' OR EXISTS { (n)-[:ESCALATED_TO]->(:Street) }))
MATCH p = (n)-[:RAISED_AT]->(loc WHERE loc.retired_on IS NULL)-[:IN*0..1]->(c:Community WHERE c.retired_on IS NULL)
          -[:IN]->(s:Street WHERE s.retired_on IS NULL)
OPTIONAL MATCH called = (n)-[:CALLED]->(:Unit)
OPTIONAL MATCH answered = (n)<-[:ANSWERED]-(:Unit)
RETURN p, called, answered
LIMIT 50
