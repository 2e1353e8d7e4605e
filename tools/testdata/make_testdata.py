#!/usr/bin/python3
"""Write small deterministic synthetic Resurgence output folders for the plotting tests.

    make_testdata.py OUT_DIR

writes OUT_DIR/run_a and OUT_DIR/run_b (run folders: 3 replications, 120 days, 2
countries, 3 regions, events, cell sizes, summary, run.json) and OUT_DIR/sweep_grid
(a 4 x 3 grid sweep with a sweep.json as `resurgence sweep` writes it and a prcc.csv as
`resurgence analyze` writes it) and OUT_DIR/sweep_lhs (40 scattered design points, a
minimal sweep.json). run_a's run.json describes regions.csv (columns.regions); run_b's
does not, like runs made before the engine wrote that list. The numbers are made up; only
the file layout follows the simulator's output contract (column names as the engine
writes them). Standard library only, so the files are the same on every machine.
"""

from __future__ import annotations

import csv
import json
import math
import random
import statistics
import sys
from datetime import date, timedelta
from pathlib import Path

COUNTRIES = ("iraq", "syria")
REGIONS = {"anbar": "iraq", "ninawa": "iraq", "deir_ez_zor": "syria"}
ATTACK_TYPES = ("kidnap_extortion", "assassination", "ambush", "bombing")  # no prison_raid column
START = date(2019, 3, 10)
DAYS = 120
REPLICATIONS = 3

UNITS = {  # as in the engine's run.json
    "fighters": "fighters", "supporters": "persons", "informants": "persons", "cells": "cells",
    "detainees_fighters": "fighters", "detainees_families": "persons", "attacks": "attacks/day",
    "escapes": "persons/day", "arrests": "persons/day", "legitimacy": "1", "intimidation": "1",
}
REGION_COLUMNS = (("legitimacy", "1", "stock"), ("intimidation", "1", "stock"),
                  ("patrol", "personnel", "stock"), ("intelligence", "1", "stock"),
                  ("supporters", "persons", "stock"), ("informants", "persons", "stock"),
                  ("fighters_at_large", "fighters", "stock"), ("attacks", "attacks/day", "flow"))


def poisson(rng: random.Random, mean: float) -> int:
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def power_law_int(rng: random.Random, xmin: int, alpha: float) -> int:
    return int(math.floor((xmin - 0.5) * (1 - rng.random()) ** (-1 / (alpha - 1)) + 0.5))


def write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def timeseries_header() -> list[str]:
    return (
        ["replication", "day", "date", "fighters_active", "fighters_sleeper", "fighters_detained"]
        + [f"fighters_at_large_{c}" for c in COUNTRIES]
        + ["cells", "supporters", "informants", "attacks_total"]
        + [f"attacks_{t}" for t in ATTACK_TYPES]
        + [f"attacks_{c}" for c in COUNTRIES]
        + ["detainees_fighters", "detainees_families", "escapes", "arrests",
           "legitimacy_mean", "intimidation_mean"]
    )


def column_meta(name: str) -> dict:
    unit = UNITS.get(name) or UNITS.get(name.split("_")[0], "persons")
    flow = name.startswith("attacks_") or name in ("escapes", "arrests")
    return {"name": name, "unit": unit, "kind": "flow" if flow else "stock",
            "description": f"synthetic {name.replace('_', ' ')}"}


def write_run(folder: Path, name: str, seed: int, growth: float, describe_regions: bool) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    series, regional, events, cells, summary = [], [], [], [], []
    for rep in range(REPLICATIONS):
        fighters = {"iraq": 300.0 + 20 * rep, "syria": 200.0}
        supporters, informants, legitimacy = 5000.0, 400.0, 0.55
        detainees, family = 900.0, 2500.0
        peak, total_attacks, total_escapes, resurgence_day = 0.0, 0, 0, None
        for day in range(DAYS):
            today = (START + timedelta(days=day)).isoformat()
            for country in COUNTRIES:
                fighters[country] = max(20.0, fighters[country] * (1 + growth + rng.gauss(0, 0.01)))
            active = sum(fighters.values())
            peak = max(peak, active)
            if resurgence_day is None and active > 600 and rep != 1:
                resurgence_day = day
            supporters += rng.gauss(2 * growth * 1000, 20)
            informants = max(0.0, informants + rng.gauss(-growth * 100, 4))
            legitimacy = min(1.0, max(0.0, legitimacy + rng.gauss(-growth / 4, 0.004)))
            by_type = {t: 0 for t in ATTACK_TYPES}
            by_country = {c: 0 for c in COUNTRIES}
            for region, country in REGIONS.items():
                count = poisson(rng, fighters[country] / 500)
                regional.append([rep, day, today, region, round(legitimacy, 4), 0.1, 4000,
                                 0.4, round(supporters / 3), round(informants / 3),
                                 round(fighters[country] / 2), count])
                for _ in range(count):
                    kind = rng.choice(ATTACK_TYPES)
                    by_type[kind] += 1
                    by_country[country] += 1
                    severity = 0 if rng.random() < 0.2 else power_law_int(rng, 1, 2.3)
                    events.append([rep, day, today, region, f"attack_{kind}", severity, 1, ""])
            escapes = poisson(rng, 0.15)
            if escapes:
                events.append([rep, day, today, "deir_ez_zor", "escape", 0, escapes, "camp"])
            arrests = poisson(rng, 1.2)
            detainees += arrests - escapes
            family += rng.gauss(0, 3)
            attacks = sum(by_type.values())
            total_attacks += attacks
            total_escapes += escapes
            series.append(
                [rep, day, today, round(active), round(active * 0.3), round(detainees)]
                + [round(fighters[c]) for c in COUNTRIES]
                + [round(active / 8), round(supporters), round(informants), attacks]
                + [by_type[t] for t in ATTACK_TYPES]
                + [by_country[c] for c in COUNTRIES]
                + [round(detainees), round(family), escapes, arrests,
                   round(legitimacy, 4), round(0.2 + growth * day / 10, 4)]
            )
            if day % 30 == 29:
                sizes: dict[int, int] = {}
                for _ in range(round(active / 8)):
                    size = min(power_law_int(rng, 2, 2.6), 60)
                    sizes[size] = sizes.get(size, 0) + 1
                cells += [[rep, day, size, count] for size, count in sorted(sizes.items())]
        summary.append([rep, seed * 100 + rep, round(peak), total_attacks,
                        "" if resurgence_day is None else resurgence_day, total_escapes,
                        rng.randint(10, 40), round(legitimacy, 4)])

    ts_header = timeseries_header()
    write_csv(folder / "timeseries.csv", ts_header, series)
    write_csv(folder / "regions.csv",
              ["replication", "day", "date", "region", *(c for c, _, _ in REGION_COLUMNS)], regional)
    write_csv(folder / "events.csv",
              ["replication", "day", "date", "region", "type", "severity", "count", "detail"], events)
    write_csv(folder / "cell_sizes.csv", ["replication", "day", "size", "count"], cells)
    write_csv(folder / "summary.csv",
              ["replication", "seed", "peak_fighters", "attacks_last_12_months", "days_to_resurgence",
               "escapes", "crossings", "legitimacy_final"], summary)
    run = {
        "version": "0.1.0-test",
        "git_hash": "0000000",
        "scenario": {
            "name": name,
            "file": f"scenarios/{name}.yaml",
            "question": f"Does the <{name}> case lead to a resurgence within four months?",
            "description": "Synthetic test data & not a model result.\n\nSecond paragraph.",
            "start_date": START.isoformat(),
            "horizon_days": DAYS,
            "events": [
                {"day": 30, "date": (START + timedelta(days=30)).isoformat(), "kind": "withdrawal",
                 "summary": "Coalition forces leave Anbar"},
                {"day": 75, "date": (START + timedelta(days=75)).isoformat(), "kind": "prison_break",
                 "summary": "Breakout at a camp in Deir ez-Zor"},
            ],
        },
        "replications": REPLICATIONS,
        "seed": seed,
        "parameters": [
            {"name": "civilians.k", "value": 2.3, "default": 2.3, "unit": "1", "source": "Epstein 2002"},
            {"name": "security.raid_rate", "value": 0.02 + growth, "default": 0.02,
             "unit": "1/day", "source": "assumption"},
        ],
        "overrides": [f"security.raid_rate={0.02 + growth}"],
        "columns": {
            "timeseries": [column_meta(c) for c in ts_header[3:]],
            "summary": [{"name": "peak_fighters", "unit": "persons", "kind": "stock",
                         "description": "highest number of active fighters"},
                        {"name": "days_to_resurgence", "unit": "days", "kind": "stock",
                         "description": "first day above the resurgence threshold"}],
        },
    }
    if describe_regions:
        run["columns"]["regions"] = [
            {"name": c, "unit": unit, "kind": kind, "description": f"synthetic regional {c}"}
            for c, unit, kind in REGION_COLUMNS
        ]
    (folder / "run.json").write_text(json.dumps(run, indent=2) + "\n", encoding="utf-8")


def write_sweep(folder: Path, points: list[tuple[float, float]], seed: int, full_json: bool) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    parameters = ["civilians.k", "security.raid_rate"]
    outcomes = ["peak_fighters", "days_to_resurgence", "attacks_last_12_months"]
    runs, rows = [], []
    for point, (k, raid) in enumerate(points):
        values = {o: [] for o in outcomes}
        for rep in range(3):
            peak = 400 + 150 * k - 4000 * raid + rng.gauss(0, 25)
            days = 400 - 60 * k + 3000 * raid + rng.gauss(0, 20)
            resurged = days < 380
            attacks = max(0, round(peak * 0.8 + rng.gauss(0, 30)))
            runs.append([point, rep, seed + 10 * point + rep, k, raid, round(peak),
                         round(days) if resurged else "", attacks])
            values["peak_fighters"].append(peak)
            values["attacks_last_12_months"].append(attacks)
            if resurged:
                values["days_to_resurgence"].append(days)
        row = [point, k, raid]
        for outcome in outcomes:
            data = sorted(values[outcome]) or [float("nan")]
            mean = statistics.fmean(data)
            sd = statistics.stdev(data) if len(data) > 1 else 0.0
            row += [round(mean, 3), round(sd, 3), data[0], data[len(data) // 2], data[-1],
                    round(mean - sd, 3), round(mean + sd, 3)]
        rows.append(row)
    write_csv(folder / "runs.csv", ["point", "replication", "seed", *parameters, *outcomes], runs)
    stats_header = [f"{o}_{s}" for o in outcomes
                    for s in ("mean", "sd", "q05", "q50", "q95", "ci_lo", "ci_hi")]
    write_csv(folder / "sweep_summary.csv", ["point", *parameters, *stats_header], rows)
    spec = {"parameters": parameters,
            "outcomes": [{"name": "peak_fighters", "unit": "persons"},
                         {"name": "days_to_resurgence", "unit": "days"},
                         "attacks_last_12_months"]}
    if full_json:  # the layout of `resurgence sweep` (sim/sweep/sweep.cpp Sweep::sweep_json)
        ks = sorted({k for k, _ in points})
        raids = sorted({r for _, r in points})
        spec = {
            "format": "resurgence-sweep/1", "version": "0.1.0-test", "git_hash": "0000000",
            "name": folder.name, "description": "Synthetic <grid> & not a model result",
            "sweep_file": f"{folder.name}.yaml",
            "base": {"file": "../baseline.yaml", "name": "baseline", "file_hash": "0123456789abcdef"},
            "overrides": ["horizon_days=120"],
            "design": {"kind": "grid", "points": len(points), "replications": 3,
                       "plans": 3 * len(points)},
            "seeds": {"seed": seed, "common_random_numbers": False,
                      "rule": "synthetic: seed + 10 point + replication"},
            "on_failure": "stop", "fingerprint": "fedcba9876543210",
            "parameters": [{"name": "civilians.k", "values": [str(k) for k in ks]},
                           {"name": "security.raid_rate", "min": raids[0], "max": raids[-1],
                            "scale": "log", "integer": False}],
            "outcomes": [
                {"name": "peak_fighters", "unit": "fighters", "description": "synthetic peak"},
                {"name": "days_to_resurgence", "unit": "days", "description": "synthetic days"},
                {"name": "attacks_last_12_months", "unit": "attacks", "description": "synthetic"},
            ],
        }
        prcc = [["outcome", "parameter", "prcc", "prcc_lo", "prcc_hi", "p_value", "src", "rank",
                 "samples"]]
        for outcome, sign in (("peak_fighters", 1), ("attacks_last_12_months", 1),
                              ("days_to_resurgence", -1)):
            prcc.append([outcome, "civilians.k", 0.9 * sign, 0.8 * sign, 0.95 * sign, 0.001,
                         0.85 * sign, 1, len(points)])
            prcc.append([outcome, "security.raid_rate", -0.6 * sign, -0.75 * sign, -0.4 * sign,
                         0.02, -0.5 * sign, 2, len(points)])
        write_csv(folder / "prcc.csv", prcc[0], prcc[1:])
        write_csv(folder / "design.csv", ["point", "group", "role", *parameters],
                  [[i, i, "-", k, raid] for i, (k, raid) in enumerate(points)])
        write_csv(folder / "failures.csv", ["point", "replication", "seed", "message"], [])
    (folder / "sweep.json").write_text(json.dumps(spec, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: make_testdata.py OUT_DIR", file=sys.stderr)
        return 2
    out = Path(argv[1])
    write_run(out / "run_a", "baseline", seed=11, growth=0.002, describe_regions=True)
    write_run(out / "run_b", "us_withdrawal", seed=12, growth=0.006, describe_regions=False)
    grid = [(k, raid) for k in (1.5, 2.0, 2.5, 3.0) for raid in (0.01, 0.02, 0.05)]
    write_sweep(out / "sweep_grid", grid, seed=21, full_json=True)
    rng = random.Random(22)
    scattered = [(round(rng.uniform(1.5, 3.0), 3), round(rng.uniform(0.01, 0.05), 4)) for _ in range(40)]
    write_sweep(out / "sweep_lhs", scattered, seed=23, full_json=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
