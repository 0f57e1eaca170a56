"""A synthetic power graph of realistic shape, written through graphapp's own import.

    .venv/bin/python bench/generate.py --scale 100000 --instance bench --wipe [--out DIR]

The shape, for N nodes (deterministic for a given --seed):

- the world's countries (ISO codes), two or three regulators each, forums, advocacy
  organisations that belong to forums, document harms and keep contacts (sensitive);
- corporate groups until N is reached: an ultimate parent, then subsidiaries attached by
  preferential attachment (a company with many subsidiaries gets more), group sizes drawn from a
  heavy-tailed (Pareto) distribution, so that most groups are small and a few have thousands of
  companies, several levels deep, as GLEIF's parent relationships are; a few joint ventures
  (two parents) and cross-holdings between parents;
- investors (asset managers, pension and sovereign funds...) with Zipf popularity: the biggest
  hold minority stakes in most parents, thousands of companies each; they hold each other too,
  in cycles, as listed asset managers do;
- for each group: a board, executives, headquarters teams (policy, trust and safety, human
  rights...), products with their regional teams reporting to headquarters, local offices and
  representatives in the subsidiaries' countries, people with turnover (a predecessor whose role
  ended), harms per product that occurred in countries (more in the Global South), and the
  engagement history: letters and complaints by organisations to teams, people and companies
  about the harms, some answered, some with commitments.

Evidence varies: confidence (mostly confirmed), start dates, as-of dates; every relationship has
a source. The rows are written as CSV files in graphapp's template layout (one file a label or
relationship type, cut into parts) and imported with ``graphapp.io.pipeline``: the same
reading, validation, matching and transactional write as ``graphapp import``, one transaction a
part. ``generate(n)`` and ``write_files(graph_rows, dir)`` are what bench/run.py uses.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pycountry

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graphapp.io import pipeline  # noqa: E402
from graphapp.io.templates import columns_for  # noqa: E402
from graphapp.server import provision  # noqa: E402
from graphapp.store.db import Graph  # noqa: E402

SOURCES = ["https://example.org/register", "https://example.org/annual-report",
           "https://example.org/press", "https://example.org/ngo-report"]
PART_ROWS = 200_000  # rows per import transaction


@dataclass
class PowerGraph:
    """Generated rows, by node label and by relationship type (template columns)."""

    nodes: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    rels: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    harms: list[str] = field(default_factory=list)
    parents: list[str] = field(default_factory=list)
    investors: list[str] = field(default_factory=list)
    companies: list[str] = field(default_factory=list)

    @property
    def node_count(self) -> int:
        return sum(map(len, self.nodes.values()))

    @property
    def rel_count(self) -> int:
        return sum(map(len, self.rels.values()))


class Generator:
    def __init__(self, size: int, seed: int = 7):
        self.size = size
        self.rng = random.Random(seed)
        self.g = PowerGraph()
        self.count = 0
        self.iso: dict[str, str] = {}  # country node id -> ISO code

    # --- rows ------------------------------------------------------------------------------

    def node(self, label: str, id_: str, name: str, **props: Any) -> str:
        self.g.nodes[label].append({"id": id_, "name": name, **props})
        self.count += 1
        return id_

    def rel(self, type_: str, start: str, end: str, **props: Any) -> None:
        rng = self.rng
        props.setdefault("confidence", rng.choices(("confirmed", "reported", "alleged"),
                                                   (0.7, 0.22, 0.08))[0])
        props.setdefault("sources", rng.choice(SOURCES))
        props.setdefault("as_of", f"{rng.randint(2019, 2026)}")
        self.g.rels[type_].append({"from": start, "to": end, **props})

    # --- the world -------------------------------------------------------------------------

    def generate(self) -> PowerGraph:
        rng = self.rng
        countries = sorted(pycountry.countries, key=lambda c: c.alpha_2)
        self.countries = []
        self.south = []
        for c in countries:
            south = _south(c.alpha_2)
            cid = self.node("Country", f"country-{c.alpha_2.lower()}", c.name, iso2=c.alpha_2,
                            global_south="yes" if south else "no")
            self.countries.append(cid)
            self.iso[cid] = c.alpha_2
            if south:
                self.south.append(cid)
            kinds = ("data_protection", "telecom", "competition")[:rng.randint(2, 3)]
            for k, kind in enumerate(kinds):
                reg = self.node("Regulator", f"reg-{c.alpha_2.lower()}-{k}",
                                f"{c.name} {kind.replace('_', ' ')} authority", kind=kind)
                self.rel("HAS_JURISDICTION_OVER", reg, cid)
        self.regulators = [r["id"] for r in self.g.nodes["Regulator"]]
        self.forums = [self.node("Forum", f"forum-{i}", f"Forum {i}",
                                 kind=rng.choice(("multi_stakeholder_initiative",
                                                  "industry_association", "investor_initiative")))
                       for i in range(max(10, self.size // 20_000))]
        self.orgs = []
        for i in range(max(10, self.size // 5_000)):
            org = self.node("Organization", f"org-{i}", f"Digital rights group {i}",
                            kind="ngo")
            self.orgs.append(org)
            for f in rng.sample(self.forums, 2):
                self.rel("MEMBER_OF", org, f)
        funds = max(20, self.size // 400)
        kinds = ("asset_manager", "asset_manager", "pension_fund", "sovereign_fund",
                 "venture_capital", "private_equity", "bank")
        for i in range(funds):
            fund = self.node("Company", f"fund-{i}", f"Fund manager {i}",
                             extra_labels="Investor", investor_type=rng.choice(kinds))
            self.g.investors.append(fund)
        # Zipf popularity: fund i is chosen with weight 1 / (i + 1)
        self.fund_weights = [1 / (i + 1) for i in range(funds)]
        for f in self.g.investors:  # funds hold each other: a web with cycles
            for other in self._funds(2):
                if other != f:
                    self.rel("OWNS", other, f, economic_pct=_pct(rng, 0.5, 8),
                             voting_pct=_pct(rng, 0.5, 8))
        group = 0
        while self.count < self.size:
            self.group(group)
            group += 1
        tops = self.g.parents
        for top in tops:  # cross-holdings between parents
            if rng.random() < 0.05:
                other = rng.choice(tops)
                if other != top:
                    self.rel("OWNS", top, other, economic_pct=_pct(rng, 1, 5),
                             start_date=str(rng.randint(2000, 2024)))
        return self.g

    def _funds(self, k: int) -> list[str]:
        picked = self.rng.choices(self.g.investors, self.fund_weights, k=k)
        return list(dict.fromkeys(picked))

    def _group_size(self) -> int:
        """Subsidiaries in a group: Pareto-tailed, capped by the graph's size."""
        cap = max(5, self.size // 200)
        return min(cap, int(self.rng.paretovariate(1.1)))

    def group(self, g: int) -> None:
        rng, p = self.rng, f"g{g}"
        home = rng.choice(self.countries[:60] if rng.random() < 0.6 else self.countries)
        top = self.node("Company", f"{p}-top", f"Group {g} Holdings",
                        jurisdiction=self.iso[home], sector=rng.choice(("telecom", "social media",
                                                                         "gig work", "cloud")))
        self.g.parents.append(top)
        self.g.companies.append(top)
        self.rel("HEADQUARTERED_IN", top, home)
        for f in rng.sample(self.forums, 2):
            self.rel("MEMBER_OF", top, f)
        for r in rng.sample(self.regulators, 2):
            self.rel("OVERSEES", r, top)
        for fund in self._funds(rng.randint(3, 12)):
            self.rel("OWNS", fund, top, economic_pct=_pct(rng, 0.3, 9),
                     voting_pct=_pct(rng, 0.3, 9), as_of="2025-12")
        companies, children = [top], [0]
        for s in range(self._group_size()):
            parent_at = rng.choices(range(len(companies)), [c + 1 for c in children])[0]
            parent = companies[parent_at]
            country = rng.choice(self.south if rng.random() < 0.5 else self.countries)
            sub = self.node("Company", f"{p}-sub{s}", f"Group {g} {self.iso[country]} {s}",
                            jurisdiction=self.iso[country])
            stake = 100.0 if rng.random() < 0.8 else _pct(rng, 51, 99)
            self.rel("OWNS", parent, sub, economic_pct=stake, voting_pct=stake,
                     start_date=str(rng.randint(2000, 2024)))
            self.rel("INCORPORATED_IN", sub, country)
            if rng.random() < 0.03 and len(self.g.parents) > 1:  # a joint venture
                self.rel("OWNS", rng.choice(self.g.parents[:-1]), sub,
                         economic_pct=_pct(rng, 10, 49))
            if rng.random() < 0.1:
                for fund in self._funds(1):
                    self.rel("OWNS", fund, sub, economic_pct=_pct(rng, 1, 20))
            companies.append(sub)
            children.append(0)
            children[parent_at] += 1
            self.g.companies.append(sub)
        people = iter(range(10**9))

        def person(target: str, kind: str, title: str, sensitive: bool = False) -> str:
            who = self.node("Person", f"{p}-person{next(people)}", f"Person {p} {title}")
            if rng.random() < 0.2:  # turnover: the predecessor's role ended
                self.rel("HOLDS_ROLE", who, target, kind=kind, title=title,
                         start_date="2012", end_date=str(rng.randint(2016, 2024)))
                who = self.node("Person", f"{p}-person{next(people)}", f"Person {p} {title} 2")
                self.rel("HOLDS_ROLE", who, target, kind=kind, title=title, start_date="2025")
            else:
                self.rel("HOLDS_ROLE", who, target, kind=kind, title=title,
                         start_date=str(rng.randint(2010, 2024)))
            return who

        for i in range(4):
            person(top, "board", f"Director {i}")
        for title in ("CEO", "COO", "CFO"):
            person(top, "executive", title)
        hq: dict[str, str] = {}
        for function in ("policy", "trust_and_safety", "human_rights", "product", "legal",
                         "law_enforcement_response"):
            team = self.node("Team", f"{p}-{function}", f"Group {g} {function}",
                             function=function, scope="global")
            self.rel("PART_OF", team, top)
            hq[function] = team
            person(team, "manager", f"Head of {function}")
        contacts: list[str] = []
        for c in companies[1:]:
            if rng.random() < 0.5:
                office = self.node("Team", f"{c}-office", f"{c} office",
                                   function="local_office", scope="country")
                self.rel("PART_OF", office, c)
                self.rel("REPORTS_TO", office, hq["policy"])
                contacts.append(person(office, "staff", "Country lead"))
            if rng.random() < 0.3:
                contacts.append(person(c, "representative", "Representative"))
        for k in range(min(5, 1 + len(companies) // 10)):
            product = self.node("Product", f"{p}-product{k}", f"Group {g} app {k}")
            self.rel("OPERATES", rng.choice(companies[-3:]), product)
            for country in rng.sample(self.countries, 5):
                self.rel("AVAILABLE_IN", product, country)
            teams = []
            for function in ("trust_and_safety", "policy"):
                team = self.node("Team", f"{p}-product{k}-{function}",
                                 f"Group {g} app {k} {function}", function=function,
                                 scope="regional")
                self.rel("PART_OF", team, top)
                self.rel("RESPONSIBLE_FOR", team, product)
                self.rel("REPORTS_TO", team, hq[function])
                teams.append(team)
                contacts.append(person(team, "manager", "Lead"))
            for h in range(rng.randint(1, 3)):
                harm = self.node("Harm", f"{p}-product{k}-harm{h}", f"Harm {g}.{k}.{h}",
                                 harm_type=rng.choice(("hate_speech", "surveillance",
                                                       "data_sharing_with_authorities",
                                                       "misinformation")),
                                 started=str(rng.randint(2015, 2025)), severity=rng.randint(1, 5))
                self.g.harms.append(harm)
                self.rel("INVOLVES", harm, product)
                where = rng.choice(self.south if rng.random() < 0.7 else self.countries)
                self.rel("OCCURRED_IN", harm, where)
                org = rng.choice(self.orgs)
                self.rel("DOCUMENTED", org, harm)
                self.engagements(harm, org, [top, *teams, *contacts[-3:]], companies)
        for contact in contacts[:2]:
            if rng.random() < 0.3:
                self.rel("HAS_CONTACT", rng.choice(self.orgs), contact, sensitive="yes")

    def engagements(self, harm: str, org: str, targets: list[str], companies: list[str]) -> None:
        rng = self.rng
        for e in range(rng.choice((0, 1, 1, 2, 3))):
            y, m = rng.randint(2019, 2026), rng.randint(1, 12)
            status = rng.choice(("sent", "sent", "acknowledged", "responded", "no_response",
                                 "declined"))
            eid = self.node("Engagement", f"{harm}-letter{e}", f"Letter about {harm}",
                            kind=rng.choice(("letter", "email", "complaint", "meeting")),
                            date=f"{y}-{m:02d}-{rng.randint(1, 28):02d}", status=status,
                            **({"response_date": f"{min(2026, y + rng.randint(0, 1))}-{m:02d}"}
                               if status in ("responded", "declined", "acknowledged") else {}))
            self.rel("BY", eid, org)
            self.rel("TO", eid, rng.choice(targets))
            self.rel("ABOUT", eid, harm)
            if status == "responded" and rng.random() < 0.5:
                cid = self.node("Commitment", f"{eid}-commitment", f"Commitment on {harm}",
                                text="We will review the policy.", status=rng.choice(
                                    ("pending", "fulfilled", "partial", "broken")),
                                due_date=f"{min(2027, y + 1)}")
                self.rel("MADE_BY", cid, companies[0])
                self.rel("IN_RESPONSE_TO", cid, eid)
                self.rel("ABOUT", cid, harm)


def _pct(rng: random.Random, lo: float, hi: float) -> float:
    return round(rng.uniform(lo, hi), 2)


def _south(iso2: str) -> bool:
    """A rough Global South flag: not in the OECD's high-income core."""
    north = {"AD", "AT", "AU", "BE", "CA", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR",
             "GB", "GR", "IE", "IL", "IS", "IT", "JP", "KR", "LI", "LT", "LU", "LV", "MC", "MT",
             "NL", "NO", "NZ", "PL", "PT", "SE", "SG", "SI", "SK", "SM", "US", "VA"}
    return iso2 not in north


def generate(size: int, seed: int = 7) -> PowerGraph:
    return Generator(size, seed).generate()


# --- files and import ----------------------------------------------------------------------------


def write_files(g: PowerGraph, directory: Path, part_rows: int = PART_ROWS
                ) -> list[list[tuple[Path, str]]]:
    """CSV files in the template layout; returns the import parts, nodes before relationships.

    Each part is a list of (path, name shown in messages) that one ``import_files`` call takes.
    """
    parts: list[list[tuple[Path, str]]] = []
    for what, rows_by in (("nodes", g.nodes), ("rels", g.rels)):
        current: list[tuple[Path, str]] = []
        size = 0
        for name, rows in rows_by.items():
            columns = [c.name for c in columns_for(name)]
            for start in range(0, len(rows), part_rows):
                chunk = rows[start:start + part_rows]
                if size + len(chunk) > part_rows and current:
                    parts.append(current)
                    current, size = [], 0
                folder = directory / f"{what}-{len(parts):03d}"
                folder.mkdir(parents=True, exist_ok=True)
                path = folder / f"{name}.{start // part_rows}.csv"
                with open(path, "w", newline="", encoding="utf-8") as f:
                    writer = csv.DictWriter(f, columns, extrasaction="raise")
                    writer.writeheader()
                    writer.writerows(chunk)
                current.append((path, f"{name}.csv"))
                size += len(chunk)
        if current:
            parts.append(current)
    return parts


def import_parts(graph: Graph, parts: list[list[tuple[Path, str]]], echo=print) -> dict:
    """Import each part with the pipeline (one transaction each); fail on the first problem."""
    started = time.perf_counter()
    nodes = rels = 0
    rel_seconds = 0.0
    for i, files in enumerate(parts):
        part_started = time.perf_counter()
        report = pipeline.import_files(graph, files)
        if report.relationships_written:
            rel_seconds += time.perf_counter() - part_started
        if not report.ok:
            problems = [p.as_dict() for p in report.problems[:3]]
            raise SystemExit(f"part {i}: {report.summary()} {problems}")
        nodes += report.nodes_written
        rels += report.relationships_written
        echo(f"  part {i + 1}/{len(parts)}: {report.nodes_written:,} nodes, "
             f"{report.relationships_written:,} relationships "
             f"({time.perf_counter() - started:.0f} s)")
    return {"nodes": nodes, "relationships": rels, "seconds": time.perf_counter() - started,
            "relationship_seconds": rel_seconds}


def wipe(graph: Graph) -> None:
    graph.write_autocommit("records.delete_all")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=10_000, help="nodes (about)")
    parser.add_argument("--instance", default="bench", help="local Neo4j instance (wiped)")
    parser.add_argument("--wipe", action="store_true", help="allow wiping a non-empty database")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, help="keep the CSV files here")
    args = parser.parse_args()

    def echo(m: str) -> None:
        print(m, file=sys.stderr, flush=True)

    started = time.perf_counter()
    g = generate(args.scale, args.seed)
    echo(f"generated {g.node_count:,} nodes and {g.rel_count:,} relationships "
         f"in {time.perf_counter() - started:.1f} s")
    graph = Graph(provision.start(args.instance, echo=echo), retry_seconds=0)
    try:
        present = graph.driver.execute_query("MATCH (n) RETURN count(n) AS c").records[0]["c"]
        if present and not args.wipe:
            sys.exit(f"the {args.instance} database holds {present:,} nodes: pass --wipe")
        wipe(graph)
        graph.init_schema()
        with tempfile.TemporaryDirectory() as tmp:
            directory = args.out or Path(tmp)
            parts = write_files(g, directory)
            result = import_parts(graph, parts, echo)
    finally:
        graph.close()
    rows = result["nodes"] + result["relationships"]
    print(f"| nodes | relationships | import seconds | rows/s |\n|---:|---:|---:|---:|\n"
          f"| {result['nodes']:,} | {result['relationships']:,} | {result['seconds']:.1f} | "
          f"{rows / result['seconds']:,.0f} |")


if __name__ == "__main__":
    main()
