"""Where the time goes when a target is missed: cProfile, summed by package.

    python benchmarks/profiling.py batch [N]      # the API checking N generated proposals
    python benchmarks/profiling.py one-file       # one CLI run, imports included

A profiler inflates Python code more than C code, so read the shares, not the
seconds; run.py has the unprofiled numbers.  Functions are attributed to the package
their file belongs to (ca_advisor, pydantic, yaml, durable, click, the standard
library); "import machinery" is the time spent executing module bodies (class
creation included, which is where pydantic builds its validators).
"""

from __future__ import annotations

import cProfile
import pstats
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

GROUPS = (("ca_advisor", "ca-advisor"), ("pydantic", "pydantic"), ("/yaml/", "PyYAML"),
          ("_yaml", "PyYAML"), ("durable", "durable-rules"), ("click", "click"), ("json", "json (stdlib)"),
          ("importlib", "import machinery"), ("<frozen", "import machinery"), ("typing", "typing (stdlib)"))


def group_of(filename: str, name: str) -> str:
    for needle, group in GROUPS:
        if needle in filename or needle in name:
            return group
    if filename == "~":
        return "builtins (C)"
    return "other stdlib"


def summarise(stats: pstats.Stats, top: int = 15) -> str:
    by_group: dict[str, float] = defaultdict(float)
    rows = []
    for (filename, line, name), (_, calls, tottime, cumtime, _) in stats.stats.items():
        by_group[group_of(filename, name)] += tottime
        rows.append((tottime, calls, cumtime, f"{Path(filename).name}:{line}({name})"))
    total = sum(by_group.values())
    out = ["own time by package:"]
    out += [f"  {group:18} {seconds:7.3f} s  {seconds / total:6.1%}"
            for group, seconds in sorted(by_group.items(), key=lambda kv: -kv[1])]
    out += ["", f"top {top} functions by own time:"]
    out += [f"  {tottime:7.3f} s  {calls:7} calls  {where}" for tottime, calls, _, where in sorted(rows)[::-1][:top]]
    return "\n".join(out)


def batch(n: int) -> str:
    import generate

    from ca_advisor.api import check_paths, get_checker
    from ca_advisor.output import FORMATS
    with tempfile.TemporaryDirectory() as tmp:
        files = generate.write_proposals(Path(tmp), n)
        get_checker()
        profiler = cProfile.Profile()
        profiler.enable()
        FORMATS["json"](check_paths(files))
        profiler.disable()
    return summarise(pstats.Stats(profiler))


def one_file() -> str:
    import generate
    with tempfile.TemporaryDirectory() as tmp:
        path = generate.write_proposals(Path(tmp) / "p", 1)[0]
        out = Path(tmp) / "one.prof"
        subprocess.run([sys.executable, "-m", "cProfile", "-o", str(out), str(HERE / "stages.py"),
                        str(Path(tmp) / "t.json"), "check", str(path), "--fail-on", "never"],
                       check=True, stdout=subprocess.DEVNULL)
        return summarise(pstats.Stats(str(out)))


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "batch"
    print(batch(int(sys.argv[2]) if len(sys.argv) > 2 else 300) if what == "batch" else one_file())
