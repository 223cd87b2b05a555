"""Realistic proposals for the benchmark and the isolation tests, from a fixed seed.

Why generated rather than the bundled examples repeated: the same 15 files again and
again would let any cache (the OS page cache aside) flatter the numbers, and would
cover fewer shapes.  These follow the bundled examples' style (block mappings, flow
lists, a comment header, one to four components, equipment lists), draw every value
from the format's vocabularies, and come out the same for the same seed.

    python benchmarks/generate.py 500 /tmp/proposals      # writes 500 files
"""

from __future__ import annotations

import datetime
import random
import sys
from pathlib import Path

from ca_advisor.model import vocabulary as v

DONORS = ("united-states", "united-kingdom", "germany", "france", "nato", "eu", "japan", "turkey")
OTHERS = ("russia", "china", "afghanistan", "iran", "pakistan")
ITEMS = {
    "reconnaissance": "Small UAV", "night-vision": "Night-vision goggles", "communications": "Tactical radio set",
    "transport": "Utility truck", "protective-gear": "Body armour", "spare-parts": "Engine spares",
    "engineering": "Mine-clearing kit", "small-arms": "Rifle", "protected-mobility": "Armoured patrol vehicle",
    "transport-helicopter": "Mi-17 transport helicopter", "non-lethal": "Riot-control kit",
}
MEASURES = ("Border incidents detected per quarter", "Instructors certified", "Patrols per month",
            "Seizures reported per year", "Courses held")


def proposal_text(rnd: random.Random, n: int) -> str:
    """One proposal as YAML text, in the style of proposals/*.yaml."""
    recipients = rnd.sample(v.CENTRAL_ASIAN_STATES, rnd.choice((1, 1, 1, 2, 3)))
    date = datetime.date(2008, 1, 1) + datetime.timedelta(days=rnd.randrange(365 * 9))
    lines = [
        f"# Generated proposal {n}: a {'regional' if len(recipients) > 1 else 'bilateral'} package.",
        f"format: {v.FORMAT_V1}",
        f"id: generated-{n:05}",
        f"title: Generated assistance package number {n}",
        f"date: {date.isoformat()}",
        f"sponsors: [{', '.join(rnd.sample(DONORS, rnd.choice((1, 1, 2))))}]",
        f"channel: {rnd.choice(v.CHANNELS)}",
        f"recipients: [{', '.join(recipients)}]",
    ]
    if rnd.random() < 0.8:
        lines += ["justification:", f"  threats: [{', '.join(rnd.sample(v.THREATS, rnd.randint(1, 3)))}]",
                  f"  threat_assessment: {rnd.choice(v.THREAT_ASSESSMENTS)}"]
    if rnd.random() < 0.6:
        lines.append(f"other_actors_considered: [{', '.join(rnd.sample(OTHERS, rnd.randint(1, 2)))}]")
    lines.append(f"duration_years: {rnd.choice((1, 2, 3, 5, 0.5))}")
    if rnd.random() < 0.7:
        lines.append("targets:")
        for _ in range(rnd.randint(1, 2)):
            lines += [f"  - measure: {rnd.choice(MEASURES)}",
                      f"    agreed_with_recipient: {str(rnd.random() < 0.7).lower()}"]
    lines.append("components:")
    for i in range(rnd.randint(1, 4)):
        lines += _component(rnd, i, recipients)
    return "\n".join(lines) + "\n"


def _component(rnd: random.Random, i: int, recipients: list[str]) -> list[str]:
    kind = rnd.choice(("equipment-transfer", "equipment-transfer", "training", "exercise", "advisory",
                       "capacity-building", "intelligence-sharing", "infrastructure"))
    out = [f"  - id: part-{i}", f"    kind: {kind}"]
    if rnd.random() < 0.8:
        out.append(f"    countries: [{', '.join(rnd.sample(recipients, rnd.randint(1, len(recipients))))}]")
    out.append(f"    forces: [{', '.join(rnd.sample(v.FORCES, rnd.randint(1, 2)))}]")
    out.append(f"    purposes: [{', '.join(rnd.sample(v.PURPOSES, rnd.randint(1, 3)))}]")
    if kind == "equipment-transfer":
        out.append("    equipment:")
        for capability in rnd.sample(sorted(ITEMS), rnd.randint(1, 3)):
            out.append(f"      - {{item: {ITEMS[capability]}, capability: {capability}, "
                       f"quantity: {rnd.choice((2, 5, 10, 20, 40, 60))}, source: {rnd.choice(v.EQUIPMENT_SOURCES)}}}")
        out.append(f"    needs_assessment: {rnd.choice(v.NEEDS_ASSESSMENTS)}")
    if kind == "exercise":
        out.append(f"    location: {{country: {rnd.choice(v.CENTRAL_ASIAN_STATES)}, area: fergana-valley}}")
        out.append(f"    participants: [{', '.join(rnd.sample(OTHERS[:2] + v.CENTRAL_ASIAN_STATES, 2))}]")
        if rnd.random() < 0.3:
            out.append(f"    transit_through: [{rnd.choice(v.CENTRAL_ASIAN_STATES)}]")
    if rnd.random() < 0.7:
        out.append(f"    end_use_monitoring: {str(rnd.random() < 0.6).lower()}")
    return out


RULE = """# Generated rule {n} for the rule-loading benchmark.
id: {id}
name: generated-rule-{n}
severity: {severity}
title: Generated rule {n}
tags: [generated]
for_each: {fact_type}
when:
{tests}
message: Generated rule {n} fired.
reasoning: >
  A generated rule, shaped like the built-in ones, for measuring how loading time grows
  with the number of rules.
evidence:
  - quote: "there is really no such entity as the \u2018region\u2019 of Central Asia"
    section: "5"
recommendation: Nothing; this rule exists for the benchmark.
"""


def rule_text(rnd: random.Random, n: int) -> str:
    """A rule over a random fact type whose first test compares a single field with a
    value (the test durable-rules files under the fact type), then zero to two more
    tests of any kind."""
    from ca_advisor.facts.build import FACT_TYPES
    fact_type = rnd.choice(sorted(FACT_TYPES))
    fields = {name: spec for prefix, group in FACT_TYPES[fact_type].items() if prefix in ("", "proposal.")
              for name, spec in ((prefix + k, v) for k, v in group.items())}
    scalars = [k for k, spec in fields.items() if not spec.is_list and spec.kind in ("enum", "number", "bool")]
    lists = [k for k, spec in fields.items() if spec.is_list and spec.kind == "enum"]
    tests = [_test(rnd, scalars and rnd.choice(scalars), fields, n)]
    for _ in range(rnd.randint(0, 2)):
        name = rnd.choice(scalars + lists)
        tests.append(_test(rnd, name, fields, n))
    return RULE.format(n=n, id=f"GEN{n:04}", severity=rnd.choice(("info", "warning")), fact_type=fact_type,
                       tests="\n".join(f"  - {t}" for t in tests))


def _test(rnd: random.Random, name: str, fields: dict, n: int) -> str:
    spec = fields[name]
    if spec.kind == "number":
        return f"{name}: {{at_least: {n % 97 + rnd.randint(1, 50)}}}"
    if spec.kind == "bool":
        return f"{name}: {{is: {rnd.choice(('true', 'false'))}}}"
    values = list(spec.values)
    if spec.is_list:
        return f"{name}: {{includes_any: [{', '.join(rnd.sample(values, min(2, len(values))))}]}}"
    return f"{name}: {{is: {rnd.choice(values)}}}"


def write_rules(directory: Path, count: int, seed: int = 2013) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(seed)
    paths = []
    for n in range(1, count + 1):
        path = directory / f"GEN{n:04}.yaml"
        path.write_text(rule_text(rnd, n), encoding="utf-8")
        paths.append(path)
    return paths


def proposal_texts(count: int, seed: int = 2013) -> list[str]:
    rnd = random.Random(seed)
    return [proposal_text(rnd, n) for n in range(count)]


def write_proposals(directory: Path, count: int, seed: int = 2013) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for n, text in enumerate(proposal_texts(count, seed)):
        path = directory / f"generated-{n:05}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    count, target = int(sys.argv[1]), Path(sys.argv[2])
    print(f"wrote {len(write_proposals(target, count))} proposals to {target}")
