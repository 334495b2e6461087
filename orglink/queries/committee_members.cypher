// 大工委、联合党委成员单位 — one party organisation (a street's 大工委, a community's 联合党委,
// or any other) with the units that are its members (MEMBER_OF), ordered by unit id, and the
// communities its area covers (what it is RESPONSIBLE_FOR: the communities of a district or
// street, the community itself, or the community of a grid or compound), ordered by id.
// One row; none when no party organisation has that id.
// Retired nodes (retired_on set by a load of the lists) and their relationships are left out.
// Parameters: $party_org_id (string) — the party organisation's id, e.g. 'PO-WC01'
MATCH (o:PartyOrg {id: $party_org_id} WHERE o.retired_on IS NULL)
RETURN
  o.id AS id,
  o.name AS name,
  o.level AS level,
  COLLECT {
    MATCH (u:Unit WHERE u.retired_on IS NULL)-[:MEMBER_OF]->(o)
    RETURN {id: u.id, name: u.name, kind: u.kind, department: coalesce(u.department, false),
            resident: coalesce(u.resident, false)} AS member
    ORDER BY u.id
  } AS members,
  COLLECT {
    MATCH (o)-[:RESPONSIBLE_FOR]->(t WHERE t.retired_on IS NULL)
    MATCH (c:Community WHERE c.retired_on IS NULL)
    WHERE EXISTS { MATCH q = (c)-[:IN*0..2]->(t) WHERE all(x IN nodes(q) WHERE x.retired_on IS NULL) }
       OR EXISTS { MATCH q = (t)-[:IN*1..2]->(c) WHERE all(x IN nodes(q) WHERE x.retired_on IS NULL) }
    WITH DISTINCT c.id AS community_id
    RETURN community_id
    ORDER BY community_id
  } AS communities
