"""How long each output format takes to render one report, and how big it is.

    python benchmarks/formats.py [--n 500] [--repeat 5]

Checks N generated proposals once (generate.py, fixed seed), then renders the report
in every format REPEAT times and prints the median time and the size, beside the
check itself, so that a format's cost reads against what the check costs.  The HTML
page is also timed per proposal, since reviewers render whole directories.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate  # noqa: E402

from ca_advisor.api import FORMATS, check_paths, get_checker, render  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=500, help="proposals in the report (default 500)")
    parser.add_argument("--repeat", type=int, default=5, help="renders per format; the median is kept")
    args = parser.parse_args()
    checker = get_checker()
    rules = [r.rule for r in checker.book.rules]
    with tempfile.TemporaryDirectory() as work:
        files = generate.write_proposals(Path(work), args.n)
        start = time.perf_counter()
        report = check_paths(files, checker=checker)
        check = time.perf_counter() - start
    findings = sum(len(r.findings) for r in report.results)
    print(f"{args.n} proposals, {findings} findings; check {check * 1000:.0f} ms")
    print(f"{'format':10} {'median ms':>10} {'x check':>8} {'MB':>7}")
    for fmt in FORMATS:
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            text = render(report, fmt, rules=rules)
            times.append(time.perf_counter() - start)
        median = statistics.median(times)
        print(f"{fmt:10} {median * 1000:10.1f} {median / check:8.2f} {len(text.encode()) / 1e6:7.2f}")


if __name__ == "__main__":
    main()
