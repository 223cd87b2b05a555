"""ca-advisor against the floors it cannot beat, in one run, side by side.

    python benchmarks/run.py                 # N=500 proposals, 10,000-check memory run
    python benchmarks/run.py --quick         # N=100, 2,000 checks: a smoke run
    python benchmarks/run.py --write         # also rewrite benchmarks/RESULTS.md

(a) floor: read + parse the N files with PyYAML's C loader;
(b) batch check of the same files through the Python API and through the CLI, split
    into parse, validate, facts, engine, findings and output (stages.py);
(c) a one-file CLI check against the bare import floor
    (``python -c "import pydantic, yaml, click"``);
(d) rule-load time for the built-in rules and for 10x and 100x as many generated rules;
(e) peak memory, and resident memory sampled over 10,000 checks in one process.

Times are medians of ``--repeat`` runs (wall clock, perf_counter); every comparison
is printed as a ratio.  Nothing here asserts a target: see README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
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

IMPORT_FLOOR = "import pydantic, yaml, click"
# Subprocesses run as after a normal install: with bytecode cached (here under a
# private prefix, never in the repository).  PYTHONDONTWRITEBYTECODE, if set, would
# make every run compile ca-advisor's modules from source; one_file() also measures that.
ENV: dict[str, str] = dict(os.environ)
TARGETS = {"batch": 2.0, "one_file": 1.5}


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


def use_bytecode_cache(work: Path) -> None:
    """Let subprocesses write and read bytecode under ``work``, and warm that cache."""
    ENV.pop("PYTHONDONTWRITEBYTECODE", None)
    ENV["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    subprocess.run([sys.executable, "-c", "import ca_advisor.cli, pydantic, yaml, click"], env=ENV, check=True)


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
    findings = sum(len(r.findings) for r in report.results)
    del report
    return {"total": totals[best], "stages": splits[best], "errors": len(report_errors(files)),
            "findings": findings, "results": len(files), "without_gc": _without_gc(files, repeat)}


def report_errors(files: list[Path]) -> list:
    from ca_advisor.api import check_paths
    return check_paths(files).errors


def _without_gc(files: list[Path], repeat: int) -> float:
    """The same batch with the cyclic garbage collector off: the share of the total
    that is collection work caused by a growing report (a diagnostic, not a setting)."""
    import gc
    from ca_advisor.api import check_paths
    from ca_advisor.output import FORMATS

    def run():
        gc.disable()
        try:
            FORMATS["json"](check_paths(files))
        finally:
            gc.enable()
            gc.collect()
    return median_time(run, repeat)


def cli_batch(directory: Path, repeat: int, work: Path) -> dict:
    """The CLI in a fresh process on the whole directory, JSON to a file: wall time
    (plain console script) and the stage split (the same run under stages.py)."""
    wall = run_process([ca_advisor_command(), "check", str(directory), "--format", "json",
                        "--output", str(work / "out.json"), "--fail-on", "never"], repeat, cwd=work)
    runs = []
    for _ in range(repeat):
        times = work / "times.json"
        subprocess.run([sys.executable, str(HERE / "stages.py"), str(times), "check", str(directory),
                        "--format", "json", "--output", str(work / "out.json"), "--fail-on", "never"],
                       check=False, cwd=work, env=ENV)
        runs.append(json.loads(times.read_text()))
    runs.sort(key=lambda r: r["total"])
    return {"wall": wall, **runs[len(runs) // 2]}


def ca_advisor_command() -> str:
    script = Path(sys.executable).parent / "ca-advisor"
    return str(script) if script.exists() else shutil.which("ca-advisor") or "ca-advisor"


# --- (c) one file ---------------------------------------------------------------------------

def one_file(path: Path, repeat: int, work: Path) -> dict:
    floor = run_process([sys.executable, "-c", IMPORT_FLOOR], repeat)
    bare = run_process([sys.executable, "-c", "pass"], repeat)
    cli = run_process([ca_advisor_command(), "check", str(path), "--fail-on", "never"], repeat, cwd=work)
    # As this environment runs it: the standard library and site-packages from their
    # installed bytecode, ca-advisor's own modules compiled from source every time.
    no_bytecode = {k: v for k, v in os.environ.items() if k != "PYTHONPYCACHEPREFIX"}
    no_bytecode["PYTHONDONTWRITEBYTECODE"] = "1"
    cli_from_source = run_process([ca_advisor_command(), "check", str(path), "--fail-on", "never"], repeat,
                                  env=no_bytecode, cwd=work)
    runs = []
    for _ in range(repeat):
        times = work / "one.json"
        subprocess.run([sys.executable, str(HERE / "stages.py"), str(times), "check", str(path),
                        "--fail-on", "never"], check=False, cwd=work, stdout=subprocess.DEVNULL, env=ENV)
        runs.append(json.loads(times.read_text()))
    runs.sort(key=lambda r: r["total"])
    return {"import_floor": floor, "interpreter": bare, "cli": cli, "cli_from_source": cli_from_source,
            "split": runs[len(runs) // 2]}


# --- (d) rule loading -------------------------------------------------------------------------

def rule_loading(work: Path, repeat: int) -> list[dict]:
    """Built-in rules, then 10x and 100x as many: the built-in ones plus generated
    rules (generate.rule_text: varied fact types, fields, operators and values)."""
    from ca_advisor.builtin import builtin_profiles_dir, builtin_rules_dir
    from ca_advisor.engines.durable import DurableEngine
    from ca_advisor.errors import InputErrors
    from ca_advisor.rulebook import load_rulebook, rule_files

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
            compile_ = median_time(lambda: DurableEngine(book.rules), repeat)
            refused = None
        except InputErrors as exc:  # durable-rules' fixed-size network is full
            start = time.perf_counter()
            with contextlib.suppress(InputErrors):
                DurableEngine(book.rules)
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
from ca_advisor.reading import read_proposal_text
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
from ca_advisor.checker import Checker
from ca_advisor.reading import read_proposal_text
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
        "durable-rules": version("durable_rules"), "click": version("click"), "ca-advisor": version("ca-advisor"),
    }


def _libyaml_version() -> str:
    try:
        from yaml import _yaml
        return _yaml.get_version_string()
    except ImportError:
        return "not available (pure-Python loader)"


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "n/a"


def report(res: dict) -> str:
    m, n = res["machine"], res["n"]
    floor, api, cli = res["floor"], res["api"], res["cli"]
    one, mem = res["one_file"], res["memory"]
    lines = [f"# Benchmark results ({m['date']})", "",
             f"Machine: {m['cpu']}, {m['cores']} cores, {m['platform']}.  ",
             f"Versions: Python {m['python']}, pydantic {m['pydantic']} (core {m['pydantic-core']}), "
             f"PyYAML {m['PyYAML']} (libyaml {m['libyaml']}), durable-rules {m['durable-rules']}, "
             f"click {m['click']}, ca-advisor {m['ca-advisor']}.  ",
             f"Command: `python benchmarks/run.py{' --quick' if res['quick'] else ''}` "
             f"(N = {n} generated proposals, seed {res['seed']}; medians of {res['repeat']} runs).", "",
             "## Batch check against the parse floor", "",
             "| | seconds | per file | vs floor | target |", "|---|---:|---:|---:|---|",
             f"| (a) floor: read + `yaml.load(CSafeLoader)` | {floor:.3f} | {floor / n * 1000:.2f} ms | 1.00x | |",
             f"| (b) API: `check_paths` + JSON | {api['total']:.3f} | {api['total'] / n * 1000:.2f} ms | "
             f"{ratio(api['total'], floor)} | <= {TARGETS['batch']}x |",
             f"| (b) CLI: `ca-advisor check DIR --format json` (whole process) | {cli['wall']:.3f} | "
             f"{cli['wall'] / n * 1000:.2f} ms | {ratio(cli['wall'], floor)} | <= {TARGETS['batch']}x |", "",
             f"The API run found {api['findings']} findings in {api['results']} proposals "
             f"({api['errors']} input errors).  With Python's cyclic garbage collector switched off the same API "
             f"batch takes {api['without_gc']:.3f} s ({ratio(api['without_gc'], floor)} the floor): the rest is "
             "collection work that grows with the report held in memory.", "",
             "Where the time goes (seconds; each stage excludes the stages inside it):", "",
             "| stage | API | vs floor | CLI | vs floor |", "|---|---:|---:|---:|---:|"]
    names = ["parse", "validate", "facts", "engine", "findings", "output", "rules"]
    cli_stages = dict(cli["stages"])
    other_cli = cli["total"] - sum(cli_stages.values()) - cli["import"]
    for name in names:
        a, c = api["stages"].get(name, 0.0), cli_stages.get(name, 0.0)
        lines.append(f"| {name} | {a:.3f} | {ratio(a, floor)} | {c:.3f} | {ratio(c, floor)} |")
    other_api = api["total"] - sum(api["stages"].values())
    lines += [f"| other (expanding paths, report model) | {other_api:.3f} | {ratio(other_api, floor)} | "
              f"{other_cli:.3f} | {ratio(other_cli, floor)} |",
              f"| imports (CLI process) | | | {cli['import']:.3f} | {ratio(cli['import'], floor)} |", "",
              "## One file through the CLI against the import floor", "",
              "| | seconds | vs import floor | target |", "|---|---:|---:|---|",
              f"| `python -c pass` | {one['interpreter']:.3f} | {ratio(one['interpreter'], one['import_floor'])} | |",
              f"| floor: `python -c \"{IMPORT_FLOOR}\"` | {one['import_floor']:.3f} | 1.00x | |",
              f"| `ca-advisor check one.yaml` | {one['cli']:.3f} | {ratio(one['cli'], one['import_floor'])} | "
              f"<= {TARGETS['one_file']}x |",
              f"| the same with `PYTHONDONTWRITEBYTECODE=1` (modules compiled from source every run) | "
              f"{one['cli_from_source']:.3f} | {ratio(one['cli_from_source'], one['import_floor'])} | |", "",
              f"Inside that run: imports {one['split']['import']:.3f} s, rule loading "
              f"{one['split']['stages'].get('rules', 0):.3f} s, the check itself "
              f"{sum(v for k, v in one['split']['stages'].items() if k != 'rules'):.3f} s.", "",
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
            refusals.append(f"At {row['rules']} rules durable-rules refuses the rule book: \"{row['refused']}\"")
    lines += [""] + refusals
    samples = mem["samples"]
    first_full = samples[1][1]
    lines += ["", "## Memory", "",
              f"Peak resident memory (VmHWM) of the CLI batch run: {cli['peak_mib']:.1f} MiB; of the one-file "
              f"CLI run: {one['split']['peak_mib']:.1f} MiB.  ",
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


def verdicts(res: dict) -> list[str]:
    """Each target, met or missed, from the numbers above (the reasons are in the
    README's "Robustness and performance" section)."""
    floor, one = res["floor"], res["one_file"]
    batch, cli_batch = res["api"]["total"] / floor, res["cli"]["wall"] / floor
    single = one["cli"] / one["import_floor"]
    rows = res["rules"]
    per_rule = [(r["load"] + r["compile"]) / r["rules"] for r in rows]
    linear = per_rule[-1] <= 1.5 * per_rule[1] if len(per_rule) > 2 else True
    samples = res["memory"]["samples"]
    growth = samples[-1][1] - samples[1][1]
    met = {True: "met", False: "**missed**"}
    return ["## Targets", "",
            f"* batch check <= 2x the parse floor: API {batch:.2f}x, CLI {cli_batch:.2f}x: {met[max(batch, cli_batch) <= 2]}",
            f"* one-file CLI <= 1.5x the import floor: {single:.2f}x: {met[single <= 1.5]}",
            f"* rule loading linear in rules: {per_rule[1] * 1000:.2f} ms per rule at {rows[1]['rules']} rules, "
            f"{per_rule[-1] * 1000:.2f} ms at {rows[-1]['rules']}: {met[linear]}",
            f"* memory flat over {res['checks']:,} checks: {growth:+.2f} MiB after warm-up: {met[abs(growth) < 2]}",
            f"* {res['checks']:,} checks in one process give what each gives alone: "
            f"{res['memory'].get('mismatches', '?')} differ: {met[res['memory'].get('mismatches') == 0]}",
            "", "What bounds the missed targets, and what would change them: README.md, "
            "\"Robustness and performance\".", ""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=500, help="proposals in the batch (default 500)")
    parser.add_argument("--checks", type=int, default=10_000, help="checks in the memory run (default 10,000)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement; the median is kept")
    parser.add_argument("--seed", type=int, default=2013)
    parser.add_argument("--quick", action="store_true", help="N=100, 2,000 checks, 3 repeats")
    parser.add_argument("--write", action="store_true", help="write benchmarks/RESULTS.md")
    parser.add_argument("--json", type=Path, help="also write the raw numbers here")
    parser.add_argument("--from-json", type=Path, help="only print (and --write) the report of saved numbers")
    args = parser.parse_args()
    if args.from_json:
        text = report(json.loads(args.from_json.read_text(encoding="utf-8")))
        print(text)
        if args.write:
            (HERE / "RESULTS.md").write_text(text, encoding="utf-8")
        return
    if args.quick:
        args.n, args.checks, args.repeat = 100, 2000, 3
    with tempfile.TemporaryDirectory(prefix="ca-advisor-bench-") as tmp:
        work = Path(tmp)
        files = generate.write_proposals(work / "proposals", args.n, args.seed)
        use_bytecode_cache(work)
        res = {"n": args.n, "seed": args.seed, "repeat": args.repeat, "quick": args.quick, "checks": args.checks,
               "machine": machine()}
        step("parse floor", res, "floor", lambda: parse_floor(files, args.repeat))
        step("API batch", res, "api", lambda: api_batch(files, args.repeat))
        step("CLI batch", res, "cli", lambda: cli_batch(work / "proposals", args.repeat, work))
        step("one file", res, "one_file", lambda: one_file(files[0], max(args.repeat, 7), work))
        step("rule loading", res, "rules", lambda: rule_loading(work, min(args.repeat, 3)))
        step(f"{args.checks:,} checks", res, "memory", lambda: memory(args.checks, work))
    text = report(res)
    print(text)
    if args.write:
        (HERE / "RESULTS.md").write_text(text, encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(res, indent=2), encoding="utf-8")


def step(label: str, res: dict, key: str, fn) -> None:
    start = time.perf_counter()
    res[key] = fn()
    print(f"  {label}: {time.perf_counter() - start:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
