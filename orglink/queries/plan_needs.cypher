// 规划需求 — what the pairing plan's costs need of each need named in $need_ids: its urgency,
// sub-type (子类) and keywords (关键词). Needs that do not exist are left out. One row per need,
// ordered by need id.
// Parameters: $need_ids (list of need ids: the open needs of a plan)
// Generated from the spec in orglink/queries/catalogue_lookups.py (python -m orglink.queries.generate); edit the spec, not this file.
MATCH (n:Need WHERE n.retired_on IS NULL)
  WHERE n.id IN $need_ids
RETURN n.id AS need_id,
       n.urgency AS urgency,
       n.subtype AS subtype,
       n.keywords AS keywords
ORDER BY need_id
