"""ca-advisor side by side with the parse floor and a Rego peer, in one interleaved run.

    python benchmarks/run.py                 # N=2,000 proposals, 10,000-check memory run
    python benchmarks/run.py --quick         # N=200, 2,000 checks, 5 rounds: a smoke run
    python benchmarks/run.py --write         # also rewrite benchmarks/RESULTS.md

(a) side by side, whole processes, interleaved round by round (so load from other
    work falls on all of them alike): the parse floor (``peers/parse_floor.py``: read
    + ``yaml.load`` with PyYAML's C loader), the Rego peer (``peers/rego/check.py``:
    five rules on regorus; when the peers directory and its Python are there) and
    ``ca-advisor check --format json``, one process (``-j 1``) and with the default
    parallelism, on N generated files and on one file;
(b) where ca-advisor's time goes: the same batch with each stage timed (stages.py),
    in a fresh CLI process and through the Python API;
(c) the one-file run beside the interpreter and the libraries it imports, and without
    a kept check plan (engines/plan_cache.py: every command runs with bytecode and
    plans kept in the run's own directory, warmed first);
(d) rule-load time for the built-in rules and for 10x and 100x as many generated rules;
(e) peak memory, and resident memory sampled over 10,000 checks in one process.

Times are medians of ``--repeat`` rounds (at least 5; wall clock); every comparison
is printed as a ratio.  The machine's load average is recorded before and after.
Nothing here asserts a target: see README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
import stages  # noqa: E402

# ``import pydantic`` alone defers most of pydantic; a model class needs BaseModel.
IMPORT_FLOOR = "from pydantic import BaseModel; import yaml, click"
# What the quick route imports of other projects' code (cli/quick_check.py: no pydantic).
QUICK_LIBS = "import click, yaml, orjson, durable_rules_engine"
ROOT = HERE.parent
# Subprocesses run as after a normal install: with bytecode cached (here under a
# private prefix, never in the repository).  PYTHONDONTWRITEBYTECODE, if set, would
# make every run compile ca-advisor's modules from source; one_file() also measures that.
ENV: dict[str, str] = dict(os.environ)
TARGETS = {"batch": 2.5, "batch_parallel": 2.0, "one_file_seconds": 0.150, "one_file_vs_rego": 2.5}


def find_peers(given: Path | None) -> Path | None:
    """The peers directory: --peers, else ``../shared/peers`` beside the clone (or
    beside the directory holding the clone, for a worktree)."""
    candidates = [given] if given else [ROOT.parent / "shared" / "peers", ROOT.parent.parent / "shared" / "peers"]
    return next((c for c in candidates if c and (c / "parse_floor.py").is_file()), None)


def find_peer_python(given: Path | None, peers: Path | None) -> Path | None:
    """The Python of the peers' own virtual environment (regorus is installed there,
    not in ca-advisor's): --peer-python, else ``.peers-venv`` in the clone or beside it."""
    candidates = [given] if given else [ROOT / ".peers-venv" / "bin" / "python",
                                        ROOT.parent / ".peers-venv" / "bin" / "python"]
    return next((c for c in candidates if c and c.exists()), None)


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def side_by_side(commands: dict[str, list[str]], rounds: int, cwd: Path) -> dict[str, dict[str, float]]:
    """Each command once per round, in turn (interleaved), whole process; medians of
    the wall clock and of the CPU time (user + system, worker processes included).
    On a shared virtual machine the hypervisor may take a core away for a while
    (steal time): wall clock then counts time nobody ran, CPU time does not."""
    wall: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, args in commands.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=ENV, cwd=cwd)
            wall[name].append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[name].append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return {"wall": {name: statistics.median(v) for name, v in wall.items()},
            "cpu": {name: statistics.median(v) for name, v in cpu.items()}}


def peers_and_ours(target: Path, peers: Path | None, peer_python: Path | None, work: Path) -> dict[str, list[str]]:
    commands = {}
    if peers is not None:
        commands["floor"] = [sys.executable, str(peers / "parse_floor.py"), str(target)]
        if peer_python is not None:
            commands["rego"] = [str(peer_python), str(peers / "rego" / "check.py"), str(target)]
    else:  # the same floor, written here
        commands["floor"] = [sys.executable, "-c", FLOOR_SCRIPT, str(target)]
    # The report to standard output (discarded), as the floor and the peer write theirs;
    # and once more to a file with --output, which writes atomically and syncs the
    # file to disk (a 28 MB report for 2,000 files): the disk's time, shown apart.
    ours = [ca_advisor_command(), "check", str(target), "--format", "json", "--fail-on", "never"]
    commands["ca-advisor -j 1"] = [*ours, "-j", "1"]
    commands["ca-advisor (default -j)"] = ours
    commands["ca-advisor --output"] = [*ours, "--output", str(work / "side.json")]
    return commands


FLOOR_SCRIPT = """
import sys, yaml
from pathlib import Path
target = Path(sys.argv[1])
files = sorted(target.rglob("*.yaml")) if target.is_dir() else [target]
for f in files:
    with open(f, "rb") as handle:
        yaml.load(handle.read(), Loader=yaml.CSafeLoader)
"""


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run_process(args: list[str], repeat: int, env: dict | None = None, **kwargs) -> float:
    return median_time(lambda: subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                              check=False, env=env or ENV, **kwargs), repeat)


def use_caches(work: Path, example: Path) -> None:
    """Let subprocesses write and read bytecode, and keep check plans
    (engines/plan_cache.py), under ``work``; warm both, as any run after the first
    finds them."""
    ENV.pop("PYTHONDONTWRITEBYTECODE", None)
    ENV["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    ENV["CA_ADVISOR_CACHE_DIR"] = str(work / "plans")
    subprocess.run([sys.executable, "-c", "import ca_advisor.cli, pydantic, yaml, click"], env=ENV, check=True)
    subprocess.run([ca_advisor_command(), "check", str(example), "--fail-on", "never"], env=ENV, check=True,
                   stdout=subprocess.DEVNULL)


# --- (a) and (b): batch -------------------------------------------------------------------

def parse_floor(files: list[Path], repeat: int) -> float:
    import yaml

    def parse_all():
        for f in files:
            with open(f, "rb") as handle:
                yaml.load(handle.read(), Loader=yaml.CSafeLoader)

    return median_time(parse_all, repeat)


def api_batch(files: list[Path], repeat: int) -> dict:
    """check_paths + JSON rendering in this process, rule book already compiled."""
    timed = stages.install()
    from ca_advisor.api import check_paths, get_checker
    from ca_advisor.output import FORMATS
    get_checker()
    totals, splits = [], []
    for _ in range(repeat):
        timed.seconds.clear()
        start = time.perf_counter()
        report = check_paths(files)
        FORMATS["json"](report)
        totals.append(time.perf_counter() - start)
        splits.append(dict(timed.seconds))
    best = totals.index(statistics.median_low(totals))
    counts = {"findings": sum(len(r.findings) for r in report.results), "results": len(report.results),
              "errors": len(report.errors)}
    del report
    return {"total": totals[best], "stages": splits[best], **counts}


def cli_batch(directory: Path, repeat: int, work: Path) -> dict:
    """The CLI in a fresh process, one process (-j 1), JSON to standard output
    (discarded, as in the side-by-side run), each stage timed (stages.py); the run
    with the median total is kept."""
    runs = []
    for _ in range(repeat):
        times = work / "times.json"
        subprocess.run([sys.executable, str(HERE / "stages.py"), str(times), "check", str(directory),
                        "--format", "json", "--fail-on", "never", "-j", "1"],
                       check=False, cwd=work, env=ENV, stdout=subprocess.DEVNULL)
        runs.append(json.loads(times.read_text()))
    runs.sort(key=lambda r: r["total"])
    return runs[len(runs) // 2]


def ca_advisor_command() -> str:
    script = Path(sys.executable).parent / "ca-advisor"
    return str(script) if script.exists() else shutil.which("ca-advisor") or "ca-advisor"


# --- (c) one file ---------------------------------------------------------------------------

def one_file(path: Path, repeat: int, work: Path) -> dict:
    """The interpreter and import floors, the run without cached bytecode and the run
    without a kept plan, and the one-file CLI run under stages.py (its peak memory)."""
    floor = run_process([sys.executable, "-c", IMPORT_FLOOR], repeat)
    bare = run_process([sys.executable, "-c", "pass"], repeat)
    libs = run_process([sys.executable, "-c", QUICK_LIBS], repeat)
    # As this environment runs it: the standard library and site-packages from their
    # installed bytecode, ca-advisor's own modules compiled from source every time.
    # The run's own plans (ENV), as every other row: only the bytecode differs.
    no_bytecode = {k: v for k, v in ENV.items() if k != "PYTHONPYCACHEPREFIX"}
    no_bytecode["PYTHONDONTWRITEBYTECODE"] = "1"
    cli_from_source = run_process([ca_advisor_command(), "check", str(path), "--fail-on", "never"], repeat,
                                  env=no_bytecode, cwd=work)
    # The first run with these rule files: no check plan kept yet, so the rule book is loaded.
    cli_no_plan = run_process([ca_advisor_command(), "check", str(path), "--fail-on", "never"], repeat,
                              env={**ENV, "CA_ADVISOR_CACHE_DIR": "off"}, cwd=work)
    runs = []
    for _ in range(repeat):
        times = work / "one.json"
        subprocess.run([sys.executable, str(HERE / "stages.py"), str(times), "check", str(path),
                        "--fail-on", "never"], check=False, cwd=work, stdout=subprocess.DEVNULL, env=ENV)
        runs.append(json.loads(times.read_text()))
    runs.sort(key=lambda r: r["total"])
    return {"import_floor": floor, "interpreter": bare, "libs": libs, "cli_from_source": cli_from_source,
            "cli_no_plan": cli_no_plan,
            "split": runs[len(runs) // 2]}


# --- (d) rule loading -------------------------------------------------------------------------

def rule_loading(work: Path, repeat: int) -> list[dict]:
    """Built-in rules, then 10x and 100x as many: the built-in ones plus generated
    rules (generate.rule_text: varied fact types, fields, operators and values)."""
    from ca_advisor.engines import DURABLE, build_engine
    from ca_advisor.model.errors import InputErrors
    from ca_advisor.reading.builtin import builtin_profiles_dir, builtin_rules_dir
    from ca_advisor.rulebook.load import load_rulebook, rule_files

    builtin = len(rule_files(builtin_rules_dir()))
    rows = []
    for factor in (1, 10, 100):
        directory = work / f"rules-x{factor}"
        generated = generate.write_rules(directory, builtin * (factor - 1), seed=factor)
        dirs = [builtin_rules_dir()] + ([directory] if generated else [])
        books = []
        load = median_time(lambda: books.append(load_rulebook(dirs, [builtin_profiles_dir()])), repeat)
        book = books[-1]
        try:
            # As the checker builds it: the capacity model first, then durable-rules.
            compile_ = median_time(lambda: build_engine(book.rules, DURABLE), repeat)
            refused = None
        except InputErrors as exc:  # more than durable-rules' fixed-size network holds
            start = time.perf_counter()
            with contextlib.suppress(InputErrors):
                build_engine(book.rules, DURABLE)
            compile_, refused = time.perf_counter() - start, exc.errors[0].message
        rows.append({"factor": factor, "rules": len(book.rules), "load": load, "compile": compile_,
                     "refused": refused})
    return rows


# --- (e) memory -------------------------------------------------------------------------------

MEMORY_SCRIPT = """
import gc, json, os, sys, time
sys.path.insert(0, {here!r})
import generate, stages
from ca_advisor.api import get_checker
from ca_advisor.reading.proposals import read_proposal_text
checker = get_checker()
loaded = [read_proposal_text(t, file=f"g{{n}}.yaml") for n, t in enumerate(generate.proposal_texts(200, seed=5))]
with open({alone!r}, encoding="utf-8") as f:
    alone = json.load(f)
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2 ** 20
samples, mismatches, seconds = [(0, rss())], 0, 0.0
for i in range({checks}):
    start = time.perf_counter()
    result = checker.check(loaded[i % len(loaded)])
    seconds += time.perf_counter() - start
    mismatches += result.model_dump_json() != alone[i % len(loaded)]
    if (i + 1) % {every} == 0:
        gc.collect()
        samples.append((i + 1, rss()))
print(json.dumps({{"samples": samples, "seconds": seconds, "peak": stages.peak_mib(), "mismatches": mismatches}}))
"""


# Each of the 200 proposals checked alone, on a fresh engine, in a process of its own
# (200 fresh engines would add their networks, about 1 MiB each until freed, to
# the process whose memory is measured).
ALONE_SCRIPT = """
import json, sys
sys.path.insert(0, {here!r})
import generate
from ca_advisor.api import get_checker
from ca_advisor.engines.checker import Checker
from ca_advisor.reading.proposals import read_proposal_text
book = get_checker().book
texts = generate.proposal_texts(200, seed=5)
alone = [Checker(book).check(read_proposal_text(t, file=f"g{{n}}.yaml")).model_dump_json() for n, t in enumerate(texts)]
with open({alone!r}, "w", encoding="utf-8") as f:
    json.dump(alone, f)
"""


def memory(checks: int, work: Path) -> dict:
    every = max(checks // 10, 1)
    alone = str(work / "alone.json")
    subprocess.run([sys.executable, "-c", ALONE_SCRIPT.format(here=str(HERE), alone=alone)], check=True, env=ENV)
    out = subprocess.run([sys.executable, "-c", MEMORY_SCRIPT.format(here=str(HERE), checks=checks, every=every,
                                                                     alone=alone)],
                         capture_output=True, text=True, check=True, env=ENV)
    return json.loads(out.stdout)


# --- report ----------------------------------------------------------------------------------

def machine() -> dict:
    import pydantic
    import pydantic_core
    import yaml
    cpu = platform.processor() or platform.machine()
    if Path("/proc/cpuinfo").exists():
        names = [line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                 if line.startswith("model name")]
        cpu = names[0] if names else cpu
    from importlib.metadata import version
    return {
        "date": datetime.date.today().isoformat(), "platform": platform.platform(), "cpu": cpu,
        "cores": os.cpu_count(), "python": platform.python_version(),
        "pydantic": pydantic.VERSION, "pydantic-core": pydantic_core.__version__,
        "PyYAML": yaml.__version__, "libyaml": _libyaml_version(),
        "durable-rules": version("durable_rules"), "click": version("click"), "orjson": version("orjson"),
        "ca-advisor": version("ca-advisor"),
    }


def _libyaml_version() -> str:
    try:
        from yaml import _yaml
        return _yaml.get_version_string()
    except ImportError:
        return "not available (pure-Python loader)"


def cpu_table(res: dict, key: str) -> list[str]:
    """The same commands' CPU time (user + system, workers included): the work done,
    whatever the hypervisor took away (steal time) while they ran."""
    cpu = res.get("side_cpu", {}).get(key)
    if not cpu:
        return []
    lines = ["", "CPU time of the same runs (user + system, worker processes included; medians):", "",
             "| | CPU seconds | vs floor |", "|---|---:|---:|"]
    lines += [f"| {_label(name)} | {seconds:.3f} | {ratio(seconds, cpu['floor'])} |" for name, seconds in cpu.items()]
    return lines


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "n/a"


def report(res: dict) -> str:
    m, n = res["machine"], res["n"]
    batch, single = res["side"]["batch"], res["side"]["one"]
    floor, one_floor = batch["floor"], single["floor"]
    api, cli, one, mem = res["api"], res["cli"], res["one_file"], res["memory"]
    lines = [f"# Benchmark results ({m['date']})", "",
             f"Machine: {m['cpu']}, {m['cores']} cores, {m['platform']}.  ",
             f"Versions: Python {m['python']}, pydantic {m['pydantic']} (core {m['pydantic-core']}), "
             f"PyYAML {m['PyYAML']} (libyaml {m['libyaml']}), durable-rules {m['durable-rules']}, "
             f"click {m['click']}, orjson {m['orjson']}, ca-advisor {m['ca-advisor']}.  ",
             f"Command: `python benchmarks/run.py{' --quick' if res['quick'] else ''}` "
             f"(N = {n:,} generated proposals, seed {res['seed']}; medians of {res['repeat']} interleaved rounds).  ",
             f"Load average (1, 5, 15 min) before: {res['load_before']}; after: {res['load_after']} "
             f"(other work on this machine shares its {m['cores']} cores; the rounds are interleaved so that it "
             "falls on every command alike, but ratios still vary by about ±15% from run to run).  ",
             f"Default parallelism of `check`: {res['default_jobs']} worker processes (`-j 0`: one per CPU, "
             "at most 4, one per 32 files at most).", "",
             f"## Side by side: {n:,} files, whole processes", "",
             "| | seconds | per file | vs floor |", "|---|---:|---:|---:|"]
    for name, seconds in batch.items():
        lines.append(f"| {_label(name)} | {seconds:.3f} | {seconds / n * 1000:.2f} ms | {ratio(seconds, floor)} |")
    lines += cpu_table(res, "batch")
    lines += ["", "## Side by side: one file, whole processes", "",
              "| | seconds | vs floor | vs Rego peer |", "|---|---:|---:|---:|"]
    for name, seconds in single.items():
        lines.append(f"| {_label(name)} | {seconds:.3f} | {ratio(seconds, one_floor)} | "
                     f"{ratio(seconds, single['rego']) if 'rego' in single else 'n/a'} |")
    lines += [f"| `python -c pass` | {one['interpreter']:.3f} | {ratio(one['interpreter'], one_floor)} | |",
              f"| `python -c \"{IMPORT_FLOOR}\"` | {one['import_floor']:.3f} | "
              f"{ratio(one['import_floor'], one_floor)} | |",
              f"| ca-advisor, text output, without cached bytecode (`PYTHONDONTWRITEBYTECODE=1`) | "
              f"{one['cli_from_source']:.3f} | {ratio(one['cli_from_source'], one_floor)} | |",
              f"| ca-advisor, text output, without a kept check plan (`CA_ADVISOR_CACHE_DIR=off`: the rule book "
              f"loaded) | {one['cli_no_plan']:.3f} | {ratio(one['cli_no_plan'], one_floor)} | |"]
    lines += cpu_table(res, "one") + ["",
              f"Of the one-file run ({single['ca-advisor -j 1']:.3f} s): the interpreter {one['interpreter']:.3f} s; "
              f"with the libraries it imports (`{QUICK_LIBS}`) {one['libs']:.3f} s; ca-advisor's own modules, "
              "the kept plan, reading, checking and writing the rest "
              f"({single['ca-advisor -j 1'] - one['libs']:.3f} s).", "",
              "## Where the batch's time goes", "",
              f"`ca-advisor check DIR --format json -j 1` in a fresh process under stages.py ({cli['total']:.3f} s "
              f"in all) and `check_paths` + JSON through the API in one process ({api['total']:.3f} s; "
              f"{api['findings']:,} findings in {api['results']:,} proposals, {api['errors']} input errors).  "
              "Seconds; each stage excludes the stages inside it; ratios to the floor's whole process:", "",
              "| stage | CLI | vs floor | API | vs floor |", "|---|---:|---:|---:|---:|"]
    names = ["parse", "validate", "facts", "engine", "findings", "models", "output", "rules"]
    cli_stages = dict(cli["stages"])
    for name in names:
        c, a = cli_stages.get(name, 0.0), api["stages"].get(name, 0.0)
        lines.append(f"| {name} | {c:.3f} | {ratio(c, floor)} | {a:.3f} | {ratio(a, floor)} |")
    other_cli = cli["total"] - sum(cli_stages.values()) - cli["import"]
    other_api = api["total"] - sum(api["stages"].values())
    lines += [f"| other (expanding paths, exit status, garbage collection) | {other_cli:.3f} | "
              f"{ratio(other_cli, floor)} | {other_api:.3f} | {ratio(other_api, floor)} |",
              f"| imports (CLI process) | {cli['import']:.3f} | {ratio(cli['import'], floor)} | | |", "",
              "The API builds the Report's pydantic models (`models`) and writes JSON with pydantic; the CLI's "
              "JSON is written from plain data (batch.py), byte for byte the same.", "",
              "## Rule loading", "",
              "| rules | load (YAML, model, conditions) | compile (durable-rules) | total | per rule | "
              "growth from the row above |",
              "|---:|---:|---:|---:|---:|---|"]
    refusals, previous = [], None
    for row in res["rules"]:
        total = row["load"] + row["compile"]
        compiled = f"{row['compile']:.3f}" if not row["refused"] else f"refused after {row['compile']:.3f}"
        growth = (f"{total / (previous['load'] + previous['compile']):.1f}x the time for "
                  f"{row['rules'] / previous['rules']:.0f}x the rules" if previous else "")
        lines.append(f"| {row['rules']} | {row['load']:.3f} | {compiled} | {total:.3f} | "
                     f"{total / row['rules'] * 1000:.2f} ms | {growth} |")
        previous = row
        if row["refused"]:
            refusals.append(f"At {row['rules']} rules ca-advisor refuses the rule book: \"{row['refused']}\"")
    lines += [""] + refusals
    samples = mem["samples"]
    first_full = samples[1][1]
    lines += ["", "## Memory", "",
              f"Peak resident memory (VmHWM) of the CLI batch run on {n:,} files (`-j 1`): {cli['peak_mib']:.1f} MiB; "
              f"of the one-file CLI run: {one['split']['peak_mib']:.1f} MiB.  ",
              f"{res['checks']:,} checks of 200 generated proposals in one process ({mem['seconds']:.1f} s in "
              f"the checks, {mem['seconds'] / res['checks'] * 1000:.2f} ms each); {mem.get('mismatches', '?')} of "
              "them differ from the report the same proposal gets alone, on a fresh engine.  Resident memory "
              f"after every {samples[1][0]:,}:", "",
              "| checks | RSS MiB | growth since the first sample after warm-up |", "|---:|---:|---:|"]
    for count, rss in samples:
        lines.append(f"| {count:,} | {rss:.1f} | {rss - first_full:+.2f} |")
    lines += ["", f"Peak of that process: {mem['peak']:.1f} MiB.", ""]
    lines += verdicts(res)
    return "\n".join(lines)


def _label(name: str) -> str:
    return {"floor": "parse floor: read + `yaml.load(CSafeLoader)`",
            "rego": "Rego peer: five rules on regorus",
            "ca-advisor -j 1": "`ca-advisor check --format json -j 1` (one process)",
            "ca-advisor (default -j)": "`ca-advisor check --format json` (default parallelism)",
            "ca-advisor --output": "the same, `--output FILE` (written atomically: synced to disk, renamed)",
            }.get(name, name)


def verdicts(res: dict) -> list[str]:
    """Each target, met or missed, from the numbers above (what bounds the missed
    ones: README.md, "Performance", and the notes below)."""
    batch, single = res["side"]["batch"], res["side"]["one"]
    one_process = batch["ca-advisor -j 1"] / batch["floor"]
    parallel = batch["ca-advisor (default -j)"] / batch["floor"]
    one_seconds = single["ca-advisor -j 1"]
    vs_rego = one_seconds / single["rego"] if "rego" in single else None
    rows = res["rules"]
    per_rule = [(r["load"] + r["compile"]) / r["rules"] for r in rows]
    linear = per_rule[-1] <= 1.5 * per_rule[1] if len(per_rule) > 2 else True
    samples = res["memory"]["samples"]
    growth = samples[-1][1] - samples[1][1]
    met = {True: "met", False: "**missed**"}
    rego_line = (f"* one file <= {TARGETS['one_file_vs_rego']}x the Rego peer's one file: {vs_rego:.2f}x: "
                 f"{met[vs_rego <= TARGETS['one_file_vs_rego']]}" if vs_rego is not None
                 else "* one file vs the Rego peer: not measured (peers or their Python not found)")
    return ["## Targets", "",
            f"* batch, one process <= {TARGETS['batch']}x the parse floor: {one_process:.2f}x: "
            f"{met[one_process <= TARGETS['batch']]}",
            f"* batch, default parallelism ({res['default_jobs']} workers) <= {TARGETS['batch_parallel']}x: "
            f"{parallel:.2f}x: {met[parallel <= TARGETS['batch_parallel']]}",
            f"* one file <= {TARGETS['one_file_seconds'] * 1000:.0f} ms: {one_seconds * 1000:.0f} ms: "
            f"{met[one_seconds <= TARGETS['one_file_seconds']]}",
            rego_line,
            f"* memory flat over {res['checks']:,} checks: {growth:+.2f} MiB after warm-up: {met[abs(growth) < 2]}",
            f"* {res['n']:,} files in one run peak under 200 MB: {res['cli']['peak_mib']:.1f} MiB: "
            f"{met[res['cli']['peak_mib'] < 200 / 1.048576]}",
            f"* rule loading linear in rules: {per_rule[1] * 1000:.2f} ms per rule at {rows[1]['rules']} rules, "
            f"{per_rule[-1] * 1000:.2f} ms at {rows[-1]['rules']}: {met[linear]}",
            f"* {res['checks']:,} checks in one process give what each gives alone: "
            f"{res['memory'].get('mismatches', '?')} differ: {met[res['memory'].get('mismatches') == 0]}",
            ""] + bounds(res)


def bounds(res: dict) -> list[str]:
    """What bounds each target, from this run's own stage split (README.md,
    "Performance", says what would change it)."""
    floor, n = res["side"]["batch"]["floor"], res["n"]
    cli, one = res["cli"], res["one_file"]
    st = cli["stages"]
    per_file = {k: st.get(k, 0.0) / n * 1000 for k in ("parse", "validate", "facts", "engine", "findings", "output")}
    fixed = cli["import"] + st.get("rules", 0.0)
    other = cli["total"] - sum(st.values()) - cli["import"]
    return ["## What bounds them", "",
            f"* Batch, one process: against the floor's {floor / n * 1000:.2f} ms per file (its whole process), "
            f"ca-advisor spends per file: reading and parsing {per_file['parse']:.2f} ms (libyaml's composer, as "
            f"in the floor, plus building plain data), validating {per_file['validate']:.2f} ms (the plain reader and "
            f"the cross-field checks), facts {per_file['facts']:.2f} ms, durable-rules {per_file['engine']:.2f} ms "
            f"(JSON in, C matching, JSON out), findings {per_file['findings']:.2f} ms, writing JSON "
            f"{per_file['output']:.2f} ms; plus {other:.2f} s in the run for listing the files, the proposal "
            f"ids and the exit status, and {fixed:.2f} s of start-up (imports, and the check plan kept from an "
            "earlier run) that the floor "
            "does not have.  Parsing and durable-rules alone come to "
            f"{(per_file['parse'] + per_file['engine']) * n / 1000 / floor:.2f}x the floor's whole run.",
            "* Batch, default parallelism: the workers divide the per-file work, not the start-up, the parent's "
            "file listing or the writing of the report; each worker checks a file more slowly than one process "
            "does alone (the two cores share caches and memory), and on this machine the hypervisor takes a core "
            f"away at times (load average {res['load_before']} before the run; compare the CPU times).",
            f"* One file (a valid proposal, no config: the quick route, cli/quick_check.py, without pydantic): the "
            f"interpreter "
            f"and the libraries it imports take {one['libs']:.3f} s of {res['side']['one']['ca-advisor -j 1']:.3f} s"
            + (f" ({one['libs'] / res['side']['one']['rego']:.2f}x the Rego peer's whole run)"
               if "rego" in res["side"]["one"] else "")
            + f".  With pydantic on the path (`{IMPORT_FLOOR}` alone: {one['import_floor']:.3f} s) neither "
            f"one-file target could be met; without a kept plan the rule book is loaded "
            f"({one['cli_no_plan']:.3f} s in all).",
            f"* Memory of {n:,} files in one run: the plain results, then the report's JSON, written in one call "
            "when nothing in it needs making inert.",
            "", "What would change each: README.md, \"Performance\".", ""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=2000, help="proposals in the batch (default 2,000)")
    parser.add_argument("--checks", type=int, default=10_000, help="checks in the memory run (default 10,000)")
    parser.add_argument("--repeat", type=int, default=5, help="rounds per measurement (at least 5); the median is kept")
    parser.add_argument("--seed", type=int, default=2013)
    parser.add_argument("--peers", type=Path, help="the peers directory (default: ../shared/peers beside the clone)")
    parser.add_argument("--peer-python", type=Path, help="the Python with regorus installed (default: .peers-venv)")
    parser.add_argument("--quick", action="store_true", help="N=200, 2,000 checks, 5 rounds")
    parser.add_argument("--write", action="store_true", help="write benchmarks/RESULTS.md")
    parser.add_argument("--json", type=Path, help="also write the raw numbers here")
    parser.add_argument("--from-json", type=Path, help="only print (and --write) the report of saved numbers")
    args = parser.parse_args()
    if args.from_json:
        text = report(json.loads(args.from_json.read_text(encoding="utf-8")))
        print(text)
        if args.write:
            write_results(text)
        return
    if args.quick:
        args.n, args.checks = 200, 2000
    args.repeat = max(args.repeat, 5)
    peers = find_peers(args.peers)
    peer_python = find_peer_python(args.peer_python, peers)
    from ca_advisor.fork_pool import default_jobs
    with tempfile.TemporaryDirectory(prefix="ca-advisor-bench-") as tmp:
        work = Path(tmp)
        files = generate.write_proposals(work / "proposals", args.n, args.seed)
        use_caches(work, files[0])
        res = {"n": args.n, "seed": args.seed, "repeat": args.repeat, "quick": args.quick, "checks": args.checks,
               "machine": machine(), "load_before": load_average(), "default_jobs": default_jobs(),
               "peers": str(peers) if peers else None, "side": {}}
        res["side_cpu"] = {}
        for label, key, target, rounds in (("side by side, batch", "batch", work / "proposals", args.repeat),
                                           ("side by side, one file", "one", files[0], max(args.repeat, 7))):
            step(label, res["side"], key,
                 lambda target=target, rounds=rounds: side_by_side(peers_and_ours(target, peers, peer_python, work),
                                                                   rounds, work))
            res["side"][key], res["side_cpu"][key] = res["side"][key]["wall"], res["side"][key]["cpu"]
        step("CLI stages", res, "cli", lambda: cli_batch(work / "proposals", min(args.repeat, 5), work))
        step("API batch", res, "api", lambda: api_batch(files, min(args.repeat, 5)))
        step("one file split", res, "one_file", lambda: one_file(files[0], max(args.repeat, 7), work))
        step("rule loading", res, "rules", lambda: rule_loading(work, 3))
        step(f"{args.checks:,} checks", res, "memory", lambda: memory(args.checks, work))
        res["load_after"] = load_average()
    text = report(res)
    print(text)
    if args.write:
        write_results(text)
    if args.json:
        args.json.write_text(json.dumps(res, indent=2), encoding="utf-8")


def write_results(text: str) -> None:
    """RESULTS.md with this run, keeping the sections other benchmarks record there
    (``## Portfolio ...``, benchmarks/portfolio.py)."""
    path = HERE / "RESULTS.md"
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    kept = old[old.index("\n## Portfolio"):] if "\n## Portfolio" in old else ""
    path.write_text(text.rstrip("\n") + "\n" + kept, encoding="utf-8")


def step(label: str, res: dict, key: str, fn) -> None:
    start = time.perf_counter()
    res[key] = fn()
    print(f"  {label}: {time.perf_counter() - start:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
