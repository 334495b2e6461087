// 一个街道尚未办结的需求
// 待接单、已接单、已吹哨的需求，与提出它们的网格和社区。
MATCH p = (n:Need WHERE n.retired_on IS NULL AND n.status IN ['ordered', 'accepted', 'escalated'])
          -[:RAISED_AT]->(loc WHERE loc.retired_on IS NULL)-[:IN*0..1]->(c:Community WHERE c.retired_on IS NULL)
          -[:IN]->(s:Street {id: $street_id} WHERE s.retired_on IS NULL)
RETURN p
