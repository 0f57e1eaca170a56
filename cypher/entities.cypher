// Looking at entities: search, one entity with its relationships, counts.

// name: search
// $lucene is built by graphapp.entities.lucene_query from the user's words (escaped). The index
// keeps its best $candidates hits (a word common to 100,000s of names would otherwise send
// them all through Cypher); graphapp.entities.search asks for enough to fill $limit after
// sensitive entities are left out.
CALL db.index.fulltext.queryNodes('entity_search', $lucene, {limit: $candidates})
YIELD node, score
WHERE $include_sensitive OR NOT coalesce(node.sensitive, false)
RETURN node.id AS id, node.name AS name,
       [l IN labels(node) WHERE l <> 'Entity'] AS labels,
       node.description AS description, score
ORDER BY score DESC, name, id
LIMIT $limit;

// name: get
MATCH (n:Entity {id: $id})
WHERE $include_sensitive OR NOT coalesce(n.sensitive, false)
RETURN n.id AS id, [l IN labels(n) WHERE l <> 'Entity'] AS labels, properties(n) AS props;

// name: relationships
// Every relationship of one entity, with its direction seen from that entity.
MATCH (n:Entity {id: $id})-[r]-(m:Entity)
WHERE ($include_sensitive OR (NOT coalesce(m.sensitive, false) AND NOT coalesce(r.sensitive, false)))
RETURN type(r) AS type,
       CASE WHEN startNode(r) = n THEN 'out' ELSE 'in' END AS direction,
       properties(r) AS props,
       m.id AS other_id, m.name AS other_name,
       [l IN labels(m) WHERE l <> 'Entity'] AS other_labels
ORDER BY type, direction, other_name, other_id, r.start_date;

// name: count_by_label
MATCH (n:Entity)
WHERE $include_sensitive OR NOT coalesce(n.sensitive, false)
UNWIND labels(n) AS label
RETURN label, count(*) AS count ORDER BY label;

// name: count_by_type
MATCH (a:Entity)-[r]->(b:Entity)
WHERE $include_sensitive OR NOT (coalesce(r.sensitive, false) OR coalesce(a.sensitive, false)
                                 OR coalesce(b.sensitive, false))
RETURN type(r) AS type, count(r) AS count,
       sum(CASE WHEN r.sources IS NULL OR size(r.sources) = 0 THEN 1 ELSE 0 END) AS without_source
ORDER BY type;

// name: ping
RETURN 1 AS ok;

// name: graph_counts
// The graph's size from Neo4j's count store (constant time at any size): entities by label and
// relationships by type, sensitive ones included. tests/test_entities.py checks that the labels
// and types are graphapp.store.model's.
RETURN COUNT { (:Entity) } AS nodes,
       {Company: COUNT { (:Company) },
        Person: COUNT { (:Person) },
        Team: COUNT { (:Team) },
        Product: COUNT { (:Product) },
        Regulator: COUNT { (:Regulator) },
        Forum: COUNT { (:Forum) },
        Organization: COUNT { (:Organization) },
        Harm: COUNT { (:Harm) },
        Country: COUNT { (:Country) },
        Engagement: COUNT { (:Engagement) },
        Commitment: COUNT { (:Commitment) },
        Arrangement: COUNT { (:Arrangement) },
        State: COUNT { (:State) },
        Undisclosed: COUNT { (:Undisclosed) },
        Investor: COUNT { (:Investor) }} AS labels,
       {OWNS: COUNT { ()-[:OWNS]->() },
        CONTROLS: COUNT { ()-[:CONTROLS]->() },
        HOLDS_INDIRECTLY: COUNT { ()-[:HOLDS_INDIRECTLY]->() },
        PARTY_TO: COUNT { ()-[:PARTY_TO]->() },
        INCORPORATED_IN: COUNT { ()-[:INCORPORATED_IN]->() },
        HEADQUARTERED_IN: COUNT { ()-[:HEADQUARTERED_IN]->() },
        OPERATES_IN: COUNT { ()-[:OPERATES_IN]->() },
        PART_OF: COUNT { ()-[:PART_OF]->() },
        REPORTS_TO: COUNT { ()-[:REPORTS_TO]->() },
        HOLDS_ROLE: COUNT { ()-[:HOLDS_ROLE]->() },
        OPERATES: COUNT { ()-[:OPERATES]->() },
        RESPONSIBLE_FOR: COUNT { ()-[:RESPONSIBLE_FOR]->() },
        AVAILABLE_IN: COUNT { ()-[:AVAILABLE_IN]->() },
        INVOLVES: COUNT { ()-[:INVOLVES]->() },
        OCCURRED_IN: COUNT { ()-[:OCCURRED_IN]->() },
        HAS_JURISDICTION_OVER: COUNT { ()-[:HAS_JURISDICTION_OVER]->() },
        OVERSEES: COUNT { ()-[:OVERSEES]->() },
        MEMBER_OF: COUNT { ()-[:MEMBER_OF]->() },
        DOCUMENTED: COUNT { ()-[:DOCUMENTED]->() },
        HAS_CONTACT: COUNT { ()-[:HAS_CONTACT]->() },
        BY: COUNT { ()-[:BY]->() },
        TO: COUNT { ()-[:TO]->() },
        ABOUT: COUNT { ()-[:ABOUT]->() },
        MADE_BY: COUNT { ()-[:MADE_BY]->() },
        IN_RESPONSE_TO: COUNT { ()-[:IN_RESPONSE_TO]->() }} AS types;

// name: hidden_counts
// What someone without access to sensitive data does not see, by label and by type: the
// sensitive entities (found through the entity_sensitive index) and every relationship that
// touches one (relationships marked sensitive between public entities are not counted here).
CALL () {
  MATCH (n:Entity) WHERE n.sensitive = true
  UNWIND labels(n) AS name
  RETURN 'label' AS kind, name, count(*) AS count
  UNION ALL
  MATCH (n:Entity)-[r]-() WHERE n.sensitive = true
  WITH DISTINCT r
  RETURN 'type' AS kind, type(r) AS name, count(r) AS count
}
RETURN kind, name, count;
