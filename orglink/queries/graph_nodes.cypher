// 全图节点 — every node with its labels (sorted) and all its properties.
// Used to take a digest of the whole graph (a reload must not change it; a failed load
// must leave it as it was) and to export the graph.
// Parameters: none
// Generated from the spec in orglink/queries/catalogue_lookups.py (python -m orglink.queries.generate); edit the spec, not this file.
MATCH (n)
RETURN COLLECT { UNWIND labels(n) AS l RETURN l ORDER BY l } AS labels,
       n.id AS id,
       properties(n) AS props
ORDER BY labels, id
