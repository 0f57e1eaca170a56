// Accounts, API tokens and login throttling: outside the power graph (no :Entity label).
// See graphapp/auth.py and docs/security.md.

// name: users_by_sessions
// The users that server-side sessions name, while each session is open (not signed out, not
// expired, the user not disabled): a copied cookie dies with the session. $lookups: [{at, id,
// session}], the request threads of a process waiting at once (graphapp/store/coalesce.py);
// possibly none, when only signed-out readers wait. One row always: the users found, each with
// its lookup's `at`, and the graph's version (as version.read), so that a cached page costs its
// reader a share of one round trip to Neo4j (graphapp/web/pagecache.py).
UNWIND (CASE size($lookups) WHEN 0 THEN [null] ELSE $lookups END) AS l
OPTIONAL MATCH (s:Session {id: l.session})-[:SESSION_OF]->(u:User {id: l.id})
WHERE s.expires_at > datetime() AND NOT coalesce(u.disabled, false)
WITH collect(CASE WHEN u IS NOT NULL
             THEN {at: l.at, user: u {.id, .name, .role, .stamp, .disabled, .language}} END) AS found
OPTIONAL MATCH (v:GraphVersion {id: 'graph'})
RETURN found AS users, v.value AS graph_version;

// name: open_session
// A server-side session at sign-in ($session: the hash of the id the cookie holds); this
// user's expired sessions are deleted on the way.
MATCH (u:User {id: $user_id})
OPTIONAL MATCH (old:Session)-[:SESSION_OF]->(u)
WHERE old.expires_at <= datetime()
DETACH DELETE old
WITH DISTINCT u
CREATE (s:Session {id: $session, address: $address, created_at: datetime(),
                   expires_at: datetime() + duration({seconds: $lifetime})})-[:SESSION_OF]->(u)
RETURN s.created_at IS NOT NULL AS opened;

// name: close_session
MATCH (s:Session {id: $session})
DETACH DELETE s;

// name: user_by_name
// $device and $address: whether this user signed in from them before (the sign-in throttle
// does not hold a known device back for failures on the account name).
MATCH (u:User {name: $username})
RETURN u {.id, .name, .role, .stamp, .disabled, .language, .password_hash,
          known: ($device <> '' AND $device IN coalesce(u.known_devices, []))
                 OR $address IN coalesce(u.known_addresses, [])} AS user;

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
// A new password ends every session and API token of this user (a new stamp as well).
MATCH (u:User {name: $username})
SET u.password_hash = $password_hash, u.stamp = $stamp
WITH u
CALL (u) {
  OPTIONAL MATCH (x)-[:SESSION_OF|TOKEN_OF]->(u)
  DETACH DELETE x
}
RETURN u {.id, .name, .role} AS user;

// name: set_disabled
// Disable (or enable) an account: a disabled one cannot sign in, its sessions end and its
// tokens answer 401 (they are kept, and work again when the account is enabled).
MATCH (u:User {name: $username})
WITH u, coalesce(u.disabled, false) AS before
SET u.disabled = $disabled, u.stamp = $stamp
WITH u, before
CALL (u) {
  OPTIONAL MATCH (s:Session)-[:SESSION_OF]->(u)
  DETACH DELETE s
}
RETURN u {.id, .name, .role, .disabled} AS user, before;

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

// name: list_tokens
// API tokens (never their hash), of $username or of everyone.
MATCH (t:ApiToken)-[:TOKEN_OF]->(u:User)
WHERE $username IS NULL OR u.name = $username
RETURN t.id AS id, u.name AS user, t.label AS label, toString(t.created_at) AS created_at,
       toString(t.last_used_at) AS last_used_at
ORDER BY user, created_at;

// name: revoke_token
// Delete a token by its id (of $username only, when given): it answers 401 from now on.
MATCH (t:ApiToken {id: $id})-[:TOKEN_OF]->(u:User)
WHERE $username IS NULL OR u.name = $username
WITH t, u.name AS user, t.label AS label
DETACH DELETE t
RETURN user, label;

// name: ensure_user
// Tests: a user with a known id and an open session, created when missing (tests/conftest.py).
MERGE (u:User {id: $id})
ON CREATE SET u.name = $username, u.role = $role, u.stamp = $stamp, u.disabled = false,
              u.password_hash = $password_hash, u.created_at = datetime()
MERGE (s:Session {id: $session})
ON CREATE SET s.created_at = datetime(), s.expires_at = datetime() + duration({days: 1})
MERGE (s)-[:SESSION_OF]->(u)
RETURN u {.id, .name, .role, .stamp} AS user;

// name: throttle_take
// One sign-in attempt against its keys (the client address; the account name too unless the
// device or address is known), atomically: the SET takes each key's write lock, so concurrent
// attempts queue. It is let through only when every key's backoff has passed, and is counted as
// a failure at once (throttle_success takes it back), so 40 concurrent guesses cannot all be
// checked. The first $free - 1 failures in a $window cost no wait; then $base, 2 x $base...
// seconds, up to $max_wait: a backoff, never a lockout. A count older than the window starts
// again. The clock is the real one, read after the lock is held: datetime() is the time the
// transaction began, so an attempt that queued behind a later-begun one saw that one's
// "not before now" as still ahead of it and was refused while still among the free ones.
UNWIND $keys AS key
MERGE (t:LoginThrottle {key: key})
ON CREATE SET t.failures = 0, t.last_at = datetime.realtime(), t.not_before = datetime.realtime()
// A write first: it takes the key's lock before its counts are read (read before the lock, two
// queued attempts would both count from the same number: a lost update).
SET t.taken_at = datetime.realtime()
WITH t
SET t.attempt = CASE WHEN t.last_at < datetime.realtime() - duration({seconds: $window}) THEN 1
                     ELSE t.failures + 1 END
WITH collect(t) AS throttles
WITH throttles, [t IN throttles WHERE t.not_before > datetime.realtime() |
                 duration.inSeconds(datetime.realtime(), t.not_before).seconds + 1] AS waits
FOREACH (t IN CASE WHEN size(waits) = 0 THEN throttles ELSE [] END |
  SET t.failures = t.attempt, t.last_at = datetime.realtime(), t.not_before_attempt = t.not_before,
      t.not_before = datetime.realtime() + duration({seconds:
        CASE WHEN t.attempt < $free THEN 0
             WHEN $base * 2 ^ (t.attempt - $free) > $max_wait THEN $max_wait
             ELSE toInteger($base * 2 ^ (t.attempt - $free)) END}))
RETURN size(waits) = 0 AS allowed, reduce(m = 0, w IN waits | CASE WHEN w > m THEN w ELSE m END)
       AS wait;

// name: throttle_success
// The password was right. The account name's count starts again; the address keeps its count
// but this attempt (which throttle_take counted as a failure), so signing in to one's own
// account between guesses at others clears nothing. The device and address become known.
UNWIND $keys AS key
MATCH (t:LoginThrottle {key: key})
SET t.failures = CASE WHEN key STARTS WITH 'name:' THEN 0
                      ELSE CASE WHEN t.failures > 0 THEN t.failures - 1 ELSE 0 END END,
    t.not_before = CASE WHEN key STARTS WITH 'name:' THEN datetime()
                        ELSE coalesce(t.not_before_attempt, t.not_before) END
WITH count(t) AS keys
MATCH (u:User {id: $user_id})
SET u.known_devices = ([d IN coalesce(u.known_devices, []) WHERE d <> $device]
                       + CASE WHEN $device = '' THEN [] ELSE [$device] END)[-20..],
    u.known_addresses = ([a IN coalesce(u.known_addresses, []) WHERE a <> $address]
                         + [$address])[-20..]
RETURN keys;

// name: set_language
// The interface language picked in the menu (en, es, fr, pt).
MATCH (u:User {id: $id})
SET u.language = $language;
