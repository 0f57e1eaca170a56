// bench/import.py's baseline: one relationship, one MERGE, one transaction (static type).

// name: merge_one_owns
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})
MATCH (b:Entity {id: row.to})
MERGE (a)-[r:OWNS {key: row.key}]->(b)
SET r += row.props, r.updated_at = datetime()
RETURN count(r) AS written;

// name: delete_baseline
// bench/run.py: remove what the baseline wrote (its rows have their own key).
MATCH ()-[r:OWNS {key: 'baseline|'}]->()
DELETE r;
