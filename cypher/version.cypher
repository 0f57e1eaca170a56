// The graph's version (graphapp/store/db.py): a fresh random value set by every write of the
// graph, in the write's own transaction. Pages cached under one version are never served after
// a write (graphapp/web/pagecache.py). One node outside the power graph (no :Entity label).

// name: read
// None when there is no version yet (an empty or bulk-loaded database): nothing is cached then.
OPTIONAL MATCH (v:GraphVersion {id: 'graph'})
RETURN v.value AS value;

// name: bump
// In the transaction of a write: a version no cache has seen (random, so a wiped and reloaded
// database never meets a version from before).
MERGE (v:GraphVersion {id: 'graph'})
SET v.value = randomUUID();

// name: bump_if_graph
// After a write that commits its own transactions (CALL { } IN TRANSACTIONS, a bulk load's
// last steps, the schema): a new version while the database holds a graph. A delete of
// everything deletes the version too and creates none, so an emptied database stays empty
// (a bulk load only fills an empty one).
OPTIONAL MATCH (e:Entity)
WITH e LIMIT 1
WITH e WHERE e IS NOT NULL
MERGE (v:GraphVersion {id: 'graph'})
SET v.value = randomUUID();
