"""Named Cypher queries and their embedded twins (see registry)."""
