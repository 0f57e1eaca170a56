// bench/run.py's baseline for one company's look-through: every ownership chain into the
// company enumerated by Cypher (trails: no relationship twice), stakes multiplied along each
// and summed per holder. Exponential where groups cross-hold; bench only, never the app.

// name: look_through
MATCH path = (holder:Entity)-[:OWNS*1..]->(:Entity {id: $id})
WITH holder, reduce(share = 1.0, r IN relationships(path) |
                    share * coalesce(r.economic_pct, 0) / 100.0) AS share
RETURN holder.id AS holder, sum(share) AS economic;
