// Bulk load for bench/leverage.py only (a freshly emptied database): CREATE, not MERGE, with
// static labels. The app and the importers write through records.upsert_* instead.

// name: create_companies
UNWIND $rows AS row
CREATE (:Entity:Company {id: row.id, name: row.name});

// name: create_investor_companies
UNWIND $rows AS row
CREATE (:Entity:Company:Investor {id: row.id, name: row.name});

// name: create_people
UNWIND $rows AS row
CREATE (:Entity:Person {id: row.id, name: row.name});

// name: create_stakes
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
CREATE (a)-[:OWNS {economic_pct: row.pct, sources: $sources, confidence: 'reported',
                   key: '|'}]->(b);
