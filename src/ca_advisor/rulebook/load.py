"""Load rule files and profiles into a checked, ready-to-run rule book.

A rule file that has an unknown key, a bad condition, a field the facts do not
have, a value outside a field's vocabulary, or a message placeholder that names
nothing is refused here, at load time, with file, line and reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from ..conditions import ConditionError, Node, Schema, not_evaluated_variant, parse_when, reads
from ..conditions.grammar import When
from ..facts.portfolio_schema import PORTFOLIO_FACT_TYPES
from ..facts.profiles import ProfileBook, load_profiles
from ..facts.sources import REPORT_SOURCE, SOURCES_FILE, SourceBook, read_sources
from ..model.errors import InputError, InputErrors, did_you_mean
from ..model.findings import SEVERITY_RANK
from ..reading.scan import unique_dirs, yaml_files
from ..reading.validation import validate_document
from ..reading.yaml_source import SourceDocument, join_path, read_yaml_file
from . import message
from .config import Config, unknown_rule_references
from .packs import Pack, pack_dirs, pack_of
from .rule import FACT_TYPE_NAMES, Rule

WHEN = TypeAdapter(When)
# ``{field.path}`` or ``{param.NAME}``; ``{{`` and ``}}`` are literal braces (so
# ``{{id}}`` renders as ``{id}``), as in Python's str.format.
FIXTURES_DIR = "fixtures"


@dataclass(frozen=True)
class LoadedRule:
    rule: Rule
    file: str
    source: SourceDocument
    params: dict[str, Any]
    condition: Node | None
    pack: str | None = None         # "NAME VERSION" of the pack that defines the rule
    changes: tuple[str, ...] = ()   # what packs changed in it (severity, parameters)
    # Where the config sets this rule's parameters (parameter name -> a located error
    # with no message), so that a problem they cause is reported where the fix is.
    configured: tuple[tuple[str, InputError], ...] = ()

    @property
    def id(self) -> str:
        return self.rule.id

    def not_evaluated_conditions(self) -> dict[str, Node]:
        """Per required field, the condition under which CA602 reports this rule as
        not evaluated (conditions.tree.not_evaluated_variant)."""
        if self.condition is None:
            return {}
        read = reads(self.rule.for_each)
        return {name: not_evaluated_variant(self.condition, name, read) for name in self.rule.requires}

    def referenced_fields(self) -> list[str]:
        """Fields the conditions read, in a stable order (for locations and explain)."""
        if self.rule.locate is not None:
            return list(self.rule.locate)
        return sorted(self.condition.fields()) if self.condition else []


@dataclass(frozen=True)
class RuleBook:
    rules: tuple[LoadedRule, ...]
    profiles: ProfileBook
    packs: tuple[Pack, ...] = ()  # the packs the rules and facts come from, in order

    @property
    def sources(self) -> SourceBook:
        return self.profiles.sources

    def get(self, rule_id: str) -> LoadedRule | None:
        return next((r for r in self.rules if r.id == rule_id), None)


def rule_files(directory: Path) -> list[Path]:
    return [p for p in yaml_files(directory).files if p.name != SOURCES_FILE]


def load_configured_rulebook(builtin_rules: Path | None, builtin_profiles: Path | None,
                             config: Config) -> RuleBook:
    """The built-in rules and profiles (unless None), the packs', then the config's own,
    with the packs' changes and then the config's applied (the project has the last word)."""
    rule_dirs = ([builtin_rules] if builtin_rules else []) + pack_dirs(config.packs, "rules") + list(config.rule_dirs)
    profile_dirs = (([builtin_profiles] if builtin_profiles else []) + pack_dirs(config.packs, "profiles")
                    + list(config.profile_dirs))
    book = apply_packs(load_rulebook(rule_dirs, profile_dirs), config.packs)
    problems = unknown_rule_references(config, {r.id for r in book.rules},
                                       {t for r in book.rules for t in r.rule.tags})
    if problems:
        raise InputErrors(problems)
    book = apply_parameters(book, config)
    return select_rules(book, config)


def apply_packs(book: RuleBook, packs: tuple[Pack, ...]) -> RuleBook:
    """Mark each rule with the pack that defines it, then apply each pack's severity
    and parameter changes in order; a change naming no loaded rule is located in the
    pack's manifest."""
    book = with_packs(book, packs)
    for pack in packs:
        changes = pack_changes(pack)
        problems = unknown_rule_references(changes, {r.id for r in book.rules}, set())
        if problems:
            raise InputErrors(problems)
        book = _note_changes(select_rules(apply_parameters(book, changes), changes), book, pack)
    return book


def with_packs(book: RuleBook, packs: tuple[Pack, ...]) -> RuleBook:
    """The book with each rule marked with the pack that defines it."""
    rules = tuple(replace(r, pack=p.label) if (p := pack_of(r.file, packs)) else r for r in book.rules)
    return replace(book, rules=rules, packs=packs)


def pack_changes(pack: Pack) -> Config:
    """A pack's severity and parameter changes, as a config located in its manifest."""
    m = pack.manifest
    return Config(file=pack.manifest_file, source=pack.document, severity=tuple(sorted(m.severity.items())),
                  parameters=tuple(sorted((k, tuple(sorted(v.items()))) for k, v in m.parameters.items())))


def _note_changes(after: RuleBook, before: RuleBook, pack: Pack) -> RuleBook:
    """Record on each rule what ``pack`` changed, so `rules list`/`show` can say so."""
    rules = []
    for new, old in zip(after.rules, before.rules):
        notes = []
        if new.rule.severity != old.rule.severity:
            notes.append(f"severity {new.rule.severity} (was {old.rule.severity}) from pack {pack.label}")
        notes.extend(f"parameter {name} = {new.params[name]!r} (was {old.params.get(name)!r}) from pack {pack.label}"
                     for name in sorted(new.params) if new.params[name] != old.params.get(name))
        rules.append(replace(new, changes=new.changes + tuple(notes)))
    return replace(after, rules=tuple(rules))


def apply_parameters(book: RuleBook, config: Config) -> RuleBook:
    """The config's parameter values, checked against each rule's declared parameters
    and conditions; every problem is located in the config file, where the fix is."""
    overrides = config.parameter_overrides()
    problems: list[InputError] = []
    rules = []
    for loaded in book.rules:
        values = overrides.get(loaded.id, {})
        found = [_config_error(config, join_path(f"parameters.{loaded.id}", name), message,
                               key=name not in loaded.rule.parameters)  # an unknown name: point at the name
                 for name, value in values.items() for message in _parameter_problems(loaded, name, value)]
        if values and not found:
            params = {**loaded.params, **values}
            view = _RuleView.of(loaded.rule, loaded.source.data)
            condition, condition_problems = _condition(view, loaded.source, book.profiles, params)
            found = [_config_error(config, f"parameters.{loaded.id}", f"with these values, {loaded.id} {e.path}: "
                                                                      f"{e.message}") for e in condition_problems]
            # A later config (the project's after a pack's) wins for the names it sets.
            configured = {**dict(loaded.configured),
                          **{name: _config_error(config, f"parameters.{loaded.id}.{name}", "") for name in values}}
            loaded = replace(loaded, params=params, condition=condition, configured=tuple(configured.items()))
        problems.extend(found)
        rules.append(loaded)
    if problems:
        raise InputErrors(problems)
    return replace(book, rules=tuple(rules))


def _parameter_problems(loaded: LoadedRule, name: str, value: Any) -> list[str]:
    declared = loaded.rule.parameters
    if name not in declared:
        listed = ", ".join(declared) or "none"
        return [f"{loaded.id} has no parameter '{name}'; its parameters: {listed}{did_you_mean(name, declared)}"]
    default = declared[name].default
    if isinstance(default, list):
        fits = isinstance(value, list) and all(isinstance(v, str) for v in value)
        kind = "a list of values"
    elif isinstance(default, str):
        fits, kind = isinstance(value, str), "text"
    else:
        fits, kind = isinstance(value, (int, float)) and not isinstance(value, bool), "a number"
    if not fits:
        return [f"{loaded.id}'s parameter '{name}' takes {kind} like its default {default!r}, found {value!r}"]
    return []


def _config_error(config: Config, path: str, message: str, *, key: bool = False) -> InputError:
    if config.source is not None:
        return config.source.error(path, message, key=key)
    return InputError(file=config.file or "config", path=path, message=message)


def select_rules(book: RuleBook, config: Config) -> RuleBook:
    """Apply ignore, select, severity and min_severity.

    The CA602 mechanism goes only when ignored by id or below ``min_severity``, so that
    selecting rules never silences what they could not evaluate; strengths are not
    findings and stay whatever ``min_severity`` says.
    """
    severity = dict(config.severity)
    ignored, selected = set(config.ignored()), set(config.selected())
    floor = SEVERITY_RANK[config.min_severity] if config.min_severity else 0
    chosen = []
    for loaded in book.rules:
        r = loaded.rule
        names = {r.id, *r.tags} if r.mechanism is None else {r.id}
        if names & ignored:
            continue
        if selected and r.mechanism is None and not (names & selected):
            continue
        if r.id in severity:
            loaded = replace(loaded, rule=r.model_copy(update={"severity": severity[r.id]}))
        if r.kind == "finding" and SEVERITY_RANK[loaded.rule.severity] < floor:
            continue
        chosen.append(loaded)
    return replace(book, rules=tuple(chosen))


def load_rulebook(rule_dirs: Sequence[Path], profile_dirs: Sequence[Path], *,
                  param_overrides: dict[str, dict[str, Any]] | None = None) -> RuleBook:
    sources, errors = read_sources([*profile_dirs, *rule_dirs])
    if errors:
        raise InputErrors(errors)
    profiles = load_profiles(profile_dirs, sources)
    found = read_rules(rule_dirs, profiles, param_overrides)
    errors = found.errors or covers_problems(found.rules)
    if errors:
        raise InputErrors(errors)
    return RuleBook(tuple(sorted(found.rules, key=lambda r: r.id)), profiles)


def covers_problems(rules: Sequence[LoadedRule], failed: Sequence[str] = ()) -> list[InputError]:
    """``covers:`` belongs to a portfolio rule and names per-proposal rules of the book.
    ``failed``: ids of rules whose files did not load (their own errors say why; a
    rule covering one is not blamed for it)."""
    per_proposal = {r.id for r in rules if r.rule.for_each not in PORTFOLIO_FACT_TYPES} | set(failed)
    problems = []
    for loaded in rules:
        covers = loaded.rule.covers
        if covers and loaded.rule.for_each not in PORTFOLIO_FACT_TYPES:
            problems.append(loaded.source.error("covers", f"only a portfolio rule covers other rules; {loaded.id} is "
                                                          f"checked on {loaded.rule.for_each} facts of one proposal",
                                                key=True))
            continue
        for i, rule_id in enumerate(covers):
            if rule_id not in per_proposal:
                why = ("is a portfolio rule" if any(r.id == rule_id for r in rules)
                       else f"is no rule of the book{did_you_mean(rule_id, sorted(per_proposal))}")
                problems.append(loaded.source.error(f"covers[{i}]", f"{rule_id} {why}; a portfolio rule covers "
                                                                    "per-proposal rules"))
    return problems


@dataclass
class RuleFiles:
    """What reading rule directories gave: the rules that load, every problem, and
    each file's parsed document (for further checks on files that did not load)."""

    rules: list[LoadedRule] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    documents: dict[str, SourceDocument] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)  # rule id -> the file that defines it first


def read_rules(rule_dirs: Sequence[Path], profiles: ProfileBook,
               param_overrides: dict[str, dict[str, Any]] | None = None) -> RuleFiles:
    """Every rule that loads, and every problem in every rule file (not only the first).

    An id defined twice is reported at the later file, naming the earlier one."""
    found = RuleFiles()
    for directory in unique_dirs(rule_dirs):
        if not directory.is_dir():
            found.errors.append(InputError(file=str(directory), message="rules directory does not exist"))
            continue
        listing = yaml_files(directory)
        found.errors.extend(listing.skipped)
        files = [p for p in listing.files if p.name != SOURCES_FILE]
        if not files:
            # A mistyped directory would otherwise check with the built-in rules only.
            found.errors.append(InputError(file=str(directory), message="rules directory holds no rule files "
                                                                        "(*.yaml); check the path"))
            continue
        for path in files:
            rule, problems, doc = read_rule(path, profiles, (param_overrides or {}).get(path.stem))
            found.errors.extend(problems)
            if doc is None:
                continue
            found.documents[str(path)] = doc
            rule_id = doc.data.get("id")
            if not isinstance(rule_id, str):
                continue
            if rule_id in found.ids:
                found.errors.append(doc.error("id", f"rule id {rule_id} is also defined in {found.ids[rule_id]}; "
                                                    "rule ids must be unique"))
                continue
            found.ids[rule_id] = str(path)
            if rule is not None:
                found.rules.append(rule)
    return found


def read_rule(path: Path, profiles: ProfileBook, overrides: dict[str, Any] | None = None
              ) -> tuple[LoadedRule | None, list[InputError], SourceDocument | None]:
    """The rule (None when it has any problem), every problem, and the parsed file.

    A file that fails the schema is still read as far as it goes, so that a wrong
    condition is reported in the same run as a missing field."""
    try:
        doc = read_yaml_file(path, what="a rule")
    except InputErrors as exc:
        return None, exc.errors, None
    problems: list[InputError] = []
    raw_when = doc.data.get("when") if isinstance(doc.data, dict) else None
    try:
        # ``when`` is read by the condition parser, whose messages say more than the
        # grammar's (fields, vocabulary, did-you-mean); the grammar then types it.
        rule = validate_document(_without_when(doc), Rule)
    except InputErrors as exc:
        rule, problems = None, list(exc.errors)
    view = _RuleView.of(rule, doc.data) if rule is not None else _RuleView.lenient(doc.data)
    if view.id is not None and view.id != path.stem:
        problems.append(doc.error("id", f"rule id '{view.id}' does not match the file name '{path.name}'; "
                                        f"name the file {view.id}.yaml"))
    params = dict(view.params)
    for name, value in (overrides or {}).items():
        if name not in params:
            problems.append(doc.error("parameters", f"no parameter '{name}' to set{did_you_mean(name, params)}"))
        params[name] = value
    condition, condition_problems = _condition(view, doc, profiles, params)
    problems.extend(condition_problems)
    if rule is not None and raw_when is not None and not condition_problems:
        rule, grammar_problems = _typed_when(rule, raw_when, doc)
        problems.extend(grammar_problems)
    if view.for_each is not None and view.mechanism is None:
        problems.extend(_reference_problems(view, doc, profiles, params))
    problems.extend(_source_problems(doc, profiles.sources))
    if problems or rule is None:
        return None, problems, doc
    return LoadedRule(rule, str(path), doc, params, condition), [], doc


def _without_when(doc: SourceDocument) -> SourceDocument:
    if not isinstance(doc.data, dict) or "when" not in doc.data:
        return doc
    return replace(doc, data={k: v for k, v in doc.data.items() if k != "when"})


def _typed_when(rule: Rule, raw_when: Any, doc: SourceDocument) -> tuple[Rule | None, list[InputError]]:
    """The rule with its ``when`` typed by the grammar (conditions/grammar.py).  The
    parser accepted it, and both read the operator registry, so this fails only if
    the two disagree: a bug, reported rather than hidden."""
    try:
        return rule.model_copy(update={"when": WHEN.validate_python(raw_when)}), []
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        return None, [doc.error("when", f"the condition parser accepted this but the rule grammar does not "
                                        f"({first['msg']} at {'.'.join(map(str, first['loc']))}); "
                                        "please report it")]


@dataclass(frozen=True)
class _RuleView:
    """The parts of a rule file that the condition checks need, read from a valid
    ``Rule`` or, leniently, from the raw mapping of one that failed the schema."""

    id: str | None
    for_each: str | None
    when: Any
    mechanism: str | None
    params: dict[str, Any]
    requires: list[str]
    locate: list[str]
    message: str
    has_for_each: bool

    @classmethod
    def of(cls, rule: Rule, data: dict) -> _RuleView:
        # ``when`` as written: the condition parser reads the raw block, not the grammar's objects.
        return cls(rule.id, rule.for_each, data.get("when"), rule.mechanism,
                   {name: p.default for name, p in rule.parameters.items()},
                   list(rule.requires), list(rule.locate or []), rule.message, rule.for_each is not None)

    @classmethod
    def lenient(cls, data: dict) -> _RuleView:
        def text(key: str) -> str | None:
            return data.get(key) if isinstance(data.get(key), str) else None

        def names(key: str) -> list[str]:
            value = data.get(key)
            return [n for n in value if isinstance(n, str)] if isinstance(value, list) else []

        raw_params = data.get("parameters") if isinstance(data.get("parameters"), dict) else {}
        params = {name: p["default"] for name, p in raw_params.items() if isinstance(p, dict) and "default" in p}
        for_each = text("for_each")
        return cls(text("id"), for_each if for_each in FACT_TYPE_NAMES else None, data.get("when"),
                   text("mechanism"), params, names("requires"), names("locate"), text("message") or "",
                   "for_each" in data)


def _condition(view: _RuleView, doc: SourceDocument, profiles: ProfileBook,
               params: dict) -> tuple[Node | None, list[InputError]]:
    if view.mechanism is not None:
        if view.when is not None or view.has_for_each:
            return None, [doc.error("mechanism", "a mechanism rule has no for_each or when")]
        return None, []
    if not view.has_for_each:
        return None, [doc.error("", "missing required field 'for_each' (the fact type the rule looks at)")]
    if view.for_each is None:
        return None, []  # a for_each outside the fact types is reported by the schema check
    if view.when is None:
        return None, [doc.error("", "missing required field 'when' (the conditions under which it fires)")]
    tree, found = parse_when(view.when, "when", Schema(view.for_each, profiles.keys), params)
    return tree, [doc.error(e.path, e.message, key=e.at_key) for e in found]


def _source_problems(doc: SourceDocument, sources: SourceBook) -> list[InputError]:
    """Evidence citing a source id that no sources file declares, or quoting a report
    without the section a reader needs to find the passage."""
    evidence = doc.data.get("evidence")
    problems = []
    for i, item in enumerate(evidence if isinstance(evidence, list) else []):
        source_id = item.get("source", REPORT_SOURCE) if isinstance(item, dict) else None
        if not isinstance(source_id, str):
            continue
        if unknown := sources.unknown(source_id):
            problems.append(doc.error(f"evidence[{i}].source", unknown))
        elif sources.get(source_id).is_report and "section" not in item:
            problems.append(doc.error(f"evidence[{i}]", f"missing required field 'section': a quote from "
                                                        f"{sources.citation(source_id)} gives its section"))
    return problems


def _reference_problems(view: _RuleView, doc: SourceDocument, profiles: ProfileBook,
                        params: dict) -> list[InputError]:
    schema = Schema(view.for_each, profiles.keys)
    problems = []
    for key in ("requires", "locate"):
        for i, name in enumerate(getattr(view, key)):
            try:
                schema.spec(name, f"{key}[{i}]")
            except ConditionError as exc:
                problems.append(doc.error(exc.path, exc.message, key=exc.at_key))
    for placeholder in message.placeholders(view.message):
        if placeholder.filter is not None and placeholder.filter not in message.FILTERS:
            problems.append(doc.error("message", f"placeholder {placeholder.text} uses the filter "
                                                 f"'{placeholder.filter}'; the filters are "
                                                 f"{' and '.join(message.FILTERS)}"
                                                 f"{did_you_mean(placeholder.filter, list(message.FILTERS))}"))
        for name in (placeholder.name, placeholder.argument):
            if name is not None and not (name in schema.fields or (name.startswith("param.") and name[6:] in params)):
                problems.append(doc.error("message", f"placeholder {placeholder.text} names no field of "
                                                     f"{view.for_each} facts and no parameter (param.NAME)"
                                                     f"{did_you_mean(name, schema.fields)}"))
    return problems
