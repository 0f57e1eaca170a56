// The audit trail: who changed what, when, with the values before and after (JSON strings).
// AuditEvent nodes are outside the power graph (no :Entity label). See docs/security.md.

// name: record
UNWIND $events AS ev
CREATE (e:AuditEvent {id: ev.id, at: datetime(), user: ev.user, action: ev.action,
                      entity_id: ev.entity_id, before: ev.before, after: ev.after})
RETURN count(e) AS recorded;

// name: history
MATCH (e:AuditEvent {entity_id: $id})
RETURN e.id AS id, toString(e.at) AS at, e.user AS user, e.action AS action,
       e.before AS before, e.after AS after
ORDER BY e.at DESC, e.id
LIMIT $limit;

// name: sensitive_among
// Which of these values are the ids of sensitive entities (history withholds them).
MATCH (n:Entity)
WHERE n.id IN $ids AND n.sensitive = true
RETURN n.id AS id;

// name: lock_entity
// Take the entity's write lock first, so the version read after it is the committed one.
MATCH (n:Entity {id: $id})
SET n.audit_lock = true
REMOVE n.audit_lock
RETURN n.id AS id;

// name: entity_state
MATCH (n:Entity {id: $id})
RETURN properties(n) AS props, [l IN labels(n) WHERE l <> 'Entity'] AS labels;

// name: update_entity
MATCH (n:Entity {id: $id})
SET n += $set, n.updated_at = datetime()
WITH n
CALL (n) {
  UNWIND $remove AS key
  WITH n, key WHERE key IN keys(n)
  SET n[key] = null
}
RETURN properties(n) AS props;

// name: snapshot
// The current properties of these entities (the audit trail's before/after of an import).
UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN n.id AS id, properties(n) AS props;
