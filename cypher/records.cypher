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

// name: upsert_relationships_of_type
// What records.write uses: rows of one relationship type, $type, merged exactly as
// upsert_relationships merges them, with the type written out in one branch per type (Neo4j
// 2026.08 MERGEs a dynamic type ten times slower, bench/import.py). Only the branch of $type
// reads the rows. tests/test_records.py checks that the branches are exactly
// graphapp.model.REL_TYPES.
CALL () {
  WITH $type AS type WHERE type = 'OWNS'
  UNWIND $rows AS row
  MATCH (a:Entity {id: row.from})
  MATCH (b:Entity {id: row.to})
  MERGE (a)-[r:OWNS {key: row.key}]->(b)
  SET r += row.props, r.updated_at = datetime()
  RETURN count(r) AS written
  UNION ALL
  WITH $type AS type WHERE type = 'CONTROLS'
  UNWIND $rows AS row
  MATCH (a:Entity {id: row.from})
  MATCH (b:Entity {id: row.to})
  MERGE (a)-[r:CONTROLS {key: row.key}]->(b)
  SET r += row.props, r.updated_at = datetime()
  RETURN count(r) AS written
  UNION ALL
  WITH $type AS type WHERE type = 'INCORPORATED_IN'
  UNWIND $rows AS row
  MATCH (a:Entity {id: row.from})
  MATCH (b:Entity {id: row.to})
  MERGE (a)-[r:INCORPORATED_IN {key: row.key}]->(b)
  SET r += row.props, r.updated_at = datetime()
  RETURN count(r) AS written
  UNION ALL
  WITH $type AS type WHERE type = 'HEADQUARTERED_IN'
  UNWIND $rows AS row
  MATCH (a:Entity {id: row.from})
  MATCH (b:Entity {id: row.to})
  MERGE (a)-[r:HEADQUARTERED_IN {key: row.key}]->(b)
  SET r += row.props, r.updated_at = datetime()
  RETURN count(r) AS written
  UNION ALL
  WITH $type AS type WHERE type = 'OPERATES_IN'
  UNWIND $rows AS row
  MATCH (a:Entity {id: row.from})
  MATCH (b:Entity {id: row.to})
  MERGE (a)-[r:OPERATES_IN {key: row.key}]->(b)
  SET r += row.props, r.updated_at = datetime()
  RETURN count(r) AS written
  UNION ALL
  WITH $type AS type WHERE type = 'PART_OF'
  UNWIND $rows AS row
  MATCH (a:Entity {id: row.from})
  MATCH (b:Entity {id: row.to})
  MERGE (a)-[r:PART_OF {key: row.key}]->(b)
  SET r += row.props, r.updated_at = datetime()
  RETURN count(r) AS written
  UNION ALL
  WITH $type AS type WHERE type = 'REPORTS_TO'
  UNWIND $rows AS row
  MATCH (a:Entity {id: row.from})
  MATCH (b:Entity {id: row.to})
  MERGE (a)-[r:REPORTS_TO {key: row.key}]->(b)
  SET r += row.props, r.updated_at = datetime()
  RETURN count(r) AS written
  UNION ALL
  WITH $type AS type WHERE type = 'HOLDS_ROLE'
  UNWIND $rows AS row
  MATCH (a:Entity {id: row.from})
  MATCH (b:Entity {id: row.to})
  MERGE (a)-[r:HOLDS_ROLE {key: row.key}]->(b)
  SET r += row.props, r.updated_at = datetime()
  RETURN count(r) AS written
  UNION ALL
  WITH $type AS type WHERE type = 'OPERATES'
  UNWIND $rows AS row
  MATCH (a:Entity {id: row.from})
  MATCH (b:Entity {id: row.to})
  MERGE (a)-[r:OPERATES {key: row.key}]->(b)
  SET r += row.props, r.updated_at = datetime()
  RETURN count(r) AS written
  UNION ALL
  WITH $type AS type WHERE type = 'RESPONSIBLE_FOR'
  UNWIND $rows AS row
  MATCH (a:Entity {id: row.from})
  MATCH (b:Entity {id: row.to})
  MERGE (a)-[r:RESPONSIBLE_FOR {key: row.key}]->(b)
  SET r += row.props, r.updated_at = datetime()
  RETURN count(r) AS written
  UNION ALL
  WITH $type AS type WHERE type = 'AVAILABLE_IN'
  UNWIND $rows AS row
  MATCH (a:Entity {id: row.from})
  MATCH (b:Entity {id: row.to})
  MERGE (a)-[r:AVAILABLE_IN {key: row.key}]->(b)
  SET r += row.props, r.updated_at = datetime()
  RETURN count(r) AS written
  UNION ALL
  WITH $type AS type WHERE type = 'INVOLVES'
  UNWIND $rows AS row
  MATCH (a:Entity {id: row.from})
  MATCH (b:Entity {id: row.to})
  MERGE (a)-[r:INVOLVES {key: row.key}]->(b)
  SET r += row.props, r.updated_at = datetime()
  RETURN count(r) AS written
  UNION ALL
  WITH $type AS type WHERE type = 'OCCURRED_IN'
  UNWIND $rows AS row
  MATCH (a:Entity {id: row.from})
  MATCH (b:Entity {id: row.to})
  MERGE (a)-[r:OCCURRED_IN {key: row.key}]->(b)
  SET r += row.props, r.updated_at = datetime()
  RETURN count(r) AS written
  UNION ALL
  WITH $type AS type WHERE type = 'HAS_JURISDICTION_OVER'
  UNWIND $rows AS row
  MATCH (a:Entity {id: row.from})
  MATCH (b:Entity {id: row.to})
  MERGE (a)-[r:HAS_JURISDICTION_OVER {key: row.key}]->(b)
  SET r += row.props, r.updated_at = datetime()
  RETURN count(r) AS written
  UNION ALL
  WITH $type AS type WHERE type = 'OVERSEES'
  UNWIND $rows AS row
  MATCH (a:Entity {id: row.from})
  MATCH (b:Entity {id: row.to})
  MERGE (a)-[r:OVERSEES {key: row.key}]->(b)
  SET r += row.props, r.updated_at = datetime()
  RETURN count(r) AS written
  UNION ALL
  WITH $type AS type WHERE type = 'MEMBER_OF'
  UNWIND $rows AS row
  MATCH (a:Entity {id: row.from})
  MATCH (b:Entity {id: row.to})
  MERGE (a)-[r:MEMBER_OF {key: row.key}]->(b)
  SET r += row.props, r.updated_at = datetime()
  RETURN count(r) AS written
  UNION ALL
  WITH $type AS type WHERE type = 'DOCUMENTED'
  UNWIND $rows AS row
  MATCH (a:Entity {id: row.from})
  MATCH (b:Entity {id: row.to})
  MERGE (a)-[r:DOCUMENTED {key: row.key}]->(b)
  SET r += row.props, r.updated_at = datetime()
  RETURN count(r) AS written
  UNION ALL
  WITH $type AS type WHERE type = 'HAS_CONTACT'
  UNWIND $rows AS row
  MATCH (a:Entity {id: row.from})
  MATCH (b:Entity {id: row.to})
  MERGE (a)-[r:HAS_CONTACT {key: row.key}]->(b)
  SET r += row.props, r.updated_at = datetime()
  RETURN count(r) AS written
  UNION ALL
  WITH $type AS type WHERE type = 'BY'
  UNWIND $rows AS row
  MATCH (a:Entity {id: row.from})
  MATCH (b:Entity {id: row.to})
  MERGE (a)-[r:BY {key: row.key}]->(b)
  SET r += row.props, r.updated_at = datetime()
  RETURN count(r) AS written
  UNION ALL
  WITH $type AS type WHERE type = 'TO'
  UNWIND $rows AS row
  MATCH (a:Entity {id: row.from})
  MATCH (b:Entity {id: row.to})
  MERGE (a)-[r:TO {key: row.key}]->(b)
  SET r += row.props, r.updated_at = datetime()
  RETURN count(r) AS written
  UNION ALL
  WITH $type AS type WHERE type = 'ABOUT'
  UNWIND $rows AS row
  MATCH (a:Entity {id: row.from})
  MATCH (b:Entity {id: row.to})
  MERGE (a)-[r:ABOUT {key: row.key}]->(b)
  SET r += row.props, r.updated_at = datetime()
  RETURN count(r) AS written
  UNION ALL
  WITH $type AS type WHERE type = 'MADE_BY'
  UNWIND $rows AS row
  MATCH (a:Entity {id: row.from})
  MATCH (b:Entity {id: row.to})
  MERGE (a)-[r:MADE_BY {key: row.key}]->(b)
  SET r += row.props, r.updated_at = datetime()
  RETURN count(r) AS written
  UNION ALL
  WITH $type AS type WHERE type = 'IN_RESPONSE_TO'
  UNWIND $rows AS row
  MATCH (a:Entity {id: row.from})
  MATCH (b:Entity {id: row.to})
  MERGE (a)-[r:IN_RESPONSE_TO {key: row.key}]->(b)
  SET r += row.props, r.updated_at = datetime()
  RETURN count(r) AS written
}
RETURN sum(written) AS written;

// name: labels_of
// Which of these ids exist, and with which labels (to check relationship endpoints).
UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN n.id AS id, labels(n) AS labels;

// name: delete_all
// Tests and `graphapp db reset` only.
MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS;
