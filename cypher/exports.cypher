// Exports: the nodes and relationships of a graph view, with all their properties.
// Called by graphapp/exports/__init__.py; a view is built from a set of node ids (and, for escalation
// and investor views, the relationships the capability found), then hydrated here.
//
// Filters on relationships, where a query takes them:
//   $min_rank: coalesce($ranks[r.confidence], 0) >= $min_rank   (0 keeps everything)
//   $as_of: a partial date keeps those begun on or before it and not ended by it;
//           null with $current keeps the current ones (no end_date), null without $current
//           keeps every relationship, ended ones too (the exports mark them ended).
// Dates are partial strings (YYYY, YYYY-MM, YYYY-MM-DD) compared as strings.

// name: nodes
// Every property of the nodes with these ids.
UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN n.id AS id, [l IN labels(n) WHERE l <> 'Entity'] AS labels, properties(n) AS props;

// name: relationships_among
// The relationships between nodes of $ids (both ends in the set), of $types (null: any).
UNWIND $ids AS id
MATCH (a:Entity {id: id})-[r]->(b:Entity)
WHERE b.id IN $ids
  AND ($types IS NULL OR type(r) IN $types)
  AND coalesce($ranks[r.confidence], 0) >= $min_rank
  AND CASE WHEN $as_of IS NOT NULL
           THEN coalesce(r.start_date, '') <= $as_of AND coalesce(r.end_date, '9999') > $as_of
           ELSE NOT $current OR r.end_date IS NULL END
RETURN a.id AS from, b.id AS to, type(r) AS type, properties(r) AS props
ORDER BY from, type, to, coalesce(r.start_date, ''), coalesce(r.key, '');

// name: neighbours
// One hop out of the frontier $ids, either direction, with the filters. Python decides which
// new nodes to expand next (sensitive ones are not expanded unless the caller may see them).
UNWIND $ids AS id
MATCH (a:Entity {id: id})-[r]-(b:Entity)
WHERE coalesce($ranks[r.confidence], 0) >= $min_rank
  AND CASE WHEN $as_of IS NOT NULL
           THEN coalesce(r.start_date, '') <= $as_of AND coalesce(r.end_date, '9999') > $as_of
           ELSE NOT $current OR r.end_date IS NULL END
RETURN DISTINCT b.id AS id, coalesce(b.sensitive, false) AS sensitive,
       coalesce(r.sensitive, false) OR type(r) IN $sensitive_types AS via_sensitive,
       a.id AS from_id
ORDER BY id
LIMIT $limit;

// name: graph_nodes
// The ids of the nodes in the whole-graph view: with one of $labels (null: any), and in one
// of $countries (null: anywhere). A node is in a country when it is that Country, has a
// relationship to it, or its jurisdiction, nationality or country is that code. A sensitive
// node is left out unless $include_sensitive: as a placeholder it would still tell that
// someone of that nationality is in the graph.
// One more than $limit comes back, so the caller knows when the view is cut.
CYPHER 25
MATCH (n:Entity)
WHERE ($labels IS NULL OR any(l IN labels(n) WHERE l IN $labels))
  AND ($include_sensitive OR NOT coalesce(n.sensitive, false))
  AND ($countries IS NULL
       OR n.iso2 IN $countries OR n.jurisdiction IN $countries
       OR n.nationality IN $countries OR n.country IN $countries
       OR EXISTS { MATCH (n)-[r]-(k:Country) WHERE k.iso2 IN $countries
                     AND ($include_sensitive OR NOT coalesce(r.sensitive, false)) })
RETURN n.id AS id
ORDER BY id
LIMIT $limit + 1;

// name: graph_count
// How many nodes the whole-graph view would hold without a limit (same filters).
CYPHER 25
MATCH (n:Entity)
WHERE ($labels IS NULL OR any(l IN labels(n) WHERE l IN $labels))
  AND ($include_sensitive OR NOT coalesce(n.sensitive, false))
  AND ($countries IS NULL
       OR n.iso2 IN $countries OR n.jurisdiction IN $countries
       OR n.nationality IN $countries OR n.country IN $countries
       OR EXISTS { MATCH (n)-[r]-(k:Country) WHERE k.iso2 IN $countries
                     AND ($include_sensitive OR NOT coalesce(r.sensitive, false)) })
RETURN count(n) AS count;

// name: redaction_context
// What a placeholder may say about a sensitive node without naming it: the non-sensitive
// teams (with their function and company) and companies it holds a current role in, and
// whether someone has it as a contact.
UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN n.id AS id,
       COLLECT {
         MATCH (n)-[r:HOLDS_ROLE]->(t:Team)
         WHERE r.end_date IS NULL AND NOT coalesce(t.sensitive, false)
           AND NOT coalesce(r.sensitive, false)
         OPTIONAL MATCH (t)-[:PART_OF]->(c:Company)
         WHERE NOT coalesce(c.sensitive, false)
         RETURN {team: t.name, function: t.function, company: c.name}
         ORDER BY t.name LIMIT 1
       } AS teams,
       COLLECT {
         MATCH (n)-[r:HOLDS_ROLE]->(c:Company)
         WHERE r.end_date IS NULL AND NOT coalesce(c.sensitive, false)
           AND NOT coalesce(r.sensitive, false)
         RETURN c.name ORDER BY c.name LIMIT 1
       } AS companies,
       EXISTS { MATCH (n)<-[:HAS_CONTACT]-(:Organization) } AS is_contact;
