"""Safe YAML reading that remembers where every value came from.

PyYAML's safe loader already refuses to build Python objects from tags, but it
silently keeps the last of two duplicate keys, expands alias bombs without limit and
forgets line numbers.  We therefore *compose* the node graph with the (C, where
present) safe loader and build plain data from it ourselves, which lets us:

* reject duplicate keys at any depth, naming both lines;
* refuse any tag outside the plain-data set (``!!python/object`` and friends);
* bound nesting depth and the number of nodes visited (aliases count every time
  they are expanded, which defeats "billion laughs" documents before memory grows);
* refuse numbers the rule engine cannot read back (``.inf``, ``.nan``, and floats
  that JSON writes in exponent form, which durable-rules' parser rejects);
* record the line and column of every field path, for located error messages.
"""

from __future__ import annotations

import functools
import json
import math
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple

import yaml

from ..model.errors import (
    MAX_ERRORS_PER_FILE,
    InputErrors,
    input_error,
    more_problems,
    quoted,
)

if TYPE_CHECKING:
    from ..model.input_error import InputError

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_STR = "tag:yaml.org,2002:str"
_PLAIN_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq",
}


# The builder recurses twice per nesting level; beyond this depth a deeper limit
# would trade a clean refusal for Python's RecursionError.
MAX_DEPTH_CEILING = 200
# The largest --max-bytes: a file is read whole into memory, and a limit of 10**30
# ended in OverflowError or MemoryError instead of a message.
MAX_BYTES_CEILING = 64 * 1024 * 1024


_CONSTRUCTORS = yaml.constructor.SafeConstructor.yaml_constructors


@dataclass(frozen=True)
class Limits:
    """Bounds on what one input file may cost to read."""

    max_bytes: int = 1024 * 1024
    max_depth: int = 50
    max_nodes: int = 100_000

    def __post_init__(self) -> None:
        if not 1 <= self.max_depth <= MAX_DEPTH_CEILING:
            raise ValueError(f"max_depth must be between 1 and {MAX_DEPTH_CEILING}, not {self.max_depth}")
        if self.max_bytes < 1 or self.max_nodes < 1:
            raise ValueError("max_bytes and max_nodes must be at least 1")
        if self.max_bytes > MAX_BYTES_CEILING:
            raise ValueError(f"max_bytes must be at most {MAX_BYTES_CEILING:,}, not {self.max_bytes:,}")


DEFAULT_LIMITS = Limits()


class Mark(NamedTuple):
    """A position in a file; a tuple because the reader makes one per value."""

    line: int  # 1-based
    column: int  # 1-based


@dataclass
class SourceDocument:
    """Plain data from one YAML file plus the position of every field path in it."""

    file: str
    data: Any
    value_marks: dict[str, Mark] = field(default_factory=dict)
    key_marks: dict[str, Mark] = field(default_factory=dict)
    # Read by the fast path (yaml_fast.py): positions are looked up in the node
    # graph when asked, instead of recorded for every path up front.
    nodes: Any = field(default=None, repr=False, compare=False)

    def mark_of(self, path: str, *, key: bool = False) -> Mark | None:
        """Position of ``path``, or of its nearest enclosing field that has one."""
        if self.nodes is not None:
            return self._looked_up(path, key)
        marks = self.key_marks if key else self.value_marks
        while True:
            if path in marks:
                return marks[path]
            if key and path in self.value_marks:
                return self.value_marks[path]
            if not path:
                return None
            path = parent_path(path)

    def _looked_up(self, path: str, key: bool) -> Mark | None:
        while True:
            key_mark, value_mark = self.nodes.marks(path)
            if key and key_mark is not None:
                return key_mark
            if value_mark is not None:
                return value_mark
            if not path:
                return None
            path = parent_path(path)

    def error(self, path: str, message: str, *, key: bool = False) -> InputError:
        mark = self.mark_of(path, key=key)
        return input_error(
            file=self.file,
            line=mark.line if mark else None,
            column=mark.column if mark else None,
            path=path,
            message=message,
        )


# A key that is a plain name joins a field path with a dot (``targets[0].measure``;
# dotted names such as a condition's ``profile.succession`` count as plain); any
# other key (``note[1]``, one with spaces, quotes or control characters, an empty
# one) is written quoted in brackets (``justification["note[1]"]``), so that a path
# never misleads about where a key is.
_NAME = r"[A-Za-z0-9_][A-Za-z0-9_-]*"
_PLAIN_KEY = re.compile(rf"{_NAME}(\.{_NAME})*\Z")
_PATH_PART = re.compile(r'\[\d+\]|\["(?:[^"\\]|\\.)*"\]|\.?[^.\[]+|.')


def join_path(parent: str, part: str | int) -> str:
    if isinstance(part, int):
        return f"{parent}[{part}]"
    if not _PLAIN_KEY.match(part):
        return f"{parent}[{json.dumps(part, ensure_ascii=False)}]"
    return f"{parent}.{part}" if parent else part


@functools.lru_cache(maxsize=4096)  # findings point at the same few absent fields' parents in every proposal
def parent_path(path: str) -> str:
    """``path`` without its last key or index."""
    last = 0
    for match in _PATH_PART.finditer(path):
        last = match.start()
    return path[:last]


def read_yaml_file(path: str | Path, *, what: str, limits: Limits = DEFAULT_LIMITS) -> SourceDocument:
    """Read and parse ``path``; every failure is an ``InputErrors`` naming the file."""
    return parse_yaml(read_bytes(path, what=what, limits=limits), file=str(path), what=what, limits=limits)


def read_bytes(path: str | Path, *, what: str, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The bytes of ``path``, read once, never blocking and never past the size limit
    (``parse_yaml`` takes them); every failure is an ``InputErrors`` naming the file."""
    name = str(path)
    try:
        # Opened without waiting: a FIFO with no writer would otherwise block open()
        # forever; read from in blocking mode, it then reads as empty.  A regular
        # file never blocks, so only other kinds are switched (two system calls
        # fewer per proposal), and it is read with os.read: a file object and its
        # buffer cost more than reading a small proposal.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        try:
            info = os.fstat(fd)
            if stat.S_ISDIR(info.st_mode):  # os.open takes a directory; its size is no proposal's
                raise IsADirectoryError
            if info.st_size > limits.max_bytes:
                raise InputErrors([_too_large(name, info.st_size, limits)])
            regular = stat.S_ISREG(info.st_mode)
            if not regular:
                os.set_blocking(fd, True)
            raw = _read_limited(fd, info.st_size if regular else 0, limits.max_bytes)
        finally:
            os.close(fd)
        if len(raw) > limits.max_bytes:
            raise InputErrors([_too_large(name, None, limits)])
    except IsADirectoryError:
        raise InputErrors([input_error(file=name, message=f"is a directory, expected {what} file")]) from None
    except FileNotFoundError:
        raise InputErrors([input_error(file=name, message="no such file")]) from None
    except PermissionError:
        raise InputErrors([input_error(file=name, message="cannot be read: permission denied")]) from None
    except OSError as exc:
        raise InputErrors([input_error(file=name, message=f"cannot be read: {exc.strerror or exc}")]) from None
    return raw


_CHUNK = 64 * 1024


def _read_limited(fd: int, size: int, max_bytes: int) -> bytes:
    """At most ``max_bytes`` + 1 bytes of ``fd`` (one more tells the caller it is too
    large), read until a read gives nothing: a read may give less than asked without
    being the end (a network or FUSE file system may), and a file may grow while it is
    read.  The first read asks for the size a regular file reports plus one byte
    (``size``; 0 for a device or pipe), later ones for a chunk: asking for the limit
    outright makes Python allocate the whole limit (1 MiB) for every read."""
    want = size + 1 if 0 < size < max_bytes else _CHUNK
    pieces: list[bytes] = []
    total = 0
    while total <= max_bytes:
        chunk = os.read(fd, min(want, max_bytes + 1 - total))
        if not chunk:
            break
        pieces.append(chunk)
        total += len(chunk)
        want = _CHUNK
    return pieces[0] if len(pieces) == 1 else b"".join(pieces)


def read_yaml_stream(stream: BinaryIO, *, file: str, what: str, limits: Limits = DEFAULT_LIMITS) -> SourceDocument:
    """Parse a stream such as standard input, reading at most one byte past the limit."""
    raw = stream.read(limits.max_bytes + 1)
    if len(raw) > limits.max_bytes:
        raise InputErrors([_too_large(file, None, limits)])
    return parse_yaml(raw, file=file, what=what, limits=limits)


def parse_yaml(raw: bytes | str, *, file: str, what: str,
               limits: Limits = DEFAULT_LIMITS, fast: bool = True) -> SourceDocument:
    """Parse one YAML document holding a mapping (``what`` names it in messages).

    ``fast``: try yaml_fast's reader first (the same data; positions looked up when
    asked); False reads with ``_Builder`` only (the tests compare the two)."""
    text = _decode(raw, file, limits)
    loader = yaml_fast.CachingLoader(text)
    try:
        root = loader.get_single_node()
    except yaml.composer.ComposerError as exc:
        if "expected a single document" in str(exc.context):
            raise InputErrors([_at(file, exc.problem_mark,
                                   f"holds several YAML documents (the second starts here); expected {what} "
                                   "as one document: remove the extra '---' or split the file", text)]) from None
        raise InputErrors([_yaml_error(file, exc, text)]) from None
    except yaml.reader.ReaderError as exc:
        raise InputErrors([_reader_error(file, text, exc)]) from None
    except yaml.YAMLError as exc:
        raise InputErrors([_yaml_error(file, exc, text)]) from None
    finally:
        loader.dispose()
    if root is None:
        raise InputErrors([input_error(file=file, line=1, message=f"is empty; expected {what}: a YAML mapping")])
    try:
        data, path_like_keys = yaml_fast.fast_build(root, limits) if fast else (None, False)
    except yaml_fast.Unusual:
        pass  # read it again below, where every problem is found and named
    else:
        if isinstance(data, dict):
            return SourceDocument(file=file, data=data,
                                  nodes=yaml_fast.NodeIndex(root, limits, _Lines(text), path_like_keys))
    doc = SourceDocument(file=file, data=None)
    builder = _Builder(doc, limits, _Lines(text))
    data = builder.build(root, "", 0)
    if builder.errors:
        raise InputErrors(builder.problems())
    if not isinstance(data, dict):
        found = {list: "a list", type(None): "nothing"}.get(type(data), f"a single value ({data!r})")
        raise InputErrors([doc.error("", f"expected {what}: a YAML mapping of field names to values, found {found}")])
    doc.data = data
    return doc


_UTF16_32_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
                  (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))


def _decode(raw: bytes | str, file: str, limits: Limits) -> str:
    """UTF-8 text within the size limit, or a message saying what the bytes are instead."""
    if isinstance(raw, str):
        raw_len = len(raw.encode("utf-8", "surrogatepass"))
        if raw_len > limits.max_bytes:
            raise InputErrors([_too_large(file, raw_len, limits)])
        return raw
    if not isinstance(raw, (bytes, bytearray, memoryview)):
        raise TypeError(f"YAML input must be str or bytes, not {type(raw).__name__}")
    raw = bytes(raw)
    if len(raw) > limits.max_bytes:
        raise InputErrors([_too_large(file, len(raw), limits)])
    encoding = _wide_encoding(raw)
    if encoding:
        raise InputErrors([input_error(file=file, line=1, message=f"is {encoding} encoded; save the file as UTF-8")])
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise InputErrors([input_error(file=file, line=line,
                                      message="is a binary file (it contains NUL bytes); expected UTF-8 YAML text")])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputErrors([input_error(
            file=file, line=line, column=column,
            message=f"is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); save the file as UTF-8",
        )]) from None


def _wide_encoding(raw: bytes) -> str | None:
    """"UTF-16"/"UTF-32" when the bytes carry that byte-order mark, or look like
    UTF-16 text without one (every other byte NUL), so the message can say so."""
    for bom, name in _UTF16_32_BOMS:
        if raw.startswith(bom):
            return name
    even, odd = raw[:64:2], raw[1:64:2]
    if len(odd) >= 2 and any(not half.strip(b"\x00") and other.count(0) == 0
                             for half, other in ((even, odd), (odd, even))):
        return "UTF-16"
    return None


def _too_large(file: str, size: int | None, limits: Limits) -> InputError:
    """``size`` is None when the input is a stream that we stopped reading at the limit."""
    amount = f"is {size:,} bytes," if size is not None else "is"
    return input_error(file=file, message=f"{amount} over the {limits.max_bytes:,}-byte limit "
                                         "for one input file; split it or raise the limit (--max-bytes)")


def _at(file: str, mark: Any, message: str, text: str = "") -> InputError:
    if mark is None:
        return input_error(file=file, message=message)
    line, column = _Lines(text)(mark)
    return input_error(file=file, line=line, column=column, message=message)


def _yaml_error(file: str, exc: yaml.YAMLError, text: str = "") -> InputError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = _explained(getattr(exc, "problem", None) or str(exc), mark, text)
    context = getattr(exc, "context", None)
    context_mark = getattr(exc, "context_mark", None)
    if context and context_mark is not None and context_mark is not mark:
        context += f" (started on line {_Lines(text)(context_mark).line})"
    detail = f"{context}, {problem}" if context else problem
    return _at(file, mark, f"is not valid YAML: {detail}", text)


def _explained(problem: str, mark: Any, text: str) -> str:
    """libyaml's wording, plus what it does not say: that the character it cannot
    read is a tab, or which alias is undefined."""
    at = _text_at(text, mark)
    if "cannot start any token" in problem and at.startswith("\t"):
        return problem + " (a tab: indent with spaces, YAML does not allow tabs here)"
    alias = re.match(r"\*([^\s,\]}]+)", at)
    if "undefined alias" in problem and alias:
        return f"{problem} '*{alias.group(1)}'; define the anchor &{alias.group(1)} before using it"
    if "mapping values are not allowed" in problem:
        return problem + ("; if the value is text holding ': ', put it in quotes (\"like: this\"), "
                          "else check the indentation")
    return problem


def _text_at(text: str, mark: Any) -> str:
    if mark is None or not text:
        return ""
    lines = text.split("\n")
    return lines[mark.line][mark.column:] if mark.line < len(lines) else ""


def _reader_error(file: str, text: str, exc: yaml.reader.ReaderError) -> InputError:
    """A character YAML forbids (control characters, U+FFFE...), located in characters."""
    char = exc.character if isinstance(exc.character, int) else ord(exc.character)
    index = text.find(chr(char))
    line = column = None
    if index >= 0:
        line = text.count("\n", 0, index) + 1
        column = index - (text.rfind("\n", 0, index) + 1) + 1
    return input_error(file=file, line=line, column=column,
                      message=f"contains the character U+{char:04X}, which YAML does not allow in a file; "
                              "delete it, or write it as an escape (\\x.., \\u....) inside double quotes")


# durable-rules reads facts and rules back from JSON with its own parser, which
# rejects Infinity/NaN and numbers written in exponent form without a decimal point
# (json.dumps(1e16) == "1e+16").  Python writes a float in that form exactly when it
# is below 1e-4 or at least 1e16 in size, so we accept numbers from 1e-4 to 1e15
# (a margin: a whole number just below 1e16 becomes the float 1e16 in a float field).
FLOAT_RANGE = (1e-4, 1e15)


def number_problem(value: Any, shown: str | None = None) -> str | None:
    """Why the rule engine cannot take the number ``value``, or None when it can;
    ``shown`` is how the input wrote it.  Whole numbers are bounded too, because a
    float field (``duration_years``) turns 10**17 into 1e+17."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value == 0:
        return None
    shown = shown or repr(value)
    shown = shown if len(shown) <= 40 else shown[:37] + "..."
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return f"{shown} is not a finite number; write an ordinary number"
    if abs(value) >= FLOAT_RANGE[1] or (isinstance(value, float) and abs(value) < FLOAT_RANGE[0]):
        return (f"{shown} is outside the range of numbers the checker handles (0, or between 0.0001 and "
                "1,000,000,000,000,000 in size); write a number in that range")
    return None


class _Lines:
    """Positions as editors, grep and ``file:line`` count them: YAML (libyaml) also
    breaks lines at U+0085, U+2028, U+2029 and a lone CR, so a raw U+2028 in a text
    would move every later line number. The map is made only for text holding one."""

    _YAML_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")

    def __init__(self, text: str):
        self.starts: list[int] | None = None
        if any(c in text for c in "\x85\u2028\u2029") or "\r" in text.replace("\r\n", ""):
            self.text = text
            self.starts = [0] + [m.end() for m in self._YAML_BREAK.finditer(text)]

    def __call__(self, mark: Any) -> Mark:
        """The 1-based (line, column) of a 0-based libyaml mark."""
        if self.starts is None or mark.line >= len(self.starts):
            return Mark(mark.line + 1, mark.column + 1)
        offset = self.starts[mark.line] + mark.column
        line_start = self.text.rfind("\n", 0, offset) + 1
        return Mark(self.text.count("\n", 0, offset) + 1, offset - line_start + 1)


_PLAIN_LINES = _Lines("")


def _mark(node: yaml.Node, lines: _Lines = _PLAIN_LINES) -> Mark:
    return lines(node.start_mark)


class _Builder:
    """Turns a composed node graph into plain data, recording marks and problems."""

    def __init__(self, doc: SourceDocument, limits: Limits, lines: _Lines = _PLAIN_LINES):
        self.doc = doc
        self.lines = lines
        self.limits = limits
        self.errors: list[InputError] = []
        self.omitted: list[Mark] = []  # problems past MAX_ERRORS_PER_FILE: only where they are
        self.nodes_seen = 0
        self.constructor = yaml.constructor.SafeConstructor()
        self.active: set[int] = set()  # nodes on the current path, to catch recursive aliases

    def fail(self, node: yaml.Node, path: str, message: str) -> None:
        m = _mark(node, self.lines)
        if len(self.errors) >= MAX_ERRORS_PER_FILE:
            self.omitted.append(m)
            return
        self.errors.append(input_error(file=self.doc.file, line=m.line, column=m.column, path=path, message=message))

    def problems(self) -> list[InputError]:
        """The problems found, with one line standing for any past the per-file cap."""
        if not self.omitted:
            return self.errors
        return self.errors + [more_problems(self.doc.file, self.omitted[0].line, self.omitted[0].column,
                                            len(self.omitted))]

    def build(self, node: yaml.Node, path: str, depth: int) -> Any:
        self.nodes_seen += 1
        if self.nodes_seen > self.limits.max_nodes:
            if self.nodes_seen == self.limits.max_nodes + 1:
                self.fail(node, path, f"expands to more than {self.limits.max_nodes:,} values "
                                      "(an alias bomb, or far larger than any proposal); refused")
            return None
        if depth > self.limits.max_depth:
            self.fail(node, path, f"nests deeper than {self.limits.max_depth} levels; refused (flatten it; "
                                  "for proposals --max-depth raises the limit)")
            return None
        marks = self.doc.value_marks
        if path not in marks:
            marks[path] = self.lines(node.start_mark)
        tag = node.tag
        if tag not in _PLAIN_TAGS:
            self.fail(node, path, _tag_refused(tag))
            return None
        if isinstance(node, yaml.ScalarNode):
            # Text needs no constructor (it is what SafeConstructor would return).
            return node.value if tag == _STR else self._scalar(node, path)
        if id(node) in self.active:
            self.fail(node, path, "is a recursive alias (it contains itself); refused")
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        self.active.add(id(node))
        try:
            depth += 1
            return [self.build(item, join_path(path, i), depth) for i, item in enumerate(node.value)]
        finally:
            self.active.discard(id(node))

    def _scalar(self, node: yaml.ScalarNode, path: str) -> Any:
        """A number, boolean, null or date, built by SafeConstructor's own function
        for its tag (without construct_object's bookkeeping, which plain data never needs)."""
        try:
            value = _CONSTRUCTORS[node.tag](self.constructor, node)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            kind = node.tag.rsplit(":", 1)[-1]
            if kind == "timestamp":
                self.fail(node, path, f"{node.value!r} is not a real date ({exc}); write the date as YYYY-MM-DD")
            else:
                self.fail(node, path, f"cannot be read as {kind}: {exc}")
            return None
        problem = number_problem(value, node.value)
        if problem:
            self.fail(node, path, problem)
            return None
        return value

    def _mapping(self, node: yaml.MappingNode, path: str, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        key_marks = self.doc.key_marks
        self.active.add(id(node))
        try:
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                    self.fail(key_node, path, "has a key that is not a plain name (merge keys, lists and "
                                              "mappings cannot be keys)")
                    continue
                key = str(key_node.value)
                child = join_path(path, key)
                if key_node.tag not in _PLAIN_TAGS:
                    self.fail(key_node, child, _tag_refused(key_node.tag))
                    continue
                mark = self.lines(key_node.start_mark)
                if key in first_line:
                    self.fail(key_node, child, f"duplicate key {quoted(key)} (first given on line {first_line[key]}); "
                                               "each field may appear once")
                    continue
                first_line[key] = mark.line
                key_marks[child] = mark
                result[key] = self.build(value_node, child, depth + 1)
        finally:
            self.active.discard(id(node))
        return result


def _tag_refused(tag: str) -> str:
    return (f"uses the tag '{tag}', which is not allowed; use plain YAML "
            "(mappings, lists, strings, numbers, booleans, dates) without tags")


from . import yaml_fast  # noqa: E402 - the fast path builds on the names above
