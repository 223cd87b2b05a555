"""Load rule files and profiles into a checked, ready-to-run rule book.

A rule file that has an unknown key, a bad condition, a field the facts do not
have, a value outside a field's vocabulary, or a message placeholder that names
nothing is refused here, at load time, with file, line and reason.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .conditions import ConditionError, Group, Schema, Test, parse
from .config import Config, unknown_rule_references
from .errors import InputError, InputErrors, did_you_mean
from .profiles import ProfileBook, load_profiles
from .rule_model import Rule
from .validation import validate_document
from .yaml_source import SourceDocument, read_yaml_file

PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_.]*)\}")
FIXTURES_DIR = "fixtures"


@dataclass(frozen=True)
class LoadedRule:
    rule: Rule
    file: str
    source: SourceDocument
    params: dict[str, Any]
    condition: Test | Group | None

    @property
    def id(self) -> str:
        return self.rule.id

    def referenced_fields(self) -> list[str]:
        """Fields the conditions read, in a stable order (for locations and explain)."""
        if self.rule.locate is not None:
            return list(self.rule.locate)
        return sorted(self.condition.fields()) if self.condition else []


@dataclass(frozen=True)
class RuleBook:
    rules: tuple[LoadedRule, ...]
    profiles: ProfileBook

    def get(self, rule_id: str) -> LoadedRule | None:
        return next((r for r in self.rules if r.id == rule_id), None)


def rule_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*.yaml") if p.is_file())


def load_configured_rulebook(builtin_rules: Path | None, builtin_profiles: Path | None,
                             config: Config) -> RuleBook:
    """The built-in rules and profiles (unless None) plus the config's, as it selects them."""
    rule_dirs = ([builtin_rules] if builtin_rules else []) + list(config.rule_dirs)
    profile_dirs = ([builtin_profiles] if builtin_profiles else []) + list(config.profile_dirs)
    book = load_rulebook(rule_dirs, profile_dirs, param_overrides=config.parameter_overrides())
    problems = unknown_rule_references(config, {r.id for r in book.rules},
                                       {t for r in book.rules for t in r.rule.tags})
    if problems:
        raise InputErrors(problems)
    return select_rules(book, config)


def select_rules(book: RuleBook, config: Config) -> RuleBook:
    """Apply disable, select and severity; the CA602 mechanism goes only when disabled."""
    severity = dict(config.severity)
    chosen = []
    for loaded in book.rules:
        r = loaded.rule
        if r.id in config.disable:
            continue
        if config.select and r.mechanism is None and not ({r.id, *r.tags} & set(config.select)):
            continue
        if r.id in severity:
            loaded = replace(loaded, rule=r.model_copy(update={"severity": severity[r.id]}))
        chosen.append(loaded)
    return RuleBook(tuple(chosen), book.profiles)


def load_rulebook(rule_dirs: Sequence[Path], profile_dirs: Sequence[Path], *,
                  param_overrides: dict[str, dict[str, Any]] | None = None) -> RuleBook:
    profiles = load_profiles(profile_dirs)
    errors: list[InputError] = []
    loaded: dict[str, LoadedRule] = {}
    for directory in rule_dirs:
        if not directory.is_dir():
            errors.append(InputError(file=str(directory), message="rules directory does not exist"))
            continue
        for path in rule_files(directory):
            try:
                rule = load_rule(path, profiles, (param_overrides or {}).get(path.stem))
            except InputErrors as exc:
                errors.extend(exc.errors)
                continue
            if rule.id in loaded:
                errors.append(rule.source.error("id", f"rule id {rule.id} is also defined in "
                                                      f"{loaded[rule.id].file}; rule ids must be unique"))
                continue
            loaded[rule.id] = rule
    if errors:
        raise InputErrors(errors)
    return RuleBook(tuple(sorted(loaded.values(), key=lambda r: r.id)), profiles)


def load_rule(path: Path, profiles: ProfileBook, overrides: dict[str, Any] | None = None) -> LoadedRule:
    doc = read_yaml_file(path, what="a rule")
    rule = validate_document(doc, Rule)
    problems = []
    if rule.id != path.stem:
        problems.append(doc.error("id", f"rule id '{rule.id}' does not match the file name '{path.name}'; "
                                        f"name the file {rule.id}.yaml"))
    params = {name: p.default for name, p in rule.parameters.items()}
    for name, value in (overrides or {}).items():
        if name not in params:
            problems.append(doc.error("parameters", f"no parameter '{name}' to set{did_you_mean(name, params)}"))
        params[name] = value
    condition = None
    try:
        condition = _condition(rule, doc, profiles, params)
    except ConditionError as exc:
        problems.append(doc.error(exc.path, exc.message, key=exc.at_key))
    if condition is not None:
        problems.extend(_reference_problems(rule, doc, profiles, params))
    if problems:
        raise InputErrors(problems)
    return LoadedRule(rule, str(path), doc, params, condition)


def _condition(rule: Rule, doc: SourceDocument, profiles: ProfileBook, params: dict) -> Test | Group | None:
    if rule.mechanism is not None:
        if rule.when is not None or rule.for_each is not None:
            raise ConditionError("mechanism", "a mechanism rule has no for_each or when")
        return None
    if rule.for_each is None:
        raise ConditionError("", "missing required field 'for_each' (the fact type the rule looks at)")
    if rule.when is None:
        raise ConditionError("", "missing required field 'when' (the conditions under which it fires)")
    return parse(rule.when, "when", Schema(rule.for_each, profiles.keys), params)


def _reference_problems(rule: Rule, doc: SourceDocument, profiles: ProfileBook,
                        params: dict) -> list[InputError]:
    if rule.for_each is None:
        return []
    schema = Schema(rule.for_each, profiles.keys)
    problems = []
    for key in ("requires", "locate"):
        for i, name in enumerate(getattr(rule, key) or []):
            try:
                schema.spec(name, f"{key}[{i}]")
            except ConditionError as exc:
                problems.append(doc.error(exc.path, exc.message))
    for name in PLACEHOLDER.findall(rule.message):
        known = name in schema.fields or (name.startswith("param.") and name[6:] in params)
        if not known:
            problems.append(doc.error("message", f"placeholder {{{name}}} names no field of "
                                                 f"{rule.for_each} facts and no parameter (param.NAME)"
                                                 f"{did_you_mean(name, schema.fields)}"))
    return problems
