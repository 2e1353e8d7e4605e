#!/usr/bin/python3
"""Make small real output folders with the engine, for the plotting tests.

    make_real_data.py RESURGENCE_BINARY OUT_DIR

writes, in about two seconds:
  OUT_DIR/run    `resurgence run scenarios/baseline_2019.yaml horizon_days=60 -r 2` with
                 regions.csv and cell_sizes.csv (the theatre: 14 regions, detention sites
                 holding fighters and family members, so every run figure has data);
  OUT_DIR/sweep  a 2 x 3 grid over attacks.rate and security.raid_rate of the same run,
                 2 replications per point (12 runs), then `resurgence analyze` (prcc.csv).
Neither gets plots from the engine (--no-plots): the tests draw them. CTest runs this once
as the fixture tools_real_data (tests/tools/CMakeLists.txt); test_plot.py runs it itself
when given --resurgence BINARY instead of --realdata DIR.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BASE = REPO / "scenarios" / "baseline_2019.yaml"
RUN_ARGS = ["horizon_days=60", "-r", "2", "outputs.regions=true", "outputs.cell_sizes=true"]

SWEEP_YAML = """\
# Written by tests/tools/make_real_data.py: a tiny grid for the plotting tests.
name: plot_test_grid
description: A 2 x 3 grid over two theatre rates, 60 days, for the plotting tests
base: {base}
overrides:
  - horizon_days=60
design: grid
replications: 2
seed: 20190201
parameters:
  - name: attacks.rate
    values: [0.0001, 0.0003]
  - name: security.raid_rate
    values: [0.002, 0.004, 0.008]
"""


def run(command: list[str]) -> str:
    print("+", " ".join(command), flush=True)
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"make_real_data.py: {command[0]} exited with {result.returncode}")
    return result.stdout


def has_option(binary: str, command: str, option: str) -> bool:
    result = subprocess.run([binary, command, "--help"], capture_output=True, text=True, timeout=60)
    return option in result.stdout


def make(binary: str, out: Path) -> None:
    start = time.monotonic()
    out.mkdir(parents=True, exist_ok=True)
    for name in ("run", "sweep"):
        shutil.rmtree(out / name, ignore_errors=True)
    run([binary, "-q", "run", str(BASE), *RUN_ARGS, "--no-plots", "-o", str(out / "run")])

    sweep_file = out / "plot_test_grid.yaml"
    sweep_file.write_text(SWEEP_YAML.format(base=BASE), encoding="utf-8")
    # `resurgence sweep` renders plots at the end unless told not to (newer builds).
    no_plots = ["--no-plots"] if has_option(binary, "sweep", "--no-plots") else []
    run([binary, "-q", "sweep", *no_plots, str(sweep_file), "-o", str(out / "sweep")])
    run([binary, "-q", "analyze", str(out / "sweep")])
    for name in ("plots", "report.html"):  # should an older build have drawn them anyway
        target = out / "sweep" / name
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink(missing_ok=True)
    print(f"make_real_data.py: wrote {out / 'run'} and {out / 'sweep'} "
          f"in {time.monotonic() - start:.1f} s")


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("usage: make_real_data.py RESURGENCE_BINARY OUT_DIR", file=sys.stderr)
        return 2
    make(argv[1], Path(argv[2]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
