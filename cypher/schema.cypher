// graphapp schema: applied by `graphapp db init`, idempotently (every statement IF NOT EXISTS).
// Statements end with ';' at the end of a line. See docs/model.md.

// Every node is an Entity: ids are unique across the whole graph.
CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;

// ...and unique per label, as the design asks.
CREATE CONSTRAINT company_id IF NOT EXISTS FOR (n:Company) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT person_id IF NOT EXISTS FOR (n:Person) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT team_id IF NOT EXISTS FOR (n:Team) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT product_id IF NOT EXISTS FOR (n:Product) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT regulator_id IF NOT EXISTS FOR (n:Regulator) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT forum_id IF NOT EXISTS FOR (n:Forum) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT organization_id IF NOT EXISTS FOR (n:Organization) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT harm_id IF NOT EXISTS FOR (n:Harm) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT country_id IF NOT EXISTS FOR (n:Country) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT engagement_id IF NOT EXISTS FOR (n:Engagement) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT commitment_id IF NOT EXISTS FOR (n:Commitment) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT investor_id IF NOT EXISTS FOR (n:Investor) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT arrangement_id IF NOT EXISTS FOR (n:Arrangement) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT state_id IF NOT EXISTS FOR (n:State) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT undisclosed_id IF NOT EXISTS FOR (n:Undisclosed) REQUIRE n.id IS UNIQUE;

// Lookup indexes.
CREATE INDEX company_name IF NOT EXISTS FOR (n:Company) ON (n.name);
CREATE INDEX person_name IF NOT EXISTS FOR (n:Person) ON (n.name);
CREATE INDEX team_name IF NOT EXISTS FOR (n:Team) ON (n.name);
CREATE INDEX product_name IF NOT EXISTS FOR (n:Product) ON (n.name);
CREATE INDEX regulator_name IF NOT EXISTS FOR (n:Regulator) ON (n.name);
CREATE INDEX forum_name IF NOT EXISTS FOR (n:Forum) ON (n.name);
CREATE INDEX organization_name IF NOT EXISTS FOR (n:Organization) ON (n.name);
CREATE INDEX harm_name IF NOT EXISTS FOR (n:Harm) ON (n.name);
CREATE INDEX country_name IF NOT EXISTS FOR (n:Country) ON (n.name);
CREATE INDEX engagement_name IF NOT EXISTS FOR (n:Engagement) ON (n.name);
CREATE INDEX commitment_name IF NOT EXISTS FOR (n:Commitment) ON (n.name);
CREATE INDEX investor_name IF NOT EXISTS FOR (n:Investor) ON (n.name);
CREATE INDEX arrangement_name IF NOT EXISTS FOR (n:Arrangement) ON (n.name);
CREATE INDEX state_name IF NOT EXISTS FOR (n:State) ON (n.name);
CREATE INDEX undisclosed_reason IF NOT EXISTS FOR (n:Undisclosed) ON (n.reason);
CREATE INDEX person_birth_date IF NOT EXISTS FOR (n:Person) ON (n.birth_date);
CREATE INDEX company_lei IF NOT EXISTS FOR (n:Company) ON (n.lei);
CREATE INDEX company_jurisdiction IF NOT EXISTS FOR (n:Company) ON (n.jurisdiction);
CREATE INDEX company_wikidata IF NOT EXISTS FOR (n:Company) ON (n.wikidata_id);
CREATE INDEX company_registration IF NOT EXISTS FOR (n:Company) ON (n.registration_number);
CREATE INDEX country_iso2 IF NOT EXISTS FOR (n:Country) ON (n.iso2);
CREATE INDEX harm_type IF NOT EXISTS FOR (n:Harm) ON (n.harm_type);
CREATE INDEX team_function IF NOT EXISTS FOR (n:Team) ON (n.function);
CREATE INDEX engagement_status IF NOT EXISTS FOR (n:Engagement) ON (n.status);
CREATE INDEX entity_sensitive IF NOT EXISTS FOR (n:Entity) ON (n.sensitive);

// Full-text search over names, aliases, their Latin transliterations (latin_names, written with
// the entity by graphapp.records) and descriptions. The analyzer folds case and accents, so
// "operacion huracan" finds "Operación Huracán". It replaced entity_search (no folding).
DROP INDEX entity_search IF EXISTS;
CREATE FULLTEXT INDEX entity_names IF NOT EXISTS
FOR (n:Entity) ON EACH [n.name, n.aliases, n.latin_names, n.description]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-folding'}};

// Accounts and audit (outside the power graph: no :Entity label). See docs/security.md.
CREATE CONSTRAINT user_id IF NOT EXISTS FOR (u:User) REQUIRE u.id IS UNIQUE;
CREATE CONSTRAINT user_name IF NOT EXISTS FOR (u:User) REQUIRE u.name IS UNIQUE;
CREATE CONSTRAINT api_token_hash IF NOT EXISTS FOR (t:ApiToken) REQUIRE t.hash IS UNIQUE;
CREATE CONSTRAINT login_throttle_key IF NOT EXISTS FOR (t:LoginThrottle) REQUIRE t.key IS UNIQUE;
CREATE CONSTRAINT session_id IF NOT EXISTS FOR (s:Session) REQUIRE s.id IS UNIQUE;
CREATE CONSTRAINT api_token_id IF NOT EXISTS FOR (t:ApiToken) REQUIRE t.id IS UNIQUE;
CREATE INDEX audit_entity IF NOT EXISTS FOR (e:AuditEvent) ON (e.entity_id);
CREATE INDEX audit_at IF NOT EXISTS FOR (e:AuditEvent) ON (e.at);

// The graph's version (cypher/version.cypher): one node, however many writers start at once.
CREATE CONSTRAINT graph_version_id IF NOT EXISTS FOR (v:GraphVersion) REQUIRE v.id IS UNIQUE;
