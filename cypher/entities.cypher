// Looking at entities: search, one entity with its relationships, counts.

// name: search
// $lucene is built by graphapp.entities.lucene_query from the user's words (escaped).
CALL db.index.fulltext.queryNodes('entity_search', $lucene) YIELD node, score
WHERE $include_sensitive OR NOT coalesce(node.sensitive, false)
RETURN node.id AS id, node.name AS name,
       [l IN labels(node) WHERE l <> 'Entity'] AS labels,
       node.description AS description, score
ORDER BY score DESC, name, id
LIMIT $limit;

// name: get
MATCH (n:Entity {id: $id})
WHERE $include_sensitive OR NOT coalesce(n.sensitive, false)
RETURN n.id AS id, [l IN labels(n) WHERE l <> 'Entity'] AS labels, properties(n) AS props;

// name: relationships
// Every relationship of one entity, with its direction seen from that entity.
MATCH (n:Entity {id: $id})-[r]-(m:Entity)
WHERE ($include_sensitive OR (NOT coalesce(m.sensitive, false) AND NOT coalesce(r.sensitive, false)))
RETURN type(r) AS type,
       CASE WHEN startNode(r) = n THEN 'out' ELSE 'in' END AS direction,
       properties(r) AS props,
       m.id AS other_id, m.name AS other_name,
       [l IN labels(m) WHERE l <> 'Entity'] AS other_labels
ORDER BY type, direction, other_name, other_id, r.start_date;

// name: count_by_label
MATCH (n:Entity)
WHERE $include_sensitive OR NOT coalesce(n.sensitive, false)
UNWIND labels(n) AS label
RETURN label, count(*) AS count ORDER BY label;

// name: count_by_type
MATCH (a:Entity)-[r]->(b:Entity)
WHERE $include_sensitive OR NOT (coalesce(r.sensitive, false) OR coalesce(a.sensitive, false)
                                 OR coalesce(b.sensitive, false))
RETURN type(r) AS type, count(r) AS count,
       sum(CASE WHEN r.sources IS NULL OR size(r.sources) = 0 THEN 1 ELSE 0 END) AS without_source
ORDER BY type;

// name: ping
RETURN 1 AS ok;
