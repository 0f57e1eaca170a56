// Imports: entity matching before a write, and the Ranking Digital Rights scores.

// name: match_candidates
// Existing nodes that may be the same as incoming records: by id, LEI, Wikidata id, register
// number, personal identifier digest, or a full-text match on the name ($names are Lucene queries built by
// graphapp.entities.lucene_query from normalised names, so user text is escaped).
CALL () {
  UNWIND $ids AS id
  MATCH (n:Entity {id: id})
  RETURN n
  UNION
  UNWIND $leis AS lei
  MATCH (n:Company {lei: lei})
  RETURN n
  UNION
  UNWIND $wikidata AS qid
  MATCH (n:Company {wikidata_id: qid})
  RETURN n
  UNION
  UNWIND $wikidata AS qid
  MATCH (n:Person {wikidata_id: qid})
  RETURN n
  UNION
  UNWIND $registers AS number
  MATCH (n:Company {registration_number: number})
  RETURN n
  UNION
  // People who share a personal identifier (its one-way digest): one scan of the people, and
  // only when the import brings identifiers.
  WITH $person_ids AS digests WHERE size(digests) > 0
  MATCH (n:Person) WHERE any(d IN coalesce(n.identifiers, []) WHERE d IN digests)
  RETURN n
  UNION
  UNWIND $names AS lucene
  CALL db.index.fulltext.queryNodes('entity_names', lucene, {limit: 25}) YIELD node
  RETURN node AS n
}
// One record of three lists, properties as [key, value] pairs without updated_at: a re-import
// matches 100,000s of nodes, and the driver reads lists much faster than as many records (and
// turning every updated_at into a Python datetime took most of the time).
RETURN collect(n.id) AS ids, collect([l IN labels(n) WHERE l <> 'Entity']) AS labels,
       collect([k IN keys(n) WHERE k <> 'updated_at' | [k, n[k]]]) AS props;

// name: count_existing_relationships
// How many of these relationships (start, type, end, key) are already in the graph. The rows
// come as four lists of the same length (cheaper to send than as many maps).
UNWIND range(0, size($froms) - 1) AS i
MATCH (a:Entity {id: $froms[i]})-[r]->(b:Entity {id: $tos[i]})
WHERE type(r) = $types[i] AND r.key = $keys[i]
RETURN count(r) AS count;

// name: set_scores
// rows: [{id, props: {rdr_score_2022: 46, rdr_source_2022: url}}], validated by the importer.
UNWIND $rows AS row
MATCH (c:Company {id: row.id})
SET c += row.props
RETURN count(c) AS written;

// name: export_nodes
// Nodes with one of $labels, for the FollowTheMoney and BODS exports.
MATCH (n:Entity)
WHERE any(l IN labels(n) WHERE l IN $labels)
  AND ($include_sensitive OR NOT coalesce(n.sensitive, false))
RETURN n.id AS id, [l IN labels(n) WHERE l <> 'Entity'] AS labels, properties(n) AS props
ORDER BY id;

// name: export_relationships
// Relationships of $types whose ends are both visible, with the ends' labels.
MATCH (a:Entity)-[r]->(b:Entity)
WHERE type(r) IN $types
  AND ($include_sensitive OR NOT (coalesce(r.sensitive, false) OR coalesce(a.sensitive, false)
                                  OR coalesce(b.sensitive, false)))
RETURN a.id AS from, type(r) AS type, b.id AS to, properties(r) AS props,
       [l IN labels(a) WHERE l <> 'Entity'] AS from_labels,
       [l IN labels(b) WHERE l <> 'Entity'] AS to_labels
ORDER BY from, type, to, r.key;
