// The online steps of a bulk load (graphapp/io/bulkload.py): the offline importer does the rest.

// name: count_nodes
// Anything at all (entities, accounts, audit events): a bulk load only fills an empty database.
// The graph's version (cypher/version.cypher) is no content.
MATCH (n)
WHERE NOT n:GraphVersion
RETURN count(n) AS nodes;

// name: empty_lists_on_label
// neo4j-admin import cannot store an empty list (it leaves the property out), so the lists
// that are empty are set afterwards. Used where every loaded node of $label has the list
// property $key: on those nodes, the missing ones are exactly the empty ones.
MATCH (n:$($label))
WHERE n[$key] IS NULL
CALL (n) { SET n[$key] = [] } IN TRANSACTIONS OF 50000 ROWS;

// name: empty_lists_on_type
// The same for relationships of $type.
MATCH ()-[r:$($type)]->()
WHERE r[$key] IS NULL
CALL (r) { SET r[$key] = [] } IN TRANSACTIONS OF 50000 ROWS;

// name: set_node_props
// rows: [{id, props: {..}}]: values the CSVs cannot carry (an empty list where other nodes of
// its label have none; a list item holding the array delimiter U+001F).
UNWIND $rows AS row
MATCH (n:Entity {id: row.id})
SET n += row.props
RETURN count(n) AS written;

// name: set_relationship_props
// rows: [{from, type, to, key, props: {..}}], the same for relationships.
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})-[r:$(row.type) {key: row.key}]->(b:Entity {id: row.to})
SET r += row.props
RETURN count(r) AS written;

// name: await_indexes
// Wait until every index (constraints' too) is online, at most $seconds.
CALL db.awaitIndexes($seconds);

// name: constraint_names
SHOW CONSTRAINTS YIELD name
RETURN collect(name) AS names;
