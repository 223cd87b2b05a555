"""The fields a rule over one fact type may read, and the kind of each."""

from __future__ import annotations

from ..facts.build import FACT_TYPES, HAS_PROFILE, FieldSpec
from ..facts.profiles import FactKeySpec
from ..model.errors import did_you_mean
from .operators import LIST, NUMBER, QUANTITIES, SINGLE
from .tree import Group, Node


class ConditionError(Exception):
    """A problem at ``path`` in a rule file; ``at_key`` points at the field name
    rather than its value (for unknown names)."""

    def __init__(self, path: str, message: str, *, at_key: bool = False):
        self.path, self.message, self.at_key = path, message, at_key
        super().__init__(f"{path}: {message}")


def field_kind(spec: FieldSpec) -> str:
    """The kind an operator's ``applies_to`` names."""
    if spec.is_list:
        return LIST
    if spec.kind == "quantities":
        return QUANTITIES
    return NUMBER if spec.kind == "number" else SINGLE


class Schema:
    """The fields a rule over one fact type may read."""

    def __init__(self, fact_type: str, profile_keys: dict[str, FactKeySpec]):
        self.fact_type = fact_type
        self.fields: dict[str, FieldSpec] = {}
        for prefix, fields in FACT_TYPES[fact_type].items():
            for name, spec in fields.items():
                if spec.kind == "profile-key":
                    spec = FieldSpec("enum", spec.description, tuple(profile_keys), spec.is_list, spec.source)
                self.fields[prefix + name] = spec
        if fact_type in HAS_PROFILE:
            for key, spec in profile_keys.items():
                self.fields[f"profile.{key}"] = FieldSpec("enum", spec.description, tuple(spec.values))

    def spec(self, name: str, path: str) -> FieldSpec:
        if name not in self.fields:
            hint = did_you_mean(name, self.fields)
            if name.startswith("profile.") and self.fact_type not in HAS_PROFILE:
                hint = f"; profile facts are read on recipient and component_country facts{hint}"
            raise ConditionError(path, f"unknown field '{name}' for for_each: {self.fact_type}{hint}; "
                                       "run `ca-advisor rules docs facts` for the fields of each fact type", at_key=True)
        return self.fields[name]


def depends_on(fact_type: str, name: str) -> set[str]:
    """A field and the fields it is derived from (FieldSpec.depends_on): whether a
    component_country fact has the role ``location`` depends on the component's
    ``location.country``, so a test on ``role`` reads that field too."""
    spec = FACT_TYPES[fact_type][""].get(name)
    return {name, *(spec.depends_on if spec else ())}


def reads(fact_type: str):
    """``node -> the fields it reads``, derivations included (for CA602 variants)."""
    def of(node: Node) -> set[str]:
        if isinstance(node, Group):
            return set().union(*(of(i) for i in node.items)) if node.items else set()
        return depends_on(fact_type, node.field)
    return of
