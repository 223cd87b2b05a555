"""The portfolio check (issue 15) against checking the same proposals one by one.

    python benchmarks/portfolio.py              # N=2000, 3 repeats
    python benchmarks/portfolio.py --n 500 --repeat 1

Target: a portfolio of 2,000 proposals checks in at most twice the time of checking
them one by one (``api.check_paths``), with memory bounded.  Two portfolios are timed:
the generated proposals as they are (dates 2008-2016, so a few hundred are in play at
the check date), and the same proposals all dated in 2012 for five years (every one in play: the
worst case for the portfolio facts).  Memory is the peak of Python allocations
(tracemalloc, in a separate untimed run) of each way of checking.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import re
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate  # noqa: E402

from ca_advisor.api import check_paths, get_checker  # noqa: E402
from ca_advisor.portfolio_api import check_portfolio_paths  # noqa: E402

AS_OF = datetime.date(2013, 9, 1)


def write(directory: Path, n: int, *, all_in_play: bool) -> None:
    directory.mkdir(parents=True)
    for i, text in enumerate(generate.proposal_texts(n)):
        if all_in_play:
            text = re.sub(r"^date: \d{4}-(\d\d)-(\d\d)$", r"date: 2012-\1-01", text, flags=re.M)
            text = re.sub(r"^duration_years: .*$", "duration_years: 5", text, flags=re.M)
        (directory / f"generated-{i:05}.yaml").write_text(text, encoding="utf-8")


def timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def peak_mib(fn) -> float:
    gc.collect()
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    checker = get_checker()
    with tempfile.TemporaryDirectory() as tmp:
        for label, all_in_play in (("as generated", False), ("all in play", True)):
            directory = Path(tmp) / label.replace(" ", "-")
            write(directory, args.n, all_in_play=all_in_play)
            one_by_one, _ = timed(lambda: check_paths([directory], checker=checker), args.repeat)
            whole, report = timed(lambda: check_portfolio_paths([directory], checker=checker, as_of=AS_OF),
                                  args.repeat)
            in_play = sum(p.in_play for p in report.portfolio.packages)
            mem_one = peak_mib(lambda: check_paths([directory], checker=checker))
            mem_whole = peak_mib(lambda: check_portfolio_paths([directory], checker=checker, as_of=AS_OF))
            print(f"{label}: {args.n} proposals, {in_play} in play at {AS_OF}, "
                  f"{len(report.portfolio.findings)} portfolio findings")
            print(f"  one by one {one_by_one:.2f} s, portfolio {whole:.2f} s: {whole / one_by_one:.2f}x "
                  f"(target <= 2x)")
            print(f"  peak Python memory: one by one {mem_one:.1f} MiB, portfolio {mem_whole:.1f} MiB")


if __name__ == "__main__":
    main()
