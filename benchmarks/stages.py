"""Time the stages of a check by wrapping the functions that do them.

Why wrappers rather than a profiler: a profiler slows Python code several times and
C code not at all, which distorts a split between the YAML reader (Python), pydantic
(Rust) and durable-rules (C).  A wrapper costs well under a microsecond per call, and
the stages are few per file:

* ``parse``    reading the file and building data with positions (yaml_source);
* ``validate`` the plain reader (the model for a file it does not take) and the cross-field rules;
* ``facts``    turning a proposal into facts (facts.py);
* ``engine``   durable-rules: asserting the facts and running the actions;
* ``findings`` making findings from what fired (checker.py, outside the engine);
* ``models``   building the Report's pydantic models from plain results (not for JSON);
* ``output``   rendering the report (text, JSON...);
* ``rules``    loading and compiling the rule book (cached after the first call), or the kept plan.

Used in-process by run.py, and as a driver for the CLI in a subprocess:

    python benchmarks/stages.py TIMES.json check DIR --format json
"""

from __future__ import annotations

import functools
import json
import sys
import time
from collections import defaultdict


class Stages:
    """Seconds and calls per stage; nested stages are subtracted from their parent."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self._stack: list[str] = []

    def wrap(self, stage: str, func):
        @functools.wraps(func)
        def timed(*args, **kwargs):
            self._stack.append(stage)
            start = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                spent = time.perf_counter() - start
                self._stack.pop()
                self.seconds[stage] += spent
                self.calls[stage] += 1
                if self._stack:
                    self.seconds[self._stack[-1]] -= spent
        return timed

    def as_dict(self) -> dict[str, float]:
        return {k: round(v, 6) for k, v in self.seconds.items()}


def install(api: bool = True) -> Stages:
    """Wrap the stage functions where the check path looks them up.  ``api``: also
    the API's rule loading (``get_checker``), which imports the models; False for the
    command line, whose quick route never imports them (its rule book comes from
    the kept plan, timed as ``rules`` too)."""
    from ca_advisor import batch, output
    from ca_advisor.cli import quick_check
    from ca_advisor.engines import checker
    from ca_advisor.engines import durable as engine
    from ca_advisor.reading import proposals as reading

    stages = Stages()
    if api:
        from ca_advisor import api as api_module
        api_module.get_checker = stages.wrap("rules", api_module.get_checker)
    quick_check.kept_plan_setup = stages.wrap("rules", quick_check.kept_plan_setup)
    reading.read_bytes = stages.wrap("parse", reading.read_bytes)
    reading.parse_yaml = stages.wrap("parse", reading.parse_yaml)
    reading._validated = stages.wrap("validate", reading._validated)
    checker.Checker.check_data = stages.wrap("findings", checker.Checker.check_data)
    checker.build_facts = stages.wrap("facts", checker.build_facts)
    engine.DurableEngine.run = stages.wrap("engine", engine.DurableEngine.run)
    batch.PlainReport.to_report = stages.wrap("models", batch.PlainReport.to_report)
    batch.PlainReport.to_json_bytes = stages.wrap("output", batch.PlainReport.to_json_bytes)
    renderer = output._Formats.__getitem__
    output._Formats.__getitem__ = lambda self, name: stages.wrap("output", renderer(self, name))
    return stages


def _cli(times_file: str, args: list[str]) -> None:
    """Run the CLI with the stages timed; write the times (and the total) to a file."""
    start = time.perf_counter()
    stages = install(api=False)
    from ca_advisor.cli import main
    imported = time.perf_counter()
    code = 0
    try:
        main(args, standalone_mode=False)
    except SystemExit as exc:
        code = exc.code or 0
    finally:
        end = time.perf_counter()
        with open(times_file, "w", encoding="utf-8") as handle:
            json.dump({"stages": stages.as_dict(), "import": imported - start, "total": end - start,
                       "exit": code, "peak_mib": peak_mib()}, handle)


def peak_mib() -> float | None:
    """This process's peak resident memory (VmHWM, which, unlike ru_maxrss, does not
    carry over the parent's peak through fork and exec)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


if __name__ == "__main__":
    _cli(sys.argv[1], sys.argv[2:])
