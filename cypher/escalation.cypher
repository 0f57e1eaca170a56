// Escalation: from a documented harm up to the people who decide and those who fund them.
// Called by graphapp/escalation.py inside one read transaction; the scoring is in Python
// (docs/escalation.md).
//
// Every query takes the same filter parameters, and every relationship on a path must pass
// the same test, written out where it is used ("valid"):
//   coalesce($ranks[r.confidence], 0) >= $min_rank          -- min_confidence
//   AND coalesce(r.start_date, $undated_start) <= $as_of     -- it had begun on $as_of
//       ($undated_start is '' normally: a relationship with no start date counts, and Python
//       marks it "start unknown" under a past date; '9999' for "dated evidence only")
//   AND coalesce(r.end_date, '9999') > $as_of                -- and not yet ended
//   AND ($include_sensitive OR NOT coalesce(r.sensitive, false))
// Dates are partial strings (2019, 2019-04, 2019-04-30) compared as strings.
// Nodes on a path must pass: $include_sensitive OR NOT coalesce(n.sensitive, false).
//
// A "parent link" (a company controlling another) is CONTROLS from a Company, or OWNS from a
// Company with more than 50% of the votes (voting_pct, else economic_pct, else pct_min); an OWNS
// without any figure counts as a parent link unless the owner is labelled Investor.
//
// Paths come back as node maps and relationship maps; Python orders the hops and gives each
// its direction. No variable-length pattern is unbounded: ownership climbs at most 10 levels,
// REPORTS_TO at most 3, look-through investors 2 levels.

// name: start
// returns: values
// The starting entity, the products it involves, the countries where it happened, the
// advocate's organisation (when $org is given), and the companies on the way: those the harm
// involves or whose product it involves, then up the parent links (SHORTEST 1 per entry and
// company: cycle-safe and bounded). For each company: its parents (to find the ultimate parent
// and notice cycles) and its headquarters country.
CYPHER 25
MATCH (s:Entity {id: $id})
WHERE $include_sensitive OR NOT coalesce(s.sensitive, false)
RETURN s {.id, .name, .harm_type, labels: labels(s)} AS start,
       COLLECT {
         MATCH (s:Harm)-[r:INVOLVES]->(p:Product)
         WHERE coalesce($ranks[r.confidence], 0) >= $min_rank
           AND coalesce(r.start_date, $undated_start) <= $as_of AND coalesce(r.end_date, '9999') > $as_of
           AND ($include_sensitive OR NOT coalesce(r.sensitive, false))
           AND ($include_sensitive OR NOT coalesce(p.sensitive, false))
         RETURN {id: p.id, markets: COLLECT {
                   MATCH (p)-[a:AVAILABLE_IN]->(k:Country)
                   WHERE coalesce($ranks[a.confidence], 0) >= $min_rank
                     AND coalesce(a.start_date, $undated_start) <= $as_of
                     AND coalesce(a.end_date, '9999') > $as_of
                   RETURN k.iso2 },
                 nodes: [s {.id, .name, labels: labels(s)}, p {.id, .name, labels: labels(p)}],
                 rels: [r {.start_date, .end_date, .as_of, .confidence, .sources, .note,
            .voting_pct, .economic_pct, .pct_min, .pct_max, .share_class, .means,
            .title, .kind, .mechanism, .instrument, .area,
            type: type(r), from: s.id, to: p.id}]} AS x
         UNION
         WITH s WHERE s:Product  // not MATCH (p:Product) WHERE p = s: that scans every product
         RETURN {id: s.id, markets: COLLECT {
                   MATCH (s)-[a:AVAILABLE_IN]->(k:Country)
                   WHERE coalesce($ranks[a.confidence], 0) >= $min_rank
                     AND coalesce(a.start_date, $undated_start) <= $as_of
                     AND coalesce(a.end_date, '9999') > $as_of
                   RETURN k.iso2 },
                 nodes: [s {.id, .name, labels: labels(s)}], rels: []} AS x
       } AS products,
       COLLECT {
         MATCH (s:Harm)-[r:OCCURRED_IN]->(k:Country)
         WHERE coalesce($ranks[r.confidence], 0) >= $min_rank
           AND coalesce(r.start_date, $undated_start) <= $as_of AND coalesce(r.end_date, '9999') > $as_of
           AND ($include_sensitive OR NOT coalesce(r.sensitive, false))
         RETURN {id: k.id, iso2: k.iso2, region: k.region,
                 nodes: [s {.id, .name, labels: labels(s)}, k {.id, .name, labels: labels(k)}],
                 rels: [r {.start_date, .end_date, .as_of, .confidence, .sources, .note,
            .voting_pct, .economic_pct, .pct_min, .pct_max, .share_class, .means,
            .title, .kind, .mechanism, .instrument, .area,
            type: type(r), from: s.id, to: k.id}]}
       } AS countries,
       COLLECT {
         MATCH (o:Organization {id: $org}) RETURN o {.id, .name}
       } AS organization,
       COLLECT {
         CALL (s) {
           MATCH (s:Harm)-[r1:INVOLVES]->(c:Company)
           RETURN c AS entry, [s, c] AS ns, [r1] AS rs
           UNION
           MATCH (s:Harm)-[r1:INVOLVES]->(p:Product)<-[r2:OPERATES]-(c:Company)
           RETURN c AS entry, [s, p, c] AS ns, [r1, r2] AS rs
           UNION
           MATCH (s:Product)<-[r2:OPERATES]-(c:Company)
           RETURN c AS entry, [s, c] AS ns, [r2] AS rs
           UNION
           MATCH (s:Team)-[r2:PART_OF]->(c:Company)
           RETURN c AS entry, [s, c] AS ns, [r2] AS rs
           UNION
           WITH s WHERE s:Company  // not MATCH (c:Company) WHERE c = s: a scan of every company
           RETURN s AS entry, [s] AS ns, [] AS rs
         }
         WITH entry, ns, rs
         WHERE all(r IN rs WHERE coalesce($ranks[r.confidence], 0) >= $min_rank
                     AND coalesce(r.start_date, $undated_start) <= $as_of
                     AND coalesce(r.end_date, '9999') > $as_of
                     AND ($include_sensitive OR NOT coalesce(r.sensitive, false)))
           AND all(n IN ns WHERE $include_sensitive OR NOT coalesce(n.sensitive, false))
           AND size(rs) <= $max_hops
         MATCH up = SHORTEST 1 (entry)(()<-[o:OWNS|CONTROLS]-(b:Company)
             WHERE coalesce($ranks[o.confidence], 0) >= $min_rank
               AND coalesce(o.start_date, $undated_start) <= $as_of AND coalesce(o.end_date, '9999') > $as_of
               AND ($include_sensitive OR NOT coalesce(o.sensitive, false))
               AND ($include_sensitive OR NOT coalesce(b.sensitive, false))
               AND (type(o) = 'CONTROLS'
                    OR coalesce(o.voting_pct, o.economic_pct, o.pct_min,
                                CASE WHEN b:Investor THEN 0 ELSE 100 END) > 50)
           ){0,10}(c:Company)
         WHERE size(rs) + length(up) <= $max_hops
         RETURN {
           entry: entry.id, id: c.id,
           nodes: [n IN ns + tail(nodes(up)) | n {.id, .name, labels: labels(n)}],
           rels: [r IN rs + relationships(up) | r {.start_date, .end_date, .as_of, .confidence, .sources, .note,
            .voting_pct, .economic_pct, .pct_min, .pct_max, .share_class, .means,
            .title, .kind, .mechanism, .instrument, .area,
            type: type(r), from: startNode(r).id, to: endNode(r).id}],
           parents: COLLECT {
             MATCH (c)<-[po:OWNS|CONTROLS]-(pb:Company)
             WHERE coalesce($ranks[po.confidence], 0) >= $min_rank
               AND coalesce(po.start_date, $undated_start) <= $as_of AND coalesce(po.end_date, '9999') > $as_of
               AND ($include_sensitive OR NOT coalesce(po.sensitive, false))
               AND ($include_sensitive OR NOT coalesce(pb.sensitive, false))
               AND (type(po) = 'CONTROLS'
                    OR coalesce(po.voting_pct, po.economic_pct, po.pct_min,
                                CASE WHEN pb:Investor THEN 0 ELSE 100 END) > 50)
             RETURN DISTINCT pb.id ORDER BY pb.id
           },
           hq_countries: COLLECT {
             MATCH (c)-[h:HEADQUARTERED_IN]->(k:Country)
             WHERE coalesce($ranks[h.confidence], 0) >= $min_rank
               AND coalesce(h.start_date, $undated_start) <= $as_of AND coalesce(h.end_date, '9999') > $as_of
             RETURN k.name ORDER BY k.name
           },
           hq_places: COLLECT {
             MATCH (c)-[h:HEADQUARTERED_IN]->(k:Country)
             WHERE coalesce($ranks[h.confidence], 0) >= $min_rank
               AND coalesce(h.start_date, $undated_start) <= $as_of
               AND coalesce(h.end_date, '9999') > $as_of
             RETURN {iso2: k.iso2, name: k.name}
           }
         }
       } AS chain;

// name: targets
// returns: values
// Everyone within reach of the companies, products and countries found by `start`:
// - teams: responsible for an involved product (and the teams they report to, up to 3
//   levels), the policy, trust and safety, human rights, board and executive teams of the
//   ultimate parents, the local offices of any company on the way or of a company where a
//   responsible team sits; and the people in all of those teams. A team with a `country`
//   counts only for a harm in that country or its region ($harm_isos, $harm_regions);
// - representatives, executives and board members of the ultimate parents;
// - investors (direct, and one level of look-through), regulators and forums.
// `part` says whether a row is a team (other rows may be anchored on it) or another target.
CYPHER 25
CALL () {
  MATCH (p:Product)<-[rf:RESPONSIBLE_FOR]-(t0:Team)
  WHERE p.id IN $products
    AND coalesce($ranks[rf.confidence], 0) >= $min_rank
    AND coalesce(rf.start_date, $undated_start) <= $as_of AND coalesce(rf.end_date, '9999') > $as_of
    AND ($include_sensitive OR NOT coalesce(rf.sensitive, false))
    AND ($include_sensitive OR NOT coalesce(t0.sensitive, false))
  MATCH up = SHORTEST 1 (t0)(()-[rt:REPORTS_TO]->(x:Team)
      WHERE coalesce($ranks[rt.confidence], 0) >= $min_rank
        AND coalesce(rt.start_date, $undated_start) <= $as_of AND coalesce(rt.end_date, '9999') > $as_of
        AND ($include_sensitive OR NOT coalesce(rt.sensitive, false))
        AND ($include_sensitive OR NOT coalesce(x.sensitive, false))
    ){0,3}(t:Team)
  RETURN p.id AS anchor, CASE WHEN t = t0 THEN 'responsible' ELSE 'reports_to' END AS route,
         [p] + nodes(up) AS ns, [rf] + relationships(up) AS rs, t
  UNION
  MATCH (c:Company)<-[po:PART_OF]-(t:Team)
  WHERE c.id IN $tops
    AND t.function IN ['board', 'executive', 'policy', 'trust_and_safety', 'human_rights']
  RETURN c.id AS anchor, 'hq_team' AS route, [c, t] AS ns, [po] AS rs, t
  UNION
  MATCH (c:Company)<-[po:PART_OF]-(t:Team {function: 'local_office'})
  WHERE c.id IN $companies
  RETURN c.id AS anchor, 'office' AS route, [c, t] AS ns, [po] AS rs, t
  UNION
  // The offices of the company where a team responsible for the product sits (a regional hub).
  MATCH (p:Product)<-[rf:RESPONSIBLE_FOR]-(rt:Team)-[po1:PART_OF]->(c:Company)
        <-[po2:PART_OF]-(t:Team {function: 'local_office'})
  WHERE p.id IN $products AND NOT c.id IN $companies
  RETURN p.id AS anchor, 'office' AS route, [p, rt, c, t] AS ns, [rf, po1, po2] AS rs, t
}
WITH anchor, route, ns, rs, t
WHERE all(r IN rs WHERE coalesce($ranks[r.confidence], 0) >= $min_rank
            AND coalesce(r.start_date, $undated_start) <= $as_of AND coalesce(r.end_date, '9999') > $as_of
            AND ($include_sensitive OR NOT coalesce(r.sensitive, false)))
  AND all(n IN ns WHERE $include_sensitive OR NOT coalesce(n.sensitive, false))
  // A team tied to a country counts when it is the harm's country or in its region.
  AND (t.country IS NULL OR size($harm_isos) = 0 OR t.country IN $harm_isos
       OR EXISTS { MATCH (k:Country {iso2: t.country}) WHERE k.region IN $harm_regions })
WITH collect({anchor: anchor, route: route, ns: ns, rs: rs, x: t}) AS teams
CALL (teams) {
  UNWIND teams AS row
  RETURN 'team' AS part, row.anchor AS anchor, row.route AS route, row.ns AS ns, row.rs AS rs,
         row.x AS x
  UNION
  UNWIND teams AS row
  WITH DISTINCT row.x AS t
  MATCH (t)<-[hr:HOLDS_ROLE]-(x:Person)
  RETURN 'target' AS part, t.id AS anchor, 'team_member' AS route, [t, x] AS ns, [hr] AS rs, x
  UNION
  MATCH (c:Company)<-[hr:HOLDS_ROLE]-(x:Person)
  WHERE c.id IN $companies AND hr.kind = 'representative'
  RETURN 'target' AS part, c.id AS anchor, 'representative' AS route, [c, x] AS ns, [hr] AS rs, x
  UNION
  MATCH (c:Company)<-[hr:HOLDS_ROLE]-(x:Person)
  WHERE c.id IN $tops AND hr.kind IN ['board', 'executive']
  RETURN 'target' AS part, c.id AS anchor, 'role' AS route, [c, x] AS ns, [hr] AS rs, x
  UNION
  // Owners that are not parent links: minority stakes, people, funds; and holders a register
  // declares to hold indirectly (HOLDS_INDIRECTLY: its figure, where the chain may give none).
  MATCH (c:Company)<-[o:OWNS|CONTROLS|HOLDS_INDIRECTLY]-(x)
  WHERE c.id IN $companies AND NOT x.id IN $companies
    AND NOT (x:Company AND (type(o) = 'CONTROLS' OR coalesce(o.voting_pct, o.economic_pct,
             o.pct_min, CASE WHEN x:Investor THEN 0 ELSE 100 END) > 50))
  RETURN 'target' AS part, c.id AS anchor, 'direct' AS route, [c, x] AS ns, [o] AS rs, x
  UNION
  // ...and who owns them (one level of look-through).
  MATCH (c:Company)<-[o1:OWNS|CONTROLS]-(m)<-[o2:OWNS|CONTROLS]-(x)
  WHERE c.id IN $companies AND NOT x.id IN $companies AND NOT m.id IN $companies
    AND NOT (m:Company AND (type(o1) = 'CONTROLS' OR coalesce(o1.voting_pct, o1.economic_pct,
             o1.pct_min, CASE WHEN m:Investor THEN 0 ELSE 100 END) > 50))
  RETURN 'target' AS part, c.id AS anchor, 'indirect' AS route, [c, m, x] AS ns, [o1, o2] AS rs, x
  UNION
  // Who stands behind a trust or a nomination that holds a company on the way: its trustees,
  // protectors and nominators (issue 15, docs/escalation.md "Trusts and nominees").
  MATCH (c:Company)<-[o:OWNS|CONTROLS|HOLDS_INDIRECTLY]-(a:Arrangement)<-[p:PARTY_TO]-(x)
  WHERE c.id IN $companies AND p.role IN ['trustee', 'protector', 'nominator']
  RETURN 'target' AS part, c.id AS anchor, 'arrangement' AS route, [c, a, x] AS ns, [o, p] AS rs,
         x
  UNION
  // A nominee's principal: the nominator of the nomination in which the holder is the nominee.
  MATCH (c:Company)<-[o:OWNS|CONTROLS]-(n)-[p1:PARTY_TO {role: 'nominee'}]->(a:Arrangement)
        <-[p2:PARTY_TO {role: 'nominator'}]-(x)
  WHERE c.id IN $companies AND NOT x.id IN $companies
  RETURN 'target' AS part, c.id AS anchor, 'principal' AS route, [c, n, a, x] AS ns,
         [o, p1, p2] AS rs, x
  UNION
  MATCH (c:Entity) WHERE c.id IN $companies + $products
  MATCH (x:Regulator)-[ov:OVERSEES]->(c)
  RETURN 'target' AS part, c.id AS anchor, 'oversees' AS route, [c, x] AS ns, [ov] AS rs, x
  UNION
  // The establishment for the harm's market: a subsidiary of the ultimate parent (not on the
  // way) that operates in the harm's country, and who oversees it (the EU lead authority
  // through the main establishment, for a harm in an EU country).
  MATCH (c:Company)-[o:OWNS|CONTROLS]->(e:Company)-[oi:OPERATES_IN]->(k:Country)
  WHERE c.id IN $tops AND k.id IN $countries AND NOT e.id IN $companies
    AND (type(o) = 'CONTROLS' OR coalesce(o.voting_pct, o.economic_pct, o.pct_min, 100) > 50)
    AND coalesce($ranks[oi.confidence], 0) >= $min_rank
    AND coalesce(oi.start_date, $undated_start) <= $as_of AND coalesce(oi.end_date, '9999') > $as_of
  MATCH (e)<-[ov:OVERSEES]-(x:Regulator)
  RETURN 'target' AS part, c.id AS anchor, 'establishment' AS route, [c, e, x] AS ns,
         [o, ov] AS rs, x
  UNION
  MATCH (c:Company)-[hq:HEADQUARTERED_IN]->(k:Country)<-[j:HAS_JURISDICTION_OVER]-(x:Regulator)
  WHERE c.id IN $tops
  RETURN 'target' AS part, c.id AS anchor, 'hq_jurisdiction' AS route, [c, k, x] AS ns,
         [hq, j] AS rs, x
  UNION
  MATCH (k:Country)<-[j:HAS_JURISDICTION_OVER]-(x:Regulator)
  WHERE k.id IN $countries
  RETURN 'target' AS part, k.id AS anchor, 'harm_jurisdiction' AS route, [k, x] AS ns, [j] AS rs, x
  UNION
  // Bodies already seized of this harm: a complaint, petition or case about it was sent to them
  // on or before $as_of (anchored on the harm itself: one lookup).
  MATCH (h:Harm {id: $start})<-[ab:ABOUT]-(e:Engagement)-[to:TO]->(x:Regulator)
  WHERE coalesce(e.date, '') <= $as_of
  RETURN 'target' AS part, h.id AS anchor, 'seized' AS route, [h, e, x] AS ns, [ab, to] AS rs, x
  UNION
  MATCH (c:Company)-[m:MEMBER_OF]->(x:Forum)
  WHERE c.id IN $companies
  RETURN 'target' AS part, c.id AS anchor, 'member' AS route, [c, x] AS ns, [m] AS rs, x
}
WITH part, anchor, route, ns, rs, x
WHERE all(r IN rs WHERE coalesce($ranks[r.confidence], 0) >= $min_rank
            AND coalesce(r.start_date, $undated_start) <= $as_of AND coalesce(r.end_date, '9999') > $as_of
            AND ($include_sensitive OR NOT coalesce(r.sensitive, false)))
  AND all(n IN ns WHERE $include_sensitive OR NOT coalesce(n.sensitive, false))
// For a regulator, what relevance needs (graphapp/relevance.py), from small lookups: the
// countries it has jurisdiction over, and where the company it oversees is seated and operates.
WITH part, anchor, route, ns, rs, x,
     CASE WHEN x:Regulator AND route IN ['oversees', 'establishment'] THEN ns[size(ns) - 2]
     END AS overseen
RETURN part, anchor, route, x.id AS id,
       x {.name, .function, .scope, .kind, .investor_type, .mandates, .reason} AS props,
       CASE WHEN x:Regulator THEN COLLECT {
         MATCH (x)-[j:HAS_JURISDICTION_OVER]->(k:Country)
         WHERE coalesce($ranks[j.confidence], 0) >= $min_rank
           AND coalesce(j.start_date, $undated_start) <= $as_of
           AND coalesce(j.end_date, '9999') > $as_of
         RETURN DISTINCT k.iso2 } ELSE [] END AS reach,
       CASE WHEN overseen IS NULL THEN [] ELSE COLLECT {
         MATCH (overseen)-[h:HEADQUARTERED_IN|INCORPORATED_IN]->(k:Country)
         WHERE coalesce(h.end_date, '9999') > $as_of
         RETURN DISTINCT k.iso2 } END AS seat,
       CASE WHEN overseen IS NULL THEN [] ELSE COLLECT {
         MATCH (overseen)-[h:OPERATES_IN]->(k:Country)
         WHERE coalesce(h.end_date, '9999') > $as_of
         RETURN DISTINCT k.iso2 } END AS seat_markets,
       CASE WHEN part = 'team'
            THEN COLLECT { MATCH (x)-[:PART_OF]->(c:Company) RETURN c.name ORDER BY c.name }
            ELSE [] END AS company,
       [n IN ns | n {.id, .name, labels: labels(n)}] AS nodes,
       [r IN rs | r {.start_date, .end_date, .as_of, .confidence, .sources, .note,
            .voting_pct, .economic_pct, .pct_min, .pct_max, .share_class, .means,
            .title, .kind, .mechanism, .instrument, .area, .role,
            type: type(r), from: startNode(r).id, to: endNode(r).id}] AS rels
ORDER BY part DESC, size(rels), anchor, route, id;

// name: access
// What the advocate's organisation can reach: forums it sits in (with whom), and, when
// sensitive data may be shown, the people it has a contact with.
RETURN
  COLLECT {
    MATCH (o:Organization {id: $org})-[m:MEMBER_OF]->(f:Forum)
    WHERE coalesce($ranks[m.confidence], 0) >= $min_rank
      AND coalesce(m.start_date, $undated_start) <= $as_of AND coalesce(m.end_date, '9999') > $as_of
    RETURN f.id
  } AS forums,
  COLLECT {
    MATCH (o:Organization {id: $org})-[m:MEMBER_OF]->(f:Forum)<-[m2:MEMBER_OF]-(x)
    WHERE x.id IN $ids
      AND coalesce($ranks[m.confidence], 0) >= $min_rank
      AND coalesce(m.start_date, $undated_start) <= $as_of AND coalesce(m.end_date, '9999') > $as_of
      AND coalesce($ranks[m2.confidence], 0) >= $min_rank
      AND coalesce(m2.start_date, $undated_start) <= $as_of AND coalesce(m2.end_date, '9999') > $as_of
    RETURN DISTINCT {id: x.id, via: f.name}
  } AS shared,
  COLLECT {
    MATCH (o:Organization {id: $org})-[h:HAS_CONTACT]->(p:Person)
    WHERE $include_sensitive AND coalesce(h.start_date, $undated_start) <= $as_of
      AND coalesce(h.end_date, '9999') > $as_of
    RETURN p.id
  } AS contacts,
  COLLECT {
    MATCH (o:Organization {id: $org})-[h:HAS_CONTACT]->(p:Person)-[hr:HOLDS_ROLE]->(x)
    WHERE $include_sensitive AND x.id IN $ids
      AND coalesce(h.start_date, $undated_start) <= $as_of AND coalesce(h.end_date, '9999') > $as_of
      AND coalesce(hr.start_date, $undated_start) <= $as_of AND coalesce(hr.end_date, '9999') > $as_of
    RETURN DISTINCT {id: x.id, via: p.name}
  } AS contacts_inside;

// name: harms
// Documented harms, for the home page: the most severe first.
MATCH (h:Harm)
WHERE $include_sensitive OR NOT coalesce(h.sensitive, false)
WITH h ORDER BY coalesce(h.severity, 0) DESC, h.name, h.id LIMIT $limit  // countries: of these
RETURN h.id AS id, h.name AS name, h.harm_type AS harm_type, h.severity AS severity,
       h.started AS started,
       COLLECT { MATCH (h)-[:OCCURRED_IN]->(k:Country) RETURN k.name ORDER BY k.name } AS countries;
