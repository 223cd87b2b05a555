"""The condition language of rule files, as one unit.

=================  ===========================================================
module             what
=================  ===========================================================
``operators.py``   the operator registry: one definition per operator
``tree.py``        the typed syntax tree (``Test``, ``Group``, ``Check``)
``fields.py``      the fields a rule over a fact type may read, and their kinds
``parser.py``      raw ``when`` block -> tree, with every problem located
``evaluate.py``    the evaluator (with a trace, for ``explain``)
``compile.py``     tree -> durable-rules condition
``grammar.py``     the typed rule-file grammar of ``when``, and its JSON Schema
=================  ===========================================================
"""

from .compile import compile_condition, compile_node
from .evaluate import TraceLine, evaluate, lookup
from .fields import ConditionError, Schema, depends_on, field_kind, reads
from .operators import ABSENT, DATA, OPERATOR_NAMES, OPERATORS, TOTAL_OF, Operator
from .parser import parse_when
from .tree import Check, Group, Node, Test, not_evaluated_variant, tested_values, top_level_tests

__all__ = [
    "ABSENT", "DATA", "OPERATORS", "OPERATOR_NAMES", "TOTAL_OF", "Check", "ConditionError", "Group", "Node",
    "Operator", "Schema", "Test", "TraceLine", "compile_condition", "compile_node", "depends_on", "evaluate",
    "field_kind", "lookup", "not_evaluated_variant", "parse_when", "reads", "tested_values", "top_level_tests",
]
