// The naive baseline for bench/escalation.py: the same question asked the obvious way, with
// unbounded variable-length patterns and the filters applied after the match. It lives here,
// not in cypher/, because the app must never run it.

// name: escalation
MATCH (h:Entity {id: $id})-[:INVOLVES]->(p:Product)<-[:OPERATES]-(c:Company)
MATCH path = (c)<-[:OWNS|CONTROLS*0..]-(x)
WHERE all(r IN relationships(path) WHERE coalesce($ranks[r.confidence], 0) >= $min_rank
          AND coalesce(r.start_date, '') <= $as_of AND coalesce(r.end_date, '9999') > $as_of)
WITH collect(DISTINCT x) AS owners, collect(DISTINCT p) AS products
CALL (owners, products) {
  UNWIND owners AS x RETURN x AS target
  UNION
  UNWIND owners AS x MATCH (x)<-[:PART_OF]-(:Team)<-[r:HOLDS_ROLE]-(m)
  WHERE coalesce(r.end_date, '9999') > $as_of RETURN m AS target
  UNION
  UNWIND owners AS x MATCH (x)<-[r:HOLDS_ROLE]-(m)
  WHERE coalesce(r.end_date, '9999') > $as_of RETURN m AS target
  UNION
  UNWIND products AS p MATCH (p)<-[:RESPONSIBLE_FOR]-(:Team)-[:REPORTS_TO*0..]->(t)
  RETURN t AS target
  UNION
  UNWIND owners AS x MATCH (x)-[:HEADQUARTERED_IN]->(:Country)<-[:HAS_JURISDICTION_OVER]-(r)
  RETURN r AS target
  UNION
  UNWIND owners AS x MATCH (r:Regulator)-[:OVERSEES]->(x) RETURN r AS target
  UNION
  UNWIND owners AS x MATCH (x)-[:MEMBER_OF]->(f:Forum) RETURN f AS target
}
RETURN collect(DISTINCT target {.id, .name}) AS targets;

// name: escalation_paths
// The same, returning what the capability must return: each target with a path and the
// evidence on every hop (the client keeps the shortest per target). Returning paths stops
// Neo4j from pruning the unbounded expansion to distinct nodes: it walks every trail.
MATCH (h:Entity {id: $id})-[i:INVOLVES]->(p:Product)<-[op:OPERATES]-(c:Company)
MATCH path = (c)<-[:OWNS|CONTROLS*0..]-(x)
WHERE all(r IN relationships(path) WHERE coalesce($ranks[r.confidence], 0) >= $min_rank
          AND coalesce(r.start_date, '') <= $as_of AND coalesce(r.end_date, '9999') > $as_of)
WITH p, x, [i, op] + relationships(path) AS way
CALL (p, x, way) {
  RETURN x AS target, way AS rels
  UNION
  MATCH (x)<-[r1:PART_OF]-(t:Team) RETURN t AS target, way + [r1] AS rels
  UNION
  MATCH (x)<-[r1:PART_OF]-(:Team)<-[r2:HOLDS_ROLE]-(m)
  WHERE coalesce(r2.end_date, '9999') > $as_of RETURN m AS target, way + [r1, r2] AS rels
  UNION
  MATCH (x)<-[r1:HOLDS_ROLE]-(m)
  WHERE coalesce(r1.end_date, '9999') > $as_of RETURN m AS target, way + [r1] AS rels
  UNION
  MATCH (p)<-[r1:RESPONSIBLE_FOR]-(:Team)-[rt:REPORTS_TO*0..]->(t)
  RETURN t AS target, way[0..1] + [r1] + rt AS rels
  UNION
  MATCH (x)-[r1:HEADQUARTERED_IN]->(:Country)<-[r2:HAS_JURISDICTION_OVER]-(r)
  RETURN r AS target, way + [r1, r2] AS rels
  UNION
  MATCH (r:Regulator)-[r1:OVERSEES]->(x) RETURN r AS target, way + [r1] AS rels
  UNION
  MATCH (x)-[r1:MEMBER_OF]->(f:Forum) RETURN f AS target, way + [r1] AS rels
}
RETURN target.id AS id,
       [r IN rels | r {.confidence, .sources, .start_date, .end_date, type: type(r)}] AS path;
