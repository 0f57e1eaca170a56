// Accounts, API tokens and login throttling: outside the power graph (no :Entity label).
// See graphapp/auth.py and docs/security.md.

// name: user_by_id
MATCH (u:User {id: $id})
RETURN u {.id, .name, .role, .stamp, .disabled, .language} AS user;

// name: user_by_name
MATCH (u:User {name: $username})
RETURN u {.id, .name, .role, .stamp, .disabled, .language, .password_hash} AS user;

// name: user_by_token
MATCH (t:ApiToken {hash: $hash})-[:TOKEN_OF]->(u:User)
SET t.last_used_at = datetime()
RETURN u {.id, .name, .role, .stamp, .disabled, .language} AS user;

// name: create_user
// Fails on the name_unique constraint when the name is taken.
CREATE (u:User {id: $id, name: $username, role: $role, password_hash: $password_hash,
                stamp: $stamp, disabled: false, created_at: datetime()})
RETURN u {.id, .name, .role} AS user;

// name: set_password
// A new stamp signs every session of this user out.
MATCH (u:User {name: $username})
SET u.password_hash = $password_hash, u.stamp = $stamp
RETURN u {.id, .name, .role} AS user;

// name: set_role
MATCH (u:User {name: $username})
WITH u, u.role AS before
SET u.role = $role, u.stamp = $stamp
RETURN u {.id, .name, .role} AS user, before;

// name: list_users
MATCH (u:User)
OPTIONAL MATCH (t:ApiToken)-[:TOKEN_OF]->(u)
RETURN u.name AS name, u.role AS role, u.disabled AS disabled,
       toString(u.created_at) AS created_at, count(t) AS tokens
ORDER BY name;

// name: count_users
MATCH (u:User) RETURN count(u) AS count;

// name: create_token
MATCH (u:User {name: $username})
CREATE (t:ApiToken {id: $id, hash: $hash, label: $label, created_at: datetime()})-[:TOKEN_OF]->(u)
RETURN t.id AS id;

// name: ensure_user
// Tests: a user with a known id, created when missing (tests/conftest.py).
MERGE (u:User {id: $id})
ON CREATE SET u.name = $username, u.role = $role, u.stamp = $stamp, u.disabled = false,
              u.password_hash = $password_hash, u.created_at = datetime()
RETURN u {.id, .name, .role, .stamp} AS user;

// name: throttle_failures
// Failed sign-ins per key (account name, client address) within the window.
UNWIND $keys AS key
OPTIONAL MATCH (t:LoginThrottle {key: key})
WHERE t.window_start > datetime() - duration({seconds: $window})
RETURN key, coalesce(t.failures, 0) AS failures;

// name: throttle_fail
UNWIND $keys AS key
MERGE (t:LoginThrottle {key: key})
ON CREATE SET t.failures = 0, t.window_start = datetime()
WITH t
SET t.failures = CASE WHEN t.window_start > datetime() - duration({seconds: $window})
                      THEN t.failures + 1 ELSE 1 END,
    t.window_start = CASE WHEN t.window_start > datetime() - duration({seconds: $window})
                          THEN t.window_start ELSE datetime() END
RETURN count(t) AS keys;

// name: throttle_clear
UNWIND $keys AS key
MATCH (t:LoginThrottle {key: key})
DELETE t;

// name: set_language
// The interface language picked in the menu (en, es, fr, pt).
MATCH (u:User {id: $id})
SET u.language = $language;
