// Queries of bench/web.py (the web app under wrk): which pages to load, and its throwaway user.

// name: harm
// The first public harm (by id) that involves something: its page has an escalation ladder.
MATCH (h:Harm)-[:INVOLVES]->()
WHERE NOT coalesce(h.sensitive, false)
RETURN DISTINCT h.id AS id
ORDER BY id
LIMIT 1;

// name: company
// The first public company (by id) with owners, preferring one that is not itself an investor
// (a fund): its leverage page has a look-through table.
MATCH (c:Company)<-[:OWNS]-()
WHERE NOT coalesce(c.sensitive, false)
RETURN DISTINCT c.id AS id, c.name AS name, c:Investor AS investor
ORDER BY investor, id
LIMIT 1;

// name: largest_fund
// The public investor with the most direct holdings: the heaviest exposure page (issue 19).
MATCH (i:Investor)
WHERE NOT coalesce(i.sensitive, false)
RETURN i.id AS id, COUNT { (i)-[:OWNS]->() } AS holdings
ORDER BY holdings DESC, id
LIMIT 1;

// name: delete_user
// Remove the throwaway reader account and its API tokens (a sign-in clears its throttle entries).
MATCH (u:User {name: $username})
OPTIONAL MATCH (t:ApiToken)-[:TOKEN_OF]->(u)
DETACH DELETE t, u;
