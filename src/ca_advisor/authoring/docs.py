"""Rules and facts as people read them: ``rules show``, docs/rules.md, docs/facts.md.

Analysts write rules against the fact tables of facts.py and the fact keys of the
profiles; these references are generated from exactly those sources, so that they
cannot drift (tests/test_docs_sync.py regenerates them and compares).  Nothing here
depends on the date or on the machine, so the output is stable.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from ..conditions import OPERATORS, TOTAL_OF
from ..conditions.operators import TOTAL_DOC
from ..conditions.phrases import value_text, when_lines
from ..facts.build import FACT_TYPES, HAS_PROFILE, FieldSpec
from ..facts.portfolio_schema import PORTFOLIO_FACT_TYPE_TEXT
from ..facts.profiles import FactKeySpec
from ..facts.sources import SourceBook
from ..rulebook.load import LoadedRule, RuleBook

# What a rule's ``covers:`` means, as the rule listing and the generated docs say it.
COVERS_NOTE = "in a portfolio run, their findings on the packages this rule's finding names are reported under it"

FACT_TYPE_TEXT = {
    "proposal": ("the package as a whole", "once per proposal", ""),
    "recipient": ("each recipient state, with its country profile as of the check date", "per recipient",
                  "recipients[i]"),
    "component": ("each component", "per component", "components[i]"),
    "component_country": ("each country a component touches, in a role: served (it receives the component), "
                          "location (the component is sited there) or transit (forces or equipment cross it); "
                          "with that country's profile", "per country and role of each component",
                          "components[i].countries[j], .location.country or .transit_through[j]"),
    "equipment": ("each equipment item of a component", "per equipment item", "components[i].equipment[j]"),
    **PORTFOLIO_FACT_TYPE_TEXT,
}
_WIDTH = 88


def _prose(text: str) -> str:
    return " ".join(text.split())


def _wrap(text: str, indent: str = "  ") -> list[str]:
    return textwrap.wrap(_prose(text), width=_WIDTH, initial_indent=indent, subsequent_indent=indent)


def rule_file_label(loaded: LoadedRule) -> str:
    """'rules/CA101.yaml': the rule's directory name and file, as the repository shows it."""
    path = Path(loaded.file)
    return f"{path.parent.name}/{path.name}"


# --- rules show -------------------------------------------------------------------

def rule_text(loaded: LoadedRule, sources: SourceBook, *, file_label: str | None = None) -> list[str]:
    """Everything in a rule file, readable in a terminal."""
    r = loaded.rule
    lines = [f"{r.id} {r.name}", f"  {r.title}",
             f"severity: {r.severity}    kind: {r.kind}    tags: {', '.join(r.tags) or 'none'}",
             f"file: {file_label or loaded.file}", ""]
    if r.mechanism:
        lines += [f"mechanism: {r.mechanism} (built into the checker; it has no conditions of its own)", ""]
    else:
        lines += [f"looks at: {FACT_TYPE_TEXT[r.for_each][0]} (for_each: {r.for_each})", "fires when:"]
        lines += [f"  {line}" for line in when_lines(loaded.condition)]
        if r.requires:
            lines.append(f"requires: {', '.join(r.requires)} (when one is not given, CA602 reports the rule as "
                         "not evaluated instead of staying silent)")
        if r.locate:
            lines.append(f"points at: {', '.join(r.locate)}")
        if r.covers:
            lines.append(f"covers: {', '.join(r.covers)} ({COVERS_NOTE})")
        lines.append("")
    if r.parameters:
        lines.append("parameters:")
        for name, p in r.parameters.items():
            value = loaded.params.get(name, p.default)
            set_to = "" if value == p.default else f" (default {value_text(p.default)}; set by the config)"
            lines.append(f"  {name} = {value_text(value)}{set_to}")
            lines.extend(_wrap(p.description, "      "))
        lines.append("")
    lines += ["message:", *_wrap(r.message), "", "why:", *_wrap(r.reasoning), ""]
    if r.how_it_decides:
        lines += ["how it decides:", *_wrap(r.how_it_decides), ""]
    lines += ["evidence:"]
    for e in r.evidence:
        lines.extend(_wrap(f"\u201c{_prose(e.quote)}\u201d ({e.cite(sources)})"))
    lines += ["", "what to do:", *_wrap(r.recommendation)]
    return lines


# --- docs/rules.md ----------------------------------------------------------------

def rules_markdown(book: RuleBook) -> str:
    """The rule reference, docs/rules.md."""
    rules = sorted(book.rules, key=lambda r: r.id)
    out = ["# Rule reference", "",
           "<!-- Generated from the rule files by `ca-advisor rules docs > docs/rules.md`; do not edit by hand. -->",
           "",
           "Every built-in rule: what it looks at, when it fires, its parameters (a project's "
           "`ca-advisor.yaml` can change them), the evidence it rests on in DIIS Report 2013:12, "
           "and what it recommends. Fields are described in [facts.md](facts.md); how to write a "
           "rule of your own is in [writing-rules.md](writing-rules.md).", "",
           "| id | severity | name | title |", "| --- | --- | --- | --- |"]
    out += [f"| [{r.id}](#{_anchor(r)}) | {r.rule.severity} | {r.rule.name} | {_cell(r.rule.title)} |"
            for r in rules]
    for loaded in rules:
        out += ["", *_rule_markdown(loaded, book.sources)]
    return "\n".join(out) + "\n"


def _anchor(loaded: LoadedRule) -> str:
    return f"{loaded.id} {loaded.rule.name}".lower().replace(" ", "-")


def _cell(text: str) -> str:
    return _prose(text).replace("|", "\\|")


def _rule_markdown(loaded: LoadedRule, sources: SourceBook) -> list[str]:
    r = loaded.rule
    label = rule_file_label(loaded)
    out = [f"## {r.id} {r.name}", "", f"**{_prose(r.title)}**", "",
           f"- severity: {r.severity}; kind: {r.kind}; tags: {', '.join(r.tags) or 'none'}",
           f"- file: [`{label}`](../{label})"]
    if r.mechanism:
        out += [f"- mechanism: `{r.mechanism}`, built into the checker", ""]
    else:
        out += [f"- looks at: {FACT_TYPE_TEXT[r.for_each][0]} (`for_each: {r.for_each}`)"]
        if r.requires:
            out.append(f"- requires: {', '.join(f'`{f}`' for f in r.requires)} "
                       "(when not given, CA602 reports the rule as not evaluated)")
        if r.covers:
            out.append(f"- covers: {', '.join(r.covers)} ({COVERS_NOTE})")
        lines = when_lines(loaded.condition)
        head, items = ("**Fires when:**", lines) if lines[0].startswith("-") else (f"**Fires when** {lines[0]}",
                                                                                   lines[1:])
        out += ["", head, "", *items, ""]
    if r.parameters:
        out += ["**Parameters**", "", "| parameter | default | meaning |", "| --- | --- | --- |"]
        out += [f"| `{name}` | {_cell(value_text(p.default))} | {_cell(p.description)} |"
                for name, p in r.parameters.items()]
        out.append("")
    out += ["**Message**", "", "```text", *textwrap.wrap(_prose(r.message), width=_WIDTH), "```", "",
            "**Why**", "", _prose(r.reasoning), ""]
    if r.how_it_decides:
        out += ["**How it decides**", "", _prose(r.how_it_decides), ""]
    out += ["**Evidence**", ""]
    out += [f"> \u201c{_prose(e.quote)}\u201d \u2014 {e.cite(sources)}\n" for e in r.evidence]
    out += ["**What to do**", "", _prose(r.recommendation)]
    return out


# --- docs/facts.md ----------------------------------------------------------------

def facts_markdown(profile_keys: dict[str, FactKeySpec]) -> str:
    """The fact reference, docs/facts.md: every fact type and field, and the profile keys."""
    out = ["# Fact reference", "",
           "<!-- Generated from facts.py and profiles/fact-keys.yaml by `ca-advisor rules docs facts > "
           "docs/facts.md`; do not edit by hand. -->", "",
           "A rule looks at one kind of fact (`for_each`) and tests its fields (`when`). This page "
           "lists every fact type, every field with the values it may hold and where in a proposal it "
           "comes from, the country-profile keys rules read as `profile.KEY`, and the operators of the "
           "condition language. A rule that names a field or value not listed here is refused when it "
           "is loaded.", "", "## Fact types", "",
           "| for_each | what | one fact | also carries |", "| --- | --- | --- | --- |"]
    for name, (what, per, _) in FACT_TYPE_TEXT.items():
        out.append(f"| [`{name}`](#{name}) | {what} | {per} | {_carries(name)} |")
    out += ["", "An absent field (the proposal does not give it) makes the positive operators false and "
            "the negative ones (`is_not`, `not_one_of`, `includes_none`) true. Empty lists count as absent."]
    for name in FACT_TYPE_TEXT:
        out += ["", *_fact_type_markdown(name)]
    out += ["", *_profile_keys_markdown(profile_keys), "", *_operators_markdown()]
    return "\n".join(out) + "\n"


def _carries(fact_type: str) -> str:
    prefixes = [f"`{p}*`" for p in FACT_TYPES[fact_type] if p]
    if fact_type in HAS_PROFILE:
        prefixes.append("`profile.*`")
    return ", ".join(prefixes) or "\u2014"


def _fact_type_markdown(fact_type: str) -> list[str]:
    what, per, base = FACT_TYPE_TEXT[fact_type]
    out = [f"## {fact_type}", "", f"`for_each: {fact_type}` \u2014 {what}.", "",
           "| field | holds | values | from the proposal | meaning |", "| --- | --- | --- | --- | --- |"]
    out += [_field_row(name, spec, base) for name, spec in FACT_TYPES[fact_type][""].items()]
    others = [p for p in FACT_TYPES[fact_type] if p]
    if others or fact_type in HAS_PROFILE:
        also = [f"every field of a {p[:-1]} fact as `{p}FIELD`" for p in others]
        if fact_type in HAS_PROFILE:
            also.append("the country's profile facts in force on the check date as `profile.KEY`")
        out += ["", "It also carries " + "; ".join(also) + "."]
    return out


def _field_row(name: str, spec: FieldSpec, base: str) -> str:
    holds = {"enum": "a value", "slug": "an identifier", "text": "text", "number": "a number",
             "bool": "true or false", "date": "a date", "quantities": "a number per capability",
             "profile-key": "a profile fact key"}[spec.kind]
    if spec.is_list:
        holds = "a list of " + {"a value": "values", "an identifier": "identifiers",
                                "a profile fact key": "profile fact keys"}.get(holds, holds)
    values = ", ".join(spec.values) if spec.values else {"profile-key": "the profile keys below",
                                                         "bool": "true, false"}.get(spec.kind, "")
    return f"| `{name}` | {holds} | {values} | {_source(spec, base)} | {_cell(spec.description)} |"


def _source(spec: FieldSpec, base: str) -> str:
    if spec.source is None:
        return ""
    if spec.source.startswith("^"):
        path = spec.source[1:]
    elif not spec.source:
        path = base or "(the fact itself)"
    else:
        path = f"{base}.{spec.source}" if base else spec.source
    derived = spec.description.startswith("derived")
    return f"{'derived from ' if derived else ''}`{path}`"


def _profile_keys_markdown(keys: dict[str, FactKeySpec]) -> list[str]:
    out = ["## Profile fact keys", "",
           "Read as `profile.KEY` on `recipient` and `component_country` facts, from the dated entries of "
           "`profiles/<country>.yaml` in force on the check date. Declared in `profiles/fact-keys.yaml`; a "
           "project declares more in its own profiles directory. Write the values `\"yes\"` and `\"no\"` in "
           "quotes, in rules and profiles alike: unquoted, YAML reads them as true and false.", "",
           "| key | values | meaning |", "| --- | --- | --- |"]
    out += [f"| `{key}` | {', '.join(spec.values)} | {_cell(spec.description)} |" for key, spec in keys.items()]
    return out


def _operators_markdown() -> list[str]:
    """The operator table, from the registry (conditions/operators.py)."""
    out = ["## Operators", "",
           "A test is `FIELD: {OPERATOR: OPERAND}`; `FIELD: VALUE` is short for `{is: VALUE}`. Any operand "
           "may be `{param: NAME}`, a parameter the rule declares. Tests in a list must all hold; group them "
           "with `all:` or `any:`.", "",
           "| operator | for a field holding | example | reads as |", "| --- | --- | --- | --- |"]
    for name, op in OPERATORS.items():
        out.append(f"| `{name}` | {op.doc_kind} | `{{{name}: {_yaml(op.example)}}}` | "
                   f"{op.words('FIELD', op.example, value_text(op.example))} |")
    kind, example = TOTAL_DOC
    (comparison, bound), = ((k, v) for k, v in example.items() if k != TOTAL_OF)
    keys = example[TOTAL_OF]
    yaml_example = f"{{{TOTAL_OF}: {_yaml(keys)}, {comparison}: {_yaml(bound)}}}"
    out.append(f"| `{TOTAL_OF}` | {kind} | `{yaml_example}` | "
               f"{OPERATORS[comparison].words('FIELD', bound, value_text(bound), value_text(keys))} |")
    return out


def _yaml(value: Any) -> str:
    return f"[{', '.join(map(value_text, value))}]" if isinstance(value, list) else value_text(value)
