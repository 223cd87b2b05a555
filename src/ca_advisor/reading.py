"""Read a proposal from a file, a YAML string or a mapping, fully validated."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import InputErrors
from .proposal import Proposal, cross_field_problems
from .validation import validate_document
from .yaml_source import DEFAULT_LIMITS, Limits, SourceDocument, parse_yaml, read_yaml_file

WHAT = "a proposal (format ca-advisor/proposal/v1)"


@dataclass(frozen=True)
class LoadedProposal:
    source: SourceDocument
    proposal: Proposal


def read_proposal_file(path: str | Path, *, limits: Limits = DEFAULT_LIMITS,
                       display_name: str | None = None) -> LoadedProposal:
    return _validated(read_yaml_file(path, what=WHAT, limits=limits, display_name=display_name))


def read_proposal_text(text: str | bytes, *, file: str = "<string>",
                       limits: Limits = DEFAULT_LIMITS) -> LoadedProposal:
    return _validated(parse_yaml(text, file=file, what=WHAT, limits=limits))


def proposal_from_mapping(data: dict[str, Any], *, file: str = "<mapping>") -> LoadedProposal:
    """For callers that already hold parsed data; errors then carry paths but no lines."""
    return _validated(SourceDocument(file=file, data=data))


def _validated(doc: SourceDocument) -> LoadedProposal:
    cross_field = [doc.error(path, message) for path, message in cross_field_problems(doc.data)]
    try:
        proposal = validate_document(doc, Proposal)
    except InputErrors as schema:
        raise InputErrors(schema.errors + cross_field) from None
    if cross_field:
        raise InputErrors(cross_field)
    return LoadedProposal(doc, proposal)
