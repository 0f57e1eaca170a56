// Investor leverage: direct stakes, the ownership subgraph around a company or an investor
// (fetched hop by hop with bounded one-hop patterns, then solved in numpy/scipy by
// graphapp.leverage.lookthrough), the harms
// an investor's holdings touch, and interlocks (shared board members, shared major investors).
//
// "Active" relationships: with $as_of null, the current ones (end_date null); with $as_of a
// partial date, those that started on or before it (or have no start) and had not ended by it.
// Dates are partial strings (YYYY, YYYY-MM, YYYY-MM-DD) compared as strings.

// name: company
MATCH (c:Company {id: $id})
RETURN c.id AS id, c.name AS name, [l IN labels(c) WHERE l <> 'Entity'] AS labels,
       coalesce(c.sensitive, false) AS sensitive;

// name: holder
// A node that can hold stakes: a Company or a Person (with or without the Investor label).
MATCH (n:Entity {id: $id})
WHERE n:Company OR n:Person
RETURN n.id AS id, n.name AS name, [l IN labels(n) WHERE l <> 'Entity'] AS labels,
       coalesce(n.sensitive, false) AS sensitive;

// name: labels_of_id
MATCH (n:Entity {id: $id})
RETURN [l IN labels(n) WHERE l <> 'Entity'] AS labels;

// name: direct_stakes
MATCH (c:Company {id: $id})<-[r:OWNS]-(h:Entity)
WHERE CASE WHEN $as_of IS NULL THEN r.end_date IS NULL
           ELSE coalesce(r.start_date, '') <= $as_of AND (r.end_date IS NULL OR r.end_date > $as_of)
      END
RETURN h.id AS holder_id, h.name AS holder_name,
       [l IN labels(h) WHERE l <> 'Entity'] AS holder_labels,
       coalesce(h.sensitive, false) OR coalesce(r.sensitive, false) AS sensitive,
       properties(r) AS props
ORDER BY coalesce(r.voting_pct, r.economic_pct, r.pct_max, 0) DESC, h.name, h.id;

// name: other_control
// Control without shares (board appointment, golden share, contract) over the company.
MATCH (c:Company {id: $id})<-[r:CONTROLS]-(h:Entity)
WHERE CASE WHEN $as_of IS NULL THEN r.end_date IS NULL
           ELSE coalesce(r.start_date, '') <= $as_of AND (r.end_date IS NULL OR r.end_date > $as_of)
      END
RETURN h.id AS holder_id, h.name AS holder_name,
       [l IN labels(h) WHERE l <> 'Entity'] AS holder_labels,
       coalesce(h.sensitive, false) OR coalesce(r.sensitive, false) AS sensitive,
       properties(r) AS props
ORDER BY h.name, h.id;

// The ownership subgraph around a company (upstream) or an investor (downstream) is fetched
// one hop at a time, breadth first, within one read transaction (graphapp.leverage._subgraph):
// each call expands the current frontier by one bounded, one-hop pattern, and the loop stops at
// max_depth hops, so every node is expanded once and every tie read once; no chain is ever
// enumerated. (A single `ANY SHORTEST (h)-[:OWNS]->{1,12}(t)` pattern finds the same holders,
// but measured 4-25x slower on a 12k-node benchmark network: bench/leverage.py, docs/leverage.md.)

// name: stakes_into
// The active OWNS into each of $ids, with the holder. Every holder of a node that reaches the
// company also reaches it, so these are the upstream subgraph's ties. Flat columns: thousands
// of rows come back for a company held through a financial core.
UNWIND $ids AS id
MATCH (a:Entity)-[r:OWNS]->(b:Entity {id: id})
WHERE CASE WHEN $as_of IS NULL THEN r.end_date IS NULL
           ELSE coalesce(r.start_date, '') <= $as_of AND (r.end_date IS NULL OR r.end_date > $as_of)
      END
RETURN a.id AS holder, b.id AS company, coalesce(r.sensitive, false) AS sensitive,
       r.economic_pct AS economic_pct, r.voting_pct AS voting_pct, r.pct_min AS pct_min,
       r.pct_max AS pct_max, r.share_class AS share_class, r.sources AS sources,
       r.confidence AS confidence, r.start_date AS start_date, r.end_date AS end_date,
       r.as_of AS as_of, r.note AS note,
       a.name AS far_name, [l IN labels(a) WHERE l <> 'Entity'] AS far_labels,
       coalesce(a.sensitive, false) AS far_sensitive;

// name: stakes_out_of
// The active OWNS out of each of $ids, with the company held (the downstream subgraph's ties).
UNWIND $ids AS id
MATCH (a:Entity {id: id})-[r:OWNS]->(b:Company)
WHERE CASE WHEN $as_of IS NULL THEN r.end_date IS NULL
           ELSE coalesce(r.start_date, '') <= $as_of AND (r.end_date IS NULL OR r.end_date > $as_of)
      END
RETURN a.id AS holder, b.id AS company, coalesce(r.sensitive, false) AS sensitive,
       r.economic_pct AS economic_pct, r.voting_pct AS voting_pct, r.pct_min AS pct_min,
       r.pct_max AS pct_max, r.share_class AS share_class, r.sources AS sources,
       r.confidence AS confidence, r.start_date AS start_date, r.end_date AS end_date,
       r.as_of AS as_of, r.note AS note,
       b.name AS far_name, [l IN labels(b) WHERE l <> 'Entity'] AS far_labels,
       coalesce(b.sensitive, false) AS far_sensitive;

// name: network_stakes
// Every active OWNS in the graph, for the whole-network look-through (graphapp.leverage.
// network_holders): ONE record of parallel lists, not a record per stake. A million records
// cost the Python driver ~20 s of CPU to decode; the same values as six lists take ~0.5 s
// (bench/leverage.py, docs/leverage.md). collect() skips nulls, so an absent percentage is
// sent as -1 (never a valid 0-100 figure). confidence: 3 confirmed, 2 reported, 1 alleged,
// 0 unknown. No labels in the pattern: OWNS only joins Entity nodes (a type scan suffices).
MATCH (a)-[r:OWNS]->(b)
WHERE CASE WHEN $as_of IS NULL THEN r.end_date IS NULL
           ELSE coalesce(r.start_date, '') <= $as_of AND (r.end_date IS NULL OR r.end_date > $as_of)
      END
RETURN collect(a.id) AS holders, collect(b.id) AS companies,
       collect(coalesce(r.economic_pct, -1.0)) AS economic_pct,
       collect(coalesce(r.voting_pct, -1.0)) AS voting_pct,
       collect(coalesce(r.pct_min, -1.0)) AS pct_min,
       collect(coalesce(r.pct_max, -1.0)) AS pct_max,
       collect(CASE r.confidence WHEN 'confirmed' THEN 3 WHEN 'reported' THEN 2
                                 WHEN 'alleged' THEN 1 ELSE 0 END) AS confidence;

// name: entities_by_ids
// Name, labels and sensitivity of a few nodes (the top of the whole-network ranking).
UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN n.id AS id, n.name AS name, [l IN labels(n) WHERE l <> 'Entity'] AS labels,
       coalesce(n.sensitive, false) AS sensitive;

// An investor's exposure (graphapp.leverage.exposure_ranking and exposure_page) is read in two
// steps, so that a page of it never needs the whole of it: first the downstream subgraph and the
// harm links as numbers (one record of parallel lists per query, no evidence, no labels: a fund
// that reaches 150,000 companies sends 300,000 stakes), solved and ranked in numpy; then, for the
// one page shown, the evidence of its rows (exposure_hops, harm_routes, entities_by_ids).
// collect() skips nulls, so an absent figure is sent as -1 and an absent name or id as ''.

// name: exposure_stakes
// The active OWNS out of each of $ids, with the company held: one hop of the downstream
// subgraph, as one record of parallel lists (see network_stakes for why).
UNWIND $ids AS id
MATCH (a:Entity {id: id})-[r:OWNS]->(b:Company)
WHERE CASE WHEN $as_of IS NULL THEN r.end_date IS NULL
           ELSE coalesce(r.start_date, '') <= $as_of AND (r.end_date IS NULL OR r.end_date > $as_of)
      END
RETURN collect(a.id) AS holders, collect(b.id) AS companies,
       collect(coalesce(r.economic_pct, -1.0)) AS economic_pct,
       collect(coalesce(r.voting_pct, -1.0)) AS voting_pct,
       collect(coalesce(r.pct_min, -1.0)) AS pct_min,
       collect(coalesce(r.pct_max, -1.0)) AS pct_max,
       collect(coalesce(r.sensitive, false)) AS sensitive,
       collect(coalesce(b.sensitive, false)) AS company_sensitive,
       collect(coalesce(b.name, '')) AS names;

// name: exposure_harm_links
// The harms linked to each company of $ids: directly (Harm-[:INVOLVES]->Company) or through a
// product it operates (Harm-[:INVOLVES]->Product<-[:OPERATES]-Company, the OPERATES active),
// as one record of parallel lists (the caller orders them). A route through anything
// sensitive (the harm, the INVOLVES, the product, the OPERATES) is left out unless
// $include_sensitive.
CYPHER 25
UNWIND $ids AS id
MATCH (c:Company {id: id})
CALL (c) {
  MATCH (h:Harm)-[inv:INVOLVES]->(c)
  RETURN h, inv, null AS product, null AS operates
  UNION
  MATCH (h:Harm)-[inv:INVOLVES]->(product:Product)<-[operates:OPERATES]-(c)
  WHERE CASE WHEN $as_of IS NULL THEN operates.end_date IS NULL
             ELSE coalesce(operates.start_date, '') <= $as_of
                  AND (operates.end_date IS NULL OR operates.end_date > $as_of) END
  RETURN h, inv, product, operates
}
WITH c, h, inv, product, operates
WHERE $include_sensitive
   OR NOT (coalesce(h.sensitive, false) OR coalesce(inv.sensitive, false)
           OR coalesce(product.sensitive, false) OR coalesce(operates.sensitive, false))
RETURN collect(c.id) AS companies, collect(h.id) AS harms,
       collect(coalesce(product.id, '')) AS products,
       collect(coalesce(h.severity, -1)) AS severities,
       collect(coalesce(h.name, '')) AS names;

// name: harm_routes
// The evidence of one route per harm ($routes: {harm, company, product}; product null for a
// harm that involves the company itself): the harm, its INVOLVES, the product and OPERATES.
CYPHER 25
UNWIND $routes AS route
MATCH (h:Harm {id: route.harm}), (c:Company {id: route.company})
CALL (h, c, route) {
  MATCH (h)-[inv:INVOLVES]->(c)
  WHERE route.product IS NULL
  RETURN inv, null AS product, null AS operates
  UNION
  MATCH (h)-[inv:INVOLVES]->(product:Product {id: route.product})<-[operates:OPERATES]-(c)
  WHERE CASE WHEN $as_of IS NULL THEN operates.end_date IS NULL
             ELSE coalesce(operates.start_date, '') <= $as_of
                  AND (operates.end_date IS NULL OR operates.end_date > $as_of) END
  RETURN inv, product, operates
}
RETURN h.id AS harm_id, c.id AS company, h.name AS harm_name, h.harm_type AS harm_type,
       h.severity AS severity, h.status AS status, h.started AS started, h.ended AS ended,
       properties(inv) AS involves,
       product.id AS product_id, product.name AS product_name,
       CASE WHEN operates IS NULL THEN null ELSE properties(operates) END AS operates;

// name: exposure_hops
// The active OWNS of each pair of $pairs ({holder, company}): the hops of the chains one page
// shows, with their evidence (the columns of stakes_out_of).
UNWIND $pairs AS pair
MATCH (a:Entity {id: pair.holder})-[r:OWNS]->(b:Company {id: pair.company})
WHERE CASE WHEN $as_of IS NULL THEN r.end_date IS NULL
           ELSE coalesce(r.start_date, '') <= $as_of AND (r.end_date IS NULL OR r.end_date > $as_of)
      END
RETURN a.id AS holder, b.id AS company, coalesce(r.sensitive, false) AS sensitive,
       r.economic_pct AS economic_pct, r.voting_pct AS voting_pct, r.pct_min AS pct_min,
       r.pct_max AS pct_max, r.share_class AS share_class, r.sources AS sources,
       r.confidence AS confidence, r.start_date AS start_date, r.end_date AS end_date,
       r.as_of AS as_of, r.note AS note,
       b.name AS far_name, [l IN labels(b) WHERE l <> 'Entity'] AS far_labels,
       coalesce(b.sensitive, false) AS far_sensitive;

// name: board_interlocks
// People on the company's board now (a HOLDS_ROLE of kind board, on the company or on a team of
// it whose function is board), and the other boards each of them sits on.
CYPHER 25
MATCH (c:Company {id: $id})
CALL (c) {
  MATCH (p:Person)-[r:HOLDS_ROLE]->(c) WHERE r.kind = 'board'
  RETURN p, r
  UNION
  MATCH (p:Person)-[r:HOLDS_ROLE]->(team:Team)-[:PART_OF]->(c)
  WHERE (r.kind = 'board' OR team.function = 'board') AND ($include_sensitive OR NOT coalesce(team.sensitive, false))
  RETURN p, r
}
WITH c, p, r
WHERE ($include_sensitive OR NOT coalesce(p.sensitive, false)) AND ($include_sensitive OR NOT coalesce(r.sensitive, false))
  AND CASE WHEN $as_of IS NULL THEN r.end_date IS NULL
           ELSE coalesce(r.start_date, '') <= $as_of AND (r.end_date IS NULL OR r.end_date > $as_of)
      END
OPTIONAL CALL (c, p) {
  MATCH (p)-[r2:HOLDS_ROLE]->(o:Company)
  WHERE r2.kind = 'board' AND o <> c AND ($include_sensitive OR NOT coalesce(o.sensitive, false)) AND ($include_sensitive OR NOT coalesce(r2.sensitive, false)) AND CASE WHEN $as_of IS NULL THEN r2.end_date IS NULL
       ELSE coalesce(r2.start_date, '') <= $as_of AND (r2.end_date IS NULL OR r2.end_date > $as_of) END
  RETURN o, r2
  UNION
  MATCH (p)-[r2:HOLDS_ROLE]->(team:Team)-[:PART_OF]->(o:Company)
  WHERE (r2.kind = 'board' OR team.function = 'board') AND o <> c AND ($include_sensitive OR NOT coalesce(o.sensitive, false)) AND ($include_sensitive OR NOT coalesce(r2.sensitive, false))
    AND ($include_sensitive OR NOT coalesce(team.sensitive, false)) AND CASE WHEN $as_of IS NULL THEN r2.end_date IS NULL
       ELSE coalesce(r2.start_date, '') <= $as_of AND (r2.end_date IS NULL OR r2.end_date > $as_of) END
  RETURN o, r2
}
RETURN p.id AS person_id, p.name AS person_name,
       coalesce(p.sensitive, false) OR coalesce(r.sensitive, false) AS sensitive,
       properties(r) AS role,
       o.id AS other_id, o.name AS other_name,
       coalesce(o.sensitive, false) OR coalesce(r2.sensitive, false) AS other_sensitive,
       CASE WHEN r2 IS NULL THEN null ELSE properties(r2) END AS other_role
ORDER BY person_name, person_id, other_name, other_id;

// name: investor_interlocks
// Investors holding at least $threshold % of the company (economic or voting, share classes
// added up; a range counts by its minimum), and the other companies they hold that much of.
// A sensitive investor or stake is absent for a reader who may not see it.
MATCH (c:Company {id: $id})<-[r:OWNS]-(i:Entity)
WHERE ($include_sensitive OR NOT coalesce(i.sensitive, false)) AND ($include_sensitive OR NOT coalesce(r.sensitive, false))
  AND CASE WHEN $as_of IS NULL THEN r.end_date IS NULL
           ELSE coalesce(r.start_date, '') <= $as_of AND (r.end_date IS NULL OR r.end_date > $as_of)
      END
WITH c, i, sum(coalesce(r.economic_pct, r.pct_min, 0)) AS economic,
     sum(coalesce(r.voting_pct, r.economic_pct, r.pct_min, 0)) AS voting,
     collect(properties(r)) AS stakes,
     any(x IN collect(coalesce(r.sensitive, false)) WHERE x) AS rel_sensitive
WHERE economic >= $threshold OR voting >= $threshold
MATCH (i)-[r2:OWNS]->(o:Company)
WHERE o <> c AND ($include_sensitive OR NOT coalesce(o.sensitive, false)) AND ($include_sensitive OR NOT coalesce(r2.sensitive, false)) AND CASE WHEN $as_of IS NULL THEN r2.end_date IS NULL
           ELSE coalesce(r2.start_date, '') <= $as_of AND (r2.end_date IS NULL OR r2.end_date > $as_of)
      END
WITH c, i, economic, voting, stakes, rel_sensitive, o,
     sum(coalesce(r2.economic_pct, r2.pct_min, 0)) AS other_economic,
     sum(coalesce(r2.voting_pct, r2.economic_pct, r2.pct_min, 0)) AS other_voting,
     collect(properties(r2)) AS other_stakes,
     any(x IN collect(coalesce(r2.sensitive, false)) WHERE x) AS other_rel_sensitive
WHERE other_economic >= $threshold OR other_voting >= $threshold
RETURN i.id AS investor_id, i.name AS investor_name,
       [l IN labels(i) WHERE l <> 'Entity'] AS investor_labels,
       coalesce(i.sensitive, false) OR rel_sensitive AS sensitive,
       economic, voting, stakes,
       o.id AS other_id, o.name AS other_name,
       coalesce(o.sensitive, false) OR other_rel_sensitive AS other_sensitive,
       other_economic, other_voting, other_stakes
ORDER BY investor_name, investor_id, other_name, other_id;

// --- What a beneficial-ownership disclosure says beside the stakes (graphapp.leverage.disclosures,
// issue 15): the register's declared indirect interests, the owners it does not name and why,
// the parties to arrangements (trusts, nominations) that hold, and the control above a holder.

// name: declared_interests
// The register's own figures for indirect interests in the company (HOLDS_INDIRECTLY), with
// the intermediaries it names.
MATCH (c:Entity {id: $id})<-[r:HOLDS_INDIRECTLY]-(h:Entity)
WHERE CASE WHEN $as_of IS NULL THEN r.end_date IS NULL
           ELSE coalesce(r.start_date, '') <= $as_of AND (r.end_date IS NULL OR r.end_date > $as_of)
      END
RETURN h.id AS holder_id, h.name AS holder_name,
       [l IN labels(h) WHERE l <> 'Entity'] AS holder_labels,
       coalesce(h.sensitive, false) OR coalesce(r.sensitive, false) AS sensitive,
       properties(r) AS props,
       [v IN coalesce(r.via, []) | COLLECT { MATCH (n:Entity {id: v})
            RETURN n {.id, .name, sensitive: coalesce(n.sensitive, false)} }[0]] AS via
ORDER BY h.name, h.id;

// name: undisclosed_owners
// Markers of owners a disclosure does not name (Undisclosed nodes), on any of $ids (the company
// and the holders found upstream of it), with the relationship that carries them.
UNWIND $ids AS id
MATCH (n:Entity {id: id})<-[r]-(u:Undisclosed)
WHERE CASE WHEN $as_of IS NULL THEN r.end_date IS NULL
           ELSE coalesce(r.start_date, '') <= $as_of AND (r.end_date IS NULL OR r.end_date > $as_of)
      END
RETURN u.id AS id, u.name AS name, u.reason AS reason, u.reason_text AS reason_text,
       u.party_kind AS party_kind, n.id AS on_id, n.name AS on_name,
       coalesce(n.sensitive, false) AS on_sensitive, type(r) AS type, properties(r) AS props
ORDER BY n.id = $first DESC, n.name, u.id;

// name: arrangement_parties
// The parties to each arrangement among $ids (trustees, protectors, settlors, beneficiaries,
// nominees, nominators).
UNWIND $ids AS id
MATCH (a:Arrangement {id: id})<-[p:PARTY_TO]-(x:Entity)
WHERE CASE WHEN $as_of IS NULL THEN p.end_date IS NULL
           ELSE coalesce(p.start_date, '') <= $as_of AND (p.end_date IS NULL OR p.end_date > $as_of)
      END
RETURN a.id AS arrangement_id, a.name AS arrangement_name, a.arrangement_type AS arrangement_type,
       x.id AS party_id, x.name AS party_name, [l IN labels(x) WHERE l <> 'Entity'] AS party_labels,
       coalesce(x.sensitive, false) OR coalesce(p.sensitive, false) AS sensitive,
       properties(p) AS props
ORDER BY a.name, p.role, x.name;

// name: nominee_principals
// For each holder among $ids that is a nominee in a nomination, the nominator (its principal).
UNWIND $ids AS id
MATCH (n:Entity {id: id})-[p1:PARTY_TO {role: 'nominee'}]->(a:Arrangement)
      <-[p2:PARTY_TO {role: 'nominator'}]-(x:Entity)
WHERE p1.end_date IS NULL AND p2.end_date IS NULL
RETURN n.id AS nominee_id, n.name AS nominee_name, coalesce(n.sensitive, false) AS nominee_sensitive,
       a.id AS arrangement_id, a.name AS arrangement_name,
       x.id AS principal_id, x.name AS principal_name,
       [l IN labels(x) WHERE l <> 'Entity'] AS principal_labels,
       coalesce(x.sensitive, false) OR coalesce(p2.sensitive, false) AS principal_sensitive
ORDER BY n.name, x.name;

// name: controlled_by
// Who controls $id without shares (CONTROLS), for the control above an ultimate controller.
MATCH (n:Entity {id: $id})<-[r:CONTROLS]-(x:Entity)
WHERE NOT x:Undisclosed
  AND CASE WHEN $as_of IS NULL THEN r.end_date IS NULL
           ELSE coalesce(r.start_date, '') <= $as_of AND (r.end_date IS NULL OR r.end_date > $as_of)
      END
RETURN x.id AS id, x.name AS name, [l IN labels(x) WHERE l <> 'Entity'] AS labels,
       coalesce(x.sensitive, false) OR coalesce(r.sensitive, false) AS sensitive, r.means AS means
ORDER BY x.name, x.id;

// name: holder_board_links
// Shared board members of an investor: people with a role at the investor now (on it or on one
// of its teams) who sit on the board of a company it holds ($ids), now or at $as_of. Sensitive
// people, roles and companies are left out unless $include_sensitive.
CYPHER 25
MATCH (i:Entity {id: $id})
CALL (i) {
  MATCH (p:Person)-[r:HOLDS_ROLE]->(i) RETURN p, r
  UNION
  MATCH (p:Person)-[r:HOLDS_ROLE]->(:Team)-[:PART_OF]->(i) RETURN p, r
}
WITH p, r
WHERE ($include_sensitive OR NOT (coalesce(p.sensitive, false) OR coalesce(r.sensitive, false)))
  AND CASE WHEN $as_of IS NULL THEN r.end_date IS NULL
           ELSE coalesce(r.start_date, '') <= $as_of AND (r.end_date IS NULL OR r.end_date > $as_of) END
CALL (p) {
  MATCH (p)-[r2:HOLDS_ROLE]->(c:Company) WHERE r2.kind = 'board' AND c.id IN $ids
  RETURN c, r2
  UNION
  MATCH (p)-[r2:HOLDS_ROLE]->(t:Team)-[:PART_OF]->(c:Company)
  WHERE (r2.kind = 'board' OR t.function = 'board') AND c.id IN $ids
  RETURN c, r2
}
WITH p, r, c, r2
WHERE ($include_sensitive OR NOT (coalesce(c.sensitive, false) OR coalesce(r2.sensitive, false)))
  AND CASE WHEN $as_of IS NULL THEN r2.end_date IS NULL
           ELSE coalesce(r2.start_date, '') <= $as_of AND (r2.end_date IS NULL OR r2.end_date > $as_of) END
RETURN p.id AS person_id, p.name AS person_name, r.title AS title_here,
       collect(DISTINCT {id: c.id, name: c.name, title: r2.title}) AS boards
ORDER BY size(boards) DESC, person_name, person_id;

// name: co_holders
// Shared holders: others holding stakes now (or at $as_of) in the companies an investor holds
// ($ids), the investor's own holdings excepted, most shared companies first.
CYPHER 25
UNWIND $ids AS cid
MATCH (c:Company {id: cid})<-[r:OWNS]-(o:Entity)
WHERE o.id <> $id AND NOT o.id IN $ids
  AND ($include_sensitive OR NOT (coalesce(o.sensitive, false) OR coalesce(r.sensitive, false)
                                  OR coalesce(c.sensitive, false)))
  AND CASE WHEN $as_of IS NULL THEN r.end_date IS NULL
           ELSE coalesce(r.start_date, '') <= $as_of AND (r.end_date IS NULL OR r.end_date > $as_of) END
WITH o, c, sum(coalesce(r.economic_pct, r.pct_min, 0)) AS pct
WITH o, collect({id: c.id, name: c.name, pct: pct}) AS companies
RETURN o.id AS id, o.name AS name, [l IN labels(o) WHERE l <> 'Entity'] AS labels, companies
ORDER BY size(companies) DESC, name, id
LIMIT $limit;
