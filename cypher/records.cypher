// Writing validated records. Labels and relationship types are passed as parameters and
// applied with dynamic labels ($(...)); the Python side checks them against graphapp.model first.

// name: upsert_nodes
// rows: [{id, labels: [..], props: {..}}]
UNWIND $rows AS row
MERGE (n:Entity {id: row.id})
SET n += row.props, n:$(row.labels), n.updated_at = datetime()
RETURN count(n) AS written;

// name: upsert_relationships
// rows: [{type, from, to, key, props: {..}}]; (from, type, to, key) identifies a relationship,
// so re-running an import updates it instead of adding a duplicate.
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
MERGE (a)-[r:$(row.type) {key: row.key}]->(b)
SET r += row.props, r.updated_at = datetime()
RETURN count(r) AS written;

// name: labels_of
// Which of these ids exist, and with which labels (to check relationship endpoints).
UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN n.id AS id, labels(n) AS labels;

// name: delete_all
// Tests and `graphapp db reset` only.
MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS;
