"""``ca-advisor packs new``: a pack skeleton that loads, and says what is left to do.

The manifest requires the running ca-advisor's minor series; the rule and its
fixtures come from ``rules new`` (so ``rules check --pack`` lists each TODO and
``rules test --pack`` fails both cases until they are written); a sources file
declares one source to replace.  Nothing is ever overwritten.
"""

from __future__ import annotations

import re
from pathlib import Path

from packaging.version import Version

from ..facts.sources import SOURCES_FILE
from ..model.vocabulary import SLUG_PATTERN
from ..rulebook.packs import MANIFEST, ca_advisor_version
from .scaffold import ScaffoldError, new_rule

MANIFEST_TEMPLATE = """\
# The manifest of rule pack @NAME (see docs/packs.md).
name: @NAME
version: 0.1.0                 # PEP 440; raise it with every change you share
description: "TODO: what this pack records, from which sources, for which years"
requires: "@REQUIRES"   # the ca-advisor versions it works with (PEP 440)
# severity: {CA405: info}      # change built-in rules' severities ...
# parameters: {CA202: {combat_item_threshold: 30}}   # ... or their parameters
"""

SOURCES_TEMPLATE = """\
# The sources this pack's rules and dated facts cite, by id (see docs/writing-rules.md, section 10).
sources:
  @NAME-source:
    kind: public-record          # report | analysis | official | treaty | news | public-record
    citation: "TODO: the short citation every output prints"
    title: "TODO: what the source records"
    date: 2014-01-01             # TODO: a year or a date: how new this evidence is
"""

def requires_for(version: str) -> str:
    """'>=0.1,<0.2' for 0.1.x: the series the pack is written against."""
    v = Version(version)
    return f">={v.major}.{v.minor},<{v.major}.{v.minor + 1}"


def new_pack(name: str, target: Path, rule_id: str = "PK101") -> list[Path]:
    """Write the skeleton into ``target`` (which must not hold a pack yet)."""
    if not re.match(SLUG_PATTERN, name):
        raise ValueError(f"'{name}' is not a pack name; use lower-case letters, digits and hyphens, "
                         "e.g. our-review-2024")
    if (target / MANIFEST).exists():
        raise ValueError(f"{target / MANIFEST} already exists; not overwritten")
    target.mkdir(parents=True, exist_ok=True)
    files = {MANIFEST: MANIFEST_TEMPLATE, SOURCES_FILE: SOURCES_TEMPLATE}
    written = []
    for file_name, template in files.items():
        path = target / file_name
        with path.open("x", encoding="utf-8") as handle:
            handle.write(template.replace("@NAME", name).replace("@REQUIRES", requires_for(ca_advisor_version())))
        written.append(path)
    try:
        scaffold = new_rule(rule_id, f"{name}-rule", target / "rules")
    except ScaffoldError as exc:
        raise ValueError(str(exc)) from None
    (target / "proposals").mkdir(exist_ok=True)
    return written + [scaffold.rule_file, scaffold.fixture_file]
