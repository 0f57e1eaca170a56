// Imports: entity matching before a write, and the Ranking Digital Rights scores.

// name: match_candidates
// Existing nodes that may be the same as incoming records: by id, LEI, Wikidata id, register
// number, or a full-text match on the name ($names are Lucene queries built by
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
  UNWIND $names AS lucene
  CALL db.index.fulltext.queryNodes('entity_search', lucene, {limit: 25}) YIELD node
  RETURN node AS n
}
RETURN n.id AS id, [l IN labels(n) WHERE l <> 'Entity'] AS labels, properties(n) AS props;

// name: count_existing_relationships
// How many of these relationships (start, type, end, key) are already in the graph.
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})-[r]->(b:Entity {id: row.to})
WHERE type(r) = row.type AND r.key = row.key
RETURN count(r) AS count;

// name: set_scores
// rows: [{id, props: {rdr_score_2022: 46, rdr_source_2022: url}}], validated by the importer.
UNWIND $rows AS row
MATCH (c:Company {id: row.id})
SET c += row.props
RETURN count(c) AS written;
