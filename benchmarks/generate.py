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

from ca_advisor import vocabulary as v

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
