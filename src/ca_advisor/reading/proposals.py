"""Read a proposal from a file, a YAML string or a mapping, fully validated.

A proposal is read first without the model (reading/plain_proposal.py only says yes
where the model would, with the same values), which is faster and needs no pydantic;
anything it does not take goes to the model (model/proposal.py), which validates it
and words every problem, and is imported when first needed.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from ..facts.build import MAX_FACTS, fact_count
from ..model.cross_field import cross_field_problems
from ..model.errors import InputErrors, input_error
from .plain_proposal import plain_proposal
from .targets import IdPlace, Target, looks_like_proposal
from .yaml_source import (
    DEFAULT_LIMITS,
    Limits,
    SourceDocument,
    join_path,
    number_problem,
    parse_yaml,
    read_bytes,
    read_yaml_file,
    read_yaml_stream,
)

if TYPE_CHECKING:
    from ..model.proposal import Proposal
    from .plain_proposal import Proposal as PlainProposal

WHAT = "a proposal (format ca-advisor/proposal/v1)"


@dataclass(frozen=True)
class LoadedProposal:
    source: SourceDocument
    proposal: Proposal | PlainProposal  # the same fields (the plain reader gives the second)

    def id_place(self) -> IdPlace:
        """Where the file gives its id (``targets.ProposalIds`` reports shared ids)."""
        mark = self.source.mark_of("id")
        return IdPlace(self.source.file, self.proposal.id, mark.line if mark else None, mark.column if mark else None)


def read_proposal_file(path: str | Path, *, limits: Limits = DEFAULT_LIMITS) -> LoadedProposal:
    return _validated(read_yaml_file(path, what=WHAT, limits=limits))


def read_target(target: Target, *, limits: Limits = DEFAULT_LIMITS) -> LoadedProposal | None:
    """The proposal a run's target holds, its file read once; None when the file was
    found in a directory and is not meant as a proposal (no ``format:`` key)."""
    if target.path == "-":
        return read_proposal_stdin(limits=limits)
    raw = read_bytes(target.path, what=WHAT, limits=limits)
    if target.found and not looks_like_proposal(raw):
        return None
    return read_proposal_text(raw, file=target.path, limits=limits)


def read_proposal_stream(stream: BinaryIO, *, file: str = "<stdin>",
                         limits: Limits = DEFAULT_LIMITS) -> LoadedProposal:
    return _validated(read_yaml_stream(stream, file=file, what=WHAT, limits=limits))


def read_proposal_stdin(*, limits: Limits = DEFAULT_LIMITS) -> LoadedProposal:
    """Standard input (``-``), read at most one byte past the limit; a closed one is
    an input error, not a crash."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise InputErrors([input_error(file="<stdin>", message="standard input is closed; give a file instead of -")])
    return read_proposal_stream(stream, limits=limits)


def read_proposal_text(text: str | bytes, *, file: str = "<string>",
                       limits: Limits = DEFAULT_LIMITS) -> LoadedProposal:
    return _validated(parse_yaml(text, file=file, what=WHAT, limits=limits))


def proposal_from_mapping(data: dict[str, Any], *, file: str = "<mapping>") -> LoadedProposal:
    """For callers that already hold parsed data; errors then carry paths but no lines.

    The data did not pass through yaml_source, so the checks it makes on values (a
    mapping at the top, numbers the rule engine can read, depth, no cycles) are made
    here.
    """
    doc = SourceDocument(file=file, data=data)
    if not isinstance(data, dict):
        found = {list: "a list", type(None): "nothing"}.get(type(data), f"a single value ({data!r:.60})")
        raise InputErrors([doc.error("", f"expected {WHAT}: a mapping of field names to values, found {found}")])
    problems = [doc.error(path, message) for path, message in _value_problems(data, "")]
    if problems:
        raise InputErrors(problems)
    return _validated(doc)


def _value_problems(value: Any, path: str, depth: int = 0, active: frozenset[int] = frozenset()):
    """(path, message) for each value the rule engine cannot take: numbers it cannot
    read back, and (as yaml_source refuses them in files) nesting past the depth
    limit or a container holding itself, which would otherwise end in RecursionError."""
    if isinstance(value, (dict, list, tuple)):
        if depth > DEFAULT_LIMITS.max_depth:
            yield path, f"nests deeper than {DEFAULT_LIMITS.max_depth} levels; refused"
            return
        if id(value) in active:
            yield path, "contains itself; refused"
            return
        active = active | {id(value)}
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            child = join_path(path, key if isinstance(key, int) and not isinstance(value, dict) else str(key))
            yield from _value_problems(item, child, depth + 1, active)
    else:
        problem = number_problem(value)
        if problem:
            yield path, problem


def _validated(doc: SourceDocument) -> LoadedProposal:
    """``doc`` as a proposal: read by reading/plain_proposal.py when it takes it
    (faster, and no pydantic), else validated by the model, which words every problem;
    either way the cross-field rules and the fact limit hold."""
    cross_field = cross_field_problems(doc.data)
    proposal = None if cross_field else plain_proposal(doc.data)
    if proposal is None:
        proposal = _modelled(doc, cross_field)
    count = fact_count(proposal)
    if count > MAX_FACTS:
        raise InputErrors([doc.error("", f"would make {count:,} facts for the rules (one for the proposal and for "
                                         "each recipient, component, served, located or transit country and "
                                         f"equipment item), more than the {MAX_FACTS:,} one check may hold; "
                                         "split it into smaller packages")])
    return LoadedProposal(doc, proposal)


def _modelled(doc: SourceDocument, cross_field: list[tuple[str, str]]) -> Proposal:
    """The proposal model of ``doc``; its schema's problems and the cross-field ones
    reported together."""
    from ..model.proposal import Proposal
    from .validation import validate_document

    problems = [doc.error(path, message) for path, message in cross_field]
    try:
        proposal = validate_document(doc, Proposal)
    except InputErrors as schema:
        raise InputErrors(schema.errors + problems) from None
    if problems:
        raise InputErrors(problems)
    return proposal
