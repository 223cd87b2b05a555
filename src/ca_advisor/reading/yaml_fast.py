"""The fast path of yaml_source: plain data from a composed node graph, positions later.

yaml_source's ``_Builder`` records the line and column of every field path as it
builds, names every problem it meets and refuses the rest of the file politely.  Most
files have no problem, and a check needs the positions of a handful of paths (its
findings' locations).  So parse_yaml first tries ``fast_build``: the same data from
the same node graph, without path strings or marks, giving up (``Unusual``) at the
first thing that is not ordinary: a tag outside plain data, a key that is not a
string, a duplicate key, a number the engine
cannot take, a date that is not one, nesting past the limit (which is also where a
recursive alias ends), more values than the limit (an alias bomb).  Then the file
is read again by ``_Builder``, which finds and words the problem: the fast path
never decides what is an error, and never accepts what the builder refuses.

Positions are looked up when asked (``NodeIndex``) by walking the node graph along
the path: the same nodes ``_Builder`` would have taken the marks from (or, where a
key holds path syntax, as rule conditions' ``proposal.channel`` do, from the marks
``_Builder`` records on the first lookup).
tests/test_yaml_fast.py holds both readers to the same data and marks on every
example, rule, profile and hostile file and on generated proposals.

``CachingLoader`` remembers how plain scalars resolve (``yes`` is a bool, ``2013`` an
int): libyaml's composer asks Python for every scalar, and proposals repeat their
words; ``fast_build`` remembers the values they construct to (immutable: a bool, a
number, a date).  Both caches are bounded (short values, a fixed number of entries),
so a long run over varied files cannot grow them.
"""

from __future__ import annotations

import functools
import operator
import re
from typing import Any

import yaml

from .yaml_source import (
    _CONSTRUCTORS,
    _PLAIN_TAGS,
    _STR,
    Limits,
    Loader,
    Mark,
    number_problem,
)

_ScalarNode, _MappingNode, _SequenceNode = yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode
_SEQ, _MAP = "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
_CONSTRUCTOR = yaml.constructor.SafeConstructor()  # scalar constructors keep no state

_RESOLVED: dict[str, str] = {}
# Both caches hold short scalars only, and a fixed number of them.
_CACHE_MAX_ENTRIES = 4096
_CACHE_MAX_LENGTH = 64


def _remember(cache: dict, key: Any, text: str, value: Any) -> None:
    """Keep ``value`` under ``key`` when its scalar ``text`` is short and the cache has room."""
    if len(text) <= _CACHE_MAX_LENGTH and len(cache) < _CACHE_MAX_ENTRIES:
        cache[key] = value


# Plain scalars other than text as constructed (``true``, ``40``, ``2013-05-01``):
# proposals repeat them, and the values are immutable; bounded as _RESOLVED is (_remember).
_CONSTRUCTED: dict[tuple[str, str], Any] = {}
_MISSING = object()


# libyaml's parser, when the loader is built on it (PyYAML without libyaml has none).
_C_PARSER = yaml.cyaml.CParser if yaml.__with_libyaml__ and Loader is yaml.CSafeLoader else None


class CachingLoader(Loader):
    """The C safe loader with plain-scalar tag resolution cached (bounded), and no
    path resolvers: a file's tags come from its own text, whatever other code in the
    process registered with ``yaml.add_path_resolver``.  It composes nodes
    (``get_single_node``) and constructs nothing: fast_build and yaml_source._Builder
    build the data."""

    # Its own (empty) table, so that resolvers registered on CSafeLoader are not seen.
    yaml_path_resolvers: dict = {}
    # libyaml's composer calls these two for every node, to follow path resolvers.
    # Without any, C functions that do nothing spare two Python calls per node
    # (operator.is_ takes the node and index, tuple() nothing).
    descend_resolver = staticmethod(operator.is_)
    ascend_resolver = staticmethod(tuple)

    def __init__(self, stream):
        if _C_PARSER is None:  # PyYAML without libyaml: its Python reader needs all of it
            super().__init__(stream)
        else:  # only the parser: the constructor and resolver state CSafeLoader also
            _C_PARSER.__init__(self, stream)  # sets up is never read (fast_build or _Builder build)

    def resolve(self, kind, value, implicit):
        if kind is _ScalarNode and implicit[0]:
            tag = _RESOLVED.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                _remember(_RESOLVED, value, value, tag)
            return tag
        # What BaseResolver.resolve gives for a quoted scalar and for collections.
        return _STR if kind is _ScalarNode else _SEQ if kind is _SequenceNode else _MAP


class Unusual(Exception):
    """The fast path gives way: _Builder reads the file and names what is wrong."""


class _Fast:
    __slots__ = ("max_depth", "max_nodes", "nodes", "path_like_keys")

    def __init__(self, limits: Limits):
        self.max_depth, self.max_nodes, self.nodes = limits.max_depth, limits.max_nodes, 0
        self.path_like_keys = False  # a key holds "." or "[" ("proposal.channel" in a rule's when:)

    def build(self, node: yaml.Node, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > self.max_nodes or depth > self.max_depth:
            raise Unusual
        kind = type(node)
        if kind is _ScalarNode:
            tag = node.tag
            if tag == _STR:
                return node.value
            return self._scalar(node, tag)
        if kind is _MappingNode:
            if node.tag != _MAP:
                raise Unusual
            result: dict[str, Any] = {}
            depth += 1
            for key_node, value_node in node.value:
                if type(key_node) is not _ScalarNode or key_node.tag != _STR:
                    raise Unusual
                key = key_node.value
                if key in result:
                    raise Unusual
                if not self.path_like_keys and ("." in key or "[" in key or "]" in key):
                    self.path_like_keys = True
                result[key] = self.build(value_node, depth)
            return result
        if kind is _SequenceNode and node.tag == _SEQ:
            depth += 1
            return [self.build(item, depth) for item in node.value]
        raise Unusual

    @staticmethod
    def _scalar(node: yaml.ScalarNode, tag: str) -> Any:
        key = (tag, node.value)
        value = _CONSTRUCTED.get(key, _MISSING)
        if value is not _MISSING:
            return value
        if tag not in _PLAIN_TAGS:
            raise Unusual
        try:
            value = _CONSTRUCTORS[tag](_CONSTRUCTOR, node)
        except (yaml.YAMLError, ValueError, OverflowError):
            raise Unusual from None
        if number_problem(value) is not None:
            raise Unusual
        _remember(_CONSTRUCTED, key, node.value, value)
        return value


def fast_build(root: yaml.Node, limits: Limits) -> tuple[Any, bool]:
    """The plain data of ``root`` and whether a key looks like a path (then positions
    are looked up in a full index: see NodeIndex); ``Unusual`` raised at the first
    unusual thing."""
    fast = _Fast(limits)
    try:
        return fast.build(root, 0), fast.path_like_keys
    except RecursionError:
        raise Unusual from None


_PART = re.compile(r"\[(\d+)\]|\.?([^.\[]+)")
@functools.lru_cache(maxsize=4096)  # every check looks up the same few paths (a proposal's channel...)
def _steps(path: str) -> tuple[tuple[int | None, str], ...]:
    """(list index, or None and a key) for each step of ``path``."""
    return tuple((int(index) if index else None, key) for index, key in _PART.findall(path))


class NodeIndex:
    """Positions of field paths, looked up in the node graph when asked.

    Where a key itself holds "." or "[", a path no longer names one walk through the
    graph; the first lookup then has ``_Builder`` record every position once (as the
    full reader does) and reads them from there."""

    __slots__ = ("root", "limits", "lines", "record", "_recorded", "_walked")

    def __init__(self, root: yaml.Node, limits: Limits, lines: Any, path_like_keys: bool = False):
        # lines: yaml_source._Lines of the text, which counts lines as editors do
        self.root, self.limits, self.lines, self.record = root, limits, lines, path_like_keys
        self._recorded: tuple[dict, dict] | None = None
        # Paths walked so far: a check's findings point at the same few fields again and again.
        self._walked: dict[str, tuple[Mark | None, Mark | None]] = {}

    def marks(self, path: str) -> tuple[Mark | None, Mark | None]:
        """(key mark, value mark) of ``path`` ("" is the document), or Nones."""
        if not self.record:
            found = self._walked.get(path)
            if found is None:
                found = self._walked[path] = self._walk(path)
            return found
        if self._recorded is None:
            self._recorded = _recorded(self.root, self.limits, self.lines)
        key_marks, value_marks = self._recorded
        return key_marks.get(path), value_marks.get(path)

    def _walk(self, path: str) -> tuple[Mark | None, Mark | None]:
        node, key_node = self.root, None
        for index, key in _steps(path):
            key_node = None
            if index is not None:
                if type(node) is not _SequenceNode or index >= len(node.value):
                    return None, None
                node = node.value[index]
                continue
            if type(node) is not _MappingNode:
                return None, None
            for k, v in node.value:
                if k.value == key:
                    key_node, node = k, v
                    break
            else:
                return None, None
        return (self.lines(key_node.start_mark) if key_node is not None else None), self.lines(node.start_mark)


def _recorded(root: yaml.Node, limits: Limits, lines: Any) -> tuple[dict, dict]:
    """Every path's key and value position, recorded as the full reader records them."""
    from .yaml_source import SourceDocument, _Builder

    doc = SourceDocument(file="", data=None)
    _Builder(doc, limits, lines).build(root, "", 0)
    return doc.key_marks, doc.value_marks
