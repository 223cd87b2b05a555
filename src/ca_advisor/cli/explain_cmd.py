"""``ca-advisor explain FILE [--rule ID]``: why a rule fired on a proposal, or did not.

Without ``--rule``, every rule that fired (findings and strengths) or could not be
evaluated (named by a CA602 finding) is explained, in rule order.
"""

from __future__ import annotations

import sys

import click

from ..engines.checker import Checker
from ..engines.explain import explain, render_explanation
from ..model.errors import InputErrors, did_you_mean
from ..model.findings import CheckResult
from ..reading.proposals import read_proposal_file, read_proposal_stdin
from ..reading.yaml_source import MAX_BYTES_CEILING, Limits
from . import main
from .common import (
    INPUT_ERROR,
    build_checker,
    config_option,
    echo,
    fail_with_input_errors,
    parse_date,
    resolve_config,
    rules_options,
)


@main.command("explain")
@click.argument("file")
@click.option("--rule", "rule_id", default=None,
              help="The rule to explain, e.g. CA301 [default: every rule that fired or could not be evaluated].")
@click.option("--as-of", callback=parse_date, help="Check as of this date (YYYY-MM-DD); wins over the proposal's date.")
@rules_options
@config_option
@click.option("--max-bytes", type=click.IntRange(1, MAX_BYTES_CEILING), default=Limits().max_bytes, show_default=True,
              help="Largest input file accepted.")
def explain_command(file, rule_id, as_of, rule_dirs, profile_dirs, config_file, max_bytes) -> None:
    """Explain, fact by fact, which of a rule's conditions held for proposal FILE
    (or - for standard input) and which did not."""
    config = resolve_config(config_file)
    checker = build_checker(config, rule_dirs, profile_dirs)
    if rule_id is not None:
        _known_rule(checker, rule_id)
    try:
        # Standard input is read at most one byte past the size limit, as for `check -`.
        limits = Limits(max_bytes=max_bytes)
        loaded = read_proposal_stdin(limits=limits) if file == "-" \
            else read_proposal_file(file, limits=limits)
    except InputErrors as exc:
        fail_with_input_errors(exc)
    rule_ids = [rule_id] if rule_id else rules_to_explain(checker.check(loaded, as_of=as_of))
    if not rule_ids:
        echo(f"no rule fired on {loaded.source.file} and none was left unevaluated; "
             "`--rule ID` explains why a rule stayed quiet")
        return
    blocks = ["\n".join(render_explanation(explain(checker, loaded, r, as_of=as_of))) for r in rule_ids]
    echo("\n\n".join(blocks))


def rules_to_explain(result: CheckResult) -> list[str]:
    """The rules that fired or could not be evaluated (the CA602 mechanism itself has
    no conditions to explain)."""
    ids = {f.evaluated_rule or f.rule_id for f in result.findings + result.strengths}
    return sorted(ids)


def _known_rule(checker: Checker, rule_id: str) -> None:
    rule = checker.book.get(rule_id)
    if rule is None or rule.condition is None:
        known = [r.id for r in checker.book.rules if r.condition is not None]
        why = "is a mechanism with no conditions of its own" if rule is not None else \
            f"is not among the rules `check` runs{did_you_mean(rule_id, known)}"
        echo(f"error: {rule_id} {why}; `ca-advisor rules list` shows the rules", err=True)
        sys.exit(INPUT_ERROR)
