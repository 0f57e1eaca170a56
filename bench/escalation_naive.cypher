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
