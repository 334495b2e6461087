// 各街道未满足的需求 — for every street: how many needs raised in its communities or their
// grids are still unmet (status ordered 待接单, accepted 已接单 or escalated 已吹哨), how many
// of those are urgent (紧急), and in how many communities they were raised. Streets without
// unmet needs are listed with 0. Ordered by unmet needs (most first), then street id.
// Columns: street_id, street_name, unmet_needs, urgent_needs, communities
// Retired nodes (retired_on set by a load of the lists) and their relationships are left out.
// Parameters: none
MATCH (s:Street WHERE s.retired_on IS NULL)
OPTIONAL MATCH (s)<-[:IN]-(c:Community WHERE c.retired_on IS NULL)<-[:IN*0..1]-(p:Grid|Community WHERE p.retired_on IS NULL)
  <-[:RAISED_AT]-(n:Need WHERE n.retired_on IS NULL)
  WHERE n.status IN ['ordered', 'accepted', 'escalated']
RETURN
  s.id AS street_id,
  s.name AS street_name,
  count(DISTINCT n) AS unmet_needs,
  count(DISTINCT CASE WHEN n.urgency = 'urgent' THEN n END) AS urgent_needs,
  count(DISTINCT c) AS communities
ORDER BY unmet_needs DESC, street_id
