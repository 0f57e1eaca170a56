// Engagement tracking: letters, responses, commitments, contacts and turnover.
// Called by graphapp/engagement.py; the arithmetic (dates, rates, medians, overdue) is in
// Python (docs/engagement.md). Dates are partial strings (2019, 2019-04, 2019-04-30).

// name: labels_of
// Which of these ids exist, with which labels (checks an engagement's ends before a write).
UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN n.id AS id, n.name AS name, labels(n) AS labels;

// name: get_engagement
// One engagement's own properties (for an update, read inside the write transaction).
MATCH (e:Engagement {id: $id})
RETURN e {.*, updated_at: null} AS engagement;

// name: lock_engagement
// Take the engagement's write lock first, so the version read after it is the committed one
// (two updates sent with one version cannot both win).
MATCH (e:Engagement {id: $id})
SET e.audit_lock = true
REMOVE e.audit_lock
RETURN e.updated_at AS updated_at;

// name: set_engagement
// Replace an engagement's properties (already validated) and keep its labels and ties.
MATCH (e:Engagement {id: $id})
SET e = $props, e.id = $id, e.updated_at = datetime()
RETURN e.id AS id;

// name: engagements
// Engagements, newest first, optionally only those with the ids $ids (looked up by id), those
// sent by $as_of, about $harm, by $org, or to $target, each with who sent it, to whom, about
// what, and the commitments made in response. Every tie carries its evidence.
CALL () {
  UNWIND coalesce($ids, []) AS id
  MATCH (e:Engagement {id: id})
  RETURN e
  UNION
  MATCH (e:Engagement)
  WHERE $ids IS NULL
  RETURN e
}
WITH e
WHERE ($as_of IS NULL OR e.date <= $as_of)
  AND ($harm IS NULL OR EXISTS { MATCH (e)-[:ABOUT]->(:Harm {id: $harm}) })
  AND ($org IS NULL OR EXISTS { MATCH (e)-[:BY]->(:Organization {id: $org}) })
  AND ($target IS NULL OR EXISTS { MATCH (e)-[:TO]->(:Entity {id: $target}) })
  AND ($include_sensitive OR NOT coalesce(e.sensitive, false))
// A tie to a sensitive node, or a sensitive tie, is absent for a reader who may not see it:
// not named, not counted (docs/security.md).
// $versions false: no version (the overdue list: its datetime costs the driver milliseconds
// a row, and the list is not where an update starts).
RETURN e {.*, updated_at: null, version: CASE WHEN $versions THEN e.updated_at END} AS engagement,
  COLLECT { MATCH (e)-[r:BY]->(o) WHERE ($include_sensitive OR NOT coalesce(o.sensitive, false)) AND ($include_sensitive OR NOT coalesce(r.sensitive, false))
            RETURN o {.id, .name, labels: labels(o),
            sources: r.sources, confidence: r.confidence, as_of: r.as_of} ORDER BY o.name } AS by,
  COLLECT { MATCH (e)-[r:TO]->(t) WHERE ($include_sensitive OR NOT coalesce(t.sensitive, false)) AND ($include_sensitive OR NOT coalesce(r.sensitive, false))
            RETURN t {.id, .name, labels: labels(t),
            sources: r.sources, confidence: r.confidence, as_of: r.as_of} ORDER BY t.name } AS to,
  COLLECT { MATCH (e)-[r:ABOUT]->(h:Harm) WHERE ($include_sensitive OR NOT coalesce(h.sensitive, false)) AND ($include_sensitive OR NOT coalesce(r.sensitive, false))
            RETURN h {.id, .name,
            sources: r.sources, confidence: r.confidence, as_of: r.as_of} ORDER BY h.name } AS about,
  COLLECT { MATCH (c:Commitment)-[r:IN_RESPONSE_TO]->(e) WHERE ($include_sensitive OR NOT coalesce(c.sensitive, false)) AND ($include_sensitive OR NOT coalesce(r.sensitive, false))
            RETURN c {.id, .name, .status, .date_made, .due_date,
                      sources: r.sources, confidence: r.confidence} ORDER BY c.id } AS commitments
ORDER BY e.date DESC, e.id
LIMIT $limit;

// name: overdue
// returns: values
// The overdue list, decided here as graphapp.engagement.rules.state decides it in Python
// (rules.overdue_window gives $today, $cutoff and $answered; tests/test_engagement.py checks
// that both agree): engagements sent by $as_of with no answer by $today (no response date and
// a status not in $answered, or a response date whose first possible day is after $today),
// either recorded as no_response or sent before $cutoff (a partial date counts as its last
// possible day: 2026-01 as 31 January). Partial dates compare as text with the day cut to
// their length: 2026-01 is before the cut-off 2026-02-15 because it is before 2026-02, and
// an answer of 2026-04 is after 2026-03-01 because it is after 2026-03. Longest waiting first
// (since: the last possible day, as text; only partial dates are computed). Ids only: the ties
// of the rows shown are read with `engagements`. $after (a row's since and id) starts after
// that row, to read the list in batches; $skip and $limit pick a page; total counts from
// $after on.
MATCH (e:Engagement)
WHERE ($as_of IS NULL OR e.date <= $as_of)
  AND ($include_sensitive OR NOT coalesce(e.sensitive, false))
  AND CASE WHEN e.response_date IS NULL THEN NOT coalesce(e.status IN $answered, false)
           ELSE e.response_date > left($today, size(e.response_date)) END
  AND (e.status = 'no_response' OR e.date < left($cutoff, size(e.date)))
WITH e.id AS id,
     CASE size(e.date) WHEN 10 THEN e.date
                       WHEN 7 THEN toString(date(e.date + '-01') + duration('P1M')
                                            - duration('P1D'))
                       ELSE e.date + '-12-31' END AS since
WHERE $after IS NULL OR since > $after.since OR (since = $after.since AND id > $after.id)
WITH id, since
ORDER BY since, id
WITH collect({id: id, since: since}) AS found
RETURN size(found) AS total, found[$skip..$skip + $limit] AS rows;

// name: commitments
// Commitments (made by $as_of, or of unknown date), optionally only those about $harm (directly or through the engagement they
// answer) or made by $company, each with its maker, harms and the engagements it answers.
MATCH (c:Commitment)
WHERE ($id IS NULL OR c.id = $id)
  AND ($as_of IS NULL OR coalesce(c.date_made, '') <= $as_of)
  AND ($harm IS NULL
       OR EXISTS { MATCH (c)-[:ABOUT]->(:Harm {id: $harm}) }
       OR EXISTS { MATCH (c)-[:IN_RESPONSE_TO]->(:Engagement)-[:ABOUT]->(:Harm {id: $harm}) })
  AND ($company IS NULL OR EXISTS { MATCH (c)-[:MADE_BY]->(:Company {id: $company}) })
  AND ($include_sensitive OR NOT coalesce(c.sensitive, false))
RETURN c {.*, updated_at: null} AS commitment,
  COLLECT { MATCH (c)-[r:MADE_BY]->(m:Company) WHERE ($include_sensitive OR NOT coalesce(m.sensitive, false)) AND ($include_sensitive OR NOT coalesce(r.sensitive, false)) RETURN m {.id, .name,
            sources: r.sources, confidence: r.confidence} ORDER BY m.name } AS made_by,
  COLLECT { MATCH (c)-[r:ABOUT]->(h:Harm) WHERE ($include_sensitive OR NOT coalesce(h.sensitive, false)) AND ($include_sensitive OR NOT coalesce(r.sensitive, false)) RETURN h {.id, .name,
            sources: r.sources, confidence: r.confidence} ORDER BY h.name } AS about,
  COLLECT { MATCH (c)-[r:IN_RESPONSE_TO]->(e:Engagement) WHERE ($include_sensitive OR NOT coalesce(e.sensitive, false)) AND ($include_sensitive OR NOT coalesce(r.sensitive, false))
            RETURN e {.id, .name, .date,
            sources: r.sources, confidence: r.confidence} ORDER BY e.id } AS in_response_to
ORDER BY coalesce(c.due_date, c.date_made, '') DESC, c.id
LIMIT $limit;

// name: company_engagements
// Everything sent to a company, to its teams, or to people holding a role at it (or in one of
// its teams) on the engagement's date: one row per (engagement, addressee).
MATCH (c:Company {id: $company})
WHERE $include_sensitive OR NOT coalesce(c.sensitive, false)
RETURN c {.id, .name} AS company,
  COLLECT {
    CALL (c) {
      MATCH (e:Engagement)-[:TO]->(c)
      RETURN e, c AS x, 'company' AS level
      UNION
      MATCH (e:Engagement)-[:TO]->(x:Team)-[:PART_OF]->(c)
      RETURN e, x, 'team' AS level
      UNION
      MATCH (e:Engagement)-[:TO]->(x:Person)-[hr:HOLDS_ROLE]->(c)
      WHERE coalesce(hr.start_date, '') <= e.date AND coalesce(hr.end_date, '9999') > e.date
      RETURN e, x, 'person' AS level
      UNION
      MATCH (e:Engagement)-[:TO]->(x:Person)-[hr:HOLDS_ROLE]->(:Team)-[:PART_OF]->(c)
      WHERE coalesce(hr.start_date, '') <= e.date AND coalesce(hr.end_date, '9999') > e.date
      RETURN e, x, 'person' AS level
    }
    WITH e, x, level
    WHERE ($include_sensitive OR NOT coalesce(e.sensitive, false))
      AND ($include_sensitive OR NOT coalesce(x.sensitive, false))
    RETURN {level: level, target: x {.id, .name}, engagement: e {.id, .name, .kind, .date,
            .status, .response_date, .outcome, .sources}}
  } AS rows;

// name: target_engagements
// returns: values
// For escalation: the engagements sent to each of $ids (any harm), and whether each is about
// $harm, to measure responsiveness and show where engagement stands.
UNWIND $ids AS id
MATCH (x:Entity {id: id})<-[:TO]-(e:Engagement)
WHERE coalesce(e.date, '') <= $as_of
  AND ($include_sensitive OR NOT coalesce(e.sensitive, false))
RETURN x.id AS id, e {.id, .name, .kind, .date, .status, .response_date, .outcome, .sources,
       about_harm: EXISTS { MATCH (e)-[:ABOUT]->(:Harm {id: $harm}) }} AS engagement
ORDER BY id, e.date, e.id;

// name: harm_targets
// The addressees of the engagements about a harm, with their labels and roles (to place them on
// the ladder when escalation did not list them).
MATCH (h:Harm {id: $harm})<-[:ABOUT]-(e:Engagement)-[to:TO]->(x)
WHERE coalesce(e.date, '') <= $as_of AND ($include_sensitive OR NOT coalesce(to.sensitive, false))
  AND ($include_sensitive OR NOT coalesce(e.sensitive, false))
  AND ($include_sensitive OR NOT coalesce(x.sensitive, false))
RETURN DISTINCT x.id AS id, x.name AS name, labels(x) AS labels, x.function AS function,
       x.scope AS scope,
       COLLECT { MATCH (x)-[hr:HOLDS_ROLE]->(p)
                 WHERE coalesce(hr.start_date, '') <= $as_of
                   AND coalesce(hr.end_date, '9999') > $as_of AND ($include_sensitive OR NOT coalesce(hr.sensitive, false)) AND ($include_sensitive OR NOT coalesce(p.sensitive, false))
                 RETURN {kind: hr.kind, function: p.function, scope: p.scope} } AS roles
ORDER BY id;

// name: turnover
// Roles that ended by $as_of, held by someone with no current role at the same place, and
// what depended on them: open engagements sent to them and (sensitive) contacts with them;
// and who holds that role now (the same title at the same team or company, else, without a
// title, the same kind of role).
MATCH (p:Person)-[hr:HOLDS_ROLE]->(place)
WHERE hr.end_date IS NOT NULL AND hr.end_date <= $as_of
  AND ($include_sensitive OR NOT coalesce(p.sensitive, false)) AND ($include_sensitive OR NOT coalesce(hr.sensitive, false)) AND ($include_sensitive OR NOT coalesce(place.sensitive, false))
  AND NOT EXISTS {
    MATCH (p)-[h2:HOLDS_ROLE]->(place)
    WHERE coalesce(h2.start_date, '') <= $as_of AND coalesce(h2.end_date, '9999') > $as_of
  }
WITH p, hr, place,
  COLLECT {
    MATCH (e:Engagement)-[:TO]->(p)
    WHERE e.status IN ['sent', 'acknowledged', 'no_response']
      AND ($include_sensitive OR NOT coalesce(e.sensitive, false))
    RETURN e {.id, .name, .kind, .date, .status} ORDER BY e.date, e.id
  } AS engagements,
  COLLECT {
    MATCH (o:Organization)-[hc:HAS_CONTACT]->(p)
    WHERE $include_sensitive AND coalesce(hc.start_date, '') <= $as_of
      AND coalesce(hc.end_date, '9999') > hr.end_date
    RETURN {org: o {.id, .name}, start_date: hc.start_date, end_date: hc.end_date,
            sources: hc.sources, confidence: hc.confidence} ORDER BY o.id
  } AS contacts,
  COLLECT {
    MATCH (s:Person)-[h3:HOLDS_ROLE]->(place)
    WHERE s <> p
      AND coalesce(h3.start_date, '') <= $as_of AND coalesce(h3.end_date, '9999') > $as_of
      AND CASE WHEN hr.title IS NOT NULL THEN toLower(coalesce(h3.title, '')) = toLower(hr.title)
               ELSE hr.kind IS NOT NULL AND h3.kind = hr.kind END
      AND ($include_sensitive OR NOT coalesce(s.sensitive, false)) AND ($include_sensitive OR NOT coalesce(h3.sensitive, false))
    RETURN {id: s.id, name: s.name, title: h3.title, start_date: h3.start_date,
            sources: h3.sources, confidence: h3.confidence} ORDER BY s.name, s.id
  } AS successors
WHERE size(engagements) + size(contacts) > 0
RETURN p {.id, .name} AS person,
       {title: hr.title, kind: hr.kind, start_date: hr.start_date, end_date: hr.end_date,
        sources: hr.sources, confidence: hr.confidence} AS role,
       place {.id, .name, labels: labels(place)} AS place,
       engagements, contacts, successors
ORDER BY hr.end_date DESC, p.id, place.id;
