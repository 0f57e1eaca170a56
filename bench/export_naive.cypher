// bench/run.py's baseline for exports: a view's nodes and relationships read one query per
// node, as a first version would (graphapp reads them in one query each: cypher/exports.cypher).

// name: node
MATCH (n:Entity {id: $id})
RETURN n.id AS id, [l IN labels(n) WHERE l <> 'Entity'] AS labels, properties(n) AS props;

// name: relationships_of
MATCH (a:Entity {id: $id})-[r]->(b:Entity)
WHERE b.id IN $ids
RETURN a.id AS from, b.id AS to, type(r) AS type, properties(r) AS props;
