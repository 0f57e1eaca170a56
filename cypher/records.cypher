// Writing validated records. Labels and relationship types are passed as parameters and
// applied with dynamic labels ($(...)); the Python side checks them against graphapp.store.model first.

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

// Relationships of one type: what records.write uses (rows grouped by type). The same rows and
// the same MERGE as upsert_relationships, with the type written out: Neo4j 2026.08 MERGEs a
// dynamic type ten times slower (bench/import.py), and one small query a type compiles in
// milliseconds where a single query with a branch a type took about a second, again each time
// the planner saw the graph grow. tests/test_import_pipeline.py checks there is one query per
// graphapp.store.model.REL_TYPES and that they differ only in the type. ``created`` counts the
// relationships this MERGE made (every relationship graphapp writes has an updated_at), so an
// import learns how many it created from its write instead of reading them all once more first.

// name: upsert_owns
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
MERGE (a)-[r:OWNS {key: row.key}]->(b)
WITH r, row, r.updated_at IS NULL AS created
SET r += row.props, r.updated_at = datetime()
RETURN count(r) AS written, sum(CASE WHEN created THEN 1 ELSE 0 END) AS created;

// name: upsert_controls
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
MERGE (a)-[r:CONTROLS {key: row.key}]->(b)
WITH r, row, r.updated_at IS NULL AS created
SET r += row.props, r.updated_at = datetime()
RETURN count(r) AS written, sum(CASE WHEN created THEN 1 ELSE 0 END) AS created;

// name: upsert_holds_indirectly
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
MERGE (a)-[r:HOLDS_INDIRECTLY {key: row.key}]->(b)
WITH r, row, r.updated_at IS NULL AS created
SET r += row.props, r.updated_at = datetime()
RETURN count(r) AS written, sum(CASE WHEN created THEN 1 ELSE 0 END) AS created;

// name: upsert_party_to
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
MERGE (a)-[r:PARTY_TO {key: row.key}]->(b)
WITH r, row, r.updated_at IS NULL AS created
SET r += row.props, r.updated_at = datetime()
RETURN count(r) AS written, sum(CASE WHEN created THEN 1 ELSE 0 END) AS created;

// name: upsert_incorporated_in
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
MERGE (a)-[r:INCORPORATED_IN {key: row.key}]->(b)
WITH r, row, r.updated_at IS NULL AS created
SET r += row.props, r.updated_at = datetime()
RETURN count(r) AS written, sum(CASE WHEN created THEN 1 ELSE 0 END) AS created;

// name: upsert_headquartered_in
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
MERGE (a)-[r:HEADQUARTERED_IN {key: row.key}]->(b)
WITH r, row, r.updated_at IS NULL AS created
SET r += row.props, r.updated_at = datetime()
RETURN count(r) AS written, sum(CASE WHEN created THEN 1 ELSE 0 END) AS created;

// name: upsert_operates_in
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
MERGE (a)-[r:OPERATES_IN {key: row.key}]->(b)
WITH r, row, r.updated_at IS NULL AS created
SET r += row.props, r.updated_at = datetime()
RETURN count(r) AS written, sum(CASE WHEN created THEN 1 ELSE 0 END) AS created;

// name: upsert_part_of
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
MERGE (a)-[r:PART_OF {key: row.key}]->(b)
WITH r, row, r.updated_at IS NULL AS created
SET r += row.props, r.updated_at = datetime()
RETURN count(r) AS written, sum(CASE WHEN created THEN 1 ELSE 0 END) AS created;

// name: upsert_reports_to
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
MERGE (a)-[r:REPORTS_TO {key: row.key}]->(b)
WITH r, row, r.updated_at IS NULL AS created
SET r += row.props, r.updated_at = datetime()
RETURN count(r) AS written, sum(CASE WHEN created THEN 1 ELSE 0 END) AS created;

// name: upsert_holds_role
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
MERGE (a)-[r:HOLDS_ROLE {key: row.key}]->(b)
WITH r, row, r.updated_at IS NULL AS created
SET r += row.props, r.updated_at = datetime()
RETURN count(r) AS written, sum(CASE WHEN created THEN 1 ELSE 0 END) AS created;

// name: upsert_operates
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
MERGE (a)-[r:OPERATES {key: row.key}]->(b)
WITH r, row, r.updated_at IS NULL AS created
SET r += row.props, r.updated_at = datetime()
RETURN count(r) AS written, sum(CASE WHEN created THEN 1 ELSE 0 END) AS created;

// name: upsert_responsible_for
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
MERGE (a)-[r:RESPONSIBLE_FOR {key: row.key}]->(b)
WITH r, row, r.updated_at IS NULL AS created
SET r += row.props, r.updated_at = datetime()
RETURN count(r) AS written, sum(CASE WHEN created THEN 1 ELSE 0 END) AS created;

// name: upsert_available_in
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
MERGE (a)-[r:AVAILABLE_IN {key: row.key}]->(b)
WITH r, row, r.updated_at IS NULL AS created
SET r += row.props, r.updated_at = datetime()
RETURN count(r) AS written, sum(CASE WHEN created THEN 1 ELSE 0 END) AS created;

// name: upsert_involves
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
MERGE (a)-[r:INVOLVES {key: row.key}]->(b)
WITH r, row, r.updated_at IS NULL AS created
SET r += row.props, r.updated_at = datetime()
RETURN count(r) AS written, sum(CASE WHEN created THEN 1 ELSE 0 END) AS created;

// name: upsert_occurred_in
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
MERGE (a)-[r:OCCURRED_IN {key: row.key}]->(b)
WITH r, row, r.updated_at IS NULL AS created
SET r += row.props, r.updated_at = datetime()
RETURN count(r) AS written, sum(CASE WHEN created THEN 1 ELSE 0 END) AS created;

// name: upsert_has_jurisdiction_over
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
MERGE (a)-[r:HAS_JURISDICTION_OVER {key: row.key}]->(b)
WITH r, row, r.updated_at IS NULL AS created
SET r += row.props, r.updated_at = datetime()
RETURN count(r) AS written, sum(CASE WHEN created THEN 1 ELSE 0 END) AS created;

// name: upsert_oversees
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
MERGE (a)-[r:OVERSEES {key: row.key}]->(b)
WITH r, row, r.updated_at IS NULL AS created
SET r += row.props, r.updated_at = datetime()
RETURN count(r) AS written, sum(CASE WHEN created THEN 1 ELSE 0 END) AS created;

// name: upsert_member_of
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
MERGE (a)-[r:MEMBER_OF {key: row.key}]->(b)
WITH r, row, r.updated_at IS NULL AS created
SET r += row.props, r.updated_at = datetime()
RETURN count(r) AS written, sum(CASE WHEN created THEN 1 ELSE 0 END) AS created;

// name: upsert_documented
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
MERGE (a)-[r:DOCUMENTED {key: row.key}]->(b)
WITH r, row, r.updated_at IS NULL AS created
SET r += row.props, r.updated_at = datetime()
RETURN count(r) AS written, sum(CASE WHEN created THEN 1 ELSE 0 END) AS created;

// name: upsert_has_contact
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
MERGE (a)-[r:HAS_CONTACT {key: row.key}]->(b)
WITH r, row, r.updated_at IS NULL AS created
SET r += row.props, r.updated_at = datetime()
RETURN count(r) AS written, sum(CASE WHEN created THEN 1 ELSE 0 END) AS created;

// name: upsert_by
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
MERGE (a)-[r:BY {key: row.key}]->(b)
WITH r, row, r.updated_at IS NULL AS created
SET r += row.props, r.updated_at = datetime()
RETURN count(r) AS written, sum(CASE WHEN created THEN 1 ELSE 0 END) AS created;

// name: upsert_to
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
MERGE (a)-[r:TO {key: row.key}]->(b)
WITH r, row, r.updated_at IS NULL AS created
SET r += row.props, r.updated_at = datetime()
RETURN count(r) AS written, sum(CASE WHEN created THEN 1 ELSE 0 END) AS created;

// name: upsert_about
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
MERGE (a)-[r:ABOUT {key: row.key}]->(b)
WITH r, row, r.updated_at IS NULL AS created
SET r += row.props, r.updated_at = datetime()
RETURN count(r) AS written, sum(CASE WHEN created THEN 1 ELSE 0 END) AS created;

// name: upsert_made_by
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
MERGE (a)-[r:MADE_BY {key: row.key}]->(b)
WITH r, row, r.updated_at IS NULL AS created
SET r += row.props, r.updated_at = datetime()
RETURN count(r) AS written, sum(CASE WHEN created THEN 1 ELSE 0 END) AS created;

// name: upsert_in_response_to
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
MERGE (a)-[r:IN_RESPONSE_TO {key: row.key}]->(b)
WITH r, row, r.updated_at IS NULL AS created
SET r += row.props, r.updated_at = datetime()
RETURN count(r) AS written, sum(CASE WHEN created THEN 1 ELSE 0 END) AS created;

// name: labels_of
// Which of these ids exist, and with which labels (to check relationship endpoints). One
// record of two lists: an import asks about 100,000s of ids, and the driver reads one record
// of lists several times faster than as many records.
UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN collect(n.id) AS ids, collect(labels(n)) AS labels;

// name: delete_all
// Tests and `graphapp db reset` only.
MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS;
