// 各街道未满足的需求 — for every street: how many needs raised in its communities or their
// grids are still unmet (status ordered 待接单, accepted 已接单 or escalated 已吹哨), how many
// of those are urgent (紧急), and in how many communities they were raised. Streets without
// unmet needs are listed with 0. Ordered by unmet needs (most first), then street id.
// Columns: street_id, street_name, unmet_needs, urgent_needs, communities
// Parameters: none
MATCH (s:Street)
OPTIONAL MATCH (s)<-[:IN]-(c:Community)<-[:IN*0..1]-(:Grid|Community)<-[:RAISED_AT]-(n:Need)
  WHERE n.status IN ['ordered', 'accepted', 'escalated']
RETURN
  s.id AS street_id,
  s.name AS street_name,
  count(DISTINCT n) AS unmet_needs,
  count(DISTINCT CASE WHEN n.urgency = 'urgent' THEN n END) AS urgent_needs,
  count(DISTINCT c) AS communities
ORDER BY unmet_needs DESC, street_id
