"""``check -j N``: check a batch of files in N forked worker processes.

Why fork, and only from the command line: a forked child starts with the parent's
compiled rule book and durable-rules network already in memory (nothing to rebuild,
pages shared until written), but fork copies only the calling thread.  If another
thread held ``ENGINE_LOCK`` (or any lock) at that moment, the child would wait on it
for ever.  So we fork only when this process runs one thread (the CLI; never from
the API, which callers may use from many threads), and otherwise check in-process.

Each worker checks every N-th file (files of a directory vary in size together, so
striding shares the work evenly) and writes, per file, one frame to its pipe: the
file's index, whether it is a result, errors or skipped, and JSON (the result as
``batch.result_fragment`` writes it, with where it gives its id and its summary
counts; or the errors as ``InputError`` fields).  No pickle crosses the pipe, so
the parent never unpickles.  The parent reads all pipes
at once (a worker blocked on a full pipe would stop working) and gives the outcomes
in file order.  A worker that dies leaves files unreported; the parent checks those
itself, so a run never loses a file, and says so on standard error (a stopped worker
is a fault to report, not to hide).

``default_jobs``: the CPUs this process may use, at most 4 (beyond that the parent's
merging and the shared memory bandwidth gain little on these small files), and one
worker per 32 files at most, because forking and the pipe cost about as much as
checking a few files.
"""

from __future__ import annotations

import datetime
import gc
import os
import selectors
import struct
import sys
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import orjson

from .batch import SKIPPED, check_target, result_counts, result_fragment
from .model import errors
from .reading.targets import IdPlace, Target
from .reading.yaml_source import Limits

if TYPE_CHECKING:
    from .run_setup import RunSetup

MAX_DEFAULT_JOBS = 4
FILES_PER_WORKER = 32
_FRAME = struct.Struct("<IBII")  # file index, kind (0 result, 1 errors, 2 skipped), lengths of the two payloads
_RESULT, _ERRORS, _SKIPPED = 0, 1, 2
# Workers write their frames in chunks of this size, into pipes that hold one.  One
# write per frame (about 14 KB) woke the parent once per file, and each of its reads
# asked for 1 MiB, which Python allocates whole: 0.05 s of the parent's CPU per 2,000
# files, taken from the cores the workers check on.
_CHUNK = 1 << 18


def _pipe() -> tuple[int, int]:
    """A pipe that holds one chunk where the platform lets us size it (Linux)."""
    read_end, write_end = os.pipe()
    try:
        import fcntl
        fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, _CHUNK)
    except (ImportError, AttributeError, OSError):  # elsewhere, or over the system's limit
        pass
    return read_end, write_end


def default_jobs() -> int:
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, MAX_DEFAULT_JOBS))


def can_fork() -> bool:
    """Forking is safe here: the platform has fork and this process runs one thread."""
    return hasattr(os, "fork") and threading.active_count() == 1


def check_in_workers(setup: RunSetup, targets: list[Target], as_of: datetime.date | None, limits: Limits,
                     jobs: int) -> Iterator[Any]:
    """The outcome of each target, in order: from workers as ``batch.check_target``
    gives it but with the result as JSON (``batch.result_fragment``) and its counts
    (``_as_fragment``); in this process, where forking is unsafe or not worth it, as
    ``check_target`` gives it."""
    workers = min(jobs, len(targets) // FILES_PER_WORKER)
    if workers < 2 or not can_fork():  # plain outcomes, as run_batch takes them from one process
        yield from (check_target(setup, target, as_of, limits) for target in targets)
        return
    gc.freeze()  # children then never write the parent's objects' GC headers (no copy-on-write)
    pipes = {}
    for worker in range(workers):
        read_end, write_end = _pipe()
        pid = os.fork()
        if pid == 0:  # the child: check its share, write it, and leave without cleanup
            os.close(read_end)
            code = _work(setup, targets, range(worker, len(targets), workers), as_of, limits, write_end)
            os._exit(code)
        os.close(write_end)
        pipes[read_end] = pid
    outcomes, stopped = _collect(pipes)
    left = len(targets) - len(outcomes)
    if left:  # said, not hidden: a worker that stops is a fault to report
        _warn(f"{stopped} of {workers} worker processes stopped early; the {left} files they left are checked "
              "in the main process")
    for index, target in enumerate(targets):
        if index not in outcomes:  # its worker died: check it here
            outcomes[index] = _as_fragment(check_target(setup, target, as_of, limits))
        yield outcomes.pop(index)


def _warn(message: str) -> None:
    sys.stderr.write(f"warning: {message}\n")
    sys.stderr.flush()


def _as_fragment(outcome: Any) -> Any:
    """A result as a worker sends it: JSON, where it gives its id, and its counts."""
    if isinstance(outcome, tuple):
        result, place = outcome
        return result_fragment(result), place, result_counts(result)
    return outcome


def _work(setup: RunSetup, targets: list[Target], indexes: range, as_of: datetime.date | None, limits: Limits,
          write_end: int) -> int:
    index = None
    try:
        with os.fdopen(write_end, "wb", buffering=_CHUNK) as out:
            for index in indexes:
                outcome = check_target(setup, targets[index], as_of, limits)
                if outcome is SKIPPED:
                    kind, payload, extra = _SKIPPED, b"", b""
                elif isinstance(outcome, list):
                    kind, payload, extra = _ERRORS, orjson.dumps([e.model_dump() for e in outcome]), b""
                else:
                    fragment, place, counts = _as_fragment(outcome)
                    kind, payload, extra = _RESULT, fragment, orjson.dumps([list(place), counts])
                out.write(_FRAME.pack(index, kind, len(payload), len(extra)) + payload + extra)
        return 0
    except BaseException as exc:  # noqa: BLE001 - the parent checks what this worker did not send
        where = f" at {targets[index].path}" if index is not None else ""
        _warn(f"a worker process stopped{where}: {type(exc).__name__}: {exc}")
        return 70


def _collect(pipes: dict[int, int]) -> tuple[dict[int, Any], int]:
    """Read every worker's pipe to its end; reap the workers.  The outcomes they sent,
    and how many stopped with a failure (an exit status other than 0)."""
    chunks: dict[int, list[bytes]] = {fd: [] for fd in pipes}
    with selectors.DefaultSelector() as selector:
        for fd in pipes:
            selector.register(fd, selectors.EVENT_READ)
        still_open = set(pipes)
        while still_open:
            for key, _ in selector.select():
                chunk = os.read(key.fd, _CHUNK)
                if chunk:
                    chunks[key.fd].append(chunk)
                else:  # the worker closed its end: it is done (or dead)
                    selector.unregister(key.fd)
                    os.close(key.fd)
                    still_open.discard(key.fd)
    outcomes: dict[int, Any] = {}
    stopped = 0
    for fd, pid in pipes.items():
        stopped += os.waitpid(pid, 0)[1] != 0
        outcomes.update(_frames(b"".join(chunks[fd])))
    return outcomes, stopped


def _frames(data: bytes) -> Iterator[tuple[int, Any]]:
    """The complete frames of one pipe (a worker that died mid-frame left a partial one)."""
    at = 0
    while at + _FRAME.size <= len(data):
        index, kind, length, extra_length = _FRAME.unpack_from(data, at)
        start = at + _FRAME.size
        middle, at = start + length, start + length + extra_length
        if at > len(data):
            return
        if kind == _SKIPPED:
            yield index, SKIPPED
        elif kind == _ERRORS:
            yield index, [errors.input_error(**e) for e in orjson.loads(data[start:middle])]
        else:
            place, counts = orjson.loads(data[middle:at])
            yield index, (data[start:middle], IdPlace(*place), counts)
