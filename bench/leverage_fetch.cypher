// For bench/leverage.py only: the whole network's active stakes as ONE RECORD PER STAKE, to
// compare with the app's leverage.network_stakes (one record of parallel lists).

// name: stakes_as_rows
MATCH (a)-[r:OWNS]->(b)
WHERE CASE WHEN $as_of IS NULL THEN r.end_date IS NULL
           ELSE coalesce(r.start_date, '') <= $as_of AND (r.end_date IS NULL OR r.end_date > $as_of)
      END
RETURN a.id AS holder, b.id AS company, r.economic_pct AS economic_pct,
       r.voting_pct AS voting_pct, r.pct_min AS pct_min, r.pct_max AS pct_max;
