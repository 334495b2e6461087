// 全图关系 — every relationship with its endpoints (sorted labels and id), type and properties.
// Used with graph_nodes to take a digest of the whole graph. Relationships between the same two
// nodes with the same type (pairing plans' MATCHED_TO) are ordered by plan_id.
// Parameters: none
// Generated from the spec in orglink/queries/catalogue_lookups.py (python -m orglink.queries.generate); edit the spec, not this file.
MATCH (a)-[r]->(b)
RETURN COLLECT { UNWIND labels(a) AS l RETURN l ORDER BY l } AS src_labels,
       a.id AS src_id,
       type(r) AS type,
       COLLECT { UNWIND labels(b) AS l RETURN l ORDER BY l } AS dst_labels,
       b.id AS dst_id,
       properties(r) AS props
ORDER BY src_labels, src_id, type, dst_labels, dst_id, r.plan_id
