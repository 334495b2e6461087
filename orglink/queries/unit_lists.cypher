// 一书三单 — one unit's co-building documents: its 共驻共建协议书 (agreements, with the
// community each is signed with), its 共治资源清单 (resources it offers), its 服务项目清单
// (service projects it runs, with the community served) and the 治理需求清单 of the communities
// it signed with (needs raised there or at their grids). One row per item and community,
// ordered: agreements, resources, projects, needs, then by id and community name.
// A unit that does not exist gives no rows.
// Columns: list, id, title, category, quantity (resource capacity / need quantity), status,
// community, community_id (the community's id, for scope checks), signed_on
// Retired nodes (retired_on set by a load of the lists) and their relationships are left out.
// Parameters: $unit_id (a unit id, e.g. 'U043')
MATCH (u:Unit {id: $unit_id} WHERE u.retired_on IS NULL)
OPTIONAL MATCH (u)-[:SIGNED]->(a:Agreement WHERE a.retired_on IS NULL)
OPTIONAL MATCH (a)-[:WITH]->(ac:Community WHERE ac.retired_on IS NULL)
WITH u, collect(CASE WHEN a IS NOT NULL THEN {seq: 1, list: '共驻共建协议书', id: a.id,
  title: null, category: null, quantity: null, status: null, community: ac.name,
  community_id: ac.id, signed_on: a.signed_on} END) AS agreements
OPTIONAL MATCH (u)-[:OFFERS]->(r:Resource WHERE r.retired_on IS NULL)
WITH u, agreements, collect(CASE WHEN r IS NOT NULL THEN {seq: 2, list: '资源清单', id: r.id,
  title: r.title, category: r.category, quantity: r.capacity, status: null, community: null,
  community_id: null, signed_on: null} END) AS resources
OPTIONAL MATCH (u)<-[:BY]-(p:ServiceProject WHERE p.retired_on IS NULL)
OPTIONAL MATCH (p)-[:FOR]->(pc:Community WHERE pc.retired_on IS NULL)
WITH u, agreements, resources, collect(CASE WHEN p IS NOT NULL THEN {seq: 3, list: '项目清单',
  id: p.id, title: p.title, category: null, quantity: null, status: p.status,
  community: pc.name, community_id: pc.id, signed_on: null} END) AS projects
OPTIONAL MATCH (u)-[:SIGNED]->(na:Agreement WHERE na.retired_on IS NULL)-[:WITH]->(nc:Community WHERE nc.retired_on IS NULL)
  <-[:IN*0..1]-(np:Grid|Community WHERE np.retired_on IS NULL)<-[:RAISED_AT]-(n:Need WHERE n.retired_on IS NULL)
WITH agreements, resources, projects, collect(DISTINCT CASE WHEN n IS NOT NULL THEN {seq: 4,
  list: '需求清单', id: n.id, title: n.title, category: n.category, quantity: n.quantity,
  status: n.status, community: nc.name, community_id: nc.id, signed_on: null} END) AS needs
UNWIND agreements + resources + projects + needs AS item
RETURN
  item.list AS list,
  item.id AS id,
  item.title AS title,
  item.category AS category,
  item.quantity AS quantity,
  item.status AS status,
  item.community AS community,
  item.community_id AS community_id,
  item.signed_on AS signed_on
ORDER BY item.seq, id, community
