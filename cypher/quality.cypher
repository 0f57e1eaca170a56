// The data-quality report's rows (graphapp/evidence/quality.py judges them in Python, with the
// maintained source table). Without $include_sensitive, sensitive entities, sensitive
// relationships and contacts are left out entirely: a viewer's report neither lists nor counts them.

// name: relationships
MATCH (a:Entity)-[r]->(b:Entity)
WHERE $include_sensitive OR NOT (coalesce(r.sensitive, false) OR coalesce(a.sensitive, false)
                                 OR coalesce(b.sensitive, false) OR type(r) = 'HAS_CONTACT')
RETURN a.id AS from, a.name AS from_name, type(r) AS type, b.id AS to, b.name AS to_name,
       r.key AS key, r.sources AS sources, r.source_tiers AS source_tiers,
       r.confidence AS confidence, r.as_of AS as_of, r.end_date AS end_date,
       r.derived AS derived, r.method AS method
ORDER BY from, type, to, key;

// name: private_people
// Persons with no office (a HOLDS_ROLE of a kind in $office_kinds, or a stake or control in a
// company: model.OFFICE_ROLE_KINDS and OFFICE_REL_TYPES) and not marked sensitive.
MATCH (p:Person)
WHERE NOT coalesce(p.sensitive, false)
  AND NOT EXISTS { (p)-[role:HOLDS_ROLE]->() WHERE role.kind IN $office_kinds }
  AND NOT EXISTS { (p)-[:OWNS|CONTROLS]->(:Company) }
RETURN p.id AS id, p.name AS name
ORDER BY id;
